"""The network's map in headless Chromium: one marker per spot, a popup, no axe violations.

Tiles come from tile.openstreetmap.org and fail offline: the markers,
popups and controls do not need them. Screenshots go to
var/test-artefacts/hotspots/.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.archive import testing_browser
from dimos.archive.testing_browser import blocking
from dimos.archive.testing_browser import chromium_fixture
from dimos.archive.testing_browser import describe
from dimos.archive.testing_browser import run_axe
from dimos.archive.testing_browser import save_screenshot
from dimos.archive.testing_browser import WINDOW
from plone import api
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import pytest
import transaction


pytestmark = pytest.mark.browser

ARTEFACTS = testing_browser.REPO / "var" / "test-artefacts" / "hotspots"
IT_USER, IT_PASSWORD = "it-officer", "secret-it-1"
SPOTS = (
    ("Πλατεία Αγοράς", 38.0012, 23.7003, "in_service", 5),
    ("Λιμάνι", 37.9965, 23.7061, "in_service", 180),
    ("Δημοτική Βιβλιοθήκη", 38.0039, 23.6971, "maintenance", None),
    ("Αθλητικό Κέντρο", 38.0071, 23.7021, "in_service", 2),
)

driver = chromium_fixture()


@pytest.fixture
def site(functional_portal, driver):
    api.user.create(email="it@example.org", username=IT_USER, password=IT_PASSWORD)
    api.group.add_user(groupname="pliroforiki", username=IT_USER)
    now = datetime.now(UTC)
    with api.env.adopt_roles(["Manager"]):
        for number, (title, lat, lon, status, minutes) in enumerate(SPOTS, 1):
            spot = api.content.create(
                container=functional_portal["hotspots"],
                type="Hotspot",
                title=title,
                latitude=lat,
                longitude=lon,
                address=f"{title} 1",
                area="kentro",
                ssid="Elaionas-Free-WiFi",
                controller_id=f"02:00:00:00:00:{number:02x}",
                status=status,
            )
            spot.last_seen = now - timedelta(minutes=minutes) if minutes else None
    transaction.commit()
    url = functional_portal.absolute_url()
    driver.set_window_size(*WINDOW)
    driver.get(f"{url}/hotspots")
    driver.delete_all_cookies()
    return url


def screenshot(driver, name):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(testing_browser, "ARTEFACTS", ARTEFACTS)
        return save_screenshot(driver, name)


def wait_for(driver, css):
    return WebDriverWait(driver, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def in_plone_toolbar(driver, node):
    target = node.get("target") or []
    if len(target) != 1 or not isinstance(target[0], str):
        return False
    return driver.execute_script(
        "const found = document.querySelector(arguments[0]);"
        "return Boolean(found && found.closest('#edit-bar'));",
        target[0],
    )


def assert_accessible(driver, name):
    """No serious or critical axe-core violation outside Plone's toolbar (``#edit-bar``)."""
    serious = []
    for violation in blocking(run_axe(driver)):
        nodes = [node for node in violation["nodes"] if not in_plone_toolbar(driver, node)]
        if nodes:
            serious.append({**violation, "nodes": nodes})
    assert serious == [], f"axe-core on {name}:\n{describe(serious)}"


def markers(driver):
    wait_for(driver, "#hotspots-map[data-markers]")
    return driver.find_elements(By.CSS_SELECTOR, "#hotspots-map .leaflet-marker-icon")


def test_anyone_sees_one_marker_per_spot_and_its_popup(driver, site):
    driver.get(f"{site}/hotspots")
    found = markers(driver)
    assert len(found) == len(SPOTS)
    assert driver.find_element(By.ID, "hotspots-map").get_attribute("data-markers") == "4"
    # the public markers are all alike: which spots stopped reporting is IT's business
    assert {m.get_attribute("innerHTML").count("dimos-marker-public") for m in found} == {1}
    names = {m.get_attribute("title").split(" — ")[0] for m in found}
    assert names == {title for title, *_rest in SPOTS}
    # the table is still there, for screen readers and without JavaScript
    rows = driver.find_elements(By.CSS_SELECTOR, "#hotspots-table tbody tr")
    assert len(rows) == len(SPOTS)
    attribution = driver.find_element(By.CSS_SELECTOR, ".leaflet-control-attribution").text
    assert "© OpenStreetMap contributors" in attribution

    marker = next(m for m in found if m.get_attribute("data-hotspot") == "limani")
    marker.send_keys(Keys.ENTER)  # the keyboard opens the popup
    popup = WebDriverWait(driver, 60).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, ".leaflet-popup-content .dimos-popup"))
    )
    WebDriverWait(driver, 30).until(lambda d: "Λιμάνι" in popup.text)  # after the fade-in
    assert "Λιμάνι" in popup.text and "Λιμάνι 1" in popup.text
    assert "Σε λειτουργία / In service" in popup.text
    link = popup.find_element(By.CSS_SELECTOR, "a")
    assert link.get_attribute("href") == f"{site}/hotspots/limani"
    screenshot(driver, "hotspots-map")
    assert_accessible(driver, "the hotspots map")

    link.click()
    wait_for(driver, "#hotspot-name")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "el"
    assert driver.find_element(By.ID, "hotspot-name").text == "Λιμάνι"
    assert_accessible(driver, "a hotspot's page")


def test_it_sees_the_markers_coloured_by_state(driver, site):
    driver.get(f"{site}/login")
    wait_for(driver, 'input[name="__ac_name"]').send_keys(IT_USER)
    driver.find_element(By.NAME, "__ac_password").send_keys(IT_PASSWORD, Keys.ENTER)
    wait_for(driver, "#edit-bar")
    driver.get(f"{site}/hotspots")
    found = markers(driver)
    states = {
        m.get_attribute("data-hotspot"): m.find_element(By.CSS_SELECTOR, ".dimos-marker")
        .get_attribute("class")
        .split()[-1]
        for m in found
    }
    assert states == {
        "plateia-agoras": "dimos-marker-ok",
        "limani": "dimos-marker-stale",
        "dimotiki-bibliothiki": "dimos-marker-maintenance",
        "athlitiko-kentro": "dimos-marker-ok",
    }
    assert driver.find_element(By.ID, "hotspots-legend").is_displayed()
    limani = next(m for m in found if m.get_attribute("data-hotspot") == "limani")
    assert "Δεν αναφέρει" in limani.get_attribute("title")
    screenshot(driver, "hotspots-map-it")
    assert_accessible(driver, "the hotspots map for IT")

    # a silent spot's own page, as IT sees it
    driver.get(f"{site}/hotspots/limani")
    flag = wait_for(driver, "#hotspot-stale")
    assert "Δεν αναφέρει" in flag.text
    assert driver.find_element(By.ID, "hotspot-usage-link").is_displayed()
    screenshot(driver, "hotspot-it")
    assert_accessible(driver, "a hotspot's page for IT")
