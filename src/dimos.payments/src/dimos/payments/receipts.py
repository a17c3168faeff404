"""Payment receipts (αποδείξεις πληρωμής) as PDF, from plain data.

``ReceiptData`` holds what a receipt says: the municipality, the receipt's
number, the RF code paid, when and how, the payer (name and full AFM: the
receipt goes to the payer, so nothing is masked) and the debts the payment
settled, in integer cents. It checks itself when made (RF code by ISO 11649,
AFM by the Greek check digit, the total equals the debts' sum), so a wrong
receipt cannot be drawn.

``render_receipt(data)`` lays the receipt out on A4 pages with pyHanko's own
PDF writer: Nimbus Sans (OpenType CFF, with Greek) subset and embedded with a
ToUnicode map, so the text can be searched and copied. The bottom of the last
page stays free for the electronic seal's visible stamp (``seal.py``).
The fonts are read and subset once per process (``settlement/fonts.py``) and
lines are measured with HarfBuzz alone: a receipt is drawn in about ten
milliseconds, not a hundred and more. No Zope or Plone here.
"""

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from dimos.payments.bilingual import BilingualError
from dimos.payments.money import format_amount
from dimos.payments.settlement.fonts import font_program
from io import BytesIO
from pathlib import Path
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PdfFileWriter
from stdnum import iso11649
from stdnum.exceptions import ValidationError
from stdnum.gr import vat
from zoneinfo import ZoneInfo

import logging
import uharfbuzz as hb


# pyHanko says so for every string set in a CFF font; it is expected, not a problem.
logging.getLogger("pyhanko.pdf_utils.font.opentype").setLevel(logging.ERROR)

# Debian fonts-urw-base35 (scripts/os-packages.txt): OpenType CFF with Greek.
FONT_DIR = Path("/usr/share/fonts/opentype/urw-base35")
FONT_REGULAR = FONT_DIR / "NimbusSans-Regular.otf"
FONT_BOLD = FONT_DIR / "NimbusSans-Bold.otf"
ATHENS = ZoneInfo("Europe/Athens")

PAGE = (595, 842)  # A4 in points
LEFT, RIGHT, TOP = 50, 545, 792
BOTTOM = 150  # the seal's stamp sits below this on the last page (36 + 72 points)
AMOUNT_RIGHT = RIGHT
CATEGORY_X, CATEGORY_WIDTH = LEFT, 140
DESCRIPTION_X, DESCRIPTION_WIDTH = LEFT + 150, 250

# Payment channels the gateway and the bank file report: (Greek, English).
CHANNELS = {
    "gateway": ("Κάρτα, μέσω της πύλης πληρωμών", "Card, through the payment gateway"),
    "bank-file": ("Τράπεζα, με τον κωδικό RF", "Bank, with the RF code"),
    "bank": ("Τράπεζα, με τον κωδικό RF", "Bank, with the RF code"),
    "cash-desk": ("Ταμείο του Δήμου", "Municipal cash desk"),
}


class ReceiptError(BilingualError):
    """No receipt: the data is wrong, or (``seal.SealError``) it could not be sealed."""

    code = "bad-receipt"

    def messages(self):
        return {"el": self.message_el, "en": self.message_en}


def _refuse(code, message_el, message_en):
    raise ReceiptError(message_el, message_en, code=code)


def _check_cents(value, what_el, what_en):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        _refuse(
            "bad-amount",
            f"Το ποσό ({what_el}) πρέπει να είναι θετικός ακέραιος αριθμός λεπτών, όχι {value!r}.",
            f"The amount ({what_en}) must be a positive whole number of cents, not {value!r}.",
        )


def format_when(when):
    """An aware time as Athens sees it, ``02/03/2026 10:15``; a date (bank file) as ``02/03/2026``."""
    if isinstance(when, datetime):
        return f"{when.astimezone(ATHENS):%d/%m/%Y %H:%M}"
    return f"{when:%d/%m/%Y}"


def channel_label(channel):
    """``"Κάρτα πληρωμών / Payment card"`` for a channel code; unknown codes as they are."""
    el, en = CHANNELS.get(channel, (channel, channel))
    return el if el == en else f"{el} / {en}"


@dataclass(frozen=True)
class ReceiptLine:
    """One debt the payment settled: its category's title, what it is, and its amount."""

    category: str
    description: str
    amount_cents: int

    def __post_init__(self):
        _check_cents(self.amount_cents, self.description, self.description)


@dataclass(frozen=True)
class ReceiptData:
    """Everything a receipt says. Made by the ledger when a payment is recorded."""

    municipality: str
    number: str  # the receipt's number, e.g. "2026/000123"
    rf_code: str
    paid_at: datetime  # timezone-aware; a date when the bank's file gives no time
    channel: str  # a CHANNELS code, or a label
    transaction_id: str
    payer_name: str
    payer_afm: str  # full: the receipt goes to the payer
    debts: tuple  # of ReceiptLine
    total_cents: int

    def __post_init__(self):
        object.__setattr__(self, "debts", tuple(self.debts))
        object.__setattr__(self, "rf_code", iso11649.compact(self.rf_code or ""))
        object.__setattr__(self, "payer_afm", vat.compact(self.payer_afm or ""))
        if not (self.municipality or "").strip() or not (self.number or "").strip():
            _refuse(
                "missing-field",
                "Η απόδειξη χρειάζεται όνομα Δήμου και αριθμό απόδειξης.",
                "A receipt needs the municipality's name and a receipt number.",
            )
        try:
            iso11649.validate(self.rf_code)
        except ValidationError:
            _refuse(
                "bad-rf-code",
                f"Ο κωδικός πληρωμής «{self.rf_code}» δεν είναι έγκυρος κωδικός RF (ISO 11649).",
                f"The payment code “{self.rf_code}” is not a valid RF code (ISO 11649).",
            )
        if self.payer_afm and not vat.is_valid(self.payer_afm):
            _refuse(
                "bad-afm",
                f"Ο ΑΦΜ «{self.payer_afm}» δεν είναι έγκυρος.",
                f"The tax number (AFM) “{self.payer_afm}” is not valid.",
            )
        self._check_time()
        self._check_amounts()

    def _check_time(self):
        when = self.paid_at
        if isinstance(when, datetime) and when.utcoffset() is not None:
            return
        if not isinstance(when, date) or isinstance(when, datetime):
            _refuse(
                "bad-time",
                "Η ώρα πληρωμής πρέπει να δίνεται με ζώνη ώρας (ή μόνο η ημερομηνία).",
                "The time of payment must carry its time zone (or be a date only).",
            )

    def _check_amounts(self):
        if not self.debts or not all(isinstance(d, ReceiptLine) for d in self.debts):
            _refuse(
                "no-debts",
                "Η απόδειξη πρέπει να αναφέρει τις οφειλές που εξοφλήθηκαν.",
                "A receipt must list the debts that were paid.",
            )
        _check_cents(self.total_cents, "σύνολο", "total")
        settled = sum(debt.amount_cents for debt in self.debts)
        if settled != self.total_cents:
            _refuse(
                "total-mismatch",
                f"Το σύνολο {format_amount(self.total_cents)} δεν ισούται με το άθροισμα "
                f"των οφειλών {format_amount(settled)}.",
                f"The total {format_amount(self.total_cents)} is not the sum of the debts, "
                f"{format_amount(settled)}.",
            )

    @property
    def filename(self):
        """``apodeixi-2026-000123.pdf``: ASCII, safe as an attachment's and a download's name."""
        safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in self.number)
        return f"apodeixi-{safe.strip('-')}.pdf"


class Canvas:
    """Pages of text and rules drawn with pyHanko's writer in two embedded fonts."""

    def __init__(self):
        self.writer = PdfFileWriter()
        self.fonts = {
            "F1": font_program(FONT_REGULAR).engine(self.writer),
            "F2": font_program(FONT_BOLD).engine(self.writer),
        }
        self.pages = [[]]
        self.widths = {}  # (text, bold) → advance in em

    def _shape(self, text, size, bold):
        engine = self.fonts["F2" if bold else "F1"]
        engine.font_size = size  # pyHanko's Td after each string is in these units
        return engine.shape(text)

    def width(self, text, size=10, bold=False):
        """How wide ``text`` is set, in points: what ``text()`` advances, shaped by HarfBuzz.

        Measured without pyHanko's text operators (``wrap`` measures many
        candidate lines) and remembered per text.
        """
        if not text:
            return 0
        key = (text, bold)
        if key not in self.widths:
            engine = self.fonts["F2" if bold else "F1"]
            buffer = hb.Buffer()
            buffer.add_str(text)
            buffer.guess_segment_properties()
            hb.shape(engine.hb_font, buffer, engine.features)
            advance = sum(position.x_advance for position in buffer.glyph_positions)
            self.widths[key] = advance / engine.units_per_em
        return self.widths[key] * size

    def text(self, x, y, text, size=10, bold=False, align="left", page=-1):
        """Draw one line of ``text`` on ``page``; ``align="right"`` ends it at ``x``."""
        if not text:
            return
        shaped = self._shape(text, size, bold)
        if align == "right":
            x -= shaped.x_advance * size
        font = "F2" if bold else "F1"
        self.pages[page].append(
            b"BT /%s %g Tf %g %g Td %s ET" % (font.encode(), size, x, y, shaped.graphics_ops)
        )

    def rule(self, x1, y1, x2, y2, width=0.5):
        self.pages[-1].append(b"q %g w %g %g m %g %g l S Q" % (width, x1, y1, x2, y2))

    def wrap(self, text, width, size=10, bold=False):
        """``text`` broken into lines no wider than ``width`` points (long words split)."""
        lines, line = [], ""
        for word in (text or "").split():
            candidate = f"{line} {word}" if line else word
            if self.width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while self.width(line, size, bold) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and self.width(line[:cut], size, bold) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        if line:
            lines.append(line)
        return lines or [""]

    def new_page(self):
        self.pages.append([])

    def finish(self, title, author, language="el-GR"):
        """The PDF's bytes: every page written, the fonts' subsets embedded."""
        writer = self.writer
        fonts = generic.DictionaryObject(
            {pdf_name(f"/{name}"): engine.as_resource() for name, engine in self.fonts.items()}
        )
        resources = writer.add_object(generic.DictionaryObject({pdf_name("/Font"): fonts}))
        for ops in self.pages:
            stream = generic.StreamObject(stream_data=b"\n".join(ops))
            stream.compress()
            page = generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Page"),
                    pdf_name("/MediaBox"): generic.ArrayObject(
                        [generic.NumberObject(n) for n in (0, 0, *PAGE)]
                    ),
                    pdf_name("/Resources"): resources,
                    pdf_name("/Contents"): writer.add_object(stream),
                }
            )
            writer.insert_page(page)
        writer.root[pdf_name("/Lang")] = generic.TextStringObject(language)
        meta = writer.document_meta
        meta.title, meta.author, meta.created = title, author, "now"
        out = BytesIO()
        writer.write(out)
        return out.getvalue()


def render_receipt(data):
    """The receipt ``data`` (a ReceiptData) as PDF bytes, unsigned."""
    canvas = Canvas()
    y = _header(canvas, data, TOP)
    y = _details(canvas, data, y - 24)
    y = _debts(canvas, data, y - 22)
    y = _total(canvas, data, y - 6)
    _closing(canvas, data, y - 30)
    _page_numbers(canvas, data)
    title = f"Απόδειξη πληρωμής {data.number} / Payment receipt {data.number}"
    return canvas.finish(title, data.municipality)


def _header(canvas, data, y):
    canvas.text(LEFT, y, data.municipality, size=16, bold=True)
    y -= 26
    canvas.text(LEFT, y, "ΑΠΟΔΕΙΞΗ ΠΛΗΡΩΜΗΣ", size=14, bold=True)
    canvas.text(RIGHT, y, f"Αρ. {data.number}", size=14, bold=True, align="right")
    y -= 15
    canvas.text(LEFT, y, "Payment receipt", size=10)
    canvas.text(RIGHT, y, f"No. {data.number}", size=10, align="right")
    y -= 10
    canvas.rule(LEFT, y, RIGHT, y, width=1)
    return y


def _details(canvas, data, y):
    rows = (
        ("Ημερομηνία πληρωμής / Date of payment", format_when(data.paid_at)),
        ("Κωδικός πληρωμής / Payment code (RF)", iso11649.format(data.rf_code)),
        ("Τρόπος πληρωμής / Payment channel", channel_label(data.channel)),
        ("Αριθμός συναλλαγής / Transaction ID", data.transaction_id or "—"),
        ("Ονοματεπώνυμο / Payer", data.payer_name or "—"),
        ("ΑΦΜ / Tax number (AFM)", data.payer_afm or "—"),
    )
    for label, value in rows:
        canvas.text(LEFT, y, label, size=10)
        lines = canvas.wrap(value, RIGHT - 260, size=10, bold=True)
        for number, line in enumerate(lines):
            canvas.text(260, y - 13 * number, line, size=10, bold=True)
        y -= 13 * len(lines) + 5
    return y


def _next_page(canvas, data):
    """A new page headed with the receipt's number; where its content starts."""
    canvas.new_page()
    heading = f"{data.municipality} · Απόδειξη πληρωμής / Payment receipt {data.number}"
    canvas.text(LEFT, TOP, heading, size=9)
    canvas.rule(LEFT, TOP - 6, RIGHT, TOP - 6)
    return TOP - 28


def _table_head(canvas, y):
    canvas.text(CATEGORY_X, y, "Κατηγορία / Category", size=9, bold=True)
    canvas.text(DESCRIPTION_X, y, "Περιγραφή / Description", size=9, bold=True)
    canvas.text(AMOUNT_RIGHT, y, "Ποσό / Amount", size=9, bold=True, align="right")
    y -= 6
    canvas.rule(LEFT, y, RIGHT, y)
    return y - 14


def _debts(canvas, data, y):
    canvas.text(LEFT, y, "Οφειλές που εξοφλήθηκαν / Debts paid", size=11, bold=True)
    y = _table_head(canvas, y - 18)
    for debt in data.debts:
        category = canvas.wrap(debt.category, CATEGORY_WIDTH, size=10)
        description = canvas.wrap(debt.description, DESCRIPTION_WIDTH, size=10)
        height = 13 * max(len(category), len(description))
        if y - height < BOTTOM:
            y = _table_head(canvas, _next_page(canvas, data))
        for number, line in enumerate(category):
            canvas.text(CATEGORY_X, y - 13 * number, line, size=10)
        for number, line in enumerate(description):
            canvas.text(DESCRIPTION_X, y - 13 * number, line, size=10)
        canvas.text(AMOUNT_RIGHT, y, format_amount(debt.amount_cents), size=10, align="right")
        y -= height + 5
    return y


def _total(canvas, data, y):
    if y - 60 < BOTTOM:
        y = _next_page(canvas, data)
    canvas.rule(LEFT, y, RIGHT, y, width=1)
    y -= 18
    canvas.text(DESCRIPTION_X, y, "Σύνολο / Total", size=12, bold=True)
    canvas.text(AMOUNT_RIGHT, y, format_amount(data.total_cents), size=12, bold=True, align="right")
    return y


def _closing(canvas, data, y):
    lines = (
        "Η απόδειξη φέρει την ηλεκτρονική σφραγίδα του Δήμου· η υπογραφή επαληθεύεται ηλεκτρονικά.",
        "This receipt carries the municipality's electronic seal; the signature can be verified.",
    )
    for line in lines:
        for part in canvas.wrap(line, RIGHT - LEFT, size=8):
            if y < BOTTOM:
                y = _next_page(canvas, data)
            canvas.text(LEFT, y, part, size=8)
            y -= 11


def _page_numbers(canvas, data):
    count = len(canvas.pages)
    if count == 1:
        return
    for number in range(1, count + 1):
        label = f"Σελίδα {number} από {count} / Page {number} of {count}"
        canvas.text(RIGHT, 20, label, size=8, align="right", page=number - 1)
