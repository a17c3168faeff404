"""The portal's micro-cache as a WSGI filter, in front of a small WSGI app that counts its calls."""

from dimos.hotspots import microcache
from dimos.hotspots.microcache import filter_app_factory
from dimos.hotspots.microcache import MicroCache

import os
import pytest
import threading
import time


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Zope:
    """Stands where Zope stands: answers each path with a body naming the call, and the TTL asked."""

    def __init__(self, ttl="30", status="200 OK", extra=(), delay=0.0):
        self.calls = []
        self.ttl, self.status, self.extra, self.delay = ttl, status, list(extra), delay

    def __call__(self, environ, start_response):
        self.calls.append(environ)
        if self.delay:
            time.sleep(self.delay)
        body = f"{environ['PATH_INFO']} #{len(self.calls)}".encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        if self.ttl is not None:
            headers.append((microcache.HEADER, self.ttl))
        start_response(self.status, headers + self.extra)
        return [body]


def get(app, path="/dimos/@hotspots/a/portal", **environ):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", **environ}
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(app(environ, start_response))
    return answer


@pytest.fixture
def clock():
    return Clock()


def test_a_second_request_is_served_from_memory_without_the_private_header(clock):
    zope = Zope()
    app = MicroCache(zope, clock=clock)
    first, second = get(app), get(app)
    assert len(zope.calls) == 1
    assert first["body"] == second["body"] == b"/dimos/@hotspots/a/portal #1"
    assert microcache.HEADER not in second["headers"]
    assert (first["headers"]["X-Dimos-Cache"], second["headers"]["X-Dimos-Cache"]) == (
        "miss",
        "hit",
    )
    assert second["headers"]["Content-Length"] == str(len(second["body"]))


def test_the_entry_lives_as_long_as_zope_said(clock):
    zope = Zope(ttl="2.5")
    app = MicroCache(zope, clock=clock)
    get(app)
    clock.now += 2.4
    assert get(app)["body"].endswith(b"#1")
    clock.now += 0.2
    assert get(app)["body"].endswith(b"#2")


def test_past_its_time_an_entry_allowed_stale_is_served_while_one_request_refreshes_it(clock):
    zope = Zope(ttl="10", extra=[(microcache.STALE_HEADER, "30")])
    app = MicroCache(zope, clock=clock)
    get(app)
    clock.now += 11
    lock = app._key_lock(("/dimos/@hotspots/a/portal", "", "", ""))
    with lock:  # another request is refreshing it
        stale = get(app)
    assert (stale["headers"]["X-Dimos-Cache"], stale["body"]) == (
        "stale",
        b"/dimos/@hotspots/a/portal #1",
    )
    assert microcache.STALE_HEADER not in stale["headers"]
    refreshed = get(app)  # nobody refreshing: this request does
    assert (refreshed["headers"]["X-Dimos-Cache"], refreshed["body"][-2:]) == ("miss", b"#2")
    clock.now += 45  # past both its time and its stale time: asked for again, and waited for
    assert get(app)["body"].endswith(b"#3")


def test_without_a_stale_allowance_an_entry_is_never_served_past_its_time(clock):
    """An alert's expiry bounds the entry's time: Zope then sends no stale allowance."""
    zope = Zope(ttl="10")
    app = MicroCache(zope, clock=clock)
    get(app)
    clock.now += 10.5
    assert get(app)["body"].endswith(b"#2")


def test_an_invalidated_entry_is_never_served_stale(clock):
    zope = Zope(ttl="10", extra=[(microcache.STALE_HEADER, "30")])
    app = MicroCache(zope, clock=clock)
    get(app)
    clock.now += 11
    microcache.invalidate(stamp="")
    assert get(app)["body"].endswith(b"#2")


def test_invalidate_drops_every_entry_at_once(clock):
    zope = Zope()
    app = MicroCache(zope, clock=clock)
    get(app), get(app, "/dimos/@hotspots/b/portal")
    microcache.invalidate(stamp="")
    assert get(app)["body"].endswith(b"#3")
    assert get(app, "/dimos/@hotspots/b/portal")["body"].endswith(b"#4")


def test_an_answer_computed_across_an_invalidation_is_not_kept(clock):
    """Zope read the old state, the commit came meanwhile: its answer must not outlive the commit."""

    class Racing(Zope):
        def __call__(self, environ, start_response):
            result = super().__call__(environ, start_response)
            if len(self.calls) == 1:
                microcache.invalidate(stamp="")
            return result

    zope = Racing()
    app = MicroCache(zope, clock=clock)
    get(app)
    assert get(app)["body"].endswith(b"#2")


def test_another_process_invalidates_through_the_stamp_file(clock, tmp_path):
    stamp = tmp_path / "microcache.stamp"
    stamp.write_text("")
    zope = Zope()
    app = MicroCache(zope, stamp=str(stamp), clock=clock)
    get(app)
    os.utime(stamp, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # another process commits
    assert get(app)["body"].endswith(b"#1")  # checked at most every 0.25 s
    clock.now += 0.3
    assert get(app)["body"].endswith(b"#2")
    assert get(app)["body"].endswith(b"#2")


def test_its_own_touch_of_the_stamp_does_not_empty_a_process_twice(clock, tmp_path):
    stamp = tmp_path / "microcache.stamp"
    stamp.write_text("")
    zope = Zope()
    app = MicroCache(zope, stamp=str(stamp), clock=clock)
    get(app)
    microcache.invalidate(stamp=str(stamp))  # a commit in this process
    assert get(app)["body"].endswith(b"#2")  # rebuilt at once...
    clock.now += 0.3
    assert get(app)["body"].endswith(b"#2")  # ...and kept when the stamp is next looked at


def test_only_what_zope_marks_is_kept(clock):
    unmarked = Zope(ttl=None)
    app = MicroCache(unmarked, clock=clock)
    get(app), get(app)
    assert len(unmarked.calls) == 2
    zero = Zope(ttl="0")
    app = MicroCache(zero, clock=clock)
    answer = get(app)
    get(app)
    assert len(zero.calls) == 2
    assert microcache.HEADER not in answer["headers"]


@pytest.mark.parametrize(
    "zope",
    [
        Zope(status="404 Not Found"),
        Zope(status="500 Internal Server Error"),
        Zope(extra=[("Set-Cookie", "I18N_LANGUAGE=en")]),
    ],
    ids=["not-found", "error", "cookie"],
)
def test_errors_and_answers_setting_cookies_are_never_kept(zope, clock):
    app = MicroCache(zope, clock=clock)
    answer = get(app)
    get(app)
    assert len(zope.calls) == 2
    assert microcache.HEADER not in answer["headers"]


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_AUTHORIZATION": "Basic YWRtaW46c2VjcmV0"},
        {"HTTP_COOKIE": "__ac=abc"},
        {"HTTP_COOKIE": "auth_token=abc; I18N_LANGUAGE=el"},
        {"REQUEST_METHOD": "POST"},
    ],
    ids=["basic", "plone-login", "jwt-cookie", "post"],
)
def test_logged_in_users_and_writes_go_straight_to_zope(environ, clock):
    zope = Zope()
    app = MicroCache(zope, clock=clock)
    get(app)  # anonymous: fills the entry
    answer = get(app, **environ)
    assert len(zope.calls) == 2
    assert microcache.HEADER not in answer["headers"]


def test_greek_and_english_visitors_are_kept_apart(clock):
    zope = Zope()
    app = MicroCache(zope, clock=clock)
    get(app, HTTP_ACCEPT_LANGUAGE="el-GR,el;q=0.9")
    get(app, HTTP_ACCEPT_LANGUAGE="el")
    get(app, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8")
    get(app, HTTP_COOKIE="I18N_LANGUAGE=en", HTTP_ACCEPT_LANGUAGE="el")
    get(app, QUERY_STRING="lang=en")
    assert len(zope.calls) == 3  # el; en (header and cookie alike); ?lang=en


def test_if_none_match_gets_304_and_zope_is_asked_for_the_whole_answer(clock):
    zope = Zope()
    app = MicroCache(zope, clock=clock)
    etag = get(app, HTTP_IF_NONE_MATCH='"old"')["headers"]["ETag"]
    assert "HTTP_IF_NONE_MATCH" not in zope.calls[0]
    answer = get(app, HTTP_IF_NONE_MATCH=etag)
    assert answer["status"].startswith("304")
    assert answer["body"] == b""
    assert get(app, HTTP_IF_NONE_MATCH='"other"')["status"].startswith("200")


def test_head_gets_the_headers_only(clock):
    zope = Zope()
    app = MicroCache(zope, clock=clock)
    get(app)
    answer = get(app, REQUEST_METHOD="HEAD")
    assert answer["body"] == b""
    assert answer["headers"]["Content-Length"] == str(len(b"/dimos/@hotspots/a/portal #1"))


def test_the_least_recently_used_entry_goes_first(clock):
    zope = Zope()
    app = MicroCache(zope, max_entries=2, clock=clock)
    get(app, "/a"), get(app, "/b"), get(app, "/a"), get(app, "/c")  # /b is the oldest now
    assert len(zope.calls) == 3
    get(app, "/a")
    assert len(zope.calls) == 3
    get(app, "/b")
    assert len(zope.calls) == 4


def test_many_phones_at_once_on_a_cold_entry_ask_zope_once():
    zope = Zope(delay=0.2)
    app = MicroCache(zope)
    bodies = []
    threads = [threading.Thread(target=lambda: bodies.append(get(app)["body"])) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(zope.calls) == 1
    assert set(bodies) == {b"/dimos/@hotspots/a/portal #1"}


def test_after_an_invalidation_the_kept_pages_are_rebuilt_two_at_a_time():
    running, most = [], []

    class Counting(Zope):
        def __call__(self, environ, start_response):
            running.append(1)
            most.append(len(running))
            try:
                return super().__call__(environ, start_response)
            finally:
                running.pop()

    zope = Counting(delay=0.05)
    app = MicroCache(zope)
    paths = [f"/dimos/@hotspots/s{n}/portal" for n in range(8)]
    for path in paths:
        get(app, path)
    microcache.invalidate(stamp="")
    most.clear()
    threads = [threading.Thread(target=get, args=(app, path)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(zope.calls) == 16
    assert max(most) == 2


def test_the_filter_can_be_turned_off(monkeypatch):
    zope = Zope()
    monkeypatch.setenv("DIMOS_MICROCACHE", "0")
    assert filter_app_factory(zope, {}) is zope
    monkeypatch.setenv("DIMOS_MICROCACHE", "1")
    monkeypatch.setenv("DIMOS_MICROCACHE_ENTRIES", "7")
    assert filter_app_factory(zope, {}).max_entries == 7


def test_waitress_queue_warnings_are_held_to_one_per_ten_seconds(clock):
    from dimos.hotspots.wsgi_logging import OncePer

    import logging

    once = OncePer(10, clock=clock)
    records = [
        logging.makeLogRecord({"msg": "Task queue depth is %d", "args": (n,)}) for n in range(5)
    ]
    assert [once.filter(r) for r in records[:3]] == [True, False, False]
    clock.now += 10
    assert once.filter(records[3])
    assert records[3].getMessage() == "Task queue depth is 3 (2 similar messages held back)"


def test_the_access_log_is_written_by_a_background_thread_in_order(tmp_path):
    from dimos.hotspots import wsgi_logging

    import logging

    logger = logging.getLogger("dimos-test-access")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.FileHandler(tmp_path / "access.log")
    logger.addHandler(handler)
    listener = wsgi_logging.write_access_log_in_background("dimos-test-access")
    try:
        assert wsgi_logging.write_access_log_in_background("dimos-test-access") is None
        assert handler not in logger.handlers
        for number in range(200):
            logger.info("GET /portal %d", number)
    finally:
        listener.stop()
        handler.close()
    lines = (tmp_path / "access.log").read_text().splitlines()
    assert lines == [f"GET /portal {n}" for n in range(200)]


PROXY = {"HTTP_X_DIMOS_PROXY": "varnish"}


def test_behind_varnish_the_answer_says_how_much_of_its_time_is_left(clock):
    zope = Zope(ttl="30", extra=[(microcache.STALE_HEADER, "20")])
    app = MicroCache(zope, clock=clock)
    first = get(app, **PROXY)
    assert (first["headers"][microcache.HEADER], first["headers"][microcache.STALE_HEADER]) == (
        "30.000",
        "20.000",
    )
    clock.now += 12.25
    second = get(app, **PROXY)
    assert second["headers"]["X-Dimos-Cache"] == "hit"
    assert second["headers"][microcache.HEADER] == "17.750"  # Varnish keeps it no longer than we do
    assert second["headers"][microcache.STALE_HEADER] == "20.000"
    assert microcache.HEADER not in get(app)["headers"]  # a phone talking to Zope never sees them


def test_behind_varnish_a_stale_copy_goes_for_a_second_within_its_stale_time(clock):
    zope = Zope(ttl="2", extra=[(microcache.STALE_HEADER, "30")])
    app = MicroCache(zope, clock=clock)
    get(app)
    clock.now += 3
    lock = app._key_lock(("/dimos/@hotspots/a/portal", "", "", ""))
    with lock:  # another request is refreshing it: this one gets the stale copy
        stale = get(app, **PROXY)
        assert stale["headers"]["X-Dimos-Cache"] == "stale"
        assert stale["headers"][microcache.HEADER] == "1.000"
        assert stale["headers"][microcache.STALE_HEADER] == "28.000"
        clock.now += 28.75  # 0.25 s of its stale time left: no more than that
        end = get(app, **PROXY)["headers"]
        assert (end[microcache.HEADER], end[microcache.STALE_HEADER]) == ("0.250", "0.000")


def test_behind_varnish_an_answer_built_across_an_invalidation_is_not_to_keep(clock):
    zope = Zope(ttl="2", extra=[(microcache.STALE_HEADER, "30")])

    def invalidating(environ, start_response):
        microcache.invalidate(stamp="")  # a commit lands while Zope builds the answer
        return zope(environ, start_response)

    raced = get(MicroCache(invalidating, clock=clock), **PROXY)
    assert raced["body"].endswith(b"#1")
    assert raced["headers"][microcache.HEADER] == "0"


def test_behind_varnish_an_answer_zope_would_not_have_kept_says_so(clock):
    app = MicroCache(Zope(ttl="0"), clock=clock)
    answer = get(app, **PROXY)
    assert answer["headers"]["X-Dimos-Cache"] == "pass"
    assert answer["headers"][microcache.HEADER] == "0"
    unmarked = get(MicroCache(Zope(ttl=None), clock=clock), **PROXY)
    assert microcache.HEADER not in unmarked["headers"]  # Varnish passes it and remembers that
