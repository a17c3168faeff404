"""Quarantine: rejected files move aside with a reason file; nothing is overwritten."""

from dimos.digitization.pipeline.model import Rejected
from dimos.digitization.pipeline.preflight import preflight
from dimos.digitization.pipeline.quarantine import quarantine
from dimos.digitization.testing_scans import encrypt_pdf
from dimos.digitization.testing_scans import make_pdf

import hashlib
import pytest


def reject(path):
    with pytest.raises(Rejected) as info:
        preflight(path)
    return info.value


def test_moves_file_and_writes_reason(tmp_path):
    (tmp_path / "scans").mkdir()
    source = encrypt_pdf(make_pdf(tmp_path / "plain.pdf"), tmp_path / "scans" / "1979-045.pdf")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    folder = tmp_path / "scans" / "_quarantine"  # created on demand
    moved = quarantine(source, folder, reject(source))
    assert moved == folder / "1979-045.pdf"
    assert not source.exists() and moved.exists()
    reason = (folder / "1979-045.pdf.reason.txt").read_text("utf-8")
    assert "code: encrypted" in reason
    assert "κωδικό" in reason and "password-protected" in reason
    assert f"original: {source}" in reason
    assert f"sha256: {digest}" in reason
    assert "time: 20" in reason


def test_never_overwrites(tmp_path):
    folder = tmp_path / "_quarantine"
    moved = []
    for round_ in range(3):
        source = tmp_path / "in" / "scan.pdf"
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(b"")
        moved.append(quarantine(source, folder, reject(source)))
        (folder / "marker").write_text(str(round_))
    assert [p.name for p in moved] == ["scan.pdf", "scan-1.pdf", "scan-2.pdf"]
    names = sorted(p.name for p in folder.iterdir() if p.name != "marker")
    assert names == sorted(
        ["scan.pdf", "scan-1.pdf", "scan-2.pdf"]
        + ["scan.pdf.reason.txt", "scan-1.pdf.reason.txt", "scan-2.pdf.reason.txt"]
    )
    assert "code: empty" in (folder / "scan-2.pdf.reason.txt").read_text("utf-8")


def test_file_that_cannot_be_hashed_is_still_quarantined(tmp_path):
    # A link to a scan on a share that went away: it cannot be read (tests run as root,
    # so permissions cannot make a file unreadable), yet it must still move aside.
    source = tmp_path / "odd.pdf"
    source.symlink_to(tmp_path / "unmounted" / "odd.pdf")
    error = Rejected("Δεν διαβάζεται.", "Cannot be read.", code="unreadable")
    moved = quarantine(source, tmp_path / "q", error)
    assert moved.is_symlink() and not source.is_symlink()
    reason = (tmp_path / "q" / "odd.pdf.reason.txt").read_text("utf-8")
    assert "sha256: -" in reason and "code: unreadable" in reason
