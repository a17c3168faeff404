"""End to end: what `make start` does, on a throw-away var/ and port.

Runs the buildout's real `bin/instance` (the same zope.conf and wsgi.ini,
pointed at a temporary var/ and a free port): creates the site with
scripts/create_site.py, serves it, searches it anonymously, adds a document as
admin, stops, runs the site creation again and checks that nothing was lost.
"""

from pathlib import Path

import contextlib
import os
import pytest
import requests
import socket
import stat
import subprocess
import time


pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ETC = ROOT / "parts" / "instance" / "etc"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    if not (ROOT / "bin" / "instance").exists():
        pytest.fail("bin/instance is missing: run `make test` (it runs buildout first)")
    tmp = tmp_path_factory.mktemp("dimos")
    var, port = tmp / "var", free_port()
    conf = (ETC / "zope.conf").read_text().replace(str(ROOT / "var"), str(var))
    (tmp / "zope.conf").write_text(conf)
    ini = (
        (ETC / "wsgi.ini")
        .read_text()
        .replace(str(ETC / "zope.conf"), str(tmp / "zope.conf"))
        .replace(str(ROOT / "var"), str(var))
        .replace("127.0.0.1:8080", f"127.0.0.1:{port}")
    )
    (tmp / "wsgi.ini").write_text(ini)
    for folder in ("filestorage", "blobstorage", "log", "cache", "instance"):
        (var / folder).mkdir(parents=True)  # buildout makes these under var/
    # bin/instance itself, pointed at our zope.conf and wsgi.ini
    script = (ROOT / "bin" / "instance").read_text()
    script = script.replace(str(ETC / "zope.conf"), str(tmp / "zope.conf"))
    script = script.replace(str(ETC / "wsgi.ini"), str(tmp / "wsgi.ini"))
    (tmp / "instance").write_text(script)
    (tmp / "instance").chmod(0o755)
    cmd = [str(tmp / "instance")]
    env = {
        **os.environ,
        "DIMOS_VAR": str(var),
        "DIMOS_ADDRESS": f"127.0.0.1:{port}",
        "TZ": "Europe/Athens",
    }
    return {"cmd": cmd, "env": env, "var": var, "url": f"http://127.0.0.1:{port}/dimos"}


def create_site(instance):
    done = subprocess.run(
        [*instance["cmd"], "run", str(ROOT / "scripts" / "create_site.py")],
        env=instance["env"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@contextlib.contextmanager
def serving(instance):
    server = subprocess.Popen(
        [*instance["cmd"], "console"],
        env=instance["env"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(instance["url"], timeout=10)
                break
            except requests.RequestException:  # fast-listen: the port opens before Zope is up
                assert server.poll() is None, "Zope exited while starting"
                assert time.monotonic() < deadline, "Zope did not answer in 120 s"
                time.sleep(0.5)
        yield
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


def search(url, text, auth=None):
    response = requests.get(
        f"{url}/@search",
        params={"SearchableText": text},
        headers={"Accept": "application/json"},
        auth=auth,
        timeout=30,
    )
    assert response.status_code == 200
    return {item["@id"].rsplit("/", 1)[-1] for item in response.json()["items"]}


def test_make_start_flow(instance):
    first = create_site(instance)
    password_file = instance["var"] / "admin-password"
    password = password_file.read_text().strip()
    assert "Created the Plone site /dimos" in first
    assert password in first  # shown once, on creation
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password != "admin" and len(password) >= 20

    admin = ("admin", password)
    with serving(instance):
        url = instance["url"]
        # anonymous, Greek in any form, published demo content only
        assert search(url, "ΠΡΟΫΠΟΛΟΓΙΣΜΟΙ") == {"proypologismos-2027"}
        assert search(url, "δημαρχειου") == {"epikoinonia"}
        assert (
            requests.get(
                f"{url}/@controlpanels", timeout=30, headers={"Accept": "application/json"}
            ).status_code
            == 401
        )
        created = requests.post(
            url,
            auth=admin,
            timeout=30,
            headers={"Accept": "application/json", "Content-Type": "application/json"},
            json={"@type": "Document", "id": "draft", "title": "Σχέδιο κανονισμού κοιμητηρίων"},
        )
        assert created.status_code == 201, created.text
        assert search(url, "κοιμητηρια") == set()  # private: anonymous cannot see it
        assert search(url, "ΚΟΙΜΗΤΗΡΙΟΥ", auth=admin) == {"draft"}

    second = create_site(instance)
    assert "exists already" in second
    assert password not in second
    assert password_file.read_text().strip() == password

    with serving(instance):
        assert search(instance["url"], "κοιμητήριο", auth=admin) == {"draft"}
        assert search(instance["url"], "προυπολογισμος") == {"proypologismos-2027"}
