"""Kill the ingest and a worker with SIGKILL mid-batch, run again: the batch finishes whole.

Every file ends as exactly one record with all its pages, and no record is
public before it is complete.
"""

from dimos.digitization.ingest.state import batch_folder
from dimos.digitization.ingest.state import State
from dimos.digitization.testing_services import BODY
from dimos.digitization.testing_services import decisions_by_sha256
from dimos.digitization.testing_services import page_text
from dimos.digitization.testing_services import render_scan
from dimos.digitization.testing_services import scan_lines
from dimos.digitization.testing_services import service_env
from dimos.digitization.testing_services import shared_site
from dimos.digitization.testing_services import Worker
from dimos.digitization.worker.tasks import file_sha256
from dimos.policy.testing_instance import ROOT

import os
import pytest
import signal
import subprocess
import time


pytestmark = [pytest.mark.slow, pytest.mark.ocr]

NUMBERS = range(721, 726)


def wait_for(condition, timeout=180, what=""):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def done(var, folder):
    path = batch_folder(var, folder) / "state.sqlite"
    if not path.exists():
        return 0
    return State(path, readonly=True).count("done")


def complete_when_public(site, hashes):
    for sha, records in decisions_by_sha256(site).items():
        if sha in hashes:
            for record in records:
                if record["review_state"] == "published":
                    assert len(record["ocr_pages"]) == 1 and page_text(record)


def test_killed_ingest_and_worker_then_run_again(tmp_path):
    site = shared_site()
    var = tmp_path / "var"
    env = service_env(site, var)
    folder = tmp_path / "scans"
    folder.mkdir()
    for number in NUMBERS:
        render_scan(folder / f"{number}.png", scan_lines(number, 1968))
    hashes = {file_sha256(path) for path in folder.iterdir()}
    manifest = tmp_path / "manifest.csv"
    rows = "".join(f"{number}.png,{number},1968\n" for number in NUMBERS)
    manifest.write_text("file,decision_number,decision_year\n" + rows)
    command = [
        str(ROOT / "bin" / "dimos-ingest"),
        "run",
        str(folder),
        "--body",
        BODY,
        "--window",
        "2",
        "--manifest",
        str(manifest),
    ]

    worker = Worker(env, tmp_path / "worker-1.log").wait_ready()
    log = open(tmp_path / "ingest-1.log", "wb")
    first = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: done(var, folder) >= 1, what="a first file done")
        received = (tmp_path / "worker-1.log").read_text().count("received")
        wait_for(
            lambda: (tmp_path / "worker-1.log").read_text().count("received") > received,
            what="the next task",
        )
        time.sleep(1.0)  # mid-task: the page is being read
        worker.kill()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        log.close()
        if first.poll() is None:
            first.kill()
    assert done(var, folder) < len(NUMBERS)
    complete_when_public(site, hashes)

    worker = Worker(env, tmp_path / "worker-2.log").wait_ready()
    try:
        again = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
    finally:
        worker.stop()
    assert again.returncode == 0, again.stdout + again.stderr
    records = decisions_by_sha256(site)
    for sha in hashes:
        assert len(records.get(sha, [])) == 1, f"{sha}: {len(records.get(sha, []))} records"
        record = records[sha][0]
        assert len(record["ocr_pages"]) == 1 and "βιβλιοθήκης" in page_text(record)
        assert record["review_state"] == "published", {
            key: record.get(key)
            for key in ("@id", "digitization_status", "review_pages", "ocr_pages")
        }
    status = subprocess.run(
        [str(ROOT / "bin" / "dimos-ingest"), "status", str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert status.returncode == 0 and "not running" in status.stdout
    counts = State(batch_folder(var, folder) / "state.sqlite", readonly=True).counts()
    assert counts["done"][0] + counts["skipped"][0] == len(NUMBERS)
