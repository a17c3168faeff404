"""Hotspots that stopped reporting, and one email to IT per outage.

A hotspot is stale when its last report (``last_seen``) is older than the
registry's ``dimos.hotspots.stale_after_minutes``. One never seen is stale
only once it has a key (IT expects reports from then on) and the key is
older than that: a spot being set up is not an outage.

``notify_stale(site)`` (run every few minutes by ``scripts/check_hotspots.py``)
emails ``dimos.hotspots.it_email`` the newly stale hotspots and remembers,
on each, that it did (an annotation), so the next run stays silent. A
report clears the mark (``mark_seen``); the next run then says in one email
which spots are back. Mail goes through the site's MailHost after the
transaction commits, so a run that fails sends nothing and marks nothing.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots import logger
from dimos.hotspots.setuphandlers import hotspot_folder
from dimos.hotspots.usage import keys
from dimos.hotspots.usage.store import TIME_ZONE
from email import policy
from email.message import EmailMessage
from email.utils import formataddr
from email.utils import formatdate
from email.utils import make_msgid
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations

import transaction


FLAG = "dimos.hotspots.usage.stale"


def stale_after():
    from plone import api

    minutes = api.portal.get_registry_record("dimos.hotspots.stale_after_minutes", default=30)
    return timedelta(minutes=minutes or 30)


def is_stale(hotspot, now=None, after=None):
    """Whether ``hotspot`` has not reported for ``stale_after_minutes`` (see the module)."""
    now = now or datetime.now(UTC)
    limit = now - (after or stale_after())
    if hotspot.last_seen is not None:
        return hotspot.last_seen < limit
    issued, _by = keys.key_issued(hotspot)
    return issued is not None and issued < limit


def hotspots(site):
    """The site's Hotspots, by id."""
    folder = hotspot_folder(site)
    if folder is None:
        return []
    found = [obj for obj in folder.objectValues() if getattr(obj, "portal_type", "") == "Hotspot"]
    return sorted(found, key=lambda obj: obj.getId())


def stale_hotspots(site, now=None):
    """The Hotspots in service not seen for ``stale_after_minutes``, by id.

    A spot IT has set to maintenance or out of service is silent on purpose:
    its page still says it does not report, but IT is not told again.
    """
    after = stale_after()
    return [
        spot
        for spot in hotspots(site)
        if getattr(spot, "status", "in_service") == "in_service" and is_stale(spot, now, after)
    ]


def flagged(hotspot):
    """When IT was told this hotspot went silent (a report since clears it), or None."""
    flag = IAnnotations(hotspot).get(FLAG)
    if flag is None or flag.get("back") is not None:
        return None
    return flag["flagged"]


def mark_seen(hotspot, now):
    """A report arrived: clear the outage mark, if any, for the next run to say it is back."""
    flag = IAnnotations(hotspot).get(FLAG)
    if flag is not None and flag.get("back") is None:
        flag["back"] = now


def format_moment(moment):
    if moment is None:
        return "ποτέ / never"
    return moment.astimezone(TIME_ZONE).strftime("%d/%m/%Y %H:%M")


def _line(spot):
    return (
        f"- {spot.Title()} ({spot.getId()}), {spot.address or ''}: {format_moment(spot.last_seen)}"
    )


def message_text(silent, back, minutes):
    lines = []
    if silent:
        lines += [
            f"Σημεία WiFi χωρίς αναφορά για πάνω από {minutes} λεπτά (τελευταία αναφορά):",
            "",
        ]
        lines += [_line(spot) for spot in silent] + [""]
    if back:
        lines += ["Σημεία που ανέφεραν ξανά:", ""] + [_line(spot) for spot in back] + [""]
    lines += ["— — —", ""]
    if silent:
        lines += [f"Hotspots that have not reported for over {minutes} minutes (last report):", ""]
        lines += [_line(spot) for spot in silent] + [""]
    if back:
        lines += ["Hotspots reporting again:", ""] + [_line(spot) for spot in back] + [""]
    return "\n".join(lines)


def subject(silent, back):
    parts = []
    if silent:
        parts.append(f"Σημεία WiFi χωρίς αναφορά / Hotspots not reporting: {len(silent)}")
    if back:
        parts.append(f"ξανά σε λειτουργία / back online: {len(back)}")
    return " · ".join(parts)


def _compose(to, subject_text, text):
    from plone import api

    address = api.portal.get_registry_record("plone.email_from_address", default="") or ""
    name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject_text
    message["From"] = formataddr((name, address))
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    return message


def _deliver(committed, host, message):
    if not committed:
        return
    try:
        host.send(message, immediate=True)
    except Exception:  # the marks are committed: log, the next outage mails again
        logger.exception("Could not send “%s” to %s", message["Subject"], message["To"])


def _sort_flags(site, now):
    """(newly silent, back) hotspots, their marks set or cleared."""
    after = stale_after()
    silent, back = [], []
    for spot in hotspots(site):
        annotations = IAnnotations(spot)
        flag = annotations.get(FLAG)
        if flag is not None and flag.get("back") is not None:
            back.append(spot)
            del annotations[FLAG]
            flag = None
        if flag is None and is_stale(spot, now, after):
            annotations[FLAG] = PersistentMapping({"flagged": now, "back": None})
            silent.append(spot)
    return silent, back


def notify_stale(site, now=None):
    """Email IT the newly silent hotspots (and those back); ``(silent, back)`` lists.

    Sends nothing when there is no news or no ``it_email``; the email leaves
    when the transaction commits (the caller commits).
    """
    from plone import api

    now = now or datetime.now(UTC)
    silent, back = _sort_flags(site, now)
    to = (api.portal.get_registry_record("dimos.hotspots.it_email", default="") or "").strip()
    if not (silent or back):
        return silent, back
    if not to:
        logger.warning(
            "dimos.hotspots.it_email is empty: IT is not told of %d hotspots", len(silent)
        )
        return silent, back
    minutes = int(stale_after().total_seconds() // 60)
    message = _compose(to, subject(silent, back), message_text(silent, back, minutes))
    host = api.portal.get_tool("MailHost")
    transaction.get().addAfterCommitHook(_deliver, args=(host, message))
    return silent, back
