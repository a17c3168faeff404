"""A scan's result becomes a CouncilDecision: created, or updated when its file came before.

``create_or_update(payload, files)`` is what ``POST /@digitization`` does, in
the request's one transaction: check the payload (``incoming.parse``), find the
council body, then create or update the decision whose ``source_sha256`` is
the file's hash. The hash -> UID map is a ``UniqueKeys`` in the site's
annotations: two transactions storing the same new file both insert that key,
ZODB refuses one (a conflict) and Zope retries it, and the retry finds the
record and updates it. Within one process the commit lock makes the second
wait instead of conflicting.

A decision the clerks have taken over (reviewed, or moved on in its workflow)
is never overwritten: storing its file again changes nothing.
"""

from dataclasses import dataclass
from dimos.content.commitlock import hold_until_commit
from dimos.content.content.council_body import DECISIONS_BOOK
from dimos.content.numbering import UniqueKeys
from dimos.content.numbers import site_store
from dimos.digitization.incoming import parse
from dimos.digitization.incoming import StoreError
from dimos.policy.naming import new_id
from dimos.policy.text.greek import fold
from plone import api
from plone.namedfile.file import NamedBlobFile
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.event import notify
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import ObjectModifiedEvent

import statistics


SHA_KEYS = "dimos.digitization.sha256"
LOCK = "dimos.digitization.store"
PUBLISH = ("submit", "approve", "publish")


@dataclass(frozen=True)
class Stored:
    record: object
    created: bool
    notes: tuple = ()  # (code, message_el, message_en)


def create_or_update(payload, files=None):
    """Store a scan's result; ``Stored``, or ``StoreError`` with nothing written.

    ``files`` holds the file parts of a multipart request (``incoming.parse``).
    """
    incoming = parse(payload, files)
    hold_until_commit(LOCK, fresh=True)
    with api.env.adopt_roles(["Manager"]):
        body = find_body(incoming.metadata.body)
        record = find_record(incoming.sha256)
        if record is not None and not overwritable(record):
            return Stored(record, created=False)
        number, year = numbering(incoming)
        check_number_free(body, number, year, record)
        fields = record_fields(incoming, number, year)
        created = record is None
        if created:
            record = api.content.create(
                container=body,
                type="CouncilDecision",
                id=new_id(body, fields["title"], fallback="apofasi"),
                **fields,
            )
            site_store(SHA_KEYS, UniqueKeys).claim(incoming.sha256, api.content.get_uuid(record))
        else:
            for name, value in fields.items():
                setattr(record, name, value)
        relate(record, body, incoming.metadata.references)
        notify(ObjectModifiedEvent(record))
        record.reindexObject()
        if incoming.publish and fields["digitization_status"] == "ocr-done":
            publish(record)
    return Stored(record, created, notes(incoming, number))


def find_record(sha256):
    """The decision holding ``sha256``, or None (a deleted one lets its hash go)."""
    keys = site_store(SHA_KEYS, UniqueKeys)
    uid = keys.holder(sha256)
    if uid is None:
        return None
    record = api.content.get(UID=uid)
    if record is None:
        keys.release(sha256, uid)
    return record


def overwritable(record):
    """Still the pipeline's: private and not yet reviewed by a clerk."""
    return api.content.get_state(record) == "draft" and record.digitization_status != "reviewed"


def find_body(name):
    """The CouncilBody whose id is ``name`` or whose title folds to the same words."""
    wanted = " ".join(fold(name).split())
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type="CouncilBody", sort_on="sortable_title")
    for brain in brains:
        if brain.getId == name or " ".join(fold(brain.Title or "").split()) == wanted:
            return brain._unrestrictedGetObject()
    known = ", ".join(f"«{brain.Title}» ({brain.getId})" for brain in brains) or "–"
    raise StoreError(
        "unknown-body",
        f"Άγνωστο όργανο «{name}». Γνωστά όργανα: {known}.",
        f"Unknown body “{name}”. Known bodies: {known}.",
    )


def numbering(incoming):
    """(number, year) read from the scan, or (None, year): a number needs its year."""
    metadata = incoming.metadata
    year = metadata.decision_year or (metadata.meeting_date.year if metadata.meeting_date else None)
    number = metadata.decision_number if year else None
    return number, year


def check_number_free(body, number, year, record):
    if number is None:
        return
    holder_uid = body.number_book(DECISIONS_BOOK).holder(year, number)
    if holder_uid is None or (record is not None and holder_uid == api.content.get_uuid(record)):
        return
    holder = api.content.get(UID=holder_uid)
    title = holder.Title() if holder is not None else "?"
    raise StoreError(
        "number-taken",
        f"Ο αριθμός {number}/{year} ανήκει ήδη στην απόφαση «{title}» του οργάνου.",
        f"Number {number}/{year} already belongs to the body's decision “{title}”.",
    )


def _file(data):
    return NamedBlobFile(data=data.data, filename=data.filename, contentType=data.content_type)


def record_fields(incoming, number, year):
    metadata = incoming.metadata
    pages = incoming.pages
    confidences = [page.confidence for page in pages if page.confidence is not None]
    flagged = incoming.flagged_pages
    fields = {
        "title": metadata.subject or title_for(incoming, number, year),
        "source_sha256": incoming.sha256,
        "source_scan": _file(incoming.source),
        "searchable_pdf": _file(incoming.searchable_pdf) if incoming.searchable_pdf else None,
        "page_count": len(pages),
        "ocr_pages": [page.as_dict() for page in pages],
        "ocr_text": None,  # the pages hold the text
        "ocr_confidence": round(statistics.fmean(confidences), 1) if confidences else None,
        "review_pages": flagged,
        "script": "polytonic" if any(p.script == "polytonic" for p in pages) else "monotonic",
        "digitization_status": "ocr-done" if number and not flagged else "needs-review",
    }
    if number:
        fields["decision_number"], fields["decision_year"] = number, year
    elif year:
        fields["decision_year"] = year
    if metadata.meeting_date:
        fields["decision_date"] = metadata.meeting_date
    return fields


def title_for(incoming, number, year):
    if number:
        return f"Απόφαση {number}/{year}"
    return f"Ψηφιοποιημένη απόφαση ({incoming.filename})"


def relate(record, body, references):
    """``amends``/``repeals`` references to decisions of the same body that exist become relations."""
    catalog = api.portal.get_tool("portal_catalog")
    intids = getUtility(IIntIds)
    path = "/".join(body.getPhysicalPath())
    related = {"amends": [], "repeals": []}
    for reference in references:
        if reference.relation not in related:
            continue
        for brain in catalog.unrestrictedSearchResults(
            portal_type="CouncilDecision",
            decision_number=reference.number,
            decision_year=reference.year,
            path=path,
        ):
            target = brain._unrestrictedGetObject()
            if target is not record:
                related[reference.relation].append(RelationValue(intids.getId(target)))
    for name, values in related.items():
        setattr(record, name, values)


def publish(record):
    for transition in PUBLISH:
        api.content.transition(obj=record, transition=transition)


def notes(incoming, number):
    """What the clerks (and the worker's log) should know about the stored record."""
    found = []
    if number is None:
        found.append(
            (
                "no-number",
                "Δεν διαβάστηκε αριθμός απόφασης: η απόφαση μένει χωρίς αριθμό, για έλεγχο.",
                "No decision number was read: the decision is left without one, for review.",
            )
        )
    if incoming.flagged_pages:
        pages = ", ".join(str(n) for n in incoming.flagged_pages)
        found.append(
            (
                "flagged-pages",
                f"Σελίδες για έλεγχο: {pages}.",
                f"Pages to review: {pages}.",
            )
        )
    return tuple(found)


def summary(record, created=False, notes=()):
    """The answer of POST and GET /@digitization."""
    result = {
        "@id": record.absolute_url(),
        "UID": api.content.get_uuid(record),
        "created": created,
        "digitization_status": record.digitization_status,
        "review_state": api.content.get_state(record),
        "number_label": record.number_label(),
        "review_pages": list(record.review_pages or ()),
    }
    if notes:
        result["notes"] = [
            {"code": code, "message": el, "messages": {"el": el, "en": en}}
            for code, el, en in notes
        ]
    return result


def get_by_sha256(sha256):
    """The decision stored for ``sha256`` or None."""
    with api.env.adopt_roles(["Manager"]):
        return find_record(sha256)
