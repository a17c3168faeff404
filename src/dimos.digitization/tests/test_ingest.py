"""``bin/dimos-ingest`` end to end: a folder of scans into a real site through a real worker.

Good scans become records; a zero-byte and a corrupt file go to quarantine
with their reasons; a second run skips everything; ``--dry-run`` moves
nothing; ``status`` reads the batch; a bad manifest is refused before any file
is touched.
"""

from dimos.digitization.client import SiteClient
from dimos.digitization.testing_services import BODY
from dimos.digitization.testing_services import render_scan
from dimos.digitization.testing_services import scan_lines
from dimos.digitization.testing_services import service_env
from dimos.digitization.testing_services import shared_site
from dimos.digitization.testing_services import Worker
from dimos.digitization.worker.tasks import file_sha256
from dimos.policy.testing_instance import ROOT
from PIL import Image

import pytest
import shutil
import sqlite3
import subprocess


pytestmark = [pytest.mark.slow, pytest.mark.ocr]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    site = shared_site()
    env = service_env(site, tmp_path_factory.mktemp("ingest") / "var")
    worker = Worker(env, tmp_path_factory.mktemp("log") / "worker.log").wait_ready()
    yield env
    worker.stop()


def ingest(env, *args):
    return subprocess.run(
        [str(ROOT / "bin" / "dimos-ingest"), *map(str, args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def scans(folder):
    (folder / "1967").mkdir(parents=True)
    render_scan(folder / "1967" / "apofasi-711.png", scan_lines(711, 1967))
    render_scan(folder / "1967" / "apofasi-712.pdf", scan_lines(712, 1967))
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    manifest = folder.parent / "manifest.csv"
    manifest.write_text(
        "\ufefffile;body;decision_number;decision_year;meeting_date\n"
        f"1967/apofasi-711.png;{BODY};711;1967;3/4/1967\n"
        f"apofasi-712.pdf;{BODY};712;1967;1967-04-03\n",
        encoding="utf-8",
    )
    return manifest


def client(env):
    return SiteClient(env["DIMOS_SITE_URL"], "digitizer", env["DIMOS_SERVICE_PASSWORD"])


def test_a_folder_into_the_site_and_again(env, tmp_path):
    folder = tmp_path / "scans"
    manifest = scans(folder)
    good = [folder / "1967" / "apofasi-711.png", folder / "1967" / "apofasi-712.pdf"]
    hashes = [file_sha256(path) for path in good]

    bad = tmp_path / "bad.csv"
    bad.write_text(f"file,body,meeting_date\na.pdf,{BODY},1/1/1967\nb.pdf,{BODY},31/2/1967\n")
    refused = ingest(env, "run", folder, "--manifest", bad)
    assert refused.returncode == 2
    assert "Γραμμή 3" in refused.stderr and "line 3" in refused.stderr
    assert (folder / "empty.pdf").exists()  # nothing touched

    dry = ingest(env, "run", folder, "--manifest", manifest, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would be quarantined" in dry.stdout and "would be digitized" in dry.stdout
    assert (folder / "empty.pdf").exists() and not (folder / "_quarantine").exists()
    assert all(client(env).lookup(sha) is None for sha in hashes)

    first = ingest(env, "run", folder, "--manifest", manifest)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Ολοκληρώθηκαν / Done: 2 (2" in first.stdout
    assert "Σε καραντίνα / Quarantined: 2" in first.stdout
    quarantine = folder / "_quarantine"
    assert sorted(p.name for p in quarantine.iterdir()) == [
        "broken.pdf",
        "broken.pdf.reason.txt",
        "empty.pdf",
        "empty.pdf.reason.txt",
    ]
    assert "[empty]" in first.stdout and "broken.pdf" in first.stdout
    for sha in hashes:
        assert client(env).lookup(sha)["review_state"] == "published"

    status = ingest(env, "status", folder)
    assert status.returncode == 0
    assert "Ολοκληρώθηκαν / Done: 2" in status.stdout and "not running" in status.stdout

    again = ingest(env, "run", folder, "--manifest", manifest)
    assert again.returncode == 0
    assert "This run: 0 ψηφιοποιήθηκαν/digitized, 2 παραλείφθηκαν/skipped" in again.stdout

    # another folder holding the same files: known to the site, skipped without OCR
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in good:
        shutil.copy(path, copy)
    skipped = ingest(env, "run", copy, "--body", BODY)
    assert skipped.returncode == 0
    assert "already in the site" in skipped.stdout
    assert "This run: 0 ψηφιοποιήθηκαν/digitized, 2 παραλείφθηκαν/skipped" in skipped.stdout


def pdf_of(path, pages):
    images = []
    for number in range(pages):
        render_scan(path.with_suffix(f".{number}.png"), scan_lines(900 + number, 1990))
        images.append(Image.open(path.with_suffix(f".{number}.png")))
    images[0].save(path, "PDF", resolution=300, save_all=True, append_images=images[1:])
    for number in range(pages):
        path.with_suffix(f".{number}.png").unlink()


def test_the_first_files_go_at_once_then_the_longest_first(tmp_path):
    """No worker serves this broker: the order in which the files were sent is what is left."""
    site = shared_site()
    env = service_env(site, tmp_path / "var")
    folder = tmp_path / "scans"
    folder.mkdir()
    for name in ("a", "b", "c", "d"):
        render_scan(folder / f"{name}.png", scan_lines(ord(name), 1990))
    pdf_of(folder / "e.pdf", 2)
    pdf_of(folder / "f.pdf", 3)
    done = ingest(env, "run", folder, "--body", BODY, "--no-wait", "--window", "10")
    assert "At the workers: 6 (9" in done.stdout, done.stdout + done.stderr
    state = next((tmp_path / "var" / "ingest").glob("*/state.sqlite"))
    with sqlite3.connect(state) as db:
        sent = [
            path
            for (path,) in db.execute(
                "SELECT path FROM files WHERE state = 'queued' ORDER BY queued_at, id"
            )
        ]
    # a-d are at the workers while e and f are still being read; then f (3 pages) before e.
    assert sent == ["a.png", "b.png", "c.png", "d.png", "f.pdf", "e.pdf"]
