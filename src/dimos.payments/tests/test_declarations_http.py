"""Fee declarations over HTTP: ``/@fee-declarations`` and the ``@@fee-declaration`` form."""

from datetime import timedelta
from dimos.payments import ledger
from dimos.payments.declarations.book import declarations_of
from dimos.payments.declarations.book import today
from dimos.payments.declarations.testing import install_rates
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import create_citizen
from dimos.payments.testing_debts import create_revenue_officer
from dimos.payments.testing_debts import MEMBER_WITHOUT_AFM
from dimos.payments.testing_debts import PASSWORD
from plone import api
from stdnum import iso11649

import html
import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
A, B = (AFM_A, PASSWORD), (AFM_B, PASSWORD)
STAFF = ("revenue-officer", PASSWORD)
MEMBER = (MEMBER_WITHOUT_AFM, PASSWORD)
# Last month: ended, and its deadline (the end of this month) not passed: no penalty.
LAST_MONTH = today().replace(day=1) - timedelta(days=1)
PERIOD = f"{LAST_MONTH:%Y-%m}"


@pytest.fixture
def site(functional_portal):
    create_citizen(AFM_A)
    create_citizen(AFM_B)
    create_revenue_officer()
    api.user.create(email="m@example.org", username=MEMBER_WITHOUT_AFM, password=PASSWORD)
    install_rates()
    transaction.commit()
    return functional_portal.absolute_url()


def declare(url, auth, **body):
    data = {
        "fee": "gross-revenue",
        "period": PERIOD,
        "gross_revenue": "12.345,67",
        "category": "restaurant",
    }
    data.update(body)
    return requests.post(f"{url}/@fee-declarations", json=data, auth=auth, headers=JSON, timeout=60)


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    return error


def stored(afm):
    transaction.begin()
    return declarations_of(afm)


def test_a_business_declares_and_gets_an_rf(site):
    response = declare(site, A)
    assert response.status_code == 201, response.text
    made = response.json()
    assert (made["fee_cents"], made["penalty_cents"], made["total"]) == (6173, 0, "61,73 €")
    assert made["afm"] == AFM_A and made["name"] == "Παπαδόπουλος Γεώργιος"
    assert made["status"] == "open" and made["version"] == 1
    assert iso11649.is_valid(made["rf"])
    assert response.headers["Location"] == f"{site}/@rf/{made['rf']}"
    public = requests.get(f"{site}/@rf/{made['rf']}", headers=JSON, timeout=60).json()
    assert public["amount_cents"] == 6173
    mine = requests.get(f"{site}/@fee-declarations", auth=A, headers=JSON, timeout=60).json()
    assert [item["rf"] for item in mine["items"]] == [made["rf"]]
    theirs = requests.get(f"{site}/@fee-declarations", auth=B, headers=JSON, timeout=60).json()
    assert theirs["items"] == []
    peek = requests.get(
        f"{site}/@fee-declarations", params={"afm": AFM_A}, auth=B, headers=JSON, timeout=60
    )
    error_of(peek, 403, "not-yours")


def test_a_correction_replaces_the_unpaid_declaration(site):
    first = declare(site, A).json()
    second = declare(site, A, gross_revenue="20.000,00")
    assert second.status_code == 201, second.text
    assert (second.json()["version"], second.json()["fee_cents"]) == (2, 10000)
    old = requests.get(f"{site}/@rf/{first['rf']}", headers=JSON, timeout=60).json()
    assert old["status"] == "cancelled"
    transaction.begin()
    ledger.record_payment(second.json()["rf"], 10000, "T-9", None, "bank", "bank")
    transaction.commit()
    error = error_of(declare(site, A, gross_revenue="1,00"), 400, "declaration-paid")
    assert "Υπηρεσία Εσόδων" in error["messages"]["el"]
    (kept,) = stored(AFM_A)
    assert kept.version == 2 and kept.fee_cents == 10000


def test_only_staff_declare_for_others_or_with_another_date(site):
    error_of(declare(site, A, afm=AFM_B), 403, "staff-only")
    error_of(declare(site, A, declared_on="2026-01-01"), 403, "staff-only")
    assert declare(site, A, afm=AFM_A).status_code == 201  # one's own ΑΦΜ is fine
    error_of(declare(site, MEMBER), 403, "no-afm")
    assert declare(site, None).status_code == 401
    assert stored(AFM_B) == []
    by_staff = declare(site, STAFF, afm=AFM_B)
    assert by_staff.status_code == 201 and by_staff.json()["afm"] == AFM_B


def test_staff_enter_a_late_paper_declaration_with_its_penalty(site):
    response = declare(
        site, STAFF, afm=AFM_B, period="2026-01", declared_on="2026-03-01", name="Η Ελιά"
    )
    assert response.status_code == 201, response.text
    made = response.json()
    # deadline 28/02/2026; 01/03 starts the first month; 61,73 € × 2,5% = 1,54 €
    assert (made["deadline"], made["months_late"], made["penalty_cents"]) == ("2026-02-28", 1, 154)
    assert made["audit"][0]["who"] == "revenue-officer"
    transaction.begin()
    debt = ledger.get_debt(made["debt"])
    assert (debt.afm, debt.amount_cents, debt.surcharge_cents) == (AFM_B, 6173, 154)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"gross_revenue": "12.345"}, "bad-amount", "gross_revenue"),
        ({"gross_revenue": "-5"}, "bad-amount", "gross_revenue"),
        ({"period": "2099-01"}, "period-not-ended", "period"),
        ({"period": "last month"}, "bad-period", "period"),
        ({"category": "bank"}, "bad-category", "category"),
        ({"fee": None}, "bad-fee", "fee"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(site, body, code, field):
    error = error_of(declare(site, A, **body), 400, code)
    if field:
        assert error["field"] == field
    assert stored(AFM_A) == []


def test_json_numbers_are_read_exactly(site):
    response = declare(site, A, gross_revenue=12345.67)  # JSON number, read as a Decimal
    assert response.status_code == 201, response.text
    assert response.json()["gross_revenue_cents"] == 1234567


def test_errors_come_in_the_callers_language(site):
    response = requests.post(
        f"{site}/@fee-declarations",
        json={"fee": "gross-revenue", "period": "nope", "gross_revenue": "1", "category": "cafe"},
        auth=A,
        headers={**JSON, "Accept-Language": "en"},
        timeout=60,
    )
    error = error_of(response, 400, "bad-period")
    assert error["message"] == error["messages"]["en"]


# --- the Classic UI form -----------------------------------------------------------------


def token_of(page):
    return re.search(r'name="_authenticator"\s+value="([^"]+)"', page).group(1)


def test_the_form_declares_without_javascript(site):
    url = f"{site}/@@fee-declaration"
    page = requests.get(url, auth=A, timeout=60)
    assert page.status_code == 200
    assert "Δήλωση τέλους ακαθαρίστων εσόδων" in page.text and 'value="restaurant"' in page.text
    form = {
        "_authenticator": token_of(page.text),
        "fee": "gross-revenue",
        "period": PERIOD,
        "category": "restaurant",
        "gross_revenue": "12.345,67",
        "name": "Η Ελιά",
        "form.submitted": "1",
    }
    done = requests.post(url, data=form, auth=A, timeout=60)
    assert done.status_code == 200, done.text
    assert 'id="declaration-result"' in done.text and "61,73 €" in done.text
    (declaration,) = stored(AFM_A)
    assert declaration.name == "Η Ελιά"
    assert iso11649.format(declaration.rf) in done.text
    assert f"@@pay?rf={declaration.rf}" in done.text


def test_the_form_shows_errors_beside_the_field_and_keeps_the_input(site):
    url = f"{site}/@@fee-declaration"
    token = token_of(requests.get(url, auth=A, timeout=60).text)
    form = {
        "_authenticator": token,
        "fee": "gross-revenue",
        "period": PERIOD,
        "category": "restaurant",
        "gross_revenue": "12.345",
        "form.submitted": "1",
    }
    refused = requests.post(url, data=form, auth=A, timeout=60)
    assert refused.status_code == 400
    beside = re.search(r'id="gross_revenue-error".*?</div>', refused.text, re.S).group(0)
    assert "ασαφές" in html.unescape(beside) and "ambiguous" in beside
    assert 'value="12.345"' in refused.text
    assert stored(AFM_A) == []
    forged = requests.post(url, data={**form, "_authenticator": "forged"}, auth=A, timeout=60)
    assert forged.status_code == 403 and "Η φόρμα έληξε" in forged.text
    assert requests.get(url, auth=MEMBER, timeout=60).status_code == 403
