"""The 33 real Diavgeia decisions: intact, their certificates expired since, never called forged.

Each carries Diavgeia's seal (INFORMATICS DEVELOPMENT AGENCY), whose certificate
expired in 2019 and whose root (Hellenic Public Administration Root CA) is not
on our trust list. poppler's pdfsig is the independent second opinion.
"""

from dimos.signing.core.verify import verify_pdf
from io import BytesIO
from pathlib import Path
from PIL import Image

import pytest
import subprocess


FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "decisions"
DECISIONS = sorted((FIXTURES / "diavgeia-samples").glob("*/*.pdf"))


def pdfsig(path):
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def flip_one_signed_byte(data):
    """One byte inside the first content stream (signed by the one signature) changed."""
    data = bytearray(data)
    where = data.find(b"stream", 2000) + 20
    data[where] ^= 0x01
    return bytes(data)


def test_all_33_fixtures_are_there():
    assert len(DECISIONS) == 33


@pytest.mark.parametrize("pdf", DECISIONS, ids=[p.parent.name for p in DECISIONS])
def test_real_decision_is_intact_and_its_certificate_expired(pdf):
    report = verify_pdf(pdf.read_bytes())
    assert report.status == "intact"
    assert len(report.signatures) == 1
    signature = report.signatures[0]
    assert signature.intact and signature.valid and not signature.modified_after
    assert signature.coverage == "entire-file"
    assert signature.signer == "INFORMATICS DEVELOPMENT AGENCY"
    assert signature.certificate_expired
    assert signature.chain == "untrusted"  # HPARCA is not on our list: not "forged"
    assert "not forged" in signature.messages["en"]
    assert "δεν είναι πλαστή" in signature.messages["el"]
    assert signature.signed_at.year < 2019 <= int(signature.certificate["not_after"][:4])
    assert "Signature is Valid." in pdfsig(pdf)


def test_one_changed_byte_is_modified_for_us_and_for_pdfsig(tmp_path):
    original = DECISIONS[0]
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(flip_one_signed_byte(original.read_bytes()))
    report = verify_pdf(changed.read_bytes())
    assert report.status == "modified"
    assert not report.signatures[0].intact
    assert report.messages["en"].startswith("Modified")
    said = pdfsig(changed)
    assert "Signature Validation: Digest Mismatch." in said
    assert "Signature is Valid." not in said


def test_not_a_pdf_and_unsigned_pdf_are_told_apart():
    assert verify_pdf(b"GIF89a...").status == "not-pdf"
    assert verify_pdf(b"").messages["el"] == "Το αρχείο δεν είναι PDF."
    out = BytesIO()
    Image.new("L", (100, 100), 255).save(out, "PDF")
    report = verify_pdf(out.getvalue())
    assert report.status == "unsigned"
    assert "no digital signature" in report.messages["en"]
