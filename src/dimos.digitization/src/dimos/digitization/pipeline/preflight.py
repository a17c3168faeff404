"""Preflight: what is this file, can we read it, and is it a page we should read?

A file that passes comes back as a ``Preflight`` (kind, sha256, pages, page
sizes, DPI); one that does not raises ``Rejected`` with a code and a message
telling the operator what is wrong and what to do. The format is found by the
file's first bytes, never by its name. Images are never decoded in full here:
sizes and resolutions come from the headers, so a decompression bomb costs
nothing.
"""

from dimos.digitization.pipeline.model import Limits
from dimos.digitization.pipeline.model import Preflight
from dimos.digitization.pipeline.model import Rejected
from pathlib import Path
from PIL import Image
from PIL import ImageSequence

import hashlib
import json
import re
import struct
import subprocess
import warnings


DEFAULT_LIMITS = Limits()  # frozen: safe as a default
CHUNK = 1 << 20
MM_PER_INCH = 25.4
MM_PER_POINT = MM_PER_INCH / 72
# An image without a resolution is measured as if it were an A4 page (297 mm long side).
A4_LONG_MM = 297.0
# Where "%%EOF" must appear in a complete PDF (the spec allows 1024 bytes; be generous).
PDF_TAIL = 4096
PDFINFO_TIMEOUT = 120

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
)
_PAGE_SIZE = re.compile(r"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)
_PAGES = re.compile(r"^Pages:\s+(\d+)", re.MULTILINE)


def preflight(path, limits=DEFAULT_LIMITS, workdir=None):
    """Check ``path`` and describe it; raise ``Rejected`` if it cannot be digitized."""
    path = Path(path)
    size = _size(path)
    if size == 0:
        raise Rejected(
            f"Το αρχείο {path.name} είναι κενό (0 bytes)· σαρώστε ξανά το έγγραφο.",
            f"The file {path.name} is empty (0 bytes); scan the document again.",
            code="empty",
        )
    kind = detect_kind(path)
    if kind == "pdf":
        page_count, sizes, dpi = _check_pdf(path, size, limits)
    else:
        page_count, sizes, dpi = _check_image(path, kind, limits)
    result = Preflight(
        path=path,
        kind=kind,
        sha256=sha256(path),
        size=size,
        page_count=page_count,
        page_sizes_mm=sizes,
        dpi=dpi,
    )
    if workdir is not None:
        write_json(result, Path(workdir) / "preflight.json")
    return result


def _size(path):
    try:
        return path.stat().st_size
    except OSError as error:
        raise Rejected(
            f"Το αρχείο {path.name} δεν διαβάζεται ({error.strerror})· ελέγξτε ότι υπάρχει "
            "και ότι έχετε δικαίωμα ανάγνωσης.",
            f"The file {path.name} cannot be read ({error.strerror}); check that it exists "
            "and that you may read it.",
            code="unreadable",
        ) from error


def detect_kind(path):
    """ "pdf", "tiff", "png" or "jpeg", from the file's first bytes; else ``Rejected``."""
    with open(path, "rb") as stream:
        head = stream.read(1024)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    # The PDF header may follow a little junk (the spec allows it within the first 1024 bytes).
    if b"%PDF-" in head:
        return "pdf"
    raise Rejected(
        f"Το αρχείο {path.name} δεν είναι PDF, TIFF, PNG ή JPEG· αποθηκεύστε τη σάρωση "
        "σε μία από αυτές τις μορφές.",
        f"The file {path.name} is not a PDF, TIFF, PNG or JPEG; save the scan in one "
        "of these formats.",
        code="unsupported-format",
    )


def sha256(path):
    """The file's SHA-256 in hex, read in chunks (a 2 GB scan never sits in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_json(result, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "path": str(result.path),
        "kind": result.kind,
        "sha256": result.sha256,
        "size": result.size,
        "page_count": result.page_count,
        "page_sizes_mm": [list(pair) for pair in result.page_sizes_mm],
        "dpi": list(result.dpi) if result.dpi is not None else None,
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


# PDF


def _pdfinfo(path, *options):
    """Run poppler's pdfinfo; (return code, output, errors)."""
    try:
        done = subprocess.run(
            ["pdfinfo", *options, str(path)],
            capture_output=True,
            timeout=PDFINFO_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -1, "", "pdfinfo timed out"
    decode = lambda data: data.decode("utf-8", "replace")  # noqa: E731
    return done.returncode, decode(done.stdout), decode(done.stderr)


def _check_pdf(path, size, limits):
    with open(path, "rb") as stream:
        stream.seek(max(0, size - PDF_TAIL))
        tail = stream.read()
    if b"%%EOF" not in tail:
        raise Rejected(
            f"Το PDF {path.name} είναι ελλιπές (κόπηκε πριν το τέλος του)· αντιγράψτε "
            "ή σαρώστε το ξανά.",
            f"The PDF {path.name} is truncated (it stops before its end); copy or scan it again.",
            code="truncated",
        )
    code, out, err = _pdfinfo(path)
    if "password" in err.lower() or "encrypted" in err.lower():
        raise Rejected(
            f"Το PDF {path.name} προστατεύεται με κωδικό· αφαιρέστε τον κωδικό "
            "(ή εξάγετε ξανά το PDF χωρίς κωδικό) και βάλτε το ξανά στον φάκελο.",
            f"The PDF {path.name} is password-protected; remove the password (or export "
            "the PDF again without one) and put it back in the folder.",
            code="encrypted",
        )
    match = _PAGES.search(out)
    if code != 0 or match is None or int(match.group(1)) == 0:
        detail = (err.strip().splitlines() or ["no pages"])[-1][:200]
        raise _corrupt(path, detail)
    page_count = int(match.group(1))
    _check_page_count(path, page_count, limits)
    code, out, err = _pdfinfo(path, "-f", "1", "-l", str(page_count))
    sizes = tuple(
        (round(float(w) * MM_PER_POINT, 1), round(float(h) * MM_PER_POINT, 1))
        for _, w, h in _PAGE_SIZE.findall(out)
    )
    if code != 0 or len(sizes) != page_count:
        raise _corrupt(path, (err.strip().splitlines() or ["page sizes unreadable"])[-1][:200])
    for number, page_mm in enumerate(sizes, start=1):
        _check_page_mm(path, number, page_mm, limits)
    return page_count, sizes, None


def _corrupt(path, detail):
    return Rejected(
        f"Το αρχείο {path.name} είναι κατεστραμμένο και δεν ανοίγει ({detail})· "
        "σαρώστε ή εξάγετε το ξανά.",
        f"The file {path.name} is corrupt and cannot be opened ({detail}); scan or "
        "export it again.",
        code="corrupt",
    )


def _check_page_count(path, page_count, limits):
    if page_count > limits.max_pages:
        raise Rejected(
            f"Το αρχείο {path.name} έχει {page_count} σελίδες, περισσότερες από το όριο "
            f"των {limits.max_pages}· χωρίστε το σε μικρότερα αρχεία.",
            f"The file {path.name} has {page_count} pages, more than the limit of "
            f"{limits.max_pages}; split it into smaller files.",
            code="too-many-pages",
        )


def _check_page_mm(path, number, page_mm, limits):
    width, height = page_mm
    low, high = sorted(limits.max_page_mm)
    if min(width, height) <= low and max(width, height) <= high:
        return
    raise Rejected(
        f"Η σελίδα {number} του {path.name} είναι {width:.0f} × {height:.0f} mm, "
        f"μεγαλύτερη από το όριο {low:.0f} × {high:.0f} mm· ελέγξτε τη ρύθμιση "
        "μεγέθους ή ανάλυσης του σαρωτή και σαρώστε ξανά.",
        f"Page {number} of {path.name} is {width:.0f} × {height:.0f} mm, larger than "
        f"the limit of {low:.0f} × {high:.0f} mm; check the scanner's size or "
        "resolution setting and scan again.",
        code="page-too-large",
    )


# Images


def _check_image(path, kind, limits):
    """Open the image lazily (headers only), check every frame; (pages, sizes, dpi)."""
    if kind == "tiff":
        _check_tiff_directories(path, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning, corrupt EXIF...
            with Image.open(path) as image:
                return _check_frames(path, kind, image, limits)
    except Image.DecompressionBombError as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        detail = f"{int(pixels.group(1)):,} pixels" if pixels else str(error)
        raise _too_many_pixels(path, 1, detail, limits) from error
    except Rejected:
        raise
    except Exception as error:  # noqa: BLE001 - whatever Pillow raises, the batch goes on
        if "truncated" in str(error).lower() or isinstance(error, EOFError):
            raise _truncated_image(path, str(error)) from error
        raise _corrupt(path, f"{type(error).__name__}: {error}"[:200]) from error


def _check_tiff_directories(path, limits):
    """Walk a classic TIFF's chain of page directories: one that lies past the end of the
    file means the file was cut short (writers often put the directories last)."""
    size = path.stat().st_size
    with open(path, "rb") as stream:
        head = stream.read(8)
        if head[2:4] in (b"+\x00", b"\x00+"):
            return  # BigTIFF: left to Pillow
        order = "<" if head[:2] == b"II" else ">"
        (offset,) = struct.unpack(order + "I", head[4:8])
        for _ in range(limits.max_pages + 1):
            if offset == 0:
                return
            stream.seek(offset)
            raw = stream.read(2)
            count = struct.unpack(order + "H", raw)[0] if len(raw) == 2 else 0
            end = offset + 2 + 12 * count + 4
            if len(raw) < 2 or end > size:
                raise _truncated_image(path, f"page directory at byte {offset} of {size}")
            stream.seek(end - 4)
            (offset,) = struct.unpack(order + "I", stream.read(4))


def _check_frames(path, kind, image, limits):
    count = getattr(image, "n_frames", 1)
    _check_page_count(path, count, limits)
    sizes, dpis = [], []
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        width, height = frame.size
        if width * height > limits.max_pixels:
            raise _too_many_pixels(path, number, f"{width} × {height} pixels", limits)
        dpi, declared = image_dpi(frame)
        if dpi < limits.min_dpi:
            raise _low_dpi(path, number, dpi, declared, limits)
        page_mm = (round(width / dpi * MM_PER_INCH, 1), round(height / dpi * MM_PER_INCH, 1))
        _check_page_mm(path, number, page_mm, limits)
        _check_data(path, kind, frame)
        sizes.append(page_mm)
        dpis.append(round(dpi))
    if kind == "png":
        _verify(path)
    return count, tuple(sizes), tuple(dpis)


def image_dpi(image):
    """(dpi, declared): the image's resolution from JFIF/pHYs/TIFF/EXIF tags, or, when it
    declares none, the resolution it would have as an A4 page (``declared`` False)."""
    dpi = image.info.get("dpi")
    if dpi:
        value = min(float(dpi[0] or 0), float(dpi[1] or 0))
        # 1 and 72 are what software writes when it knows nothing; 72 is kept (it is a
        # real, too low, resolution), values below 10 mean "unknown".
        if value >= 10:
            return value, True
    return max(image.size) / (A4_LONG_MM / MM_PER_INCH), False


def _check_data(path, kind, frame):
    """Is the frame's data all there? Cheap checks only: no full decode."""
    if kind == "tiff":
        tags = frame.tag_v2
        offsets = tags.get(273) or tags.get(324) or ()
        counts = tags.get(279) or tags.get(325) or ()
        end = max((o + c for o, c in zip(offsets, counts, strict=False)), default=0)
        if end > path.stat().st_size:
            raise _truncated_image(path, f"data ends at byte {path.stat().st_size} of {end}")
    elif kind == "jpeg":
        # The end-of-image marker cannot occur inside the coded data (bytes are stuffed),
        # so a file without one near its end was cut short.
        with open(path, "rb") as stream:
            stream.seek(max(0, path.stat().st_size - PDF_TAIL))
            if b"\xff\xd9" not in stream.read():
                raise _truncated_image(path, "no end-of-image marker")
        # Decode at 1/8 scale: fast, and a damaged stream still fails.
        frame.draft("L", (max(1, frame.size[0] // 8), max(1, frame.size[1] // 8)))
        frame.load()


def _verify(path):
    """PNG: walk the chunks and check their CRCs (a cut file ends before IEND)."""
    with Image.open(path) as image:
        image.verify()


def _too_many_pixels(path, number, detail, limits):
    return Rejected(
        f"Η σελίδα {number} του {path.name} έχει υπερβολικά πολλά pixel ({detail}· όριο "
        f"{limits.max_pixels:,})· σαρώστε ξανά σε 300 DPI.",
        f"Page {number} of {path.name} has too many pixels ({detail}; limit "
        f"{limits.max_pixels:,}); scan it again at 300 DPI.",
        code="page-too-large",
    )


def _truncated_image(path, detail):
    return Rejected(
        f"Η εικόνα {path.name} είναι ελλιπής (τα δεδομένα της τελειώνουν νωρίς: {detail})· "
        "αντιγράψτε ή σαρώστε την ξανά.",
        f"The image {path.name} is truncated (its data ends early: {detail}); copy or "
        "scan it again.",
        code="truncated",
    )


def _low_dpi(path, number, dpi, declared, limits):
    if declared:
        how_el, how_en = "σύμφωνα με τα στοιχεία της εικόνας", "as the image declares"
    else:
        how_el = "εκτίμηση: η εικόνα δεν δηλώνει ανάλυση, μετρήθηκε ως σελίδα A4"
        how_en = "estimated: the image declares no resolution, measured as an A4 page"
    return Rejected(
        f"Η σελίδα {number} του {path.name} έχει ανάλυση {dpi:.0f} DPI ({how_el}), "
        f"κάτω από το ελάχιστο των {limits.min_dpi} DPI· σαρώστε ξανά σε 300 DPI.",
        f"Page {number} of {path.name} has a resolution of {dpi:.0f} DPI ({how_en}), "
        f"below the minimum of {limits.min_dpi} DPI; scan it again at 300 DPI.",
        code="low-dpi",
    )
