"""Signature requests: a document, its signers in order, and each signature as it is added.

A clerk asks for signatures on a PDF (a decision, a permit, a certificate for a
citizen). The PDF becomes a SignedDocument in the site's ``signed-documents``
folder, related to its record, with the signing plan beside it. The document
waits in the first signer's "to sign" list; when they sign it moves to the
next one's. Each signature is an incremental update of the stored PDF, so
earlier signatures stay valid. When the last signer has signed, the record's
``signed_pdf`` (decisions, permits) becomes the signed PDF.

Nothing is written until a signature has succeeded: a refusal (wrong password,
revoked certificate, TSA down) leaves the document and the record as they were.
"""

from datetime import datetime
from dimos.policy.naming import new_id
from dimos.signing.core.errors import SigningError
from dimos.signing.core.sign import read_pdf
from dimos.signing.core.sign import sign_pdf
from dimos.signing.core.sign import Stamp
from dimos.signing.settings import signing_settings
from dimos.signing.signers import credential_for
from dimos.signing.signers import open_credential
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from z3c.relationfield import RelationValue
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.intid.interfaces import IIntIds


KEY = "dimos.signing.plan"
FOLDER_ID = "signed-documents"
FOLDER_TITLE = "Υπογεγραμμένα έγγραφα"
SIGNER_ROLES = ["Reader", "Signer"]


class SigningPlan(Persistent):
    """Who signs, in which order, and how far the signing has come."""

    def __init__(self, steps, actor):
        self.steps = PersistentList(
            PersistentMapping(userid=userid, role=role, signed_at=None, field=None)
            for userid, role in steps
        )
        self.status = "pending"  # "signed" when all have signed, or "cancelled"
        self.requested_by = actor
        self.requested_at = datetime.now().astimezone()

    def current(self):
        """The step waiting for its signature, or None."""
        if self.status != "pending":
            return None
        return next((step for step in self.steps if step["signed_at"] is None), None)

    def awaiting(self):
        step = self.current()
        return step["userid"] if step else None

    def as_dict(self):
        return {
            "status": self.status,
            "awaiting": self.awaiting(),
            "requested_by": self.requested_by,
            "requested_at": self.requested_at.isoformat(),
            "steps": [
                {
                    "userid": step["userid"],
                    "name": full_name(step["userid"]),
                    "role": step["role"],
                    "signed_at": step["signed_at"],
                    "field": step["field"],
                }
                for step in self.steps
            ],
        }


def plan_of(document):
    return IAnnotations(document).get(KEY)


def full_name(userid):
    user = api.user.get(userid=userid)
    return (user.getProperty("fullname") or userid) if user else userid


def signed_documents_folder():
    portal = api.portal.get()
    folder = portal.get(FOLDER_ID)
    if folder is None:
        with api.env.adopt_roles(["Manager"]):
            folder = api.content.create(
                container=portal, type="Folder", id=FOLDER_ID, title=FOLDER_TITLE
            )
            folder.exclude_from_nav = True
    return folder


def _refuse(code, message_el, message_en):
    raise SigningError(code, message_el, message_en)


def check_signers(signers):
    """SigningError unless ``signers`` [(userid, role or None), ...] are named once and can sign."""
    if not signers:
        _refuse(
            "no-signers",
            "Ορίστε τουλάχιστον έναν υπογράφοντα.",
            "Name at least one signer.",
        )
    seen = set()
    for userid, _role in signers:
        if userid in seen:
            _refuse(
                "signer-twice",
                f"Ο/Η {full_name(userid)} αναφέρεται δύο φορές στους υπογράφοντες.",
                f"{full_name(userid)} is named twice among the signers.",
            )
        seen.add(userid)
        if credential_for(userid) is None:
            _refuse(
                "no-credential",
                f"Ο/Η {full_name(userid)} δεν έχει καταχωρισμένο πιστοποιητικό υπογραφής.",
                f"{full_name(userid)} has no signing certificate registered.",
            )


def request_signatures(title, pdf, filename, signers, record=None, actor=None):
    """A new SignedDocument waiting for ``signers`` [(userid, role), ...] in that order."""
    signers = list(signers or ())
    check_signers(signers)
    read_pdf(pdf)  # a file that is not a signable PDF is refused here, not at the first signer
    signers = [(userid, role or credential_for(userid).role) for userid, role in signers]
    actor = actor or api.user.get_current().getId()
    folder = signed_documents_folder()
    with api.env.adopt_roles(["Manager"]):
        document = api.content.create(
            container=folder,
            type="SignedDocument",
            id=new_id(folder, title, fallback="eggrafo"),
            title=title,
            file=NamedBlobFile(bytes(pdf), filename=filename, contentType="application/pdf"),
            signers=[],
            validation_status="unverified",
            # set at creation, so that the relation catalog knows it
            record=RelationValue(getUtility(IIntIds).getId(record)) if record else None,
            exclude_from_nav=True,  # reached from the to-sign list and the record
        )
    IAnnotations(document)[KEY] = SigningPlan(signers, actor)
    for userid, _role in signers:
        document.manage_setLocalRoles(userid, SIGNER_ROLES)
    document.reindexObjectSecurity()
    document.reindexObject(idxs=["signature_awaiting"])  # the rest was indexed at creation
    return document


def related_record(document):
    relation = getattr(document, "record", None)
    return relation.to_object if relation is not None and not relation.isBroken() else None


def verify_url(document, settings=None):
    """The public verification link of ``document``, printed in its stamps' QR code."""
    return f"{(settings or signing_settings()).public_url}/verify/{document.UID()}"


def _check_turn(document, userid):
    plan = plan_of(document)
    if plan is None:
        _refuse(
            "no-request",
            "Για αυτό το έγγραφο δεν έχει ζητηθεί υπογραφή.",
            "No signature has been requested for this document.",
        )
    if plan.status == "signed":
        _refuse("already-signed", "Το έγγραφο έχει ήδη υπογραφεί από όλους.", "All have signed it.")
    if plan.status == "cancelled":
        _refuse("cancelled", "Η υπογραφή ακυρώθηκε.", "The signature request was cancelled.")
    step = plan.current()
    if step["userid"] != userid:
        if any(s["userid"] == userid for s in plan.steps):
            _refuse(
                "not-your-turn",
                f"Πριν από εσάς υπογράφει ο/η {full_name(step['userid'])}.",
                f"{full_name(step['userid'])} signs before you.",
            )
        _refuse(
            "not-a-signer",
            "Δεν είστε στους υπογράφοντες αυτού του εγγράφου.",
            "You are not one of this document's signers.",
        )
    return plan, step


def sign_document(document, userid, secret, now=None):
    """Add ``userid``'s signature to ``document``; core's Signed, or SigningError (nothing written)."""
    plan, step = _check_turn(document, userid)
    credential = credential_for(userid)
    if credential is None:
        _refuse(
            "no-credential",
            "Δεν έχετε καταχωρισμένο πιστοποιητικό υπογραφής· απευθυνθείτε στον διαχειριστή.",
            "You have no signing certificate registered; ask the administrator.",
        )
    settings = signing_settings()
    if not settings.tsa_url:
        _refuse(
            "no-tsa",
            "Δεν έχει οριστεί υπηρεσία χρονοσήμανσης (TSA) στις ρυθμίσεις υπογραφών.",
            "No timestamp authority (TSA) is set in the signing settings.",
        )
    info = credential.info
    stamp = Stamp(
        name=info.common_name or full_name(userid),
        role=step["role"] or credential.role,
        url=verify_url(document, settings),
    )
    with open_credential(credential, secret, settings.trust_roots, now) as opened:
        signed = sign_pdf(
            document.file.data,
            opened,
            stamp,
            settings.tsa_url,
            settings.trust_roots,
            lta=settings.lta,
        )
    _keep(document, plan, step, signed, stamp, info)
    return signed


def _keep(document, plan, step, signed, stamp, info):
    document.file = NamedBlobFile(
        signed.pdf, filename=document.file.filename, contentType="application/pdf"
    )
    when = signed.signed_at.isoformat()
    document.signers = [
        *(document.signers or []),
        {
            "name": stamp.name,
            "role": stamp.role,
            "signed_at": when,
            "certificate_subject": info.subject,
            "certificate_issuer": info.issuer,
            "timestamp": when,
            "level": signed.level,
        },
    ]
    document.validation_status = "valid"
    document.validated_at = datetime.now()
    step["signed_at"] = when
    step["field"] = signed.field_name
    if plan.current() is None:
        plan.status = "signed"
        record = related_record(document)
        if record is not None and hasattr(record, "signed_pdf"):
            record.signed_pdf = NamedBlobFile(
                signed.pdf, filename=document.file.filename, contentType="application/pdf"
            )
            record.reindexObject()
    document.reindexObject()


def cancel(document):
    plan = plan_of(document)
    if plan is None or plan.status != "pending":
        _refuse(
            "not-pending",
            "Δεν υπάρχει εκκρεμής υπογραφή να ακυρωθεί.",
            "There is no pending signature to cancel.",
        )
    plan.status = "cancelled"
    document.reindexObject()


def documents_to_sign(userid):
    """Brains of the documents waiting for ``userid``'s signature, oldest first."""
    return api.content.find(
        portal_type="SignedDocument",
        signature_awaiting=userid,
        sort_on="created",
    )
