"""POST /@payment-orders and GET /@rf/{code} over HTTP: one RF code for several debts, public to its holder."""

from dimos.payments import ledger
from dimos.payments.rf import format_rf
from dimos.payments.rf import make_rf
from dimos.payments.services.rf.get import mask_name
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import NAME_A
from dimos.payments.testing_debts import NAME_B
from dimos.payments.testing_debts import sample_site
from stdnum import iso11649

import datetime
import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def site(functional_portal):
    people = sample_site()
    transaction.commit()
    return functional_portal.absolute_url(), people


def order(url, auth, debts, **kw):
    return requests.post(
        f"{url}/@payment-orders", json={"debts": debts}, auth=auth, headers=JSON, timeout=60, **kw
    )


def rf_info(url, code, **headers):
    return requests.get(f"{url}/@rf/{code}", headers={**JSON, **headers}, timeout=60)


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    return error


def test_mask_name():
    assert mask_name(NAME_A) == "Π***** Γ*****"
    assert mask_name("  ΑΦΟΙ  Κωνσταντίνου Ο.Ε. ") == "Α***** Κ***** Ο*****"
    assert mask_name("") == ""


class TestIssuing:
    def test_a_citizen_gets_one_rf_for_several_of_their_debts(self, site):
        url, people = site
        response = order(url, people["a"], ["2026-0001", "2026-0002", "2026-0001"])
        assert response.status_code == 201, response.text
        issued = response.json()
        assert iso11649.is_valid(issued["rf"]) and issued["rf"][4:8] == "9912"
        assert issued["rf_printed"] == format_rf(issued["rf"])
        assert issued["amount_cents"] == 12000 + 123456 + 6173
        assert issued["amount"] == "1.416,29 €"
        assert issued["debts"] == ["2026-0001", "2026-0002"] and issued["status"] == "pending"
        assert response.headers["Location"] == f"{url}/@rf/{issued['rf']}"
        debts = requests.get(f"{url}/@debts", auth=people["a"], headers=JSON, timeout=60).json()
        pending = {d["id"]: d["pending_rf"] for d in debts["items"]}
        assert pending == {
            "2026-0001": issued["rf"],
            "2026-0002": issued["rf"],
            "2026-0003": None,
            "2026-0004": None,
        }
        transaction.begin()
        assert ledger.get_debt("2026-0001").audit[-1]["who"] == AFM_A

    def test_a_citizen_cannot_order_another_s_debt(self, site):
        url, people = site
        for debts in (["2026-0101"], ["2026-0001", "2026-0102"], ["no-such"]):
            error = error_of(order(url, people["a"], debts), 404, "debt-not-found")
            assert NAME_B not in str(error) and AFM_B not in str(error)
        transaction.begin()
        assert ledger.get_debt("2026-0001").pending_rf is None
        assert ledger.get_debt("2026-0101").pending_rf is None
        assert len(ledger.debt_book().orders) == 0

    def test_bad_requests_are_refused_in_greek_and_english(self, site):
        url, people = site
        error_of(order(url, people["a"], []), 400, "no-debts")
        not_json = requests.post(
            f"{url}/@payment-orders", data=b"debts=1", auth=people["a"], headers=JSON, timeout=60
        )
        error_of(not_json, 400, "bad-body")
        first = order(url, people["a"], ["2026-0003"]).json()
        transaction.begin()
        ledger.record_payment(first["rf"], 4000, "T-1", None, "gateway", "gateway:test")
        transaction.commit()
        error = error_of(order(url, people["a"], ["2026-0003"]), 400, "debt-not-open")
        english = order(url, people["a"], ["2026-0003"], cookies={"I18N_LANGUAGE": "en"})
        assert english.json()["error"]["message"] == error["messages"]["en"]
        assert error["message"] == error["messages"]["el"]

    def test_staff_issue_for_any_debtor_anonymous_and_members_cannot(self, site):
        url, people = site
        issued = order(url, people["staff"], ["2026-0101", "2026-0102"])
        assert issued.status_code == 201, issued.text
        assert issued.json()["afm"] == AFM_B and issued.json()["amount_cents"] == 13730
        error_of(order(url, people["staff"], ["2026-0001", "2026-0101"]), 400, "several-debtors")
        assert order(url, None, ["2026-0001"]).status_code == 401
        error_of(order(url, people["member"], ["2026-0001"]), 403, "no-afm")

    def test_a_new_order_supersedes_the_older_one(self, site):
        url, people = site
        old = order(url, people["a"], ["2026-0001", "2026-0002"]).json()
        new = order(url, people["a"], ["2026-0002"]).json()
        assert rf_info(url, old["rf"]).json()["status"] == "superseded"
        assert rf_info(url, new["rf"]).json()["status"] == "pending"
        transaction.begin()
        outcome = ledger.record_payment(
            old["rf"], old["amount_cents"], "T-old", None, "bank", "bank"
        )
        transaction.commit()
        assert outcome.code == "superseded"
        debts = requests.get(f"{url}/@debts", auth=people["a"], headers=JSON, timeout=60).json()
        assert {d["status"] for d in debts["items"]} == {"open"}


class TestRFLookup:
    def test_anyone_holding_the_code_sees_what_it_pays_and_nothing_else(self, site):
        url, people = site
        issued = order(url, people["a"], ["2026-0002", "2026-0003"]).json()
        for written in (issued["rf"], issued["rf_printed"], issued["rf_printed"].lower()):
            response = rf_info(url, written)
            assert response.status_code == 200, response.text
            found = response.json()
            assert found["rf"] == issued["rf"] and found["amount_cents"] == 129629 + 4000
            assert found["amount"] == "1.336,29 €"
            assert (found["status"], found["payable"]) == ("pending", True)
            assert found["debtor"] == "Π***** Γ*****"
        assert found["debts"] == [
            {
                "category": "common-space",
                "category_title": "Τέλος κοινοχρήστων χώρων",
                "category_title_en": "Common space fee",
                "description": "Τραπεζοκαθίσματα, οδός Ερμού 5",
                "due_date": "2026-02-28",
                "amount_cents": 129629,
                "amount": "1.296,29 €",
            },
            {
                "category": "traffic-fine",
                "category_title": "Πρόστιμα ΚΟΚ",
                "category_title_en": "Traffic fines (KOK)",
                "description": "Οφειλή 2026-0003",
                "due_date": "2026-01-15",
                "amount_cents": 4000,
                "amount": "40,00 €",
            },
        ]
        text = response.text
        for secret in (AFM_A, NAME_A, "Παπαδόπουλος", "2026-0001", "2026-0004", "2026-0002"):
            assert secret not in text, secret

    def test_a_paid_code_says_so(self, site):
        url, people = site
        issued = order(url, people["a"], ["2026-0004"]).json()
        transaction.begin()
        when = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
        ledger.record_payment(issued["rf"], 35000, "T-9", when, "gateway", "gateway:test")
        transaction.commit()
        found = rf_info(url, issued["rf"]).json()
        assert (found["status"], found["payable"]) == ("paid", False)
        assert "T-9" not in str(found)

    def test_malformed_and_unknown_codes(self, site):
        url, _people = site
        error = error_of(rf_info(url, "RF00 1234"), 400, "bad-rf")
        assert "RF00 1234" in error["messages"]["el"]
        english = rf_info(url, "garbage", **{"Accept-Language": "en"})
        assert error_of(english, 400, "bad-rf")["message"].startswith("The payment code")
        error_of(rf_info(url, make_rf(424242, "9912")), 404, "unknown-rf")
        error_of(requests.get(f"{url}/@rf", headers=JSON, timeout=60), 400, "bad-rf")
