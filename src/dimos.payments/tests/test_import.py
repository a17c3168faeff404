"""Import of certified debts: files read strictly, re-imports idempotent, conflicts kept for staff.

Unit tests on a bare DebtBook, then the import script on a Plone site.
"""

from dimos.payments.categories import CATEGORIES
from dimos.payments.categories import category_for
from dimos.payments.categories import UnknownCategory
from dimos.payments.debtbook import DebtBook
from dimos.payments.debts import Debt
from dimos.payments.importer import ImportRefused
from dimos.payments.importer import read_csv
from dimos.payments.importer import read_file
from dimos.payments.importer import read_json
from dimos.payments.scripts import import_debts as script
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import AFM_C
from dimos.payments.testing_debts import debt_row
from dimos.payments.testing_debts import make_afm
from dimos.payments.testing_debts import sample_rows
from dimos.payments.testing_debts import to_csv
from dimos.payments.testing_debts import to_json
from plone import api
from plone.app.testing import SITE_OWNER_NAME

import datetime
import io
import pytest
import transaction


CODE = "9912"


@pytest.fixture
def book():
    return DebtBook()


def audit_sizes(book):
    return {debt_id: len(debt.audit) for debt_id, debt in book.debts.items()}


# --- categories -------------------------------------------------------------------------


def test_categories_have_ascii_tokens_and_greek_and_english_titles():
    assert len(CATEGORIES) == 8
    for category in CATEGORIES:
        assert category.token.isascii() and category.token == category.token.lower()
        assert any("α" <= c <= "ω" for c in category.title_el.lower())
        assert category.title_en.isascii()
        assert category_for(category.token) is category
        assert category_for(category.title_el.upper()) is category
        assert category_for(category.title_en) is category
    assert category_for("τελος ΚΟΙΝΟΧΡΗΣΤΩΝ χωρων").token == "common-space"
    assert category_for(" Μισθώματα ").token == "rent"


def test_an_unknown_category_is_refused_in_greek_and_english():
    with pytest.raises(UnknownCategory) as caught:
        category_for("parking")
    assert "Άγνωστη κατηγορία" in caught.value.message_el
    assert "Unknown debt category" in caught.value.message_en
    assert "property-tap" in caught.value.message_en


# --- reading files --------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_as_greek_excel_writes_it(book, delimiter, bom):
    rows = read_csv(to_csv(sample_rows(), delimiter=delimiter, bom=bom))
    assert [row.number for row in rows] == [2, 3, 4, 5, 6, 7]
    report = book.import_rows(rows, "clerk")
    assert report.counts == {
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "conflicts": 0,
        "errors": 0,
    }
    debt = book.get_debt("2026-0002")
    assert (debt.amount_cents, debt.surcharge_cents, debt.total_cents) == (123456, 6173, 129629)
    assert debt.category == "common-space" and debt.due_date == datetime.date(2026, 2, 28)
    assert debt.description == "Τραπεζοκαθίσματα, οδός Ερμού 5"  # a "," inside quotes
    assert debt.afm == AFM_A and debt.source == "certified" and debt.status == "open"


def test_greek_column_names_and_any_order(book):
    data = (
        "Λήξη;Ποσό;ΑΦΜ;Επωνυμία;Κατηγορία;Κωδικός;Προσαύξηση\r\n"
        f"31/12/2026;15,20;EL{AFM_C};ΑΦΟΙ Κωνσταντίνου Ο.Ε.;Μισθώματα;R-1;1,00\r\n"
    ).encode()
    report = book.import_rows(read_csv(data), "clerk")
    assert report.counts["created"] == 1
    debt = book.get_debt("R-1")
    assert (debt.afm, debt.total_cents, debt.category) == (AFM_C, 1620, "rent")


@pytest.mark.parametrize(
    "header,problem",
    [
        ("id;afm;name;category;due_date", "missing columns: amount"),
        ("id;afm;name;category;amount;due_date;surchage", "unknown columns: surchage"),
        ("id;afm;name;category;amount;amount;due_date", "columns given twice: amount"),
        ("κωδικός;id;afm;name;category;amount;due_date", "columns given twice: id"),
        ("just some text", "unknown columns"),
    ],
)
def test_a_malformed_header_refuses_the_whole_file(book, header, problem):
    data = f"{header}\r\nA-1;{AFM_A};Όνομα;rent;10;31/03/2026\r\n".encode()
    with pytest.raises(ImportRefused) as caught:
        read_csv(data)
    assert problem in caught.value.message_en
    assert caught.value.message_el.startswith("Το αρχείο δεν εισήχθη")
    assert caught.value.code == "bad-header"


def test_unreadable_files_are_refused(book):
    greek_ansi = "id;afm;name;category;amount;due_date\r\nA;1;Όνομα;rent;1;1/1/2026\r\n"
    cases = [
        (greek_ansi.encode("cp1253"), "text/csv", "not-utf8"),
        (b"", "text/csv", "empty-file"),
        (b"\xef\xbb\xbf\r\n \r\n", "text/csv", "empty-file"),
        (b'id;afm;name;category;amount;due_date\r\n"unterminated;', "text/csv", "bad-csv"),
        (b"[{]", "application/json", "bad-json"),
        (b'{"id": "A"}', "application/json", "bad-json"),
        (b"id;afm", "application/pdf", "bad-content-type"),
    ]
    for data, content_type, code in cases:
        with pytest.raises(ImportRefused) as caught:
            book.import_rows(read_file(data, content_type), "clerk")
        assert caught.value.code == code, (data, code)
        assert caught.value.message_el and caught.value.message_en
    assert len(book.debts) == 0


def test_json_lists_amounts_exactly_and_refuses_unknown_keys(book):
    data = (
        f'[{{"id": "J-1", "afm": "{AFM_B}", "name": "Ιωάννου Μαρία", "category": "rent",'
        ' "amount": 12.1, "surcharge": 0.07, "due_date": "2026-03-31"},'
        f' {{"id": "J-2", "afm": {AFM_B}, "name": "Ιωάννου Μαρία", "category": "rent",'
        ' "amount": 3, "due_date": "2026-03-31"}]'
    ).encode()
    report = book.import_rows(read_json(data), "clerk")
    assert report.counts["created"] == 2
    assert book.get_debt("J-1").amount_cents == 1210 and book.get_debt("J-1").surcharge_cents == 7
    assert book.get_debt("J-2").amount_cents == 300 and book.get_debt("J-2").afm == AFM_B
    bad = to_json([debt_row("J-3", AFM_B), {**debt_row("J-4", AFM_B), "amount_eur": "1"}])
    with pytest.raises(ImportRefused) as caught:
        book.import_rows(read_json(bad), "clerk")
    assert "amount_eur" in caught.value.message_en and "missing" not in caught.value.message_en
    assert book.get_debt("J-3") is None  # refused as a whole: not even the good row


# --- bad rows ------------------------------------------------------------------------------


def test_bad_rows_are_reported_by_row_and_the_good_ones_imported(book):
    rows = [
        debt_row("OK-1", AFM_A),
        debt_row("BAD-1", "123456789"),  # check digit wrong
        debt_row("BAD-2", AFM_A, amount="-5", due_date="31/02/2026"),
        debt_row("BAD-3", AFM_A, category="parking", amount="12,505"),
        debt_row("bad id", AFM_A),
        debt_row("OK-1", AFM_A, amount="99"),  # the same id again
        debt_row("OK-2", AFM_B, status="whatever"),
        debt_row("OK-3", AFM_B, surcharge=""),
    ]
    data = to_csv(rows) + f"X-1;{AFM_A};too few cells\r\n".encode()
    report = book.import_rows(read_csv(data), "clerk")
    assert report.created == ["OK-1", "OK-3"]
    errors = {(e["row"], e.get("field")) for e in report.errors}
    assert errors == {
        (3, "afm"),
        (4, "amount"),
        (4, "due_date"),
        (5, "category"),
        (5, "amount"),
        (6, "id"),
        (7, None),  # OK-1 again, in row 2
        (8, "status"),
        (10, None),  # too few cells
    }
    by_row = {(e["row"], e["code"]): e for e in report.errors}
    assert "ΑΦΜ" in by_row[(3, "bad-afm")]["message_el"]
    assert "tax number" in by_row[(3, "bad-afm")]["message_en"]
    assert "γραμμή 2" in by_row[(7, "duplicate-row")]["message_el"]
    assert by_row[(7, "duplicate-row")]["messages"]["en"] == "Debt OK-1 is already in row 2."
    assert book.get_debt("OK-1").amount_cents == 1250  # the first row's, not the duplicate's
    assert book.get_debt("OK-3").surcharge_cents == 0
    assert report.to_json()["counts"]["errors"] == len(report.errors) == 9


def test_json_rows_missing_fields_are_row_errors(book):
    rows = [debt_row("J-1", AFM_A), {"id": "J-2", "afm": AFM_A}, "not an object"]
    report = book.import_rows(read_json(to_json(rows)), "clerk")
    assert report.created == ["J-1"]
    assert [(e["row"], e["code"]) for e in report.errors] == [
        (2, "missing-fields"),
        (3, "bad-row"),
    ]
    assert "name, category, amount, due_date" in report.errors[0]["message_en"]


# --- idempotency and conflicts -----------------------------------------------------------------


def test_a_re_import_creates_nothing_and_leaves_no_audit_noise(book):
    first = book.import_rows(read_csv(to_csv(sample_rows())), "clerk")
    sizes = audit_sizes(book)
    again = book.import_rows(read_json(to_json(sample_rows())), "other-clerk")
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 6, "conflicts": 0, "errors": 0}
    assert audit_sizes(book) == sizes
    assert len(book.debts) == len(first.created) == 6


def test_changed_rows_are_updated_and_audited_field_by_field(book):
    book.import_rows(sample_rows(), "clerk")
    rows = sample_rows()
    rows[0].update(amount="130,00", description="ΤΑΠ 2026, διορθωμένο")
    rows[4].update(afm=AFM_C)
    report = book.import_rows(rows, "second-clerk")
    assert sorted(report.updated) == ["2026-0001", "2026-0101"] and report.counts["unchanged"] == 4
    entry = book.get_debt("2026-0001").audit[-1]
    assert entry["who"] == "second-clerk" and entry["action"] == "import-updated"
    assert entry["changes"] == {
        "description": ["Οφειλή 2026-0001", "ΤΑΠ 2026, διορθωμένο"],
        "amount_cents": [12000, 13000],
    }
    assert entry["context"] == {"row": 1}
    assert [d.id for d in book.debts_of(AFM_B)] == ["2026-0102"]  # the AFM index follows
    assert [d.id for d in book.debts_of(AFM_C)] == ["2026-0101"]
    assert book.import_rows(rows, "clerk").counts["unchanged"] == 6


def test_a_debt_in_a_pending_order_is_not_changed_in_amount(book):
    book.import_rows(sample_rows(), "clerk")
    order = book.issue_order(["2026-0001", "2026-0002"], AFM_A, AFM_A, CODE)
    before = audit_sizes(book)
    rows = sample_rows()
    rows[0].update(amount="1,00", description="changed too")
    rows[1].update(status="cancelled")
    rows[2].update(amount="41,00")  # not in the order: updated
    report = book.import_rows(rows, "clerk")
    assert report.updated == ["2026-0003"]
    conflicts = {c["id"]: c for c in report.conflicts}
    assert set(conflicts) == {"2026-0001", "2026-0002"}
    assert conflicts["2026-0001"]["fields"] == {"amount_cents": [12000, 100]}
    assert conflicts["2026-0001"]["reason"] == "pending-order"
    assert conflicts["2026-0001"]["rf"] == order.rf
    assert order.rf in conflicts["2026-0002"]["message_el"]
    assert book.get_debt("2026-0001").amount_cents == 12000
    assert book.get_debt("2026-0001").description == "Οφειλή 2026-0001"  # row not applied at all
    assert book.get_debt("2026-0002").status == "open"
    assert audit_sizes(book)["2026-0001"] == before["2026-0001"]
    assert order.amount_cents == 12000 + 129629
    rows = sample_rows()
    rows[0].update(description="only the text")  # harmless while pending
    rows[2].update(amount="41,00")
    assert book.import_rows(rows, "clerk").updated == ["2026-0001"]


def test_a_paid_debt_is_not_changed_in_amount_or_reopened(book):
    book.import_rows(sample_rows(), "clerk")
    order = book.issue_order(["2026-0004"], AFM_A, AFM_A, CODE)
    now = datetime.datetime.now(datetime.UTC)
    assert book.record_payment(order.rf, 35000, "T-1", now, "gateway", "gw").applied
    rows = sample_rows()
    rows[3].update(amount="300,00")
    report = book.import_rows(rows, "clerk")
    assert report.conflicts[0]["reason"] == "paid" and report.conflicts[0]["row"] == 4
    assert "εξοφλημένη" in report.conflicts[0]["message_el"]
    assert book.get_debt("2026-0004").amount_cents == 35000
    assert book.get_debt("2026-0004").status == "paid"
    rows[3].update(amount="350,00", status="paid")  # the financial system caught up
    assert book.import_rows(rows, "clerk").counts["unchanged"] == 6


def test_status_from_the_financial_system(book):
    book.import_rows(sample_rows(), "clerk")
    rows = sample_rows()
    rows[0].update(status="εξοφλημένη")
    rows[1].update(status="cancelled")
    report = book.import_rows(rows, "clerk")
    assert sorted(report.updated) == ["2026-0001", "2026-0002"]
    paid = book.get_debt("2026-0001")
    assert paid.status == "paid" and paid.paid["channel"] == "financial-system"
    assert book.get_debt("2026-0002").status == "cancelled"
    rows[1].update(status="open")  # reinstated
    assert book.import_rows(rows, "clerk").updated == ["2026-0002"]
    assert book.get_debt("2026-0002").status == "open"


def test_an_id_of_another_source_is_not_overwritten(book):
    fine = Debt(
        "KOK-1",
        source="traffic-fine",
        afm=AFM_A,
        name="Π",
        category="traffic-fine",
        description="",
        amount_cents=4000,
        surcharge_cents=0,
        due_date=datetime.date(2026, 1, 1),
    )
    book.add_debt(fine, "police")
    report = book.import_rows([debt_row("KOK-1", AFM_B)], "clerk")
    assert report.errors[0]["code"] == "other-source"
    assert book.get_debt("KOK-1").afm == AFM_A


def test_ten_thousand_debts_import_and_re_import(book):
    rows = [
        debt_row(f"D-{n:05d}", make_afm(10_000_000 + n // 3), amount=f"{n % 500},{n % 100:02d}")
        for n in range(1, 10_001)
    ]
    rows[0]["amount"] = "1,00"
    data = to_csv(rows)
    assert book.import_rows(read_csv(data), "clerk").counts["created"] == 10_000
    assert book.import_rows(read_csv(data), "clerk").counts["unchanged"] == 10_000
    assert len(book.debts_of(make_afm(10_000_000 + 1))) == 3
    assert book.get_debt("D-00499").total_cents == 499 * 100 + 99


# --- the script ------------------------------------------------------------------------------------


def test_the_script_imports_a_file_on_the_site(portal, tmp_path):
    path = tmp_path / "debts.csv"
    path.write_bytes(to_csv(sample_rows()))
    report = script.import_path(path, "clerk")
    assert report.counts["created"] == 6
    from dimos.payments import ledger

    assert ledger.get_debt("2026-0001").audit[0]["who"] == "clerk"
    json_path = tmp_path / "debts.json"
    json_path.write_bytes(to_json(sample_rows()))
    assert script.import_path(json_path, "clerk").counts["unchanged"] == 6
    assert script.content_type_of("x.JSON") == "application/json"


def test_the_script_as_bin_instance_run_calls_it(functional_app, functional_portal, tmp_path):
    from dimos.payments import ledger

    path = tmp_path / "debts.csv"
    path.write_bytes(to_csv([*sample_rows(), debt_row("BAD", "1")]))
    argv = ["parts/instance/bin/interpreter", "-c", "x/scripts/import_debts.py", str(path)]
    out = io.StringIO()
    args = [*script.script_args(argv), "--user", SITE_OWNER_NAME]
    assert script.main(functional_app, [*args, "--dry-run"], out=out) == 0
    transaction.begin()
    assert ledger.get_debt("2026-0001") is None
    assert script.main(functional_app, args, out=out) == 0
    lines = out.getvalue().splitlines()
    assert "6 νέες" in lines[0] and "6 new" in lines[1]
    assert any("row 8:" in line and "ΑΦΜ" in line for line in lines)
    transaction.begin()
    api.portal.get()  # the script set the site
    assert ledger.get_debt("2026-0001").audit[0]["who"] == SITE_OWNER_NAME
    path.write_bytes(b"id;afm\r\n1;2\r\n")
    assert script.main(functional_app, args, out=out) == 2
