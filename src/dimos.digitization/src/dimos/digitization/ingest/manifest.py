"""The operator's CSV manifest: what is known about each scan before it is read.

Columns ``file, body, decision_number, decision_year, meeting_date, subject``
(only ``file`` is required); UTF-8 with or without a BOM; comma or semicolon;
dates ISO (``1979-03-12``) or Greek style (``12/3/1979``). A bad row raises
``ManifestError`` naming its line, so the run refuses to start before it
touches any file. Rows are yielded one by one: a manifest of 50,000 rows is
never held in memory.
"""

from datetime import date
from dimos.digitization.pipeline.model import ManifestEntry
from dimos.digitization.pipeline.model import PipelineError

import csv
import re


COLUMNS = ("file", "body", "decision_number", "decision_year", "meeting_date", "subject")
GREEK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class ManifestError(PipelineError):
    code = "bad-manifest"

    def __init__(self, line, message_el, message_en):
        self.line = line
        where_el = f"Γραμμή {line} του καταλόγου" if line else "Κατάλογος"
        where_en = f"Manifest line {line}" if line else "Manifest"
        super().__init__(f"{where_el}: {message_el}", f"{where_en}: {message_en}")


def parse_date(text, line):
    text = text.strip()
    if not text:
        return None
    try:
        match = GREEK_DATE.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ManifestError(
            line,
            f"η ημερομηνία «{text}» δεν είναι έγκυρη (γράψτε 12/3/1979 ή 1979-03-12).",
            f"the date '{text}' is not valid (write 12/3/1979 or 1979-03-12).",
        ) from None


def parse_number(text, line, column, low, high):
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise ManifestError(
            line,
            f"η στήλη {column} πρέπει να είναι ακέραιος από {low} έως {high}, όχι «{text}».",
            f"column {column} must be a whole number from {low} to {high}, not '{text}'.",
        )
    return int(text)


def delimiter(header):
    return ";" if header.count(";") > header.count(",") else ","


def check_header(names):
    names = [(name or "").strip().lower() for name in names]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown or "file" not in names:
        raise ManifestError(
            1,
            f"άγνωστες ή ελλείπουσες στήλες {unknown or ['file']}; επιτρέπονται: {', '.join(COLUMNS)}.",
            f"unknown or missing columns {unknown or ['file']}; allowed: {', '.join(COLUMNS)}.",
        )
    return names


def entry(row, line):
    cells = {name: (value or "").strip() for name, value in row.items()}
    if not cells.get("file"):
        raise ManifestError(
            line, "λείπει το όνομα αρχείου (στήλη file).", "the file name (column file) is missing."
        )
    return ManifestEntry(
        file=cells["file"],
        body=cells.get("body", ""),
        decision_number=parse_number(
            cells.get("decision_number", ""), line, "decision_number", 1, 999_999
        ),
        decision_year=parse_number(
            cells.get("decision_year", ""), line, "decision_year", 1830, 2100
        ),
        meeting_date=parse_date(cells.get("meeting_date", ""), line),
        subject=cells.get("subject", ""),
    )


def read_manifest(path):
    """Yield ``(line, ManifestEntry)`` for each row; ManifestError on the first bad one."""
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ManifestError(0, f"δεν ανοίγει: {error}.", f"cannot be opened: {error}.") from None
    with f:
        try:
            header = f.readline()
            names = check_header(next(csv.reader([header], delimiter=delimiter(header)), []))
            reader = csv.reader(f, delimiter=delimiter(header))
            for cells in reader:
                line = reader.line_num + 1  # the header was read before the reader started
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) > len(names):
                    raise ManifestError(
                        line,
                        f"{len(cells)} στήλες αντί για {len(names)}.",
                        f"{len(cells)} columns instead of {len(names)}.",
                    )
                yield line, entry(dict(zip(names, cells, strict=False)), line)
        except UnicodeDecodeError:
            raise ManifestError(
                0,
                "δεν είναι σε κωδικοποίηση UTF-8 (αποθηκεύστε το ως «CSV UTF-8»).",
                "is not UTF-8 (save it as 'CSV UTF-8').",
            ) from None
