"""One alert as a CAP 1.2 message (OASIS Common Alerting Protocol, urn:oasis:names:tc:emergency:cap:1.2).

Plain Python on the alert's attributes; the caller gives the sender (the
registry's ``dimos.hotspots.cap_sender``), the sender's name (the site's
title) and the alert's web address. Elements are written in the order the
CAP 1.2 schema's sequences require (CAP-v1.2-os, sections 3.2.1–3.2.4).
"""

from dimos.hotspots.alerts import times
from lxml import etree


CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MIME = "application/cap+xml"
CANCEL_NOTE = "Η ειδοποίηση ανακλήθηκε. / The alert was withdrawn."


def _q(name):
    return f"{{{CAP_NS}}}{name}"


def _add(parent, name, value):
    """A child element ``name`` holding ``value``, unless the value is empty."""
    if value is None or value == "":
        return None
    element = etree.SubElement(parent, _q(name))
    element.text = str(value)
    return element


def msg_type(alert):
    """Alert, Update or Cancel: the kind of the alert's last CAP message (Alert before any)."""
    return alert.messages[-1][2] if alert.messages else "Alert"


def message_identifier(alert):
    return alert.messages[-1][0] if alert.messages else alert.identifier


def references(alert, sender):
    """``sender,identifier,sent`` of each earlier message, space-separated (CAP 3.2.1)."""
    return " ".join(f"{sender},{identifier},{sent}" for identifier, sent, _ in alert.messages[:-1])


def has_english(alert):
    return any(
        (getattr(alert, name, None) or "").strip()
        for name in ("headline_en", "description_en", "instruction_en")
    )


def _shape(line):
    return " ".join(str(line).split())


def _info(parent, alert, language, texts, sender_name, web):
    info = etree.SubElement(parent, _q("info"))
    _add(info, "language", language)
    for category in alert.categories or ():
        _add(info, "category", category)
    _add(info, "event", alert.event)
    _add(info, "responseType", alert.response_type)
    _add(info, "urgency", alert.urgency)
    _add(info, "severity", alert.severity)
    _add(info, "certainty", alert.certainty)
    _add(info, "effective", times.cap_datetime(alert.cap_effective))
    _add(info, "expires", times.cap_datetime(alert.cap_expires))
    _add(info, "senderName", sender_name)
    _add(info, "headline", texts[0])
    _add(info, "description", texts[1])
    _add(info, "instruction", texts[2])
    _add(info, "web", web)
    _add(info, "contact", alert.contact)
    area = etree.SubElement(info, _q("area"))
    _add(area, "areaDesc", alert.area_desc)
    for polygon in alert.polygons or ():
        _add(area, "polygon", _shape(polygon))
    for circle in alert.circles or ():
        _add(area, "circle", _shape(circle))
    return info


def cap_alert(alert, sender, sender_name, web, comment=None):
    """The ``<alert>`` element of the alert's latest CAP message.

    ``comment`` (the reason given when it was withdrawn) goes into a Cancel's ``<note>``.
    """
    root = etree.Element(_q("alert"), nsmap={None: CAP_NS})
    kind = msg_type(alert)
    _add(root, "identifier", message_identifier(alert))
    _add(root, "sender", sender)
    _add(root, "sent", times.cap_datetime(alert.sent or times.now()))
    _add(root, "status", alert.cap_status or "Actual")
    _add(root, "msgType", kind)
    _add(root, "scope", "Public")
    if kind == "Cancel":
        _add(root, "note", f"{comment} / {CANCEL_NOTE}" if comment else CANCEL_NOTE)
    _add(root, "references", references(alert, sender))
    greek = (alert.title, alert.description, alert.instruction)
    _info(root, alert, "el-GR", greek, sender_name, web)
    if has_english(alert):
        english = (
            alert.headline_en or alert.title,
            alert.description_en or alert.description,
            alert.instruction_en or alert.instruction,
        )
        _info(root, alert, "en-US", english, sender_name, web)
    return root


def to_bytes(element):
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
