"""Euro amounts as integer cents: strict parsing of what people and files write, and display.

Money is never a float here. ``parse_amount`` accepts:

* ``"12"``, ``"12,5"``, ``"12,50"``, ``"12.50"``: one separator, followed by
  one or two decimals, is the decimal separator whichever it is;
* ``"1.234,56"`` (Greek) and ``"1,234.56"`` (English): both separators, the
  last one is the decimal separator and the other groups thousands, in
  groups of exactly three digits;
* ``"1.234.567"``: the same separator twice or more groups thousands;
* spaces grouping thousands (``"1 234,56"``), an optional ``€`` or ``EUR``
  around the number, and surrounding spaces;
* ``int`` (euros) and ``decimal.Decimal`` values (from JSON read with
  ``parse_float=Decimal``).

It refuses, with a Greek and English reason: negative amounts, more than two
decimals, ``"1.234"`` or ``"1,234"`` (one separator and three digits: could be
a thousand or one euro and a fraction, so ambiguous), floats, badly grouped
thousands and anything else.
"""

from decimal import Decimal
from decimal import InvalidOperation
from dimos.payments.bilingual import BilingualError

import re


class AmountError(BilingualError):
    """Not an amount of euros we can take without guessing."""

    code = "bad-amount"


_PLAIN = re.compile(r"\d+")
_DECIMAL = re.compile(r"(\d+)[.,](\d+)")
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*")
_SPACED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")
_CURRENCY = re.compile(r"^(?:€|eur)?\s*(.*?)\s*(?:€|eur)?$", re.IGNORECASE)


def _error(text, message_el, message_en):
    return AmountError(
        f"Μη αποδεκτό ποσό «{text}»: {message_el}",
        f"Amount “{text}” not accepted: {message_en}",
        value=text,
    )


def _from_decimal(value, shown):
    if not value.is_finite():
        raise _error(shown, "δεν είναι αριθμός.", "not a number.")
    if value < 0:
        raise _error(shown, "τα ποσά δεν μπορεί να είναι αρνητικά.", "amounts cannot be negative.")
    if value != value.quantize(Decimal("0.01")):
        raise _error(shown, "έως δύο δεκαδικά ψηφία.", "at most two decimals.")
    return int(value * 100)


def _split(number, text):
    """(euros digits, cents digits) of a number written without sign or currency."""
    if _PLAIN.fullmatch(number):
        return number, ""
    decimal = _DECIMAL.fullmatch(number)
    if decimal:
        euros, cents = decimal.groups()
        if len(cents) == 3:
            raise _error(
                text,
                "ασαφές· γράψτε π.χ. 1234 ή 1.234,00 ή 1,23.",
                "ambiguous; write e.g. 1234 or 1.234,00 or 1.23.",
            )
        return euros, cents
    if _GROUPED.fullmatch(number):  # "1.234.567": thousands only
        return re.sub(r"[.,]", "", number), ""
    last = max(number.rfind("."), number.rfind(","))
    head, cents = number[:last], number[last + 1 :]
    grouped = _GROUPED.fullmatch(head)
    if last > 0 and grouped and grouped.group("sep") != number[last] and cents.isdigit():
        return re.sub(r"[.,]", "", head), cents
    raise _error(
        text,
        "γράψτε το ποσό σε ευρώ, π.χ. 12,50 ή 1.234,56.",
        "write the amount in euros, e.g. 12.50 or 1,234.56.",
    )


def parse_amount(value):
    """The amount ``value`` (euros, as written) in integer cents; AmountError if not acceptable."""
    if isinstance(value, bool) or isinstance(value, float):
        raise _error(
            str(value),
            "δώστε το ποσό ως κείμενο ή ακέραιο, όχι ως δεκαδικό αριθμό κινητής υποδιαστολής.",
            "give the amount as text or an integer, never as a floating-point number.",
        )
    if isinstance(value, int):
        return _from_decimal(Decimal(value), str(value))
    if isinstance(value, Decimal):
        return _from_decimal(value, str(value))
    if not isinstance(value, str):
        raise _error(str(value), "δεν είναι ποσό.", "not an amount.")
    text = value.strip()
    if not text:
        raise _error(text, "λείπει το ποσό.", "the amount is missing.")
    number = _CURRENCY.fullmatch(text).group(1)
    if _SPACED.fullmatch(number):  # "1 234,56": spaces group thousands, nothing else
        number = re.sub(r"[ \u00a0\u202f]", "", number)
    if number.startswith("-") or number.startswith("−"):
        raise _error(text, "τα ποσά δεν μπορεί να είναι αρνητικά.", "amounts cannot be negative.")
    number = number.removeprefix("+")
    euros, cents = _split(number, text)
    if len(cents) > 2:
        raise _error(text, "έως δύο δεκαδικά ψηφία.", "at most two decimals.")
    try:
        return int(euros) * 100 + int(cents.ljust(2, "0"))
    except (ValueError, InvalidOperation):  # pragma: no cover - the patterns only let digits in
        raise _error(text, "δεν είναι αριθμός.", "not a number.") from None


def format_amount(cents):
    """``123456`` → ``"1.234,56 €"`` (Greek style); integers only."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError(f"cents must be an int, not {type(cents).__name__}")
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d} €"
