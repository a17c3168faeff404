"""Hold a process-wide lock from taking a number until the transaction ends.

Two Zope threads that take a number from the same counter conflict at commit
and one of them is retried, after a random sleep of up to 2^n seconds (Zope's
``delay_retry``). Under load that makes retries pile up. Within one process we
can do better: a thread that is about to take a number waits for the thread
that took the previous one to commit or abort. Conflicts then only happen
between processes (several ZEO clients), where ZODB still detects them and
Zope retries, so correctness never depends on this lock.

The lock is released by a data manager joined to the transaction: on commit,
on a failed commit and on abort alike.
"""

import threading
import transaction


_LOCKS = {}
_LOCKS_GUARD = threading.Lock()
WAIT_SECONDS = 60


def _lock(name):
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(name, threading.Lock())


class _Release:
    """A data manager with nothing to store: it only releases the lock at the end."""

    transaction_manager = transaction.manager

    def __init__(self, lock):
        self.lock = lock

    def _release(self, *args):
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    abort = tpc_finish = tpc_abort = _release

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def sortKey(self):
        return "~dimos.commitlock"  # last: release after every real resource has finished


def hold_until_commit(name, fresh=False):
    """Take lock ``name`` for the rest of the current transaction (once per transaction).

    A transaction reads the database as it was when the transaction began, so
    a thread that waited for the lock may still see the counter as it was
    before the previous holder committed, and conflict anyway. With ``fresh``
    the transaction is begun anew once the lock is held, so it reads what the
    previous holder committed; that only happens while the transaction has
    written nothing (no resource joined), so no one's work is ever thrown away.
    """
    txn = transaction.get()
    lock = _lock(name)
    try:
        txn.data(lock)
        return  # this transaction holds it already
    except KeyError:
        pass
    if not lock.acquire(timeout=WAIT_SECONDS):
        return  # fall back on conflict detection alone
    if fresh and not txn._resources:  # transaction has no public "is it clean?"
        transaction.abort()
        txn = transaction.begin()
    txn.set_data(lock, True)
    txn.join(_Release(lock))
