"""The bank's daily reconciliation file: every payment to the municipality's RF codes, matched.

The collecting bank sends, each working day, the payments it credited to the
municipality's account, from every channel (card through the gateway,
e-banking, ATM, branch). The file, as the bank's export writes it:

=================  ========================  =======================================
column             Greek name                value
=================  ========================  =======================================
date               ημερομηνία                value date: 02/03/2026 or 2026-03-02
bank_reference     αναφορά (τράπεζας)        the bank's unique id of the payment; for
                                             card payments, the gateway's ``txid``
rf                 κωδικός RF / πληρωμής     the RF code paid (spaces allowed)
amount             ποσό                      euros: 1.234,56 / 1234,56 / 1234.56
channel            κανάλι                    optional: card, e-banking, atm, branch ...
=================  ========================  =======================================

CSV, one payment per line, cells separated by ``;`` (``,`` is the decimal
separator), or by tabs. UTF-8 with or without a BOM, or Windows-1253 (Greek
Windows exports). A header line names the columns (English or Greek, any
case or accents, any order); blank lines and lines starting with ``#`` are
skipped. Line numbers in the report are the file's lines, the header being 1.

Example::

    ημερομηνία;αναφορά;κωδικός RF;ποσό;κανάλι
    02/03/2026;SBX-4F2A01B3C9D8;RF12 9912 0000 0000 0142;12,50;card
    02/03/2026;EB20260302-000731;RF71 9912 0000 0000 0157;1.234,56;e-banking

Each line goes to ``ledger.record_payment(..., channel="bank-file")`` with the
bank reference as the transaction id, so a card payment whose callback came
first is recognised (same id) and never paid twice. The report sorts lines
into: matched (paid an order), already-recorded (the same payment was
recorded before, e.g. by the gateway's callback or an earlier import),
conflict (recorded before with another amount or code), wrong-amount,
unknown-rf, paid-twice (another payment had already paid the order: to be
refunded), superseded (a code no longer valid), malformed (with the reason).
Every message is in Greek and English. A file whose header is wrong is
refused as a whole (FileRefused), and nothing is recorded.
"""

from dataclasses import dataclass
from dataclasses import field
from dimos.payments import ledger
from dimos.payments.bilingual import BilingualError
from dimos.payments.categories import fold
from dimos.payments.money import format_amount
from dimos.payments.money import parse_amount
from dimos.payments.rf import format_rf
from dimos.payments.rf import is_valid_rf
from dimos.payments.rf import normalise_rf

import csv
import datetime
import io
import re


CHANNEL = "bank-file"
COLUMNS = {
    "date": ("date", "value date", "ημερομηνία", "ημερομηνία αξίας"),
    "bank_reference": ("bank_reference", "reference", "αναφορά", "αναφορά τράπεζας"),
    "rf": ("rf", "rf code", "κωδικός rf", "κωδικός πληρωμής"),
    "amount": ("amount", "ποσό"),
    "channel": ("channel", "κανάλι"),
}
REQUIRED = ("date", "bank_reference", "rf", "amount")
_NAMES = {fold(name): column for column, names in COLUMNS.items() for name in names}
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
CATEGORIES = (
    "matched",
    "already-recorded",
    "conflict",
    "wrong-amount",
    "unknown-rf",
    "paid-twice",
    "superseded",
    "malformed",
)
_BY_OUTCOME = {
    ledger.APPLIED: "matched",
    ledger.WRONG_AMOUNT: "wrong-amount",
    ledger.UNKNOWN_RF: "unknown-rf",
    ledger.ALREADY_PAID: "paid-twice",
    ledger.SUPERSEDED: "superseded",
}
_MESSAGES = {
    "already-recorded": (
        "Η πληρωμή είχε ήδη καταχωριστεί (από την ειδοποίηση της τράπεζας ή από προηγούμενο "
        "αρχείο)· δεν καταχωρίστηκε δεύτερη φορά.",
        "The payment was already recorded (by the bank's notification or an earlier file); "
        "it was not recorded twice.",
    ),
    "conflict": (
        "Η ίδια συναλλαγή είχε καταχωριστεί με άλλο ποσό ή κωδικό RF· δεν άλλαξε τίποτα, "
        "ελέγξτε την με την τράπεζα.",
        "The same transaction was recorded with another amount or RF code; nothing changed, "
        "check it with the bank.",
    ),
}


class FileRefused(BilingualError):
    """The file as a whole cannot be read; nothing was recorded."""

    code = "file-refused"
    status = 400


class LineError(BilingualError):
    code = "malformed"


@dataclass(frozen=True)
class BankLine:
    """One payment line of the file, read and checked."""

    number: int
    date: datetime.date
    reference: str
    rf: str
    amount_cents: int
    channel: str


@dataclass(frozen=True)
class LineResult:
    number: int
    category: str
    message_el: str
    message_en: str
    line: BankLine | None = None
    outcome: str | None = None
    text: str = ""

    def to_json(self, language="el"):
        data = {
            "line": self.number,
            "category": self.category,
            "message": self.message_en if language == "en" else self.message_el,
            "messages": {"el": self.message_el, "en": self.message_en},
        }
        if self.line is not None:
            data.update(
                date=self.line.date.isoformat(),
                bank_reference=self.line.reference,
                rf=self.line.rf,
                rf_printed=format_rf(self.line.rf),
                amount_cents=self.line.amount_cents,
                amount=format_amount(self.line.amount_cents),
                channel=self.line.channel,
                outcome=self.outcome,
            )
        else:
            data["text"] = self.text
        return data


@dataclass
class ReconciliationReport:
    results: list = field(default_factory=list)

    def of(self, category):
        return [result for result in self.results if result.category == category]

    @property
    def counts(self):
        return {category: len(self.of(category)) for category in CATEGORIES}

    @property
    def matched_cents(self):
        return sum(result.line.amount_cents for result in self.of("matched"))

    def summary(self, language="el"):
        c = self.counts
        total, amount = len(self.results), format_amount(self.matched_cents)
        attention = total - c["matched"] - c["already-recorded"]
        if language == "en":
            return (
                f"{total} lines: {c['matched']} matched ({amount}), {c['already-recorded']} "
                f"already recorded, {attention} for the staff to check."
            )
        return (
            f"{total} γραμμές: {c['matched']} αντιστοιχίστηκαν ({amount}), "
            f"{c['already-recorded']} είχαν ήδη καταχωριστεί, {attention} προς έλεγχο."
        )

    def to_json(self, language="el"):
        return {
            "counts": self.counts,
            "lines_total": len(self.results),
            "matched_cents": self.matched_cents,
            "summary": self.summary(language),
            "summaries": {"el": self.summary("el"), "en": self.summary("en")},
            "lines": [result.to_json(language) for result in self.results],
        }


# --- reading the file ----------------------------------------------------------------


def decode(data):
    if isinstance(data, str):
        return data
    if not data:
        raise FileRefused("Το αρχείο είναι κενό.", "The file is empty.", code="empty-file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1253")
    except UnicodeDecodeError:
        raise FileRefused(
            "Το αρχείο δεν είναι κείμενο UTF-8 ή Windows-1253.",
            "The file is not UTF-8 or Windows-1253 text.",
            code="bad-encoding",
        ) from None


def _header(cells):
    columns = [_NAMES.get(fold(cell)) for cell in cells]
    unknown = [cell for cell, column in zip(cells, columns, strict=True) if column is None]
    missing = [name for name in REQUIRED if name not in columns]
    twice = sorted({column for column in columns if column and columns.count(column) > 1})
    if unknown or missing or twice:
        problems_el, problems_en = [], []
        if missing:
            problems_el.append("λείπουν οι στήλες " + ", ".join(missing))
            problems_en.append("missing columns " + ", ".join(missing))
        if unknown:
            problems_el.append("άγνωστες στήλες " + ", ".join(unknown))
            problems_en.append("unknown columns " + ", ".join(unknown))
        if twice:
            problems_el.append("στήλες δύο φορές: " + ", ".join(twice))
            problems_en.append("columns given twice: " + ", ".join(twice))
        raise FileRefused(
            "Η γραμμή επικεφαλίδων του αρχείου δεν είναι σωστή: " + "· ".join(problems_el) + ".",
            "The file's header line is wrong: " + "; ".join(problems_en) + ".",
            code="bad-header",
        )
    return columns


def parse_date(text):
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise LineError(
        f"Μη έγκυρη ημερομηνία «{text}» (π.χ. 02/03/2026).",
        f"Invalid date “{text}” (e.g. 02/03/2026).",
        code="bad-date",
    )


def parse_reference(text):
    if not _REFERENCE.fullmatch(text):
        raise LineError(
            f"Μη έγκυρη αναφορά τράπεζας «{text}» (γράμματα, ψηφία, . _ / -, έως 64).",
            f"Invalid bank reference “{text}” (letters, digits, . _ / -, up to 64).",
            code="bad-reference",
        )
    return text


def parse_rf(text):
    rf = normalise_rf(text)
    if not is_valid_rf(rf):
        raise LineError(
            f"Ο κωδικός «{text}» δεν είναι έγκυρος κωδικός RF.",
            f"“{text}” is not a valid RF code.",
            code="bad-rf",
        )
    return rf


def parse_cents(text):
    cents = parse_amount(text)  # AmountError, a BilingualError, for what cannot be read
    if cents <= 0:
        raise LineError(f"Μηδενικό ποσό «{text}».", f"Zero amount “{text}”.", code="bad-amount")
    return cents


def _line(number, cells, columns):
    if len(cells) != len(columns):
        raise LineError(
            f"Η γραμμή έχει {len(cells)} κελιά αντί για {len(columns)}.",
            f"The line has {len(cells)} cells instead of {len(columns)}.",
            code="bad-cells",
        )
    values = {column: cell.strip() for column, cell in zip(columns, cells, strict=True)}
    for column in REQUIRED:
        if not values[column]:
            raise LineError(
                f"Λείπει η τιμή της στήλης «{column}».",
                f"The column “{column}” has no value.",
                code="missing-value",
            )
    return BankLine(
        number=number,
        date=parse_date(values["date"]),
        reference=parse_reference(values["bank_reference"]),
        rf=parse_rf(values["rf"]),
        amount_cents=parse_cents(values["amount"]),
        channel=values.get("channel", "")[:40],
    )


def read_lines(data):
    """The file's lines: ``BankLine`` for good ones, ``LineResult`` (malformed) for the rest."""
    text = decode(data)
    rows = [
        (number, raw)
        for number, raw in enumerate(text.splitlines(), 1)
        if raw.strip() and not raw.lstrip().startswith("#")
    ]
    if not rows:
        raise FileRefused(
            "Το αρχείο δεν έχει γραμμές.", "The file has no lines.", code="empty-file"
        )
    header_number, header = rows[0]
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ";"
    columns = _header(next(csv.reader([header], delimiter=delimiter)))
    read = []
    for number, raw in rows[1:]:
        cells = next(csv.reader(io.StringIO(raw), delimiter=delimiter), [])
        try:
            read.append(_line(number, cells, columns))
        except BilingualError as error:
            read.append(
                LineResult(
                    number,
                    "malformed",
                    f"Γραμμή {number}: {error.message_el}",
                    f"Line {number}: {error.message_en}",
                    text=raw[:200],
                )
            )
    return read


# --- matching ------------------------------------------------------------------------


def _category(outcome):
    if outcome.code != ledger.DUPLICATE:
        category = _BY_OUTCOME[outcome.code]
        return category, outcome.message_el, outcome.message_en
    category = "conflict" if {"rf", "amount_cents"} & set(outcome.differs) else "already-recorded"
    return (category, *_MESSAGES[category])


def match(line, actor):
    """Record one good line through the ledger; its LineResult."""
    outcome = ledger.record_payment(
        line.rf,
        line.amount_cents,
        line.reference,
        paid_at=line.date,
        channel=CHANNEL,
        actor=actor,
    )
    category, message_el, message_en = _category(outcome)
    return LineResult(
        line.number,
        category,
        f"Γραμμή {line.number}: {message_el}",
        f"Line {line.number}: {message_en}",
        line=line,
        outcome=outcome.code,
    )


def reconcile(data, actor):
    """Import a bank file (bytes or text) as ``actor``; a ReconciliationReport.

    FileRefused (nothing recorded) when the file cannot be read or its
    header is wrong; each line is otherwise matched or reported on its own.
    """
    if not actor:
        raise ValueError("actor is required: who imports the file")
    report = ReconciliationReport()
    for item in read_lines(data):
        report.results.append(item if isinstance(item, LineResult) else match(item, actor))
    return report
