"""Find a council decision's metadata in its text: number, year, meeting date, body,
subject (ΘΕΜΑ) and the decisions it amends, repeals or refers to.

The texts are OCR output or text layers of decisions from 1950 to 2010:
monotonic or polytonic (katharevousa), any case, accents or none, OCR noise.
Patterns match a folded copy of the text (lower case, no accents or
breathings, σ for ς, Greek letters for their Latin look-alikes) that keeps
every character's position, so what is returned (the subject) is cut from
the original text. Values from the operator's manifest always win.
"""

from dataclasses import asdict
from dataclasses import replace
from datetime import date
from dimos.digitization.pipeline.model import DecisionMetadata
from dimos.digitization.pipeline.model import Reference
from pathlib import Path

import functools
import json
import re
import unicodedata


BODIES = tuple(
    (title, re.compile(pattern))
    for title, pattern in (
        # canonical title, pattern over folded text (genitive and katharevousa endings too)
        ("Επιτροπή Ποιότητας Ζωής", r"επιτροπ(?:η|ησ)\s+ποιοτητ(?:α|οσ|ασ)\s+ζωη"),
        ("Δημοτικό Συμβούλιο", r"δημοτικ(?:ο|ου|ον)\s+συμβουλι(?:ο|ου|ον)"),
        ("Δημοτική Επιτροπή", r"δημοτικ(?:η|ησ)\s+επιτροπ(?:η|ησ)(?!\s+διαβουλευσ)"),
        ("Οικονομική Επιτροπή", r"οικονομικ(?:η|ησ)\s+επιτροπ(?:η|ησ)"),
        ("Κοινοτικό Συμβούλιο", r"κοινοτικ(?:ο|ου|ον)\s+συμβουλι(?:ο|ου|ον)"),
        ("Δημαρχιακή Επιτροπή", r"δημαρχιακ(?:η|ησ)\s+επιτροπ(?:η|ησ)"),
        ("Εκτελεστική Επιτροπή", r"εκτελεστικ(?:η|ησ)\s+επιτροπ(?:η|ησ)"),
    )
)

MONTHS = {
    "ιανουαρ": 1,
    "φεβρουαρ": 2,
    "μαρτ": 3,
    "απριλ": 4,
    "μαι": 5,
    "ιουν": 6,
    "ιουλ": 7,
    "αυγουστ": 8,
    "σεπτεμβρ": 9,
    "οκτωβρ": 10,
    "οκτωμβρ": 10,
    "νοεμβρ": 11,
    "δεκεμβρ": 12,
}

_APOSTROPHE = "['’ʼ΄`´]"
_NUMBER_WORD = r"(?:αριθμ?(?:οσ|ον|ου)?\.?|αρ\.)"
_NUMBER = r"(\d{1,5})(?:\s*/\s*(\d{4}|\d{2}))?(?![\d/])"
# "Αριθμός Απόφασης: 45/1979", "Αριθ. Αποφάσεως 45", "Αρ. Απόφασης : 06/2017"
_OWN_NUMBER_LABEL = re.compile(rf"{_NUMBER_WORD}\s*αποφασ(?:η|εωσ|ησ|ισ)\s*[:.]?\s*{_NUMBER}")
# At a line's start: "ΑΠΟΦΑΣΙΣ ΥΠ' ΑΡΙΘ. 45/1979", "Απόφαση 45/2009", "ΑΠΟΦΑΣΗ\n\nΑΡΙΘ.\n\n353/2016"
_OWN_NUMBER_HEAD = re.compile(
    rf"(?m)^[ \t]*αποφασ(?:η|ισ)\s*(?:(?:υπ{_APOSTROPHE}?\s*)?{_NUMBER_WORD}\s*[:.]?\s*{_NUMBER}"
    r"|[:.]?\s*(\d{1,5})\s*/\s*(\d{4}|\d{2})(?![\d/]))"
)
_REFERENCE = re.compile(
    rf"(?:υπ{_APOSTROPHE}?\s*)?{_NUMBER_WORD}\s*(\d{{1,5}})\s*/\s*(\d{{4}}|\d{{2}})(?!\d)(?![/.-]\d)"
)
_AFTER_DECISION = re.compile(r"αποφασ\w*\s+(\d{1,5})\s*/\s*(\d{4}|\d{2})(?![\d/])")
_BARE_REFERENCE = re.compile(
    r"(?<![\d/.-])(\d{1,5})\s*/\s*(\d{4}|\d{2})(?![\d/])(?=\s+(?:\w+\s+)?αποφασ)"
)
_AMENDS = re.compile(r"τροποποι")
_REPEALS = re.compile(r"ανακλ|ανακαλ|καταργ|ακυρ")
_DECISION_WORD = re.compile(r"αποφασ")

_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})(?![\d/])"
)
_WORDED_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:ην|ησ|η)?\s+(?:του\s+)?(?:μηνοσ\s+)?([α-ω]+)\s+"
    r"(?:του\s+)?(?:ετουσ\s+)?(\d{4})(?!\d)"
)
_MEETING_WORDS = re.compile(r"συνεδρια|συνηλθ|σημερα|ημερα|ημερομηνια|συνελθ")

_SUBJECT = re.compile(
    r"θεμα(?:\s*\d+\s*(?:ο|ον)\b)?(?:\s+ημερησιασ\s+διαταξε?ωσ)?(?:\s*\d+\s*(?:ο|ον)\b)?"
    r"\s*[:.·–-]+[ \t]*"
)
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_SUBJECT_STOP = re.compile(
    r"(?m)^[ \t]*(?:ο\s+δημαρχοσ|ο\s+προεδροσ|εχοντασ\s+υποψη|αποφασ|το\s+δημοτικο|"
    r"η\s+επιτροπη|η\s+οικονομικη|αφου|ειστηγ)"
)
_QUOTES = "«»\"“”„'‘’<>"
MAX_SUBJECT = 1000

_LATIN = str.maketrans("ABEHIKMNOPTXYZo\u00b5\u2206\u2126ς", "αβεηικμνορτχυζομδωσ")


@functools.lru_cache(maxsize=4096)
def _fold_char(char):
    """One character without accents, lower case, Latin look-alikes as Greek."""
    base = unicodedata.normalize("NFD", char.translate(_LATIN))
    base = "".join(c for c in base if not unicodedata.combining(c)) or " "
    return base.lower().translate(_LATIN)[:1]


def fold(text):
    """(folded text, index of each folded character in ``text``); same number of characters."""
    chars, index = [], []
    for position, char in enumerate(text):
        folded = _fold_char(char)
        if folded:
            chars.append(folded)
            index.append(position)
    return "".join(chars), index


def extract(text, manifest=None, workdir=None):
    """The decision's metadata from ``text``; fields the manifest gives win."""
    text = unicodedata.normalize("NFC", _dehyphenate(text or ""))
    folded, index = fold(text)
    number, year = decision_number(folded)
    meeting = meeting_date(folded)
    if year is None and meeting is not None:
        year = meeting.year
    found = DecisionMetadata(
        decision_number=number,
        decision_year=year,
        meeting_date=meeting,
        body=body(folded),
        subject=subject(text, folded, index),
        references=references(folded, number, year),
    )
    result = _apply_manifest(found, manifest)
    if workdir is not None:
        write_json(result, Path(workdir) / "metadata.json")
    return result


def _dehyphenate(text):
    """Join words split at a line's end: "απο-\\nφάσεως" → "αποφάσεως"."""
    return re.sub(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[^\W\d_])", "", text)


def _year(value):
    """A year from "1979" or "79" (two digits: 1950–2049)."""
    year = int(value)
    if year < 100:
        year += 1900 if year >= 50 else 2000
    return year


def decision_number(folded):
    """(number, year or None) of the decision itself."""
    for pattern in (_OWN_NUMBER_LABEL, _OWN_NUMBER_HEAD):
        match = pattern.search(folded)
        if match:
            groups = match.groups()
            if len(groups) > 2 and groups[0] is None:  # the head pattern's second form
                groups = groups[2:]
            number, year = groups[:2]
            return int(number), _year(year) if year else None
    return None, None


def _valid_date(year, month, day):
    try:
        value = date(_year(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


def _dates(folded):
    """Every date in the text: (position, date)."""
    found = []
    for match in _NUMERIC_DATE.finditer(folded):
        day, month, year = match.groups()
        value = _valid_date(year, month, day)
        if value:
            found.append((match.start(), value))
    for match in _WORDED_DATE.finditer(folded):
        day, month_word, year = match.groups()
        month = next((n for stem, n in MONTHS.items() if month_word.startswith(stem)), None)
        value = _valid_date(year, month, day) if month else None
        if value:
            found.append((match.start(), value))
    return sorted(found)


def meeting_date(folded):
    """The date after a word that announces the meeting; else the first date in the text."""
    dates = _dates(folded)
    if not dates:
        return None
    for keyword in _MEETING_WORDS.finditer(folded):
        for position, value in dates:
            if 0 <= position - keyword.end() <= 120:
                return value
    return dates[0][1]


def body(folded):
    """The canonical title of the body named first in the text."""
    best = None
    for title, pattern in BODIES:
        match = pattern.search(folded)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), title)
    return best[1] if best else ""


def subject(text, folded, index):
    """The text after "ΘΕΜΑ:" up to the end of its paragraph, on one line.

    A subject in «quotes» runs to the closing quote even across a blank line;
    a "ΘΕΜΑ:" alone on its line (a form whose value sits elsewhere) takes the
    first «quoted» text that follows it.
    """
    match = _SUBJECT.search(folded)
    if not match:
        return ""
    start = match.end()
    if folded[start : start + 1] in ("\n", "") or not folded[start:].split("\n", 1)[0].strip():
        quoted = folded.find("«", start, start + 600)
        start = quoted if quoted >= 0 else start
    while start < len(folded) and folded[start].isspace():
        start += 1
    end = _subject_end(folded, start)
    original = text[index[start] : index[end - 1] + 1].strip() if end > start else ""
    if original[:1] in '«"“' and any(q in original[1:] for q in '»"”'):
        closing = min(original.find(q, 1) for q in '»"”' if q in original[1:])
        original = original[: closing + 1]
    cleaned = " ".join(original.split()).strip(_QUOTES + " ")
    return cleaned.rstrip(".,;:·-– ").strip(_QUOTES + " ")[:MAX_SUBJECT]


def _subject_end(folded, start):
    """Where the subject starting at ``start`` ends: its closing quote, or its paragraph's end."""
    if folded[start : start + 1] == "«":
        closing = folded.find("»", start, start + MAX_SUBJECT)
        if closing >= 0:
            return closing + 1
    end = len(folded)
    paragraph = _PARAGRAPH_END.search(folded, start)
    if paragraph:
        end = paragraph.start()
    stop = _SUBJECT_STOP.search(folded, start + 1, end)
    return stop.start() if stop else end


def _relation(folded, start, end):
    """ "amends", "repeals" or "refers": the nearest such word before the reference in its
    sentence ("τροποποίηση της υπ' αριθμ. ..."), else the first after it ("... καταργείται")."""
    before = re.split(r"[.;]\s|\n\s*\n", folded[max(0, start - 80) : start])[-1]
    after = re.split(r"[.;,]\s|\n\s*\n|\sκαι\s", folded[end : end + 60])[0]
    hits = [(m.start(), "amends") for m in _AMENDS.finditer(before)]
    hits += [(m.start(), "repeals") for m in _REPEALS.finditer(before)]
    if hits:
        return max(hits)[1]
    hits = [(m.start(), "amends") for m in _AMENDS.finditer(after)]
    hits += [(m.start(), "repeals") for m in _REPEALS.finditer(after)]
    return min(hits)[1] if hits else "refers"


def references(folded, own_number=None, own_year=None):
    """Decisions the text refers to, in order, without the decision's own number."""
    found = []
    for pattern in (_REFERENCE, _BARE_REFERENCE, _AFTER_DECISION):
        for match in pattern.finditer(folded):
            near = folded[max(0, match.start() - 40) : match.end() + 40]
            if not _DECISION_WORD.search(near):
                continue  # a law, a protocol number, an ΦΕΚ issue
            number, year = int(match.group(1)), _year(match.group(2))
            if (number, year) == (own_number, own_year):
                continue
            relation = _relation(folded, match.start(), match.end())
            found.append((match.start(), Reference(number=number, year=year, relation=relation)))
    unique = {}
    for _, reference in sorted(found, key=lambda pair: pair[0]):
        unique.setdefault((reference.number, reference.year), reference)
    return tuple(unique.values())


def _apply_manifest(found, manifest):
    if manifest is None:
        return found
    given = {
        name: getattr(manifest, name)
        for name in ("decision_number", "decision_year", "meeting_date", "body", "subject")
        if getattr(manifest, name, None) not in (None, "")
    }
    if "meeting_date" in given and "decision_year" not in given and found.decision_year is None:
        given["decision_year"] = given["meeting_date"].year
    result = replace(found, **given)
    own = (result.decision_number, result.decision_year)
    kept = tuple(ref for ref in result.references if (ref.number, ref.year) != own)
    return replace(result, references=kept)


def write_json(metadata, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    data = asdict(metadata)
    data["meeting_date"] = metadata.meeting_date.isoformat() if metadata.meeting_date else None
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return out
