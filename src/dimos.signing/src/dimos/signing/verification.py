"""Public verification: what a signed PDF says about itself, and whether the archive has it.

Anyone may verify, so the answer shows only what the PDF itself shows (its
signers, their certificates and timestamps) plus whether the same file is in
the municipality's archive. A record the visitor may not see is not named.
"""

from dimos.signing.core.verify import verify_pdf
from dimos.signing.plan import plan_of
from dimos.signing.plan import related_record
from dimos.signing.plan import verify_url
from dimos.signing.settings import signing_settings
from plone import api

import hashlib


def _can_view(obj):
    return obj is not None and api.user.has_permission("View", obj=obj)


def _archive_entry(document, settings):
    """What the archive says of one SignedDocument, for anyone holding its link."""
    plan = plan_of(document)
    record = related_record(document)
    entry = {
        "id": document.UID(),
        "verify_url": verify_url(document, settings),
        "signing": plan.status if plan is not None else "signed",
        "signers": [
            {key: signer.get(key) for key in ("name", "role", "signed_at")}
            for signer in document.signers or ()
        ],
        "record": None,
    }
    if _can_view(record):
        label = getattr(record, "number_label", lambda: "")()
        entry["record"] = {
            "@id": record.absolute_url(),
            "title": record.Title(),
            "number": label,
        }
    if _can_view(document):
        entry["download"] = f"{document.absolute_url()}/@@download/file"
    return entry


def find_in_archive(sha256):
    """The SignedDocument whose PDF has this SHA-256, whoever may see it, or None."""
    brains = api.content.find(portal_type="SignedDocument", signed_sha256=sha256, unrestricted=True)
    return brains[0]._unrestrictedGetObject() if brains else None


def find_document(uid):
    brains = api.content.find(UID=uid, portal_type="SignedDocument", unrestricted=True)
    return brains[0]._unrestrictedGetObject() if brains else None


def _report(data, settings):
    return verify_pdf(data, settings.trust_roots, fetch=settings.fetch_revocation).as_dict()


def _with_archive(report, document, settings):
    report["archive"] = {
        "matches": document is not None,
        "document": _archive_entry(document, settings) if document is not None else None,
    }
    return report


def verify_bytes(data):
    """The report on uploaded PDF bytes, with ``archive``: the matching archive copy or None."""
    settings = signing_settings()
    report = _report(data, settings)
    return _with_archive(report, find_in_archive(report["sha256"]), settings)


def verify_document(document):
    """The report on the archive's own copy of ``document`` (the QR code's link)."""
    settings = signing_settings()
    return _with_archive(_report(document.file.data, settings), document, settings)


def sha256_of(named_file):
    return hashlib.sha256(named_file.data).hexdigest()
