"""Emails to citizens, delivered for real to a local SMTP server (aiosmtpd on 127.0.0.1).

The site's MailHost sends; nothing leaves before the transaction commits.
Functional layer: each test commits into its own throw-away storage.
"""

from datetime import date
from datetime import datetime
from datetime import UTC
from dimos.payments.notify import notify_new_debt
from dimos.payments.notify import notify_payment_received
from dimos.payments.notify import notify_permit_issued
from dimos.payments.receipts import ReceiptData
from dimos.payments.receipts import ReceiptLine
from dimos.payments.seal import issue_receipt
from dimos.payments.seal import SealConfig
from dimos.payments.testing_smtp import start_smtp
from dimos.payments.testing_smtp import use_smtp
from dimos.signing.core.verify import verify_pdf
from dimos.signing.testing_pki import blank_pdf
from dimos.signing.testing_pki import start_pki
from plone import api

import logging
import pytest
import socket
import transaction


CITIZEN = "eleni.georgiou@example.org"
PASSWORD = "Σφραγίδα-2026"


@pytest.fixture(scope="module")
def smtp():
    with start_smtp() as server:
        yield server


@pytest.fixture(scope="module")
def pki():
    with start_pki() as pki:
        yield pki


@pytest.fixture
def site(functional_portal, smtp):
    """The functional site's MailHost pointed at the local server, its sender set."""
    use_smtp(functional_portal, smtp)
    transaction.commit()
    smtp.clear()
    return functional_portal


def receipt_data():
    return ReceiptData(
        municipality="Δήμος Ελαιώνα",
        number="2026/000125",
        rf_code="RF18539007547034",
        paid_at=datetime(2026, 3, 2, 8, 15, tzinfo=UTC),
        channel="gateway",
        transaction_id="SBX-0044",
        payer_name="Ελένη Γεωργίου",
        payer_afm="094259216",
        debts=(
            ReceiptLine("Τέλη καθαριότητας", "Τέλη 2025, ακίνητο οδού Αθηνάς 12", 123456),
            ReceiptLine("Πρόστιμα ΚΟΚ", "Κλήση στάθμευσης αρ. 5531", 4000),
        ),
        total_cents=127456,
    )


def sealed_receipt(pki, tmp_path):
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(pki.identities["secretary"].pkcs12(PASSWORD.encode(), pki.chain()))
    (tmp_path / "seal.password").write_text(PASSWORD, encoding="utf-8")
    config = SealConfig(
        tsa_url=pki.tsa_url,
        trust_roots=(pki.root.cert,),
        verify_url="https://www.dimos.example.gr/verify",
        pkcs12_path=str(p12),
        password_file=str(tmp_path / "seal.password"),
    )
    return issue_receipt(receipt_data(), config)


def marker(smtp):
    """Send and commit one more message, then all that arrived: delivery is done by now."""
    assert notify_new_debt("marker@example.org", "", "Σήμανση", "RF18539007547034", 100)
    transaction.commit()
    return smtp.wait_for(1)


def headers_of(received):
    return received.data.split(b"\r\n\r\n", 1)[0]


def test_payment_received_arrives_with_the_sealed_receipt(site, smtp, pki, tmp_path):
    pdf = sealed_receipt(pki, tmp_path)
    assert notify_payment_received(CITIZEN, "Ελένη Γεωργίου", receipt_data(), pdf)
    assert smtp.messages == []  # not before the commit
    transaction.commit()
    (received,) = smtp.wait_for(1)
    message = received.message
    assert received.rcpt_tos == (CITIZEN,)
    assert received.mail_from == "noreply@dimos.example.gr"
    assert message["Subject"] == (
        "Απόδειξη πληρωμής αρ. 2026/000125 / Payment receipt no. 2026/000125"
    )
    assert message["From"].addresses[0].display_name == "Δήμος Ελαιώνα"
    assert message["To"].addresses[0].display_name == "Ελένη Γεωργίου"
    assert headers_of(received).isascii()  # Greek headers travel RFC 2047-encoded
    assert b"=?utf-8?" in headers_of(received)
    text = received.text()
    assert text.index("Λάβαμε την πληρωμή σας ύψους 1.274,56 €") < text.index(
        "We received your payment of 1.274,56 €"
    )
    assert "- Πρόστιμα ΚΟΚ: Κλήση στάθμευσης αρ. 5531 — 40,00 €" in text
    assert "RF18 5390 0754 7034" in text
    ((filename, mime_type, content),) = received.attachments()
    assert (filename, mime_type) == ("apodeixi-2026-000125.pdf", "application/pdf")
    assert content == pdf
    report = verify_pdf(content, [pki.root.cert])
    assert report.status == "intact"
    assert report.signatures[0].chain == "trusted"


def test_payment_received_without_the_receipt_yet(site, smtp):
    assert notify_payment_received(CITIZEN, "Ελένη Γεωργίου", receipt_data(), None)
    transaction.commit()
    (received,) = smtp.wait_for(1)
    assert received.message["Subject"] == "Λάβαμε την πληρωμή σας (1.274,56 €) / Payment received"
    assert received.attachments() == []
    assert "θα σας σταλεί μόλις εκδοθεί" in received.text()


def test_an_aborted_transaction_sends_nothing(site, smtp):
    assert notify_payment_received(CITIZEN, "Ελένη Γεωργίου", receipt_data(), b"%PDF-1.7")
    assert notify_new_debt(CITIZEN, "Ελένη Γεωργίου", "Τέλη", "RF18539007547034", 100)
    transaction.abort()
    (only,) = marker(smtp)
    assert only.rcpt_tos == ("marker@example.org",)


def test_a_citizen_without_an_email_address_is_skipped(site, smtp, caplog):
    caplog.set_level(logging.INFO, logger="dimos.payments")
    for address in (None, "", "   ", "όχι-email"):
        assert not notify_payment_received(address, "Νίκος Ταξίδης", receipt_data(), None)
    assert caplog.text.count("No usable email address") == 4
    assert "Νίκος Ταξίδης" in caplog.text
    (only,) = marker(smtp)
    assert only.rcpt_tos == ("marker@example.org",)


def test_a_new_debt_with_its_rf_code(site, smtp):
    url = "https://www.dimos.example.gr/pay"
    assert notify_new_debt(
        CITIZEN,
        "Ελένη Γεωργίου",
        "Τέλος χρήσης κοινόχρηστου χώρου 2026",
        "rf18 5390 0754 7034",
        123456,
        due=date(2026, 4, 30),
        url=url,
    )
    transaction.commit()
    (received,) = smtp.wait_for(1)
    assert received.message["Subject"] == (
        "Νέα οφειλή: Τέλος χρήσης κοινόχρηστου χώρου 2026 — κωδικός πληρωμής "
        "RF18 5390 0754 7034 / New amount due"
    )
    text = received.text()
    greek, english = text.split("— — —")
    assert "Ποσό: 1.234,56 €" in greek
    assert "Κωδικός πληρωμής (RF): RF18 5390 0754 7034" in greek
    assert "Προθεσμία πληρωμής: 30/04/2026" in greek
    assert "Amount: 1.234,56 €" in english
    assert f"Pay online: {url}" in english
    assert "Δήμος Ελαιώνα" in english  # signed with the site's sender name


def test_a_permit_is_sent_attached(site, smtp):
    pdf = blank_pdf()
    assert notify_permit_issued(
        CITIZEN,
        "Καφενείο Η Πλατεία",
        "Άδεια κατάληψης κοινόχρηστου χώρου, πλατεία Αγίου Νικολάου",
        pdf,
        "adeia-kataliipsis-2026-17.pdf",
        number="17/2026",
    )
    transaction.commit()
    (received,) = smtp.wait_for(1)
    assert received.message["Subject"] == (
        "Εκδόθηκε η άδειά σας (αρ. 17/2026) / Your permit has been issued"
    )
    assert received.attachments() == [("adeia-kataliipsis-2026-17.pdf", "application/pdf", pdf)]
    assert "Επισυνάπτεται υπογεγραμμένη." in received.text()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_down_does_not_undo_the_commit(site, smtp, caplog):
    """MailHost's own transactional sending would fail the commit; ours logs and commits."""
    api.portal.set_registry_record("plone.smtp_port", closed_port())
    transaction.commit()
    site.title = "Δήμος Ελαιώνα — πληρωμή καταχωρίστηκε"
    assert notify_payment_received(CITIZEN, "Ελένη Γεωργίου", receipt_data(), None)
    transaction.commit()  # no error: the payment is recorded
    assert "Could not send the email" in caplog.text
    transaction.abort()
    assert site.title == "Δήμος Ελαιώνα — πληρωμή καταχωρίστηκε"


def test_mailhost_own_transactional_sending_fails_the_commit_when_the_server_is_down(site):
    """Why notify.py sends after commit rather than with MailHost's ``immediate=False``."""
    api.portal.set_registry_record("plone.smtp_port", closed_port())
    transaction.commit()
    site.title = "lost"
    host = api.portal.get_tool("MailHost")
    host.send("To: a@example.org\nFrom: b@example.org\nSubject: x\n\nx", immediate=False)
    with pytest.raises(ConnectionRefusedError):
        transaction.commit()
    transaction.abort()
    assert site.title != "lost"


def test_a_mail_queue_is_written_on_commit_only(site, smtp, tmp_path, monkeypatch):
    monkeypatch.setenv("MAILHOST_QUEUE_ONLY", "1")  # no delivery thread: we read the queue
    host = api.portal.get_tool("MailHost")
    host.smtp_queue = True
    host.smtp_queue_directory = str(tmp_path / "queue")
    transaction.commit()
    assert notify_new_debt(CITIZEN, "Ελένη Γεωργίου", "Τέλη", "RF18539007547034", 100)
    transaction.abort()
    queued = tmp_path / "queue" / "new"
    assert not queued.exists() or not list(queued.iterdir())
    assert notify_new_debt(CITIZEN, "Ελένη Γεωργίου", "Τέλη 2026", "RF18539007547034", 100)
    transaction.commit()
    (message,) = list(queued.iterdir())
    envelope_to = message.read_bytes().split(b"\n", 2)[1]  # the queue's envelope line
    assert envelope_to.startswith(b"X-Zope-To: ") and CITIZEN.encode() in envelope_to
    assert smtp.messages == []
