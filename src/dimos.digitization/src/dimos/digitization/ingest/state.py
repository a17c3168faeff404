"""A batch's memory: one sqlite file per scanned folder, written as the batch runs.

``$DIMOS_VAR/ingest/<batch-id>/state.sqlite``, in WAL mode so ``dimos-ingest
status`` reads while ``run`` writes. Every file of the folder is a row, keyed
by its path in the folder and carrying its content hash; the ingest reads what
to do next from here, never from a list in memory.

States: ``pending`` (checked, to be sent), ``queued`` (sent to the workers),
``done``, ``skipped`` (already in the site), ``quarantined``, ``failed``.
"""

from dimos.digitization.ingest.manifest import ManifestError
from pathlib import Path

import hashlib
import json
import re
import sqlite3
import time


FINAL = ("done", "skipped", "quarantined")
UNFINISHED = ("pending", "queued", "failed")
STATES = ("pending", "queued", "done", "skipped", "quarantined", "failed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS manifest (file TEXT PRIMARY KEY, name TEXT, line INTEGER, data TEXT);
CREATE INDEX IF NOT EXISTS manifest_name ON manifest (name);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    size INTEGER,
    mtime INTEGER,
    sha256 TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    task_id TEXT,
    queued_at REAL,
    finished_at REAL,
    url TEXT,
    review_state TEXT,
    flagged TEXT,
    code TEXT,
    message_el TEXT,
    message_en TEXT,
    moved_to TEXT,
    seconds REAL
);
CREATE INDEX IF NOT EXISTS files_state ON files (state, id);
CREATE INDEX IF NOT EXISTS files_sha256 ON files (sha256);
"""
FIELDS = (
    "size mtime sha256 pages state task_id queued_at finished_at url review_state "
    "flagged code message_el message_en moved_to seconds"
).split()


def batch_id(folder):
    """``<folder name>-<hash of its absolute path>``: the same folder is the same batch."""
    folder = Path(folder).resolve()
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    name = re.sub(r"[^\w.-]+", "_", folder.name) or "root"
    return f"{name}-{digest}"


def batch_folder(var, folder):
    return Path(var) / "ingest" / batch_id(folder)


class State:
    def __init__(self, path, readonly=False):
        self.path = Path(path)
        if readonly:
            uri = f"file:{self.path}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        self.db.row_factory = sqlite3.Row

    def close(self):
        self.db.close()

    # meta: folder, pid of the running ingest, when it started

    def get(self, key, default=None):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, **values):
        with self.db:
            for key, value in values.items():
                self.db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (key, json.dumps(value)),
                )

    # the manifest, loaded whole (and checked) before any file is touched

    def load_manifest(self, rows):
        """Replace the manifest with ``(line, file, data)`` rows; raises what the rows raise."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM manifest")
            for line, file, data in rows:
                duplicate = self.db.execute(
                    "SELECT line FROM manifest WHERE file = ?", (file,)
                ).fetchone()
                if duplicate:
                    raise ManifestError(
                        line,
                        f"το αρχείο «{file}» υπάρχει ήδη στη γραμμή {duplicate[0]}.",
                        f"the file '{file}' is already on line {duplicate[0]}.",
                    )
                self.db.execute(
                    "INSERT INTO manifest (file, name, line, data) VALUES (?, ?, ?, ?)",
                    (file, Path(file).name, line, json.dumps(data)),
                )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def manifest_for(self, relpath):
        """The manifest row for a file: by its path in the folder, else by its name alone."""
        row = self.db.execute("SELECT data FROM manifest WHERE file = ?", (relpath,)).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT data FROM manifest WHERE name = ? ORDER BY line LIMIT 1",
                (Path(relpath).name,),
            ).fetchone()
        return json.loads(row[0]) if row else None

    # files

    def row(self, relpath):
        return self.db.execute("SELECT * FROM files WHERE path = ?", (relpath,)).fetchone()

    def record(self, relpath, **fields):
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise KeyError(unknown)
        if "flagged" in fields and not isinstance(fields["flagged"], str | None):
            fields["flagged"] = json.dumps(fields["flagged"])
        names = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        updates = ", ".join(f"{name} = excluded.{name}" for name in fields)
        self.db.execute(
            f"INSERT INTO files (path, {names}) VALUES (?, {marks}) "
            f"ON CONFLICT (path) DO UPDATE SET {updates}",
            (relpath, *fields.values()),
        )

    def twin(self, sha256, relpath):
        """Another file of the batch with the same content, sent or done: its row or None."""
        return self.db.execute(
            "SELECT * FROM files WHERE sha256 = ? AND path != ? AND state IN ('pending', 'queued', 'done')"
            " ORDER BY id LIMIT 1",
            (sha256, relpath),
        ).fetchone()

    def rows(self, state, limit=-1):
        """Rows in ``state``, the files with the most pages first (then in folder order)."""
        return self.db.execute(
            "SELECT * FROM files WHERE state = ? ORDER BY pages DESC, id LIMIT ?", (state, limit)
        ).fetchall()

    def chunks(self, state, size=200):
        """Every row in ``state``, read ``size`` at a time: rows may change state meanwhile."""
        after = 0
        while True:
            rows = self.db.execute(
                "SELECT * FROM files WHERE state = ? AND id > ? ORDER BY id LIMIT ?",
                (state, after, size),
            ).fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1]["id"]

    def reset(self, states):
        """Files in ``states`` go back to ``pending``, to be sent again."""
        marks = ", ".join("?" for _ in states)
        self.db.execute(
            f"UPDATE files SET state = 'pending', task_id = NULL WHERE state IN ({marks})",
            tuple(states),
        )

    def each(self, state):
        """A cursor over the rows in ``state``: for summaries of any size."""
        return self.db.execute("SELECT * FROM files WHERE state = ? ORDER BY id", (state,))

    def each_flagged(self):
        return self.db.execute(
            "SELECT * FROM files WHERE state = 'done' AND flagged NOT IN ('[]', '') ORDER BY id"
        )

    def count(self, state):
        return self.db.execute("SELECT count(*) FROM files WHERE state = ?", (state,)).fetchone()[0]

    def counts(self):
        """``{state: (files, pages)}`` for every state, and the pages finished since ``since``."""
        found = {state: (0, 0) for state in STATES}
        for state, files, pages in self.db.execute(
            "SELECT state, count(*), coalesce(sum(pages), 0) FROM files GROUP BY state"
        ):
            found[state] = (files, pages)
        return found

    def pages_done_since(self, since):
        row = self.db.execute(
            "SELECT coalesce(sum(pages), 0) FROM files WHERE state = 'done' AND finished_at >= ?",
            (since,),
        ).fetchone()
        return row[0]


def now():
    return time.time()
