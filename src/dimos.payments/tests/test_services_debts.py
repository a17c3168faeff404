"""GET /@debts, GET /@debts/{id}, POST /@debts-import over HTTP: a citizen sees only their own debts."""

from dimos.payments import ledger
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import debt_row
from dimos.payments.testing_debts import NAME_B
from dimos.payments.testing_debts import sample_rows
from dimos.payments.testing_debts import sample_site
from dimos.payments.testing_debts import to_csv
from dimos.payments.testing_debts import to_json

import pytest
import requests
import transaction


JSON = {"Accept": "application/json"}


@pytest.fixture
def site(functional_portal):
    people = sample_site()
    transaction.commit()
    return functional_portal.absolute_url(), people


def call(url, method="GET", path="@debts", auth=None, headers=None, **kw):
    return requests.request(
        method, f"{url}/{path}", auth=auth, headers={**JSON, **(headers or {})}, timeout=60, **kw
    )


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    assert error["messages"]["el"] != error["messages"]["en"]
    return error


class TestOwnDebts:
    def test_a_citizen_sees_their_own_debts_only(self, site):
        url, people = site
        response = call(url, auth=people["a"])
        assert response.status_code == 200, response.text
        found = response.json()
        assert found["afm"] == AFM_A and found["items_total"] == 4
        assert [d["id"] for d in found["items"]] == [
            "2026-0003",
            "2026-0002",
            "2026-0001",
            "2026-0004",
        ]
        assert {d["afm"] for d in found["items"]} == {AFM_A}
        assert found["open_total_cents"] == 4000 + 129629 + 12000 + 35000
        assert found["open_total"] == "1.806,29 €"
        debt = found["items"][1]
        assert debt["category_title"] == "Τέλος κοινοχρήστων χώρων"
        assert debt["total"] == "1.296,29 €" and debt["due_date"] == "2026-02-28"
        assert "audit" not in debt
        others = call(url, auth=people["b"]).json()
        assert [d["id"] for d in others["items"]] == ["2026-0101", "2026-0102"]

    def test_a_citizen_can_never_ask_for_another_afm(self, site):
        url, people = site
        error = error_of(call(url, auth=people["a"], params={"afm": AFM_B}), 403, "not-yours")
        assert error["message"] == "Μπορείτε να δείτε μόνο τις δικές σας οφειλές."
        english = call(
            url, auth=people["a"], params={"afm": AFM_B}, headers={"Accept-Language": "en"}
        )
        assert english.json()["error"]["message"] == "You can only see your own debts."
        assert call(url, auth=people["a"], params={"afm": AFM_A}).json()["items_total"] == 4

    def test_another_s_debt_is_not_found_exactly_as_a_missing_one(self, site):
        url, people = site
        theirs = error_of(
            call(url, path="@debts/2026-0101", auth=people["a"]), 404, "debt-not-found"
        )
        missing = error_of(
            call(url, path="@debts/2026-9999", auth=people["a"]), 404, "debt-not-found"
        )
        assert theirs["message"].replace("2026-0101", "X") == missing["message"].replace(
            "2026-9999", "X"
        )
        assert NAME_B not in str(theirs) and AFM_B not in str(theirs)
        own = call(url, path="@debts/2026-0001", auth=people["a"])
        assert own.status_code == 200 and own.json()["id"] == "2026-0001"
        assert "audit" not in own.json()

    def test_status_filter(self, site):
        url, people = site
        transaction.begin()
        order = ledger.issue_order(["2026-0003"], afm=AFM_A, actor=AFM_A)
        ledger.record_payment(order.rf, 4000, "T-1", None, "gateway", "gateway:test")
        transaction.commit()
        paid = call(url, auth=people["a"], params={"status": "paid"}).json()
        assert [d["id"] for d in paid["items"]] == ["2026-0003"]
        assert paid["items"][0]["paid"]["transaction_id"] == "T-1"
        assert call(url, auth=people["a"], params={"status": "open"}).json()["items_total"] == 3
        error_of(call(url, auth=people["a"], params={"status": "late"}), 400, "bad-status")

    def test_anonymous_and_members_without_afm_see_nothing(self, site):
        url, people = site
        anonymous = call(url)
        assert anonymous.status_code == 401
        assert AFM_A not in anonymous.text and "2026-0001" not in anonymous.text
        assert call(url, path="@debts/2026-0001").status_code == 401
        error = error_of(call(url, auth=people["member"]), 403, "no-afm")
        assert "Taxisnet" in error["messages"]["el"]
        assert call(url, path="@debts/2026-0001", auth=people["member"]).status_code == 403


class TestStaff:
    def test_staff_see_any_afm_and_the_audit_trail(self, site):
        url, people = site
        found = call(url, auth=people["staff"], params={"afm": AFM_B}).json()
        assert [d["id"] for d in found["items"]] == ["2026-0101", "2026-0102"]
        debt = call(url, path="@debts/2026-0101", auth=people["staff"]).json()
        assert debt["audit"][0]["action"] == "imported"
        assert debt["audit"][0]["who"] == "test-setup"
        assert debt["audit"][0]["changes"]["amount_cents"] == [None, 8730]
        error_of(call(url, auth=people["staff"]), 400, "afm-required")
        error_of(call(url, auth=people["staff"], params={"afm": "123456789"}), 400, "bad-afm")

    def test_import_csv_then_again_then_json(self, site):
        url, people = site
        rows = [*sample_rows(), debt_row("2026-0005", AFM_A, amount="7,5")]
        rows[0]["amount"] = "121,00"
        csv_headers = {"Content-Type": "text/csv; charset=utf-8"}
        first = call(url, "POST", "@debts-import", people["staff"], csv_headers, data=to_csv(rows))
        assert first.status_code == 200, first.text
        report = first.json()
        assert report["counts"] == {
            "created": 1,
            "updated": 1,
            "unchanged": 5,
            "conflicts": 0,
            "errors": 0,
        }
        assert report["created"] == ["2026-0005"] and report["updated"] == ["2026-0001"]
        assert report["summaries"]["el"].startswith("1 νέες") and report["summaries"]["en"]
        again = call(url, "POST", "@debts-import", people["staff"], csv_headers, data=to_csv(rows))
        assert again.json()["counts"]["unchanged"] == 7
        as_json = call(
            url,
            "POST",
            "@debts-import",
            people["staff"],
            {"Content-Type": "application/json"},
            data=to_json([*rows, debt_row("2026-0006", "bad")]),
        ).json()
        assert as_json["counts"]["unchanged"] == 7 and as_json["counts"]["errors"] == 1
        assert as_json["errors"][0]["row"] == 8 and as_json["errors"][0]["field"] == "afm"
        audit = call(url, path="@debts/2026-0001", auth=people["staff"]).json()["audit"]
        assert audit[-1]["who"] == "revenue-officer"
        assert audit[-1]["changes"] == {"amount_cents": [12000, 12100]}
        assert len(audit) == 2  # imported, updated once: the re-imports left no trace

    def test_a_malformed_file_is_refused_whole(self, site):
        url, people = site
        data = to_csv([debt_row("2026-0009", AFM_A)], columns=["id", "afm", "name", "amount"])
        response = call(
            url, "POST", "@debts-import", people["staff"], {"Content-Type": "text/csv"}, data=data
        )
        error = error_of(response, 400, "bad-header")
        assert "category, due_date" in error["messages"]["en"]
        assert call(url, path="@debts/2026-0009", auth=people["staff"]).status_code == 404
        wrong_type = call(
            url, "POST", "@debts-import", people["staff"], {"Content-Type": "image/png"}, data=b"x"
        )
        error_of(wrong_type, 400, "bad-content-type")

    def test_citizens_and_anonymous_cannot_import(self, site):
        url, people = site
        data = to_csv([debt_row("2026-0009", AFM_A)])
        headers = {"Content-Type": "text/csv"}
        for auth in (None, people["a"], people["member"]):
            response = call(url, "POST", "@debts-import", auth, headers, data=data)
            assert response.status_code == 401, (auth, response.text)
        assert call(url, path="@debts/2026-0009", auth=people["staff"]).status_code == 404


def test_posts_a_page_on_another_site_could_forge_are_refused(site):
    """Form content types (all a cross-site form can send with the user's cookies) change nothing."""
    url, people = site
    data = to_csv([debt_row("2026-0009", AFM_A)])
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        headers = {"Content-Type": content_type}
        response = call(url, "POST", "@debts-import", people["staff"], headers, data=data)
        error_of(response, 415, "unsupported-content-type")
        order = call(url, "POST", "@payment-orders", people["a"], headers, data='{"debts": []}')
        error_of(order, 415, "unsupported-content-type")
    upload = requests.post(  # a form's file upload: multipart/form-data with its boundary
        f"{url}/@debts-import",
        auth=people["staff"],
        headers={"Accept": "application/json"},
        files={"file": ("debts.csv", data, "text/csv")},
        timeout=60,
    )
    error_of(upload, 415, "unsupported-content-type")
    assert call(url, path="@debts/2026-0009", auth=people["staff"]).status_code == 404
    assert ledger.debts_of(AFM_A) == [] or all(d.pending_rf is None for d in ledger.debts_of(AFM_A))
