"""A throw-away copy of the buildout's ``bin/instance``, for end-to-end tests and benchmarks.

Same zope.conf and wsgi.ini as ``make start``, pointed at a temporary var/
and a free port, so a test or a benchmark talks to a real Zope over HTTP
(waitress threads, FileStorage, conflict retries) without touching var/.
"""

from pathlib import Path

import contextlib
import os
import requests
import socket
import subprocess
import tempfile
import time


ROOT = Path(__file__).resolve().parents[5]  # the repository (src/dimos.policy/src/dimos/policy)
ETC = ROOT / "parts" / "instance" / "etc"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def work_folder(keep=None):
    """Where a benchmark builds its site: ``keep`` (made if missing, must be empty, left in
    place afterwards), else a temporary folder removed afterwards."""
    if keep is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield Path(tmp)
        return
    keep.mkdir(parents=True, exist_ok=True)
    if any(keep.iterdir()):
        raise SystemExit(f"{keep} is not empty")
    yield keep.resolve()


class ThrowawayInstance:
    """bin/instance on ``tmp``/var and a free port; ``url`` is the Dimos site."""

    def __init__(self, tmp):
        if not (ROOT / "bin" / "instance").exists():
            raise RuntimeError("bin/instance is missing: run `make test` (it runs buildout first)")
        tmp = Path(tmp)
        self.var, port = tmp / "var", free_port()
        conf = (ETC / "zope.conf").read_text().replace(str(ROOT / "var"), str(self.var))
        (tmp / "zope.conf").write_text(conf)
        # var/ first: ``tmp`` may itself lie under var/ (benchmarks keep their sites there).
        ini = (
            (ETC / "wsgi.ini")
            .read_text()
            .replace(str(ROOT / "var"), str(self.var))
            .replace(str(ETC / "zope.conf"), str(tmp / "zope.conf"))
            .replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        )
        (tmp / "wsgi.ini").write_text(ini)
        for folder in ("filestorage", "blobstorage", "log", "cache", "instance"):
            (self.var / folder).mkdir(parents=True, exist_ok=True)  # buildout makes these
        script = (ROOT / "bin" / "instance").read_text()
        script = script.replace(str(ETC / "zope.conf"), str(tmp / "zope.conf"))
        script = script.replace(str(ETC / "wsgi.ini"), str(tmp / "wsgi.ini"))
        (tmp / "instance").write_text(script)
        (tmp / "instance").chmod(0o755)
        self.cmd = [str(tmp / "instance")]
        self.env = {
            **os.environ,
            "DIMOS_VAR": str(self.var),
            "DIMOS_ADDRESS": f"127.0.0.1:{port}",
            "TZ": "Europe/Athens",
        }
        self.port = port
        self.url = f"http://127.0.0.1:{port}/dimos"

    def create_site(self, *args):
        """Run scripts/create_site.py as `make start` does (``--no-demo`` for an empty site)."""
        done = subprocess.run(
            [*self.cmd, "run", str(ROOT / "scripts" / "create_site.py"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stdout + done.stderr)
        return done.stdout

    def admin(self):
        return ("admin", (self.var / "admin-password").read_text().strip())

    @contextlib.contextmanager
    def serving(self):
        server = subprocess.Popen(
            [*self.cmd, "console"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    requests.get(self.url, timeout=10)
                    break
                except requests.RequestException:  # fast-listen: port opens before Zope is up
                    if server.poll() is not None:
                        raise RuntimeError("Zope exited while starting") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError("Zope did not answer in 120 s") from None
                    time.sleep(0.5)
            yield self
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=60)
