"""Common-space occupation: tariffs (pure), then applications and permits on a site.

Figures are worked out by hand beside each case. The sealed permit (drawn
and sealed after the payment's commit, on the worker thread) and the emails,
over HTTP, are in test_occupation_http.py; nothing here commits.
"""

from datetime import date
from datetime import timedelta
from decimal import Decimal
from dimos.payments import ledger
from dimos.payments.declarations.testing import install_rates
from dimos.payments.declarations.testing import TARIFF_VALUES
from dimos.payments.occupation import applications
from dimos.payments.occupation.applications import approve_application
from dimos.payments.occupation.applications import reject_application
from dimos.payments.occupation.applications import submit_application
from dimos.payments.occupation.permitpdf import problem_of
from dimos.payments.occupation.tariffs import ApplicationError
from dimos.payments.occupation.tariffs import occupation_period
from dimos.payments.occupation.tariffs import parse_area
from dimos.payments.occupation.tariffs import quote
from dimos.payments.rates import clean_values
from dimos.payments.rates import month_end
from dimos.payments.seal import check_config
from dimos.payments.seal import SealConfig
from dimos.payments.seal import SealError
from dimos.payments.settlement import background
from dimos.payments.testing_debts import AFM_A
from plone import api
from stdnum import iso11649

import copy
import pytest


VALUES = clean_values("common-space", copy.deepcopy(TARIFF_VALUES))


@pytest.fixture(autouse=True)
def worker():
    """The worker thread has done its work at the end of each test, and is gone."""
    yield background.WORKER
    assert background.drain(), "the worker did not finish"
    assert background.stop(), "the worker thread did not end"


@pytest.mark.parametrize(
    ("written", "centi"),
    [
        ("12,5", 1250),
        ("12.50", 1250),
        (12, 1200),
        ("0,01", 1),
        (Decimal("3.25"), 325),
        (" 7 ", 700),
    ],
)
def test_areas_are_read_in_hundredths(written, centi):
    assert parse_area(written) == centi


@pytest.mark.parametrize("written", ["0", "-1", "12,345", "abc", 12.5, "10000,01", None, True])
def test_bad_areas_are_refused(written):
    with pytest.raises(ApplicationError) as raised:
        parse_area(written)
    assert raised.value.code == "bad-area" and raised.value.details["field"] == "area"


@pytest.mark.parametrize(
    ("kind", "zone", "area", "start", "end", "units", "price", "amount"),
    [
        # 12,5 m² × 20,00 € (zone Α) × 3 months = 750,00 €
        ("tables-chairs", "Α", 1250, date(2026, 6, 1), date(2026, 8, 31), 3, 2000, 75000),
        # any other zone: the tariff's price, 15,00 €; 15/06–15/07 is two started months
        ("tables-chairs", "Γ", 1250, date(2026, 6, 15), date(2026, 7, 15), 2, 1500, 37500),
        ("tables-chairs", "", 1250, date(2026, 6, 15), date(2026, 7, 14), 1, 1500, 18750),
        # 40 m² × 2,50 € × 3 days = 300,00 €
        ("outdoor-event", "", 4000, date(2026, 9, 4), date(2026, 9, 6), 3, 250, 30000),
        # 0,33 m² × 2,50 € × 1 day = 0,825 € → 0,83 € (half up)
        ("outdoor-event", "", 33, date(2026, 9, 4), date(2026, 9, 4), 1, 250, 83),
        # 4 m² × 18,50 € (zone Β) × 12 months = 888,00 €
        ("kiosk", "Β", 400, date(2026, 1, 1), date(2026, 12, 31), 12, 1850, 88800),
    ],
)
def test_quotes(kind, zone, area, start, end, units, price, amount):
    quoted = quote(VALUES, kind, zone, area, start, end)
    assert (quoted.units, quoted.price_cents, quoted.amount_cents) == (units, price, amount)


def test_a_tariff_priced_by_zone_only_needs_a_known_zone():
    for zone in ("", "Γ"):
        with pytest.raises(ApplicationError) as raised:
            quote(VALUES, "kiosk", zone, 400, date(2026, 1, 1), date(2026, 1, 31))
        assert raised.value.code == "bad-zone" and "Α, Β" in raised.value.message_el


def test_a_kind_without_a_tariff_in_force_is_refused():
    with pytest.raises(ApplicationError) as raised:
        quote(VALUES, "advertising", "", 100, date(2026, 1, 1), date(2026, 1, 31))
    assert raised.value.code == "no-tariff"


@pytest.mark.parametrize(
    ("end", "days", "expected", "field"),
    [
        (None, "3", date(2026, 6, 3), None),
        (None, 1, date(2026, 6, 1), None),
        (date(2026, 6, 30), None, date(2026, 6, 30), None),
        (None, None, None, "until"),
        (None, "0", None, "days"),
        (None, "2,5", None, "days"),
        (date(2026, 5, 31), None, None, "until"),
        (date(2027, 6, 2), None, None, "until"),  # 367 days
    ],
)
def test_occupation_periods(end, days, expected, field):
    start = date(2026, 6, 1)
    if field is None:
        assert occupation_period(start, end, days) == (start, expected)
        return
    with pytest.raises(ApplicationError) as raised:
        occupation_period(start, end, days)
    assert raised.value.details["field"] == field


# --- applications on a site -------------------------------------------------------------

START = (date.today().replace(day=1) + timedelta(days=62)).replace(day=1)  # in two months


def form(**changes):
    data = {
        "kind": "tables-chairs",
        "location": "Πλατεία Ελευθερίας 3",
        "zone": "Α",
        "area": "12,5",
        "from": START.isoformat(),
        "until": month_end(START, 2).isoformat(),  # two months
    }
    data.update(changes)
    return data


@pytest.fixture
def site(portal):
    install_rates()
    return portal


def test_an_application_is_quoted_and_waits_for_staff(site):
    app = submit_application(
        AFM_A, form(), AFM_A, holder_name="Καφενείο Η Ελιά", email="a@example.org"
    )
    assert app.status == "submitted" and app.id.endswith("-00001")
    assert (app.unit, app.price_cents, app.area_centi) == ("month", 2000, 1250)
    assert app.units == 2 and app.amount_cents == 50000  # 12,5 × 20 € × 2 started months
    assert app.holder_name == "Καφενείο Η Ελιά" and app.email == "a@example.org"
    assert app.debt_id is None and ledger.get_debt(app.debt_of) is None
    assert app.audit[0]["action"] == "submitted"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"kind": "umbrellas"}, "kind", "bad-kind"),
        ({"location": "Α"}, "location", "bad-location"),
        ({"area": "0"}, "area", "bad-area"),
        ({"from": (date.today() - timedelta(days=1)).isoformat()}, "from", "bad-date"),
        ({"from": "31/02/2027"}, "from", "bad-date"),
        ({"until": ""}, "until", "bad-period"),
        ({"kind": "kiosk", "zone": "Ω"}, "zone", "bad-zone"),
        ({"email": "not-an-address"}, "email", "bad-email"),
    ],
)
def test_bad_applications_are_refused_and_nothing_is_stored(site, changes, field, code):
    with pytest.raises(ApplicationError) as raised:
        submit_application(AFM_A, form(**changes), AFM_A)
    assert (raised.value.details["field"], raised.value.code) == (field, code)
    assert raised.value.message_el != raised.value.message_en
    assert applications.applications_of(AFM_A) == []


def test_without_a_tariff_in_force_nobody_can_apply(portal):
    with pytest.raises(ApplicationError) as raised:
        submit_application(AFM_A, form(), AFM_A)
    assert raised.value.code == "no-rate"


def test_approval_issues_the_debt_and_its_rf(site):
    app = submit_application(AFM_A, form(), AFM_A)
    approve_application(app.id, "clerk", "Σύμφωνα με τη μελέτη.")
    assert (app.status, app.decided_by, app.reason) == (
        "approved",
        "clerk",
        "Σύμφωνα με τη μελέτη.",
    )
    debt = ledger.get_debt(app.debt_of)
    assert (debt.source, debt.category, debt.afm) == ("common-space", "common-space", AFM_A)
    assert debt.amount_cents == app.amount_cents == 50000
    assert debt.due_date == app.due_date == applications.today() + timedelta(days=15)
    assert iso11649.is_valid(app.rf) and debt.pending_rf == app.rf
    assert ledger.get_order(app.rf).amount_cents == 50000
    assert app.audit[-1]["changes"]["status"] == ["submitted", "approved"]
    with pytest.raises(ApplicationError) as raised:
        approve_application(app.id, "clerk")
    assert raised.value.code == "already-decided"


def test_rejection_needs_a_reason_and_issues_nothing(site):
    app = submit_application(AFM_A, form(), AFM_A)
    with pytest.raises(ApplicationError) as raised:
        reject_application(app.id, "clerk", "  ")
    assert raised.value.code == "reason-required" and app.status == "submitted"
    reject_application(app.id, "clerk", "Ο χώρος είναι πεζόδρομος.")
    assert (app.status, app.reason) == ("rejected", "Ο χώρος είναι πεζόδρομος.")
    assert ledger.get_debt(app.debt_of) is None
    with pytest.raises(ApplicationError):
        approve_application(app.id, "clerk")


def test_paying_issues_the_permit_even_without_a_seal(site):
    app = submit_application(AFM_A, form(), AFM_A, holder_name="Καφενείο Η Ελιά")
    approve_application(app.id, "clerk")
    outcome = ledger.record_payment(app.rf, 50000, "T-OCC-1", None, "gateway", "gateway:test")
    assert outcome.applied  # the payment stands whatever the permit does
    assert app.status == "issued" and app.permit_pdf == "pending"
    assert app.permit_error["code"] == "seal-not-configured"  # at once: nothing drawn
    assert "θα ακολουθήσει" in app.permit_error["el"]
    assert "will follow" in app.permit_error["en"]
    permit = api.content.get(UID=app.permit_uid)
    assert permit.aq_parent.getId() == "adeies"
    assert api.content.get_state(permit) == "issued"
    assert (permit.holder_name, permit.holder_afm, permit.permit_kind) == (
        "Καφενείο Η Ελιά",
        AFM_A,
        "common-space",
    )
    assert (permit.valid_from, permit.valid_until) == (app.start, app.end)
    assert permit.area_m2 == Decimal("12.5") and permit.fee == Decimal("500")
    assert permit.payment_code == app.rf and permit.paid_on is not None
    assert permit.number_label() == app.permit_number == f"1/{app.start.year}"
    assert permit.signed_pdf is None
    assert "Reader" in permit.get_local_roles_for_userid(AFM_A)
    # a second payment of the same code changes nothing: one permit only
    ledger.record_payment(app.rf, 50000, "T-OCC-2", None, "bank", "bank")
    assert len(api.content.find(portal_type="Permit")) == 1


def test_a_seal_s_problem_is_told_as_the_permit_s():
    """The seal's messages speak of receipts; on an application they say the permit's PDF follows."""
    config = SealConfig(tsa_url="", trust_roots=(), verify_url="", pkcs12_path="/seal.p12")
    with pytest.raises(SealError) as refused:
        check_config(config)  # a seal, but no TSA
    problem = problem_of(refused.value)
    assert problem["code"] == "seal-no-tsa"
    assert problem["el"].startswith("Δεν έχει οριστεί υπηρεσία χρονοσήμανσης (TSA)")
    assert problem["el"].endswith("το σφραγισμένο PDF της θα ακολουθήσει μόλις διορθωθεί αυτό.")
    assert problem["en"].endswith("its sealed PDF will follow once this is fixed.")
    assert "απόδειξη" not in problem["el"] and "receipt" not in problem["en"]
    odd = problem_of(ValueError("embedded null byte"))
    assert odd["code"] == "permit-pdf-failed" and "ValueError" in odd["el"]
