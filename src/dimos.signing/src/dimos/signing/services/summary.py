"""What the services answer about a SignedDocument and its record."""

from dimos.signing.plan import full_name
from dimos.signing.plan import plan_of
from dimos.signing.plan import related_record
from dimos.signing.plan import verify_url


def record_summary(record):
    if record is None:
        return None
    return {
        "@id": record.absolute_url(),
        "@type": record.portal_type,
        "UID": record.UID(),
        "title": record.Title(),
    }


def document_summary(document):
    """The document, its signing plan (who signs, in which order, who has) and its record."""
    plan = plan_of(document)
    return {
        "@id": document.absolute_url(),
        "UID": document.UID(),
        "title": document.Title(),
        "filename": document.file.filename if document.file else None,
        "plan": plan.as_dict() if plan is not None else None,
        "record": record_summary(related_record(document)),
        "verify_url": verify_url(document),
    }


def to_sign_item(document, userid):
    """One entry of ``userid``'s "to sign" list."""
    plan = plan_of(document)
    step = plan.current()
    record = related_record(document)
    return {
        "@id": document.absolute_url(),
        "UID": document.UID(),
        "title": document.Title(),
        "record": {"@id": record.absolute_url(), "title": record.Title()} if record else None,
        "requested_by": plan.requested_by,
        "requested_by_name": full_name(plan.requested_by),
        "requested_at": plan.requested_at.isoformat(),
        "role": step["role"] if step and step["userid"] == userid else None,
        "step": plan.steps.index(step) + 1 if step else None,
        "steps": len(plan.steps),
    }
