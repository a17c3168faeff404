"""What the operator sees while a batch runs: files, pages, pages per minute, ETA.

On a terminal one line is redrawn in place; in a log (not a TTY) a line is
written every ``interval`` seconds. The figures come from the batch's state
file, so ``dimos-ingest status`` shows the same.
"""

from dataclasses import dataclass

import sys
import time


@dataclass(frozen=True)
class Snapshot:
    files: int  # files seen so far (every state)
    finished: int  # done, skipped or quarantined
    failed: int
    pages_total: int  # pages of the files to digitize (done, sent, pending)
    pages_done: int
    pages_this_run: int  # done since this run started, for the rate
    seconds: float  # since this run started

    @property
    def rate(self):
        """Pages per minute in this run."""
        return self.pages_this_run * 60 / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta(self):
        """Seconds left at the current rate, or None when there is no rate yet."""
        left = max(self.pages_total - self.pages_done, 0)
        if not left:
            return 0.0
        return left * 60 / self.rate if self.rate else None


def snapshot(state, started):
    counts = state.counts()
    files = sum(files for files, _ in counts.values())
    finished = sum(counts[name][0] for name in ("done", "skipped", "quarantined"))
    pages_total = sum(counts[name][1] for name in ("done", "queued", "pending", "failed"))
    return Snapshot(
        files=files,
        finished=finished,
        failed=counts["failed"][0],
        pages_total=pages_total,
        pages_done=counts["done"][1],
        pages_this_run=state.pages_done_since(started),
        seconds=time.time() - started,
    )


def duration(seconds):
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return (
        f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
        if hours
        else f"{rest // 60:02d}:{rest % 60:02d}"
    )


def line(snap, width=24):
    share = snap.pages_done / snap.pages_total if snap.pages_total else 0.0
    filled = int(share * width)
    bar = "#" * filled + "." * (width - filled)
    failed = f", {snap.failed} απέτυχαν/failed" if snap.failed else ""
    return (
        f"[{bar}] αρχεία/files {snap.finished}/{snap.files}{failed} · "
        f"σελίδες/pages {snap.pages_done}/{snap.pages_total} · "
        f"{snap.rate:.1f} σελ./λεπτό pages/min · ETA {duration(snap.eta)}"
    )


class Progress:
    def __init__(self, out=None, interval=10.0):
        self.out = out or sys.stdout
        self.tty = self.out.isatty()
        self.interval = interval
        self.last = 0.0
        self.width = 0

    def due(self, force=False):
        """Whether a redraw is due: computing the figures costs a query, so ask first."""
        wait = 0.5 if self.tty else self.interval
        return force or time.monotonic() - self.last >= wait

    def show(self, snap):
        text = line(snap)
        if self.tty:
            self.out.write("\r" + text.ljust(self.width))
            self.width = len(text)
        else:
            self.out.write(text + "\n")
        self.out.flush()
        self.last = time.monotonic()

    def end(self):
        if self.tty and self.width:
            self.out.write("\n")
            self.out.flush()
            self.width = 0

    def say(self, text):
        """A message above the bar."""
        if self.tty and self.width:
            self.out.write("\r" + " " * self.width + "\r")
            self.width = 0
        self.out.write(text + "\n")
        self.out.flush()
