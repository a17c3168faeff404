"""Real services for the digitization tests and benchmarks: redis-server, workers, a site, scans.

Plain Python: each helper starts a real process (``redis-server``,
``bin/dimos-worker``, the buildout's Zope through ThrowawayInstance) on free
ports and temporary folders, and stops it by its own process id.
"""

from dimos.policy.testing_instance import free_port
from dimos.policy.testing_instance import ROOT
from dimos.policy.testing_instance import ThrowawayInstance
from pathlib import Path
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

import atexit
import contextlib
import os
import redis
import requests
import shutil
import signal
import subprocess
import tempfile
import time


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
BODY = "dimotiko-symvoulio"  # the demo content's council


@contextlib.contextmanager
def redis_server(folder):
    """A private ``redis-server`` on a free port; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


def site_with_digitizer(folder):
    """A throw-away Zope with the demo site and the ``digitizer`` account (var/digitizer-password)."""
    instance = ThrowawayInstance(folder)
    instance.create_site()
    return instance


_shared = {}


def shared_site():
    """One serving site per test process, whichever test module asks first; stopped at exit."""
    if "instance" not in _shared:
        folder = Path(tempfile.mkdtemp(prefix="dimos-digitization-site-"))
        instance = site_with_digitizer(folder)
        serving = instance.serving()
        serving.__enter__()
        _shared.update(instance=instance, folder=folder)
        atexit.register(_stop_shared, serving, folder)
    return _shared["instance"]


def _stop_shared(serving, folder):
    with contextlib.suppress(Exception):
        serving.__exit__(None, None, None)
    shutil.rmtree(folder, ignore_errors=True)


def admin_get(instance, path="", **params):
    """GET as admin, JSON."""
    response = requests.get(
        f"{instance.url}/{path}".rstrip("/"),
        params=params,
        auth=instance.admin(),
        headers={"Accept": "application/json"},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def decisions_by_sha256(instance):
    """``{sha256: [record JSON, ...]}`` of every digitized decision, as admin."""
    found = admin_get(
        instance, "@search", portal_type="CouncilDecision", fullobjects=1, b_size=1000
    )
    records = {}
    for item in found["items"]:
        if item.get("source_sha256"):
            records.setdefault(item["source_sha256"], []).append(item)
    return records


def page_text(record):
    """The OCR text of a decision's JSON, page after page."""
    return "\n".join(page.get("text", "") for page in record.get("ocr_pages") or ())


def service_env(instance, var, broker_url=None):
    """The environment a worker or the ingest needs to reach ``instance``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIMOS_")}
    env.update(
        DIMOS_VAR=str(var),
        DIMOS_SITE_URL=instance.url,
        DIMOS_SERVICE_PASSWORD=(instance.var / "digitizer-password").read_text().strip(),
        TZ="Europe/Athens",
    )
    if broker_url:
        env["DIMOS_BROKER_URL"] = broker_url
    return env


class Worker:
    """``bin/dimos-worker`` in its own process group, logging to ``log``."""

    def __init__(self, env, log, concurrency=1):
        self.log = Path(log)
        self.stream = open(self.log, "ab")
        self.process = subprocess.Popen(
            [str(ROOT / "bin" / "dimos-worker"), f"--concurrency={concurrency}"],
            env=env,
            cwd=ROOT,
            stdout=self.stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while b"ready." not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the worker did not start:\n" + self.log.read_text(errors="replace")
                )
            time.sleep(0.2)
        return self

    def kill(self):
        """SIGKILL to the worker and its pool, as a crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.stream.close()

    def stop(self):
        if self.process.poll() is None:
            # The main process alone: its warm shutdown stops the pool.
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.stream.close()


def render_scan(path, lines, size=(1240, 700), dpi=300, font_size=40):
    """A grey scan of a few lines of Greek text (DejaVu Serif), as PNG or PDF by ``path``'s suffix."""
    path = Path(path)
    image = Image.new("L", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), font_size)
    y = 60
    for text in lines:
        draw.text((80, y), text, font=font, fill="black")
        y += int(font_size * 1.6)
    if path.suffix.lower() == ".pdf":
        image.save(path, "PDF", resolution=dpi)
    else:
        image.save(path, dpi=(dpi, dpi))
    return path


def scan_lines(number, year):
    return [
        f"ΑΠΟΦΑΣΗ {number}/{year}",
        "Το Δημοτικό Συμβούλιο αποφασίζει",
        "την ανακαίνιση της βιβλιοθήκης",
        "του δημοτικού σχολείου.",
    ]
