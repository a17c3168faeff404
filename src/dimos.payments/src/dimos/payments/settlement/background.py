"""Slow work after a commit, on a thread of its own: a request answers without waiting for it.

Why: a receipt was drawn (a PDF) and sealed (a round trip to the TSA, and
OCSP) inside the transaction that recorded the payment, while the ledger's
commit lock was held, so every callback, order and import of the process
queued behind it. Now the payment's transaction only numbers the receipt,
and ``run_after_commit(task, *args)`` has the rest done later:

* an after-commit hook of the current transaction: the task is queued only
  if the transaction committed (an aborted, failed or conflicting request,
  which Zope retries, queues nothing), and queueing is all the request does;
* one worker thread per process (a daemon, started on demand, ending after a
  minute without work) takes tasks from a bounded queue in order: a burst of
  payments never makes more threads or more connections, and sealing (about
  half a second of mostly CPU a receipt, in this process, under its GIL) is
  done one receipt at a time, so the requests' threads stay free to answer;
* each task gets a ZODB connection of its own, with the worker thread's own
  transaction manager (``transaction.manager`` is per thread, and the helpers
  the task calls, ``commitlock.hold_until_commit`` and ``notify``'s after-commit
  emails, work on the current thread's transaction), the site set as the
  current site, and a request of its own (no HTTP request is behind it);
* persistent objects among the arguments travel by oid (read after the
  commit, when a new object has one) and are loaded in the task's connection;
* a task commits with ``commit_with_retries``: on a ConflictError it aborts,
  waits a little and runs its writes again, a few times.

What is lost (the process stops, the queue is full, a task fails) is never
the payment, which is committed first: a receipt whose task did not finish
stays *pending*, and ``POST /@receipts-retry`` issues it.

Tests wait for the queue with ``drain()`` and end the thread with ``stop()``.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from dimos.payments import logger
from persistent import Persistent
from ZODB.POSException import ConflictError

import queue
import random
import threading
import time
import transaction


QUEUE_SIZE = 1000
IDLE_SECONDS = 60
RETRIES = 5


@dataclass(frozen=True)
class Oid:
    """A persistent argument, by its oid: loaded again in the task's connection."""

    oid: bytes


@dataclass(frozen=True)
class Task:
    db: object
    site_path: tuple
    function: object  # function(site, *args)
    args: tuple
    key: str  # what it works on, e.g. a receipt's number (``busy``)


class Worker:
    """One thread taking tasks from a bounded queue; started on demand, ends when idle."""

    STOP = object()

    def __init__(self, run, size=QUEUE_SIZE, idle=IDLE_SECONDS):
        self.run = run
        self.queue = queue.Queue(size)
        self.idle = idle
        self.lock = threading.Lock()
        self.thread = None
        self.keys = {}  # (id(db), key) → tasks queued or running
        self.submitted = 0

    def submit(self, task):
        """Queue ``task``; queue.Full when the queue is full (the caller logs it)."""
        with self.lock:
            self.queue.put_nowait(task)
            self.submitted += 1
            name = (id(task.db), task.key)
            self.keys[name] = self.keys.get(name, 0) + 1
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._loop, name="dimos.payments.settlement", daemon=True
                )
                self.thread.start()

    def busy(self, db, key):
        """True while a task on ``key`` of ``db`` is queued or running in this process."""
        with self.lock:
            return (id(db), key) in self.keys

    def _done(self, task):
        with self.lock:
            name = (id(task.db), task.key)
            self.keys[name] -= 1
            if not self.keys[name]:
                del self.keys[name]

    def _leave(self):
        """This thread ends: forget it, so that the next ``submit`` starts another."""
        if self.thread is threading.current_thread():
            self.thread = None

    def _loop(self):
        while True:
            try:
                task = self.queue.get(timeout=self.idle)
            except queue.Empty:
                with self.lock:
                    if self.queue.empty():  # nothing came in a while
                        self._leave()
                        return
                continue
            if task is self.STOP:
                with self.lock:
                    self._leave()
                self.queue.task_done()
                return
            try:
                self.run(task)
            except Exception:
                logger.exception("Background task on %s failed", task.key)
            finally:
                self._done(task)
                self.queue.task_done()

    def drain(self, timeout=60):
        """Wait until every queued task has run; False if ``timeout`` seconds were not enough."""
        deadline = time.monotonic() + timeout
        with self.queue.all_tasks_done:
            while self.queue.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0 or not self.queue.all_tasks_done.wait(left):
                    return not self.queue.unfinished_tasks
        return True

    def stop(self, timeout=60):
        """Run what is queued, then end the thread (tests: no thread outlives its test)."""
        with self.lock:
            thread = self.thread
        if thread is not None and thread.is_alive():
            self.queue.put(self.STOP)  # after what is queued: that runs first
            thread.join(timeout)
        return thread is None or not thread.is_alive()


@contextmanager
def site_context(connection, path):
    """The site at ``path`` in ``connection``, as the current site, with a request of its own."""
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from zope.globalrequest import setRequest

    app = makerequest(connection.root()["Application"])
    site = app.unrestrictedTraverse("/".join(path))
    setSite(site)
    setRequest(app.REQUEST)
    try:
        yield site
    finally:
        setSite(None)
        setRequest(None)
        app.REQUEST.close()


def run_task(task):
    """Run ``task`` in a connection and transaction of its own; always closed, never left open."""
    transaction.abort()  # start clean: this thread's own transaction manager
    connection = task.db.open()
    try:
        with site_context(connection, task.site_path) as site:
            args = [connection.get(a.oid) if isinstance(a, Oid) else a for a in task.args]
            task.function(site, *args)
    finally:
        transaction.abort()
        connection.close()


WORKER = Worker(run_task)


def _queue(committed, db, site_path, function, args, key):
    """The after-commit hook: queue the task if the transaction committed."""
    if not committed:
        logger.info("Not queued (%s): the transaction did not commit", key)
        return
    args = tuple(Oid(arg._p_oid) if isinstance(arg, Persistent) else arg for arg in args)
    try:
        WORKER.submit(Task(db, site_path, function, args, key))
    except queue.Full:
        logger.error("Background queue full: %s not queued; it stays pending for a retry", key)


def run_after_commit(function, *args, key=""):
    """Once the current transaction commits, run ``function(site, *args)`` on the worker thread.

    Persistent objects among ``args`` are passed by oid and loaded in the
    task's own connection; everything else must be safe to share between
    threads (immutable). Nothing runs if the transaction does not commit.
    """
    from plone import api

    site = api.portal.get()
    transaction.get().addAfterCommitHook(
        _queue, args=(site._p_jar.db(), site.getPhysicalPath(), function, args, key)
    )


def busy(key):
    """True while a task on ``key`` for the current site's database is queued or running."""
    from plone import api

    return WORKER.busy(api.portal.get()._p_jar.db(), key)


def commit_with_retries(write, attempts=RETRIES):
    """``write()`` then commit; after a ConflictError, abort, wait a little and again.

    Returns what ``write`` returned; the last ConflictError, or any other
    error (after an abort), goes to the caller.
    """
    for attempt in range(1, attempts + 1):
        try:
            result = write()
            transaction.commit()
            return result
        except ConflictError:
            transaction.abort()
            if attempt == attempts:
                raise
            logger.info("Conflict while committing (attempt %s of %s); again", attempt, attempts)
            time.sleep(random.uniform(0, 0.02 * 2**attempt))
        except Exception:
            transaction.abort()
            raise


def drain(timeout=60):
    """Wait for the queued tasks of this process (tests); False if they did not finish in time."""
    return WORKER.drain(timeout)


def stop(timeout=60):
    """Run the queued tasks and end the worker thread (tests, shutdown)."""
    return WORKER.stop(timeout)
