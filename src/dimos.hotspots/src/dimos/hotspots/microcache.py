"""A micro-cache in front of Zope for the captive portal: plain WSGI, no Zope imports.

Twenty hotspots' phones ask for the same few pages: the portal JSON and the
splash page of each spot, in Greek or English. Zope answers one in a few
milliseconds of Python, too slow for dozens of phones at once on two cores.
This filter keeps such answers in memory for the few seconds they stay true
and serves them without entering Zope.

Only what Zope marks may be kept: a response carrying ``X-Dimos-Microcache:
<seconds>`` (200, no Set-Cookie) to an anonymous GET or HEAD. The header is
taken off before the response leaves. The views compute the seconds: at most
a minute, and never past the next moment an alert takes effect or expires.
Publishing, changing or withdrawing an alert, news, an event or a hotspot
calls ``invalidate()`` after the commit (``invalidation.py``): every entry
is dropped at once, in this process; other processes on the machine see the
stamp file (``DIMOS_MICROCACHE_STAMP``) change within a quarter of a second.

Behind Varnish (``proxy/``, requests carrying ``X-Dimos-Proxy``) the
answer keeps the two headers, with the seconds that are left, and Varnish
takes them off.

Keys: path, query string, the Accept header and the language the views would
choose (the ``I18N_LANGUAGE`` cookie, else the first Accept-Language).
Settings (environment): ``DIMOS_MICROCACHE=0`` turns it off,
``DIMOS_MICROCACHE_ENTRIES`` (default 512), ``DIMOS_MICROCACHE_STAMP``.
"""

from collections import OrderedDict
from dataclasses import dataclass
from dimos.hotspots import wsgi_logging
from http.cookies import CookieError
from http.cookies import SimpleCookie

import hashlib
import os
import threading
import time


HEADER = "X-Dimos-Microcache"
STALE_HEADER = "X-Dimos-Microcache-Stale"  # seconds it may be served stale while one refreshes it
STATUS_HEADER = "X-Dimos-Cache"  # hit / miss, for operators and the benchmark
MAX_BODY = 512 * 1024
STAMP_CHECK_SECONDS = 0.25
PROXY_STALE_SECONDS = 1.0  # how long Varnish may keep a stale copy it got while Zope rebuilds
AUTH_COOKIES = ("__ac", "auth_token")
LANGUAGES = ("el", "en")

_generation = 0
_generation_lock = threading.Lock()
_own_touches = {}  # stamp path -> the mtime this process's last invalidate() gave it


def generation():
    return _generation


def invalidate(stamp=None):
    """Drop every entry of every micro-cache in this process; touch the stamp for the others."""
    global _generation
    with _generation_lock:
        _generation += 1
    stamp = stamp if stamp is not None else os.environ.get("DIMOS_MICROCACHE_STAMP")
    if stamp:
        try:
            with open(stamp, "a"):
                pass
            os.utime(stamp)
            # This process has dropped its entries already: its caches need not drop them
            # again when they see this touch (the pages rebuilt meanwhile would go twice).
            _own_touches[os.path.abspath(stamp)] = os.stat(stamp).st_mtime_ns
        except OSError:  # a read-only var/ must not break a commit: the TTL still bounds it
            pass


@dataclass
class Entry:
    status: str
    headers: list
    body: bytes
    etag: str
    expires: float
    generation: int
    stale_until: float = 0.0


def _cookie_language(environ):
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return "", False
    try:
        cookies = SimpleCookie(raw)
    except CookieError:
        return "", True  # cannot tell: treat as personal
    if any(name in cookies for name in AUTH_COOKIES):
        return "", True
    chosen = cookies["I18N_LANGUAGE"].value[:2] if "I18N_LANGUAGE" in cookies else ""
    return (chosen if chosen in LANGUAGES else ""), False


def language(environ):
    chosen, _ = _cookie_language(environ)
    if chosen:
        return chosen
    accepted = environ.get("HTTP_ACCEPT_LANGUAGE", "").split(",")[0].strip()[:2].lower()
    return accepted if accepted in LANGUAGES else ""


def cacheable_request(environ):
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if environ.get("HTTP_AUTHORIZATION"):
        return False
    _, personal = _cookie_language(environ)
    return not personal


def _seconds(headers, header=HEADER):
    for name, value in headers:
        if name.lower() == header.lower():
            try:
                return max(0.0, min(float(value), 3600.0))
            except ValueError:
                return 0.0
    return None


def _without(headers, *names):
    names = {n.lower() for n in names}
    return [(k, v) for k, v in headers if k.lower() not in names]


class MicroCache:
    def __init__(self, app, max_entries=512, stamp=None, clock=time.monotonic, refills=2):
        self.app = app
        self.max_entries = max_entries
        self.stamp = stamp
        self.clock = clock
        self.entries = OrderedDict()
        self.lock = threading.Lock()
        # One filling at a time per key, from a fixed set of locks: a flood of
        # distinct query strings cannot grow it.
        self.key_locks = [threading.Lock() for _ in range(64)]
        # Refills of what was kept before go two at a time. After a publication (or at an
        # alert's expiry) the twenty portals are rebuilt at once; run together under the GIL,
        # each would take as long as all twenty, and no phone would get one sooner.
        self.refills = threading.BoundedSemaphore(refills)
        self.known = OrderedDict()  # keys once kept: their next fill is a refill
        self._stamp_seen = self._stamp_mtime()
        self._stamp_checked = clock()
        self.hits = self.misses = 0

    # -- invalidation from other processes ---------------------------------

    def _stamp_mtime(self):
        if not self.stamp:
            return None
        try:
            return os.stat(self.stamp).st_mtime_ns
        except OSError:
            return None

    def _check_stamp(self, now):
        if not self.stamp or now - self._stamp_checked < STAMP_CHECK_SECONDS:
            return
        self._stamp_checked = now
        seen = self._stamp_mtime()
        if seen != self._stamp_seen:
            self._stamp_seen = seen
            if _own_touches.get(os.path.abspath(self.stamp)) == seen:
                return
            with self.lock:
                self.entries.clear()

    # -- WSGI --------------------------------------------------------------

    def __call__(self, environ, start_response):
        if not cacheable_request(environ):
            return self._pass(environ, start_response)
        key = (
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT", ""),
            language(environ),
        )
        now = self.clock()
        self._check_stamp(now)
        entry, fresh = self._lookup(key, now)
        if entry is not None and not fresh:
            # Past its time but still allowed stale: one request refreshes it, the others
            # get the stale copy meanwhile (what Zope said may be kept; never past an alert change).
            lock = self._key_lock(key)
            if not lock.acquire(blocking=False):
                self.hits += 1
                return self._serve(entry, environ, start_response, "stale")
            try:
                entry, response = self._fill(key, environ)
            finally:
                lock.release()
            if entry is None:
                return response(start_response)
            self.misses += 1
            return self._serve(entry, environ, start_response, "miss")
        if entry is None:
            with self._key_lock(key):
                entry = self._fresh(key, self.clock())  # another thread may have filled it
                if entry is None:
                    entry, response = self._fill(key, environ)
                    if entry is None:
                        return response(start_response)
                    self.misses += 1
                    return self._serve(entry, environ, start_response, "miss")
        self.hits += 1
        return self._serve(entry, environ, start_response, "hit")

    def _key_lock(self, key):
        return self.key_locks[hash(key) % len(self.key_locks)]

    def _fresh(self, key, now):
        entry, fresh = self._lookup(key, now)
        return entry if fresh else None

    def _lookup(self, key, now):
        """(entry, True) when fresh, (entry, False) when only allowed stale, else (None, False)."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None, False
            if entry.generation != _generation or max(entry.expires, entry.stale_until) <= now:
                del self.entries[key]
                return None, False
            self.entries.move_to_end(key)
            return entry, entry.expires > now

    def _call(self, environ):
        """Run the app; its status, headers and whole body."""
        captured = {}

        def start(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: captured.setdefault("written", []).append(data)

        result = self.app(environ, start)
        try:
            body = b"".join([*captured.get("written", []), *result])
        finally:
            if hasattr(result, "close"):
                result.close()
        return captured["status"], captured["headers"], body

    def _fill(self, key, environ):
        """Ask Zope; keep the answer when it may be kept. (entry, None) or (None, responder)."""
        started_generation = _generation
        started = self.clock()
        # The whole answer, to keep; this filter answers the client's conditional request itself.
        environ = {
            k: v
            for k, v in environ.items()
            if k not in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
        }
        if key in self.known:
            with self.refills:
                started_generation = _generation
                status, headers, body = self._call(environ)
        else:
            status, headers, body = self._call(environ)
        ttl = _seconds(headers)
        stale = _seconds(headers, STALE_HEADER) or 0.0
        headers = _without(headers, HEADER, STALE_HEADER)
        keep = (
            ttl
            and status.startswith("200")
            and environ.get("REQUEST_METHOD") == "GET"
            and len(body) <= MAX_BODY
            and not any(k.lower() == "set-cookie" for k, _ in headers)
        )
        if not keep:
            if ttl is not None and environ.get("HTTP_X_DIMOS_PROXY"):
                headers.append((HEADER, "0"))  # Varnish: not to keep, and not to remember as such

            def respond(start_response):
                start_response(status, [*headers, (STATUS_HEADER, "pass")])
                return [body]

            return None, respond
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        if etag is None:
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers.append(("ETag", etag))
        headers = _without(headers, "Date", "Content-Length")
        entry = Entry(
            status, headers, body, etag, started + ttl, started_generation, started + ttl + stale
        )
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            self.known[key] = True
            self.known.move_to_end(key)
            while len(self.known) > 4 * self.max_entries:
                self.known.popitem(last=False)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        return entry, None

    def _serve(self, entry, environ, start_response, how):
        match = environ.get("HTTP_IF_NONE_MATCH", "")
        if match and entry.etag in [tag.strip() for tag in match.split(",")]:
            keep = ("etag", "cache-control", "vary", "expires", "last-modified")
            headers = [(k, v) for k, v in entry.headers if k.lower() in keep]
            start_response("304 Not Modified", [*headers, (STATUS_HEADER, how)])
            return [b""]
        headers = [*entry.headers, ("Content-Length", str(len(entry.body))), (STATUS_HEADER, how)]
        if environ.get("HTTP_X_DIMOS_PROXY"):
            headers.extend(self._proxy_headers(entry))
        start_response(entry.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]

    def _proxy_headers(self, entry):
        """For Varnish in front (``proxy/``): how much of the entry's time is left, so that it
        keeps the answer no longer than this cache would.

        Nothing left when the entry was invalidated while Zope built it. A stale copy (one
        request is rebuilding it) goes with a second or so and the rest of its stale time:
        told "0", Varnish would drop the copy it was handing out and send every phone to
        Zope until the rebuild is done.
        """
        now = self.clock()
        if entry.generation != _generation:
            return [(HEADER, "0")]
        left = entry.expires - now
        if left <= 0:
            left = min(PROXY_STALE_SECONDS, entry.stale_until - now)
            if left <= 0:
                return [(HEADER, "0")]
            stale = max(0.0, entry.stale_until - now - left)
            return [(HEADER, f"{left:.3f}"), (STALE_HEADER, f"{stale:.3f}")]
        stale = max(0.0, entry.stale_until - entry.expires)
        return [(HEADER, f"{left:.3f}"), (STALE_HEADER, f"{stale:.3f}")]

    def _pass(self, environ, start_response):
        """Not ours to keep: straight through, minus the private header."""

        def start(status, headers, exc_info=None):
            return start_response(status, _without(headers, HEADER, STALE_HEADER), exc_info)

        return self.app(environ, start)


def filter_app_factory(app, global_conf=None, **local_conf):
    """PasteDeploy entry point (``egg:dimos.hotspots#microcache`` in wsgi.ini's pipeline)."""
    wsgi_logging.quieten_waitress_queue()
    wsgi_logging.write_access_log_in_background()
    if os.environ.get("DIMOS_MICROCACHE", "1").strip().lower() in ("0", "off", "false", "no"):
        return app
    entries = int(os.environ.get("DIMOS_MICROCACHE_ENTRIES", local_conf.get("entries", 512)))
    stamp = os.environ.get("DIMOS_MICROCACHE_STAMP", local_conf.get("stamp")) or None
    return MicroCache(app, max_entries=entries, stamp=stamp)
