"""Issuing the permit once an approved application's fee is paid.

``payment_applied`` subscribes to ``events.IPaymentApplied`` (notified by
``ledger.record_payment`` inside the payment's transaction). For every paid
debt that is an approved application's fee it calls ``issue_permit``:

1. the application is marked ``paid`` (audited);
2. a ``Permit`` (dimos.content) is made in the permits folder (registry
   ``dimos.payments.occupation.permits_folder``, ``adeies`` at the site root
   as dimos.content's demo has it; made when missing) with the holder, place,
   area, validity, fee, ``payment_code`` (the RF) and ``paid_on``, numbered
   per year by dimos.content, and taken through its workflow (approve,
   confirm_payment, issue); the holder (user id = ΑΦΜ) may read it;
3. its PDF is drawn (permitpdf.py), sealed (``seal.seal_pdf``), kept in the
   Permit's ``signed_pdf`` and emailed to the holder, after commit.

Nothing here may undo the payment: a seal that is not set up, expired or
unreachable leaves the PDF ``pending`` (with the reason, in Greek and English,
on the application) and the permit issued without it; any other failure is
logged and kept on the application (status ``paid``) for staff, who retry with
``issue_permit`` again (``POST /@occupation-applications/{id}/issue-permit``),
which carries on from where it stopped and never makes a second permit.
"""

from datetime import datetime
from datetime import time
from datetime import UTC
from decimal import Decimal
from dimos.payments import logger
from dimos.payments import notify
from dimos.payments.bilingual import BilingualError
from dimos.payments.occupation.applications import application_of_debt
from dimos.payments.occupation.applications import APPROVED
from dimos.payments.occupation.applications import ISSUED
from dimos.payments.occupation.applications import PAID
from dimos.payments.occupation.permitpdf import PermitData
from dimos.payments.occupation.permitpdf import render_permit
from dimos.payments.occupation.tariffs import area_decimal
from dimos.payments.occupation.tariffs import kind_title
from dimos.payments.occupation.tariffs import PERMIT_KINDS
from dimos.payments.seal import seal_pdf
from dimos.payments.seal import SealError
from plone import api
from plone.namedfile.file import NamedBlobFile
from ZODB.POSException import ConflictError


FOLDER_RECORD = "dimos.payments.occupation.permits_folder"
DEFAULT_FOLDER = "adeies"
REVENUE_GROUP = "oikonomiki-ypiresia"
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
            issue_permit(app, event.payment.paid_at, event.payment.actor)


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


def _pdf_problem(error):
    """What the application says about a PDF that could not be made: Greek, English, a code."""
    if isinstance(error, BilingualError):
        return {"code": error.code, "el": error.message_el, "en": error.message_en}
    return {
        "code": "permit-pdf-failed",
        "el": f"Το PDF της άδειας δεν έγινε ({type(error).__name__}).",
        "en": f"The permit's PDF could not be made ({type(error).__name__}).",
    }


def _seal_and_send(app, permit, actor):
    """Draw and seal the permit's PDF, keep it on the Permit, email it; False if left pending."""
    try:
        data = permit_data(app, permit)
        signed = seal_pdf(render_permit(data))
    except ConflictError:
        raise
    except Exception as error:  # the seal is down, or the PDF cannot be drawn: pending
        log = logger.warning if isinstance(error, SealError) else logger.exception
        log("The PDF of permit %s is pending: %s", app.permit_number, error)
        problem = _pdf_problem(error)
        app.change({"permit_pdf": "pending", "permit_error": problem}, actor, "permit-pdf-pending")
        return False
    permit.signed_pdf = NamedBlobFile(
        data=signed.pdf, filename=data.filename, contentType="application/pdf"
    )
    permit.reindexObject()
    app.change({"permit_pdf": "sealed", "permit_error": None}, actor, "permit-pdf-sealed")
    if app.email and not app.permit_emailed:
        period = f"{data.valid_from:%d/%m/%Y} – {data.valid_until:%d/%m/%Y}"
        title = f"{data.kind_el}: {app.location}, {period}"
        sent = notify.notify_permit_issued(
            app.email,
            app.holder_name,
            title,
            signed.pdf,
            data.filename,
            data.number,
            app.permit_url,
        )
        if sent:
            app.change({"permit_emailed": True}, actor, "permit-emailed", to=app.email)
    return True


def issue_permit(app, paid_at=None, actor="system:permits"):
    """Make, issue, seal and send the permit of a paid application; safe to call again.

    True when the permit is issued with its sealed PDF; False when something is
    left pending (the reason is on the application).
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
                "permit_error": None,
            }
            app.change(values, actor, "permit-issued")
            if app.permit_pdf == "sealed":
                return True
            return _seal_and_send(app, permit, actor)
    except ConflictError:
        raise  # Zope retries the whole request, payment included
    except Exception as error:  # the payment stands whatever happens here
        logger.exception("The permit of application %s could not be issued", app.id)
        problem = {
            "code": "permit-failed",
            "el": f"Η άδεια δεν εκδόθηκε ({type(error).__name__})· η πληρωμή έχει καταχωριστεί.",
            "en": f"The permit was not issued ({type(error).__name__}); the payment is recorded.",
        }
        app.change({"permit_error": problem}, actor, "permit-failed")
        return False
