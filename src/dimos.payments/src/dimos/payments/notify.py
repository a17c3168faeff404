"""Emails to citizens, Greek first with English below: new debts, payments, permits.

Messages are ``email.message.EmailMessage`` (UTF-8, quoted-printable text,
RFC 2047 headers), sent through the site's MailHost, and only once the
transaction commits: an aborted or retried request sends nothing, so a
citizen never hears of a payment that was not recorded.

Why not MailHost's own transactional sending (``immediate=False``): its data
manager connects to the SMTP server while the transaction votes, so a mail
server that is down would make the commit itself fail and the payment would
not be recorded. Here an after-commit hook sends with ``immediate=True`` and
a failure is logged, never raised. A MailHost with a mail queue
(``smtp_queue``) keeps its own way: the queue file is written on commit and
its thread delivers.

The SMTP server is the site's mail settings (``plone.smtp_host``,
``plone.smtp_port``: Plone makes MailHost's mailer read them from the
registry); the sender is ``plone.email_from_name`` / ``plone.email_from_address``.

A citizen without an email address (Taxisnet gives none) is skipped with a
log line; every ``notify_*`` returns True when the message will be sent at
commit, False when it was skipped.
"""

from dataclasses import dataclass
from datetime import date
from dimos.payments import logger
from dimos.payments.money import format_amount
from dimos.payments.receipts import format_when
from email import policy
from email.message import EmailMessage
from email.utils import formataddr
from email.utils import formatdate
from email.utils import make_msgid
from stdnum import iso11649

import re
import transaction


EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
RULE = "\n\n— — —\n\n"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


def valid_email(address):
    return bool(address) and bool(EMAIL.match(address.strip()))


def sender():
    """(name, address) of the site's sender, from plone.email_from_name / _address."""
    from plone import api

    address = api.portal.get_registry_record("plone.email_from_address", default="") or ""
    name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    return name, address.strip()


def compose(to, subject, text, attachments=(), from_=("", ""), to_name=""):
    """An EmailMessage: plain UTF-8 text, the attachments after it."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["From"] = formataddr(from_)
    message["To"] = formataddr((to_name, to))
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=from_[1].rpartition("@")[2] or None)
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def send_after_commit(message):
    """Hand ``message`` to the site's MailHost once the current transaction commits."""
    from plone import api

    host = api.portal.get_tool("MailHost")
    if getattr(host, "smtp_queue", False):
        host.send(message, immediate=False)  # written to the queue on commit
        return
    transaction.get().addAfterCommitHook(_deliver, args=(host, message))


def _deliver(committed, host, message):
    if not committed:
        logger.info("Not sent, the transaction did not commit: %s", message["Subject"])
        return
    try:
        host.send(message, immediate=True)
    except Exception:  # the data is committed: a mail server's trouble must not undo it
        logger.exception("Could not send the email “%s” to %s", message["Subject"], message["To"])


def notify(to, subject, text, attachments=(), to_name=""):
    """Send a citizen ``text`` after commit; False (and a log line) when there is no address."""
    if not valid_email(to):
        logger.info("No usable email address for %s (%r): not sent: %s", to_name, to, subject)
        return False
    name, address = sender()
    if not address:
        logger.error("The site has no sender address (plone.email_from_address): not sent.")
        return False
    message = compose(to.strip(), subject, text, attachments, (name, address), to_name)
    send_after_commit(message)
    return True


def _greeting_el(name):
    return f"Αγαπητή/έ {name}," if name else "Αγαπητή/έ κυρία/κύριε,"


def _greeting_en(name):
    return f"Dear {name}," if name else "Dear citizen,"


def _signature():
    return sender()[0] or "Δήμος / Municipality"


def notify_new_debt(to, name, title, rf_code, amount_cents, due=None, url="", municipality=""):
    """A new debt or assessment note (βεβαιωτικό / ειδοποίηση) with its RF payment code."""
    rf = iso11649.format(rf_code)
    amount = format_amount(amount_cents)
    signed = municipality or _signature()
    due_el = f"\nΠροθεσμία πληρωμής: {due:%d/%m/%Y}" if isinstance(due, date) else ""
    due_en = f"\nPay by: {due:%d/%m/%Y}" if isinstance(due, date) else ""
    where_el = f"\nΠληρωμή ηλεκτρονικά: {url}" if url else ""
    where_en = f"\nPay online: {url}" if url else ""
    el = (
        f"{_greeting_el(name)}\n\nΒεβαιώθηκε νέα οφειλή σας προς τον Δήμο:\n\n"
        f"{title}\nΠοσό: {amount}\nΚωδικός πληρωμής (RF): {rf}{due_el}{where_el}\n\n"
        "Μπορείτε να πληρώσετε με τον κωδικό RF σε κάθε τράπεζα, μέσω e-banking "
        f"ή στην ιστοσελίδα του Δήμου.\n\nΜε εκτίμηση,\n{signed}"
    )
    en = (
        f"{_greeting_en(name)}\n\nA new amount is due to the municipality:\n\n"
        f"{title}\nAmount: {amount}\nPayment code (RF): {rf}{due_en}{where_en}\n\n"
        "You can pay with the RF code at any bank, through e-banking or on the "
        f"municipality's website.\n\nKind regards,\n{signed}"
    )
    subject = f"Νέα οφειλή: {title} — κωδικός πληρωμής {rf} / New amount due"
    return notify(to, subject, el + RULE + en, to_name=name)


def notify_payment_received(to, name, receipt, pdf=None):
    """Payment received, with the sealed receipt attached (``pdf``), or the receipt to follow.

    ``receipt`` is the payment's receipts.ReceiptData; ``pdf`` None when the
    receipt could not be sealed yet (it is sent again with the PDF later).
    """
    amount = format_amount(receipt.total_cents)
    when = format_when(receipt.paid_at)
    rf = iso11649.format(receipt.rf_code)
    lines = "\n".join(
        f"- {debt.category}: {debt.description} — {format_amount(debt.amount_cents)}"
        for debt in receipt.debts
    )
    if pdf:
        after_el = (
            f"Επισυνάπτεται η απόδειξη πληρωμής αρ. {receipt.number}, "
            "με την ηλεκτρονική σφραγίδα του Δήμου."
        )
        after_en = (
            f"Receipt no. {receipt.number}, with the municipality's electronic seal, is attached."
        )
    else:
        after_el = "Η απόδειξη πληρωμής θα σας σταλεί μόλις εκδοθεί."
        after_en = "The receipt will be sent to you as soon as it is issued."
    el = (
        f"{_greeting_el(name)}\n\nΛάβαμε την πληρωμή σας ύψους {amount} στις {when} "
        f"με κωδικό πληρωμής {rf}.\n\nΕξοφλήθηκαν:\n{lines}\n\n{after_el}\n\n"
        f"Με εκτίμηση,\n{receipt.municipality}"
    )
    en = (
        f"{_greeting_en(name)}\n\nWe received your payment of {amount} on {when} "
        f"with the payment code {rf}.\n\nPaid:\n{lines}\n\n{after_en}\n\n"
        f"Kind regards,\n{receipt.municipality}"
    )
    subject = f"Απόδειξη πληρωμής αρ. {receipt.number} / Payment receipt no. {receipt.number}"
    if not pdf:
        subject = f"Λάβαμε την πληρωμή σας ({amount}) / Payment received"
    attachments = (Attachment(receipt.filename, pdf),) if pdf else ()
    return notify(to, subject, el + RULE + en, attachments, to_name=name)


def notify_permit_issued(to, name, permit_title, pdf, filename, number="", url=""):
    """A common-space permit (άδεια κατάληψης κοινόχρηστου χώρου) is issued: the PDF attached."""
    signed = _signature()
    number_el = f" (αρ. {number})" if number else ""
    number_en = f" (no. {number})" if number else ""
    link_el = f"\nΗ άδεια στην ιστοσελίδα του Δήμου: {url}" if url else ""
    link_en = f"\nThe permit on the municipality's website: {url}" if url else ""
    el = (
        f"{_greeting_el(name)}\n\nΕκδόθηκε η άδειά σας{number_el}:\n{permit_title}\n\n"
        f"Επισυνάπτεται υπογεγραμμένη.{link_el}\n\nΜε εκτίμηση,\n{signed}"
    )
    en = (
        f"{_greeting_en(name)}\n\nYour permit{number_en} has been issued:\n{permit_title}\n\n"
        f"The signed permit is attached.{link_en}\n\nKind regards,\n{signed}"
    )
    subject = f"Εκδόθηκε η άδειά σας{number_el} / Your permit has been issued"
    return notify(to, subject, el + RULE + en, (Attachment(filename, pdf),), to_name=name)
