"""A throw-away PKI with its own CRL, OCSP and timestamp services, for tests and benchmarks.

Signing and verification must be exercised against real certificates, real
revocation data and a real RFC 3161 authority, without reaching the network.
``start_pki()`` makes a root CA, an issuing CA, a TSA, a delegated OCSP
responder and a handful of signers (good, expired, not yet valid, revoked,
wrong key usage), and serves them over HTTP on 127.0.0.1 from a daemon thread.

Certificates carry the server's URLs, port included, so the socket is bound
first and the certificates are made afterwards.
"""

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from io import BytesIO
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign import signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

import base64
import hashlib
import threading
import urllib.parse


DER = serialization.Encoding.DER
ORGANISATION = "Δήμος Ελαιώνα"


@dataclass(frozen=True)
class Identity:
    """A certificate and its private key, with the encodings tests ask for."""

    name: str
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def cert_der(self) -> bytes:
        return self.cert.public_bytes(DER)

    def pkcs12(self, password: bytes, chain=()) -> bytes:
        """The key, certificate and ``chain`` as a password-protected PKCS#12 (a .p12 file)."""
        return pkcs12.serialize_key_and_certificates(
            self.name.encode("utf-8"),
            self.key,
            self.cert,
            list(chain) or None,
            serialization.BestAvailableEncryption(password),
        )

    def asn1_cert(self) -> asn1_x509.Certificate:
        """The certificate as pyHanko and certvalidator want it."""
        return asn1_x509.Certificate.load(self.cert_der())

    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        der = self.key.private_bytes(
            DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_keys.PrivateKeyInfo.load(der)


@dataclass
class Pki:
    """The CAs, service certificates and signers of one test run, and the server that serves them.

    ``revoked`` maps serial numbers to revocation times; it is read on every
    CRL and OCSP request, so ``revoke()`` takes effect at once.
    """

    __test__ = False  # not a test class, whatever pytest thinks of the name

    root: Identity
    intermediate: Identity
    tsa: Identity
    ocsp_responder: Identity
    identities: dict[str, Identity]
    base_url: str
    server: ThreadingHTTPServer = field(repr=False)
    revoked: dict = field(default_factory=dict, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def tsa_url(self) -> str:
        return self.base_url + "/tsa"

    def root_pem(self) -> bytes:
        return self.root.cert_pem()

    def chain(self) -> list[x509.Certificate]:
        """The CA certificates above any signer: [intermediate, root]."""
        return [self.intermediate.cert, self.root.cert]

    def revoke(self, name, when=None):
        """Revoke the identity ``name`` (keyCompromise) from now on, in the CRL and over OCSP."""
        when = when or datetime.now(UTC) - timedelta(seconds=1)
        with self.lock:
            self.revoked[self.identities[name].cert.serial_number] = when

    def revocation_time(self, serial):
        with self.lock:
            return self.revoked.get(serial)

    def close(self):
        """Stop the server and free its port."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


# Certificates


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ca_name(common_name) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def person_name(common_name, title) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.TITLE, title),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def key_usage(**flags) -> x509.KeyUsage:
    """A KeyUsage with only the named flags set (the constructor wants all nine)."""
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


def issue(
    name,
    subject,
    key,
    issuer,
    base_url,
    usage,
    not_before,
    not_after,
    ca=False,
    eku=None,
    nocheck=False,
) -> Identity:
    """Sign a certificate for ``key``; ``issuer`` None makes it self-signed (the root).

    Issued certificates point at the server for their issuer's certificate,
    for OCSP and for the CRL, so validators can fetch everything they need.
    """
    public_key = key.public_key()
    signing_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else subject
    issuer_public = issuer.cert.public_key() if issuer else public_key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False
        )
    )
    if issuer:
        issuer_file = "root" if issuer.name == "root" else "intermediate"
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(base_url + "/ocsp"),
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(f"{base_url}/{issuer_file}.cer"),
                    ),
                ]
            ),
            critical=False,
        ).add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(f"{base_url}/{issuer_file}.crl")],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if nocheck:
        builder = builder.add_extension(x509.OCSPNoCheck(), critical=False)
    cert = builder.sign(signing_key, hashes.SHA256())
    return Identity(name=name, cert=cert, key=key)


SIGNERS = {
    # name: (common name, title, validity offsets in days, key usage)
    "secretary": ("Μαρία Παπαδοπούλου", "Γενική Γραμματέας", (-30, 365), "sign"),
    "mayor": ("Γιώργος Νικολάου", "Δήμαρχος", (-30, 365), "sign"),
    "expired": ("Νίκος Ληγμένος", "Αντιδήμαρχος", (-730, -365), "sign"),
    "not-yet-valid": ("Ελένη Μελλοντική", "Αντιδήμαρχος", (30, 395), "sign"),
    "revoked": ("Κώστας Ανακλημένος", "Προϊστάμενος", (-30, 365), "sign"),
    "wrong-usage": ("Άννα Κρυπτογράφου", "Υπάλληλος", (-30, 365), "encrypt"),
}


def make_identities(base_url):
    """Root, issuing CA, TSA, OCSP responder and the signers of SIGNERS."""
    now = datetime.now(UTC)
    ca_usage = key_usage(key_cert_sign=True, crl_sign=True)
    root = issue(
        "root",
        ca_name("Dimos Test Root CA"),
        new_key(),
        None,
        base_url,
        ca_usage,
        now - timedelta(days=3650),
        now + timedelta(days=3650),
        ca=True,
    )
    intermediate = issue(
        "intermediate",
        ca_name("Dimos Test Issuing CA"),
        new_key(),
        root,
        base_url,
        ca_usage,
        now - timedelta(days=1825),
        now + timedelta(days=1825),
        ca=True,
    )
    services = {}
    for name, common_name, eku, nocheck in (
        ("tsa", "Dimos Test TSA", ExtendedKeyUsageOID.TIME_STAMPING, False),
        ("ocsp-responder", "Dimos Test OCSP Responder", ExtendedKeyUsageOID.OCSP_SIGNING, True),
    ):
        services[name] = issue(
            name,
            ca_name(common_name),
            new_key(),
            intermediate,
            base_url,
            key_usage(digital_signature=True),
            now - timedelta(days=365),
            now + timedelta(days=1825),
            eku=[eku],
            nocheck=nocheck,
        )
    signers = {}
    for name, (common_name, title, (start, end), usage) in SIGNERS.items():
        if usage == "sign":
            usage = key_usage(digital_signature=True, content_commitment=True)
        else:
            usage = key_usage(key_encipherment=True)
        signers[name] = issue(
            name,
            person_name(common_name, title),
            new_key(),
            intermediate,
            base_url,
            usage,
            now + timedelta(days=start),
            now + timedelta(days=end),
        )
    return root, intermediate, services["tsa"], services["ocsp-responder"], signers


# Revocation data


def build_crl(pki, ca: Identity) -> bytes:
    """A fresh DER CRL of ``ca``, listing whatever is revoked right now."""
    now = datetime.now(UTC)
    issued = pki.identities.values() if ca is pki.intermediate else [pki.intermediate]
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - timedelta(minutes=1))
        .next_update(now + timedelta(days=1))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.cert.public_key()),
            critical=False,
        )
    )
    for identity in issued:
        when = pki.revocation_time(identity.cert.serial_number)
        if when is None:
            continue
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(identity.cert.serial_number)
            .revocation_date(when)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(DER)


def issuer_hashes(cert: x509.Certificate, algorithm: str):
    """The (name hash, key hash) pair an OCSP CertID uses to name ``cert`` as issuer."""
    info = asn1_x509.Certificate.load(cert.public_bytes(DER))
    name_hash = hashlib.new(algorithm, info.subject.dump()).digest()
    key_hash = hashlib.new(algorithm, bytes(info.public_key["public_key"])).digest()
    return name_hash, key_hash


def build_ocsp_response(pki, request_der: bytes) -> bytes:
    """Answer an OCSP request.

    Certificates of the issuing CA are answered by the delegated responder;
    the issuing CA itself is answered by the root, which signs directly (a
    CA may always answer for its own certificates). Anything else: unknown.
    """
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(
            ocsp.OCSPResponseStatus.MALFORMED_REQUEST
        ).public_bytes(DER)
    algorithm = request.hash_algorithm
    hashes_ = (request.issuer_name_hash, request.issuer_key_hash)
    if hashes_ == issuer_hashes(pki.root.cert, algorithm.name):
        known = {pki.intermediate.cert.serial_number}
        signer, responder_certs = pki.root, []
    else:
        known = {identity.cert.serial_number for identity in pki.identities.values()}
        known |= {pki.tsa.cert.serial_number, pki.ocsp_responder.cert.serial_number}
        if hashes_ != issuer_hashes(pki.intermediate.cert, algorithm.name):
            known = set()
        signer, responder_certs = pki.ocsp_responder, [pki.ocsp_responder.cert]
    now = datetime.now(UTC)
    serial = request.serial_number
    revoked_at = pki.revocation_time(serial)
    if serial not in known:
        status, reason = ocsp.OCSPCertStatus.UNKNOWN, None
    elif revoked_at is not None:
        status, reason = ocsp.OCSPCertStatus.REVOKED, x509.ReasonFlags.key_compromise
    else:
        status, reason = ocsp.OCSPCertStatus.GOOD, None
        revoked_at = None
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash,
        issuer_key_hash=request.issuer_key_hash,
        serial_number=serial,
        algorithm=algorithm,
        cert_status=status,
        this_update=now - timedelta(minutes=1),
        next_update=now + timedelta(days=1),
        revocation_time=revoked_at if status == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=reason,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer.cert)
    if responder_certs:
        builder = builder.certificates(responder_certs)
    for extension in request.extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            builder = builder.add_extension(extension.value, critical=False)
    return builder.sign(signer.key, hashes.SHA256()).public_bytes(DER)


# Timestamps


def build_timestamp_reply(pki, body: bytes) -> bytes:
    """An RFC 3161 reply to ``body``; ValueError if it is not a TimeStampReq."""
    try:
        request = tsp.TimeStampReq.load(body)
        # asn1crypto parses lazily: reading the digest is what finds garbage
        digest = request["message_imprint"]["hashed_message"].native
    except Exception as error:
        raise ValueError("not a TimeStampReq") from error
    if not digest:
        raise ValueError("TimeStampReq without a digest")
    stamper = DummyTimeStamper(
        tsa_cert=pki.tsa.asn1_cert(),
        tsa_key=pki.tsa.asn1_key(),
        certs_to_embed=[pki.intermediate.asn1_cert()],
    )
    return stamper.request_tsa_response(request).dump()


# HTTP


class Handler(BaseHTTPRequestHandler):
    """Serves the CA certificates, CRLs, OCSP and the TSA of ``self.server.pki``."""

    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):
        """Stay quiet: test output should not drown in access logs."""

    def reply(self, status, body=b"", content_type="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def request_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        pki = self.server.pki
        path = urllib.parse.urlsplit(self.path).path
        files = {
            "/root.cer": lambda: (pki.root.cert_der(), "application/pkix-cert"),
            "/intermediate.cer": lambda: (pki.intermediate.cert_der(), "application/pkix-cert"),
            "/root.crl": lambda: (build_crl(pki, pki.root), "application/pkix-crl"),
            "/intermediate.crl": lambda: (build_crl(pki, pki.intermediate), "application/pkix-crl"),
        }
        if path in files:
            body, content_type = files[path]()
            return self.reply(200, body, content_type)
        if path.startswith("/ocsp/"):
            encoded = urllib.parse.unquote(path[len("/ocsp/") :])
            try:
                request_der = base64.b64decode(encoded)
            except ValueError:
                return self.reply(400)
            return self.reply(
                200, build_ocsp_response(pki, request_der), "application/ocsp-response"
            )
        self.reply(404)

    def do_POST(self):
        pki = self.server.pki
        path = urllib.parse.urlsplit(self.path).path
        body = self.request_body()
        if path == "/ocsp":
            return self.reply(200, build_ocsp_response(pki, body), "application/ocsp-response")
        if path == "/tsa":
            try:
                reply = build_timestamp_reply(pki, body)
            except ValueError:
                return self.reply(400, b"not a TimeStampReq", "text/plain")
            return self.reply(200, reply, "application/timestamp-reply")
        self.reply(404)


def start_pki(hostname="127.0.0.1") -> Pki:
    """Make a fresh PKI and serve it on a free port from a daemon thread.

    The "revoked" identity is revoked a day ago (keyCompromise). Takes a
    second or two: ten RSA-2048 keys are generated.
    """
    server = ThreadingHTTPServer((hostname, 0), Handler)
    server.daemon_threads = True
    base_url = f"http://{hostname}:{server.server_address[1]}"
    root, intermediate, tsa, ocsp_responder, signers = make_identities(base_url)
    pki = Pki(
        root=root,
        intermediate=intermediate,
        tsa=tsa,
        ocsp_responder=ocsp_responder,
        identities=signers,
        base_url=base_url,
        server=server,
    )
    pki.revoke("revoked", datetime.now(UTC) - timedelta(days=1))
    server.pki = pki
    threading.Thread(target=server.serve_forever, name="dimos-test-pki", daemon=True).start()
    return pki


# Plain pyHanko against the PKI, for the tests that check the PKI and the tokens
# themselves (the signing code under test has its own path, dimos.signing.core).


def blank_pdf() -> bytes:
    """A one-page, empty A4 PDF."""
    writer = PdfFileWriter()
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Page"),
                generic.pdf_name("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (0, 0, 595, 842)]
                ),
                generic.pdf_name("/Resources"): generic.DictionaryObject(),
            }
        )
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def trust(pki, **options):
    """A validation context trusting only the test root (never the OS list: oscrypto is broken)."""
    root = asn1_x509.Certificate.load(pki.root.cert_der())
    return ValidationContext(trust_roots=[root], allow_fetching=True, **options)


def sign_blank(pki, signer) -> bytes:
    """``blank_pdf()`` signed by ``signer``: PAdES, TSA timestamp, revocation data embedded."""
    meta = signers.PdfSignatureMetadata(
        field_name="Sig1",
        embed_validation_info=True,
        validation_context=trust(pki, revocation_mode="hard-fail"),
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(blank_pdf())),
        meta,
        signer=signer,
        timestamper=HTTPTimeStamper(pki.tsa_url),
    )
    return out.getvalue()


def validate_first(pki, pdf: bytes):
    """pyHanko's status of the first signature of ``pdf``, trusting the test root."""
    reader = PdfFileReader(BytesIO(pdf))
    return validate_pdf_signature(reader.embedded_signatures[0], trust(pki))
