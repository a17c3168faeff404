"""Varnish in front of Zope (``dimos.hotspots.proxy``): the VCL's rules on a real varnishd.

A small HTTP server stands where Zope stands: it answers each path with a
counter, marked or not as Zope marks the portal. The portal through Varnish
on a real Zope is in ``test_portal_end_to_end.py``.
"""

from dimos.hotspots import proxy
from dimos.policy.testing_instance import free_port
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import itertools
import logging
import pytest
import requests
import subprocess
import threading
import time


pytestmark = pytest.mark.slow


class Backend(BaseHTTPRequestHandler):
    """``/keep?ttl=&stale=``: marked as Zope marks the portal; ``cookie=1``: sets a cookie;
    ``status=``: another status. Each body names the call and what Varnish sent."""

    counter = itertools.count(1)
    seen = []

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        number = next(self.counter)
        self.seen.append((self.command, self.path, dict(self.headers)))
        body = (
            f"#{number} {self.command} lang={self.headers.get('Accept-Language')} "
            f"proxy={self.headers.get('X-Dimos-Proxy')}"
        ).encode()
        self.send_response(int(query.get("status", 200)))
        if url.path.startswith("/keep"):
            self.send_header("X-Dimos-Microcache", query.get("ttl", "30"))
            if "stale" in query:
                self.send_header("X-Dimos-Microcache-Stale", query["stale"])
            self.send_header("Vary", "Accept-Language")
            self.send_header("ETag", f'"tag-{url.path}"')
        if "cookie" in query:
            self.send_header("Set-Cookie", "statusmessages=x; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def backend():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()


@pytest.fixture(scope="module")
def varnish(backend):
    with proxy.Varnish(backend=backend, port=free_port()) as running:
        yield running


def call(varnish, path, method="GET", **headers):
    answer = requests.request(method, varnish.url + path, headers=headers, timeout=10)
    return answer


def number(answer):
    return int(answer.text.split()[0][1:])


def test_the_vcl_compiles(tmp_path):
    vcl = tmp_path / "dimos.vcl"
    vcl.write_text(proxy.render_vcl("127.0.0.1", 8080, banners=["10.0.0.5"]))
    done = subprocess.run(
        [proxy.varnishd_path(), "-C", "-j", "none", "-f", str(vcl), "-n", str(tmp_path / "n")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert '"10.0.0.5";' in vcl.read_text()


def test_a_marked_answer_is_kept_for_the_seconds_zope_gave_then_fetched_again(varnish):
    first = call(varnish, "/keep/a?ttl=1.5")
    second = call(varnish, "/keep/a?ttl=1.5")
    assert (first.headers["X-Dimos-Cache"], second.headers["X-Dimos-Cache"]) == ("miss", "hit")
    assert number(first) == number(second)
    assert "proxy=varnish" in first.text  # Zope's micro-cache then says what is left of its time
    for private in ("X-Dimos-Microcache", "X-Dimos-Microcache-Stale", "X-Dimos-Kept"):
        assert private not in second.headers
    assert second.headers["Vary"] == "Accept-Language"
    time.sleep(1.6)
    assert number(call(varnish, "/keep/a?ttl=1.5")) > number(first)


def test_past_its_time_a_stale_copy_is_handed_out_while_one_fetch_renews_it(varnish):
    first = number(call(varnish, "/keep/b?ttl=1&stale=5"))
    time.sleep(1.2)
    assert number(call(varnish, "/keep/b?ttl=1&stale=5")) == first  # stale, renewed behind it
    time.sleep(0.3)
    assert number(call(varnish, "/keep/b?ttl=1&stale=5")) > first


def test_a_stale_copy_is_renewed_with_a_whole_answer_not_by_its_etag(varnish):
    """A 304 from Zope carries none of its marks: the page would then go uncached for a while."""
    first = number(call(varnish, "/keep/k?ttl=1&stale=5"))
    time.sleep(1.2)
    call(varnish, "/keep/k?ttl=1&stale=5")  # stale: renewed behind it
    time.sleep(0.3)
    renewals = [h for _, path, h in Backend.seen if path == "/keep/k?ttl=1&stale=5"][1:]
    assert renewals and not any("If-None-Match" in h for h in renewals)
    again = [call(varnish, "/keep/k?ttl=1&stale=5") for _ in range(2)]
    assert number(again[0]) == number(again[1]) > first
    assert again[1].headers["X-Dimos-Cache"] == "hit"


def test_zero_seconds_or_no_mark_is_never_kept(varnish):
    for path in ("/keep/c?ttl=0", "/plain"):
        first, second = call(varnish, path), call(varnish, path)
        assert number(second) > number(first)
        assert second.headers["X-Dimos-Cache"] == "pass"


def test_errors_and_answers_setting_cookies_are_never_kept(varnish):
    for path in ("/keep/d?status=404", "/keep/e?cookie=1"):
        first, second = call(varnish, path), call(varnish, path)
        assert number(second) > number(first), path


def test_greek_and_english_phones_get_their_own_copies(varnish):
    greek = number(call(varnish, "/keep/f", **{"Accept-Language": "el-GR,el;q=0.9,en;q=0.5"}))
    assert number(call(varnish, "/keep/f", **{"Accept-Language": "el"})) == greek
    english = call(varnish, "/keep/f", **{"Accept-Language": "en-US,en;q=0.9"})
    assert number(english) != greek and "lang=en-US" in english.text
    # The language cookie wins over the browser's languages, as in Zope.
    chosen = call(varnish, "/keep/f", **{"Accept-Language": "el", "Cookie": "I18N_LANGUAGE=en"})
    assert number(chosen) == number(english)
    assert number(call(varnish, "/keep/f", **{"Accept-Language": "fr"})) not in (
        greek,
        number(english),
    )


def test_signed_in_users_and_writes_go_straight_to_zope(varnish):
    for headers in (
        {"Authorization": "Basic YWRtaW46c2VjcmV0"},
        {"Cookie": "I18N_LANGUAGE=el; __ac=abc"},
        {"Cookie": "auth_token=abc"},
    ):
        first, second = call(varnish, "/keep/g", **headers), call(varnish, "/keep/g", **headers)
        assert number(second) > number(first), headers
        assert second.headers["X-Dimos-Cache"] == "pass"
    posted = [number(call(varnish, "/keep/g", method="POST")) for _ in range(2)]
    assert posted[1] > posted[0]


def test_a_phone_with_a_current_copy_gets_304_from_varnish(varnish):
    first = call(varnish, "/keep/h")
    again = call(varnish, "/keep/h", **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["X-Dimos-Cache"] == "hit"


def test_a_ban_drops_every_kept_answer_at_once(varnish):
    kept = [number(call(varnish, f"/keep/i{n}")) for n in range(3)]
    assert [number(call(varnish, f"/keep/i{n}")) for n in range(3)] == kept
    assert proxy.ban([(varnish.host, varnish.port)]) == [(varnish.host, varnish.port)]
    assert all(number(call(varnish, f"/keep/i{n}")) > kept[-1] for n in range(3))


def test_zope_bans_now_and_once_more_a_moment_later(varnish):
    """An answer Zope wrote just before its commit may reach Varnish just after the first BAN."""
    before = number(call(varnish, "/keep/j"))
    timer = proxy.ban_now_and_again([(varnish.host, varnish.port)], again_after=0.5)
    after_first = number(call(varnish, "/keep/j"))
    assert after_first > before
    timer.join(5)
    assert number(call(varnish, "/keep/j")) > after_first


def test_a_varnish_that_does_not_answer_is_logged_and_the_commit_goes_on(caplog):
    caplog.set_level(logging.WARNING, logger="dimos.hotspots.proxy")
    proxy._last_warning.clear()
    down = ("127.0.0.1", free_port())
    assert proxy.ban([down]) == []
    assert proxy.ban([down]) == []
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1  # once a minute per address, not once per commit
    assert f"127.0.0.1:{down[1]} did not take the BAN" in warnings[0]


def test_the_addresses_come_from_dimos_varnish():
    assert proxy.configured({}) == []
    assert proxy.configured({"DIMOS_VARNISH": "127.0.0.1:6081, [::1]:6082,cache"}) == [
        ("127.0.0.1", 6081),
        ("::1", 6082),
        ("cache", 6081),
    ]


def test_dimos_varnish_refuses_an_address_in_use(varnish, tmp_path, capsys):
    assert proxy.main(["--listen", f"{varnish.host}:{varnish.port}", "--workdir", str(tmp_path)])
    assert "is already in use" in capsys.readouterr().err
    assert "backend zope" in (tmp_path / "dimos.vcl").read_text()
