"""What the OS gives the digitization pipeline: tesseract with its Greek
models, poppler and qpdf. No Zope imports: the batch scripts call this before they
start, so an operator learns at once what is missing, not at page 3,000.
"""

from dataclasses import dataclass

import re
import shutil
import subprocess


REQUIRED_LANGUAGES = ("ell", "grc")
REQUIRED_PROGRAMS = ("tesseract", "pdftoppm", "pdfinfo", "pdfimages", "pdftotext", "qpdf")
INSTALL_HINT = (
    "sudo apt-get install tesseract-ocr tesseract-ocr-ell tesseract-ocr-grc poppler-utils qpdf"
)


class MissingSystemDependency(RuntimeError):
    """A program or an OCR language the pipeline needs is not installed."""

    code = "missing-system-dependency"

    def __init__(self, missing):
        self.missing = tuple(missing)
        super().__init__(
            f"Λείπουν / Missing: {', '.join(self.missing)}. Install with: {INSTALL_HINT}"
        )


@dataclass(frozen=True)
class OcrSystem:
    tesseract_version: str
    languages: frozenset
    poppler_version: str


def _first_version(text):
    match = re.search(r"(\d+\.\d+(?:\.\d+)?)", text)
    return match.group(1) if match else ""


def probe():
    """Check the programs and languages; raise MissingSystemDependency if any is absent."""
    missing = [name for name in REQUIRED_PROGRAMS if shutil.which(name) is None]
    if missing:
        raise MissingSystemDependency(missing)
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True)
    langs = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=True
    )
    languages = frozenset(line.strip() for line in langs.stdout.splitlines()[1:] if line.strip())
    missing = [f"tesseract-ocr-{lang}" for lang in REQUIRED_LANGUAGES if lang not in languages]
    if missing:
        raise MissingSystemDependency(missing)
    poppler = subprocess.run(["pdftoppm", "-v"], capture_output=True, text=True)
    return OcrSystem(
        tesseract_version=_first_version(version.stdout + version.stderr),
        languages=languages,
        poppler_version=_first_version(poppler.stdout + poppler.stderr),
    )
