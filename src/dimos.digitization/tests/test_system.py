"""The OS packages the digitization pipeline needs are really there and usable."""

from dimos.digitization.tools import system

import pytest


def test_probe_finds_tesseract_greek_models_and_poppler():
    found = system.probe()
    assert {"ell", "grc"} <= found.languages
    assert int(found.tesseract_version.split(".")[0]) >= 5
    assert found.poppler_version


def test_probe_names_what_is_missing(monkeypatch):
    monkeypatch.setattr(system, "REQUIRED_LANGUAGES", ("ell", "xyz-not-a-model"))
    with pytest.raises(system.MissingSystemDependency) as raised:
        system.probe()
    assert raised.value.missing == ("tesseract-ocr-xyz-not-a-model",)
    assert "apt-get install" in str(raised.value)


def test_probe_names_a_missing_program(monkeypatch):
    monkeypatch.setattr(system, "REQUIRED_PROGRAMS", ("tesseract", "no-such-program-dimos"))
    with pytest.raises(system.MissingSystemDependency) as raised:
        system.probe()
    assert raised.value.missing == ("no-such-program-dimos",)
