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


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
STAMP_TEXT = "%(name)s\n%(role)s\n%(when)s\nΈλεγχος / Verify: %(url)s"
STAMP_SIZE = (270, 70)  # points
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


def trust_context(trust_roots, fetch=True, other_certs=()):
    """A certvalidator context trusting exactly ``trust_roots`` (never the OS list)."""
    return ValidationContext(
        trust_roots=[_asn1(cert) for cert in trust_roots],
        other_certs=[_asn1(cert) for cert in other_certs],
        allow_fetching=fetch,
        revocation_mode="soft-fail" if fetch else "soft-fail",
    )


def _asn1(cert):
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def read_pdf(data):
    """A pyHanko writer over ``data``; SigningError when it is not a usable PDF."""
    data = bytes(data or b"")
    if not data.lstrip()[:5] == b"%PDF-":
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


def existing_signatures(data):
    return len(PdfFileReader(BytesIO(data), strict=False).embedded_signatures)


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
    except RevokedError:
        raise SigningError(
            "certificate-revoked",
            "Το πιστοποιητικό έχει ανακληθεί από την αρχή πιστοποίησης· δεν υπογράφει.",
            "The certificate has been revoked by its certification authority; it cannot sign.",
        ) from None
    except PathValidationError as error:
        raise SigningError(
            "certificate-invalid",
            f"Το πιστοποιητικό δεν επικυρώνεται: {error}",
            f"The certificate does not validate: {error}",
        ) from None
    except (PyhankoSigningError, OSError) as error:
        raise SigningError(
            "signing-failed",
            f"Η υπογραφή απέτυχε: {error}",
            f"Signing failed: {error}",
        ) from None
    signed = out.getvalue()
    return Signed(pdf=signed, field_name=field_name, level=_level(signed, lta), signed_at=when)


def _last_page(writer):
    return int(writer.root["/Pages"]["/Count"]) - 1


def _box(writer, page, count):
    """Stamps side by side, then in rows, up from the bottom margin of the page."""
    media = writer.prev.get_object(writer.root["/Pages"]).get("/MediaBox") or [0, 0, 595, 842]
    try:
        media = [
            float(v) for v in writer.find_page_for_modification(page)[0].get("/MediaBox", media)
        ]
    except (KeyError, TypeError, ValueError):
        media = [0.0, 0.0, 595.0, 842.0]
    width, height = STAMP_SIZE
    per_row = max(1, int((media[2] - media[0] - 2 * MARGIN + 10) // (width + 10)))
    row, column = divmod(count, per_row)
    x1 = media[0] + MARGIN + column * (width + 10)
    y1 = media[1] + MARGIN + row * (height + 10)
    return (int(x1), int(y1), int(x1 + width), int(y1 + height))


def _level(signed, lta):
    reader = PdfFileReader(BytesIO(signed), strict=False)
    has_dss = "/DSS" in reader.root
    if lta and has_dss:
        return "PAdES-B-LTA"
    return "PAdES-B-LT" if has_dss else "PAdES-B-T"
