"""Make scans the way a worn flatbed scanner would, from born-digital PDFs.

For the benchmarks and tests only: a page is rendered at 300 DPI grey, turned
by a small angle, given sensor noise, dust and a JPEG loss, and written as a
JPEG; the JPEGs of a document are wrapped into a PDF without re-encoding (as
scanners and img2pdf do), with no text layer. The PDF's own text layer stays
the truth to measure OCR against.
"""

from pathlib import Path
from PIL import Image

import io
import numpy
import random
import subprocess


def render_pages(pdf, out_dir, dpi=300, first=None, last=None):
    """Render a PDF's pages as grey PNGs with pdftoppm; return their paths in order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    command = ["pdftoppm", "-r", str(dpi), "-gray", "-png"]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    subprocess.run([*command, str(pdf), str(out_dir / "page")], check=True)
    return sorted(out_dir.glob("page-*.png"))


def degrade(image, rng, skew=1.5, noise=10.0, dust=0.0005, quality=60):
    """A scanned-looking JPEG (bytes) of a clean grey page."""
    angle = rng.uniform(-skew, skew)
    page = image.convert("L").rotate(
        angle, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=False
    )
    pixels = numpy.asarray(page, dtype=numpy.float32)
    generator = numpy.random.default_rng(rng.randrange(2**32))
    pixels = pixels + generator.normal(0.0, noise, pixels.shape)
    specks = generator.random(pixels.shape) < dust
    pixels[specks] = generator.uniform(0, 90, int(specks.sum()))
    page = Image.fromarray(numpy.clip(pixels, 0, 255).astype(numpy.uint8), "L")
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=quality, dpi=(300, 300))
    return buffer.getvalue(), angle


def jpegs_to_pdf(jpegs, out, dpi=300):
    """A PDF with one page per JPEG, embedding each JPEG's bytes unchanged (DCTDecode)."""
    objects = []
    pages = []
    for data in jpegs:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            colour = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        w_pt, h_pt = width * 72 / dpi, height * 72 / dpi
        image_id = len(objects) + 1
        objects.append(
            f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} "
            f"/ColorSpace {colour} /BitsPerComponent 8 /Filter /DCTDecode "
            f"/Length {len(data)} >>".encode()
            + b"\nstream\n"
            + data
            + b"\nendstream"
        )
        content = f"q {w_pt:.2f} 0 0 {h_pt:.2f} 0 0 cm /Im0 Do Q".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        pages.append((image_id, image_id + 1, w_pt, h_pt))
    pages_id = len(objects) + len(pages) + 1
    for image_id, content_id, w_pt, h_pt in pages:
        objects.append(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {w_pt:.2f} {h_pt:.2f}] "
            f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode()
        )
    first_page = pages_id - len(pages)
    kids = " ".join(f"{first_page + i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    _write_pdf(objects, len(objects), Path(out))
    return Path(out)


def _write_pdf(objects, root_id, out):
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        body += b"%010d 00000 n \n" % offset
    body += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root_id,
        xref,
    )
    out.write_bytes(bytes(body))


def scan_pdf(pdf, out_pdf, work_dir, seed=0, pages=None, **degrade_options):
    """Scan a born-digital PDF: returns the scanned PDF, the page JPEGs and the skew angles."""
    rng = random.Random(seed)
    work_dir = Path(work_dir)
    last = pages if pages else None
    clean = render_pages(pdf, work_dir / "clean", first=1 if last else None, last=last)
    jpegs, angles, paths = [], [], []
    for number, png in enumerate(clean, 1):
        with Image.open(png) as image:
            data, angle = degrade(image, rng, **degrade_options)
        path = work_dir / f"page-{number:04d}.jpg"
        path.write_bytes(data)
        png.unlink()
        jpegs.append(data)
        angles.append(angle)
        paths.append(path)
    (work_dir / "clean").rmdir()
    return jpegs_to_pdf(jpegs, out_pdf), paths, angles
