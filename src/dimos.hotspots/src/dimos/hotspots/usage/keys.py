"""A hotspot's report key: IT issues it, the access-point controller sends it with each report.

The key (``dhk_`` and 43 URL-safe characters: 256 random bits) is shown once,
when it is issued; the hotspot keeps only a random salt and the SHA-256 of
salt and key, in an annotation (never a schema field, so no serializer can
show it). SHA-256 is enough for a 256-bit random secret (nothing to guess by
dictionary) and costs microseconds, so a report every few minutes from each
spot costs nothing. Issuing a key replaces the previous one; revoking leaves
none. Who issued or revoked, and when, is kept in a short audit list.
"""

from datetime import datetime
from datetime import UTC
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations

import hashlib
import hmac
import secrets


ANNOTATION = "dimos.hotspots.usage.key"
PREFIX = "dhk_"
AUDIT_LENGTH = 20  # the last issues and revocations kept


def new_key():
    return PREFIX + secrets.token_urlsafe(32)


def digest(key, salt):
    """The hex SHA-256 of ``salt`` (bytes) and ``key`` (text)."""
    return hashlib.sha256(salt + key.encode("utf-8")).hexdigest()


def matches(key, salt, expected):
    """Whether ``key`` hashes to ``expected``, compared in constant time."""
    if not key or not isinstance(key, str) or len(key) > 200:
        return False
    return hmac.compare_digest(digest(key, salt), expected)


def _record(hotspot, create=False):
    annotations = IAnnotations(hotspot)
    record = annotations.get(ANNOTATION)
    if record is None and create:
        record = annotations[ANNOTATION] = PersistentMapping(
            {"salt": None, "hash": None, "issued": None, "issued_by": None}
        )
        record["audit"] = PersistentList()
    return record


def _audit(record, action, actor, when):
    record["audit"].append({"action": action, "by": actor, "at": when})
    del record["audit"][:-AUDIT_LENGTH]


def issue_key(hotspot, actor, now=None):
    """A new key for ``hotspot`` (the previous one stops working): ``(key, issued)``."""
    now = now or datetime.now(UTC)
    key, salt = new_key(), secrets.token_bytes(16)
    record = _record(hotspot, create=True)
    record.update(salt=salt, hash=digest(key, salt), issued=now, issued_by=actor)
    _audit(record, "issued", actor, now)
    return key, now


def revoke_key(hotspot, actor, now=None):
    """Leave ``hotspot`` without a key; False (nothing changed) when it had none."""
    record = _record(hotspot)
    if record is None or record["hash"] is None:
        return False
    now = now or datetime.now(UTC)
    record.update(salt=None, hash=None, issued=None, issued_by=None)
    _audit(record, "revoked", actor, now)
    return True


def has_key(hotspot):
    record = _record(hotspot)
    return record is not None and record["hash"] is not None


def key_issued(hotspot):
    """(when, by whom) the current key was issued, or (None, None)."""
    record = _record(hotspot)
    if record is None or record["hash"] is None:
        return None, None
    return record["issued"], record["issued_by"]


def key_audit(hotspot):
    """The issues and revocations, oldest first: dicts {action, by, at}."""
    record = _record(hotspot)
    return [dict(entry) for entry in record["audit"]] if record is not None else []


def verify_key(hotspot, key):
    """Whether ``key`` is the hotspot's current key. Reads only: never writes."""
    record = _record(hotspot)
    if record is None or record["hash"] is None:
        return False
    return matches(key, record["salt"], record["hash"])
