"""Numbering of decisions, sessions and permits, and the uniqueness of ΑΔΑ.

Event handlers: a record takes its number when it is added (or when it is
saved with a number or year it did not hold before), in the same transaction,
so a save that fails leaves no gap. See numbering.py for why concurrent saves
are safe. A number or ΑΔΑ held by another record is refused with a 400 and a
message in the user's language; the transaction, and so the save, is undone.
"""

from dimos.content import _
from dimos.content.content.council_body import DECISIONS_BOOK
from dimos.content.content.council_body import SESSIONS_BOOK
from dimos.content.numbering import NumberBook
from dimos.content.numbering import NumberTaken
from dimos.content.numbering import UniqueKeys
from dimos.content.validators import normalize_ada
from plone import api
from plone.uuid.interfaces import IUUID
from zExceptions import BadRequest
from zope.annotation.interfaces import IAnnotations
from zope.globalrequest import getRequest
from zope.i18n import translate

import datetime


PERMITS_BOOK = "dimos.content.permits"
ADA_KEYS = "dimos.content.ada"


def site_store(name, factory):
    """A persistent store kept in the site's annotations, made on first use."""
    annotations = IAnnotations(api.portal.get())
    if name not in annotations:
        annotations[name] = factory()
    return annotations[name]


def refuse(message):
    raise BadRequest(translate(message, context=getRequest()))


def _today():
    return datetime.date.today()


def take_number(book, record, number_attr, year_attr, year, label):
    """Give ``record`` an explicit or the next number of ``year`` in ``book``."""
    uid = IUUID(record)
    setattr(record, year_attr, year)
    number = getattr(record, number_attr, None)
    if not number:
        setattr(record, number_attr, book.take_next(year, uid))
        return
    try:
        book.claim(year, number, uid)
    except NumberTaken:
        holder = api.content.get(UID=book.holder(year, number))
        refuse(
            _(
                "${label} ${number}/${year} is already given to “${title}”; numbers are never reused.",
                mapping={
                    "label": translate(label, context=getRequest()),
                    "number": number,
                    "year": year,
                    "title": holder.Title() if holder is not None else "?",
                },
            )
        )


def year_for(decision_year, date_year, meeting):
    """The year a decision is numbered in: given, else its date's, its meeting's, this one."""
    if decision_year:
        return decision_year
    if date_year:
        return date_year
    if meeting is not None and meeting.start:
        return meeting.start.year
    return _today().year


def decision_year(decision):
    date = decision.decision_date
    return year_for(decision.decision_year, date.year if date else None, decision.meeting())


def number_decision(decision, event):
    """Give a decision its number; a digitized one keeps the number read from its scan.

    A decision from the paper archive whose number could not be read gets none:
    a new number would be invented. It waits for a clerk to enter the real one.
    """
    body = decision.body()
    if body is None:  # only made inside a body, but a bare object may be handled by scripts
        return
    if decision.from_paper() and not decision.decision_number:
        claim_ada(decision)
        return
    take_number(
        body.number_book(DECISIONS_BOOK),
        decision,
        "decision_number",
        "decision_year",
        decision_year(decision),
        _("Decision"),
    )
    claim_ada(decision)


def claim_ada(decision):
    keys = site_store(ADA_KEYS, UniqueKeys)
    uid = IUUID(decision)
    previous = getattr(decision, "_dimos_ada", None)
    ada = normalize_ada(decision.ada) or None
    decision.ada = ada
    if ada == previous:
        return
    if ada is not None:
        try:
            keys.claim(ada, uid)
        except NumberTaken:
            holder = api.content.get(UID=keys.holder(ada))
            refuse(
                _(
                    "The ΑΔΑ ${ada} already belongs to decision “${title}”.",
                    mapping={"ada": ada, "title": holder.Title() if holder is not None else "?"},
                )
            )
    if previous is not None:
        keys.release(previous, uid)
    decision._dimos_ada = ada


def release_ada(decision, event):
    """A deleted decision lets its ΑΔΑ go (unlike its number): the posting can be entered again."""
    ada = getattr(decision, "_dimos_ada", None)
    if ada is not None:
        site_store(ADA_KEYS, UniqueKeys).release(ada, IUUID(decision))


def number_meeting(meeting, event):
    body = meeting.body()
    if body is None or meeting.start is None:
        return
    take_number(
        body.number_book(SESSIONS_BOOK),
        meeting,
        "session_number",
        "session_year",
        meeting.start.year,
        _("Session"),
    )


def number_permit(permit, event):
    year = permit.permit_year or (permit.valid_from or _today()).year
    take_number(
        site_store(PERMITS_BOOK, NumberBook),
        permit,
        "permit_number",
        "permit_year",
        year,
        _("Permit"),
    )


def forget_numbers(record, event):
    """A copy is a new record: it takes its own numbers and has no ΑΔΑ or token yet."""
    numbered = (
        "decision_number",
        "session_number",
        "permit_number",
        "ada",
        "_dimos_ada",
        "protocol_seq",
        "protocol_number",
        "_dimos_tracking_token_hash",
    )
    for attr in numbered:
        if attr in record.__dict__:
            setattr(record, attr, None)
