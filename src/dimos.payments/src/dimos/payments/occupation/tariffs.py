"""What occupying a common space costs: area × the tariff in force × months (or days).

Pure functions over a ``common-space`` rate table's values (rates.py); no
Zope or Plone imports.

* The area is in m² with up to two decimals, kept in hundredths of a m²
  (``"12,5"`` → 1250), never as a float.
* A tariff is priced per m² per ``month`` or per ``day`` (outdoor events).
  Months are counted as rates.py counts them, a started month as a whole one
  (15/06 – 14/07 is one month, 15/06 – 15/07 two); days are calendar days,
  both ends included.
* The price is the zone's when the tariff lists the zone, else the tariff's
  ``price`` for every other zone; a tariff with zone prices only needs a zone.
* amount = area (hundredths of m²) × price (cents) × units / 100, rounded half
  up to the cent.
"""

from dataclasses import dataclass
from decimal import Decimal
from dimos.payments.audit import jsonable
from dimos.payments.bilingual import BilingualError
from dimos.payments.money import AmountError
from dimos.payments.money import format_amount
from dimos.payments.money import parse_amount
from dimos.payments.rates import fail
from dimos.payments.rates import mapping
from dimos.payments.rates import months_spanned

import datetime
import re


TARIFF_KINDS = {
    "stationary-trade": ("Στάσιμο εμπόριο", "Stationary trade"),
    "kiosk": ("Περίπτερα", "Kiosks"),
    "building-materials": ("Οικοδομικά υλικά και σκαλωσιές", "Building materials, scaffolding"),
    "tables-chairs": ("Τραπεζοκαθίσματα", "Tables and chairs"),
    "advertising": ("Διαφημίσεις", "Advertisements"),
    "outdoor-event": ("Εκδηλώσεις σε υπαίθριους χώρους", "Outdoor events"),
}
UNITS = {"month": ("μήνα", "month"), "day": ("ημέρα", "day")}
MAX_AREA_CENTI = 10_000 * 100  # 10.000 m²
MAX_DAYS = 366
# The Permit's kind (dimos.content.PermitKinds) for each tariff kind.
PERMIT_KINDS = {
    "stationary-trade": "open-air-trade",
    "kiosk": "kiosk",
    "building-materials": "building-materials",
    "tables-chairs": "common-space",
    "advertising": "advertising",
    "outdoor-event": "outdoor-event",
}
_AREA = re.compile(r"(\d{1,5})(?:[.,](\d{1,2}))?")


class ApplicationError(BilingualError):
    """An occupation application (or a decision on it) that cannot be accepted; ``field`` says where."""

    code = "bad-application"


def refuse(field, message_el, message_en, code="bad-application", **details):
    raise ApplicationError(message_el, message_en, code=code, field=field, **details)


def parse_area(value):
    """Square metres (``"12,5"``, ``"12.50"``, ``12``) in hundredths of a m²."""
    if isinstance(value, Decimal):
        value = format(value, "f")
    if isinstance(value, bool) or isinstance(value, float):
        value = None
    match = _AREA.fullmatch(str(value if value is not None else "").strip())
    centi = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0")) if match else 0
    if not 0 < centi <= MAX_AREA_CENTI:
        refuse(
            "area",
            f"Μη αποδεκτό εμβαδόν «{value}»· γράψτε τα τετραγωνικά μέτρα, π.χ. 12,5 "
            "(έως 2 δεκαδικά, έως 10.000 m²).",
            f"Area “{value}” not accepted; write the square metres, e.g. 12.5 "
            "(up to 2 decimals, up to 10,000 m²).",
            code="bad-area",
        )
    return centi


def format_area(centi):
    """1250 → ``"12,50 m²"``."""
    return f"{centi // 100},{centi % 100:02d} m²"


def area_decimal(centi):
    return Decimal(centi) / 100


def kind_title(kind, language="el"):
    el, en = TARIFF_KINDS[kind]
    return en if language == "en" else el


def clean_kind(value):
    kind = str(value or "").strip()
    if kind not in TARIFF_KINDS:
        kinds = ", ".join(TARIFF_KINDS)
        refuse(
            "kind",
            f"Επιλέξτε είδος κατάληψης· δεκτά: {kinds}.",
            f"Choose the kind of occupation; accepted: {kinds}.",
            code="bad-kind",
        )
    return kind


def occupation_period(start, end, days):
    """(first day, last day) from ``until`` or a number of ``days``; refuses nonsense."""
    if end is None and days in (None, ""):
        refuse(
            "until",
            "Δώστε την τελευταία ημέρα της κατάληψης ή τον αριθμό ημερών.",
            "Give the last day of the occupation or the number of days.",
            code="bad-period",
        )
    if end is None:
        text = str(days).strip()
        if isinstance(days, bool) or not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
            refuse(
                "days",
                f"Ο αριθμός ημερών πρέπει να είναι από 1 έως {MAX_DAYS}.",
                f"The number of days must be from 1 to {MAX_DAYS}.",
                code="bad-period",
            )
        end = start + datetime.timedelta(days=int(text) - 1)
    if end < start:
        refuse(
            "until",
            "Η κατάληψη δεν μπορεί να τελειώνει πριν αρχίσει.",
            "The occupation cannot end before it starts.",
            code="bad-period",
        )
    if (end - start).days + 1 > MAX_DAYS:
        refuse(
            "until",
            f"Μία αίτηση καλύπτει έως {MAX_DAYS} ημέρες· για περισσότερο υποβάλετε νέα αίτηση.",
            f"One application covers up to {MAX_DAYS} days; apply again for longer.",
            code="bad-period",
        )
    return start, end


@dataclass(frozen=True)
class Quote:
    """The price of one occupation (integer cents; area in hundredths of a m²)."""

    kind: str
    zone: str
    unit: str
    units: int
    area_centi: int
    price_cents: int
    amount_cents: int
    start: datetime.date
    end: datetime.date

    @property
    def units_label_el(self):
        name = ("μήνας", "μήνες") if self.unit == "month" else ("ημέρα", "ημέρες")
        return f"{self.units} {name[0] if self.units == 1 else name[1]}"

    @property
    def units_label_en(self):
        return f"{self.units} {self.unit}{'' if self.units == 1 else 's'}"


def _price(tariff, kind, zone):
    if zone and zone in tariff["zones"]:
        return tariff["zones"][zone]
    if tariff["price_cents"] is not None:
        return tariff["price_cents"]
    zones = ", ".join(tariff["zones"])
    refuse(
        "zone",
        f"Επιλέξτε ζώνη για «{kind_title(kind)}»· ζώνες: {zones}.",
        f"Choose a zone for “{kind_title(kind, 'en')}”; zones: {zones}.",
        code="bad-zone",
    )


def quote(values, kind, zone, area_centi, start, end):
    """The Quote of occupying ``area_centi`` for ``start`` … ``end`` by the tariff ``values``."""
    tariff = values["tariffs"].get(kind)
    if tariff is None:
        refuse(
            "kind",
            f"Δεν ισχύει τέλος για «{kind_title(kind)}» αυτή την περίοδο· επικοινωνήστε με "
            "την Υπηρεσία Εσόδων.",
            f"No tariff is in force for “{kind_title(kind, 'en')}” in this period; please "
            "contact the revenue office.",
            code="no-tariff",
        )
    zone = " ".join(str(zone or "").split())
    price = _price(tariff, kind, zone)
    unit = tariff["unit"]
    units = months_spanned(start, end) if unit == "month" else (end - start).days + 1
    amount = (area_centi * price * units + 50) // 100
    return Quote(kind, zone, unit, units, area_centi, price, amount, start, end)


# --- the values of a common-space rate table (rates.clean_values) ----------------------


def _clean_price(value, field):
    try:
        cents = parse_amount(value)
    except AmountError as error:
        fail(field, error.message_el, error.message_en)
    if cents <= 0:
        fail(field, "Η τιμή πρέπει να είναι θετική.", "The price must be positive.")
    return cents


def _clean_tariff(kind, entry):
    field = f"tariffs.{kind}"
    entry = mapping(entry, field)
    unit = entry.get("unit")
    if unit not in UNITS:
        fail(
            f"{field}.unit",
            "Η μονάδα είναι «month» (ανά μήνα) ή «day» (ανά ημέρα).",
            "The unit is “month” or “day”.",
        )
    price = entry.get("price")
    zones = {}
    for zone, zone_price in (entry.get("zones") or {}).items():
        name = " ".join(str(zone).split())
        if not 1 <= len(name) <= 40:
            fail(f"{field}.zones", "Όνομα ζώνης έως 40 χαρακτήρες.", "Zone names: up to 40.")
        zones[name] = _clean_price(zone_price, f"{field}.zones.{name}")
    if price in (None, "") and not zones:
        fail(
            f"{field}.price",
            f"Δώστε τιμή ή τιμές ανά ζώνη για «{kind}».",
            f"Give a price, or prices per zone, for “{kind}”.",
        )
    return {
        "unit": unit,
        "price_cents": None if price in (None, "") else _clean_price(price, f"{field}.price"),
        "zones": zones,
    }


def _clean_tariffs(value):
    tariffs = {}
    for kind, entry in mapping(value, "tariffs").items():
        if kind not in TARIFF_KINDS:
            kinds = ", ".join(TARIFF_KINDS)
            fail(
                f"tariffs.{kind}",
                f"Άγνωστο είδος τέλους «{kind}»· δεκτά: {kinds}.",
                f"Unknown tariff kind “{kind}”; accepted: {kinds}.",
            )
        tariffs[kind] = _clean_tariff(kind, entry)
    return tariffs


def clean_tariff_values(values):
    """A ``common-space`` table's values as staff send them, checked; prices in cents."""
    return {"tariffs": _clean_tariffs(values.get("tariffs"))}


def shown_tariff_values(values):
    """The values with each price written out in euros beside its cents."""
    shown = jsonable(values)
    for tariff in shown["tariffs"].values():
        price = tariff["price_cents"]
        tariff["price"] = format_amount(price) if price is not None else None
        tariff["zone_prices"] = {z: format_amount(c) for z, c in tariff["zones"].items()}
    return shown
