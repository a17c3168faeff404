"""The Celery path end to end: a real worker, a real broker, real OCR, a real Plone.

Both brokers: the default one (kombu's filesystem transport under a temporary
DIMOS_VAR, no server) and a real ``redis-server`` started for this module. A
rendered scan of Greek text goes through ``dimos.digitization.digitize`` into
the site as the ``digitizer`` account, and is found there by its words.
"""

from dimos.digitization.client import SiteClient
from dimos.digitization.testing_services import admin_get
from dimos.digitization.testing_services import BODY
from dimos.digitization.testing_services import page_text
from dimos.digitization.testing_services import redis_server
from dimos.digitization.testing_services import render_scan
from dimos.digitization.testing_services import scan_lines
from dimos.digitization.testing_services import service_env
from dimos.digitization.testing_services import shared_site
from dimos.digitization.testing_services import Worker
from dimos.digitization.worker.app import make_app
from dimos.digitization.worker.tasks import file_sha256
from PIL import Image

import psutil
import pytest
import requests


pytestmark = [pytest.mark.slow, pytest.mark.ocr]


@pytest.fixture(scope="module")
def site():
    return shared_site()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def digitize(app, scan, workroot, number, year, publish=True):
    sent = app.send_task(
        "dimos.digitization.digitize",
        kwargs={
            "source": str(scan),
            "manifest": {
                "file": scan.name,
                "body": BODY,
                "decision_number": number,
                "decision_year": year,
            },
            "options": None,
            "publish": publish,
            "workroot": str(workroot),
        },
    )
    return sent.get(timeout=180)


def check_in_site(site, scan, answer, review_state):
    client = SiteClient(
        site.url, "digitizer", (site.var / "digitizer-password").read_text().strip()
    )
    known = client.lookup(file_sha256(scan))
    assert known is not None and known["@id"] == answer["url"]
    assert known["review_state"] == review_state
    record = admin_get(site, answer["url"].removeprefix(site.url).lstrip("/"))
    assert "βιβλιοθήκης" in page_text(record)
    assert len(record["ocr_pages"]) == 1
    found = admin_get(site, "@search", SearchableText="ΒΙΒΛΙΟΘΗΚΗ", portal_type="CouncilDecision")
    assert answer["url"] in {item["@id"] for item in found["items"]}


def run_twice(site, env, tmp_path, number, year, publish):
    var = tmp_path / "var"
    scan = render_scan(tmp_path / f"apofasi-{number}.png", scan_lines(number, year))
    app = make_app(env.get("DIMOS_BROKER_URL", ""), var)
    worker = Worker(env, tmp_path / "worker.log").wait_ready()
    try:
        pool = psutil.Process(worker.process.pid).children(recursive=True)
        assert pool and all(child.environ()["OMP_THREAD_LIMIT"] == "1" for child in pool)
        answer = digitize(app, scan, var / "work", number, year, publish)
        assert answer["status"] == "stored", answer
        assert answer["pages"] == 1 and answer["flagged"] == []
        assert not (var / "work" / answer["sha256"]).exists()  # removed after success
        again = digitize(app, scan, var / "work", number, year, publish)
        assert again["status"] == "already" and again["url"] == answer["url"]
    finally:
        worker.stop()
    return scan, answer


def test_filesystem_broker_needs_no_server(site, tmp_path):
    env = service_env(site, tmp_path / "var")
    scan, answer = run_twice(site, env, tmp_path, 701, 1966, publish=True)
    assert list((tmp_path / "var" / "celery" / "results").iterdir())  # the file:// backend
    check_in_site(site, scan, answer, "published")


def test_redis_broker(site, redis_url, tmp_path):
    env = service_env(site, tmp_path / "var", broker_url=redis_url)
    scan, answer = run_twice(site, env, tmp_path, 702, 1966, publish=False)
    assert not (tmp_path / "var" / "celery").exists()  # nothing went through the file broker
    check_in_site(site, scan, answer, "draft")


def test_a_file_the_pipeline_rejects_comes_back_quarantined(site, tmp_path):
    env = service_env(site, tmp_path / "var")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    worker = Worker(env, tmp_path / "worker.log").wait_ready()
    try:
        answer = digitize(
            make_app("", tmp_path / "var"), empty, tmp_path / "var" / "work", 703, 1966
        )
    finally:
        worker.stop()
    assert answer["status"] == "quarantined" and answer["code"] == "empty"
    assert answer["messages"]["el"] and answer["messages"]["en"]


def search(site, words, **auth):
    response = requests.get(
        f"{site.url}/@search",
        params={"SearchableText": words, "portal_type": "CouncilDecision"},
        headers={"Accept": "application/json"},
        timeout=60,
        **auth,
    )
    response.raise_for_status()
    return {item["@id"]: item for item in response.json()["items"]}


def test_the_public_finds_a_scanned_decision_by_its_words_and_page(site, tmp_path):
    """Two scanned pages; a word of page 2, typed without accents, finds page 2."""
    pages = []
    for number, lines in enumerate(
        (scan_lines(704, 1996), ["Η δαπάνη για το δημοτικό κολυμβητήριο", "εγκρίνεται."]), 1
    ):
        pages.append(render_scan(tmp_path / f"page-{number}.png", lines).resolve())
    first, *rest = (Image.open(page) for page in pages)
    scan = tmp_path / "apofasi-704.tif"
    first.save(scan, save_all=True, append_images=rest, dpi=(300, 300), compression="tiff_lzw")
    env = service_env(site, tmp_path / "var")
    worker = Worker(env, tmp_path / "worker.log").wait_ready()
    try:
        answer = digitize(make_app("", tmp_path / "var"), scan, tmp_path / "work", 704, 1996)
    finally:
        worker.stop()
    assert answer["status"] == "stored" and answer["pages"] == 2, answer
    assert answer["review_state"] == "published"
    for words in ("κολυμβητηριο", "ΚΟΛΥΜΒΗΤΗΡΙΟ", "κολυμβητήριο"):
        found = search(site, words)  # anonymous: the public archive
        assert found[answer["url"]]["scan_pages"] == [2], words
    assert search(site, "βιβλιοθηκης")[answer["url"]]["scan_pages"] == [1]
