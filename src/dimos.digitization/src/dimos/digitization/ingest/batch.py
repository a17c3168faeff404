"""One run of a batch: walk the folder, check each file, keep a window of files at the workers.

Everything the run knows lives in the batch's sqlite state (``state.py``):
the folder is walked once, in order, and each file is hashed and preflighted
here (cheap), then either quarantined, skipped (already in the site, or a copy
of another file of the batch) or marked ``pending``. At most ``window`` files
are at the workers at any time; the next ones are read back from the state as
results arrive, so memory stays flat whatever the size of the batch.

Killing the ingest at any point loses nothing: a re-run checks what the
previous one had sent, takes the results that arrived, and sends again what
has none. A file sent twice is harmless: the worker asks the site first and the
site keeps one record per content hash.
"""

from collections import Counter
from dimos.digitization.ingest.progress import snapshot
from dimos.digitization.ingest.state import FINAL
from dimos.digitization.ingest.state import now
from dimos.digitization.pipeline.model import Rejected
from pathlib import Path

import os
import psutil
import socket
import time


def walk(folder, skip):
    """Files under ``folder`` in name order, without ``skip``, hidden files and reasons."""
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            if Path(entry.path).resolve() != skip:
                yield from walk(entry.path, skip)
        elif entry.is_file() and not entry.name.endswith(".reason.txt"):
            yield Path(entry.path)


def lost(result):
    """A task started by a worker process of this machine that has died since.

    The task's state is read once: ``result.state`` and ``result.info`` each
    read the backend again, and the task may finish between two reads.
    """
    meta = result.backend.get_task_meta(result.id)
    info = meta.get("result")
    if meta.get("status") != "STARTED" or not isinstance(info, dict):
        return False
    host = str(info.get("hostname", "")).rpartition("@")[2]
    pid = info.get("pid")
    return host == socket.gethostname() and pid is not None and not psutil.pid_exists(pid)


class Batch:
    def __init__(self, folder, state, client, settings, progress, dry_run=False):
        self.folder = Path(folder).resolve()
        self.state = state
        self.client = client
        self.settings = (
            settings  # quarantine, workroot, options, publish, body, window, ahead, poll
        )
        self.progress = progress
        self.dry_run = dry_run
        self.started = now()
        self.last_collect = 0.0
        self.tally = Counter()  # what this run did: done, skipped, quarantined, failed

    # checking each file

    def examine(self, path):
        rel = path.relative_to(self.folder).as_posix()
        stat = path.stat()
        row = self.state.row(rel)
        if row is not None and (row["size"], row["mtime"]) == (stat.st_size, stat.st_mtime_ns):
            if row["state"] in FINAL:
                self.tally["skipped"] += 1  # done by an earlier run
                return row["state"]
            if row["state"] == "queued":
                return row["state"]
            if row["sha256"]:  # pending or failed: send it again
                self.state.record(rel, state="pending", task_id=None)
                return "pending"
        from dimos.digitization.pipeline.preflight import preflight

        try:
            checked = preflight(path, self.settings.options.limits)
        except Rejected as error:
            self.quarantine(rel, error, size=stat.st_size, mtime=stat.st_mtime_ns)
            return "quarantined"
        facts = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "sha256": checked.sha256}
        facts["pages"] = checked.page_count
        return self.sort(rel, facts)

    def sort(self, rel, facts):
        """Skipped (in the site, or a copy of another file here) or pending."""
        known = self.client.lookup(facts["sha256"])
        if known is not None:
            self.state.record(
                rel, state="skipped", url=known.get("@id"), finished_at=now(), **facts
            )
            self.tally["skipped"] += 1
            self.tell(f"= {rel}: ήδη στον ιστότοπο / already in the site {known.get('@id', '')}")
            return "skipped"
        twin = self.state.twin(facts["sha256"], rel)
        if twin is not None:
            self.state.record(
                rel,
                state="skipped",
                code="duplicate",
                message_el=f"ίδιο περιεχόμενο με το {twin['path']}",
                message_en=f"same content as {twin['path']}",
                finished_at=now(),
                **facts,
            )
            self.tally["skipped"] += 1
            self.tell(f"= {rel}: ίδιο με / same as {twin['path']}")
            return "skipped"
        self.state.record(rel, state="pending", task_id=None, **facts)
        if self.dry_run:
            self.tell(f"+ {rel}: θα ψηφιοποιηθεί / would be digitized ({facts['pages']} p.)")
        return "pending"

    def quarantine(self, rel, error, **facts):
        moved = None
        if not self.dry_run:
            from dimos.digitization.pipeline.quarantine import quarantine

            target = self.settings.quarantine / Path(rel).parent
            moved = str(quarantine(self.folder / rel, target, error))
        self.state.record(
            rel,
            state="quarantined",
            code=error.code,
            message_el=error.message_el,
            message_en=error.message_en,
            moved_to=moved,
            finished_at=now(),
            **facts,
        )
        self.tally["quarantined"] += 1
        verb = (
            "θα μπει σε καραντίνα / would be quarantined"
            if self.dry_run
            else "καραντίνα / quarantined"
        )
        self.tell(f"! {rel}: {verb}: {error.message_el} / {error.message_en}")

    def tell(self, text):
        if self.progress is not None:
            self.progress.say(text)

    # the workers

    def send(self, limit):
        from dimos.digitization.worker.tasks import digitize
        from dimos.digitization.worker.tasks import wire_options

        settings = self.settings
        for row in self.state.rows("pending", limit):
            source = self.folder / row["path"]
            if not source.exists():
                self.state.record(
                    row["path"],
                    state="failed",
                    code="missing",
                    message_el="το αρχείο δεν υπάρχει πια",
                    message_en="the file is gone",
                )
                continue
            manifest = self.state.manifest_for(row["path"])
            if settings.body and not (manifest or {}).get("body"):
                manifest = {**(manifest or {"file": row["path"]}), "body": settings.body}
            sent = digitize.apply_async(
                kwargs={
                    "source": str(source),
                    "manifest": manifest,
                    "options": wire_options(settings.options),
                    "publish": settings.publish,
                    "workroot": str(settings.workroot),
                    "sha256": row["sha256"],
                },
            )
            self.state.record(row["path"], state="queued", task_id=sent.id, queued_at=now())

    def collect(self):
        """Record the results that arrived; send again tasks whose worker died. How many arrived."""
        from celery.result import AsyncResult
        from dimos.digitization.worker.app import app

        arrived = 0
        for row in self.state.chunks("queued"):
            result = AsyncResult(row["task_id"], app=app)
            if result.ready():
                self.finish(row, result)
                arrived += 1
            elif lost(result):
                self.state.record(row["path"], state="pending", task_id=None)
        return arrived

    def finish(self, row, result):
        rel = row["path"]
        answer = result.result if result.successful() else None
        if not isinstance(answer, dict):
            self.state.record(
                rel,
                state="failed",
                code="task-error",
                message_el=str(result.result),
                message_en=str(result.result),
            )
            result.forget()
            return
        status = answer["status"]
        messages = answer.get("messages") or {}
        if status == "quarantined":
            self.quarantine(
                rel,
                Rejected(messages.get("el", ""), messages.get("en", ""), code=answer.get("code")),
            )
        elif status in ("stored", "already"):
            self.tally["done" if status == "stored" else "skipped"] += 1
            self.state.record(
                rel,
                state="done" if status == "stored" else "skipped",
                url=answer.get("url"),
                review_state=answer.get("review_state"),
                flagged=answer.get("flagged") or [],
                seconds=answer.get("seconds"),
                finished_at=now(),
            )
        else:
            self.state.record(
                rel,
                state="failed",
                code=answer.get("code"),
                message_el=messages.get("el"),
                message_en=messages.get("en"),
                finished_at=now(),
            )
            self.tally["failed"] += 1
            self.tell(f"x {rel}: {messages.get('el')} / {messages.get('en')}")
        result.forget()

    def pump(self, force=False):
        """Take results (at most every ``poll`` seconds), keep the window full, redraw the bar."""
        if force or time.monotonic() - self.last_collect >= self.settings.poll:
            self.collect()
            self.last_collect = time.monotonic()
        free = self.settings.window - self.state.count("queued")
        if free > 0:
            self.send(free)
        if self.progress is not None and self.progress.due(force):
            self.progress.show(snapshot(self.state, self.started))

    # a whole run

    def restart(self):
        """Before walking: take the results of what a previous run sent; the rest goes again."""
        self.collect()
        self.state.reset(("queued", "failed"))

    def run(self, wait=True):
        if not self.dry_run:
            self.restart()
        for path in walk(self.folder, self.settings.quarantine):
            self.examine(path)
            # Files are sent a window at a time, longest first: a long document
            # started last would keep one worker busy while the others wait.
            # The first few go at once, so the workers start while the rest of
            # the window is read.
            if not self.dry_run and (
                self.state.count("pending") >= self.settings.window
                or self.state.count("queued") < self.settings.ahead
            ):
                self.pump()
        if self.dry_run:
            return
        if not wait:
            self.send(-1)
            return
        while self.state.count("queued") or self.state.count("pending"):
            self.pump()
            time.sleep(min(self.settings.poll, 1.0))
        self.pump(force=True)
        self.progress.end()
