"""Plates, ticket numbers, the offences table and the reduction rule: plain Python, no site."""

from dimos.payments.fines.details import clean_declaration
from dimos.payments.fines.details import clean_registration
from dimos.payments.fines.identifiers import FineError
from dimos.payments.fines.identifiers import normalise_plate
from dimos.payments.fines.identifiers import normalise_ticket
from dimos.payments.fines.settings import DEFAULT_OFFENCES
from dimos.payments.fines.settings import parse_offences
from dimos.payments.fines.settings import ReductionRule

import datetime
import pytest


TODAY = datetime.date(2026, 3, 10)
TABLE = parse_offences(DEFAULT_OFFENCES)


@pytest.mark.parametrize(
    "typed",
    [
        "ΙΚΑ-1234",
        "ΙΚΑ 1234",
        "IKA1234",  # Latin letters
        "ika-1234",
        "ικα1234",
        " Ι K Α – 1234 ",  # mixed alphabets, en dash, spaces
        "ΙΚΆ1234",  # an accent typed by mistake
    ],
)
def test_plate_spellings_are_one_plate(typed):
    assert normalise_plate(typed) == "ΙΚΑ-1234"


def test_plates_of_other_shapes():
    assert normalise_plate("yxz 12") == "ΥΧΖ-12"  # a motorcycle's three digits or fewer
    assert normalise_plate("ΑΒ-1234") == "ΑΒ-1234"  # older two-letter plates
    assert normalise_plate("PNH1") == "ΡΝΗ-1"  # Latin P, N, H are Greek Ρ, Ν, Η


@pytest.mark.parametrize(
    "typed", ["", "1234", "ΙΚΑ", "ΙΚΑ-12345", "ΔΓΛ-1234", "DKA-1234", "ΙΚΑΒ-1234", "ΙΚΑ/1234"]
)
def test_bad_plates_are_refused_in_both_languages(typed):
    with pytest.raises(FineError) as caught:
        normalise_plate(typed)
    error = caught.value
    assert error.code == "bad-plate" and error.details["field"] == "plate"
    assert "πινακίδα" in error.message_el and "plate" in error.message_en


def test_ticket_numbers():
    assert normalise_ticket("123456") == "123456"
    assert normalise_ticket(" 123-456 ") == "123456"
    assert normalise_ticket("Α 123456") == normalise_ticket("a123456") == "Α123456"
    for bad in ("", "12", "ΑΒΓΔ123456", "12345678901234", "12/2026", "D123456"):
        with pytest.raises(FineError) as caught:
            normalise_ticket(bad)
        assert caught.value.code == "bad-ticket"
        assert caught.value.message_el and caught.value.message_en


def test_offences_table_reads_lines_and_leaves_bad_ones_out():
    table = parse_offences(
        [
            "parking | 34 παρ. 1 | Παράνομη στάθμευση | Illegal parking | 40,00",
            "broken line without fields",
            "negative | 1 | Α | A | -5",
            "BadToken | 1 | Α | A | 5",
            "parking | 34 | Δεύτερη φορά | Again | 99",
            "speeding | 20 | Υπέρβαση ορίου ταχύτητας | Speeding | 1.234,50",
        ]
    )
    assert list(table) == ["parking", "speeding"]
    assert table["parking"].amount_cents == 4000
    assert table["speeding"].amount_cents == 123450
    assert all(offence.amount_cents > 0 for offence in TABLE.values())


def test_reduction_rule():
    off = ReductionRule(enabled=False, days=10, percent=50)
    assert off.deadline(TODAY) is None and not off.applies(TODAY, TODAY)
    rule = ReductionRule(enabled=True, days=10, percent=50)
    assert rule.deadline(TODAY) == datetime.date(2026, 3, 20)
    assert rule.applies(TODAY, datetime.date(2026, 3, 20))
    assert not rule.applies(TODAY, datetime.date(2026, 3, 21))
    assert rule.reduced(4000) == 2000
    assert rule.reduced(4001) == 2001  # the discount is rounded down, never the amount owed
    assert ReductionRule(True, 30, 30).reduced(999) == 700


def test_a_declaration_takes_the_amount_from_the_table():
    data = {"ticket": "a 123456", "plate": "ika1234", "date": "02/03/2026", "offence": "parking"}
    ticket, plate, details, _extra = clean_declaration({**data, "amount": "0,01"}, TABLE, TODAY)
    assert (ticket, plate) == ("Α123456", "ΙΚΑ-1234")
    assert details["amount_cents"] == TABLE["parking"].amount_cents
    assert details["issued_on"] == datetime.date(2026, 3, 2)
    for field, value, code in (
        ("offence", "no-such", "unknown-offence"),
        ("offence", "", "missing"),
        ("date", "2026-03-11", "future-date"),
        ("date", "31/02/2026", "bad-date"),
        ("time", "25:00", "bad-time"),
    ):
        with pytest.raises(FineError) as caught:
            clean_declaration({**data, field: value}, TABLE, TODAY)
        assert (caught.value.code, caught.value.details["field"]) == (code, field)


def test_a_registration_may_override_the_amount_or_give_its_own_offence():
    data = {"ticket": "9001", "plate": "ΙΚΑ-1", "date": "2026-03-01", "place": "Ερμού 5"}
    _t, _p, details, extra = clean_registration(
        {**data, "offence": "parking", "amount": "80,00", "afm": ""}, TABLE, TODAY
    )
    assert details["amount_cents"] == 8000 and details["article"] == TABLE["parking"].article
    assert extra == {"afm": None, "name": None}
    _t, _p, details, _e = clean_registration(
        {**data, "article": "52", "description": "Κράνος", "amount": "100"}, TABLE, TODAY
    )
    assert (details["offence"], details["article"], details["amount_cents"]) == (None, "52", 10000)
    for change, code in (
        ({"offence": "parking", "amount": "-10"}, "bad-amount"),
        ({"offence": "parking", "amount": "0"}, "bad-amount"),
        ({"article": "52", "description": "Κράνος"}, "bad-amount"),
        ({"offence": "parking", "afm": "123456789"}, "bad-afm"),
        ({"offence": "parking", "place": ""}, "missing"),
    ):
        with pytest.raises(FineError) as caught:
            clean_registration({**data, **change}, TABLE, TODAY)
        assert caught.value.code == code
