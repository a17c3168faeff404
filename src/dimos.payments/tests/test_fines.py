"""Traffic fines over HTTP: the police registers, anyone finds a fine by ticket and plate and pays it."""

from datetime import timedelta
from dimos.payments import ledger
from dimos.payments.fines import traffic
from dimos.payments.fines.settings import fine_settings
from dimos.payments.fines.settings import store_fine_settings
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import create_citizen
from dimos.payments.testing_debts import create_revenue_officer
from dimos.payments.testing_debts import NAME_A
from dimos.payments.testing_debts import PASSWORD
from stdnum import iso11649

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
STAFF = ("revenue-officer", PASSWORD)


@pytest.fixture
def url(functional_portal):
    create_revenue_officer(STAFF[0])
    transaction.commit()
    return functional_portal.absolute_url()


def days_ago(days):
    return (traffic.today_in_greece() - timedelta(days=days)).isoformat()


def ticket(number="Α123456", plate="ΙΚΑ-1234", **fields):
    return {
        "ticket": number,
        "plate": plate,
        "date": days_ago(20),
        "time": "10:15",
        "place": "Οδός Ερμού 5",
        "offence": "parking",
        **fields,
    }


def register(url, body, auth=STAFF, **kw):
    return requests.post(
        f"{url}/@traffic-fines-register", json=body, auth=auth, headers=JSON, timeout=60, **kw
    )


def lookup(url, number, plate, **kw):
    body = {"ticket": number, "plate": plate}
    return requests.post(f"{url}/@traffic-fines/lookup", json=body, headers=JSON, timeout=60, **kw)


def declare(url, **fields):
    return requests.post(f"{url}/@traffic-fines", json=fields, headers=JSON, timeout=60)


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] == error["messages"]["el"] != error["messages"]["en"]
    return error


def stored_fines():
    transaction.begin()  # see what the server's threads committed
    return traffic.fine_book().all()


def table_amount(token):
    transaction.begin()
    return fine_settings().offences[token].amount_cents


class TestLookup:
    def test_a_registered_fine_is_found_by_any_spelling_of_its_plate(self, url):
        registered = register(url, ticket())
        assert registered.status_code == 201, registered.text
        assert registered.json()["items"][0]["fine"]["debt_id"] == "kok-Α123456"
        codes = set()
        for number, plate in (
            ("Α123456", "ΙΚΑ-1234"),
            ("a-123456", "IKA1234"),
            ("α 123 456", "ika 1234"),
            ("A123456", "Ι K Α–1234"),
        ):
            found = lookup(url, number, plate)
            assert found.status_code == 200, found.text
            data = found.json()
            codes.add(data["rf"])
            assert data["fine"]["plate"] == "ΙΚΑ-1234" and data["fine"]["date"] == days_ago(20)
            assert data["fine"]["place"] == "Οδός Ερμού 5" and data["fine"]["time"] == "10:15"
            assert data["fine"]["offence_title"] == "Παράνομη στάθμευση"
            assert data["amount_cents"] == table_amount("parking") and data["status"] == "open"
            assert data["pay_url"] == f"{url}/@@pay?rf={data['rf']}"
        assert len(codes) == 1, "every look-up re-uses the pending order"
        (rf,) = codes
        assert iso11649.is_valid(rf)
        transaction.begin()
        debt = ledger.get_debt("kok-Α123456")
        assert (debt.source, debt.afm, debt.category) == ("traffic-fine", None, "traffic-fine")
        assert debt.pending_rf == rf and debt.audit[0]["who"] == STAFF[0]
        assert len(ledger.debt_book().orders) == 1

    def test_a_wrong_plate_answers_exactly_as_an_unknown_ticket(self, url):
        register(url, ticket())
        wrong_plate = lookup(url, "Α123456", "ΙΚΑ-1235")
        unknown = lookup(url, "Α999999", "ΙΚΑ-1235")
        error = error_of(wrong_plate, 404, "fine-not-found")
        assert error == error_of(unknown, 404, "fine-not-found")
        for secret in ("ΙΚΑ-1234", "Ερμού", "40,00", "4000", "kok-", "parking"):
            assert secret not in wrong_plate.text
        transaction.begin()
        assert len(ledger.debt_book().orders) == 0

    def test_paying_the_rf_marks_the_fine_paid(self, url):
        register(url, ticket())
        rf = lookup(url, "Α123456", "ΙΚΑ-1234").json()["rf"]
        transaction.begin()
        outcome = ledger.record_payment(rf, table_amount("parking"), "T-1", None, "bank", "bank")
        assert outcome.applied
        transaction.commit()
        again = lookup(url, "Α123456", "IKA1234").json()
        assert again["status"] == "paid" and again["rf"] is None and not again["payable"]
        assert again["paid"]["rf"] == rf and set(again["paid"]) == {"at", "rf"}
        transaction.begin()
        assert ledger.get_debt("kok-Α123456").status == "paid"
        assert len(ledger.debt_book().orders) == 1

    def test_a_fine_of_a_known_offender_is_among_their_debts(self, url):
        transaction.begin()
        create_citizen(AFM_A)
        transaction.commit()
        register(url, ticket(afm=AFM_A, name=NAME_A))
        own = requests.get(f"{url}/@debts", auth=(AFM_A, PASSWORD), headers=JSON, timeout=60)
        (debt,) = own.json()["items"]
        assert (debt["id"], debt["source"], debt["name"]) == ("kok-Α123456", "traffic-fine", NAME_A)
        assert lookup(url, "Α123456", "IKA-1234").json()["amount_cents"] == debt["amount_cents"]


class TestDeclaration:
    def test_the_amount_comes_from_the_table_and_the_fine_is_flagged(self, url):
        fields = ticket("778899", "ΚΡΗ-45", offence="parking-disabled", amount="1,00")
        declared = declare(url, **fields)
        assert declared.status_code == 201, declared.text
        data = declared.json()
        assert data["created"] and not data["fine"]["verified"]
        assert data["amount_cents"] == table_amount("parking-disabled") != 100
        assert iso11649.is_valid(data["rf"])
        again = declare(url, **{**fields, "offence": "parking"})
        assert again.status_code == 200 and again.json()["rf"] == data["rf"]
        assert again.json()["amount_cents"] == data["amount_cents"]  # the fine already there
        assert lookup(url, "778899", "KPH45").json()["rf"] == data["rf"]
        (fine,) = stored_fines()
        assert fine.flags == ("self-declared",) and not fine.verified
        assert ledger.get_debt(fine.debt_id).audit[0]["who"] == "anonymous:traffic-fine"
        listing = requests.get(f"{url}/@traffic-fines", auth=STAFF, headers=JSON, timeout=60)
        assert [item["ticket"] for item in listing.json()["items"]] == ["778899"]
        assert listing.json()["items"][0]["flags"] == ["self-declared"]
        error_of(requests.get(f"{url}/@traffic-fines", headers=JSON, timeout=60), 403, "forbidden")

    def test_the_offences_are_listed_for_anyone(self, url):
        offences = requests.get(f"{url}/@traffic-fines/offences", headers=JSON, timeout=60).json()
        tokens = {item["token"]: item["amount_cents"] for item in offences["items"]}
        transaction.begin()
        assert tokens == {t: o.amount_cents for t, o in fine_settings().offences.items()}

    def test_the_police_registration_verifies_a_declaration(self, url):
        rf = declare(url, **ticket()).json()["rf"]
        declare(url, **ticket(plate="ΙΚΒ-1234"))  # another plate for the same ticket
        registered = register(url, ticket(amount="80,00"))
        assert registered.status_code == 200, registered.text  # verified, not created
        found = lookup(url, "Α123456", "ΙΚΑ-1234").json()
        assert found["fine"]["verified"] and found["amount_cents"] == 8000
        assert found["rf"] != rf and iso11649.is_valid(found["rf"])
        transaction.begin()
        assert ledger.get_order(rf).status == "cancelled"
        fines = {fine.plate: fine for fine in stored_fines()}
        assert fines["ΙΚΑ-1234"].flags == ("other-plate-on-ticket",)
        assert set(fines["ΙΚΒ-1234"].flags) == {"self-declared", "other-plate-on-ticket"}
        assert not fines["ΙΚΒ-1234"].verified


class TestBadInput:
    def test_anonymous_look_ups_and_declarations(self, url):
        error_of(lookup(url, "Α123456", "ΙΚΑ-12345"), 400, "bad-plate")
        error_of(lookup(url, "12", "ΙΚΑ-1234"), 400, "bad-ticket")
        english = lookup(url, "12", "ΙΚΑ-1234", cookies={"I18N_LANGUAGE": "en"})
        assert english.json()["error"]["message"].startswith("The ticket number")
        for change, code in (
            ({"plate": "XYZ"}, "bad-plate"),
            ({"offence": "speeding-on-the-moon"}, "unknown-offence"),
            ({"date": "32/01/2026"}, "bad-date"),
            ({"date": days_ago(-3)}, "future-date"),
        ):
            error = error_of(declare(url, **ticket(**change)), 400, code)
            assert error["field"] == next(iter(change))
        form = {"Accept": "application/json"}
        not_json = requests.post(f"{url}/@traffic-fines", data=ticket(), headers=form, timeout=60)
        assert not_json.status_code == 415
        assert stored_fines() == [] and len(ledger.debt_book().debts) == 0

    def test_staff_registrations_are_all_or_nothing(self, url):
        assert register(url, ticket(), auth=None).status_code == 401
        error = error_of(register(url, ticket(amount="-40")), 400, "bad-amount")
        assert error["field"] == "amount" and error["row"] == 1
        rows = [ticket(), ticket("Α123457", plate="ΙΚΑ 1234 Χ")]
        error = error_of(register(url, {"fines": rows}), 400, "bad-plate")
        assert error["row"] == 2
        error_of(register(url, {"fines": [ticket(), ticket()]}), 400, "repeated-ticket")
        assert stored_fines() == [] and len(ledger.debt_book().debts) == 0
        assert register(url, {"fines": rows[:1]}).status_code == 201
        same = register(url, ticket())
        assert same.status_code == 200 and same.json()["created"] == 0
        other = register(url, {"fines": [ticket("Α200000"), ticket(place="Αθηνάς 1")]})
        error_of(other, 409, "ticket-registered")
        assert [fine.ticket for fine in stored_fines()] == ["Α123456"]
        assert ledger.get_debt("kok-Α200000") is None


class TestReduction:
    def test_off_by_default_then_shown_and_charged_within_the_days(self, url):
        register(url, {"fines": [ticket("100001", date=days_ago(2)), ticket("100002")]})
        assert lookup(url, "100001", "ΙΚΑ-1234").json()["reduction"] is None
        transaction.begin()
        store_fine_settings(reduction_enabled=True, reduction_days=10, reduction_percent=50)
        transaction.commit()
        register(url, {"fines": [ticket("100003", date=days_ago(2)), ticket("100004")]})
        full = table_amount("parking")
        recent = lookup(url, "100003", "IKA1234").json()
        assert recent["amount_cents"] == full - full * 50 // 100
        assert recent["reduction"]["until"] == days_ago(2 - 10)
        assert recent["reduction"]["full_amount_cents"] == full
        old = lookup(url, "100004", "IKA1234").json()  # 20 days ago: too late
        assert old["reduction"] is None and old["amount_cents"] == full
        transaction.begin()
        later = traffic.today_in_greece() + timedelta(days=9)
        expired = traffic.lookup_fine("100003", "ΙΚΑ-1234", today=later)
        assert expired.debt.amount_cents == full and expired.order.amount_cents == full
        assert expired.order.rf != recent["rf"]
        assert ledger.get_order(recent["rf"]).status == "cancelled"
        assert expired.debt.audit[-2]["action"] == "reduction-expired"
        assert expired.to_json()["reduction"] is None
        transaction.abort()  # leave the ledger's lock


class TestPage:
    def page(self, url, **form):
        return requests.post(f"{url}/@@traffic-fine", data=form, timeout=60)

    def test_the_form_has_labels_and_leads_to_pay(self, url):
        shown = requests.get(f"{url}/@@traffic-fine", timeout=60)
        assert shown.status_code == 200
        assert '<label for="fine-ticket-input"' in shown.text and "Ticket number" in shown.text
        assert 'id="fine-declare"' not in shown.text
        register(url, ticket())
        found = self.page(url, step="lookup", ticket="a123456", plate="ika1234")
        assert found.status_code == 200, found.text
        rf = lookup(url, "Α123456", "ΙΚΑ-1234").json()["rf"]
        assert f"@@pay?rf={rf}" in found.text and 'name="rf"' in found.text
        assert "Παράνομη στάθμευση" in found.text and "Οδός Ερμού 5" in found.text

    def test_not_found_offers_the_declaration_and_it_gives_an_rf(self, url):
        missing = self.page(url, step="lookup", ticket="555555", plate="ΡΡΡ-9")
        assert missing.status_code == 404
        assert "Δεν βρέθηκε κλήση" in missing.text and "No ticket was found" in missing.text
        assert '<select name="offence"' in missing.text and "40,00 €" in missing.text
        bad = self.page(url, step="declare", ticket="555555", plate="ΡΡΡ-9", date="", offence="")
        assert bad.status_code == 400 and "Date of the ticket" in bad.text
        assert "ticket's date" in bad.text or "Ticket date" in bad.text
        assert stored_fines() == []
        done = self.page(
            url, step="declare", ticket="555555", plate="ΡΡΡ-9", date=days_ago(1), offence="parking"
        )
        assert done.status_code == 200, done.text
        (fine,) = stored_fines()
        rf = ledger.get_debt(fine.debt_id).pending_rf
        assert f"@@pay?rf={rf}" in done.text and "δεν έχει ακόμη καταχωριστεί" in done.text
