"""CAP 1.2 messages and the two Atom feeds, parsed back with lxml and checked against CAP's order."""

from dimos.hotspots.alerts import times
from dimos.hotspots.alerts.testing import CENTRE_SQUARE
from dimos.hotspots.alerts.testing import EAST_CIRCLE
from dimos.hotspots.alerts.testing import make_alert
from lxml import etree
from plone import api
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import datetime
import pytest
import re


pytestmark = pytest.mark.portal(roles=["Manager"])

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM = "http://www.w3.org/2005/Atom"
NS = {"cap": CAP, "atom": ATOM}
CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

# The sequences of CAP-v1.2.xsd (OASIS CAP 1.2, sections 3.2.1-3.2.4), with
# whether each element is required.
ALERT_ORDER = (
    ("identifier", True), ("sender", True), ("sent", True), ("status", True),
    ("msgType", True), ("source", False), ("scope", True), ("restriction", False),
    ("addresses", False), ("code", False), ("note", False), ("references", False),
    ("incidents", False), ("info", False),
)  # fmt: skip
INFO_ORDER = (
    ("language", False), ("category", True), ("event", True), ("responseType", False),
    ("urgency", True), ("severity", True), ("certainty", True), ("audience", False),
    ("eventCode", False), ("effective", False), ("onset", False), ("expires", False),
    ("senderName", False), ("headline", False), ("description", False),
    ("instruction", False), ("web", False), ("contact", False), ("parameter", False),
    ("resource", False), ("area", False),
)  # fmt: skip
AREA_ORDER = (
    ("areaDesc", True), ("polygon", False), ("circle", False), ("geocode", False),
    ("altitude", False), ("ceiling", False),
)  # fmt: skip


def check_sequence(element, order):
    """The children are in the schema's order, each in CAP's namespace, the required ones present."""
    names = []
    for child in element:
        assert etree.QName(child).namespace == CAP
        names.append(etree.QName(child).localname)
    positions = [name for name, _ in order]
    indexes = [positions.index(name) for name in names]
    assert indexes == sorted(indexes), names
    for name, required in order:
        assert not required or name in names, name
    return names


def check_cap(alert_element):
    assert alert_element.tag == f"{{{CAP}}}alert"
    check_sequence(alert_element, ALERT_ORDER)
    for info in alert_element.findall("cap:info", NS):
        check_sequence(info, INFO_ORDER)
        for area in info.findall("cap:area", NS):
            check_sequence(area, AREA_ORDER)
    for path in ("cap:sent", "cap:info/cap:effective", "cap:info/cap:expires"):
        for element in alert_element.findall(path, NS):
            assert CAP_TIME.match(element.text), element.text
    identifier = alert_element.findtext("cap:identifier", namespaces=NS)
    assert not re.search(r"[\s,<&]", identifier)


def cap_xml(alert):
    view = api.content.get_view("cap.xml", alert, alert.REQUEST)
    body = view()
    assert alert.REQUEST.response.getHeader("Content-Type") == "application/cap+xml; charset=utf-8"
    root = etree.fromstring(body)
    check_cap(root)
    return root


def text(root, path):
    return root.findtext(path, namespaces=NS)


def test_alert_message(portal):
    alert = make_alert(
        portal,
        categories=["Met", "Safety"],
        polygons=[CENTRE_SQUARE],
        circles=[EAST_CIRCLE],
        headline_en="Flooding in the centre",
        description_en="Heavy rain; streets flooded.",
    )
    root = cap_xml(alert)
    assert text(root, "cap:identifier") == alert.identifier
    assert text(root, "cap:sender") == "politiki.prostasia@elaionas.example.gr"
    assert text(root, "cap:status") == "Actual"
    assert text(root, "cap:msgType") == "Alert"
    assert text(root, "cap:scope") == "Public"
    assert root.find("cap:references", NS) is None
    greek, english = root.findall("cap:info", NS)
    assert text(greek, "cap:language") == "el-GR"
    assert text(english, "cap:language") == "en-US"
    assert [c.text for c in greek.findall("cap:category", NS)] == ["Met", "Safety"]
    assert text(greek, "cap:headline") == "Πλημμύρα στο κέντρο"
    assert text(english, "cap:headline") == "Flooding in the centre"
    assert text(english, "cap:instruction") == "Αποφύγετε τις μετακινήσεις."  # no English: Greek
    assert text(greek, "cap:responseType") == "Avoid"
    assert text(greek, "cap:severity") == "Severe"
    assert text(greek, "cap:effective") == times.cap_datetime(alert.cap_effective)
    assert text(greek, "cap:senderName") == portal.Title()
    assert text(greek, "cap:web") == alert.absolute_url()
    assert text(greek, "cap:area/cap:areaDesc") == "Κέντρο"
    assert text(greek, "cap:area/cap:polygon") == CENTRE_SQUARE
    assert text(greek, "cap:area/cap:circle") == EAST_CIRCLE


def test_greek_only_alert_has_one_info(portal):
    root = cap_xml(make_alert(portal))
    assert len(root.findall("cap:info", NS)) == 1


def test_update_and_cancel_refer_to_earlier_messages(portal):
    alert = make_alert(portal)
    first_sent = text(cap_xml(alert), "cap:sent")
    alert.instruction = "Μείνετε σε ψηλά σημεία."
    notify(ObjectModifiedEvent(alert))
    update = cap_xml(alert)
    assert text(update, "cap:msgType") == "Update"
    assert text(update, "cap:identifier") == f"{alert.identifier}.1"
    sender = "politiki.prostasia@elaionas.example.gr"
    assert text(update, "cap:references") == f"{sender},{alert.identifier},{first_sent}"
    api.content.transition(alert, transition="withdraw", comment="Πέρασε ο κίνδυνος")
    cancel = cap_xml(alert)
    assert text(cancel, "cap:msgType") == "Cancel"
    assert text(cancel, "cap:identifier") == f"{alert.identifier}.2"
    assert len(text(cancel, "cap:references").split()) == 2
    assert text(cancel, "cap:note").startswith("Πέρασε ο κίνδυνος / ")


def feed(portal, name, **form):
    request = portal.REQUEST
    request.form.update(form)
    body = api.content.get_view(name, portal, request)()
    root = etree.fromstring(body)
    assert root.tag == f"{{{ATOM}}}feed"
    for required in ("atom:id", "atom:title", "atom:updated", "atom:author/atom:name"):
        assert root.find(required, NS) is not None, required
    return root, request.response


def test_cap_feed_lists_alerts_in_force_and_recent_cancels(portal):
    now = times.now()
    in_force = make_alert(portal, title="Σε ισχύ")
    withdrawn = make_alert(portal, title="Ανακλήθηκε")
    api.content.transition(withdrawn, transition="withdraw")
    old = make_alert(portal, title="Παλιά ανάκληση")
    api.content.transition(old, transition="withdraw")
    old.withdrawn = now - datetime.timedelta(hours=25)
    make_alert(portal, title="Πρόχειρη", publish=False)
    make_alert(portal, title="Άσκηση", cap_status="Exercise")
    make_alert(portal, title="Αύριο", cap_effective=now + datetime.timedelta(days=1))
    root, response = feed(portal, "alerts.cap")
    entries = root.findall("atom:entry", NS)
    assert [text(e, "atom:title") for e in entries] == ["Σε ισχύ", "Ανακλήθηκε"]
    for entry, alert, kind in ((entries[0], in_force, "Alert"), (entries[1], withdrawn, "Cancel")):
        link = entry.find("atom:link[@rel='alternate']", NS)
        assert link.get("type") == "application/cap+xml"
        assert link.get("href") == alert.absolute_url() + "/@@cap.xml"
        content = entry.find("atom:content", NS)
        assert content.get("type") == "application/cap+xml"
        (embedded,) = content
        check_cap(embedded)
        assert text(embedded, "cap:msgType") == kind
    assert response.getHeader("Cache-Control") == "public, max-age=60"
    assert response.getHeader("ETag") and response.getHeader("Last-Modified")
    assert response.getHeader("X-Dimos-Microcache") == "60"


def test_people_feed_in_greek_and_english(portal):
    now = times.now()
    make_alert(
        portal,
        headline_en="Flooding in the centre",
        cap_expires=now + datetime.timedelta(seconds=45),
    )
    make_alert(portal, title="Άσκηση", cap_status="Test")
    root, response = feed(portal, "alerts.atom")
    (entry,) = root.findall("atom:entry", NS)
    assert text(entry, "atom:title") == "Πλημμύρα στο κέντρο"
    summary = entry.find("atom:summary", NS)
    assert summary.get("type") == "html"
    assert "Σοβαρή" in summary.text and "Κέντρο" in summary.text
    assert "Αποφύγετε τις μετακινήσεις." in summary.text
    assert int(response.getHeader("X-Dimos-Microcache")) in (44, 45)
    root, _ = feed(portal, "alerts.atom", lang="en")
    (entry,) = root.findall("atom:entry", NS)
    assert text(entry, "atom:title") == "Flooding in the centre"
    assert "Severity: Severe" in entry.findtext("atom:summary", namespaces=NS)
