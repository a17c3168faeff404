"""Receipts drawn as PDF: the Greek text and the amounts can be read back by poppler.

Pure unit tests: no Plone site; ``pdftotext`` (poppler-utils) reads the PDF.
The fonts' subset is shared between receipts (settlement/fonts.py): every
receipt must still carry exactly the glyphs and the text it shows.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from datetime import datetime
from datetime import UTC
from dimos.payments.bilingual import BilingualError
from dimos.payments.money import format_amount
from dimos.payments.receipts import FONT_REGULAR
from dimos.payments.receipts import ReceiptData
from dimos.payments.receipts import ReceiptError
from dimos.payments.receipts import ReceiptLine
from dimos.payments.receipts import render_receipt
from dimos.payments.settlement.fonts import FontProgram
from fontTools.cffLib import CFFFontSet
from io import BytesIO
from pyhanko.pdf_utils.reader import PdfFileReader

import dataclasses
import pytest
import subprocess


RF = "RF18 5390 0754 7034"
AFM = "094259216"


def receipt(**changes):
    values = dict(
        municipality="Δήμος Ελαιώνα",
        number="2026/000123",
        rf_code=RF,
        paid_at=datetime(2026, 3, 2, 8, 15, tzinfo=UTC),  # 10:15 in Athens
        channel="gateway",
        transaction_id="SBX-7F3A-0042",
        payer_name="Γεώργιος Παπαδόπουλος",
        payer_afm=AFM,
        debts=(
            ReceiptLine(
                "Τέλη καθαριότητας",
                "Τέλη καθαριότητας και φωτισμού 2025, ακίνητο οδού Αθηνάς 12, Ελαιώνας",
                123456,
            ),
            ReceiptLine("Πρόστιμα ΚΟΚ", "Κλήση στάθμευσης αρ. 5531", 4000),
        ),
        total_cents=127456,
    )
    values.update(changes)
    return ReceiptData(**values)


def pdftotext(pdf, tmp_path, layout=False):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    options = ["-layout"] if layout else []
    done = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def test_the_receipt_reads_back_in_greek_with_its_amounts(tmp_path):
    pdf = render_receipt(receipt())
    assert pdf.startswith(b"%PDF-")
    text = pdftotext(pdf, tmp_path)
    for words in (
        "Δήμος Ελαιώνα",
        "ΑΠΟΔΕΙΞΗ ΠΛΗΡΩΜΗΣ",
        "Αρ. 2026/000123",
        "Γεώργιος Παπαδόπουλος",
        AFM,  # in full: the receipt goes to the payer
        RF,
        "02/03/2026 10:15",  # Athens time
        "Κάρτα, μέσω της πύλης πληρωμών",
        "SBX-7F3A-0042",
        "Τέλη καθαριότητας",
        "Κλήση στάθμευσης αρ. 5531",
        "Σύνολο / Total",
        "1.234,56 €",
        "40,00 €",
        "1.274,56 €",
    ):
        assert words in text, words


def test_each_debt_is_on_one_line_with_its_amount(tmp_path):
    text = pdftotext(render_receipt(receipt()), tmp_path, layout=True)
    lines = text.splitlines()
    assert any("Πρόστιμα ΚΟΚ" in line and line.rstrip().endswith("40,00 €") for line in lines)
    assert any("Σύνολο / Total" in line and line.rstrip().endswith("1.274,56 €") for line in lines)


def test_the_fonts_are_embedded_with_a_unicode_map():
    reader = PdfFileReader(BytesIO(render_receipt(receipt())))
    fonts = [
        font.get_object()
        for font in reader.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].values()
    ]
    names = sorted(str(font["/BaseFont"]).split("+")[-1] for font in fonts)
    assert names == ["NimbusSans-Bold-Identity-H", "NimbusSans-Regular-Identity-H"]
    for font in fonts:
        assert "/ToUnicode" in font
        assert "/FontFile3" in font["/DescendantFonts"][0]["/FontDescriptor"]
    assert reader.root["/Lang"] == "el-GR"


def test_many_debts_run_onto_numbered_pages(tmp_path):
    debts = tuple(
        ReceiptLine("Τέλη ύδρευσης", f"Λογαριασμός νερού, τρίμηνο {n}", 1000 + n)
        for n in range(1, 61)
    )
    data = receipt(debts=debts, total_cents=sum(d.amount_cents for d in debts))
    pdf = render_receipt(data)
    reader = PdfFileReader(BytesIO(pdf))
    count = int(reader.root["/Pages"]["/Count"])
    assert count >= 2
    text = pdftotext(pdf, tmp_path)
    assert f"Σελίδα {count} από {count}" in text
    for n in (1, 30, 60):
        assert f"Λογαριασμός νερού, τρίμηνο {n}" in text
    assert format_amount(data.total_cents) in text
    second = text.split("\f")[1]  # pdftotext ends each page with a form feed
    assert "Απόδειξη πληρωμής / Payment receipt 2026/000123" in second
    assert "Κατηγορία / Category" in second  # the table's head again


def test_long_descriptions_are_wrapped_not_cut(tmp_path):
    long = "Οφειλή από " + " ".join(["παραχώρηση"] * 30) + " τέλος"
    data = receipt(debts=(ReceiptLine("Μισθώματα", long, 5000),), total_cents=5000)
    text = " ".join(pdftotext(render_receipt(data), tmp_path).split())
    assert long in text


@pytest.mark.parametrize(
    "changes,code",
    [
        ({"rf_code": "RF19 5390 0754 7034"}, "bad-rf-code"),
        ({"payer_afm": "123456789"}, "bad-afm"),
        ({"total_cents": 127457}, "total-mismatch"),
        ({"total_cents": 1274.56}, "bad-amount"),
        ({"paid_at": datetime(2026, 3, 2, 10, 15)}, "bad-time"),
        ({"debts": ()}, "no-debts"),
        ({"number": " "}, "missing-field"),
    ],
)
def test_wrong_data_makes_no_receipt(changes, code):
    with pytest.raises(ReceiptError) as raised:
        receipt(**changes)
    assert raised.value.code == code
    assert raised.value.message_el != raised.value.message_en
    assert set(raised.value.messages()) == {"el", "en"}
    assert isinstance(raised.value, BilingualError)  # the REST services' error_reply shows it
    assert raised.value.to_json("en")["message"] == raised.value.message_en


def test_a_bank_file_payment_has_a_date_only(tmp_path):
    data = receipt(paid_at=date(2026, 3, 2), channel="bank-file")
    text = pdftotext(render_receipt(data), tmp_path)
    assert "02/03/2026" in text
    assert "Τράπεζα, με τον κωδικό RF / Bank, with the RF code" in text


def test_an_amount_in_euros_as_a_float_is_refused():
    with pytest.raises(ReceiptError) as raised:
        ReceiptLine("Πρόστιμα ΚΟΚ", "Κλήση", 40.0)
    assert raised.value.code == "bad-amount"
    assert "λεπτών" in raised.value.message_el


def test_codes_are_kept_compact_and_the_file_name_is_ascii():
    data = receipt(rf_code="rf18 5390 0754 7034", payer_afm="EL 094259216")
    assert data.rf_code == "RF18539007547034"
    assert data.payer_afm == AFM
    assert data.filename == "apodeixi-2026-000123.pdf"
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.total_cents = 1


def embedded_fonts(pdf):
    """{base font name: (its CFF program's bytes, glyph names with outlines)} of page 1."""
    reader = PdfFileReader(BytesIO(pdf))
    found = {}
    for font in reader.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0]["/FontDescriptor"]
        program = descriptor["/FontFile3"].get_object().data
        cff = CFFFontSet()
        cff.decompile(BytesIO(program), None)
        strings = cff[cff.fontNames[0]].CharStrings
        drawn = {name for name in strings.keys() if len(strings[name].bytecode or b"") > 1}
        found[str(font["/BaseFont"])] = (program, drawn)
    return found


def test_receipts_in_greek_share_one_font_subset_and_read_back_apart(tmp_path):
    first = render_receipt(receipt())
    other = receipt(payer_name="Ελένη Ζαχαρίου", transaction_id="BANK-9", number="2026/000124")
    second = render_receipt(other)
    assert embedded_fonts(first) == embedded_fonts(second)  # the same subset, the same tag
    assert "Γεώργιος Παπαδόπουλος" in pdftotext(first, tmp_path)
    text = pdftotext(second, tmp_path)
    assert "Ελένη Ζαχαρίου" in text and "BANK-9" in text and "Γεώργιος" not in text


def test_a_letter_outside_the_shared_subset_gets_a_subset_of_its_own(tmp_path):
    data = receipt(
        payer_name="Zoë Müller-Ñúñez",
        debts=(ReceiptLine("Μισθώματα", "Café «Ωκεανός»", 5000),),
        total_cents=5000,
    )
    pdf = render_receipt(data)
    text = pdftotext(pdf, tmp_path)
    assert "Zoë Müller-Ñúñez" in text and "Café «Ωκεανός»" in text
    shared = embedded_fonts(render_receipt(receipt()))
    own = embedded_fonts(pdf)
    assert set(own) != set(shared)  # another subset tag: not the shared program
    for name, (_program, drawn) in own.items():
        assert len(drawn) < 120, name  # only what this receipt shows (and .notdef)


def test_threads_draw_receipts_at_once_each_with_its_own_text(tmp_path):
    program = FontProgram(FONT_REGULAR)  # a fresh one: its subset is built on first use
    with ThreadPoolExecutor(max_workers=6) as pool:
        shared = set(map(id, pool.map(lambda _n: program.shared(), range(12))))
    assert len(shared) == 1  # built once, whichever thread came first

    def draw(number):
        data = receipt(number=f"2026/{number:06d}", transaction_id=f"SBX-{number}")
        return number, render_receipt(data)

    with ThreadPoolExecutor(max_workers=6) as pool:
        drawn = list(pool.map(draw, range(1, 13)))
    for number, pdf in drawn:
        text = pdftotext(pdf, tmp_path)
        assert f"Αρ. 2026/{number:06d}" in text and f"SBX-{number}\n" in text
