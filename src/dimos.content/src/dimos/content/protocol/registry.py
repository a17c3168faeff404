"""The general protocol (Γενικό Πρωτόκολλο).

Every incoming application or document, and every outgoing document, takes
the next number of the year at once, with its time stamp. Numbers come from
a site-wide NumberBook (numbering.py): sequential per year, gap-free, never
reused, also when many are registered at the same time.

Incoming applications are CitizenApplication records: they are numbered when
they are added, wherever they come from (the Plone add form, the REST API or
``POST /@protocol``). The citizen gets a tracking token once; only its hash
is kept.
"""

from BTrees.OOBTree import OOBTree
from dimos.content.commitlock import hold_until_commit
from dimos.content.numbering import NumberBook
from dimos.content.numbers import site_store
from dimos.content.vocabularies.data import application_kind
from plone import api
from plone.uuid.interfaces import IUUID

import datetime
import hashlib
import hmac
import secrets


PROTOCOL_BOOK = "dimos.content.protocol"
TOKEN_HASH_ATTR = "_dimos_tracking_token_hash"


class ProtocolBook(NumberBook):
    """A NumberBook that also keeps what each number was given for."""

    def __init__(self):
        super().__init__()
        self.entries = OOBTree()  # (year, number) -> dict of the registration

    def register(self, year, uid, **entry):
        hold_until_commit(PROTOCOL_BOOK)
        number = self.take_next(year, uid)
        self.entries[(year, number)] = dict(entry, uid=uid)
        return number

    def entry(self, year, number):
        return self.entries.get((year, number))


def protocol_book():
    return site_store(PROTOCOL_BOOK, ProtocolBook)


def now():
    return datetime.datetime.now().astimezone()


def format_number(number, year):
    return f"{number}/{year}"


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(record, token):
    expected = getattr(record, TOKEN_HASH_ATTR, None)
    if not expected or not token:
        return False
    return hmac.compare_digest(expected, hash_token(token))


def register(record, direction, kind, subject, correspondent):
    """Take the next protocol number of the year for ``record``; (year, number, when)."""
    when = now()
    number = protocol_book().register(
        when.year,
        IUUID(record),
        direction=direction,
        registered=when.isoformat(),
        kind=kind,
        subject=subject,
        correspondent=correspondent,
    )
    return when.year, number, when


def register_application(record):
    """Give an incoming CitizenApplication its protocol number, route it, issue its token.

    Returns the tracking token (shown to the citizen once), or None when the
    record was numbered already.
    """
    if getattr(record, "protocol_seq", None):
        return None
    year, number, when = register(
        record, "incoming", record.application_kind, record.Title(), record.applicant_name
    )
    record.protocol_year = year
    record.protocol_seq = number
    record.protocol_number = format_number(number, year)
    record.protocol_registered = when
    record.protocol_direction = "incoming"
    if not getattr(record, "department", None):
        kind = application_kind(record.application_kind)
        record.department = kind.department if kind else "geniko-protokollo"
    token = secrets.token_urlsafe(18)
    setattr(record, TOKEN_HASH_ATTR, hash_token(token))
    return token


def find_registered(year, number):
    """The record holding protocol number ``number/year``, or None (ignores permissions)."""
    uid = protocol_book().holder(year, number)
    return None if uid is None else record_by_uid(uid)


def record_by_uid(uid):
    """The record with ``uid``, whoever asks (the protocol answers for it itself), or None."""
    with api.env.adopt_roles(["Manager"]):
        return api.content.get(UID=uid)
