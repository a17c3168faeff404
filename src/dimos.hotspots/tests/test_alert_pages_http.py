"""The alert pages over HTTP: the functional layer's real server (requests) and zope.testbrowser.

Anonymous visitors read an alert's public part and the board of alerts in
force and to come; a civil protection officer (group politiki-prostasia)
also sees the WiFi spots an alert reaches, the drafts and the withdrawn.
"""

from dimos.hotspots.alerts import times
from dimos.hotspots.alerts.testing import EAST_CIRCLE
from dimos.hotspots.alerts.testing import make_alert
from dimos.hotspots.alerts.testing import make_hotspot
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.testing.zope import Browser

import datetime
import html
import pytest
import re
import requests
import transaction


OFFICER, OFFICER_PASSWORD = "civil-protection", "secret-cp-1"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def site(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.user.create(email="cp@example.org", username=OFFICER, password=OFFICER_PASSWORD)
    api.group.add_user(groupname="politiki-prostasia", username=OFFICER)
    now = times.now()
    with api.env.adopt_roles(["Manager"]):
        make_hotspot(portal, "limani", 40.01, 22.1)
        make_hotspot(portal, "plateia", 40.01, 22.01)
        make_alert(
            portal,
            severity="Moderate",
            title="Διακοπή νερού",
            event="Διακοπή υδροδότησης",
            categories=["Infra"],
        )
        make_alert(
            portal,
            severity="Extreme",
            title="Πλημμύρα στο λιμάνι <b>τώρα</b>",
            headline_en="Flooding at the harbour",
            circles=[EAST_CIRCLE],
        )
        make_alert(portal, severity="Minor", title="Καύσωνας αύριο", cap_effective=now + 3 * HOUR)
        make_alert(portal, publish=False, title="Σχέδιο ειδοποίησης")
        gone = make_alert(portal, title="Λάθος ειδοποίηση")
        api.content.transition(gone, transition="withdraw", comment="Εκδόθηκε κατά λάθος")
    transaction.commit()
    return portal


def get(url, user=None, password=None):
    auth = (user, password) if user else None
    return requests.get(url, auth=auth, headers={"Accept-Language": "el"}, timeout=60)


def element(page, element_id):
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    if match is None:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


def section_titles(page, section):
    match = re.search(rf'<section[^>]*id="board-{section}".*?</section>', page, re.S)
    if match is None:
        return None
    return [
        html.unescape(title)
        for title in re.findall(r'<strong lang="el"[^>]*>([^<]*)</strong>', match.group(0))
    ]


def alert_url(portal, title):
    brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="Alert", Title=title
    )
    return brains[0].getURL()


def test_anonymous_read_the_public_page_of_an_alert(site):
    url = alert_url(site, "Πλημμύρα στο λιμάνι")
    response = get(url)  # the type's default view, not Dexterity's
    assert response.status_code == 200
    page = response.text
    assert element(page, "alert-headline") == "Πλημμύρα στο λιμάνι <b>τώρα</b>"
    assert "&lt;b&gt;τώρα&lt;/b&gt;" in page
    assert element(page, "alert-severity") == "Ακραία / Extreme"
    assert element(page, "alert-status").startswith("Σε ισχύ έως ")
    assert element(page, "alert-headline-en") == "Flooding at the harbour"
    assert "40.01,22.1 1.5" in element(page, "alert-shapes")
    assert 'id="alert-staff"' not in page and "limani" not in page
    cap = get(f"{url}/@@cap.xml")
    assert cap.headers["Content-Type"].startswith("application/cap+xml")
    assert f'href="{url}/@@cap.xml"' in page


def test_officer_sees_the_spot_the_circle_reaches(site):
    url = alert_url(site, "Πλημμύρα στο λιμάνι")
    page = get(url, OFFICER, OFFICER_PASSWORD).text
    assert element(page, "alert-reach") == (
        "Εμφανίζεται τώρα σε 1 από 2 σημεία / Shown now on 1 of 2 spots"
    )
    assert re.findall(r'data-hotspot="([^"]+)"', page) == ["limani"]
    draft = alert_url(site, "Σχέδιο ειδοποίησης")
    page = get(draft, OFFICER, OFFICER_PASSWORD).text
    assert element(page, "alert-status") == "Πρόχειρη: δεν έχει δημοσιευθεί / Draft: not published"
    assert sorted(re.findall(r'data-hotspot="([^"]+)"', page)) == ["limani", "plateia"]
    anonymous = requests.get(draft, allow_redirects=False, timeout=60)
    assert anonymous.status_code != 200 and "Σχέδιο ειδοποίησης" not in anonymous.text


def test_withdrawn_alert_says_so_and_why(site):
    page = get(alert_url(site, "Λάθος ειδοποίηση")).text
    assert element(page, "alert-status").startswith("Ανακλήθηκε στις ")
    assert element(page, "alert-withdraw-comment") == "Αιτία: / Reason: Εκδόθηκε κατά λάθος"


def test_board_for_anonymous_and_for_civil_protection(site):
    board = f"{site.absolute_url()}/@@alerts-board"
    response = get(board)
    assert response.status_code == 200
    page = response.text
    assert section_titles(page, "in-force") == ["Πλημμύρα στο λιμάνι <b>τώρα</b>", "Διακοπή νερού"]
    assert section_titles(page, "upcoming") == ["Καύσωνας αύριο"]
    assert section_titles(page, "drafts") is None and section_titles(page, "ended") is None
    assert "Σχέδιο ειδοποίησης" not in page and "Λάθος ειδοποίηση" not in page
    head = page.split("</head>", 1)[0]
    feeds = [
        (re.search(r'type="([^"]+)"', link).group(1), re.search(r'href="([^"]+)"', link).group(1))
        for link in re.findall(r'<link[^>]*rel="alternate"[^>]*>', head)
    ]
    site_url = site.absolute_url()
    assert ("application/atom+xml", f"{site_url}/@@alerts.atom") in feeds
    assert ("application/atom+xml", f"{site_url}/@@alerts.cap") in feeds
    page = get(board, OFFICER, OFFICER_PASSWORD).text
    assert section_titles(page, "in-force") == ["Πλημμύρα στο λιμάνι <b>τώρα</b>", "Διακοπή νερού"]
    assert section_titles(page, "drafts") == ["Σχέδιο ειδοποίησης"]
    assert section_titles(page, "ended") == ["Λάθος ειδοποίηση"]


def test_testbrowser_from_the_board_to_the_alert_and_its_feeds(functional_app, site):
    browser = Browser(functional_app)
    browser.raiseHttpErrors = False
    browser.open(f"{site.absolute_url()}/@@alerts-board")
    browser.getLink("Διακοπή νερού").click()
    assert browser.url == alert_url(site, "Διακοπή νερού")
    assert element(browser.contents, "alert-event") == "Διακοπή υδροδότησης"
    assert (
        element(browser.contents, "alert-categories") == "Υποδομές (νερό, ρεύμα…) / Infrastructure"
    )
    browser.getLink(id="alert-feed-atom").click()
    assert browser.headers["Content-Type"].startswith("application/atom+xml")
    assert "Διακοπή νερού" in browser.contents
