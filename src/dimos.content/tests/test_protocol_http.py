"""POST /@protocol and GET /@protocol/{year}/{number} over HTTP, saved as API examples."""

from dimos.policy.testing import save_http_example
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import datetime
import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
YEAR = datetime.date.today().year
APPLICATION = {
    "kind": "civil-marriage-licence",
    "subject": "Άδεια πολιτικού γάμου",
    "request": "Παρακαλώ για την έκδοση άδειας πολιτικού γάμου τον Ιούνιο.",
    "applicant": {
        "name": "Νίκος Αντωνίου",
        "afm": "094019245",
        "email": "nikos@example.org",
        "phone": "+30 2101234567",
    },
}


@pytest.fixture
def site(functional_portal):
    api.user.create(
        email="maria@dimos.example",
        username="maria",
        properties={"fullname": "Μαρία Οικονόμου", "phone": "2310 555 123"},
    )
    api.group.add_user(groupname="lixiarxeio", username="maria")
    transaction.commit()
    return functional_portal.absolute_url()


def post(url, data, **kw):
    return requests.post(f"{url}/@protocol", json=data, headers=JSON, timeout=30, **kw)


def track(url, year, number, token=None, **kw):
    params = {} if token is None else {"token": token}
    return requests.get(
        f"{url}/@protocol/{year}/{number}", params=params, headers=JSON, timeout=30, **kw
    )


def test_citizen_files_and_tracks_an_application(site, functional_portal):
    filed = post(site, APPLICATION)
    save_http_example("protocol-post", filed, secrets=[filed.json().get("token", "-")])
    assert filed.status_code == 201, filed.text
    receipt = filed.json()
    assert receipt["protocol_number"] == f"1/{YEAR}"
    assert receipt["department"]["token"] == "lixiarxeio"
    assert receipt["department"]["title"] == "Ληξιαρχείο"
    assert receipt["status"]["token"] == "submitted"
    assert receipt["assigned_to"] is None
    assert receipt["tracking_url"].endswith(f"/@protocol/{YEAR}/1?token={receipt['token']}")

    tracked = track(site, YEAR, 1, receipt["token"])
    assert tracked.status_code == 200
    assert "token" not in tracked.json()  # shown once, at submission

    # the protocol clerk assigns it; the employee starts work
    transaction.begin()  # see what the server committed
    record = functional_portal["protokollo"].contentValues()[0]
    with api.env.adopt_roles(["Manager"]):
        record.assigned_to = "maria"
        notify(ObjectModifiedEvent(record))
        api.content.transition(record, transition="assign")
        api.content.transition(record, transition="start", comment="Ελέγχονται τα δικαιολογητικά.")
    transaction.commit()

    tracked = track(site, YEAR, 1, receipt["token"])
    save_http_example("protocol-get", tracked, secrets=[receipt["token"]])
    info = tracked.json()
    assert info["status"]["token"] == "in_progress"
    assert info["assigned_to"] == {
        "fullname": "Μαρία Οικονόμου",
        "email": "maria@dimos.example",
        "phone": "2310 555 123",
    }
    assert [h["status"]["token"] for h in info["history"]] == [
        "submitted",
        "assigned",
        "in_progress",
    ]
    assert info["history"][-1]["comment"] == "Ελέγχονται τα δικαιολογητικά."


def test_nobody_else_can_read_it(site):
    receipt = post(site, APPLICATION).json()
    wrong = track(site, YEAR, 1, "not-the-token")
    save_http_example("protocol-get-wrong-token", wrong)
    assert wrong.status_code == 403
    assert wrong.json()["error"]["type"] == "WrongToken"
    assert "Νίκος" not in wrong.text and "γάμου" not in wrong.text
    assert track(site, YEAR, 1).status_code == 403  # no token at all
    # the record itself is private, also with the token in hand
    record_url = receipt["tracking_url"].split("/@protocol")[0] + "/protokollo"
    listing = requests.get(record_url, headers=JSON, timeout=30)
    assert listing.status_code == 401
    # staff who may see it need no token
    staff = track(site, YEAR, 1, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    assert staff.status_code == 200


def test_unknown_number_and_bad_path(site):
    post(site, APPLICATION)
    unknown = track(site, YEAR, 999, "whatever")
    save_http_example("protocol-get-unknown", unknown)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["messages"]["en"] == (
        f"There is no application with protocol number 999/{YEAR}."
    )
    assert track(site, "abc", 1, "x").status_code == 400


def test_bad_input_gets_a_clear_error_and_changes_nothing(site, functional_portal):
    bad = dict(APPLICATION, applicant=dict(APPLICATION["applicant"], afm="123456789"))
    refused = post(site, bad)
    save_http_example("protocol-post-invalid-afm", refused)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["field"] == "applicant.afm"
    assert "ΑΦΜ" in error["messages"]["el"]
    assert "check digit" in error["messages"]["en"]
    not_json = requests.post(f"{site}/@protocol", data="{not json", headers=JSON, timeout=30)
    assert not_json.status_code == 400
    transaction.begin()
    assert functional_portal["protokollo"].contentValues() == []
    # and the next good application still gets number 1
    assert post(site, APPLICATION).json()["protocol_number"] == f"1/{YEAR}"


def test_outgoing_documents_share_the_sequence(site, functional_portal):
    api.user.create(email="c@example.org", username="clerk", password="clerk-password-1")
    api.group.add_user(groupname="geniko-protokollo", username="clerk")
    with api.env.adopt_roles(["Manager"]):
        permit = api.content.create(
            container=functional_portal,
            type="Permit",
            title="Άδεια τραπεζοκαθισμάτων",
            permit_kind="common-space",
            holder_name="Καφενείο",
        )
    transaction.commit()
    post(site, APPLICATION)  # incoming 1
    outgoing = {
        "direction": "outgoing",
        "record": permit.UID(),
        "recipient": "Καφενείο Η Πλατεία",
        "subject": "Αποστολή άδειας",
    }
    sent = post(site, outgoing, auth=("clerk", "clerk-password-1"))
    save_http_example("protocol-post-outgoing", sent)
    assert sent.status_code == 201, sent.text
    assert sent.json()["protocol_number"] == f"2/{YEAR}"
    assert sent.json()["record"] == permit.absolute_url()
    assert post(site, APPLICATION).json()["protocol_number"] == f"3/{YEAR}"
    # citizens cannot send in the municipality's name; outgoing entries are not trackable
    refused = post(site, outgoing)
    assert refused.status_code == 403
    assert track(site, YEAR, 2, "x").status_code == 404
    unknown = post(site, dict(outgoing, record="no-such-uid"), auth=("clerk", "clerk-password-1"))
    assert unknown.status_code == 404
    transaction.begin()
    from dimos.content.protocol.registry import protocol_book

    entry = protocol_book().entry(YEAR, 2)
    assert (entry["direction"], entry["correspondent"]) == ("outgoing", "Καφενείο Η Πλατεία")
