"""Fee declarations: periods, deadlines, fees and penalties (pure), then declaring on a site.

The expected figures are worked out by hand in the comments beside them.
"""

from datetime import date
from datetime import timedelta
from dimos.payments import ledger
from dimos.payments.declarations import book
from dimos.payments.declarations.book import declarations_of
from dimos.payments.declarations.book import declare
from dimos.payments.declarations.fees import compute_fee
from dimos.payments.declarations.fees import deadline_of
from dimos.payments.declarations.fees import DeclarationError
from dimos.payments.declarations.fees import months_late
from dimos.payments.declarations.fees import parse_period
from dimos.payments.declarations.fees import penalty_cents
from dimos.payments.declarations.fees import Period
from dimos.payments.declarations.testing import FEE_VALUES
from dimos.payments.declarations.testing import install_rates
from dimos.payments.rates import clean_values
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from stdnum import iso11649

import copy
import pytest


@pytest.mark.parametrize(
    ("written", "key", "first", "last"),
    [
        ("2026-03", "2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("2026-3", "2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("03/2026", "2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-Q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("Q2/2026", "2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Τ3", "2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ],
)
def test_periods(written, key, first, last):
    period = parse_period(written)
    assert (period.key, period.first, period.last) == (key, first, last)


@pytest.mark.parametrize(
    "written", ["", "2026", "2026-13", "2026-00", "2026-Q5", "1999-01", "μάρτιος"]
)
def test_bad_periods_are_refused(written):
    with pytest.raises(DeclarationError) as raised:
        parse_period(written)
    assert raised.value.code == "bad-period" and raised.value.details["field"] == "period"


@pytest.mark.parametrize(
    ("period", "rule", "deadline"),
    [
        (Period("month", 2026, 3), {"months_after": 1, "day": 0}, date(2026, 4, 30)),
        (Period("month", 2026, 1), {"months_after": 1, "day": 0}, date(2026, 2, 28)),
        (Period("month", 2026, 12), {"months_after": 1, "day": 0}, date(2027, 1, 31)),
        (Period("quarter", 2026, 1), {"months_after": 1, "day": 0}, date(2026, 4, 30)),
        (Period("month", 2026, 1), {"months_after": 1, "day": 31}, date(2026, 2, 28)),
        (Period("month", 2026, 3), {"months_after": 1, "day": 20}, date(2026, 4, 20)),
        (Period("month", 2026, 3), {"months_after": 0, "day": 0}, date(2026, 3, 31)),
        (Period("quarter", 2026, 4), {"months_after": 2, "day": 15}, date(2027, 2, 15)),
    ],
)
def test_deadlines(period, rule, deadline):
    assert deadline_of(period, rule) == deadline


DEADLINE = date(2026, 4, 30)


@pytest.mark.parametrize(
    ("declared_on", "months"),
    [
        (date(2026, 4, 1), 0),
        (date(2026, 4, 30), 0),  # the deadline itself: on time
        (date(2026, 5, 1), 1),  # the day after: the first month has started
        (date(2026, 5, 31), 1),  # the first month's last day
        (date(2026, 6, 1), 2),
        (date(2026, 6, 30), 2),
        (date(2026, 7, 1), 3),
        (date(2027, 4, 30), 12),
        (date(2027, 5, 1), 13),
    ],
)
def test_started_months_of_delay(declared_on, months):
    assert months_late(DEADLINE, declared_on) == months


@pytest.mark.parametrize(
    ("fee", "months", "per_month", "cap", "penalty"),
    [
        (6173, 0, 25000, 100000, 0),
        (6173, 1, 25000, 100000, 154),  # 154,325 → 154
        (6173, 3, 25000, 100000, 463),  # 462,975 → 463
        (6173, 4, 25000, 100000, 617),  # 10% = 617,3: capped
        (6173, 40, 25000, 100000, 617),
        (6173, 40, 25000, None, 6173),  # no cap: 100% after 40 months
        (10, 1, 50000, None, 1),  # 0,5 → 1 (half up)
        (0, 5, 25000, 100000, 0),
    ],
)
def test_penalties(fee, months, per_month, cap, penalty):
    assert penalty_cents(fee, months, per_month, cap) == penalty


VALUES = clean_values("gross-revenue", copy.deepcopy(FEE_VALUES))


@pytest.mark.parametrize(
    ("category", "gross", "declared_on", "fee", "months", "penalty"),
    [
        ("restaurant", 1234567, date(2026, 4, 30), 6173, 0, 0),  # 12.345,67 × 0,5% = 61,728…
        ("restaurant", 1234567, date(2026, 5, 1), 6173, 1, 154),
        ("restaurant", 1234567, date(2026, 6, 1), 6173, 2, 309),  # 308,65 → 309
        ("restaurant", 1234567, date(2026, 9, 1), 6173, 5, 617),  # capped at 10%
        ("canteen", 100000, date(2026, 4, 2), 250, 0, 0),  # 1.000 × 0,25%
        ("cafe", 99, date(2026, 4, 2), 0, 0, 0),  # 0,495 cents → 0
    ],
)
def test_fee_computations(category, gross, declared_on, fee, months, penalty):
    result = compute_fee(VALUES, category, gross, Period("month", 2026, 3), declared_on)
    assert (result.fee_cents, result.months_late, result.penalty_cents) == (fee, months, penalty)
    assert result.total_cents == fee + penalty
    assert result.deadline == DEADLINE
    assert result.due_date == max(DEADLINE, declared_on)


def test_a_fee_declared_per_month_refuses_a_quarter():
    monthly = dict(VALUES, periods=["month"])
    with pytest.raises(DeclarationError) as raised:
        compute_fee(monthly, "restaurant", 100, Period("quarter", 2026, 1), date(2026, 4, 2))
    assert raised.value.code == "period-kind" and "τρίμηνο" in raised.value.message_el


# --- declaring on a site -----------------------------------------------------------


@pytest.fixture
def site(portal, monkeypatch):
    install_rates()
    monkeypatch.setattr(book, "today", lambda: date(2026, 4, 15))
    return portal


def test_a_declaration_creates_its_debt_and_rf(site):
    declaration = declare(
        AFM_A, "gross-revenue", "2026-03", "12.345,67", "restaurant", AFM_A, name="Η Ελιά"
    )
    assert (declaration.fee_cents, declaration.penalty_cents, declaration.months_late) == (
        6173,
        0,
        0,
    )
    assert declaration.deadline == date(2026, 4, 30) and declaration.declared_on == date(
        2026, 4, 15
    )
    debt = ledger.get_debt(declaration.debt_id)
    assert debt.source == "gross-revenue" and debt.category == "gross-revenue"
    assert (debt.afm, debt.name, debt.amount_cents, debt.surcharge_cents) == (
        AFM_A,
        "Η Ελιά",
        6173,
        0,
    )
    assert debt.due_date == date(2026, 4, 30)
    assert iso11649.is_valid(declaration.rf)
    order = ledger.get_order(declaration.rf)
    assert order.amount_cents == 6173 and order.debt_ids == (declaration.debt_id,)
    assert debt.pending_rf == declaration.rf
    (entry,) = declaration.audit
    assert entry["who"] == AFM_A and entry["action"] == "declared"
    assert entry["changes"]["fee_cents"] == [None, 6173]
    assert declaration.to_json()["status"] == "open"


def test_a_late_declaration_carries_its_penalty_in_the_debt(site):
    declaration = declare(
        AFM_A,
        "transient-resident",
        "2026-02",
        "10.000,00",
        "hotel",
        "clerk",
        declared_on="2026-04-14",
    )
    # deadline 20/03; 21/03–20/04 is the first month; 50,00 € × 1% = 0,50 €
    assert declaration.deadline == date(2026, 3, 20)
    assert (declaration.fee_cents, declaration.months_late, declaration.penalty_cents) == (
        5000,
        1,
        50,
    )
    debt = ledger.get_debt(declaration.debt_id)
    assert (debt.amount_cents, debt.surcharge_cents, debt.due_date) == (5000, 50, date(2026, 4, 14))
    assert ledger.get_order(declaration.rf).amount_cents == 5050


def test_a_correcting_declaration_replaces_an_unpaid_one(site):
    first = declare(AFM_A, "gross-revenue", "2026-03", "12.345,67", "restaurant", AFM_A)
    old_debt, old_rf = first.debt_id, first.rf
    second = declare(AFM_A, "gross-revenue", "2026-03", "20.000,00", "restaurant", AFM_A)
    assert second is first and second.version == 2 and second.fee_cents == 10000
    assert second.debt_id != old_debt and second.rf != old_rf
    assert ledger.get_debt(old_debt).status == "cancelled"
    assert ledger.get_debt(old_debt).audit[-1]["action"] == "cancelled"
    assert ledger.get_order(old_rf).status == "cancelled"
    new_debt = ledger.get_debt(second.debt_id)
    assert (new_debt.status, new_debt.amount_cents, new_debt.pending_rf) == (
        "open",
        10000,
        second.rf,
    )
    (earlier,) = second.history
    assert (earlier["version"], earlier["fee_cents"], earlier["rf"]) == (1, 6173, old_rf)
    assert second.audit[-1]["action"] == "corrected"
    assert second.audit[-1]["changes"]["fee_cents"] == [6173, 10000]
    assert [d.key for d in declarations_of(AFM_A)] == [second.key]


def test_a_paid_declaration_cannot_be_corrected(site):
    first = declare(AFM_A, "gross-revenue", "2026-03", "12.345,67", "restaurant", AFM_A)
    ledger.record_payment(first.rf, 6173, "T-1", None, "bank", "bank")
    with pytest.raises(DeclarationError) as raised:
        declare(AFM_A, "gross-revenue", "2026-03", "1.000,00", "restaurant", AFM_A)
    assert raised.value.code == "declaration-paid"
    assert "έχει ήδη εξοφληθεί" in raised.value.message_el
    assert "already paid" in raised.value.message_en
    assert first.version == 1 and ledger.get_debt(first.debt_id).status == "paid"


def test_a_nil_declaration_owes_nothing_and_makes_no_debt(site):
    orders_before = len(ledger.debt_book().orders)
    declaration = declare(AFM_A, "gross-revenue", "2026-03", "0", "restaurant", AFM_A)
    assert declaration.debt_id is None and declaration.rf is None
    assert declaration.to_json()["status"] == "nil"
    assert len(ledger.debt_book().orders) == orders_before
    corrected = declare(AFM_A, "gross-revenue", "2026-03", "1.000,00", "restaurant", AFM_A)
    assert corrected.version == 2 and corrected.fee_cents == 500 and corrected.rf


def test_a_month_inside_a_declared_quarter_is_refused(site, monkeypatch):
    declare(AFM_A, "gross-revenue", "2026-Q1", "30.000,00", "restaurant", AFM_A)
    with pytest.raises(DeclarationError) as raised:
        declare(AFM_A, "gross-revenue", "2026-02", "10.000,00", "restaurant", AFM_A)
    assert raised.value.code == "period-overlap" and "2026-Q1" in raised.value.message_el
    # another fee, or another business, is not in the way
    declare(AFM_A, "transient-resident", "2026-02", "10.000,00", "hotel", AFM_A)
    declare(AFM_B, "gross-revenue", "2026-02", "10.000,00", "restaurant", AFM_B)


@pytest.mark.parametrize(
    ("fee", "period", "gross", "category", "field", "code"),
    [
        ("parking", "2026-03", "100", "restaurant", "fee", "bad-fee"),
        ("gross-revenue", "2026-04", "100", "restaurant", "period", "period-not-ended"),
        ("gross-revenue", "2019-12", "100", "restaurant", "period", "no-rate"),
        ("gross-revenue", "2026-03", "12.345", "restaurant", "gross_revenue", "bad-amount"),
        ("gross-revenue", "2026-03", "-5", "restaurant", "gross_revenue", "bad-amount"),
        ("gross-revenue", "2026-03", "100", "hotel", "category", "bad-category"),
        ("gross-revenue", "2026-03", "100", "", "category", "bad-category"),
        ("transient-resident", "2026-Q1", "100", "hotel", "period", "period-kind"),
    ],
)
def test_bad_declarations_are_refused_and_nothing_is_stored(
    site, fee, period, gross, category, field, code
):
    debts_before = len(ledger.debt_book().debts)
    with pytest.raises(DeclarationError) as raised:
        declare(AFM_A, fee, period, gross, category, AFM_A)
    error = raised.value
    assert (error.details["field"], error.code) == (field, code)
    assert error.message_el and error.message_en and error.message_el != error.message_en
    assert declarations_of(AFM_A) == []
    assert len(ledger.debt_book().debts) == debts_before


def test_a_date_of_declaration_in_the_future_is_refused(site):
    future = (date(2026, 4, 15) + timedelta(days=1)).isoformat()
    with pytest.raises(DeclarationError) as raised:
        declare(AFM_A, "gross-revenue", "2026-03", "100", "restaurant", "clerk", declared_on=future)
    assert raised.value.details["field"] == "declared_on"
