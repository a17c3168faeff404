"""Assessment notes over HTTP: staff certify a debt, the citizen gets its RF code by email and sees it.

Emails are delivered for real to a local SMTP server (aiosmtpd on 127.0.0.1).
"""

from dimos.payments import ledger
from dimos.payments.rf import format_rf
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import make_afm
from dimos.payments.testing_debts import NAME_A
from dimos.payments.testing_debts import sample_site
from dimos.payments.testing_smtp import start_smtp
from dimos.payments.testing_smtp import use_smtp
from plone import api
from stdnum import iso11649

import pytest
import re
import requests
import time
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
NOTE = {
    "afm": AFM_A,
    "category": "rent",
    "description": "Μίσθωμα περιπτέρου πλατείας, Μάρτιος 2026",
    "amount": "350,50",
    "due_date": "30/04/2026",
}


@pytest.fixture(scope="module")
def smtp():
    with start_smtp() as server:
        yield server


@pytest.fixture
def site(functional_portal, smtp):
    use_smtp(functional_portal, smtp)
    people = sample_site()
    transaction.commit()
    smtp.clear()
    return functional_portal.absolute_url(), people


def post_note(url, auth, body, **kw):
    return requests.post(
        f"{url}/@assessment-notes", json=body, auth=auth, headers=JSON, timeout=60, **kw
    )


def debts(url, auth):
    return requests.get(f"{url}/@debts", auth=auth, headers=JSON, timeout=60)


def notes_stored():
    transaction.begin()  # see what the server's threads committed
    return [debt for debt in ledger.debt_book().debts.values() if debt.source == "assessment"]


def nothing_sent(smtp):
    time.sleep(0.5)  # mail goes out at commit, before the answer; a moment for the server
    return smtp.messages == []


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] == error["messages"]["el"] != error["messages"]["en"]
    return error


class TestNotes:
    def test_the_note_is_a_debt_with_an_rf_the_citizen_is_emailed_and_sees(self, site, smtp):
        url, people = site
        response = post_note(url, people["staff"], NOTE)
        assert response.status_code == 201, response.text
        note = response.json()
        rf = note["rf"]
        assert iso11649.is_valid(rf) and note["order"]["amount_cents"] == 35050
        debt = note["debt"]
        assert (debt["afm"], debt["name"], debt["source"]) == (AFM_A, NAME_A, "assessment")
        assert debt["amount_cents"] == 35050 and debt["due_date"] == "2026-04-30"
        assert debt["audit"][0]["who"] == people["staff"][0]
        assert response.headers["Location"] == f"{url}/@debts/{debt['id']}" == note["@id"]
        assert note["notified"] and note["pay_url"] == f"{url}/@@pay?rf={rf}"

        (mail,) = smtp.wait_for(1)
        assert mail.rcpt_tos == (f"{AFM_A}@example.org",)
        assert iso11649.format(rf) in mail.message["Subject"]
        text = mail.text()
        assert "350,50 €" in text and "30/04/2026" in text and note["pay_url"] in text
        assert "Μίσθωμα περιπτέρου" in text and "Payment code (RF)" in text

        own = debts(url, people["a"]).json()["items"]
        (mine,) = [item for item in own if item["id"] == debt["id"]]
        assert mine["pending_rf"] == rf and mine["status"] == "open"
        other = debts(url, people["b"]).json()["items"]
        assert debt["id"] not in [item["id"] for item in other]
        one = requests.get(f"{url}/@debts/{debt['id']}", auth=people["b"], headers=JSON, timeout=60)
        assert one.status_code == 404

        transaction.begin()
        assert ledger.record_payment(rf, 35050, "T-9", None, "bank", "bank").applied
        transaction.commit()
        (mine,) = [i for i in debts(url, people["a"]).json()["items"] if i["id"] == debt["id"]]
        assert mine["status"] == "paid"

    def test_notes_are_numbered_and_a_reference_is_stored_once(self, site, smtp):
        url, people = site
        first = post_note(url, people["staff"], {**NOTE, "reference": "ΒΣ 17/2026"}).json()
        second = post_note(
            url, people["staff"], {**NOTE, "afm": AFM_B, "amount": None, "amount_cents": 1000}
        )
        assert second.status_code == 201, second.text
        ids = [first["debt"]["id"], second.json()["debt"]["id"]]
        assert re.fullmatch(r"an-\d{4}-000001", ids[0]) and ids[1].endswith("-000002")
        again = post_note(url, people["staff"], {**NOTE, "reference": " ΒΣ  17/2026 "})
        assert error_of(again, 409, "note-exists")["debt"] == ids[0]
        assert sorted(debt.id for debt in notes_stored()) == ids
        assert len(smtp.wait_for(2)) == 2

    def test_a_citizen_without_email_is_not_notified(self, site, smtp):
        url, people = site
        transaction.begin()
        api.user.get(userid=AFM_B).setMemberProperties({"email": ""})
        transaction.commit()
        response = post_note(url, people["staff"], {**NOTE, "afm": AFM_B})
        assert response.status_code == 201 and response.json()["notified"] is False
        assert nothing_sent(smtp)


class TestRefusals:
    @pytest.mark.parametrize(
        ("change", "status", "code", "field"),
        [
            ({"afm": "123456789"}, 400, "bad-afm", "afm"),
            ({"afm": "12345"}, 400, "bad-afm", "afm"),
            ({"afm": make_afm(55555555)}, 400, "unknown-citizen", "afm"),
            ({"amount": "-12,50"}, 400, "bad-amount", "amount"),
            ({"amount": "0,00"}, 400, "bad-amount", "amount"),
            ({"amount": 12.5}, 400, "bad-amount", "amount"),
            ({"amount": None, "amount_cents": "1250"}, 400, "bad-amount", "amount"),
            ({"description": "  "}, 400, "missing", "description"),
            ({"category": "no-such"}, 400, "bad-category", "category"),
            ({"due_date": "31/02/2026"}, 400, "bad-field", "due_date"),
        ],
    )
    def test_bad_input_stores_nothing_and_sends_nothing(
        self, site, smtp, change, status, code, field
    ):
        url, people = site
        error = error_of(post_note(url, people["staff"], {**NOTE, **change}), status, code)
        assert error["field"] == field
        english = post_note(
            url, people["staff"], {**NOTE, **change}, cookies={"I18N_LANGUAGE": "en"}
        )
        assert english.json()["error"]["message"] == error["messages"]["en"]
        assert notes_stored() == [] and nothing_sent(smtp)

    def test_only_revenue_staff_create_notes(self, site, smtp):
        url, people = site
        assert post_note(url, None, NOTE).status_code == 401
        assert post_note(url, people["a"], NOTE).status_code in (401, 403)
        assert notes_stored() == [] and nothing_sent(smtp)


class TestPage:
    def form_token(self, url, auth):
        page = requests.get(f"{url}/@@assessment-note", auth=auth, timeout=60)
        assert page.status_code == 200, page.text
        assert '<label for="note-afm"' in page.text and "Citizen's tax number" in page.text
        return re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)

    def test_the_staff_form_stores_the_note_and_shows_its_rf(self, site, smtp):
        url, people = site
        token = self.form_token(url, people["staff"])
        forged = requests.post(f"{url}/@@assessment-note", data=NOTE, auth=people["staff"])
        assert forged.status_code == 403 and notes_stored() == []
        bad = requests.post(
            f"{url}/@@assessment-note",
            data={**NOTE, "afm": "123456789", "_authenticator": token},
            auth=people["staff"],
            timeout=60,
        )
        assert bad.status_code == 400
        assert "δεν είναι έγκυρος" in bad.text and "is not valid" in bad.text
        assert 'value="Μίσθωμα περιπτέρου' in bad.text or "Μίσθωμα περιπτέρου" in bad.text
        assert notes_stored() == []
        done = requests.post(
            f"{url}/@@assessment-note",
            data={**NOTE, "due_date": "2026-04-30", "_authenticator": token},
            auth=people["staff"],
            allow_redirects=False,
            timeout=60,
        )
        assert done.status_code == 303, done.text
        (debt,) = notes_stored()
        assert done.headers["Location"].startswith(f"{url}/@@assessment-note?created={debt.id}")
        shown = requests.get(done.headers["Location"], auth=people["staff"], timeout=60)
        assert format_rf(debt.pending_rf) in shown.text and "350,50 €" in shown.text
        assert 'id="note-notified"' in shown.text
        assert smtp.wait_for(1)[0].rcpt_tos == (f"{AFM_A}@example.org",)
        citizen = requests.get(f"{url}/@@assessment-note", auth=people["a"], timeout=60)
        assert 'id="note-form"' not in citizen.text  # Plone's "insufficient privileges" page
