"""What a declaration owes: the period declared, its deadline, the fee and the late penalty.

Pure functions over a fee schedule's values (``rates.clean_values``); no Zope
or Plone imports.

* A *period* is a month (``2026-03``, ``03/2026``) or a quarter (``2026-Q1``,
  ``Q1/2026``, ``2026-Τ1``); which kinds a fee accepts is in its rate table.
* The *deadline* is ``months_after`` months after the period's last month, on
  day ``day`` of that month (0: its last day; a day the month lacks is its last
  day). E.g. March 2026 with ``{"months_after": 1, "day": "last"}``: 30/04/2026.
* The *fee* is the gross revenue × the category's rate, rounded half up to the
  cent: 12.345,67 € at 0,5% is 61,728… → 61,73 €.
* The *penalty*: declared on or before the deadline, none. Otherwise each
  started month of delay counts (month 1 runs from the day after the deadline,
  as ``rates.month_end`` counts months: deadline 30/04 → 01/05–31/05 is one
  month, 01/06 starts the second); penalty = fee × per-month rate × months,
  at most fee × cap, rounded half up to the cent (on the rounded fee).
"""

from dataclasses import dataclass
from dimos.payments.audit import jsonable
from dimos.payments.bilingual import BilingualError
from dimos.payments.rates import add_months
from dimos.payments.rates import fail
from dimos.payments.rates import format_percent
from dimos.payments.rates import last_day
from dimos.payments.rates import mapping
from dimos.payments.rates import MILLION
from dimos.payments.rates import months_spanned
from dimos.payments.rates import parse_percent
from dimos.payments.rates import share

import datetime
import re


# Titles of the usual business categories; a table may name others (with titles).
BUSINESS_CATEGORIES = {
    "restaurant": ("Εστιατόρια, ταβέρνες", "Restaurants, taverns"),
    "cafe": ("Καφετέριες, καφενεία", "Cafés"),
    "bar": ("Μπαρ", "Bars"),
    "night-club": ("Κέντρα διασκέδασης", "Night clubs"),
    "canteen": ("Κυλικεία, αναψυκτήρια", "Canteens, refreshment stands"),
    "hotel": ("Ξενοδοχεία", "Hotels"),
    "rooms": ("Ενοικιαζόμενα δωμάτια και διαμερίσματα", "Rooms and apartments to let"),
    "short-term-rental": ("Βραχυχρόνια μίσθωση", "Short-term rentals"),
    "camping": ("Κάμπινγκ", "Campsites"),
}
PERIOD_KINDS = ("month", "quarter")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
QUARTER_NAMES_EL = {1: "Α΄", 2: "Β΄", 3: "Γ΄", 4: "Δ΄"}
PERIOD_NAMES = {"month": ("μήνα", "month"), "quarter": ("τρίμηνο", "quarter")}
_MONTH_ISO = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_GREEK = re.compile(r"(\d{1,2})[/.](\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*[QΤT]([1-4])")
_QUARTER_FIRST = re.compile(r"[QΤT]([1-4])\s*[/-]\s*(\d{4})")


class DeclarationError(BilingualError):
    """A declaration that cannot be accepted; ``field`` names the form's field to fix."""

    code = "bad-declaration"


def refuse(field, message_el, message_en, code="bad-declaration", **details):
    raise DeclarationError(message_el, message_en, code=code, field=field, **details)


@dataclass(frozen=True)
class Period:
    """A month or a quarter; ``key`` is ``2026-03`` or ``2026-Q1``."""

    kind: str
    year: int
    number: int  # the month (1-12) or the quarter (1-4)

    @property
    def key(self):
        return (
            f"{self.year}-{self.number:02d}"
            if self.kind == "month"
            else f"{self.year}-Q{self.number}"
        )

    @property
    def first_month(self):
        return self.number if self.kind == "month" else 3 * self.number - 2

    @property
    def last_month(self):
        return self.number if self.kind == "month" else 3 * self.number

    @property
    def first(self):
        return datetime.date(self.year, self.first_month, 1)

    @property
    def last(self):
        return last_day(self.year, self.last_month)

    @property
    def months(self):
        """The keys of the months it covers: ``("2026-01", "2026-02", "2026-03")``."""
        return tuple(f"{self.year}-{m:02d}" for m in range(self.first_month, self.last_month + 1))

    @property
    def label_el(self):
        if self.kind == "month":
            return f"{self.number:02d}/{self.year}"
        return f"{QUARTER_NAMES_EL[self.number]} τρίμηνο {self.year}"

    @property
    def label_en(self):
        return (
            f"{self.number:02d}/{self.year}"
            if self.kind == "month"
            else f"Q{self.number} {self.year}"
        )


def parse_period(value):
    """The Period written as ``value``; DeclarationError (field ``period``) if none."""
    text = str(value or "").strip().upper()
    for pattern, kind, year_group in (
        (_MONTH_ISO, "month", 1),
        (_MONTH_GREEK, "month", 2),
        (_QUARTER, "quarter", 1),
        (_QUARTER_FIRST, "quarter", 2),
    ):
        match = pattern.fullmatch(text)
        if match:
            year = int(match.group(year_group))
            number = int(match.group(3 - year_group))
            if 2000 <= year <= 2200 and 1 <= number <= 12:
                return Period(kind, year, number)
    refuse(
        "period",
        f"Μη αποδεκτή περίοδος «{value}»· γράψτε τον μήνα (π.χ. 2026-03) ή το τρίμηνο "
        "(π.χ. 2026-Q1).",
        f"Period “{value}” not accepted; write the month (e.g. 2026-03) or the quarter "
        "(e.g. 2026-Q1).",
        code="bad-period",
    )


def deadline_of(period, rule):
    """The last day to declare ``period`` on time, by the rate table's ``deadline`` rule."""
    month = add_months(datetime.date(period.year, period.last_month, 1), rule["months_after"])
    end = last_day(month.year, month.month)
    return end if not rule["day"] else min(end, month.replace(day=min(rule["day"], end.day)))


def months_late(deadline, declared_on):
    """Started months of delay: 0 on or before the deadline, 1 from the day after it, …"""
    if declared_on <= deadline:
        return 0
    return months_spanned(deadline + datetime.timedelta(days=1), declared_on)


def penalty_cents(fee_cents, months, per_month_ppm, cap_ppm=None):
    """fee × per-month rate × months, at most fee × cap; rounded half up to the cent."""
    exact = fee_cents * per_month_ppm * months
    if cap_ppm is not None:
        exact = min(exact, fee_cents * cap_ppm)
    return (exact + MILLION // 2) // MILLION


@dataclass(frozen=True)
class FeeComputation:
    """The fee of one declaration and how it was reached (integer cents)."""

    period: Period
    category: str
    gross_cents: int
    rate_ppm: int
    fee_cents: int
    deadline: datetime.date
    declared_on: datetime.date
    months_late: int
    penalty_per_month_ppm: int
    penalty_cap_ppm: int | None
    penalty_cents: int

    @property
    def total_cents(self):
        return self.fee_cents + self.penalty_cents

    @property
    def due_date(self):
        """Pay by the deadline; a late declaration is due at once."""
        return max(self.deadline, self.declared_on)


def compute_fee(values, category, gross_cents, period, declared_on):
    """The FeeComputation of declaring ``gross_cents`` of ``category`` for ``period``."""
    if period.kind not in values["periods"]:
        allowed_el = " ή ".join(PERIOD_NAMES[kind][0] for kind in values["periods"])
        allowed_en = " or ".join(values["periods"])
        refuse(
            "period",
            f"Το τέλος αυτό δηλώνεται ανά {allowed_el}, όχι ανά {PERIOD_NAMES[period.kind][0]}.",
            f"This fee is declared per {allowed_en}, not per {period.kind}.",
            code="period-kind",
        )
    entry = values["categories"].get(category)
    if not category:
        refuse(
            "category",
            "Επιλέξτε την κατηγορία της επιχείρησης.",
            "Choose the business category.",
            code="bad-category",
        )
    if entry is None:
        names = ", ".join(values["categories"])
        refuse(
            "category",
            f"Άγνωστη κατηγορία επιχείρησης «{category}» για αυτό το τέλος· δεκτές: {names}.",
            f"Unknown business category “{category}” for this fee; accepted: {names}.",
            code="bad-category",
        )
    fee = share(gross_cents, entry["rate_ppm"])
    deadline = deadline_of(period, values["deadline"])
    late = months_late(deadline, declared_on)
    rule = values["penalty"]
    return FeeComputation(
        period=period,
        category=category,
        gross_cents=gross_cents,
        rate_ppm=entry["rate_ppm"],
        fee_cents=fee,
        deadline=deadline,
        declared_on=declared_on,
        months_late=late,
        penalty_per_month_ppm=rule["per_month_ppm"],
        penalty_cap_ppm=rule["cap_ppm"],
        penalty_cents=penalty_cents(fee, late, rule["per_month_ppm"], rule["cap_ppm"]),
    )


# --- the values of a fee's rate table (rates.clean_values) ---------------------------


def _token(value, field):
    text = str(value).strip()
    if not _TOKEN.fullmatch(text):
        fail(
            field,
            f"Μη αποδεκτός κωδικός «{text}»: πεζά λατινικά, ψηφία και -, έως 40.",
            f"Code “{text}” not accepted: lower-case latin letters, digits and -, up to 40.",
        )
    return text


def _title(entry, key, fallback):
    title = " ".join(str(entry.get(key) or "").split()) if isinstance(entry, dict) else ""
    return title[:120] or fallback


def _clean_categories(value):
    categories = {}
    for token, entry in mapping(value, "categories").items():
        token = _token(token, f"categories.{token}")
        rate = entry.get("rate") if isinstance(entry, dict) else entry
        title_el, title_en = BUSINESS_CATEGORIES.get(token, (token, token))
        categories[token] = {
            "rate_ppm": parse_percent(rate, f"categories.{token}"),
            "title_el": _title(entry, "title_el", title_el),
            "title_en": _title(entry, "title_en", title_en),
        }
    return categories


def _small_int(value, field, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        value = None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        fail(
            field,
            f"Το «{field}» πρέπει να είναι ακέραιος από {low} έως {high}.",
            f"“{field}” must be a whole number from {low} to {high}.",
        )
    return number


def _clean_deadline(value):
    value = value if value is not None else {"months_after": 1, "day": "last"}
    value = mapping(value, "deadline")
    day = value.get("day", "last")
    return {
        "months_after": _small_int(value.get("months_after", 1), "deadline.months_after", 0, 12),
        "day": 0 if str(day).strip() == "last" else _small_int(day, "deadline.day", 1, 31),
    }


def _clean_penalty(value):
    value = mapping(value, "penalty")
    cap = value.get("cap")
    return {
        "per_month_ppm": parse_percent(value.get("per_month"), "penalty.per_month"),
        "cap_ppm": None if cap in (None, "") else parse_percent(cap, "penalty.cap"),
    }


def _clean_periods(value):
    periods = value if value is not None else ["month"]
    if not isinstance(periods, list) or not periods or set(periods) - set(PERIOD_KINDS):
        fail(
            "periods",
            "Οι περίοδοι δήλωσης είναι λίστα από «month» και «quarter».",
            "The declaration periods are a list of “month” and “quarter”.",
        )
    return [kind for kind in PERIOD_KINDS if kind in periods]


def clean_fee_values(values):
    """A fee schedule's values as staff send them, checked; rates and money as integers."""
    return {
        "categories": _clean_categories(values.get("categories")),
        "deadline": _clean_deadline(values.get("deadline")),
        "penalty": _clean_penalty(values.get("penalty")),
        "periods": _clean_periods(values.get("periods")),
    }


def shown_fee_values(values):
    """The values with each percentage written out beside its millionths."""
    shown = jsonable(values)
    for category in shown["categories"].values():
        category["rate"] = format_percent(category["rate_ppm"])
    penalty = shown["penalty"]
    penalty["per_month"] = format_percent(penalty["per_month_ppm"])
    penalty["cap"] = format_percent(penalty["cap_ppm"]) if penalty["cap_ppm"] is not None else None
    return shown
