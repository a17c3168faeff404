"""Rates as effective-dated settings tied to the council decision that set them (rates.py).

Pure arithmetic first (percentages, rounding, months), then the site's tables:
in force by date, overlaps refused, only a published decision can back one,
every change audited.
"""

from datetime import date
from decimal import Decimal
from dimos.payments import rates
from dimos.payments.declarations.testing import council_decision
from dimos.payments.declarations.testing import FEE_VALUES
from dimos.payments.declarations.testing import TARIFF_VALUES
from dimos.payments.rates import add_rate_table
from dimos.payments.rates import end_rate_table
from dimos.payments.rates import RateError
from plone import api

import copy
import pytest


pytestmark = pytest.mark.portal(roles=["Manager"])


@pytest.mark.parametrize(
    ("written", "ppm"),
    [
        ("0,5%", 5000),
        ("0.5", 5000),
        (" 0,5 % ", 5000),
        ("2", 20000),
        (2, 20000),
        (Decimal("0.25"), 2500),
        ("0,0001%", 1),
        ("100%", 1_000_000),
        ("12,3456", 123456),
    ],
)
def test_percentages_are_read_exactly_in_millionths(written, ppm):
    assert rates.parse_percent(written) == ppm


@pytest.mark.parametrize("written", [0.5, True, "", "abc", "0,12345", "-1", "100,01", "1.2.3"])
def test_bad_percentages_are_refused_in_greek_and_english(written):
    with pytest.raises(RateError) as raised:
        rates.parse_percent(written, "penalty.cap")
    assert raised.value.details["field"] == "penalty.cap"
    assert raised.value.message_el and raised.value.message_en


@pytest.mark.parametrize(
    ("ppm", "shown"), [(5000, "0,5%"), (20000, "2%"), (1, "0,0001%"), (125000, "12,5%")]
)
def test_format_percent(ppm, shown):
    assert rates.format_percent(ppm) == shown


@pytest.mark.parametrize(
    ("cents", "ppm", "times", "expected"),
    [
        (1234567, 5000, 1, 6173),  # 6172,835 → 6173 (half up)
        (100, 5000, 1, 1),  # 0,5 → 1
        (99, 5000, 1, 0),  # 0,495 → 0
        (1000, 25000, 3, 75),
        (0, 5000, 1, 0),
    ],
)
def test_share_rounds_half_up_in_integers(cents, ppm, times, expected):
    assert rates.share(cents, ppm, times) == expected


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 6, 15), 1, date(2026, 7, 14)),
        (date(2026, 6, 1), 1, date(2026, 6, 30)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: its last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 11, 1), 3, date(2027, 1, 31)),
    ],
)
def test_month_end_counts_as_the_civil_code(start, months, end):
    assert rates.month_end(start, months) == end


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 6, 1), date(2026, 6, 1), 1),
        (date(2026, 6, 1), date(2026, 6, 30), 1),
        (date(2026, 6, 1), date(2026, 7, 1), 2),
        (date(2026, 6, 15), date(2026, 7, 14), 1),
        (date(2026, 6, 15), date(2026, 7, 15), 2),
        (date(2026, 6, 1), date(2026, 8, 31), 3),
        (date(2026, 1, 31), date(2026, 2, 28), 1),
        (date(2026, 1, 31), date(2026, 3, 1), 2),
        (date(2026, 1, 1), date(2026, 12, 31), 12),
    ],
)
def test_months_spanned_counts_started_months(start, end, months):
    assert rates.months_spanned(start, end) == months


# --- the site's tables --------------------------------------------------------


def fee_values(**changes):
    values = copy.deepcopy(FEE_VALUES)
    values.update(changes)
    return values


def add(start, until=None, decision=None, schedule="gross-revenue", values=None):
    return add_rate_table(
        schedule, start, until, decision or council_decision(), values or fee_values(), "clerk"
    )


def test_a_table_is_kept_as_integers_with_its_decision(portal):
    uid = council_decision("Τέλη 2026")
    table = add("01/01/2026", "31/12/2026", uid)
    assert table.id == "gross-revenue-20260101"
    assert (table.effective_from, table.until) == (date(2026, 1, 1), date(2026, 12, 31))
    assert table.decision_uid == uid and "Τέλη 2026" in table.decision_label
    restaurant = table.values["categories"]["restaurant"]
    assert restaurant == {
        "rate_ppm": 5000,
        "title_el": "Εστιατόρια, ταβέρνες",
        "title_en": "Restaurants, taverns",
    }
    assert table.values["categories"]["cafe"]["title_el"] == "Καφετέριες"
    assert table.values["categories"]["canteen"]["rate_ppm"] == 2500
    assert table.values["penalty"] == {"per_month_ppm": 25000, "cap_ppm": 100000}
    assert table.values["deadline"] == {"months_after": 1, "day": 0}
    shown = table.to_json(audit=True)
    assert shown["values"]["categories"]["restaurant"]["rate"] == "0,5%"
    (entry,) = shown["audit"]
    assert entry["who"] == "clerk" and entry["action"] == "created"
    assert entry["changes"]["decision"] == [None, uid]


def test_tariffs_are_kept_in_cents(portal):
    table = add("2026-01-01", schedule="common-space", values=copy.deepcopy(TARIFF_VALUES))
    tariffs = table.values["tariffs"]
    assert tariffs["tables-chairs"] == {"unit": "month", "price_cents": 1500, "zones": {"Α": 2000}}
    assert tariffs["kiosk"]["price_cents"] is None
    assert tariffs["outdoor-event"] == {"unit": "day", "price_cents": 250, "zones": {}}
    assert table.to_json()["values"]["tariffs"]["kiosk"]["zone_prices"]["Β"] == "18,50 €"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 12, 31), None),
        (date(2026, 1, 1), "gross-revenue-20260101"),
        (date(2026, 6, 30), "gross-revenue-20260101"),
        (date(2026, 7, 1), "gross-revenue-20260701"),
        (date(2027, 3, 1), "gross-revenue-20260701"),
    ],
)
def test_the_rate_in_force_is_the_one_whose_period_holds_the_day(portal, day, expected):
    add("2026-01-01", "2026-06-30")
    add("2026-07-01", values=fee_values(categories={"restaurant": "0,75%"}))
    table = rates.find_rate("gross-revenue", day)
    assert (table.id if table else None) == expected
    assert rates.find_rate("transient-resident", day) is None  # schedules are apart


def test_no_rate_in_force_is_said_clearly(portal):
    with pytest.raises(RateError) as raised:
        rates.rate_in_force("common-space", date(2026, 3, 1))
    assert raised.value.code == "no-rate"
    assert "01/03/2026" in raised.value.message_el and "2026-03-01" in raised.value.message_en


@pytest.mark.parametrize(
    ("start", "until"),
    [
        ("2026-06-30", None),  # starts on the other's last day
        ("2025-01-01", "2026-01-01"),  # ends on the other's first day
        ("2025-01-01", None),  # open-ended, before it
        ("2026-03-01", "2026-03-31"),  # inside it
        ("2025-06-01", "2027-01-01"),  # around it
    ],
)
def test_overlapping_periods_are_refused(portal, start, until):
    add("2026-01-01", "2026-06-30")
    with pytest.raises(RateError) as raised:
        add(start, until)
    error = raised.value
    assert error.code == "rates-overlap" and error.details["overlaps"] == "gross-revenue-20260101"
    assert "επικαλύπτει" in error.message_el and "overlaps" in error.message_en
    assert "01/01/2026 – 30/06/2026" in error.message_el
    assert len(rates.rate_tables("gross-revenue")) == 1


def test_an_open_ended_table_must_be_ended_before_the_next_one(portal):
    first = add("2026-01-01")
    with pytest.raises(RateError):
        add("2027-01-01")
    end_rate_table(first.id, "2026-12-31", "clerk")
    second = add("2027-01-01")
    assert [t.id for t in rates.rate_tables("gross-revenue")] == [first.id, second.id]
    assert first.audit[-1]["action"] == "until-changed"
    assert first.audit[-1]["changes"] == {"until": [None, "2026-12-31"]}
    with pytest.raises(RateError) as raised:  # reopening it would overlap again
        end_rate_table(first.id, None, "clerk")
    assert raised.value.code == "rates-overlap"
    assert first.until == date(2026, 12, 31)


def test_a_decision_that_is_not_published_cannot_back_a_rate(portal):
    draft = council_decision("Σχέδιο απόφασης", published=False)
    with pytest.raises(RateError) as raised:
        add("2026-01-01", decision=draft)
    assert raised.value.code == "decision-not-published"
    assert "δεν έχει δημοσιευθεί" in raised.value.message_el
    assert "not published" in raised.value.message_en
    assert rates.rate_tables() == []


@pytest.mark.parametrize("uid", ["no-such-uid", ""])
def test_a_missing_decision_cannot_back_a_rate(portal, uid):
    with pytest.raises(RateError) as raised:
        add_rate_table("gross-revenue", "2026-01-01", None, uid, fee_values(), "clerk")
    assert raised.value.code == "decision-not-found"
    assert rates.rate_tables() == []


def test_something_other_than_a_decision_cannot_back_a_rate(portal):
    folder = api.content.create(container=portal, type="Folder", title="Φάκελος")
    with pytest.raises(RateError) as raised:
        add("2026-01-01", decision=api.content.get_uuid(folder))
    assert raised.value.code == "decision-not-found"


@pytest.mark.parametrize(
    ("schedule", "values", "field"),
    [
        ("gross-revenue", fee_values(categories={}), "categories"),
        ("gross-revenue", fee_values(categories={"Εστιατόρια": "1%"}), "categories.Εστιατόρια"),
        ("gross-revenue", fee_values(categories={"cafe": 0.5}), "categories.cafe"),
        ("gross-revenue", fee_values(penalty={"per_month": "2,5%", "cap": "abc"}), "penalty.cap"),
        ("gross-revenue", fee_values(deadline={"months_after": 13}), "deadline.months_after"),
        ("gross-revenue", fee_values(periods=["year"]), "periods"),
        (
            "common-space",
            {"tariffs": {"umbrellas": {"unit": "month", "price": "1"}}},
            "tariffs.umbrellas",
        ),
        (
            "common-space",
            {"tariffs": {"kiosk": {"unit": "week", "price": "1"}}},
            "tariffs.kiosk.unit",
        ),
        ("common-space", {"tariffs": {"kiosk": {"unit": "month"}}}, "tariffs.kiosk.price"),
        (
            "common-space",
            {"tariffs": {"kiosk": {"unit": "day", "price": "1,234"}}},
            "tariffs.kiosk.price",
        ),
    ],
)
def test_bad_values_are_refused_naming_the_field(portal, schedule, values, field):
    uid = council_decision()
    with pytest.raises(RateError) as raised:
        add_rate_table(schedule, "2026-01-01", None, uid, values, "clerk")
    assert raised.value.details["field"] == field
    assert raised.value.message_el != raised.value.message_en
    assert rates.rate_tables() == []


@pytest.mark.parametrize(
    ("start", "until", "code"),
    [("32/01/2026", None, "bad-date"), ("2026-02-01", "2026-01-31", "bad-rate")],
)
def test_bad_dates_are_refused(portal, start, until, code):
    with pytest.raises(RateError) as raised:
        add(start, until)
    assert raised.value.code == code
