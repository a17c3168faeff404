"""Common-space occupation end to end over HTTP: apply, approve, pay, the sealed permit by email.

Real components only: the functional site's WSGI server, a test PKI with its
TSA on 127.0.0.1 (dimos.signing), and an SMTP server on 127.0.0.1 (aiosmtpd).
The payment goes through ``ledger.record_payment``, the one door for money.
The permit's PDF is drawn and sealed after the payment's commit, on the
worker thread: tests wait for it with ``background.drain()``.
"""

from datetime import datetime
from datetime import UTC
from dimos.payments import ledger
from dimos.payments.declarations.testing import install_rates
from dimos.payments.occupation.applications import get_application
from dimos.payments.rates import month_end
from dimos.payments.settlement import background
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import create_citizen
from dimos.payments.testing_debts import create_revenue_officer
from dimos.payments.testing_debts import PASSWORD
from dimos.payments.testing_gateway import SandboxGateway
from dimos.payments.testing_gateway import use_sandbox
from dimos.payments.testing_smtp import start_smtp
from dimos.payments.testing_smtp import use_smtp
from dimos.signing.core.verify import verify_pdf
from dimos.signing.testing import use_pki
from dimos.signing.testing_pki import start_pki
from dimos.signing.testing_pki import trust
from io import BytesIO
from plone import api
from plone.app.uuid.utils import uuidToObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from stdnum import iso11649

import datetime as dt
import html
import pytest
import re
import requests
import subprocess
import time
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
A, B = (AFM_A, PASSWORD), (AFM_B, PASSWORD)
STAFF = ("revenue-officer", PASSWORD)
SEAL_PASSWORD = "Σφραγίδα-2026"
START = (dt.date.today().replace(day=1) + dt.timedelta(days=62)).replace(day=1)
UNTIL = month_end(START, 3)  # three months: 12,5 m² × 20,00 € × 3 = 750,00 €


@pytest.fixture(autouse=True)
def worker():
    """The worker thread has done its work at the end of each test, and is gone."""
    yield background.WORKER
    assert background.drain(), "the worker did not finish"
    assert background.stop(), "the worker thread did not end"


@pytest.fixture(scope="module")
def pki():
    with start_pki() as pki:
        yield pki


@pytest.fixture(scope="module")
def smtp():
    with start_smtp() as server:
        yield server


@pytest.fixture
def site(functional_portal, pki, smtp, tmp_path):
    use_smtp(functional_portal, smtp)
    use_pki(pki)
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(pki.identities["secretary"].pkcs12(SEAL_PASSWORD.encode(), pki.chain()))
    (tmp_path / "seal.password").write_text(SEAL_PASSWORD, encoding="utf-8")
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", str(p12))
    api.portal.set_registry_record(
        "dimos.payments.seal.password_file", str(tmp_path / "seal.password")
    )
    create_citizen(AFM_A)
    create_citizen(AFM_B)
    create_revenue_officer()
    install_rates()
    transaction.commit()
    smtp.clear()
    return functional_portal.absolute_url()


def apply(url, auth=A, **changes):
    body = {
        "kind": "tables-chairs",
        "location": "Πλατεία Ελευθερίας 3",
        "zone": "Α",
        "area": "12,5",
        "from": START.isoformat(),
        "until": UNTIL.isoformat(),
    }
    body.update(changes)
    return requests.post(
        f"{url}/@occupation-applications", json=body, auth=auth, headers=JSON, timeout=60
    )


def act(url, app_id, action, auth=STAFF, **body):
    return requests.post(
        f"{url}/@occupation-applications/{app_id}/{action}",
        json=body,
        auth=auth,
        headers=JSON,
        timeout=120,
    )


def read(url, app_id, auth=A):
    return requests.get(
        f"{url}/@occupation-applications/{app_id}", auth=auth, headers=JSON, timeout=60
    )


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    return error


def mail(smtp, subject_start, timeout=20):
    """The first message whose subject starts with ``subject_start``, once it has arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for received in list(smtp.messages):
            if str(received.message["Subject"]).startswith(subject_start):
                return received
        time.sleep(0.1)
    raise AssertionError(
        f"no message “{subject_start}…”: {[m.message['Subject'] for m in smtp.messages]}"
    )


def record(rf, amount_cents, txid):
    """The payment recorded in a new transaction, left open: the caller commits or aborts."""
    transaction.begin()
    return ledger.record_payment(
        rf, amount_cents, txid, datetime.now(UTC), "gateway", "gateway:test"
    )


def pay(rf, amount_cents, txid):
    """The payment recorded and committed; what the worker does after it, done."""
    outcome = record(rf, amount_cents, txid)
    transaction.commit()
    assert background.drain()
    return outcome


def approved(url):
    """A new application, approved by staff over HTTP: (its id, its RF code)."""
    app = apply(url).json()
    return app["id"], act(url, app["id"], "approve").json()["rf"]


def permit_pdf(app):
    permit = uuidToObject(app.permit_uid, unrestricted=True)
    return permit.signed_pdf.data if permit.signed_pdf is not None else None


def assert_sealed(pki, pdf):
    """As test_seal.py validates receipts: intact, trusted, timestamped, over the whole file."""
    report = verify_pdf(pdf, [pki.root.cert])
    assert report.status == "intact"
    (signature,) = report.signatures
    assert signature.chain == "trusted" and signature.timestamp is not None
    assert not signature.modified_after
    (embedded,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    status = validate_pdf_signature(embedded, trust(pki))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION


def text_of(pdf, tmp_path):
    path = tmp_path / "permit.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return run.stdout.decode("utf-8")


def test_apply_approve_pay_and_the_sealed_permit_arrives(site, pki, smtp, tmp_path):
    submitted = apply(site)
    assert submitted.status_code == 201, submitted.text
    app = submitted.json()
    assert (app["status"], app["amount_cents"], app["units"]) == ("submitted", 75000, 3)
    assert submitted.headers["Location"] == app["@id"]

    error_of(read(site, app["id"], auth=B), 404, "application-not-found")
    assert (
        requests.get(f"{site}/@occupation-applications", auth=B, headers=JSON, timeout=60).json()[
            "items"
        ]
        == []
    )
    error_of(act(site, app["id"], "approve", auth=B), 403, "staff-only")
    error_of(act(site, app["id"], "approve", auth=A), 403, "staff-only")

    approved = act(site, app["id"], "approve", reason="Σύμφωνα με τον κανονισμό.")
    assert approved.status_code == 200, approved.text
    rf = approved.json()["rf"]
    assert approved.json()["status"] == "approved" and iso11649.is_valid(rf)
    assert approved.json()["audit"][-1]["who"] == "revenue-officer"
    news = mail(smtp, "Νέα οφειλή")
    assert news.rcpt_tos == (f"{AFM_A}@example.org",)
    assert iso11649.format(rf) in news.text() and "750,00 €" in news.text()
    assert read(site, app["id"]).json()["rf"] == rf

    assert pay(rf, 75000, "SBX-OCC-1").applied
    permit_mail = mail(smtp, "Εκδόθηκε η άδειά σας")
    ((filename, mime_type, pdf),) = permit_mail.attachments()
    assert mime_type == "application/pdf" and filename.startswith("adeia-")
    assert_sealed(pki, pdf)
    text = text_of(pdf, tmp_path)
    assert "ΑΔΕΙΑ ΚΑΤΑΛΗΨΗΣ ΚΟΙΝΟΧΡΗΣΤΟΥ ΧΩΡΟΥ" in text and "750,00 €" in text
    assert iso11649.format(rf) in text and AFM_A in text

    shown = read(site, app["id"]).json()
    assert shown["status"] == "issued"
    assert shown["permit"]["pdf"] == "sealed" and shown["permit"]["emailed"] is True
    transaction.begin()
    permit = uuidToObject(shown["permit"]["uid"], unrestricted=True)
    assert api.content.get_state(permit) == "issued"
    assert permit.payment_code == rf and permit.signed_pdf.data == pdf
    assert shown["permit"]["number"] == permit.number_label() and permit.number_label() in text
    # the holder may read their permit on the site; another citizen may not
    own = requests.get(shown["permit"]["url"], auth=A, timeout=60, allow_redirects=False)
    assert own.status_code == 200 and "Πλατεία Ελευθερίας 3" in own.text
    other = requests.get(shown["permit"]["url"], auth=B, timeout=60, allow_redirects=False)
    assert other.status_code in (302, 401, 403, 404)


def test_the_bank_s_anonymous_callback_issues_the_permit(site, pki, smtp):
    """The payment arrives as the gateway's signed server-to-server callback, as no one."""
    with SandboxGateway(merchant_id="DIMOS-OCC") as sandbox:
        transaction.begin()
        use_sandbox(sandbox)
        transaction.commit()
        app = apply(site).json()
        rf = act(site, app["id"], "approve").json()["rf"]
        sent = sandbox.send_callback(f"{site}/@payment-callback", rf, 75000)
    assert sent.status == 200 and sent.answer["outcome"] == "applied", sent.answer
    assert background.drain()  # the bank was answered; the permit is sealed after that
    shown = read(site, app["id"]).json()
    assert shown["status"] == "issued" and shown["permit"]["pdf"] == "sealed"
    ((_name, _type, pdf),) = mail(smtp, "Εκδόθηκε η άδειά σας").attachments()
    assert_sealed(pki, pdf)


def test_rejection_is_told_with_its_reason(site, smtp):
    app = apply(site).json()
    error_of(act(site, app["id"], "reject"), 400, "reason-required")
    rejected = act(site, app["id"], "reject", reason="Ο χώρος είναι πεζόδρομος.")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    told = mail(smtp, f"Απόρριψη αίτησης {app['id']}")
    assert "Ο χώρος είναι πεζόδρομος." in told.text()
    error_of(act(site, app["id"], "approve"), 400, "already-decided")
    assert read(site, app["id"]).json()["rf"] is None
    transaction.begin()
    assert ledger.get_debt(f"OCC-{app['id']}") is None


def test_a_permit_without_a_seal_is_issued_and_its_pdf_follows(site, pki, smtp, tmp_path):
    transaction.begin()
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", "")
    transaction.commit()
    app = apply(site).json()
    rf = act(site, app["id"], "approve").json()["rf"]
    assert pay(rf, 75000, "SBX-OCC-2").applied  # the payment is never undone
    shown = read(site, app["id"]).json()
    assert shown["status"] == "issued" and shown["permit"]["pdf"] == "pending"
    assert shown["permit"]["error"]["code"] == "seal-not-configured"
    assert shown["permit"]["error"]["el"] and shown["permit"]["error"]["en"]
    error_of(act(site, app["id"], "issue-permit", auth=A), 403, "staff-only")

    transaction.begin()
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", str(tmp_path / "seal.p12"))
    transaction.commit()
    retried = act(site, app["id"], "issue-permit")
    assert retried.status_code == 200, retried.text
    assert retried.json()["permit"]["pdf"] == "sealed"
    ((_name, _type, pdf),) = mail(smtp, "Εκδόθηκε η άδειά σας").attachments()
    assert_sealed(pki, pdf)
    transaction.begin()
    assert len(api.content.find(portal_type="Permit")) == 1
    assert get_application(app["id"]).audit[-1]["action"] == "permit-emailed"


def test_the_payment_s_transaction_does_not_draw_the_permit(site, pki, smtp):
    """The permit is made with the payment; its PDF is drawn and sealed after the commit."""
    app_id, rf = approved(site)
    queued = background.WORKER.submitted
    assert record(rf, 75000, "SBX-OCC-3").applied
    app = get_application(app_id)
    assert app.status == "issued" and app.permit_pdf == "pending"
    assert app.permit_error["code"] == "permit-issuing"
    assert "εκδίδεται" in app.permit_error["el"] and "being issued" in app.permit_error["en"]
    assert api.content.get_state(uuidToObject(app.permit_uid, unrestricted=True)) == "issued"
    assert permit_pdf(app) is None
    assert background.WORKER.submitted == queued  # nothing is queued before the commit
    transaction.commit()
    assert background.drain()
    assert background.WORKER.submitted == queued + 2  # the receipt's task and the permit's

    transaction.begin()
    app = get_application(app_id)
    assert app.permit_pdf == "sealed" and app.permit_error is None and app.permit_emailed
    pdf = permit_pdf(app)
    assert_sealed(pki, pdf)
    permit_mail = mail(smtp, "Εκδόθηκε η άδειά σας")
    assert permit_mail.rcpt_tos == (f"{AFM_A}@example.org",)
    ((_name, _type, sent),) = permit_mail.attachments()
    assert sent == pdf
    assert [entry["action"] for entry in app.audit] == [
        "submitted",
        "approved",
        "paid",
        "permit-issued",
        "permit-pdf-sealed",
        "permit-emailed",
    ]
    assert app.audit[-1]["who"] == "gateway:test"  # the worker writes as the payment's actor


def test_an_aborted_payment_queues_nothing_and_makes_no_permit(site, smtp):
    app_id, rf = approved(site)
    queued = background.WORKER.submitted
    assert record(rf, 75000, "SBX-OCC-4").applied
    assert get_application(app_id).permit_pdf == "pending"
    transaction.abort()  # e.g. the request failed after the payment was recorded
    assert background.drain()
    assert background.WORKER.submitted == queued

    transaction.begin()
    app = get_application(app_id)
    assert (app.status, app.permit_uid, app.permit_pdf) == ("approved", None, None)
    assert len(api.content.find(portal_type="Permit")) == 0
    assert ledger.get_order(rf).status == "pending"


def test_without_a_seal_the_permit_pdf_is_pending_at_once(site, smtp):
    transaction.begin()
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", "")
    transaction.commit()
    app_id, rf = approved(site)
    queued = background.WORKER.submitted
    assert record(rf, 75000, "SBX-OCC-5").applied
    app = get_application(app_id)
    assert app.status == "issued" and app.permit_pdf == "pending"
    assert app.permit_error["code"] == "seal-not-configured"  # before the commit: at once
    transaction.commit()
    assert background.drain()
    assert background.WORKER.submitted == queued  # nothing to draw, for the receipt neither

    transaction.begin()
    app = get_application(app_id)
    assert app.permit_error["code"] == "seal-not-configured" and permit_pdf(app) is None
    assert not app.permit_emailed
    subjects = [str(received.message["Subject"]) for received in smtp.messages]
    assert not [subject for subject in subjects if subject.startswith("Εκδόθηκε η άδειά")]


def test_a_seal_that_fails_after_the_commit_leaves_the_pdf_pending(site, pki, smtp, tmp_path):
    """The seal is set up but its file is gone: the worker keeps why; staff retry once it is back."""
    transaction.begin()
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", str(tmp_path / "gone.p12"))
    transaction.commit()
    app_id, rf = approved(site)
    assert pay(rf, 75000, "SBX-OCC-6").applied
    shown = read(site, app_id).json()
    assert shown["status"] == "issued" and shown["permit"]["pdf"] == "pending"
    error = shown["permit"]["error"]
    assert error["code"] == "seal-missing" and "gone.p12" in error["el"]
    assert "θα ακολουθήσει" in error["el"] and "will follow" in error["en"]
    assert shown["permit"]["emailed"] is False

    transaction.begin()
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", str(tmp_path / "seal.p12"))
    transaction.commit()
    retried = act(site, app_id, "issue-permit")
    assert retried.status_code == 200, retried.text
    assert retried.json()["permit"]["pdf"] == "sealed" and retried.json()["permit"]["error"] is None
    ((_name, _type, pdf),) = mail(smtp, "Εκδόθηκε η άδειά σας").attachments()
    assert_sealed(pki, pdf)
    transaction.begin()
    assert permit_pdf(get_application(app_id)) == pdf


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"area": "12,345"}, "area", "bad-area"),
        ({"from": "2020-01-01"}, "from", "bad-date"),
        ({"kind": "parking"}, "kind", "bad-kind"),
        ({"until": None, "days": "400"}, "days", "bad-period"),
    ],
)
def test_bad_applications_are_refused_and_nothing_is_stored(site, changes, field, code):
    error = error_of(apply(site, **changes), 400, code)
    assert error["field"] == field
    assert (
        requests.get(f"{site}/@occupation-applications", auth=A, headers=JSON, timeout=60).json()[
            "items"
        ]
        == []
    )


def test_visitors_cannot_apply(site):
    assert apply(site, auth=None).status_code == 401


# --- the Classic UI pages ----------------------------------------------------------------


def token_of(page):
    return re.search(r'name="_authenticator"\s+value="([^"]+)"', page).group(1)


def test_the_citizen_form_and_the_staff_list(site, smtp):
    url = f"{site}/@@occupation-application"
    page = requests.get(url, auth=A, timeout=60)
    assert page.status_code == 200 and "Αίτηση κατάληψης κοινόχρηστου χώρου" in page.text
    form = {
        "_authenticator": token_of(page.text),
        "kind": "tables-chairs",
        "zone": "Α",
        "location": "Πλατεία Ελευθερίας 3",
        "area": "12,345",
        "from": START.isoformat(),
        "until": UNTIL.isoformat(),
        "form.submitted": "1",
    }
    refused = requests.post(url, data=form, auth=A, timeout=60)
    assert refused.status_code == 400
    beside = html.unescape(re.search(r'id="area-error".*?</div>', refused.text, re.S).group(0))
    assert "εμβαδόν" in beside and "Area" in beside
    assert 'value="12,345"' in refused.text
    done = requests.post(url, data={**form, "area": "12,5"}, auth=A, timeout=60)
    assert done.status_code == 200 and 'id="application-result"' in done.text
    app_id = re.search(r'id="application-result"\s+data-id="([^"]+)"', done.text).group(1)
    assert "750,00 €" in done.text

    staff_url = f"{site}/@@occupation-applications"
    citizen = requests.get(staff_url, auth=A, timeout=60, allow_redirects=False)
    assert citizen.status_code in (302, 401, 403) and 'id="applications"' not in citizen.text
    listing = requests.get(staff_url, auth=STAFF, timeout=60)
    assert listing.status_code == 200 and f'id="application-{app_id}"' in listing.text
    decision = {"_authenticator": token_of(listing.text), "application": app_id, "reason": ""}
    no_reason = requests.post(
        staff_url, data={**decision, "action": "reject"}, auth=STAFF, timeout=60
    )
    assert no_reason.status_code == 400
    assert f'id="reason-{app_id}-error"' in no_reason.text
    approved = requests.post(
        staff_url, data={**decision, "action": "approve"}, auth=STAFF, timeout=60
    )
    assert approved.status_code == 200 and 'id="applications-done"' in approved.text
    assert mail(smtp, "Νέα οφειλή")
    mine = requests.get(url, auth=A, timeout=60).text
    transaction.begin()
    rf = get_application(app_id).rf
    assert f"@@pay?rf={rf}" in mine and iso11649.format(rf) in mine
