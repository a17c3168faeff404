"""The one runner of external programs: failures become OcrFailed naming the program."""

from dimos.digitization.pipeline.model import OcrFailed
from dimos.digitization.tools import poppler
from dimos.digitization.tools import process

import pytest


def test_stdout_comes_back_as_bytes():
    assert process.run(["pdfinfo", "-v"], timeout=30) == b""  # pdfinfo -v writes to stderr


def test_a_failing_program_is_named_with_its_last_error_line(tmp_path):
    with pytest.raises(OcrFailed) as caught:
        poppler.run("pdftotext", [tmp_path / "missing.pdf", "-"])
    assert caught.value.message_el.startswith("Το pdftotext απέτυχε: ")
    assert "missing.pdf" in caught.value.message_en


def test_a_program_that_is_not_installed_is_an_ocr_failure():
    with pytest.raises(OcrFailed) as caught:
        process.run(["dimos-no-such-program"], timeout=30)
    assert "dimos-no-such-program did not finish" in caught.value.message_en
