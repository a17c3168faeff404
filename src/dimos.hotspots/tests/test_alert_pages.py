"""The alert pages rendered in the site: an alert's ``view`` and ``@@alerts-board``.

The wording first (plain Python), then the real views through their ZCML
registrations on the package's browser layer, as staff and as anonymous.
"""

from dimos.hotspots.alerts import pages
from dimos.hotspots.alerts import subscribers
from dimos.hotspots.alerts import times
from dimos.hotspots.alerts.testing import EAST_CIRCLE
from dimos.hotspots.alerts.testing import make_alert
from dimos.hotspots.alerts.testing import make_hotspot
from dimos.hotspots.interfaces import IDimosHotspotsLayer
from plone import api
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from types import SimpleNamespace
from zope.interface import alsoProvides

import datetime
import html
import pytest
import re


NOON = times.aware(datetime.datetime(2026, 11, 22, 12, 0))
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def site(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    alsoProvides(portal.REQUEST, IDimosHotspotsLayer)
    return portal


def render(context, name="view"):
    view = api.content.get_view(name=name, context=context, request=context.REQUEST)
    return view()


def element(page, element_id):
    """The text of the element with ``element_id`` (tags removed, spaces squeezed)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    if match is None:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


def reached_ids(page):
    return re.findall(r'data-hotspot="([^"]+)"', page)


# --- the words, without a site ------------------------------------------------------------


def plain_alert(**fields):
    values = {
        "cap_effective": NOON - HOUR,
        "cap_expires": NOON + 6 * HOUR,
        "withdrawn": None,
        "sent": NOON - HOUR,
        "severity": "Severe",
        "polygons": [],
        "circles": [],
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_status_wording_in_athens_time():
    alert = plain_alert()
    assert pages.status_words(alert, "published", NOON) == {
        "key": "in_force",
        "el": "Σε ισχύ έως 22/11/2026 18:00",
        "en": "In force until 22/11/2026 18:00",
    }
    # 10:00 UTC is 12:00 in Athens (winter time, UTC+2)
    utc = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)
    assert pages.status_words(alert, "published", utc)["key"] == "in_force"
    later = plain_alert(cap_effective=NOON + 2 * HOUR)
    assert pages.status_words(later, "published", NOON)["el"] == (
        "Δεν ισχύει ακόμη: ισχύει από 22/11/2026 14:00"
    )
    assert pages.status_words(alert, "published", NOON + 6 * HOUR)["en"] == (
        "Expired on 22/11/2026 18:00"
    )
    gone = plain_alert(withdrawn=NOON - datetime.timedelta(minutes=30))
    assert pages.status_words(gone, "withdrawn", NOON)["el"] == "Ανακλήθηκε στις 22/11/2026 11:30"
    assert pages.status_words(alert, "draft", NOON)["key"] == "draft"


def test_severity_badge_has_words_and_a_colour_class():
    badge = pages.severity(plain_alert(severity="Extreme"))
    assert badge["el"] == "Ακραία" and badge["en"] == "Extreme"
    assert "dimos-severity-extreme" in badge["css"]


def test_shapes_in_words():
    alert = plain_alert(
        polygons=["40.0,22.0 40.0,22.02 40.02,22.02 40.02,22.0 40.0,22.0"],
        circles=[EAST_CIRCLE, "nonsense"],
    )
    found = pages.shapes(alert)
    assert [shape["en"] for shape in found] == [
        "Polygon with 4 corners",
        "Circle: centre 40.01,22.1, radius 1.5 km",
        "Circle that cannot be read",
    ]
    assert found[1]["el"] == "Κύκλος: κέντρο 40.01,22.1, ακτίνα 1.5 km"
    assert found[2]["broken"] and found[2]["text"] == "nonsense"


# --- an alert's page ---------------------------------------------------------------------


def test_staff_see_the_one_hotspot_a_circle_reaches(site):
    make_hotspot(site, "limani", 40.01, 22.1)  # the circle's centre
    make_hotspot(site, "plateia", 40.01, 22.01)  # about 7.7 km west of it
    alert = make_alert(site, circles=[EAST_CIRCLE], headline_en="Flooding by the harbour")
    page = render(alert)
    assert reached_ids(page) == ["limani"]
    assert element(page, "alert-reach") == (
        "Εμφανίζεται τώρα σε 1 από 2 σημεία / Shown now on 1 of 2 spots"
    )
    assert f'href="{site.absolute_url()}/hotspots/limani"' in page
    assert element(page, "alert-shapes") == (
        "Κύκλος: κέντρο 40.01,22.1, ακτίνα 1.5 km / Circle: centre 40.01,22.1, radius 1.5 km : "
        "40.01,22.1 1.5"
    )
    assert element(page, "alert-identifier") == alert.identifier
    assert element(page, "alert-last-message") == f"Alert , {pages.local_time(alert.sent)}"


def test_a_draft_says_where_it_would_reach(site):
    make_hotspot(site, "limani", 40.01, 22.1)
    make_hotspot(site, "plateia", 40.01, 22.01)
    draft = make_alert(site, publish=False, circles=[EAST_CIRCLE])
    page = render(draft)
    assert element(page, "alert-status") == "Πρόχειρη: δεν έχει δημοσιευθεί / Draft: not published"
    assert element(page, "alert-reach") == (
        "Θα εμφανιστεί σε 1 από 2 σημεία, όταν δημοσιευθεί και ισχύσει / "
        "Would be shown on 1 of 2 spots once published and in force"
    )
    assert reached_ids(page) == ["limani"]
    whole = make_alert(site, publish=False)
    page = render(whole)
    assert sorted(reached_ids(page)) == ["limani", "plateia"]
    assert "όλος ο δήμος" in element(page, "alert-area")


def test_anonymous_see_the_public_part_only(site):
    make_hotspot(site, "limani", 40.01, 22.1)
    alert = make_alert(
        site,
        severity="Extreme",
        urgency="Expected",
        certainty="Likely",
        response_type="Evacuate",
        circles=[EAST_CIRCLE],
        headline_en="Flooding by the harbour",
        description_en="Heavy rain flooded streets.",
        instruction_en="Do not travel.",
    )
    logout()
    page = render(alert)
    assert element(page, "alert-headline") == "Πλημμύρα στο κέντρο"
    assert element(page, "alert-severity") == "Ακραία / Extreme"
    assert 'class="dimos-severity dimos-severity-extreme"' in page
    assert element(page, "alert-event") == "Πλημμύρα"
    assert element(page, "alert-urgency") == "Αναμένεται (εντός ώρας) / Expected"
    assert element(page, "alert-certainty") == "Πιθανή (>50%) / Likely"
    assert element(page, "alert-response") == "Απομακρυνθείτε / Evacuate"
    assert element(page, "alert-categories") == "Μετεωρολογικό / Meteorological"
    expires = times.aware(alert.cap_expires).strftime("%d/%m/%Y %H:%M")
    assert element(page, "alert-status") == (f"Σε ισχύ έως {expires} / In force until {expires}")
    assert f"έως {expires}" in element(page, "alert-when")
    assert (
        element(page, "alert-instruction") == "Οδηγίες / Instructions Αποφύγετε τις μετακινήσεις."
    )
    assert element(page, "alert-headline-en") == "Flooding by the harbour"
    assert element(page, "alert-description-en") == "Heavy rain flooded streets."
    assert element(page, "alert-instruction-en") == "Do not travel."
    assert f'href="{alert.absolute_url()}/@@cap.xml"' in page
    assert f'href="{site.absolute_url()}/@@alerts.atom"' in page
    assert f'href="{site.absolute_url()}/@@alerts.cap"' in page
    # civil protection's part is not there
    assert 'id="alert-staff"' not in page and 'id="alert-reach"' not in page
    assert alert.identifier not in page and "limani" not in page


def test_no_english_section_without_english_texts(site):
    page = render(make_alert(site))
    assert 'id="alert-english"' not in page


def test_status_not_yet_in_force_expired_withdrawn(site):
    now = times.now()
    later = make_alert(site, cap_effective=now + 2 * HOUR, cap_expires=now + 5 * HOUR)
    start = times.aware(later.cap_effective).strftime("%d/%m/%Y %H:%M")
    assert element(render(later), "alert-status") == (
        f"Δεν ισχύει ακόμη: ισχύει από {start} / Not in force yet: from {start}"
    )
    assert "όταν ισχύσει" in element(render(later), "alert-reach")

    ended = make_alert(site)
    ended.cap_expires = now - datetime.timedelta(minutes=5)  # it ran out after publishing
    end = times.aware(ended.cap_expires).strftime("%d/%m/%Y %H:%M")
    page = render(ended)
    assert element(page, "alert-status") == f"Έληξε στις {end} / Expired on {end}"
    assert 'data-status="expired"' in page
    assert "Δεν εμφανίζεται πια" in element(page, "alert-reach")

    gone = make_alert(site)
    api.content.transition(gone, transition="withdraw", comment="Ο κίνδυνος <πέρασε>")
    when = times.aware(gone.withdrawn).strftime("%d/%m/%Y %H:%M")
    page = render(gone)
    assert element(page, "alert-status") == f"Ανακλήθηκε στις {when} / Withdrawn on {when}"
    assert element(page, "alert-withdraw-comment") == "Αιτία: / Reason: Ο κίνδυνος <πέρασε>"
    assert "&lt;πέρασε&gt;" in page


def test_html_in_the_texts_is_shown_as_text(site):
    alert = make_alert(
        site,
        title="<script>alert('x')</script> Πλημμύρα",
        description="Δρόμοι <b>κλειστοί</b> & γέφυρες",
        instruction="<img src=x onerror=alert(1)>",
        area_desc="Κέντρο <i>παλιά πόλη</i>",
        event="<u>Πλημμύρα</u>",
        headline_en="<em>Flood</em>",
        instruction_en="<a href='javascript:alert(1)'>click</a>",
        circles=["40.01,22.1 1.5"],
    )
    for page in (render(alert), render(site, "alerts-board")):
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(" in page
        assert "<em>Flood</em>" not in page and "&lt;em&gt;Flood&lt;/em&gt;" in page
        assert "<u>Πλημμύρα</u>" not in page and "<i>παλιά πόλη</i>" not in page
    page = render(alert)
    assert "<b>κλειστοί</b>" not in page and "&lt;b&gt;κλειστοί&lt;/b&gt; &amp; γέφυρες" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<a href='javascript" not in page and "&lt;a href=" in page


# --- the board --------------------------------------------------------------------------


def board_ids(page, section):
    match = re.search(rf'<section[^>]*id="board-{section}".*?</section>', page, re.S)
    assert match is not None, f"no section {section}"
    return re.findall(r'data-alert="([^"]+)"', match.group(0))


def test_board_most_severe_first_then_to_come(site):
    now = times.now()
    moderate = make_alert(site, severity="Moderate")
    extreme = make_alert(site, severity="Extreme")
    severe = make_alert(site, severity="Severe")
    soon = make_alert(site, severity="Minor", cap_effective=now + HOUR)
    sooner = make_alert(site, severity="Extreme", cap_effective=now + 0.5 * HOUR)
    draft = make_alert(site, publish=False, title="Πρόχειρο")
    gone = make_alert(site)
    api.content.transition(gone, transition="withdraw")
    exercise = make_alert(site, cap_status="Exercise")
    page = render(site, "alerts-board")
    assert board_ids(page, "in-force") == [extreme.getId(), severe.getId(), moderate.getId()]
    assert board_ids(page, "upcoming") == [sooner.getId(), soon.getId()]
    assert board_ids(page, "drafts") == [draft.getId()]
    assert board_ids(page, "exercises") == [exercise.getId()]
    assert board_ids(page, "ended") == [gone.getId()]
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert f'href="{site.absolute_url()}/@@alerts.atom"' in page

    logout()
    page = render(site, "alerts-board")
    assert board_ids(page, "in-force") == [extreme.getId(), severe.getId(), moderate.getId()]
    assert board_ids(page, "upcoming") == [sooner.getId(), soon.getId()]
    for staff_only in ("drafts", "exercises", "ended"):
        assert f'id="board-{staff_only}"' not in page
    assert draft.getId() not in page and gone.getId() not in page


def test_board_lists_the_recently_expired_for_staff(site):
    old = make_alert(site)
    old.cap_expires = times.now() - HOUR
    subscribers.sync_dates(old)  # the catalog's expires date follows the field
    old.reindexObject()
    page = render(site, "alerts-board")
    assert board_ids(page, "in-force") == []
    assert board_ids(page, "ended") == [old.getId()]
    assert "Έληξε στις" in page
