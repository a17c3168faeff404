"""The callback's code exchange, once per login even when Zope retries the request.

GSIS's authorization codes serve once. When the callback's transaction hits
a ZODB ConflictError (two logins writing member data at the same moment),
Zope aborts and runs the request again: asking GSIS again would be refused
as a reused code. So the Citizen of a successful exchange is kept in this
process for that retry, keyed by the code *and* the browser's verified
state (another browser sending the same code has another state, and goes to
GSIS, which refuses it), until the transaction commits or ``KEEP`` seconds
pass.
"""

import threading
import time
import transaction


KEEP = 120  # seconds; Zope's retries come within a second or two
_exchanged = {}  # key -> (expires, Citizen)
_lock = threading.Lock()


def _key(client, code, state):
    return (client.base_url, client.client_id, code, state)


def _forget(committed, key):
    if committed:  # a failed commit (ConflictError) is retried: keep it for the retry
        with _lock:
            _exchanged.pop(key, None)


def citizen_for_code(client, code, state):
    """The Citizen of ``code`` (``client.citizen_for_code``), exchanged once per login."""
    key = _key(client, code, state)
    now = time.monotonic()
    with _lock:
        for stale in [old for old, (expires, _) in _exchanged.items() if expires < now]:
            del _exchanged[stale]
        if key in _exchanged:
            return _exchanged[key][1]
    citizen = client.citizen_for_code(code)
    with _lock:
        _exchanged[key] = (now + KEEP, citizen)
    transaction.get().addAfterCommitHook(_forget, args=(key,))
    return citizen
