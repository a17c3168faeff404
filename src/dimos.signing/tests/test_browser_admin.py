"""Administration in Classic UI: the signing settings and the employees' certificates."""

from dimos.signing.settings import signing_settings
from dimos.signing.signers import credential_for
from dimos.signing.testing import employee
from dimos.signing.testing import PASSWORD
from dimos.signing.testing import register_signer
from dimos.signing.testing import use_pki
from plone import api
from plone.testing.zope import Browser
from zExceptions import Forbidden

import io
import pytest
import transaction


ADMIN_PASSWORD = "admin-password-1"


@pytest.fixture
def admin(functional_app, functional_portal):
    """A browser logged in as a site administrator, and the portal."""
    api.user.create(email="admin@example.org", username="siteadmin", password=ADMIN_PASSWORD)
    api.user.grant_roles(username="siteadmin", roles=["Site Administrator"])
    employee("secretary", "Μαρία Παπαδοπούλου")
    employee("mayor", "Γιώργος Νικολάου")
    transaction.commit()
    browser = Browser(functional_app)
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic siteadmin:{ADMIN_PASSWORD}")
    return browser, functional_portal


def p12(pki, identity):
    return pki.identities[identity].pkcs12(PASSWORD.encode(), pki.chain())


def fill_pkcs12(browser, portal, userid, data, password=PASSWORD, role=""):
    browser.open(f"{portal.absolute_url()}/@@signing-credentials")
    browser.getControl(name="pkcs12-userid").value = userid
    browser.getControl(name="pkcs12-file").add_file(
        io.BytesIO(data), "application/x-pkcs12", "c.p12"
    )
    browser.getControl(name="pkcs12-password").value = password
    browser.getControl(name="pkcs12-role").value = role
    browser.getControl(name="form.buttons.pkcs12").click()


def test_the_control_panel_saves_the_tsa_and_refuses_a_bad_trust_list(admin, pki):
    browser, portal = admin
    browser.open(f"{portal.absolute_url()}/@@signing-controlpanel")
    assert "Υπογραφές: ρυθμίσεις" in browser.contents
    assert "Διεύθυνση της αρχής χρονοσήμανσης (TSA)" in browser.contents
    browser.getControl(name="form.widgets.tsa_url").value = pki.tsa_url
    browser.getControl(name="form.widgets.trust_roots").value = pki.root_pem().decode("ascii")
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    settings = signing_settings()
    assert settings.tsa_url == pki.tsa_url
    assert [c.subject for c in settings.trust_roots] == [pki.root.cert.subject]

    browser.open(f"{portal.absolute_url()}/@@signing-controlpanel")
    browser.getControl(name="form.widgets.tsa_url").value = "http://tsa.example.org/other"
    browser.getControl(name="form.widgets.trust_roots").value = "not a certificate"
    browser.getControl(name="form.buttons.save").click()
    assert "Δεν βρέθηκε πιστοποιητικό PEM (-----BEGIN CERTIFICATE-----)." in browser.contents
    transaction.begin()
    settings = signing_settings()
    assert settings.tsa_url == pki.tsa_url  # nothing saved
    assert len(settings.trust_roots) == 1


def test_admin_registers_a_pkcs12_certificate_and_sees_its_details(admin, pki):
    browser, portal = admin
    fill_pkcs12(browser, portal, "secretary", p12(pki, "secretary"), role="Γενική Γραμματέας")
    assert (
        "Καταχωρίστηκε το πιστοποιητικό υπογραφής του/της Μαρία Παπαδοπούλου." in browser.contents
    )
    details = browser.contents.split('id="registered-certificate"')[1].split("</section>")[0]
    assert "Dimos Test Issuing CA" in details  # the issuer
    assert "CN=Μαρία Παπαδοπούλου" in details
    assert "ψηφιακή υπογραφή, μη αποποίηση" in details  # key usage
    assert "Αρχείο PKCS#12" in details
    row = browser.contents.split('id="signer-secretary"')[1].split("</tr>")[0]
    assert "Γενική Γραμματέας" in row and "έχει λήξει" not in row
    transaction.begin()
    credential = credential_for("secretary")
    assert credential.kind == "pkcs12" and credential.registered_by == "siteadmin"


@pytest.mark.parametrize(
    "identity, password, userid, message",
    [
        ("expired", PASSWORD, "mayor", "Το πιστοποιητικό του/της Νίκος Ληγμένος έληξε στις"),
        ("not-yet-valid", PASSWORD, "mayor", "δεν μπορεί να υπογράψει ακόμη"),
        ("wrong-usage", PASSWORD, "mayor", "Το πιστοποιητικό δεν επιτρέπει ψηφιακή υπογραφή"),
        ("mayor", "wrong", "mayor", "Λάθος κωδικός για το πιστοποιητικό PKCS#12."),
        ("mayor", PASSWORD, "nobody", "Δεν υπάρχει χρήστης «nobody»."),
    ],
)
def test_a_refused_certificate_is_explained_and_not_kept(
    admin, pki, identity, password, userid, message
):
    browser, portal = admin
    fill_pkcs12(browser, portal, userid, p12(pki, identity), password=password)
    refused = browser.contents.split('id="pkcs12-refused"')[1].split("</div>")[0]
    assert message in refused
    assert browser.getControl(name="pkcs12-userid").value == userid  # kept for another try
    assert browser.getControl(name="pkcs12-password").value == ""  # never sent back
    transaction.begin()
    assert credential_for(userid) is None


def test_a_file_that_is_not_pkcs12_is_refused(admin):
    browser, portal = admin
    fill_pkcs12(browser, portal, "mayor", b"-----BEGIN CERTIFICATE-----")
    assert "Το αρχείο δεν είναι πιστοποιητικό PKCS#12 (.p12 / .pfx)." in browser.contents
    browser.getControl(name="pkcs12-password").value = PASSWORD
    browser.getControl(name="form.buttons.pkcs12").click()  # no file at all
    assert "Επιλέξτε το αρχείο του πιστοποιητικού (.p12 ή .pfx)." in browser.contents
    transaction.begin()
    assert credential_for("mayor") is None


def test_the_table_marks_an_expired_certificate_and_removal_needs_the_authenticator(admin, pki):
    browser, portal = admin
    use_pki(pki)
    register_signer(pki, "mayor", "mayor", "Δήμαρχος")
    when_it_was_valid = pki.identities["expired"].cert.not_valid_before_utc
    register_signer(pki, "secretary", "expired", "Αντιδήμαρχος", now=when_it_was_valid)
    transaction.commit()
    browser.open(f"{portal.absolute_url()}/@@signing-credentials")
    expired = browser.contents.split('id="signer-secretary"')[1].split("</tr>")[0]
    assert "έχει λήξει" in expired and "Νίκος Ληγμένος" in expired
    current = browser.contents.split('id="signer-mayor"')[1].split("</tr>")[0]
    assert "έχει λήξει" not in current

    # removing needs the form's authenticator (plone.protect)
    with pytest.raises(Forbidden):
        browser.post(
            f"{portal.absolute_url()}/@@signing-credentials",
            "userid=mayor&form.buttons.remove=remove",
        )
    browser.open(f"{portal.absolute_url()}/@@signing-credentials")
    assert browser.getControl(name="userid", index=0).value == "mayor"  # sorted by full name
    browser.getControl(name="form.buttons.remove", index=0).click()
    assert "Αφαιρέθηκε το πιστοποιητικό υπογραφής του/της Γιώργος Νικολάου." in browser.contents
    assert 'id="signer-mayor"' not in browser.contents
    transaction.begin()
    assert credential_for("mayor") is None and credential_for("secretary") is not None


def test_admin_registers_a_token_and_its_holder_is_asked_for_the_pin(
    functional_app, admin, pki, tmp_path
):
    from dimos.signing.plan import request_signatures
    from dimos.signing.testing_hsm import make_token
    from dimos.signing.testing_pki import blank_pdf

    browser, portal = admin
    token = make_token(tmp_path, pki.identities["mayor"], label="browser-admin-token")
    browser.open(f"{portal.absolute_url()}/@@signing-credentials")
    assert browser.getControl(name="pkcs11-module").value == "/usr/lib/softhsm/libsofthsm2.so"
    browser.getControl(name="pkcs11-userid").value = "mayor"
    browser.getControl(name="pkcs11-module").value = token.module
    browser.getControl(name="pkcs11-token").value = token.label
    browser.getControl(name="pkcs11-key").value = token.key_label
    browser.getControl(name="pkcs11-pin").value = "0000"
    browser.getControl(name="form.buttons.pkcs11").click()
    refused = browser.contents.split('id="pkcs11-refused"')[1].split("</div>")[0]
    assert "Λάθος PIN για το διακριτικό υπογραφής." in refused
    assert browser.getControl(name="pkcs11-token").value == token.label  # kept for another try
    transaction.begin()
    assert credential_for("mayor") is None

    browser.getControl(name="pkcs11-pin").value = token.pin
    browser.getControl(name="form.buttons.pkcs11").click()
    details = browser.contents.split('id="registered-certificate"')[1].split("</section>")[0]
    assert "Διακριτικό PKCS#11" in details and "Δήμαρχος" in details  # the certificate's title
    transaction.begin()
    assert credential_for("mayor").token["token_label"] == token.label

    use_pki(pki)
    document = request_signatures("Άδεια", blank_pdf(), "a.pdf", [("mayor", None)])
    transaction.commit()
    mayor = Browser(functional_app)
    mayor.addHeader("Authorization", "Basic mayor:mayormayor")
    mayor.open(f"{document.absolute_url()}/@@sign")
    assert mayor.getControl("PIN του διακριτικού υπογραφής σας").value == ""


def test_refusals_follow_the_page_language(integration):
    from dimos.signing.browser.common import refusal
    from dimos.signing.core.errors import SigningError

    error = SigningError("wrong-pin", "Λάθος PIN.", "Wrong PIN.")
    request = integration["request"]
    assert refusal(error) == "Λάθος PIN."  # the site's language
    request["LANGUAGE"] = "en"
    assert refusal(error) == "Wrong PIN."
