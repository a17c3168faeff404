"""A citizen in headless Chromium: Taxisnet login, two debts, one RF code, a card payment, paid.

Everything runs for real on 127.0.0.1: the site (the functional layer's
WSGI server), the local Taxisnet (``TaxisnetStandIn``) and the sandbox card
gateway (``SandboxGateway``), which posts its signed callback to the site.
axe-core finds no serious or critical WCAG 2.1 A/AA violation on the
citizens' pages; screenshots go to var/test-artefacts/payments/.
"""

from dimos.archive import testing_browser
from dimos.archive.testing_browser import blocking
from dimos.archive.testing_browser import chromium_fixture
from dimos.archive.testing_browser import describe
from dimos.archive.testing_browser import PHONE
from dimos.archive.testing_browser import run_axe
from dimos.archive.testing_browser import save_screenshot
from dimos.archive.testing_browser import WINDOW
from dimos.payments import ledger
from dimos.payments.rf import format_rf
from dimos.payments.taxisnet.settings import SECRET_VARIABLE
from dimos.payments.taxisnet.settings import store_settings
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import create_revenue_officer
from dimos.payments.testing_debts import debt_row
from dimos.payments.testing_debts import import_sample
from dimos.payments.testing_debts import PASSWORD
from dimos.payments.testing_debts import REVENUE_OFFICER
from dimos.payments.testing_debts import to_csv
from dimos.payments.testing_gateway import SandboxGateway
from dimos.payments.testing_gateway import use_sandbox
from dimos.payments.testing_taxisnet import GsisUser
from dimos.payments.testing_taxisnet import TaxisnetStandIn
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from stdnum import iso11649
from types import SimpleNamespace
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import transaction


pytestmark = pytest.mark.browser

ARTEFACTS = testing_browser.REPO / "var" / "test-artefacts" / "payments"
CITIZEN = GsisUser("papadopoulos", "kodikos1", AFM_A, "ΓΕΩΡΓΙΟΣ", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΙΩΑΝΝΗΣ")

driver = chromium_fixture()


@pytest.fixture(scope="module")
def sandbox():
    with SandboxGateway(merchant_id="DIMOS-0042") as gateway:
        yield gateway


@pytest.fixture
def site(functional_portal, driver, sandbox, monkeypatch):
    """The site with the sample debts, logging in at a local Taxisnet, paying at the sandbox."""
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    url = functional_portal.absolute_url()
    gsis = TaxisnetStandIn([CITIZEN], redirect_uris=[f"{url}/@@taxisnet-callback"]).start()
    store_settings(
        base_url=gsis.base_url, client_id=gsis.client_id, client_secret=gsis.client_secret
    )
    sandbox.reset()
    use_sandbox(sandbox)
    import_sample()
    transaction.commit()
    driver.set_window_size(*WINDOW)
    driver.get(f"{url}/@@rf-lookup")
    driver.delete_all_cookies()  # a new visitor
    yield SimpleNamespace(url=url, gsis=gsis, sandbox=sandbox)
    gsis.close()


def screenshot(driver, name):
    """``var/test-artefacts/payments/<name>.png`` (the archive's helper, in our folder)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(testing_browser, "ARTEFACTS", ARTEFACTS)
        return save_screenshot(driver, name)


def wait_for(driver, css):
    return WebDriverWait(driver, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def in_plone_toolbar(driver, node):
    """Whether axe's ``node`` is in Plone's own toolbar (``#edit-bar``), not in our page."""
    target = node.get("target") or []
    if len(target) != 1 or not isinstance(target[0], str):
        return False
    return driver.execute_script(
        "const found = document.querySelector(arguments[0]);"
        "return Boolean(found && found.closest('#edit-bar'));",
        target[0],
    )


def assert_accessible(driver, name):
    """No serious or critical violation, but in the toolbar Plone shows logged-in users.

    Plone's toolbar (``#edit-bar``, for every authenticated user) has a link
    with an ``aria-label`` and no role; that is Plone's markup, reported,
    not this page's.
    """
    serious = []
    for violation in blocking(run_axe(driver)):
        nodes = [node for node in violation["nodes"] if not in_plone_toolbar(driver, node)]
        if nodes:
            serious.append({**violation, "nodes": nodes})
    assert serious == [], f"axe-core on {name}:\n{describe(serious)}"


def click(driver, element):
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()


def debt_rows(driver, table_id):
    return [
        row.get_attribute("data-debt")
        for row in driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")
    ]


def log_in_at_taxisnet(driver, user):
    """On the (local) Taxisnet's login page: user name, password, «Σύνδεση»."""
    wait_for(driver, "#taxisnet-login")
    driver.find_element(By.NAME, "j_username").send_keys(user.username)
    driver.find_element(By.NAME, "j_password").send_keys(user.password)
    driver.find_element(By.CSS_SELECTOR, 'button[value="true"]').click()


def test_a_citizen_logs_in_pays_two_debts_and_sees_them_paid(driver, site):
    url = site.url
    driver.get(f"{url}/@@my-debts")
    button = wait_for(driver, "#taxisnet-login-button")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "el"
    screenshot(driver, "my-debts-anonymous")
    assert_accessible(driver, "my debts, anonymous")

    click(driver, button)
    log_in_at_taxisnet(driver, CITIZEN)
    wait_for(driver, "#open-debts-table")
    assert driver.current_url == f"{url}/@@my-debts"
    assert driver.find_element(By.ID, "my-afm").text == AFM_A
    assert debt_rows(driver, "open-debts-table") == [
        "2026-0003",
        "2026-0002",
        "2026-0001",
        "2026-0004",
    ]
    assert driver.find_element(By.ID, "open-total").text == "1.806,29 €"
    screenshot(driver, "my-debts")
    assert_accessible(driver, "my debts")

    # one debt with the keyboard, one by its label; the total of the two follows
    fine = driver.find_element(By.CSS_SELECTOR, 'input[value="2026-0003"]')
    fine.send_keys(Keys.SPACE)
    assert fine.is_selected()
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # focus is visible
    tap = driver.find_element(By.CSS_SELECTOR, 'input[value="2026-0001"]')
    click(driver, driver.find_element(By.CSS_SELECTOR, f'label[for="{tap.get_attribute("id")}"]'))
    assert tap.is_selected()
    assert driver.find_element(By.ID, "selected-total").text == "160,00 €"
    click(driver, driver.find_element(By.ID, "issue-rf"))

    code = wait_for(driver, "#order-rf")
    rf = parse_qs(urlsplit(driver.current_url).query)["rf"][0]
    assert iso11649.is_valid(rf) and code.text == format_rf(rf)
    assert driver.find_element(By.ID, "order-amount").text == "160,00 €"
    screenshot(driver, "my-debts-rf-code")
    assert_accessible(driver, "my debts with the RF code")

    # «Πληρωμή με κάρτα»: the sandbox bank's page, approve
    click(driver, driver.find_element(By.ID, "pay-by-card"))
    wait_for(driver, 'input[name="card_number"]')
    assert driver.current_url.startswith(site.sandbox.payment_url)
    assert driver.find_element(By.ID, "rf").text == rf
    assert driver.find_element(By.ID, "amount").text == "160,00 €"
    driver.find_element(By.NAME, "card_number").send_keys("4111111111111111")
    driver.find_element(By.CSS_SELECTOR, 'button[value="approve"]').click()

    state = wait_for(driver, "#payment-state")
    assert driver.current_url.startswith(f"{url}/@@payment-return?rf={rf}")
    assert state.get_attribute("data-state") == "paid"
    [sent] = site.sandbox.sent
    assert sent.answer["outcome"] == "applied"
    screenshot(driver, "payment-return")

    driver.get(f"{url}/@@my-debts")
    wait_for(driver, "#paid-debts-table")
    assert sorted(debt_rows(driver, "paid-debts-table")) == ["2026-0001", "2026-0003"]
    assert debt_rows(driver, "open-debts-table") == ["2026-0002", "2026-0004"]
    assert format_rf(rf) in driver.find_element(By.ID, "paid-debts").text
    screenshot(driver, "my-debts-paid")
    assert_accessible(driver, "my debts after paying")
    transaction.begin()
    assert ledger.get_order(rf).status == "paid"

    # a phone: nothing wider than the screen
    driver.set_window_size(*PHONE)
    driver.get(f"{url}/@@my-debts")
    wait_for(driver, "#open-debts-table")
    wide = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 1
    screenshot(driver, "my-debts-phone")
    assert_accessible(driver, "my debts on a phone")


def test_anyone_looks_up_a_code_and_is_told_what_is_wrong(driver, site):
    url = site.url
    order = ledger.issue_order(["2026-0002", "2026-0004"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    driver.get(f"{url}/@@rf-lookup")
    field = wait_for(driver, "#rf-lookup-code")
    label = driver.find_element(By.CSS_SELECTOR, 'label[for="rf-lookup-code"]')
    assert "Κωδικός πληρωμής RF" in label.text
    assert_accessible(driver, "the RF look-up page")

    field.send_keys("RF00 1234", Keys.ENTER)
    error = wait_for(driver, "#rf-lookup-error")
    assert error.get_attribute("data-code") == "bad-rf"
    assert "δεν είναι έγκυρος κωδικός RF" in error.text and "not a valid RF code" in error.text
    screenshot(driver, "rf-lookup-error")
    assert_accessible(driver, "the RF look-up page with an error")

    field = driver.find_element(By.ID, "rf-lookup-code")
    assert field.get_attribute("value") == "RF00 1234"  # what was typed stays, to correct
    field.clear()
    field.send_keys(format_rf(order.rf), Keys.ENTER)
    wait_for(driver, "#rf-order")
    assert driver.find_element(By.ID, "rf-order-debtor").text == "Π***** Γ*****"
    assert driver.find_element(By.ID, "rf-order-amount").text == "1.646,29 €"
    assert "Τραπεζοκαθίσματα, οδός Ερμού 5" in driver.find_element(By.ID, "rf-order-debts").text
    screenshot(driver, "rf-lookup")
    assert_accessible(driver, "what an RF code pays")
    pay = driver.find_element(By.ID, "rf-pay")
    click(driver, pay)
    wait_for(driver, 'input[name="card_number"]')
    assert driver.find_element(By.ID, "rf").text == order.rf


def test_the_revenue_staff_imports_and_reads_a_debtors_trail(driver, site, tmp_path):
    url = site.url
    create_revenue_officer(REVENUE_OFFICER)
    transaction.commit()
    driver.get(f"{url}/@@debts-admin")  # to Plone's login form, and back after it
    wait_for(driver, 'input[name="__ac_name"]').send_keys(REVENUE_OFFICER)
    password = driver.find_element(By.NAME, "__ac_password")
    password.send_keys(PASSWORD, Keys.ENTER)
    wait_for(driver, "#import-form")
    assert driver.current_url.startswith(f"{url}/@@debts-admin")
    assert_accessible(driver, "the staff's page")

    csv = tmp_path / "debts.csv"
    csv.write_bytes(
        to_csv([debt_row("2026-0901", AFM_A, amount="15,00"), debt_row("2026-0902", "12345")])
    )
    driver.find_element(By.ID, "import-file").send_keys(str(csv))
    click(driver, driver.find_element(By.ID, "import-submit"))
    report = wait_for(driver, "#import-report")
    assert driver.find_element(By.ID, "import-count-created").text == "1"
    assert driver.find_element(By.ID, "import-count-errors").text == "1"
    assert "12345" in driver.find_element(By.ID, "import-errors").text
    assert "debts.csv" in report.text
    screenshot(driver, "debts-admin-import")
    assert_accessible(driver, "the staff's page with an import report")

    field = driver.find_element(By.ID, "search-afm")
    field.send_keys(AFM_A, Keys.ENTER)
    wait_for(driver, "#debtor")
    first = driver.find_element(By.CSS_SELECTOR, '#debtor [data-debt="2026-0003"]')
    summary = first.find_element(By.TAG_NAME, "summary")
    summary.send_keys(Keys.ENTER)  # the audit trail opens from the keyboard
    trail = first.find_element(By.CSS_SELECTOR, ".dimos-audit-table")
    WebDriverWait(driver, 30).until(lambda d: trail.is_displayed())
    assert "Εισαγωγή από το οικονομικό σύστημα" in trail.text and "test-setup" in trail.text
    assert "Κατηγορία: — → Πρόστιμα ΚΟΚ" in trail.text
    screenshot(driver, "debts-admin-debtor")
    assert_accessible(driver, "a debtor's debts and audit trail")
