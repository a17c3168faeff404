"""Which alerts are in force, where and until when (alerts/current.py), and the CAP bookkeeping."""

from dimos.hotspots.alerts import current
from dimos.hotspots.alerts import times
from dimos.hotspots.alerts.testing import CENTRE_SQUARE
from dimos.hotspots.alerts.testing import EAST_CIRCLE
from dimos.hotspots.alerts.testing import make_alert
from dimos.hotspots.alerts.testing import make_hotspot
from plone import api
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import datetime
import pytest
import re


pytestmark = pytest.mark.portal(roles=["Manager"])

HOUR = datetime.timedelta(hours=1)


def ids(alerts):
    return [alert.getId() for alert in alerts]


def test_published_alert_is_in_force_at_once(portal):
    alert = make_alert(portal, publish=False)
    assert alert not in current.current_alerts()
    api.content.transition(alert, transition="publish")
    assert ids(current.current_alerts()) == [alert.getId()]


def test_expiry_and_future_effective_by_passing_now(portal):
    now = times.now()
    alert = make_alert(portal, cap_effective=now + HOUR, cap_expires=now + 3 * HOUR)
    assert current.current_alerts(now) == []
    assert ids(current.current_alerts(now + HOUR)) == [alert.getId()]
    assert ids(current.current_alerts(now + 3 * HOUR - datetime.timedelta(seconds=1))) == [
        alert.getId()
    ]
    assert current.current_alerts(now + 3 * HOUR) == []


def test_next_change(portal):
    now = times.now()
    make_alert(portal, cap_effective=now + HOUR, cap_expires=now + 3 * HOUR)
    make_alert(portal, cap_effective=now - HOUR, cap_expires=now + 2 * HOUR)
    make_alert(portal, publish=False, cap_effective=now + 0.5 * HOUR)  # a draft: no change
    make_alert(portal, cap_status="Exercise", cap_expires=now + 0.25 * HOUR)
    assert current.next_change(now) == now + HOUR
    assert current.next_change(now + HOUR) == now + 2 * HOUR
    assert current.next_change(now + 2 * HOUR) == now + 3 * HOUR
    assert current.next_change(now + 3 * HOUR) is None
    assert current.seconds_until_next_change(now + HOUR - datetime.timedelta(seconds=30)) == 30
    assert current.seconds_until_next_change(now) == 60


def test_exercise_and_test_alerts_are_not_shown(portal):
    make_alert(portal, cap_status="Exercise")
    make_alert(portal, cap_status="Test")
    actual = make_alert(portal)
    assert ids(current.current_alerts()) == [actual.getId()]


def test_order_most_severe_then_newest(portal):
    now = times.now()
    minor = make_alert(portal, severity="Minor")
    severe_old = make_alert(portal, severity="Severe")
    severe_new = make_alert(portal, severity="Severe")
    extreme = make_alert(portal, severity="Extreme")
    severe_old.sent = now - HOUR
    severe_new.sent = now
    assert ids(current.current_alerts()) == ids([extreme, severe_new, severe_old, minor])


def test_area_coverage(portal):
    inside = make_hotspot(portal, "plateia", 40.01, 22.01)
    east = make_hotspot(portal, "limani", 40.01, 22.105)
    far = make_hotspot(portal, "elaionas", 40.2, 22.3)
    whole = make_alert(portal, title="Καύσωνας")
    square = make_alert(portal, polygons=[CENTRE_SQUARE])
    circle = make_alert(portal, circles=[EAST_CIRCLE])
    both = make_alert(portal, polygons=[CENTRE_SQUARE], circles=[EAST_CIRCLE])
    assert set(ids(current.alerts_for(inside))) == {whole.getId(), square.getId(), both.getId()}
    assert set(ids(current.alerts_for(east))) == {whole.getId(), circle.getId(), both.getId()}
    assert ids(current.alerts_for(far)) == [whole.getId()]


def test_withdrawn_alert_leaves_at_once(portal):
    alert = make_alert(portal)
    api.content.transition(alert, transition="withdraw", comment="Λάθος συναγερμός")
    assert current.current_alerts() == []
    assert ids(current.withdrawn_alerts(times.now() - HOUR)) == [alert.getId()]
    assert current.withdrawn_alerts(times.now() + HOUR) == []


def test_summary_in_both_languages(portal):
    alert = make_alert(
        portal,
        headline_en="Flooding in the centre",
        instruction_en="Avoid travelling.",
        categories=["Met", "Safety"],
    )
    greek = current.alert_summary(alert)
    english = current.alert_summary(alert, "en")
    assert set(greek) == {
        "id", "identifier", "url", "cap_url", "event", "headline", "description", "instruction",
        "severity", "urgency", "certainty", "response_type", "categories", "area", "effective",
        "expires", "sent",
    }  # fmt: skip
    assert greek["headline"] == "Πλημμύρα στο κέντρο"
    assert english["headline"] == "Flooding in the centre"
    assert english["instruction"] == "Avoid travelling."
    assert english["description"] == greek["description"]  # no English: the Greek
    assert greek["cap_url"] == alert.absolute_url() + "/@@cap.xml"
    assert greek["categories"] == ["Met", "Safety"]
    cap_time = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
    for key in ("effective", "expires", "sent"):
        assert cap_time.match(greek[key]), greek[key]


def test_identifier_and_dates_on_creation(portal):
    alert = make_alert(portal, publish=False, cap_effective=datetime.datetime(2030, 5, 1, 9, 0))
    assert re.match(r"^urn:uuid:[0-9a-f-]{36}$", alert.identifier)
    assert not re.search(r"[\s,<&]", alert.identifier)
    # Naive times are Athens time, stored aware.
    assert alert.cap_effective.isoformat() == "2030-05-01T09:00:00+03:00"
    assert alert.effective_date.ISO8601() == "2030-05-01T09:00:00+03:00"
    assert alert.expiration_date.timeTime() == pytest.approx(alert.cap_expires.timestamp())
    brain = api.content.find(UID=alert.UID(), show_inactive=True)[0]
    assert brain.effective.ISO8601().startswith("2030-05-01T09:00")
    other = make_alert(portal, publish=False)
    assert other.identifier != alert.identifier


def test_copy_gets_a_new_identifier(portal):
    alert = make_alert(portal)
    copy = api.content.copy(source=alert, target=portal["alerts"], id="copy")
    assert copy.identifier != alert.identifier
    assert copy.messages == () and copy.sent is None
    assert api.content.get_state(copy) == "draft"


def test_publish_edit_withdraw_make_alert_update_cancel(portal):
    alert = make_alert(portal, publish=False)
    assert alert.sent is None and alert.messages == ()
    notify(ObjectModifiedEvent(alert))  # an edit of the draft: no message
    assert alert.messages == ()
    api.content.transition(alert, transition="publish")
    assert alert.sent.tzinfo is not None
    assert [m[2] for m in alert.messages] == ["Alert"]
    assert alert.messages[0][0] == alert.identifier
    alert.cap_expires = alert.cap_expires + HOUR
    notify(ObjectModifiedEvent(alert))
    assert alert.version == 1
    assert alert.messages[-1][:1] + alert.messages[-1][2:] == (f"{alert.identifier}.1", "Update")
    assert alert.expiration_date.timeTime() == pytest.approx(
        alert.cap_expires.timestamp()
    )  # kept in step
    api.content.transition(alert, transition="withdraw")
    assert [m[2] for m in alert.messages] == ["Alert", "Update", "Cancel"]
    assert alert.withdrawn == alert.sent
