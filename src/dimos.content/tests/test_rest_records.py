"""Every record type through plone.restapi over HTTP: create, read, update, workflow, search.

The requests and responses are saved as the API documentation's examples.
"""

from dimos.policy.testing import save_http_example
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import base64
import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MEMBERS = [
    "Άννα Βλάχου",
    "Βασίλης Γεωργίου",
    "Γιώργος Δήμου",
    "Δέσποινα Ευαγγέλου",
    "Ελένη Ζαχαρίου",
]


class Api:
    def __init__(self, url, auth=ADMIN):
        self.url, self.auth = url, auth

    def call(self, method, path, example=None, **kw):
        url = path if path.startswith("http") else f"{self.url}/{path}".rstrip("/")
        response = requests.request(method, url, headers=JSON, auth=self.auth, timeout=30, **kw)
        if example:
            save_http_example(example, response)
        return response

    def create(self, container, data, example=None):
        response = self.call("POST", container, example, json=data)
        assert response.status_code == 201, response.text
        return response.json()

    def transition(self, url, transition, example=None):
        response = self.call("POST", f"{url}/@workflow/{transition}", example, json={})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def rest(functional_portal):
    api.user.create(email="s@example.org", username="secretary", password="secret-pass-1")
    api.group.add_user(groupname="grammateia-ds", username="secretary")
    transaction.commit()
    return Api(functional_portal.absolute_url())


@pytest.fixture
def meeting(rest):
    body = rest.create(
        "",
        {
            "@type": "CouncilBody",
            "title": "Δημοτικό Συμβούλιο",
            "body_kind": "dimotiko-symvoulio",
            "members": MEMBERS,
        },
    )
    meeting = rest.create(
        body["@id"],
        {
            "@type": "CouncilMeeting",
            "title": "Τακτική συνεδρίαση",
            "start": "2026-03-10T18:00:00+02:00",
            "meeting_kind": "taktiki",
            "place": "Αίθουσα Δημοτικού Συμβουλίου",
            "agenda": ["Έγκριση προϋπολογισμού", "Ονοματοδοσία οδού"],
            "members_present": MEMBERS[:3],
            "members_absent": MEMBERS[3:],
        },
        example="meeting-post",
    )
    return meeting


def decision_data(**extra):
    data = {
        "@type": "CouncilDecision",
        "title": "Έγκριση προϋπολογισμού 2026",
        "decision_type": "Β.1.1",
        "thematic_categories": ["20"],
        "rapporteur": "Άννα Βλάχου",
        "vote_kind": "majority",
        "votes_for": MEMBERS[:2],
        "votes_against": MEMBERS[2:3],
        "text": {"data": "<p>Εγκρίνει τον προϋπολογισμό.</p>", "content-type": "text/html"},
        "signed_pdf": {
            "data": base64.b64encode(PDF).decode(),
            "encoding": "base64",
            "filename": "apofasi.pdf",
            "content-type": "application/pdf",
        },
    }
    data.update(extra)
    return data


def test_meeting_round_trip(rest, meeting):
    assert meeting["session_number"] == 1 and meeting["session_year"] == 2026
    assert meeting["session_label"] == "1/2026"
    assert meeting["has_quorum"] is True  # 3 of 5
    assert meeting["meeting_kind"] == {"token": "taktiki", "title": "Τακτική"}
    assert meeting["review_state"] == "planned"
    rest.transition(meeting["@id"], "convene", example="meeting-convene")
    # the agenda is frozen once convened: plone.restapi skips fields the user may not write
    rest.call("PATCH", meeting["@id"], json={"agenda": ["Άλλο θέμα"]})
    overlap = rest.call("PATCH", meeting["@id"], json={"members_present": MEMBERS[:4]})
    assert overlap.status_code == 400  # Δέσποινα would be present and absent
    patched = rest.call(
        "PATCH",
        meeting["@id"],
        json={"members_present": MEMBERS[:4], "members_absent": MEMBERS[4:]},
    )
    assert patched.status_code == 204
    again = rest.call("GET", meeting["@id"]).json()
    assert again["agenda"] == ["Έγκριση προϋπολογισμού", "Ονοματοδοσία οδού"]
    assert again["members_present"] == MEMBERS[:4]


def test_decision_round_trip(rest, meeting):
    created = rest.create(meeting["@id"], decision_data(), example="decision-post")
    assert (created["decision_number"], created["decision_year"]) == (1, 2026)
    assert created["number_label"] == "1/2026"
    assert created["decision_type"] == {"token": "B.1.1", "title": "Β.1.1 ΕΓΚΡΙΣΗ ΠΡΟΥΠΟΛΟΓΙΣΜΟΥ"}
    by_token = rest.call("PATCH", created["@id"], json={"decision_type": "B.1.3"})
    assert by_token.status_code == 204, by_token.json()[
        "message"
    ]  # the ASCII token is accepted as well
    assert rest.call("GET", created["@id"]).json()["decision_type"]["token"] == "B.1.3"
    assert created["votes_for"] == MEMBERS[:2] and created["votes_against"] == MEMBERS[2:3]
    assert created["signed_pdf"]["content-type"] == "application/pdf"
    download = rest.call("GET", created["signed_pdf"]["download"])
    assert download.content == PDF

    second = rest.create(
        meeting["@id"], decision_data(title="Ονοματοδοσία οδού", ada="6ΧΙΥΩΚ9-4ΑΟ")
    )
    assert second["number_label"] == "2/2026"
    patched = rest.call("PATCH", second["@id"], "decision-patch", json={"amends": [created["@id"]]})
    assert patched.status_code == 204, patched.text
    amended = rest.call("GET", created["@id"], "decision-get").json()
    assert [d["@id"] for d in amended["amended_by"]] == [second["@id"]]
    assert rest.call("GET", second["@id"]).json()["amends"][0]["@id"] == created["@id"]

    for transition in ("submit", "approve", "publish"):
        rest.transition(created["@id"], transition, example=f"decision-{transition}")
    public = requests.get(created["@id"], headers=JSON, timeout=30)
    assert public.status_code == 200 and public.json()["review_state"] == "published"

    found = rest.call(
        "GET",
        "@search",
        "decision-search",
        params={"SearchableText": "ΟΝΟΜΑΤΟΔΟΣΙΑ", "portal_type": "CouncilDecision"},
    ).json()
    assert [i["@id"] for i in found["items"]] == [second["@id"]]
    by_ada = rest.call("GET", "@search", params={"ada": "6ΧΙΥΩΚ9-4ΑΟ"}).json()
    assert [i["@id"] for i in by_ada["items"]] == [second["@id"]]


def test_decision_refusals(rest, meeting):
    first = rest.create(meeting["@id"], decision_data(ada="6ΧΙΥΩΚ9-4ΑΟ"))
    taken = rest.call(
        "POST", meeting["@id"], "decision-post-number-taken", json=decision_data(decision_number=1)
    )
    assert taken.status_code == 400
    assert "1/2026" in taken.text
    twin = rest.call("POST", meeting["@id"], json=decision_data(ada="6xiyωκ9-4αο"))
    assert twin.status_code == 400  # the same ΑΔΑ, typed differently
    bad_vote = rest.call(
        "POST",
        meeting["@id"],
        json=decision_data(vote_kind="unanimous", votes_against=["Γιώργος Δήμου"]),
    )
    assert bad_vote.status_code == 400
    not_pdf = decision_data()
    not_pdf["signed_pdf"]["data"] = base64.b64encode(b"hello").decode()
    assert rest.call("POST", meeting["@id"], json=not_pdf).status_code == 400
    bad_ada = rest.call("POST", meeting["@id"], json=decision_data(ada="not an ada"))
    assert bad_ada.status_code == 400
    listing = rest.call("GET", meeting["@id"]).json()
    assert [i["@id"] for i in listing["items"]] == [first["@id"]]  # nothing else was created
    # the refused numbers were not spent
    assert rest.create(meeting["@id"], decision_data())["number_label"] == "2/2026"


def test_council_secretary_creates_decisions(rest, meeting):
    secretary = Api(rest.url, auth=("secretary", "secret-pass-1"))
    created = secretary.create(meeting["@id"], decision_data())
    assert created["number_label"] == "1/2026"


def test_legal_case_round_trip(rest):
    created = rest.create(
        "",
        {
            "@type": "LegalCase",
            "title": "Αγωγή αποζημίωσης για πτώση σε λακκούβα",
            "case_number": "ΓΑΚ 1234/2026",
            "court": "protodikeio",
            "chamber": "Τμήμα Αποζημιώσεων",
            "case_kind": "civil",
            "parties": ["Δήμος (εναγόμενος)", "Ιδιώτης (ενάγων)"],
            "opponent": "Ιδιώτης",
            "amount_in_dispute": "12500.50",
            "hearings": [{"date": "2026-05-12", "postponed_to": "2026-10-20", "note": "Αναβολή"}],
            "deadlines": [{"date": "2026-09-30", "what": "Προτάσεις"}],
        },
        example="legal-case-post",
    )
    assert created["amount_in_dispute"] == "12500.50"
    assert created["hearings"][0]["postponed_to"] == "2026-10-20"
    assert created["court"]["token"] == "protodikeio"
    rest.transition(created["@id"], "schedule_hearing")
    rest.call("PATCH", created["@id"], json={"outcome": "won"})
    assert rest.transition(created["@id"], "record_decision")["review_state"] == "decided"
    bad = rest.call("PATCH", created["@id"], json={"hearings": [{"when": "tomorrow"}]})
    assert bad.status_code == 400


def test_permit_round_trip(rest):
    created = rest.create(
        "",
        {
            "@type": "Permit",
            "title": "Τραπεζοκαθίσματα καφενείου",
            "permit_kind": "common-space",
            "holder_name": "Καφενείο Η Πλατεία",
            "holder_afm": "094019245",
            "location": "Πλατεία Ελευθερίας",
            "valid_from": "2026-04-01",
            "valid_until": "2026-10-31",
            "fee": "320.00",
        },
        example="permit-post",
    )
    assert created["number_label"] == "1/2026"
    assert created["fee"] == "320.00"
    rest.transition(created["@id"], "approve")
    blocked = rest.call("POST", f"{created['@id']}/@workflow/confirm_payment", json={})
    assert blocked.status_code == 400  # not paid: no payment code yet
    rest.call("PATCH", created["@id"], json={"payment_code": "RF18000000000000000012345"})
    rest.transition(created["@id"], "confirm_payment")
    assert rest.transition(created["@id"], "issue")["review_state"] == "issued"
    backwards = rest.call(
        "POST", "", json=dict(created, **{"@type": "Permit", "valid_until": "2026-01-01"})
    )
    assert backwards.status_code == 400


def test_application_and_signed_document_round_trip(rest, functional_portal):
    application = rest.create(
        "protokollo",
        {
            "@type": "CitizenApplication",
            "title": "Βεβαίωση μόνιμης κατοικίας",
            "application_kind": "registry-certificate",
            "applicant_name": "Ιωάννα Κ.",
            "applicant_afm": "094019245",
        },
        example="application-post",
    )
    assert application["protocol_number"].endswith("/2026") or application["protocol_number"]
    assert application["department"]["token"] == "dimotologio"
    bad = rest.call(
        "POST",
        "protokollo",
        json={
            "@type": "CitizenApplication",
            "title": "x",
            "application_kind": "complaint",
            "applicant_name": "Α",
            "applicant_afm": "111111111",
        },
    )
    assert bad.status_code == 400 and "ΑΦΜ" in bad.json()["message"]
    signed = rest.create(
        "",
        {
            "@type": "SignedDocument",
            "title": "Υπογεγραμμένη άδεια",
            "file": {
                "data": base64.b64encode(PDF).decode(),
                "encoding": "base64",
                "filename": "a.pdf",
                "content-type": "application/pdf",
            },
            "signers": [{"name": "Γραμματέας", "signed_at": "2026-03-02T10:00:00+02:00"}],
            "validation_status": "valid",
        },
    )
    assert signed["signers"][0]["name"] == "Γραμματέας"
    assert signed["validation_status"]["token"] == "valid"
