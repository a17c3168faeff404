"""The revenue staff's page @@debts-admin over HTTP (zope.testbrowser).

Only those who may manage debts open it; uploads need the CSRF token. The
import report names rows; a debtor's debts show their audit trail; the
payments needing attention are listed; the bank file is reconciled line by
line, and uploading it again pays nothing twice.
"""

from dimos.payments import ledger
from dimos.payments.rf import format_rf
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_C
from dimos.payments.testing_debts import debt_row
from dimos.payments.testing_debts import REVENUE_OFFICER
from dimos.payments.testing_debts import sample_site
from dimos.payments.testing_debts import to_csv
from dimos.payments.testing_debts import to_json
from plone.testing.zope import Browser
from urllib.parse import urlencode

import pytest
import re
import transaction


@pytest.fixture
def site(functional_portal):
    users = sample_site()
    transaction.commit()
    return functional_portal.absolute_url(), users


def visitor(app, auth=None):
    browser = Browser(app)
    browser.raiseHttpErrors = False
    if auth:
        browser.addHeader("Authorization", f"Basic {auth[0]}:{auth[1]}")
    return browser


def status(browser):
    return int(browser.headers["status"].split()[0])


def admin(app, site):
    url, users = site
    browser = visitor(app, users["staff"])
    browser.open(f"{url}/@@debts-admin")
    assert status(browser) == 200
    return browser


def count(page, name):
    return int(re.search(rf'id="{name}">(\d+)<', page).group(1))


def upload(browser, form_id, field, data, filename, content_type="text/csv"):
    form = browser.getForm(id=form_id)
    form.getControl(name=field).add_file(data, content_type, filename)
    form.submit()


# --- who may open it ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(functional_app, site):
    url, _users = site
    browser = visitor(functional_app)
    browser.open(f"{url}/@@debts-admin?{urlencode({'afm': AFM_A})}")
    assert browser.url.startswith(f"{url}/login?came_from=")
    assert "debts-admin" in browser.url  # back here after logging in
    assert "import-form" not in browser.contents and "2026-0001" not in browser.contents


@pytest.mark.parametrize("who", ["a", "member"])
def test_citizens_and_members_cannot_open_it(functional_app, site, who):
    url, users = site
    browser = visitor(functional_app, users[who])
    browser.open(f"{url}/@@debts-admin?{urlencode({'afm': AFM_A})}")
    assert browser.url == f"{url}/insufficient-privileges"
    assert "import-form" not in browser.contents and "2026-0001" not in browser.contents


def test_the_staff_page_has_its_four_parts(functional_app, site):
    browser = admin(functional_app, site)
    page = browser.contents
    for part in ("import-form", "search-form", "attention", "reconcile-form"):
        assert f'id="{part}"' in page
    assert "Διαχείριση οφειλών" in page and "Debts administration" in page
    assert '<label for="import-file"' in page and '<label for="bank-file"' in page
    assert '<label for="search-afm"' in page
    assert "Καμία πληρωμή δεν χρειάζεται έλεγχο" in page


# --- the import ---------------------------------------------------------------------


def test_a_csv_import_reports_by_row_and_again_changes_nothing(functional_app, site):
    rows = [
        debt_row("2026-0501", AFM_C, amount="99,90"),
        debt_row("2026-0502", "123456789"),  # row 3: not a valid ΑΦΜ
        debt_row("2026-0001", AFM_A, category="property-tap", amount="125,00"),  # row 4: updated
    ]
    data = to_csv(rows)
    browser = admin(functional_app, site)
    upload(browser, "import-form", "import_file", data, "debts.csv")
    assert status(browser) == 200
    page = browser.contents
    report = page[page.index('id="import-report"') :]
    assert "debts.csv" in report
    assert count(report, "import-count-created") == 1
    assert count(report, "import-count-updated") == 1
    assert count(report, "import-count-errors") == 1
    errors = report[report.index('id="import-errors"') : report.index("</table>")]
    assert re.search(r"<td>3</td>\s*<td>2026-0502</td>\s*<td>afm</td>", errors)
    assert "Ο ΑΦΜ «123456789» δεν είναι έγκυρος" in errors and "is not valid" in errors
    transaction.begin()
    assert ledger.get_debt("2026-0501").amount_cents == 9990
    assert ledger.get_debt("2026-0001").amount_cents == 12500
    assert ledger.get_debt("2026-0502") is None
    assert ledger.get_debt("2026-0501").audit[-1]["who"] == REVENUE_OFFICER

    browser.open(browser.url.split("#")[0])
    upload(browser, "import-form", "import_file", data, "debts.csv")
    report = browser.contents[browser.contents.index('id="import-report"') :]
    assert count(report, "import-count-created") == 0
    assert count(report, "import-count-updated") == 0
    assert count(report, "import-count-unchanged") == 2


def test_a_json_import_and_a_conflict_with_a_pending_order(functional_app, site):
    url, _users = site
    order = ledger.issue_order(["2026-0001"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    rows = [
        debt_row("2026-0001", AFM_A, category="property-tap", amount="130,00"),
        debt_row("2026-0601", AFM_C, amount="1.500,00"),
    ]
    browser = admin(functional_app, site)
    upload(browser, "import-form", "import_file", to_json(rows), "debts.json", "application/json")
    page = browser.contents
    assert count(page, "import-count-created") == 1 and count(page, "import-count-conflicts") == 1
    conflicts = page[page.index('id="import-conflicts"') :]
    assert re.search(r"<td>1</td>\s*<td>2026-0001</td>", conflicts)
    assert f"είναι σε εκκρεμή εντολή πληρωμής {order.rf}" in conflicts
    transaction.begin()
    assert ledger.get_debt("2026-0001").amount_cents == 12000  # untouched
    assert ledger.get_debt("2026-0601").amount_cents == 150000


@pytest.mark.parametrize(
    "data,filename,code,words",
    [
        (b"id;afm;name\n1;2;3\n", "debts.csv", "bad-header", "λείπουν οι στήλες"),
        (b"", "debts.csv", "empty-file", "Το αρχείο είναι κενό"),
        (b"PK\x03\x04", "debts.xlsx", "bad-file-type", "δεν είναι αποδεκτού τύπου"),
        (b"\xff\xfe\x00bad", "debts.csv", "not-utf8", "UTF-8"),
    ],
)
def test_a_refused_file_imports_nothing_and_says_why(
    functional_app, site, data, filename, code, words
):
    browser = admin(functional_app, site)
    upload(browser, "import-form", "import_file", data, filename)
    assert status(browser) == 400
    error = browser.contents[browser.contents.index('id="import-error"') :]
    assert f'data-code="{code}"' in error[:200] and words in error
    assert "import-report" not in browser.contents


def test_an_upload_needs_the_csrf_token(functional_app, site):
    url, _users = site
    browser = admin(functional_app, site)
    form = browser.getForm(id="import-form")
    form.getControl(name="_authenticator").value = "forged"
    form.getControl(name="import_file").add_file(
        to_csv([debt_row("2026-0701", AFM_C)]), "text/csv", "debts.csv"
    )
    form.submit()
    assert status(browser) == 403
    assert 'data-code="csrf"' in browser.contents and "Η φόρμα έληξε" in browser.contents
    transaction.begin()
    assert ledger.get_debt("2026-0701") is None


# --- the debtor and the audit trail ----------------------------------------------------


def test_a_debtor_by_afm_with_each_debts_audit_trail(functional_app, site):
    order = ledger.issue_order(["2026-0002"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    browser = admin(functional_app, site)
    form = browser.getForm(id="search-form")
    form.getControl(name="afm").value = f" {AFM_A} "
    form.submit()
    assert status(browser) == 200
    page = browser.contents
    debtor = page[page.index('id="debtor"') : page.index('id="attention"')]
    assert f'data-afm="{AFM_A}"' in page and "Παπαδόπουλος Γεώργιος" in debtor
    assert re.findall(r'<article class="dimos-debt" data-debt="([^"]+)"', debtor) == [
        "2026-0003",
        "2026-0002",
        "2026-0001",
        "2026-0004",
    ]
    assert re.search(r'id="debtor-open-total">1\.806,29 €<', debtor)
    debt = debtor[debtor.index('data-debt="2026-0002"') : debtor.index('data-debt="2026-0001"')]
    assert format_rf(order.rf) in debt and "@@rf-lookup?rf=" in debt
    trail = debt[debt.index("<details") :]
    actions = re.findall(r'<tr data-action="([^"]+)"', trail)
    assert actions == ["order-issued", "imported"]  # the latest first
    issued = trail[: trail.index('data-action="imported"')]
    assert "Έκδοση κωδικού RF" in issued and f"<td>{AFM_A}</td>" in issued
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", issued)
    assert format_rf(order.rf) in issued  # pending RF: — → the code
    imported = trail[trail.index('data-action="imported"') :]
    assert "<td>test-setup</td>" in imported
    assert "1.234,56 €" in imported and "61,73 €" in imported and "28/02/2026" in imported
    assert "Ιωάννου" not in page  # B is not asked for


@pytest.mark.parametrize("afm", ["123456789", "abc", "12345678"])
def test_an_invalid_afm_is_refused_clearly(functional_app, site, afm):
    url, users = site
    browser = visitor(functional_app, users["staff"])
    browser.open(f"{url}/@@debts-admin?{urlencode({'afm': afm})}")
    assert status(browser) == 400
    error = browser.contents[browser.contents.index('id="search-error"') :]
    assert 'data-code="bad-afm"' in error[:200] and "δεν είναι έγκυρος" in error
    assert 'aria-invalid="true"' in browser.contents
    assert browser.getControl(name="afm").value == afm
    assert 'id="debtor"' not in browser.contents


# --- payments needing attention and the bank's file ----------------------------------------


def test_payments_needing_attention_are_listed(functional_app, site):
    order = ledger.issue_order(["2026-0001"], afm=AFM_A, actor=AFM_A)
    ledger.record_payment(order.rf, 12100, "TX-WRONG", None, "gateway", "gateway:test")
    ledger.record_payment("RF18539007547034", 500, "TX-UNKNOWN", None, "bank-file", "bank")
    transaction.commit()
    browser = admin(functional_app, site)
    table = browser.contents[browser.contents.index('id="attention-table"') :]
    assert re.findall(r'data-code="([^"]+)" data-transaction="([^"]+)"', table) == [
        ("wrong-amount", "TX-WRONG"),
        ("unknown-rf", "TX-UNKNOWN"),
    ]
    assert "121,00 €" in table and "Λάθος ποσό" in table and "Άγνωστος κωδικός RF" in table
    assert format_rf(order.rf) in table


def bank_file(*lines):
    header = "ημερομηνία;αναφορά;κωδικός RF;ποσό;κανάλι"
    return ("\n".join((header, *lines)) + "\n").encode("utf-8")


def test_the_bank_file_is_reconciled_and_never_pays_twice(functional_app, site):
    order = ledger.issue_order(["2026-0001", "2026-0003"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    data = bank_file(
        f"02/03/2026;EB-0001;{format_rf(order.rf)};160,00;e-banking",
        "02/03/2026;EB-0002;RF00123;10,00;atm",
    )
    browser = admin(functional_app, site)
    upload(browser, "reconcile-form", "bank_file", data, "bank.csv")
    assert status(browser) == 200
    report = browser.contents[browser.contents.index('id="reconcile-report"') :]
    assert count(report, "reconcile-count-matched") == 1
    assert count(report, "reconcile-count-malformed") == 1
    assert re.findall(r'data-category="([^"]+)"', report) == ["matched", "malformed"]
    assert "Γραμμή 3:" in report and "δεν είναι έγκυρος κωδικός RF" in report
    transaction.begin()
    assert ledger.get_order(order.rf).status == "paid"
    assert ledger.get_debt("2026-0003").status == "paid"

    browser.open(browser.url.split("#")[0])
    upload(browser, "reconcile-form", "bank_file", data, "bank.csv")
    report = browser.contents[browser.contents.index('id="reconcile-report"') :]
    assert count(report, "reconcile-count-matched") == 0
    assert count(report, "reconcile-count-already-recorded") == 1
    transaction.begin()
    assert len(ledger.get_order(order.rf).payments) == 1


def test_a_bank_file_with_a_wrong_header_records_nothing(functional_app, site):
    order = ledger.issue_order(["2026-0001"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    data = f"date;rf;amount\n02/03/2026;{order.rf};120,00\n".encode()
    browser = admin(functional_app, site)
    upload(browser, "reconcile-form", "bank_file", data, "bank.csv")
    assert status(browser) == 400
    error = browser.contents[browser.contents.index('id="reconcile-error"') :]
    assert 'data-code="bad-header"' in error[:200] and "bank_reference" in error
    transaction.begin()
    assert ledger.get_order(order.rf).status == "pending"
