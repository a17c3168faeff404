"""Catalog indexes: whose signature a document waits for, and its PDF's SHA-256."""

from dimos.content.content.signed_document import ISignedDocument
from dimos.signing.plan import plan_of
from dimos.signing.verification import sha256_of
from plone.indexer import indexer


@indexer(ISignedDocument)
def signature_awaiting(document):
    plan = plan_of(document)
    userid = plan.awaiting() if plan is not None else None
    if userid is None:
        raise AttributeError("signature_awaiting")
    return [userid]


@indexer(ISignedDocument)
def signed_sha256(document):
    if not document.file:
        raise AttributeError("signed_sha256")
    return sha256_of(document.file)
