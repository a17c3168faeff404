"""What goes into the pipeline and what comes out: frozen dataclasses and typed errors.

Plain Python: no Zope, no Plone. The ingest command, the Celery task, the
benchmark and the Plone side (through ``payload``) all speak these types.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from pathlib import Path


# Kinds of input the preflight accepts.
KINDS = ("pdf", "tiff", "png", "jpeg")

# Where a page's text came from.
TEXT_LAYER = "text-layer"
OCR = "ocr"

MONOTONIC = "monotonic"
POLYTONIC = "polytonic"


class PipelineError(Exception):
    """A failure the pipeline names: ``code`` for programs, Greek and English for people."""

    code = "pipeline-error"

    def __init__(self, message_el, message_en, code=None):
        if code is not None:
            self.code = code
        self.message_el = message_el
        self.message_en = message_en
        super().__init__(f"{message_el} / {message_en}")


class Rejected(PipelineError):
    """The file cannot be digitized as it is; it goes to quarantine with this reason.

    Codes: ``empty``, ``truncated``, ``corrupt``, ``encrypted``, ``low-dpi``,
    ``page-too-large``, ``unsupported-format``.
    """

    code = "rejected"


class OcrFailed(PipelineError):
    """tesseract or poppler failed on a file that passed preflight."""

    code = "ocr-failed"


@dataclass(frozen=True)
class Limits:
    """What preflight accepts."""

    min_dpi: int = 150
    # A0 is 841 x 1189 mm; anything larger is not a page of the council's archive.
    max_page_mm: tuple = (900.0, 1300.0)
    max_pixels: int = 200_000_000
    max_pages: int = 2000


@dataclass(frozen=True)
class Options:
    """How the pipeline reads a document."""

    dpi: int = 300
    # "ell" for every page; pages that look polytonic (or documents from before
    # ``polytonic_before_year``) also try the models in ``polytonic_languages``
    # and keep the one that measures best.
    language: str = "ell"
    polytonic_languages: tuple = ("grc", "ell+grc")
    polytonic_before_year: int = 1982
    # Pages whose mean word confidence (0-100) is below this are flagged for review.
    review_below: float = 70.0
    jpeg_quality: int = 80
    # "tesseract", or "stand-in" (benchmarks of the ingest's memory only: no OCR,
    # the text layer or an empty page is returned).
    engine: str = "tesseract"
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class ManifestEntry:
    """One row of the operator's CSV manifest: what is known about a file before reading it."""

    file: str
    body: str = ""
    decision_number: int | None = None
    decision_year: int | None = None
    meeting_date: date | None = None
    subject: str = ""


@dataclass(frozen=True)
class Job:
    source: Path
    workdir: Path
    manifest: ManifestEntry | None = None
    options: Options = field(default_factory=Options)


@dataclass(frozen=True)
class Preflight:
    """A file that passed preflight."""

    path: Path
    kind: str  # one of KINDS
    sha256: str
    size: int
    page_count: int
    # Per page (width, height) in millimetres, and the image DPI (None for PDFs).
    page_sizes_mm: tuple = ()
    dpi: tuple | None = None


@dataclass(frozen=True)
class TextQuality:
    """Verdict on a PDF page's text layer."""

    usable: bool
    # None when usable; else "empty", "garbled-glyph-mapping", "legacy-8bit-mojibake",
    # "latin-lookalikes", "too-little-text".
    problem: str | None
    score: float  # 0..1, the share of words that look like real Greek/Latin words


@dataclass(frozen=True)
class PageResult:
    number: int  # 1-based
    text: str
    source: str  # TEXT_LAYER or OCR
    language: str | None  # tesseract model used: "ell", "grc", "ell+grc"; None for text layer
    script: str  # MONOTONIC or POLYTONIC
    confidence: float | None  # mean word confidence 0..100; None for text layer
    flagged: bool  # needs a clerk's review
    rotation: int = 0  # degrees turned to make the page upright
    skew: float = 0.0  # degrees of deskew applied
    text_layer_problem: str | None = None  # why the text layer was not used
    hocr: str | None = None  # artefact file name in the work folder


@dataclass(frozen=True)
class Reference:
    """A decision the text refers to: "τροποποίηση της υπ' αριθμ. 45/1979 απόφασης"."""

    number: int
    year: int
    relation: str = "refers"  # "amends", "repeals" or "refers"


@dataclass(frozen=True)
class DecisionMetadata:
    decision_number: int | None = None
    decision_year: int | None = None
    meeting_date: date | None = None
    body: str = ""
    subject: str = ""
    references: tuple = ()  # of Reference


@dataclass(frozen=True)
class DocumentResult:
    sha256: str
    source: Path
    kind: str
    pages: tuple  # of PageResult
    searchable_pdf: Path
    metadata: DecisionMetadata
    workdir: Path
    seconds: float = 0.0

    @property
    def flagged_pages(self):
        return tuple(page.number for page in self.pages if page.flagged)

    @property
    def text(self):
        return "\n\n".join(page.text for page in self.pages)
