"""Euro amounts in integer cents: strict parsing and Greek display; no Plone."""

from decimal import Decimal
from dimos.payments.money import AmountError
from dimos.payments.money import format_amount
from dimos.payments.money import parse_amount

import pytest


@pytest.mark.parametrize(
    "text,cents",
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("1.234,56", 123456),
        ("1234.56", 123456),
        ("1234,56", 123456),
        ("1,234.56", 123456),
        ("12", 1200),
        ("0", 0),
        ("0,01", 1),
        ("12,5", 1250),
        ("1.234.567", 123456700),
        ("1.234.567,89", 123456789),
        ("  7,05  ", 705),
        ("12,50 €", 1250),
        ("€12.50", 1250),
        ("12,50 EUR", 1250),
        ("1 234,56", 123456),
        ("1\u00a0234\u00a0567", 123456700),
        ("+3,00", 300),
        (12, 1200),
        (Decimal("12.5"), 1250),
        (Decimal("0.07"), 7),
    ],
)
def test_accepted_amounts(text, cents):
    assert parse_amount(text) == cents
    assert isinstance(parse_amount(text), int)


@pytest.mark.parametrize(
    "text,reason_en",
    [
        ("-12,50", "negative"),
        ("−5", "negative"),
        (-1, "negative"),
        (Decimal("-0.01"), "negative"),
        ("12,505", "ambiguous"),
        ("1,234", "ambiguous"),
        ("1.234", "ambiguous"),
        ("1.234,567", "two decimals"),
        ("12.5050", "two decimals"),
        (Decimal("1.005"), "two decimals"),
        ("abc", "write the amount"),
        ("12,50,00", "write the amount"),
        ("1.23.4", "write the amount"),
        ("1,234,56", "write the amount"),
        ("1.234.56", "write the amount"),
        (".50", "write the amount"),
        ("12.", "write the amount"),
        ("0x10", "write the amount"),
        ("1e3", "write the amount"),
        ("12 50", "write the amount"),
        ("1 23,00", "write the amount"),
        ("", "missing"),
        ("   ", "missing"),
        (12.5, "floating-point"),
        (True, "floating-point"),
        (None, "not an amount"),
        (Decimal("NaN"), "not a number"),
    ],
)
def test_refused_amounts_say_why_in_greek_and_english(text, reason_en):
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    error = caught.value
    assert reason_en in error.message_en
    assert error.message_el.startswith("Μη αποδεκτό ποσό")
    assert error.message("el") == error.message_el and error.message("en") == error.message_en
    assert error.to_json()["messages"] == {"el": error.message_el, "en": error.message_en}
    assert error.code == "bad-amount"


@pytest.mark.parametrize(
    "cents,shown",
    [
        (0, "0,00 €"),
        (5, "0,05 €"),
        (1250, "12,50 €"),
        (123456, "1.234,56 €"),
        (100000000, "1.000.000,00 €"),
        (-1250, "-12,50 €"),
    ],
)
def test_format_amount(cents, shown):
    assert format_amount(cents) == shown


def test_format_then_parse_is_the_identity():
    for cents in (0, 1, 99, 100, 101, 123456, 987654321):
        assert parse_amount(format_amount(cents)) == cents


def test_format_refuses_anything_but_int_cents():
    for value in (12.5, "1250", Decimal("12.50"), True):
        with pytest.raises(TypeError):
            format_amount(value)
