"""PAdES signing with pyHanko: a timestamped signature and a visible stamp with a QR code.

Level: PAdES-B-T (the signature carries an RFC 3161 timestamp from the TSA)
always; PAdES-B-LT when the certificate chain's revocation information (OCSP
or CRL) could be fetched and is embedded; PAdES-B-LTA when asked and the
document gets a document timestamp on top. A signature is added as an
incremental update, so earlier signatures stay valid: secretary, then mayor.

The signer's certificate is validated before signing: a revoked certificate
(CRL or OCSP says so) is refused, and nothing is written.
"""

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from dataclasses import dataclass
from datetime import datetime
from dimos.signing.core.errors import SigningError
from io import BytesIO
from pathlib import Path
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathValidationError
from pyhanko_certvalidator.errors import RevokedError

import logging


# pyHanko says so for every stamp set in a CFF font; it is expected, not a problem.
logging.getLogger("pyhanko.pdf_utils.font.opentype").setLevel(logging.ERROR)

# OpenType CFF (Debian fonts-urw-base35), with Greek: pyHanko spaces its glyphs right,
# where DejaVu's TrueType outlines came out with the letters far apart.
FONT = Path("/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf")
STAMP_TEXT = "%(name)s\n%(role)s\n%(when)s\nΕπαλήθευση / Verify:\n%(url)s"
STAMP_SIZE = (300, 72)  # points: two stamps side by side on A4
MARGIN = 36


@dataclass(frozen=True)
class Stamp:
    """What the visible stamp says: who, as what, when, and where to verify."""

    name: str
    role: str
    url: str


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    field_name: str
    level: str  # "PAdES-B-T", "PAdES-B-LT" or "PAdES-B-LTA"
    signed_at: datetime  # the TSA's time


def trust_context(trust_roots, fetch=True):
    """A certvalidator context trusting exactly ``trust_roots`` (never the OS list)."""
    return ValidationContext(
        trust_roots=[_asn1(cert) for cert in trust_roots],
        allow_fetching=fetch,
        revocation_mode="soft-fail",
    )


def _asn1(cert):
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def looks_like_pdf(data):
    return data.lstrip()[:5] == b"%PDF-"


def read_pdf(data):
    """A pyHanko writer over ``data``; SigningError when it is not a usable PDF."""
    data = bytes(data or b"")
    if not looks_like_pdf(data):
        raise SigningError(
            "not-pdf",
            "Το αρχείο δεν είναι PDF· υπογράφονται μόνο έγγραφα PDF.",
            "The file is not a PDF; only PDF documents can be signed.",
        )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as error:
        raise SigningError(
            "broken-pdf",
            f"Το PDF είναι κατεστραμμένο και δεν υπογράφεται ({error}).",
            f"The PDF is damaged and cannot be signed ({error}).",
        ) from None
    if writer.prev.encrypted:
        raise SigningError(
            "encrypted-pdf",
            "Το PDF είναι κρυπτογραφημένο με κωδικό· αφαιρέστε τον πριν την υπογραφή.",
            "The PDF is password-protected; remove the password before signing.",
        )
    return writer


def sign_pdf(data, opened, stamp, tsa_url, trust_roots, when=None, lta=False):
    """Sign ``data`` with the ``opened`` credential; a Signed, or SigningError.

    ``trust_roots``: the CA certificates the municipality trusts (cryptography
    or asn1crypto); the signer's chain is validated against them first.
    """
    writer = read_pdf(data)
    count = len(writer.prev.embedded_signatures)
    field_name = f"Signature{count + 1}"
    context = trust_context(trust_roots)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        validation_context=context,
        use_pades_lta=lta,
        name=stamp.name,
        reason=stamp.role,
    )
    page = _last_page(writer)
    style = QRStampStyle(
        stamp_text=STAMP_TEXT,
        border_width=1,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(FONT), font_size=7)),
    )
    signer = signers.PdfSigner(
        meta,
        signer=opened.signer,
        timestamper=HTTPTimeStamper(tsa_url, timeout=10),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name, on_page=page, box=_box(writer, page, count)
        ),
    )
    when = when or datetime.now().astimezone()
    try:
        out = signer.sign_pdf(
            writer,
            appearance_text_params={
                "name": stamp.name,
                "role": stamp.role,
                "when": f"{when:%d/%m/%Y %H:%M}",
                "url": stamp.url,
            },
        )
    except (PyhankoSigningError, PathValidationError, OSError) as error:
        raise _refusal(error) from None
    signed = out.getvalue()
    return Signed(
        pdf=signed,
        field_name=field_name,
        level=_level(signed, lta),
        signed_at=_tsa_time(signed, field_name) or when,
    )


def _refusal(error):
    """Our SigningError for what pyHanko raised (it wraps certvalidator's errors)."""
    causes = []
    while error is not None:
        causes.append(error)
        error = error.__cause__ or error.__context__
    if any(isinstance(cause, RevokedError) for cause in causes):
        return SigningError(
            "certificate-revoked",
            "Το πιστοποιητικό έχει ανακληθεί από την αρχή πιστοποίησης· δεν υπογράφει.",
            "The certificate has been revoked by its certification authority; it cannot sign.",
        )
    invalid = next((c for c in causes if isinstance(c, PathValidationError)), None)
    if invalid is not None:
        return SigningError(
            "certificate-invalid",
            f"Το πιστοποιητικό δεν επικυρώνεται: {invalid}",
            f"The certificate does not validate: {invalid}",
        )
    return SigningError(
        "signing-failed",
        f"Η υπογραφή απέτυχε: {causes[-1]}",
        f"Signing failed: {causes[-1]}",
    )


def _last_page(writer):
    return int(writer.root["/Pages"]["/Count"]) - 1


def _box(writer, page, count):
    """Stamps side by side, then in rows, up from the bottom margin of the page."""
    media = _media_box(writer, page)
    width, height = STAMP_SIZE
    per_row = max(1, int((media[2] - media[0] - 2 * MARGIN + 10) // (width + 10)))
    row, column = divmod(count, per_row)
    x1 = media[0] + MARGIN + column * (width + 10)
    y1 = media[1] + MARGIN + row * (height + 10)
    return (int(x1), int(y1), int(x1 + width), int(y1 + height))


def _media_box(writer, page):
    """The page's MediaBox (inherited from its parents if need be); A4 if unreadable."""
    try:
        node = writer.prev.find_page_for_modification(page)[0].get_object()
        while node is not None:
            if "/MediaBox" in node:
                return [float(value) for value in node["/MediaBox"]]
            node = node.get("/Parent")
            node = node.get_object() if node is not None else None
    except (KeyError, TypeError, ValueError, IndexError, PdfError):
        pass
    return [0.0, 0.0, 595.0, 842.0]


def _tsa_time(signed, field_name):
    """The genTime of the timestamp token the TSA put on signature ``field_name``."""
    reader = PdfFileReader(BytesIO(signed), strict=False)
    for embedded in reader.embedded_signatures:
        if embedded.field_name != field_name:
            continue
        for attribute in embedded.signer_info["unsigned_attrs"] or ():
            if attribute["type"].native == "signature_time_stamp_token":
                token = attribute["values"][0]["content"]["encap_content_info"]["content"]
                return token.parsed["gen_time"].native
    return None


def _level(signed, lta):
    reader = PdfFileReader(BytesIO(signed), strict=False)
    has_dss = "/DSS" in reader.root
    if lta and has_dss:
        return "PAdES-B-LTA"
    return "PAdES-B-LT" if has_dss else "PAdES-B-T"
