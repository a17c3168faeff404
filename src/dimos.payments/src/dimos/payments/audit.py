"""The audit trail of debts and payment orders: who changed what, when.

Every change is appended as an entry ``{"when": <UTC datetime>, "who":
<user id>, "action": <what happened>, "changes": {field: [old, new]}}`` to
the object's ``audit`` tuple. Entries are never changed or removed; the tuple
is replaced (not mutated) so ZODB always sees the change. Values are kept
JSON-friendly (dates as ISO text) so the trail can be shown as it is stored.
No Zope or Plone imports.
"""

import datetime


def now_utc():
    return datetime.datetime.now(datetime.UTC)


def jsonable(value):
    """``value`` as JSON can carry it: dates and datetimes as ISO 8601 text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return value


def diff(obj, values):
    """``{field: [old, new]}`` for each of ``values`` that differs from ``obj``'s attribute."""
    changes = {}
    for field, new in values.items():
        old = getattr(obj, field, None)
        if old != new:
            changes[field] = [jsonable(old), jsonable(new)]
    return changes


class Audited:
    """Mixin for persistent objects that keep an audit trail."""

    audit = ()

    def record(self, who, action, changes=None, when=None, **extra):
        """Append an entry; ``extra`` (JSON-friendly) adds context, e.g. the RF code."""
        entry = {
            "when": when or now_utc(),
            "who": who,
            "action": action,
            "changes": dict(changes or {}),
        }
        if extra:
            entry["context"] = jsonable(extra)
        self.audit = (*self.audit, entry)
        return entry

    def audit_json(self):
        return [jsonable(entry) for entry in self.audit]
