"""The batch's sqlite state: what survives a killed ingest, and what `status` reads meanwhile."""

from dimos.digitization.ingest.manifest import ManifestError
from dimos.digitization.ingest.progress import line
from dimos.digitization.ingest.progress import snapshot
from dimos.digitization.ingest.state import batch_folder
from dimos.digitization.ingest.state import batch_id
from dimos.digitization.ingest.state import State

import pytest
import time


def test_batch_id_follows_the_folder(tmp_path):
    (tmp_path / "a").mkdir()
    assert batch_id(tmp_path / "a") == batch_id(tmp_path / "a" / ".." / "a")
    assert batch_id(tmp_path / "a") != batch_id(tmp_path / "b")
    assert batch_id(tmp_path / "a").startswith("a-")
    assert batch_folder(tmp_path / "var", tmp_path / "a").parent == tmp_path / "var" / "ingest"


def test_rows_survive_reopening_and_a_reader_sees_them_while_writing(tmp_path):
    path = tmp_path / "state.sqlite"
    writer = State(path)
    writer.set(pid=123, folder="/scans")
    writer.record("a.pdf", state="pending", sha256="aa", pages=3, size=10, mtime=1)
    writer.record("b.pdf", state="done", sha256="bb", pages=2, flagged=[2], finished_at=time.time())
    writer.db.execute("BEGIN IMMEDIATE")  # a write in progress does not block `status`
    writer.record("c.pdf", state="pending", sha256="cc", pages=5)
    reader = State(path, readonly=True)
    assert reader.get("pid") == 123
    assert reader.counts()["pending"] == (1, 3)
    writer.db.execute("COMMIT")
    assert reader.counts()["pending"] == (2, 8)
    writer.close()
    again = State(path)
    assert again.row("b.pdf")["flagged"] == "[2]"
    assert [row["path"] for row in again.each_flagged()] == ["b.pdf"]
    assert again.count("done") == 1


def test_unfinished_files_go_back_to_pending(tmp_path):
    state = State(tmp_path / "state.sqlite")
    for n, name in enumerate(("queued", "failed", "done", "quarantined")):
        state.record(f"{n}.pdf", state=name, sha256=str(n), task_id="t")
    state.reset(("queued", "failed"))
    assert state.counts()["pending"][0] == 2
    assert {row["task_id"] for row in state.rows("pending")} == {None}
    assert state.count("done") == state.count("quarantined") == 1


def test_chunks_read_everything_while_rows_change_state(tmp_path):
    state = State(tmp_path / "state.sqlite")
    for n in range(450):
        state.record(f"{n:04}.pdf", state="queued", sha256=str(n))
    seen = 0
    for row in state.chunks("queued", size=100):
        state.record(row["path"], state="done")
        seen += 1
    assert seen == 450 and state.count("queued") == 0


def test_twins_and_the_manifest(tmp_path):
    state = State(tmp_path / "state.sqlite")
    state.record("a.pdf", state="done", sha256="same")
    assert state.twin("same", "copy.pdf")["path"] == "a.pdf"
    assert state.twin("same", "a.pdf") is None
    state.load_manifest([(2, "sub/x.pdf", {"file": "sub/x.pdf", "body": "ΔΣ"})])
    assert state.manifest_for("sub/x.pdf")["body"] == "ΔΣ"
    assert state.manifest_for("other/x.pdf")["body"] == "ΔΣ"  # by name when the path differs
    assert state.manifest_for("y.pdf") is None
    with pytest.raises(ManifestError) as error:
        state.load_manifest([(2, "y.pdf", {}), (5, "y.pdf", {})])
    assert error.value.line == 5 and "2" in error.value.message_el
    assert state.manifest_for("sub/x.pdf")["body"] == "ΔΣ"  # a refused manifest changes nothing


def test_progress_figures(tmp_path):
    state = State(tmp_path / "state.sqlite")
    started = time.time() - 120
    state.record("a.pdf", state="done", pages=10, finished_at=time.time())
    state.record("b.pdf", state="queued", pages=20)
    state.record("c.pdf", state="skipped", pages=7)
    snap = snapshot(state, started)
    assert (snap.files, snap.finished, snap.pages_done, snap.pages_total) == (3, 2, 10, 30)
    assert snap.rate == pytest.approx(5.0, rel=0.05)  # 10 pages in 2 minutes
    assert snap.eta == pytest.approx(240, rel=0.05)  # 20 pages left at 5 a minute
    text = line(snap)
    assert "10/30" in text and "2/3" in text and "ETA 04:0" in text
