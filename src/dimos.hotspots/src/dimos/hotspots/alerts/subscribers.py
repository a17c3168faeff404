"""Keep an alert's CAP bookkeeping and Dublin Core dates in step with its fields and workflow.

- created (or pasted as a copy): a new stable ``identifier``;
- created or edited: the CAP times stored timezone-aware, and copied to the
  Dublin Core effective/expiration dates that the catalog indexes;
- published: the first CAP message (msgType Alert);
- edited while published: an Update, referring to the earlier messages;
- withdrawn: a Cancel.
"""

from DateTime import DateTime
from dimos.hotspots.alerts import times
from plone import api

import uuid


def new_identifier():
    """``urn:uuid:…``: no spaces, commas, "<" or "&", as CAP requires."""
    return f"urn:uuid:{uuid.uuid4()}"


def sync_dates(alert):
    """Store the CAP times aware (Athens) and copy them to effective/expiration dates."""
    alert.cap_effective = times.aware(alert.cap_effective)
    alert.cap_expires = times.aware(alert.cap_expires)
    alert.effective_date = DateTime(alert.cap_effective) if alert.cap_effective else None
    alert.expiration_date = DateTime(alert.cap_expires) if alert.cap_expires else None


def issue_message(alert, msg_type, now=None):
    """Record a new CAP message of ``msg_type`` (Alert, Update or Cancel) sent ``now``."""
    sent = times.aware(now) if now is not None else times.now()
    sent = sent.replace(microsecond=0)
    previous = tuple(alert.messages or ())
    number = len(previous)
    identifier = alert.identifier if number == 0 else f"{alert.identifier}.{number}"
    alert.messages = (*previous, (identifier, times.cap_datetime(sent), msg_type))
    alert.sent = sent
    alert.version = number


def created(alert, event):
    if not alert.identifier:
        alert.identifier = new_identifier()
    sync_dates(alert)
    alert.reindexObject()


def copied(alert, event):
    """A copy is a new alert: nothing of the original's CAP messages."""
    alert.identifier = new_identifier()
    alert.sent = None
    alert.version = 0
    alert.messages = ()
    alert.withdrawn = None


def modified(alert, event):
    sync_dates(alert)
    if api.content.get_state(alert, default=None) == "published" and alert.messages:
        issue_message(alert, "Update")
    alert.reindexObject()


def transitioned(alert, event):
    transition = event.transition.id if event.transition is not None else None
    if transition == "publish":
        sync_dates(alert)
        issue_message(alert, "Alert")
    elif transition == "withdraw":
        issue_message(alert, "Cancel")
        alert.withdrawn = alert.sent
        alert.setModificationDate(DateTime(alert.sent))
    else:
        return
    alert.reindexObject()
