"""The citizens' pages over HTTP (zope.testbrowser): @@my-debts, @@rf-lookup, the header links.

A citizen sees only their own debts, orders several under one RF code with
a CSRF-protected form, sees the code and pays it; anyone holding a code
sees what it pays. Citizens are Plone users whose id is their ΑΦΜ, logged in
with HTTP Basic here (the Taxisnet login itself is in test_browser_chromium).
"""

from dimos.payments import ledger
from dimos.payments.rf import format_rf
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import sample_site
from plone.testing.zope import Browser
from stdnum import iso11649
from urllib.parse import parse_qs
from urllib.parse import quote
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
import re
import transaction


@pytest.fixture
def site(functional_portal):
    users = sample_site()
    transaction.commit()
    return functional_portal.absolute_url(), users


def visitor(app, auth=None):
    """A browser that shows HTTP errors as pages, as a person would see them."""
    browser = Browser(app)
    browser.raiseHttpErrors = False
    if auth:
        browser.addHeader("Authorization", f"Basic {auth[0]}:{auth[1]}")
    return browser


def status(browser):
    return int(browser.headers["status"].split()[0])


def section(page, element_id):
    """The HTML from the element with ``element_id`` to the end of its section or form."""
    start = page.index(f'id="{element_id}"')
    ends = [page.find(tag, start) for tag in ("</section>", "</form>")]
    return page[start : min(end for end in ends if end > 0)]


def rows(page, table_id):
    """The ``data-debt`` ids of a table's rows, in order."""
    if f'id="{table_id}"' not in page:
        return []
    table = page[page.index(f'id="{table_id}"') : page.index("</table>", page.index(table_id))]
    return re.findall(r'<tr data-debt="([^"]+)"', table)


def token(browser):
    return browser.getControl(name="_authenticator").value


def fresh_debt(debt_id):
    transaction.begin()
    return ledger.get_debt(debt_id)


# --- @@my-debts ---------------------------------------------------------------------


def test_anonymous_visitors_are_offered_the_taxisnet_login(functional_app, site):
    url, _users = site
    browser = visitor(functional_app)
    browser.open(f"{url}/@@my-debts")
    assert status(browser) == 200
    page = browser.contents
    assert "Οι οφειλές μου" in page and "My debts" in page
    login = browser.getLink(id="taxisnet-login-button")
    assert "Σύνδεση με Taxisnet" in login.text
    assert login.url == f"{url}/@@taxisnet-login?came_from={quote(f'{url}/@@my-debts', safe='')}"
    assert browser.getLink(id="rf-lookup-link").url == f"{url}/@@rf-lookup"
    assert "my-debts-form" not in page and "2026-0001" not in page


def test_a_citizen_sees_their_open_debts_formatted(functional_app, site):
    url, users = site
    browser = visitor(functional_app, users["a"])
    browser.open(f"{url}/@@my-debts")
    assert status(browser) == 200
    page = browser.contents
    assert rows(page, "open-debts-table") == ["2026-0003", "2026-0002", "2026-0001", "2026-0004"]
    table = section(page, "open-debts")
    assert "Τέλος κοινοχρήστων χώρων" in table and "Common space fee" in table
    assert "Τραπεζοκαθίσματα, οδός Ερμού 5" in table
    assert "28/02/2026" in table  # due dates as Greeks write them
    for amount in ("1.234,56 €", "61,73 €", "1.296,29 €", "120,00 €", "350,00 €"):
        assert amount in table
    assert re.search(r'id="open-total">1\.806,29 €<', page)
    assert f'id="my-afm">{AFM_A}<' in page
    # nobody else's debts
    assert AFM_B not in page and "2026-0101" not in page and "Ιωάννου" not in page
    assert "Δεν υπάρχουν εξοφλημένες οφειλές" in page


def test_the_form_is_labelled_and_keyboard_ready(functional_app, site):
    url, users = site
    browser = visitor(functional_app, users["a"])
    browser.open(f"{url}/@@my-debts")
    form = section(browser.contents, "my-debts-form")
    assert 'method="post"' in browser.contents and 'name="_authenticator"' in form
    for control_id in re.findall(r'<input type="checkbox"[^>]*id="([^"]+)"', form):
        assert f'<label for="{control_id}">' in form
    assert re.search(r'<button type="submit"[^>]*id="issue-rf"', form)
    assert "Έκδοση κωδικού πληρωμής RF" in form


def choose(browser, *debt_ids):
    boxes = browser.getControl(name="debts:list")
    boxes.value = list(debt_ids)
    browser.getControl(name="issue").click()


def test_a_citizen_gets_one_rf_code_for_two_debts(functional_app, site):
    url, users = site
    browser = visitor(functional_app, users["a"])
    browser.open(f"{url}/@@my-debts")
    choose(browser, "2026-0001", "2026-0003")
    assert status(browser) == 200
    query = parse_qs(urlsplit(browser.url).query)
    rf = query["rf"][0]
    assert browser.url.startswith(f"{url}/@@my-debts?")
    assert iso11649.is_valid(rf)

    page = browser.contents
    assert f'id="order-rf">{format_rf(rf)}<' in page
    assert re.fullmatch(r"RF\d\d( \d{4}){3} \d{1,4}", format_rf(rf))
    assert re.search(r'id="order-amount">160,00 €<', page)
    assert browser.getLink(id="pay-by-card").url == f"{url}/@@pay?{urlencode({'rf': rf})}"
    assert "Πληρωμή με κάρτα" in page

    transaction.begin()
    order = ledger.get_order(rf)
    assert order.afm == AFM_A and order.amount_cents == 16000
    assert set(order.debt_ids) == {"2026-0001", "2026-0003"}
    assert order.created_by == AFM_A
    debt = ledger.get_debt("2026-0001")
    assert debt.pending_rf == rf and debt.audit[-1]["who"] == AFM_A
    assert ledger.get_debt("2026-0002").pending_rf is None
    # the ordered debts say so in the list, with a link back to the code
    listing = section(page, "open-debts")
    assert listing.count(format_rf(rf)) == 2


def test_choosing_nothing_says_so_and_orders_nothing(functional_app, site):
    url, users = site
    browser = visitor(functional_app, users["a"])
    browser.open(f"{url}/@@my-debts")
    browser.getControl(name="issue").click()
    assert status(browser) == 400
    assert 'data-code="no-debts"' in browser.contents
    assert "Επιλέξτε μία ή περισσότερες οφειλές" in browser.contents
    assert "Choose one or more debts" in browser.contents
    assert fresh_debt("2026-0001").pending_rf is None


def test_the_csrf_token_is_required(functional_app, site):
    url, users = site
    browser = visitor(functional_app, users["a"])
    browser.open(f"{url}/@@my-debts")
    good = token(browser)
    for data in (
        {"debts:list": "2026-0001", "issue": "1"},
        {"debts:list": "2026-0001", "issue": "1", "_authenticator": "0" * 40},
    ):
        browser.post(f"{url}/@@my-debts", urlencode(data))
        assert status(browser) == 403
        assert 'data-code="csrf"' in browser.contents
        assert "Η φόρμα έληξε" in browser.contents and "The form has expired" in browser.contents
        # the choice is kept on the page, and nothing was ordered
        assert browser.getControl(name="debts:list").value == ["2026-0001"]
        assert fresh_debt("2026-0001").pending_rf is None
    browser.post(
        f"{url}/@@my-debts", urlencode({"debts:list": "2026-0001", "_authenticator": good})
    )
    assert status(browser) == 200 and "rf=RF" in browser.url
    assert fresh_debt("2026-0001").pending_rf is not None


def test_a_citizen_cannot_order_or_see_another_afm(functional_app, site):
    url, users = site
    other = ledger.issue_order(["2026-0101"], afm=AFM_B, actor=AFM_B)
    transaction.commit()
    browser = visitor(functional_app, users["a"])
    browser.open(f"{url}/@@my-debts")
    browser.post(
        f"{url}/@@my-debts",
        urlencode([("debts:list", "2026-0001"), ("debts:list", "2026-0102"), *_token(browser)]),
    )
    assert status(browser) == 404
    assert "Δεν βρέθηκε η οφειλή «2026-0102»" in browser.contents
    assert fresh_debt("2026-0102").pending_rf is None
    assert fresh_debt("2026-0001").pending_rf is None  # all or nothing

    # B's code, asked for on A's page: not found, exactly as a code nobody has
    browser.open(f"{url}/@@my-debts?{urlencode({'rf': other.rf})}")
    assert status(browser) == 404
    assert 'data-code="order-not-found"' in browser.contents
    assert "Ιωάννου" not in browser.contents and "87,30 €" not in browser.contents
    assert "pay-by-card" not in browser.contents
    # the page has no way to ask for another ΑΦΜ's debts
    browser.open(f"{url}/@@my-debts?{urlencode({'afm': AFM_B})}")
    assert rows(browser.contents, "open-debts-table")[0] == "2026-0003"
    assert "2026-0101" not in browser.contents


def _token(browser):
    return [("_authenticator", token(browser)), ("issue", "1")]


def test_paid_debts_move_to_the_history(functional_app, site):
    url, users = site
    order = ledger.issue_order(["2026-0001", "2026-0004"], afm=AFM_A, actor=AFM_A)
    outcome = ledger.record_payment(
        order.rf, order.amount_cents, "TX-1", None, "gateway", "gateway:test"
    )
    assert outcome.applied
    transaction.commit()
    browser = visitor(functional_app, users["a"])
    browser.open(f"{url}/@@my-debts")
    page = browser.contents
    assert rows(page, "open-debts-table") == ["2026-0003", "2026-0002"]
    assert sorted(rows(page, "paid-debts-table")) == ["2026-0001", "2026-0004"]
    paid = section(page, "paid-debts")
    assert paid.count(format_rf(order.rf)) == 2 and "350,00 €" in paid
    browser.open(f"{url}/@@my-debts?{urlencode({'rf': order.rf})}")
    assert 'data-status="paid"' in browser.contents
    assert "έχει ήδη εξοφληθεί" in browser.contents
    assert "pay-by-card" not in browser.contents


def test_a_member_without_an_afm_is_told_to_use_taxisnet(functional_app, site):
    url, users = site
    browser = visitor(functional_app, users["member"])
    browser.open(f"{url}/@@my-debts")
    assert status(browser) == 200
    assert "δεν συνδέεται με ΑΦΜ" in browser.contents
    assert "my-debts-form" not in browser.contents
    assert "debts-admin-link" not in browser.contents
    staff = visitor(functional_app, users["staff"])
    staff.open(f"{url}/@@my-debts")
    assert staff.getLink(id="debts-admin-link").url == f"{url}/@@debts-admin"


# --- @@rf-lookup ----------------------------------------------------------------------


def test_anyone_with_a_code_sees_what_it_pays(functional_app, site):
    url, _users = site
    order = ledger.issue_order(["2026-0002", "2026-0003"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    browser = visitor(functional_app)
    browser.open(f"{url}/@@rf-lookup")
    assert status(browser) == 200 and "rf-order" not in browser.contents
    browser.getControl(name="rf").value = format_rf(order.rf).lower()  # as typed, in any case
    browser.getForm(id="rf-lookup-form").submit()
    assert status(browser) == 200
    page = browser.contents
    assert f'id="rf-order-code">{format_rf(order.rf)}<' in page
    assert 'id="rf-order-debtor">Π***** Γ*****<' in page
    assert "Παπαδόπουλος" not in page and AFM_A not in page and "2026-0002" not in page
    assert "Τέλος κοινοχρήστων χώρων" in page and "Τραπεζοκαθίσματα, οδός Ερμού 5" in page
    assert "Πρόστιμα ΚΟΚ" in page and "1.296,29 €" in page
    assert re.search(r'id="rf-order-amount">1\.336,29 €<', page)
    assert browser.getLink(id="rf-pay").url == f"{url}/@@pay?{urlencode({'rf': order.rf})}"


@pytest.mark.parametrize(
    "code,status_code,error,words",
    [
        ("RF00123", 400, "bad-rf", "δεν είναι έγκυρος κωδικός RF"),
        ("12345", 400, "bad-rf", "not a valid RF code"),
        ("RF18539007547034", 404, "unknown-rf", "Δεν υπάρχει εντολή πληρωμής"),
    ],
)
def test_a_bad_code_gets_a_clear_error(functional_app, site, code, status_code, error, words):
    url, _users = site
    browser = visitor(functional_app)
    browser.open(f"{url}/@@rf-lookup?{urlencode({'rf': code})}")
    assert status(browser) == status_code
    assert f'data-code="{error}"' in browser.contents and words in browser.contents
    assert 'role="alert"' in browser.contents and 'aria-invalid="true"' in browser.contents
    assert browser.getControl(name="rf").value == code  # what was typed stays
    assert "rf-pay" not in browser.contents


def test_a_superseded_code_cannot_be_paid(functional_app, site):
    url, _users = site
    old = ledger.issue_order(["2026-0001"], afm=AFM_A, actor=AFM_A)
    ledger.issue_order(["2026-0001", "2026-0003"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    browser = visitor(functional_app)
    browser.open(f"{url}/@@rf-lookup?{urlencode({'rf': old.rf})}")
    assert status(browser) == 200
    assert 'data-status="superseded"' in browser.contents
    assert "δεν ισχύει πλέον" in browser.contents and "rf-pay" not in browser.contents


# --- the header links -------------------------------------------------------------------


def test_every_page_links_to_the_payment_pages(functional_app, site):
    url, users = site
    anonymous = visitor(functional_app)
    anonymous.open(url)
    assert anonymous.getLink(id="payments-link-my-debts").url == f"{url}/@@my-debts"
    assert anonymous.getLink(id="payments-link-rf").url == f"{url}/@@rf-lookup"
    assert "payments-link-admin" not in anonymous.contents
    citizen = visitor(functional_app, users["a"])
    citizen.open(url)
    assert "payments-link-admin" not in citizen.contents
    staff = visitor(functional_app, users["staff"])
    staff.open(f"{url}/@@rf-lookup")
    assert staff.getLink(id="payments-link-admin").url == f"{url}/@@debts-admin"


def test_the_example_code_on_the_page_is_a_valid_one(functional_app, site):
    url, _users = site
    browser = visitor(functional_app)
    browser.open(f"{url}/@@rf-lookup?rf=RF00")
    examples = set(re.findall(r"RF\d\d(?: \d{4}){4}", browser.contents))
    assert examples and all(iso11649.is_valid(example) for example in examples)
