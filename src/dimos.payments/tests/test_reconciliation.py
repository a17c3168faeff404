"""Reading the bank's reconciliation file, without a site: columns, amounts, bad lines."""

from dimos.payments import reconciliation
from dimos.payments.reconciliation import BankLine
from dimos.payments.reconciliation import FileRefused
from dimos.payments.reconciliation import LineResult

import datetime
import pytest


RF_A = "RF18539007547034"
RF_B = "RF712348231"
HEADER_EL = "ημερομηνία;αναφορά;κωδικός RF;ποσό;κανάλι"


def lines(text, encoding="utf-8"):
    return reconciliation.read_lines(text.encode(encoding))


def test_the_documented_example_in_greek_with_a_bom():
    read = lines(
        "\ufeff" + HEADER_EL + "\r\n"
        f"02/03/2026;SBX-4F2A01B3C9D8;{RF_A[:4]} {RF_A[4:8]} {RF_A[8:12]} {RF_A[12:]};12,50;card\r\n"
        f"2026-03-02;EB20260302-000731;{RF_B.lower()};1.234,56;e-banking\r\n"
    )
    assert read == [
        BankLine(2, datetime.date(2026, 3, 2), "SBX-4F2A01B3C9D8", RF_A, 1250, "card"),
        BankLine(3, datetime.date(2026, 3, 2), "EB20260302-000731", RF_B, 123456, "e-banking"),
    ]


def test_english_names_any_order_tabs_no_channel_and_windows_1253():
    read = lines(f"Amount\tRF\tBank_Reference\tDate\n12.50\t{RF_A}\tREF-1\t02/03/2026\n")
    assert read == [BankLine(2, datetime.date(2026, 3, 2), "REF-1", RF_A, 1250, "")]
    greek = lines(HEADER_EL + f"\n02/03/2026;REF-2;{RF_A};7,00;κατάστημα\n", encoding="cp1253")
    assert greek[0].channel == "κατάστημα" and greek[0].amount_cents == 700


def test_comments_and_blank_lines_keep_the_file_line_numbers():
    read = lines(f"# ΔΗΜΟΣ 9912\n{HEADER_EL}\n\n{'02/03/2026'};REF-3;{RF_A};1,00;atm\n")
    assert [line.number for line in read] == [4]


@pytest.mark.parametrize(
    "cells,code_el",
    [
        (f"31/02/2026;REF;{RF_A};12,50;card", "ημερομηνία"),
        (f"02/03/2026;REF 1;{RF_A};12,50;card", "αναφορά"),
        ("02/03/2026;REF;RF19539007547034;12,50;card", "RF"),
        (f"02/03/2026;REF;{RF_A};12,505;card", "ποσό"),
        (f"02/03/2026;REF;{RF_A};1.234;card", "ασαφές"),  # a thousand, or one euro and change?
        (f"02/03/2026;REF;{RF_A};-12,50;card", "αρνητικά"),
        (f"02/03/2026;REF;{RF_A};0,00;card", "Μηδενικό"),
        (f"02/03/2026;;{RF_A};12,50;card", "Λείπει"),
        (f"02/03/2026;REF;{RF_A};12,50", "κελιά"),
    ],
)
def test_malformed_lines_are_reported_with_their_number_and_the_rest_read(cells, code_el):
    read = lines(f"{HEADER_EL}\n{cells}\n02/03/2026;GOOD;{RF_A};12,50;card\n")
    bad, good = read
    assert isinstance(bad, LineResult) and bad.category == "malformed"
    assert bad.number == 2 and bad.message_el.startswith("Γραμμή 2: ")
    assert code_el in bad.message_el
    assert bad.message_en.startswith("Line 2: ")
    assert bad.to_json("en")["message"] == bad.message_en and bad.to_json()["text"] == cells
    assert isinstance(good, BankLine) and good.reference == "GOOD"


@pytest.mark.parametrize(
    "header,words",
    [
        ("ημερομηνία;αναφορά;ποσό", ("λείπουν", "rf")),
        ("date;bank_reference;rf;amount;iban", ("άγνωστες", "iban")),
        ("date;reference;bank_reference;rf;amount", ("δύο φορές", "bank_reference")),
    ],
)
def test_a_wrong_header_refuses_the_whole_file(header, words):
    with pytest.raises(FileRefused) as caught:
        lines(f"{header}\n02/03/2026;REF;{RF_A};12,50\n")
    assert caught.value.code == "bad-header"
    assert all(word in caught.value.message_el for word in words)
    assert caught.value.message_en.startswith("The file's header line is wrong")


def test_empty_and_unreadable_files_are_refused():
    for data in (b"", b"\n\n# only a comment\n"):
        with pytest.raises(FileRefused) as caught:
            reconciliation.read_lines(data)
        assert caught.value.code == "empty-file"
    with pytest.raises(FileRefused) as caught:
        reconciliation.read_lines(b"\x81\x8d\x8f\x90\n")
    assert caught.value.code == "bad-encoding"
