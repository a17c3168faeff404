"""A citizen uses the archive in headless Chromium: search, filter, open, read, download, cite.

Also: axe-core finds no serious or critical WCAG 2.1 A/AA violation on the
archive page, a page of results and a decision page; screenshots of them go
to var/test-artefacts/archive/.
"""

from dimos.archive.testing_browser import blocking
from dimos.archive.testing_browser import chromium_fixture
from dimos.archive.testing_browser import describe
from dimos.archive.testing_browser import PHONE
from dimos.archive.testing_browser import run_axe
from dimos.archive.testing_browser import sample_archive
from dimos.archive.testing_browser import save_screenshot
from dimos.archive.testing_browser import SECRET_WORD
from dimos.archive.testing_browser import WINDOW
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import pytest
import requests
import transaction


pytestmark = pytest.mark.browser

driver = chromium_fixture()


@pytest.fixture
def archive(functional_portal, driver):
    records = sample_archive(functional_portal)
    transaction.commit()
    driver.delete_all_cookies()
    driver.set_window_size(*WINDOW)
    return functional_portal.absolute_url(), records


def wait_for(driver, css):
    return WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def hit_links(driver):
    return [
        link.get_attribute("href").split("?")[0]
        for link in driver.find_elements(By.CSS_SELECTOR, "#archive-hits .archive-hit-title a")
    ]


def assert_accessible(driver, name):
    violations = run_axe(driver)
    serious = blocking(violations)
    assert serious == [], f"axe-core on {name}:\n{describe(serious)}"


def click(driver, element):
    """Click as a person would: the element scrolled to the middle of the window first."""
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()


def label_of(driver, control):
    return driver.find_element(By.CSS_SELECTOR, f'label[for="{control.get_attribute("id")}"]')


def test_a_citizen_finds_reads_and_downloads_a_decision(driver, archive):
    site, records = archive
    driver.get(f"{site}/decisions")
    wait_for(driver, "#archive-q")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "el"
    save_screenshot(driver, "archive-page")
    assert_accessible(driver, "the archive page")

    # types the words without accents, as on a phone keyboard
    field = driver.find_element(By.ID, "archive-q")
    assert label_of(driver, field).text == "Αναζήτηση στις αποφάσεις"
    field.send_keys("αποφαση δημοτικου", Keys.ENTER)
    wait_for(driver, "#archive-hits")
    assert "q=" in driver.current_url  # a shareable GET address
    found = hit_links(driver)
    assert records.budget.absolute_url() in found and records.scanned.absolute_url() in found
    marks = [
        mark.text for mark in driver.find_elements(By.CSS_SELECTOR, ".archive-hit-snippet mark")
    ]
    assert any(word.casefold() in ("απόφαση", "αποφαση") for word in marks), marks
    save_screenshot(driver, "results-page")
    assert_accessible(driver, "a page of results")

    # picks a facet: the decisions digitized from paper
    digitized = driver.find_element(By.CSS_SELECTOR, '#facet-origin input[value="digitized"]')
    click(driver, label_of(driver, digitized))
    assert digitized.is_selected()
    click(driver, driver.find_element(By.ID, "archive-apply"))
    WebDriverWait(driver, 30).until(lambda d: "origin=digitized" in d.current_url)
    assert hit_links(driver) == [records.scanned.absolute_url()]
    assert driver.find_element(By.ID, "archive-q").get_attribute("value") == "αποφαση δημοτικου"

    # the page of the scan where the words are
    page_link = driver.find_element(By.CSS_SELECTOR, ".archive-hit-pages a")
    assert page_link.text == "σελ. 2"
    click(driver, page_link)
    wait_for(driver, "#page-2")
    assert driver.current_url.endswith("#page-2")
    marked = [
        mark.text
        for mark in driver.find_elements(By.CSS_SELECTOR, "#page-2 .decision-page-text mark")
    ]
    assert marked[:2] == ["ΑΠΟΦΑΣΗ", "ΔΗΜΟΤΙΚΟΥ"], marked
    image = driver.find_element(By.CSS_SELECTOR, "#page-2 img")
    driver.execute_script("arguments[0].scrollIntoView()", image)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", image
        )
    )
    save_screenshot(driver, "decision-page-scanned")

    # opens the born-digital budget from a search: its text marked, its signed PDF downloaded
    driver.get(f"{site}/decisions?q=αποφαση")
    wait_for(driver, "#archive-hits")
    driver.find_element(
        By.CSS_SELECTOR, f'#archive-hits a[href^="{records.budget.absolute_url()}?"]'
    ).click()
    wait_for(driver, "#decision-details")
    assert [mark.text for mark in driver.find_elements(By.CSS_SELECTOR, ".decision-text mark")] == [
        "απόφαση"
    ]
    save_screenshot(driver, "decision-page")
    assert_accessible(driver, "a decision page")
    link = driver.find_element(By.ID, "download-signed_pdf")
    response = requests.get(link.get_attribute("href"), timeout=30)
    assert response.status_code == 200
    assert response.content[:5] == b"%PDF-"


def test_a_permalink_leads_to_the_decision(driver, archive):
    site, records = archive
    driver.get(f"{site}/decisions/2024/1")
    wait_for(driver, "#decision-permalinks")
    assert driver.current_url == records.budget.absolute_url()
    shown = [
        a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, "#decision-permalinks a")
    ]
    assert f"{site}/decisions/2024/1" in shown
    driver.get(f"{site}/decisions/1979/45")
    wait_for(driver, "#decision-details")
    assert driver.current_url == records.scanned.absolute_url()
    driver.get(f"{site}/decisions/2024/3")  # the draft
    wait_for(driver, "#decision-not-found")
    assert SECRET_WORD not in driver.page_source


def test_drafts_never_show_to_anonymous(driver, archive):
    site, records = archive
    driver.get(f"{site}/decisions")
    wait_for(driver, "#archive-count")
    assert "Βρέθηκαν 4 αποφάσεις" in driver.find_element(By.ID, "archive-count").text
    council = driver.find_element(By.CSS_SELECTOR, '#facet-body input[value="dimotiko-symvoulio"]')
    assert "(3)" in label_of(driver, council).text
    categories = driver.find_element(By.ID, "facet-category").text
    assert "Πολεοδομία" not in categories  # the draft's category
    assert SECRET_WORD not in driver.page_source

    field = driver.find_element(By.ID, "archive-q")
    field.send_keys(SECRET_WORD.lower(), Keys.ENTER)
    wait_for(driver, "#archive-none")
    assert hit_links(driver) == []
    # the open data of the same search: not there either
    for link_id, accept in (
        ("archive-json", "application/json"),
        ("archive-csv", "text/csv"),
        ("archive-atom", "application/atom+xml"),
    ):
        url = driver.find_element(By.ID, link_id).get_attribute("href")
        response = requests.get(url, headers={"Accept": accept}, timeout=30)
        assert response.status_code == 200, url
        assert (
            SECRET_WORD not in response.text and records.secret.absolute_url() not in response.text
        )


def test_english_keyboard_and_phone(driver, archive):
    site, records = archive
    driver.get(f"{site}/decisions")
    wait_for(driver, ".archive-language a")
    click(driver, driver.find_element(By.CSS_SELECTOR, ".archive-language a"))
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    )
    assert driver.find_element(By.TAG_NAME, "h1").text == "Archive of council decisions"
    driver.get(f"{site}/decisions")  # the cookie keeps English
    assert driver.find_element(By.TAG_NAME, "h1").text == "Archive of council decisions"
    assert_accessible(driver, "the archive page in English")

    # keyboard only: a facet with the space bar, the form with Enter
    checkbox = driver.find_element(By.CSS_SELECTOR, '#facet-category input[value="Οικονομικά"]')
    checkbox.send_keys(Keys.SPACE)
    assert checkbox.is_selected()
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # focus is visible
    driver.find_element(By.ID, "archive-q").send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(lambda d: "category=" in d.current_url)
    assert sorted(hit_links(driver)) == sorted(
        [records.budget.absolute_url(), records.amendment.absolute_url()]
    )

    # a phone: one column, nothing wider than the screen
    driver.set_window_size(*PHONE)
    driver.get(f"{site}/decisions?set_language=el")
    wait_for(driver, "#archive-q")
    wide = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wide <= 1
    save_screenshot(driver, "archive-phone")
