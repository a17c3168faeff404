"""Import of the certified debts from the financial system: CSV or JSON, idempotent.

The file (columns, in any order; names in English or Greek, any case):

============  ===========================  ======================================
column        Greek name                   value
============  ===========================  ======================================
id            κωδικός                      the financial system's debt id (unique)
afm           ΑΦΜ                          the debtor's tax number (9 digits)
name          επωνυμία / ονοματεπώνυμο     the debtor's name
category      κατηγορία                    token or title, see categories.py
amount        ποσό                         euros: 12,50 / 12.50 / 1.234,56
due_date      λήξη                         31/03/2026 or 2026-03-31
description   περιγραφή                    optional
surcharge     προσαύξηση                   optional, euros; empty is 0
status        κατάσταση                    optional: open (default), paid, cancelled
============  ===========================  ======================================

CSV: UTF-8 with or without a BOM (as "CSV UTF-8" from Greek Excel), ``;`` or
``,`` between cells (whichever the header uses). JSON: a list of objects with
the same keys (numbers are read exactly, never as floats).

The whole file is refused (``ImportRefused``, nothing imported) when it cannot
be read, or its header is wrong: a required column missing, an unknown column
(a misspelt ``surcharge`` must not silently drop every surcharge) or a column
twice. Otherwise rows are independent, as in the financial system: a bad row
is reported with its row number (CSV: the spreadsheet's row, the header being
row 1; JSON: the position in the list, from 1) and Greek and English reasons,
and the good rows are imported.

Idempotent: a row equal to the stored debt changes nothing (no audit entry);
changed fields are updated and audited. A debt that is paid or in a pending
payment order is *locked*: a row that would change its amount, surcharge, ΑΦΜ
or status is a *conflict*, reported and not applied at all (its other fields
neither), until staff settle it.
"""

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from dimos.payments.audit import diff
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from dimos.payments.bilingual import BilingualError
from dimos.payments.categories import fold
from dimos.payments.debts import CERTIFIED
from dimos.payments.debts import clean_id
from dimos.payments.debts import CLEANERS
from dimos.payments.debts import Debt
from dimos.payments.debts import LOCKED_FIELDS
from dimos.payments.debts import PAID

import csv
import io
import json


# column → (the Debt field it fills, names it may have in a file)
COLUMNS = {
    "id": ("id", ("id", "debt_id", "κωδικός", "κωδικός οφειλής")),
    "afm": ("afm", ("afm", "αφμ", "α.φ.μ.")),
    "name": ("name", ("name", "debtor", "επωνυμία", "ονοματεπώνυμο", "οφειλέτης")),
    "category": ("category", ("category", "κατηγορία")),
    "amount": ("amount_cents", ("amount", "ποσό")),
    "due_date": ("due_date", ("due_date", "due date", "λήξη", "ημερομηνία λήξης")),
    "description": ("description", ("description", "περιγραφή")),
    "surcharge": ("surcharge_cents", ("surcharge", "προσαύξηση", "προσαυξήσεις")),
    "status": ("status", ("status", "κατάσταση")),
}
REQUIRED = ("id", "afm", "name", "category", "amount", "due_date")
_NAMES = {fold(name): column for column, (_f, names) in COLUMNS.items() for name in names}
CSV_TYPES = ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel")
JSON_TYPES = ("application/json",)


class ImportRefused(BilingualError):
    """The file as a whole cannot be imported; nothing was."""

    code = "import-refused"


@dataclass
class Row:
    number: int
    values: dict
    problem: BilingualError | None = None


@dataclass
class ImportReport:
    """What an import did. ``unchanged`` only counts in the JSON (it is most of a re-import)."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def error(self, number, error, debt_id=None):
        self.errors.append({"row": number, "id": debt_id, **error.to_json()})

    @property
    def counts(self):
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "conflicts": len(self.conflicts),
            "errors": len(self.errors),
        }

    def summary(self, language="el"):
        c = self.counts
        if language == "en":
            return (
                f"{c['created']} new, {c['updated']} updated, {c['unchanged']} unchanged; "
                f"{c['conflicts']} conflicts and {c['errors']} rows with errors not imported."
            )
        return (
            f"{c['created']} νέες, {c['updated']} ενημερωμένες, {c['unchanged']} χωρίς αλλαγή· "
            f"{c['conflicts']} συγκρούσεις και {c['errors']} γραμμές με σφάλματα δεν εισήχθησαν."
        )

    def to_json(self):
        return {
            "counts": self.counts,
            "summary": self.summary("el"),
            "summaries": {"el": self.summary("el"), "en": self.summary("en")},
            "created": list(self.created),
            "updated": list(self.updated),
            "conflicts": jsonable(self.conflicts),
            "errors": jsonable(self.errors),
        }


def creation_changes(values):
    return {name: [None, jsonable(value)] for name, value in values.items()}


# --- reading files ---------------------------------------------------------------


def _refusal(unknown=(), repeated=(), missing=()):
    problems_el, problems_en = [], []
    if unknown:
        problems_el.append(f"άγνωστες στήλες: {', '.join(map(str, unknown))}")
        problems_en.append(f"unknown columns: {', '.join(map(str, unknown))}")
    if repeated:
        problems_el.append(f"στήλες δύο φορές: {', '.join(repeated)}")
        problems_en.append(f"columns given twice: {', '.join(repeated)}")
    if missing:
        problems_el.append(f"λείπουν οι στήλες: {', '.join(missing)}")
        problems_en.append(f"missing columns: {', '.join(missing)}")
    return ImportRefused(
        "Το αρχείο δεν εισήχθη, οι στήλες του είναι λανθασμένες: "
        + "· ".join(problems_el)
        + f". Απαιτούνται: {', '.join(REQUIRED)}· προαιρετικές: description, surcharge, status.",
        "The file was not imported, its columns are wrong: "
        + "; ".join(problems_en)
        + f". Required: {', '.join(REQUIRED)}; optional: description, surcharge, status.",
        code="bad-header",
        unknown=[str(name) for name in unknown],
        repeated=list(repeated),
        missing=list(missing),
    )


def _columns(names):
    """The column of each name; ImportRefused if a name is unknown, repeated or a column missing."""
    columns = [_NAMES.get(fold(name)) for name in names]
    unknown = [name for name, column in zip(names, columns, strict=True) if column is None]
    repeated = sorted({c for c in columns if c is not None and columns.count(c) > 1})
    missing = [column for column in REQUIRED if column not in columns]
    if unknown or repeated or missing:
        raise _refusal(unknown, repeated, missing)
    return columns


def _text(data):
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(
                "Το αρχείο δεν είναι σε κωδικοποίηση UTF-8· αποθηκεύστε το ως «CSV UTF-8».",
                "The file is not UTF-8; save it as “CSV UTF-8”.",
                code="not-utf8",
            ) from None
    return data.removeprefix("\ufeff")


def _empty():
    return ImportRefused("Το αρχείο είναι κενό.", "The file is empty.", code="empty-file")


def read_csv(data):
    """Rows of a CSV file (bytes or text); ImportRefused if it cannot be read or its header is wrong."""
    text = _text(data)
    header_line = next((line for line in text.splitlines() if line.strip()), None)
    if header_line is None:
        raise _empty()
    delimiter = max(";,\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, columns = [], None
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _columns([cell.strip() for cell in cells])
                continue
            problem = None
            if len(cells) != len(columns):
                problem = BilingualError(
                    f"Η γραμμή έχει {len(cells)} κελιά ενώ οι στήλες είναι {len(columns)}.",
                    f"The row has {len(cells)} cells but there are {len(columns)} columns.",
                    code="bad-row",
                )
            rows.append(Row(number, dict(zip(columns, cells, strict=False)), problem))
    except csv.Error as error:
        raise ImportRefused(
            f"Το αρχείο CSV δεν διαβάζεται κοντά στη γραμμή {reader.line_num}: {error}.",
            f"The CSV file cannot be read near line {reader.line_num}: {error}.",
            code="bad-csv",
        ) from None
    return rows


def read_json(data):
    """Rows of a JSON list of objects (bytes, text or the parsed list); ImportRefused if not one."""
    if isinstance(data, (bytes, str)):
        text = _text(data)
        if not text.strip():
            raise _empty()
        try:
            data = json.loads(text, parse_float=Decimal)
        except ValueError as error:
            raise ImportRefused(
                f"Το αρχείο JSON δεν διαβάζεται: {error}.",
                f"The JSON file cannot be read: {error}.",
                code="bad-json",
            ) from None
    if not isinstance(data, list):
        raise ImportRefused(
            "Αναμενόταν λίστα (JSON array) οφειλών.",
            "Expected a list (JSON array) of debts.",
            code="bad-json",
        )
    return list(data)


def read_file(data, content_type="text/csv"):
    """Rows of ``data`` read as CSV or JSON, by its content type."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in CSV_TYPES:
        return read_csv(data)
    if kind in JSON_TYPES:
        return read_json(data)
    raise ImportRefused(
        f"Μη αποδεκτός τύπος αρχείου «{kind}»· στείλτε text/csv ή application/json.",
        f"File type “{kind}” not accepted; send text/csv or application/json.",
        code="bad-content-type",
    )


def _prepared(rows):
    """Every row as a Row with columns for keys; ImportRefused (before any change) on bad keys."""
    prepared, named = [], {}
    for number, row in enumerate(rows, start=1):
        if isinstance(row, tuple):
            row = Row(*row)
        elif not isinstance(row, Row):
            row = Row(number, row)
        if not isinstance(row.values, dict):
            problem = BilingualError(
                "Η εγγραφή δεν είναι αντικείμενο με πεδία.",
                "The entry is not an object with fields.",
                code="bad-row",
            )
            prepared.append(Row(row.number, {}, row.problem or problem))
            continue
        for name in row.values:
            if name not in named:
                named[name] = _NAMES.get(fold(name)) if isinstance(name, str) else None
        prepared.append(row)
    unknown = sorted(str(name) for name, column in named.items() if column is None)
    if unknown:
        raise _refusal(unknown)
    for row in prepared:
        columns = [named[name] for name in row.values]
        if len(set(columns)) < len(columns) and row.problem is None:
            row.problem = BilingualError(
                "Το ίδιο πεδίο δίνεται δύο φορές (π.χ. afm και ΑΦΜ).",
                "The same field is given twice (e.g. afm and ΑΦΜ).",
                code="bad-row",
            )
        row.values = dict(zip(columns, row.values.values(), strict=True))
    return prepared


# --- applying rows -------------------------------------------------------------------


def _clean(row):
    """(debt id, Debt field values) of a row, or raise a list of BilingualErrors."""
    errors, values, debt_id = [], {}, None
    missing = [column for column in REQUIRED if column not in row.values]
    if missing:
        errors.append(
            BilingualError(
                f"Λείπουν τα πεδία: {', '.join(missing)}.",
                f"Missing fields: {', '.join(missing)}.",
                code="missing-fields",
            )
        )
    for column, value in row.values.items():
        name, _names = COLUMNS[column]
        try:
            if column == "id":
                debt_id = clean_id(value)
            else:
                values[name] = CLEANERS[name](value)
        except BilingualError as error:
            error.details["field"] = column  # as the file names it
            errors.append(error)
    for column in ("description", "surcharge", "status"):
        name, _names = COLUMNS[column]
        if column not in row.values:
            values[name] = CLEANERS[name]("")
    if errors:
        raise _RowErrors(errors, debt_id)
    return debt_id, values


class _RowErrors(Exception):
    def __init__(self, errors, debt_id):
        super().__init__(errors)
        self.errors, self.debt_id = errors, debt_id


def _conflict(number, debt, refused):
    if debt.status == PAID:
        why_el, why_en, reason = "είναι ήδη εξοφλημένη", "is already paid", "paid"
    else:
        why_el = f"είναι σε εκκρεμή εντολή πληρωμής {debt.pending_rf}"
        why_en, reason = f"is in pending payment order {debt.pending_rf}", "pending-order"
    fields = ", ".join(refused)
    return {
        "row": number,
        "id": debt.id,
        "reason": reason,
        "rf": debt.pending_rf,
        "fields": refused,
        "message_el": f"Η οφειλή {debt.id} {why_el}· δεν άλλαξε ({fields}).",
        "message_en": f"Debt {debt.id} {why_en}; not changed ({fields}).",
    }


def _apply(book, number, debt_id, values, actor, report):
    debt = book.get_debt(debt_id)
    if values.get("status") == PAID and (debt is None or debt.status != PAID):
        values = {**values, "paid": {"at": now_utc(), "channel": "financial-system", "by": actor}}
    if debt is None:
        paid = values.pop("paid", None)
        debt = Debt(debt_id, source=CERTIFIED, **values)
        debt.paid = paid
        book.add_debt(debt, actor, "imported", row=number)
        report.created.append(debt_id)
        return
    if debt.source != CERTIFIED:
        report.error(
            number,
            BilingualError(
                f"Ο κωδικός {debt_id} ανήκει σε οφειλή άλλης προέλευσης ({debt.source}).",
                f"Id {debt_id} belongs to a debt from another source ({debt.source}).",
                code="other-source",
            ),
            debt_id,
        )
        return
    changes = diff(debt, {name: value for name, value in values.items() if name != "paid"})
    if not changes:
        report.unchanged.append(debt_id)
        return
    refused = {name: change for name, change in changes.items() if name in LOCKED_FIELDS}
    if debt.locked and refused:
        report.conflicts.append(_conflict(number, debt, refused))
        return
    book.change_debt(debt, values, actor, "import-updated", row=number)
    report.updated.append(debt_id)


def apply_rows(book, rows, actor):
    """Import ``rows`` into ``book`` (a DebtBook); the ImportReport."""
    report, seen = ImportReport(), {}
    for row in _prepared(rows):
        if row.problem is not None:
            report.error(row.number, row.problem)
            continue
        try:
            debt_id, values = _clean(row)
        except _RowErrors as failed:
            for error in failed.errors:
                report.error(row.number, error, failed.debt_id)
            continue
        if debt_id in seen:
            report.error(
                row.number,
                BilingualError(
                    f"Η οφειλή {debt_id} υπάρχει ήδη στη γραμμή {seen[debt_id]}.",
                    f"Debt {debt_id} is already in row {seen[debt_id]}.",
                    code="duplicate-row",
                ),
                debt_id,
            )
            continue
        seen[debt_id] = row.number
        _apply(book, row.number, debt_id, values, actor, report)
    return report
