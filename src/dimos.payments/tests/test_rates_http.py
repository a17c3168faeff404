"""``/@payment-rates`` over HTTP: revenue staff manage rate tables; nobody else may."""

from dimos.payments import rates
from dimos.payments.declarations.testing import council_decision
from dimos.payments.declarations.testing import FEE_VALUES
from dimos.payments.declarations.testing import TARIFF_VALUES
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import create_citizen
from dimos.payments.testing_debts import create_revenue_officer
from dimos.payments.testing_debts import PASSWORD

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
STAFF = ("revenue-officer", PASSWORD)
CITIZEN = (AFM_A, PASSWORD)


@pytest.fixture
def site(functional_portal):
    create_revenue_officer()
    create_citizen(AFM_A)
    decisions = {"published": council_decision(), "draft": council_decision(published=False)}
    transaction.commit()
    return f"{functional_portal.absolute_url()}/@payment-rates", decisions


def table(decision, start="2026-01-01", until=None, schedule="gross-revenue", values=FEE_VALUES):
    return {
        "schedule": schedule,
        "effective_from": start,
        "until": until,
        "decision": decision,
        "values": values,
    }


def post(url, body, auth=STAFF, **kw):
    return requests.post(url, json=body, auth=auth, headers=JSON, timeout=60, **kw)


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    assert error["message"] == error["messages"]["el"]
    return error


def stored():
    transaction.begin()
    return [t.id for t in rates.rate_tables()]


def test_staff_add_a_table_and_read_it_back(site):
    url, decisions = site
    response = post(url, table(decisions["published"], until="2026-12-31"))
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == f"{url}/gross-revenue-20260101" == created["@id"]
    assert created["decision"] == decisions["published"]
    assert created["values"]["categories"]["restaurant"]["rate_ppm"] == 5000
    assert created["values"]["penalty"]["cap"] == "10%"
    assert created["audit"][0]["who"] == "revenue-officer"
    listed = requests.get(url, auth=STAFF, headers=JSON, timeout=60).json()
    assert [item["id"] for item in listed["items"]] == ["gross-revenue-20260101"]
    one = requests.get(created["@id"], auth=STAFF, headers=JSON, timeout=60).json()
    assert one["until"] == "2026-12-31"
    for day, expected in (("2026-12-31", "gross-revenue-20260101"), ("2027-01-01", None)):
        found = requests.get(
            url,
            params={"schedule": "gross-revenue", "on": day},
            auth=STAFF,
            headers=JSON,
            timeout=60,
        ).json()
        assert (found["in_force"] or {}).get("id") == expected


def test_overlaps_and_unpublished_decisions_are_refused(site):
    url, decisions = site
    assert post(url, table(decisions["published"])).status_code == 201
    error = error_of(
        post(url, table(decisions["published"], start="2027-01-01")), 400, "rates-overlap"
    )
    assert error["overlaps"] == "gross-revenue-20260101"
    error_of(
        post(url, table(decisions["draft"], start="2020-01-01", until="2020-12-31")),
        400,
        "decision-not-published",
    )
    error_of(
        post(url, table("no-such-uid", start="2020-01-01", until="2020-12-31")),
        400,
        "decision-not-found",
    )
    english = post(
        url,
        table(decisions["draft"], start="2020-01-01", until="2020-12-31"),
        cookies={"I18N_LANGUAGE": "en"},
    )
    assert "not published" in english.json()["error"]["message"]
    assert stored() == ["gross-revenue-20260101"]


def test_ending_a_table_makes_room_for_the_next(site):
    url, decisions = site
    first = post(url, table(decisions["published"])).json()
    ended = requests.patch(
        first["@id"], json={"until": "2026-06-30"}, auth=STAFF, headers=JSON, timeout=60
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["until"] == "2026-06-30"
    assert ended.json()["audit"][-1]["changes"] == {"until": [None, "2026-06-30"]}
    second = post(url, table(decisions["published"], start="2026-07-01"))
    assert second.status_code == 201, second.text
    error_of(
        requests.patch(first["@id"], json={"until": None}, auth=STAFF, headers=JSON, timeout=60),
        400,
        "rates-overlap",
    )
    missing = requests.patch(
        f"{url}/nothing", json={"until": None}, auth=STAFF, headers=JSON, timeout=60
    )
    error_of(missing, 404, "rate-not-found")
    assert stored() == ["gross-revenue-20260101", "gross-revenue-20260701"]


def test_bad_bodies_and_values_are_refused(site):
    url, decisions = site
    error_of(requests.post(url, data=b"[1]", auth=STAFF, headers=JSON, timeout=60), 400, "bad-body")
    error_of(
        post(url, {**table(decisions["published"]), "schedule": "parking"}), 400, "bad-schedule"
    )
    bad = {"tariffs": {"kiosk": {"unit": "month", "price": "-3"}}}
    error = error_of(
        post(url, table(decisions["published"], schedule="common-space", values=bad)),
        400,
        "bad-rate",
    )
    assert error["field"] == "tariffs.kiosk.price"
    good = post(url, table(decisions["published"], schedule="common-space", values=TARIFF_VALUES))
    assert good.status_code == 201
    assert stored() == ["common-space-20260101"]


def test_citizens_and_visitors_cannot_manage_rates(site):
    url, decisions = site
    for auth in (CITIZEN, None):
        assert post(url, table(decisions["published"]), auth=auth).status_code in (401, 403)
        assert requests.get(url, auth=auth, headers=JSON, timeout=60).status_code in (401, 403)
    assert stored() == []
