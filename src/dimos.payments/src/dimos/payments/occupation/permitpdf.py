"""The permit to occupy a common space as PDF, from plain data, and sealed.

``PermitData`` holds what the permit says and checks itself when made (RF code
by ISO 11649, ΑΦΜ by its check digit, a positive fee, a period in order), so a
wrong permit cannot be drawn. ``render_permit(data)`` lays it out on one A4
page with the receipts' canvas (pyHanko's writer, Nimbus Sans with Greek
embedded; the fonts read and subset once per process by
``settlement/fonts.py``), leaving the bottom free for the seal's visible stamp.

``seal_permit(data, config)`` draws and seals it (``seal.seal_pdf``, a round
trip to the TSA): the slow part, which permits.py runs after the payment's
commit, holding no lock and writing nothing. It never raises: the result, a
``SealedPermit``, holds the sealed PDF or the problem (code, Greek, English;
``problem_of(error)``) to keep on the application. No Zope or Plone here.
"""

from dataclasses import dataclass
from datetime import date
from dimos.payments import logger
from dimos.payments.bilingual import BilingualError
from dimos.payments.money import format_amount
from dimos.payments.occupation.tariffs import ApplicationError
from dimos.payments.occupation.tariffs import format_area
from dimos.payments.receipts import Canvas
from dimos.payments.receipts import format_when
from dimos.payments.receipts import LEFT
from dimos.payments.receipts import RIGHT
from dimos.payments.receipts import TOP
from dimos.payments.seal import LATER_EL as RECEIPT_LATER_EL
from dimos.payments.seal import LATER_EN as RECEIPT_LATER_EN
from dimos.payments.seal import seal_pdf
from dimos.payments.seal import SealError
from stdnum import iso11649
from stdnum.gr import vat


VALUE_X = 250
LATER_EL = "Η άδεια έχει εκδοθεί· το σφραγισμένο PDF της θα ακολουθήσει μόλις διορθωθεί αυτό."
LATER_EN = "The permit is issued; its sealed PDF will follow once this is fixed."


def _refuse(code, message_el, message_en):
    raise ApplicationError(message_el, message_en, code=code)


@dataclass(frozen=True)
class PermitData:
    municipality: str
    number: str  # "12/2026"
    kind_el: str
    kind_en: str
    holder_name: str
    holder_afm: str
    location: str
    zone: str
    area_centi: int
    valid_from: date
    valid_until: date
    duration_el: str  # "3 μήνες"
    duration_en: str
    fee_cents: int
    rf_code: str
    paid_at: object  # aware datetime, or a date
    application: str
    decision: str  # the council decision that set the tariff

    def __post_init__(self):
        object.__setattr__(self, "rf_code", iso11649.compact(self.rf_code or ""))
        if not iso11649.is_valid(self.rf_code):
            _refuse(
                "bad-rf-code",
                f"Ο κωδικός πληρωμής «{self.rf_code}» δεν είναι έγκυρος κωδικός RF.",
                f"The payment code “{self.rf_code}” is not a valid RF code.",
            )
        if not vat.is_valid(self.holder_afm or ""):
            _refuse(
                "bad-afm",
                f"Ο ΑΦΜ «{self.holder_afm}» δεν είναι έγκυρος.",
                f"The tax number (AFM) “{self.holder_afm}” is not valid.",
            )
        if isinstance(self.fee_cents, bool) or not isinstance(self.fee_cents, int):
            _refuse("bad-amount", "Το τέλος είναι ακέραια λεπτά.", "The fee is whole cents.")
        if self.fee_cents <= 0 or self.valid_until < self.valid_from or not self.number:
            _refuse(
                "bad-permit",
                "Η άδεια χρειάζεται αριθμό, θετικό τέλος και περίοδο ισχύος σε σειρά.",
                "A permit needs a number, a positive fee and a period in order.",
            )

    @property
    def filename(self):
        safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in self.number)
        return f"adeia-{safe.strip('-')}.pdf"


def _rows(data):
    return (
        ("Είδος / Kind", f"{data.kind_el} / {data.kind_en}"),
        ("Δικαιούχος / Holder", data.holder_name),
        ("ΑΦΜ / Tax number (AFM)", data.holder_afm),
        ("Θέση / Location", data.location),
        ("Ζώνη / Zone", data.zone or "—"),
        ("Εμβαδόν / Area", format_area(data.area_centi)),
        (
            "Ισχύς / Valid",
            f"{data.valid_from:%d/%m/%Y} – {data.valid_until:%d/%m/%Y} "
            f"({data.duration_el} / {data.duration_en})",
        ),
        ("Τέλος / Fee", format_amount(data.fee_cents)),
        ("Κωδικός πληρωμής / Payment code", iso11649.format(data.rf_code)),
        ("Πληρώθηκε / Paid on", format_when(data.paid_at)),
        ("Αίτηση / Application", data.application),
        ("Τιμολόγηση / Tariff set by decision", data.decision or "—"),
    )


def render_permit(data):
    """The permit ``data`` (a PermitData) as PDF bytes, unsigned."""
    canvas = Canvas()
    y = TOP
    canvas.text(LEFT, y, data.municipality, size=16, bold=True)
    y -= 26
    canvas.text(LEFT, y, "ΑΔΕΙΑ ΚΑΤΑΛΗΨΗΣ ΚΟΙΝΟΧΡΗΣΤΟΥ ΧΩΡΟΥ", size=14, bold=True)
    canvas.text(RIGHT, y, f"Αρ. {data.number}", size=14, bold=True, align="right")
    y -= 15
    canvas.text(LEFT, y, "Permit to occupy a common space", size=10)
    canvas.text(RIGHT, y, f"No. {data.number}", size=10, align="right")
    y -= 10
    canvas.rule(LEFT, y, RIGHT, y, width=1)
    y -= 24
    for label, value in _rows(data):
        canvas.text(LEFT, y, label, size=10)
        lines = canvas.wrap(value, RIGHT - VALUE_X, size=10, bold=True)
        for number, line in enumerate(lines):
            canvas.text(VALUE_X, y - 13 * number, line, size=10, bold=True)
        y -= 13 * len(lines) + 6
    y -= 14
    closing = (
        "Ο δικαιούχος χρησιμοποιεί μόνο τον χώρο και για τον χρόνο που ορίζει η άδεια και "
        "τη φέρει στον χώρο, για να την επιδείξει σε κάθε έλεγχο.",
        "The holder may use only the space and the period stated here, and keeps the permit "
        "at the place, to show at any inspection.",
        "Η άδεια φέρει την ηλεκτρονική σφραγίδα του Δήμου· η υπογραφή επαληθεύεται ηλεκτρονικά.",
        "This permit carries the municipality's electronic seal; the signature can be verified.",
    )
    for line in closing:
        for part in canvas.wrap(line, RIGHT - LEFT, size=9):
            canvas.text(LEFT, y, part, size=9)
            y -= 12
        y -= 3
    title = f"Άδεια κατάληψης κοινόχρηστου χώρου {data.number} / Common space permit"
    return canvas.finish(title, data.municipality)


@dataclass(frozen=True)
class SealedPermit:
    """What drawing and sealing a permit gave: the sealed PDF, or why there is none."""

    data: PermitData | None
    pdf: bytes | None = None
    problem: dict | None = None  # {"code", "el", "en"} when ``pdf`` is None


def problem_of(error):
    """What the application says about a permit PDF ``error`` prevented: code, Greek, English."""
    if isinstance(error, BilingualError):
        message_el, message_en = error.message_el, error.message_en
        if isinstance(error, SealError):  # the seal speaks of receipts: say what follows here
            message_el = f"{message_el.removesuffix(RECEIPT_LATER_EL).rstrip()} {LATER_EL}"
            message_en = f"{message_en.removesuffix(RECEIPT_LATER_EN).rstrip()} {LATER_EN}"
        return {"code": error.code, "el": message_el, "en": message_en}
    return {
        "code": "permit-pdf-failed",
        "el": f"Το PDF της άδειας δεν έγινε ({type(error).__name__}). {LATER_EL}",
        "en": f"The permit's PDF could not be made ({type(error).__name__}). {LATER_EN}",
    }


def seal_permit(data, config):
    """The permit ``data`` drawn and sealed with ``config`` (a seal.SealConfig): a SealedPermit.

    Slow (the TSA, revocation data) but writes nothing and holds no lock.
    Never raises: a seal that is missing, expired or unreachable, or any
    other failure, gives a SealedPermit without PDF, saying why.
    """
    try:
        signed = seal_pdf(render_permit(data), config)
    except Exception as error:
        log = logger.warning if isinstance(error, SealError) else logger.exception
        log("The PDF of permit %s was not sealed: %s", data.number, error)
        return SealedPermit(data, None, problem_of(error))
    logger.info("Permit %s sealed (%s)", data.number, signed.level)
    return SealedPermit(data, signed.pdf)
