"""Varnish in front of Zope for the captive portal: its configuration, BAN after commits, running it.

Phones at twenty hotspots ask for the same forty pages (each spot's portal
JSON and splash page). Zope marks these answers with how long they stay
true (``X-Dimos-Microcache``, never past the next alert change); Varnish
keeps them for that long and answers in C, without entering Python at all.
The micro-cache inside Zope (``microcache.py``) still fills Varnish's
misses cheaply and serves anyone who talks to Zope directly.

After every commit that changes what the portal shows (``invalidation.py``)
Zope sends ``BAN`` to each Varnish in ``DIMOS_VARNISH`` (``host:port``,
comma-separated): every kept answer is dropped and the next request fetches
a new one. A second BAN follows half a second later: an answer Zope wrote
just before the commit may reach Varnish just after the first BAN.

``bin/dimos-varnish`` (``main``) writes the VCL for a backend and runs
varnishd in the foreground; ``make start`` runs it beside Zope.
"""

from pathlib import Path

import argparse
import contextlib
import http.client
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


logger = logging.getLogger("dimos.hotspots.proxy")

TEMPLATE = Path(__file__).with_name("dimos.vcl")
ENVIRONMENT = "DIMOS_VARNISH"
SECOND_BAN_AFTER = 0.5
BAN_TIMEOUT = 1.0
WARN_EVERY = 60.0

_last_warning = {}


def render_vcl(backend_host, backend_port, banners=()):
    """The VCL for a Zope at ``backend_host:backend_port``; ``banners``: more addresses that may BAN."""
    extra = "".join(f'    "{address}";\n' for address in banners)
    return (
        TEMPLATE.read_text()
        .replace("@backend_host@", backend_host)
        .replace("@backend_port@", str(int(backend_port)))
        .replace("@extra_banners@", extra)
    )


def split_address(address, default_port=6081):
    """``host:port`` (or ``[v6]:port``, or a bare host) as (host, port)."""
    address = address.strip()
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        return host, int(rest.lstrip(":") or default_port)
    host, sep, port = address.rpartition(":")
    if not sep:
        return address, default_port
    return host, int(port)


def configured(environ=None):
    """The Varnish addresses Zope sends BAN to (``DIMOS_VARNISH``), as (host, port) pairs."""
    raw = (environ if environ is not None else os.environ).get(ENVIRONMENT, "")
    return [split_address(part) for part in raw.split(",") if part.strip()]


def _warn(address, error):
    now = time.monotonic()
    if now - _last_warning.get(address, -WARN_EVERY) >= WARN_EVERY:
        _last_warning[address] = now
        logger.warning(
            "Varnish at %s:%s did not take the BAN (%s): it may serve the captive portal "
            "unchanged until its entries expire (at most a minute, never past an alert change).",
            *address,
            error,
        )


def ban(addresses=None, timeout=BAN_TIMEOUT):
    """Send BAN to each Varnish; the addresses that took it. Failures are logged, never raised:
    the commit is done, and what Varnish keeps expires by itself."""
    addresses = configured() if addresses is None else addresses
    done = []
    for host, port in addresses:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.request("BAN", "/", headers={"User-Agent": "dimos-zope"})
            answer = connection.getresponse()
            answer.read()
            if answer.status == 200:
                done.append((host, port))
            else:
                _warn((host, port), f"HTTP {answer.status} {answer.reason}")
        except OSError as error:
            _warn((host, port), error)
        finally:
            connection.close()
    return done


def ban_now_and_again(addresses=None, again_after=SECOND_BAN_AFTER):
    """BAN now, and once more a moment later in the background (see the module's docstring)."""
    addresses = configured() if addresses is None else addresses
    if not addresses:
        return None
    ban(addresses)
    timer = threading.Timer(again_after, ban, args=(addresses,))
    timer.daemon = True
    timer.start()
    return timer


# --- running varnishd ---------------------------------------------------------------


def varnishd_path():
    """varnishd from Debian's ``varnish`` package (in /usr/sbin, which a user's PATH may lack)."""
    found = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise RuntimeError(
            "Λείπει το varnishd / varnishd is missing: install Debian's `varnish` package "
            "(`make start` does, as root)."
        )
    return found


def command(vcl, listen, workdir, memory="64m"):
    """The varnishd command line: foreground, no management port, no jail (runs as the caller)."""
    return [
        varnishd_path(),
        "-F",
        "-j",
        "none",
        "-a",
        listen,
        "-f",
        str(vcl),
        "-n",
        str(workdir),
        "-s",
        f"malloc,{memory}",
        "-T",
        "none",
        "-p",
        "default_grace=0",
    ]


def _answers(host, port):
    connection = http.client.HTTPConnection(host, port, timeout=2)
    try:
        connection.request("HEAD", "/dimos-varnish-ready")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


class Varnish:
    """varnishd on ``host:port`` in front of a Zope at ``backend``, in a working folder of its own.

    For the tests and the benchmark: ``with Varnish(backend=(host, port), port=p) as varnish:``.
    """

    def __init__(self, backend, port, host="127.0.0.1", workdir=None, memory="64m"):
        self.backend = backend
        self.host, self.port = host, port
        self.memory = memory
        self._tmp = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="dimos-varnish-")
            workdir = self._tmp.name
        self.workdir = Path(workdir)
        self.process = None
        self.log = self.workdir / "varnishd.log"

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def start(self, timeout=30):
        self.workdir.mkdir(parents=True, exist_ok=True)
        vcl = self.workdir / "dimos.vcl"
        vcl.write_text(render_vcl(*self.backend))
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command(vcl, f"{self.host}:{self.port}", self.workdir / "n", self.memory),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not _answers(self.host, self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"varnishd did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    """``bin/dimos-varnish``: write the VCL and run varnishd in the foreground (``make start``)."""
    parser = argparse.ArgumentParser(
        description="Varnish in front of Dimos's Zope for the captive portal."
    )
    parser.add_argument("--listen", default="127.0.0.1:6081", help="address to listen on")
    parser.add_argument("--backend", default="127.0.0.1:8080", help="Zope's address")
    parser.add_argument("--workdir", default="var/varnish", help="varnishd's working folder")
    parser.add_argument("--memory", default="64m", help="memory for kept answers")
    parser.add_argument(
        "--allow-ban", action="append", default=[], help="another address that may send BAN"
    )
    args = parser.parse_args(argv)
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    vcl = workdir / "dimos.vcl"
    vcl.write_text(render_vcl(*split_address(args.backend, 8080), banners=args.allow_ban))
    try:
        cmd = command(vcl, args.listen, workdir / "n", args.memory)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    with socket.socket() as probe:
        host, port = split_address(args.listen)
        if probe.connect_ex((host, port)) == 0:
            print(
                f"Η διεύθυνση {args.listen} είναι πιασμένη / {args.listen} is already in use: "
                "is another Varnish running?",
                file=sys.stderr,
            )
            return 1
    os.execv(cmd[0], cmd)
