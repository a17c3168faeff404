"""``/hotspots/<id>/@@portal``: the light HTML page a phone sees after joining the WiFi, over HTTP.

Anonymous, through the functional layer's real WSGI server: alerts first in
a box coloured by severity, then news, events and e-services; Greek with a
link to English and back; no script, small, escaped, cached like the JSON.
"""

from datetime import timedelta
from dimos.hotspots.portal.testing import AROUND_CENTRE
from dimos.hotspots.portal.testing import create_alert
from dimos.hotspots.portal.testing import create_event
from dimos.hotspots.portal.testing import create_hotspot
from dimos.hotspots.portal.testing import create_news
from dimos.hotspots.portal.testing import FAR
from dimos.hotspots.portal.testing import now
from html.parser import HTMLParser

import pytest
import requests
import transaction


HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def site(functional_portal):
    """Two spots, an alert over the centre only, news and events: the usual morning."""
    portal = functional_portal
    moment = now().replace(second=0, microsecond=0)
    create_hotspot(portal)
    create_hotspot(portal, "elaionas", "Άγιος Γεώργιος Ελαιώνα", point=FAR, area="elaionas")
    create_alert(
        portal,
        "Πλημμύρα στην πλατεία",
        polygons=[AROUND_CENTRE],
        headline_en="Flooding in the square",
        description_en="Heavy rain.",
        instruction_en="Stay on higher ground.",
    )
    for days in range(1, 6):
        create_news(
            portal,
            f"Ανακοίνωση {days} για τα έργα στην πόλη",
            moment - timedelta(days=days),
            description="Οι εργασίες συνεχίζονται σύμφωνα με το χρονοδιάγραμμα του δήμου.",
        )
    for days in range(1, 5):
        create_event(
            portal,
            f"Συναυλία της φιλαρμονικής {days}",
            moment.replace(hour=19, minute=0) + timedelta(days=days),
            location="Πλατεία Ελευθερίας",
            area="kentro",
        )
    transaction.commit()
    return portal.absolute_url()


def page(site, spot="plateia", headers=None, **params):
    return requests.get(
        f"{site}/hotspots/{spot}/@@portal", params=params, headers=headers or {}, timeout=60
    )


class Outline(HTMLParser):
    """The page's headings, elements with a role, tags and links, as a phone's reader meets them."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.headings, self.roles, self.links, self.html_lang = [], [], [], [], None
        self._heading = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in ("h1", "h2", "h3"):
            self._heading = [tag, ""]
        if attrs.get("role"):
            self.roles.append((attrs["role"], attrs.get("class")))
        if tag == "a":
            self.links.append((attrs.get("href"), attrs.get("lang")))

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append((tag, self._heading[1].strip()))
            self._heading = None


def test_anonymous_phones_get_the_greek_page_alerts_first(site):
    response = page(site)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")
    outline = Outline(response.text)
    assert outline.html_lang == "el"
    assert [text for tag, text in outline.headings if tag in ("h1", "h2")] == [
        "Καλώς ήρθατε στο δωρεάν WiFi του δήμου",
        "Έκτακτες ειδοποιήσεις",
        "Νέα του δήμου",
        "Εκδηλώσεις των επόμενων ημερών",
        "Ηλεκτρονικές υπηρεσίες",
    ]
    assert ("h3", "Πλημμύρα στην πλατεία") in outline.headings
    assert outline.roles == [("alert", "alert severe")]
    text = response.text
    assert text.index("Πλημμύρα στην πλατεία") < text.index("Ανακοίνωση 1 για τα έργα")
    assert "Μείνετε σε ψηλά σημεία." in text and "Σοβαρός κίνδυνος" in text
    assert text.index("Ανακοίνωση 1 ") < text.index("Ανακοίνωση 5 ")
    assert "Συναυλία της φιλαρμονικής 1" in text and "19:00–21:00" in text
    assert "Πλατεία Ελευθερίας, Κέντρο" in text
    assert (f"{site}/@@rf-lookup", None) in outline.links
    assert (f"{site}/hotspots/plateia/@@portal?lang=en", "en") in outline.links


def test_no_script_no_outside_resources_and_small(site):
    response = page(site)
    outline = Outline(response.text)
    assert "script" not in outline.tags
    assert not {"img", "link", "iframe", "object", "embed"} & set(outline.tags)
    assert "@import" not in response.text and "url(" not in response.text
    assert 'name="viewport"' in response.text
    assert len(response.content) < 15 * 1024, len(response.content)


def test_english_and_back(site):
    response = page(site, lang="en")
    assert response.status_code == 200
    outline = Outline(response.text)
    assert outline.html_lang == "en"
    assert ("h2", "Emergency alerts") in outline.headings
    assert ("h3", "Flooding in the square") in outline.headings
    assert "Stay on higher ground." in response.text and "Severe danger" in response.text
    assert "Πλατεία Ελευθερίας, Centre" in response.text
    assert "Pay with an RF code" in response.text
    assert (f"{site}/hotspots/plateia/@@portal?lang=el", "el") in outline.links
    assert Outline(page(site, headers={"Accept-Language": "en"}).text).html_lang == "en"


def test_a_spot_outside_the_alert_area_has_no_alert_box(site):
    response = page(site, "elaionas")
    assert response.status_code == 200
    assert Outline(response.text).roles == []
    assert "Πλημμύρα" not in response.text and "Ανακοίνωση 1 " in response.text


def test_everything_shown_is_escaped(site, functional_portal):
    create_alert(functional_portal, HOSTILE, severity="Extreme", instruction=HOSTILE)
    create_news(functional_portal, HOSTILE, now() - timedelta(hours=1), description=HOSTILE)
    transaction.commit()
    response = page(site)
    assert HOSTILE not in response.text
    assert "&lt;script&gt;" in response.text
    assert "script" not in Outline(response.text).tags
    assert ("alert", "alert extreme") in Outline(response.text).roles


def test_cached_like_the_json_and_304_for_the_same_page(site):
    for _attempt in range(3):  # again if a minute turned between the two calls
        first = page(site)
        second = page(site, headers={"If-None-Match": first.headers["ETag"]})
        if second.status_code == 304:
            break
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first.headers["Vary"] == "Accept-Language"
    assert 0 <= float(first.headers["X-Dimos-Microcache"]) <= 60
    assert second.status_code == 304 and second.content == b""
    assert second.headers["ETag"] == first.headers["ETag"]
    assert page(site, lang="en").headers["ETag"] != first.headers["ETag"]


def test_an_unknown_spot_is_404_and_a_bad_language_400(site):
    assert page(site, "nowhere").status_code == 404
    response = page(site, lang="fr")
    assert response.status_code == 400
    assert "«el»" in response.text and "“en”" in response.text
    assert "ETag" not in response.headers


def test_an_out_of_service_spot_says_so_and_still_shows_the_alerts(site, functional_portal):
    functional_portal["hotspots"]["plateia"].status = "out_of_service"
    transaction.commit()
    response = page(site)
    assert "Το σημείο είναι προσωρινά εκτός λειτουργίας." in response.text
    assert Outline(response.text).roles == [("alert", "alert severe")]
