"""The splash page in headless Chromium on a 320 px phone: readable, and no serious axe-core finding.

Real Chromium (dimos.archive.testing_browser) against the functional layer's
WSGI server; axe-core checks WCAG 2.1 A/AA on the Greek and the English page,
with an alert of each severity colour. Screenshots go to
var/test-artefacts/archive/hotspots-splash-*.png.
"""

from datetime import timedelta
from dimos.archive.testing_browser import blocking
from dimos.archive.testing_browser import chromium_fixture
from dimos.archive.testing_browser import describe
from dimos.archive.testing_browser import run_axe
from dimos.archive.testing_browser import save_screenshot
from dimos.hotspots.portal.testing import create_alert
from dimos.hotspots.portal.testing import create_event
from dimos.hotspots.portal.testing import create_hotspot
from dimos.hotspots.portal.testing import create_news
from dimos.hotspots.portal.testing import now
from selenium.webdriver.common.by import By

import pytest
import transaction


pytestmark = pytest.mark.browser

SMALL_PHONE = (320, 640)

driver = chromium_fixture(size=SMALL_PHONE)


@pytest.fixture
def site(functional_portal):
    portal = functional_portal
    moment = now().replace(second=0, microsecond=0)
    create_hotspot(portal)
    for severity in ("Extreme", "Severe", "Moderate", "Minor", "Unknown"):
        create_alert(
            portal,
            f"Ειδοποίηση ({severity}): κλειστή η παραλιακή οδός",
            severity=severity,
            headline_en=f"Alert ({severity}): the seafront road is closed",
        )
    for days in range(1, 4):
        create_news(
            portal,
            f"Ανακοίνωση {days}: νέο ωράριο του δημαρχείου",
            moment - timedelta(days=days),
            description="Το δημαρχείο θα είναι ανοιχτό και τα απογεύματα της Τετάρτης.",
        )
    create_event(
        portal,
        "Θερινός κινηματογράφος στην πλατεία",
        moment.replace(hour=21, minute=0) + timedelta(days=1),
        location="Πλατεία Ελευθερίας",
        area="kentro",
    )
    transaction.commit()
    return portal.absolute_url()


@pytest.mark.parametrize("lang", ["el", "en"])
def test_the_splash_page_on_a_small_phone_passes_axe(site, driver, lang):
    driver.set_window_size(*SMALL_PHONE)
    driver.get(f"{site}/hotspots/plateia/@@portal?lang={lang}")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    alerts = driver.find_elements(By.CSS_SELECTOR, "[role=alert]")
    assert len(alerts) == 5
    # Readable at 320 px: nothing wider than the screen, so no sideways scrolling.
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= driver.execute_script("return window.innerWidth")
    first = driver.find_element(By.CSS_SELECTOR, "main section")
    assert first.get_attribute("aria-labelledby") == "h-alerts"
    save_screenshot(driver, f"hotspots-splash-{lang}")
    serious = blocking(run_axe(driver))
    assert serious == [], f"axe-core on the splash page ({lang}):\n{describe(serious)}"
