"""Issuing the permit once an approved application's fee is paid; its sealed PDF after the commit.

``payment_applied`` subscribes to ``events.IPaymentApplied`` (notified by
``ledger.record_payment`` inside the payment's transaction, with the ledger's
commit lock held). For every paid debt that is an approved application's fee
it calls ``open_permit``, which does only what is cheap:

1. the application is marked ``paid`` (audited);
2. a ``Permit`` (dimos.content) is made in the permits folder (registry
   ``dimos.payments.occupation.permits_folder``, ``adeies`` at the site root
   as dimos.content's demo has it; made when missing) with the holder, place,
   area, validity, fee, ``payment_code`` (the RF) and ``paid_on``, numbered
   per year by dimos.content, and taken through its workflow (approve,
   confirm_payment, issue); the holder (user id = ΑΦΜ) may read it;
3. the seal's settings are checked (``seal.ready_config``: the registry only).
   Without a seal the PDF is ``pending`` at once, with that reason, and
   nothing is drawn or queued; otherwise it is ``pending`` "being issued" and,
   once the transaction has committed, ``issue_in_background`` runs on the
   settlement worker thread (settlement/background.py): it draws and seals the
   PDF (permitpdf.py) holding no lock and writing nothing, then, in a short
   transaction of its own holding the permits' lock (retried on a conflict),
   keeps it in the Permit's ``signed_pdf`` and emails it to the holder (sent
   after that commit), or keeps the reason it is still pending.

Nothing here may undo the payment: a seal that is not set up, expired or
unreachable leaves the PDF ``pending`` (with the reason, in Greek and English,
on the application) and the permit issued without it; any other failure is
logged and kept on the application (status ``paid``) for staff, who retry with
``issue_permit`` (``POST /@occupation-applications/{id}/issue-permit``), which
carries on from where it stopped, never makes a second permit and, like the
receipts' retry, draws and seals first and takes the permits' lock only to write.
"""

from datetime import datetime
from datetime import time
from datetime import UTC
from decimal import Decimal
from dimos.content.commitlock import hold_until_commit
from dimos.payments import logger
from dimos.payments import notify
from dimos.payments.bilingual import BilingualError
from dimos.payments.occupation.applications import application_of_debt
from dimos.payments.occupation.applications import APPROVED
from dimos.payments.occupation.applications import ISSUED
from dimos.payments.occupation.applications import PAID
from dimos.payments.occupation.permitpdf import PermitData
from dimos.payments.occupation.permitpdf import problem_of
from dimos.payments.occupation.permitpdf import seal_permit
from dimos.payments.occupation.permitpdf import SealedPermit
from dimos.payments.occupation.tariffs import area_decimal
from dimos.payments.occupation.tariffs import kind_title
from dimos.payments.occupation.tariffs import PERMIT_KINDS
from dimos.payments.seal import ready_config
from dimos.payments.settlement.background import busy
from dimos.payments.settlement.background import commit_with_retries
from dimos.payments.settlement.background import run_after_commit
from plone import api
from plone.app.uuid.utils import uuidToObject
from plone.namedfile.file import NamedBlobFile
from transaction.interfaces import TransientError


FOLDER_RECORD = "dimos.payments.occupation.permits_folder"
DEFAULT_FOLDER = "adeies"
REVENUE_GROUP = "oikonomiki-ypiresia"
LOCK_NAME = "dimos.payments.occupation.permits"
SYSTEM_ACTOR = "system:permits"
PENDING, SEALED = "pending", "sealed"
ISSUING = {
    "code": "permit-issuing",
    "el": (
        "Η άδεια εκδόθηκε· το σφραγισμένο PDF της εκδίδεται (σχεδίαση και ηλεκτρονική "
        "σφραγίδα). Αν δεν εκδοθεί σε λίγα λεπτά, θα εκδοθεί με νέα προσπάθεια."
    ),
    "en": (
        "The permit is issued; its sealed PDF is being issued (drawn and sealed). "
        "If it is not issued within minutes, it will be issued on a new attempt."
    ),
}
PERMIT_STEPS = (
    ("approve", "Εγκρίθηκε η αίτηση {id} / Application {id} approved."),
    ("confirm_payment", "Πληρώθηκε με τον κωδικό {rf} / Paid with the code {rf}."),
    ("issue", "Η άδεια εκδόθηκε / The permit was issued."),
)


def payment_applied(event):
    """Subscriber: permits for the approved applications whose fee this payment paid."""
    for debt in event.debts:
        if debt is None or debt.source != "common-space":
            continue
        app = application_of_debt(debt.id)
        if app is not None and app.status == APPROVED and app.rf == event.order.rf:
            open_permit(app, event.payment.paid_at, event.payment.actor)


def _paid_on(when):
    """An aware UTC datetime (ZODB-friendly); a bank's date as noon UTC, the same day in Athens."""
    if isinstance(when, datetime):
        return when.astimezone(UTC)
    return datetime.combine(when, time(12), tzinfo=UTC)


def permits_folder():
    """The folder the permits go in: found at the site root, or made (private, for revenue staff)."""
    portal = api.portal.get()
    folder_id = api.portal.get_registry_record(FOLDER_RECORD, default=None) or DEFAULT_FOLDER
    folder = portal.get(folder_id)
    if folder is not None:
        return folder
    folder = api.content.create(
        container=portal,
        type="Folder",
        id=folder_id,
        title="Άδειες",
        description="Άδειες χρήσης κοινόχρηστων χώρων και άλλες άδειες του Δήμου",
        exclude_from_nav=True,
    )
    if api.group.get(groupname=REVENUE_GROUP) is not None:
        api.group.grant_roles(groupname=REVENUE_GROUP, roles=["Reader", "Contributor"], obj=folder)
        folder.reindexObjectSecurity()
    return folder


def _make_permit(app):
    folder = permits_folder()
    permit_id = f"adeia-{app.id}"
    if permit_id in folder:  # made by an earlier attempt that stopped later on
        return folder[permit_id]
    permit = api.content.create(
        container=folder,
        type="Permit",
        id=permit_id,
        title=f"{app.title_el} – {app.holder_name}",
        permit_kind=PERMIT_KINDS[app.kind],
        holder_name=app.holder_name,
        holder_afm=app.afm,
        location=f"{app.location} ({app.zone})" if app.zone else app.location,
        area_m2=area_decimal(app.area_centi),
        valid_from=app.start,
        valid_until=app.end,
        fee=Decimal(app.amount_cents) / 100,
        payment_code=app.rf,
        paid_on=_paid_on(app.paid["at"]),
    )
    permit.manage_setLocalRoles(app.afm, ["Reader"])
    permit.reindexObjectSecurity()
    return permit


def _issued(app, permit):
    """Take ``permit`` through the steps it has not taken yet."""
    workflow = api.portal.get_tool("portal_workflow")
    for transition, comment in PERMIT_STEPS:
        possible = {item["id"] for item in workflow.getTransitionsFor(permit)}
        if transition in possible:
            comment = comment.format(id=app.id, rf=app.rf)
            api.content.transition(obj=permit, transition=transition, comment=comment)
    return permit


def municipality():
    name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    return name.strip() or api.portal.get().Title()


def permit_data(app, permit):
    return PermitData(
        municipality=municipality(),
        number=permit.number_label(),
        kind_el=kind_title(app.kind),
        kind_en=kind_title(app.kind, "en"),
        holder_name=app.holder_name,
        holder_afm=app.afm,
        location=app.location,
        zone=app.zone,
        area_centi=app.area_centi,
        valid_from=app.start,
        valid_until=app.end,
        duration_el=app_units(app, "el"),
        duration_en=app_units(app, "en"),
        fee_cents=app.amount_cents,
        rf_code=app.rf,
        paid_at=app.paid["at"],
        application=app.id,
        decision=app.decision_label,
    )


def app_units(app, language):
    if language == "en":
        return f"{app.units} {app.unit}{'' if app.units == 1 else 's'}"
    names = {"month": ("μήνας", "μήνες"), "day": ("ημέρα", "ημέρες")}[app.unit]
    return f"{app.units} {names[0] if app.units == 1 else names[1]}"


def task_key(app):
    """What the worker's task on ``app``'s permit is known by (``background.busy``)."""
    return f"permit:{app.id}"


def seal_setup():
    """(the SealConfig, None) when permits can be sealed; (None, the problem) if not. Cheap."""
    try:
        return ready_config(), None
    except TransientError:
        raise
    except Exception as error:  # SealError says what is missing; anything else is logged
        if not isinstance(error, BilingualError):
            logger.exception("The seal's settings cannot be read")
        return None, problem_of(error)


def _make_and_issue(app, paid_at, actor, pdf_values):
    """Mark ``app`` paid, make and issue its Permit (once); the Permit, or None if that failed.

    ``pdf_values`` (the PDF's state) are recorded with the permit, unless its
    PDF is sealed already. A failure is logged and kept on the application.
    """
    if app.status == APPROVED:
        when = _paid_on(paid_at) if isinstance(paid_at, datetime) else paid_at
        paid = {"at": when or datetime.now(UTC), "rf": app.rf}
        app.change({"status": PAID, "paid": paid}, actor, "paid")
    try:
        with api.env.adopt_roles(["Manager"]):
            permit = _issued(app, _make_permit(app))
            values = {
                "status": ISSUED,
                "permit_uid": api.content.get_uuid(permit),
                "permit_url": permit.absolute_url(),
                "permit_number": permit.number_label(),
            }
            if (app.permit_error or {}).get("code") == "permit-failed":
                values["permit_error"] = None  # made now
            if app.permit_pdf != SEALED:
                values.update(pdf_values)
            app.change(values, actor, "permit-issued")
            return permit
    except TransientError:
        raise  # Zope retries the whole request, payment included
    except Exception as error:  # the payment stands whatever happens here
        logger.exception("The permit of application %s could not be issued", app.id)
        problem = {
            "code": "permit-failed",
            "el": f"Η άδεια δεν εκδόθηκε ({type(error).__name__})· η πληρωμή έχει καταχωριστεί.",
            "en": f"The permit was not issued ({type(error).__name__}); the payment is recorded.",
        }
        app.change({"permit_error": problem}, actor, "permit-failed")
        return None


def open_permit(app, paid_at=None, actor=SYSTEM_ACTOR):
    """In the payment's transaction: issue the permit of paid ``app``; its PDF after the commit.

    Only what is cheap: the Permit is made and issued, its PDF marked pending
    ("being issued", or why it cannot be: no seal) and, when a seal is set
    up, drawn, sealed, kept and emailed by the worker once this transaction
    commits (nothing if it does not). The Permit, or None if it could not be made.
    """
    config, problem = seal_setup()
    pending = {"permit_pdf": PENDING, "permit_error": problem or dict(ISSUING)}
    permit = _make_and_issue(app, paid_at, actor, pending)
    if permit is None or config is None or app.permit_pdf == SEALED:
        return permit
    try:
        run_after_commit(issue_in_background, app, config, actor, key=task_key(app))
    except TransientError:
        raise
    except Exception:  # it stays pending, "being issued", for a retry
        logger.exception("The PDF of permit %s was not queued", app.permit_number)
    return permit


def permit_of(app):
    """The Permit of ``app`` (whoever asks), or None."""
    return uuidToObject(app.permit_uid, unrestricted=True) if app.permit_uid else None


def draw_and_seal(app, permit, config):
    """The permit's PDF drawn and sealed: a SealedPermit. Writes nothing, holds no lock."""
    try:
        data = permit_data(app, permit)
    except TransientError:
        raise
    except Exception as error:  # data that cannot make a permit (PermitData refuses it)
        logger.exception("The PDF of permit %s cannot be drawn", app.permit_number)
        return SealedPermit(None, None, problem_of(error))
    return seal_permit(data, config)


def _email_holder(app, sealed, actor):
    """Email the holder the sealed permit (sent after the commit), once."""
    data = sealed.data
    if not app.email or app.permit_emailed:
        return
    period = f"{data.valid_from:%d/%m/%Y} – {data.valid_until:%d/%m/%Y}"
    title = f"{data.kind_el}: {app.location}, {period}"
    try:
        sent = notify.notify_permit_issued(
            app.email,
            app.holder_name,
            title,
            sealed.pdf,
            data.filename,
            data.number,
            app.permit_url,
        )
    except TransientError:
        raise
    except Exception:  # the sealed PDF is kept whatever the email does
        logger.exception("The permit %s could not be emailed", data.number)
        return
    if sent:
        app.change({"permit_emailed": True}, actor, "permit-emailed", to=app.email)


def keep(app, permit, sealed, actor):
    """Keep what ``draw_and_seal`` gave: the PDF, emailed (True), or why it is pending (False).

    A PDF sealed meanwhile (by the worker or a retry) is left as it is.
    """
    if app.permit_pdf == SEALED:
        return True
    if sealed.pdf is None:
        app.change(
            {"permit_pdf": PENDING, "permit_error": sealed.problem}, actor, "permit-pdf-pending"
        )
        return False
    permit.signed_pdf = NamedBlobFile(
        data=sealed.pdf, filename=sealed.data.filename, contentType="application/pdf"
    )
    permit.reindexObject()
    app.change({"permit_pdf": SEALED, "permit_error": None}, actor, "permit-pdf-sealed")
    _email_holder(app, sealed, actor)
    return True


def issue_in_background(site, app, config, actor):
    """The worker's task: draw and seal ``app``'s permit, then keep it and email the holder.

    Drawing and sealing (the slow part) hold no lock and write nothing; the
    writes come last, in a transaction of their own holding the permits' lock
    (begun afresh, so they see the latest state), retried on a conflict.
    """
    permit = permit_of(app)
    if permit is None or app.permit_pdf == SEALED:
        return
    sealed = draw_and_seal(app, permit, config)

    def write():
        hold_until_commit(LOCK_NAME, fresh=True)
        return keep(app, permit, sealed, actor)

    commit_with_retries(write)


def issue_permit(app, paid_at=None, actor=SYSTEM_ACTOR):
    """Staff's retry: make and issue what is missing, seal the PDF and send it; safe to call again.

    Draws and seals first, holding no lock; the permits' lock is taken only to
    keep the result. A PDF the worker of this process is issuing right now is
    left to it. True when the permit is issued with its sealed PDF; False when
    something is left pending (the reason is on the application).
    """
    config, problem = seal_setup()
    permit = _make_and_issue(app, paid_at, actor, {})
    if permit is None:
        return False
    if app.permit_pdf == SEALED:
        return True
    if busy(task_key(app)):
        return False
    sealed = draw_and_seal(app, permit, config) if config else SealedPermit(None, None, problem)
    hold_until_commit(LOCK_NAME, fresh=True)
    return keep(app, permit, sealed, actor)
