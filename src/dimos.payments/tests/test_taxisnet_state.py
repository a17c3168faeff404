"""The signed state cookie of a Taxisnet login, and the came_from guard."""

from dimos.payments.taxisnet import state

import pytest
import time


SITE = "https://www.dimos.gr/dimos"


def test_state_round_trip_keeps_came_from(portal):
    nonce, cookie = state.issue(f"{SITE}/ofeiles")
    assert nonce not in cookie  # the cookie holds it only encoded and signed
    assert state.verify(cookie, nonce) == f"{SITE}/ofeiles"
    assert state.verify(state.issue()[1], state.issue()[0]) is None  # another login's state


def test_state_expires(portal):
    issued = int(time.time())
    nonce, cookie = state.issue(None, now=issued)
    assert state.verify(cookie, nonce, now=issued + state.MAX_AGE) == ""
    assert state.verify(cookie, nonce, now=issued + state.MAX_AGE + 1) is None


def test_cookie_not_signed_by_the_site_is_refused(portal):
    nonce, cookie = state.issue(f"{SITE}/a")
    payload, _, signature = cookie.rpartition(".")
    forged_payload = state._encode({"s": nonce, "c": "https://evil.example", "t": int(time.time())})
    assert state.verify(f"{forged_payload}.{signature}", nonce) is None
    assert state.verify(f"{payload}.{'0' * 64}", nonce) is None
    assert state.verify("", nonce) is None
    assert state.verify(cookie, "") is None


@pytest.mark.parametrize(
    "came_from, kept",
    [
        (f"{SITE}/ofeiles", f"{SITE}/ofeiles"),
        ("/dimos/ofeiles?x=1", "https://www.dimos.gr/dimos/ofeiles?x=1"),
        ("https://WWW.DIMOS.GR/dimos", "https://WWW.DIMOS.GR/dimos"),
        ("http://www.dimos.gr/dimos", None),  # not the site's scheme
        ("https://www.dimos.gr.evil.example/", None),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("ofeiles", None),
        ("/dimos/\r\nSet-Cookie: x=1", None),
        ("", None),
        (None, None),
    ],
)
def test_same_site(came_from, kept):
    assert state.same_site(came_from, SITE) == kept
