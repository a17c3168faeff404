"""Quarantine: move a rejected file aside, with a note saying why.

The operator finds ``<folder>/<name>`` and ``<folder>/<name>.reason.txt``
beside it; nothing is ever overwritten (``name-1.pdf``, ``name-2.pdf``...).
This runs in the middle of a batch, so it must not fail because the file
itself is unreadable.
"""

from datetime import datetime
from datetime import UTC
from dimos.digitization.pipeline.preflight import sha256
from pathlib import Path

import shutil


def quarantine(path, folder, rejected):
    """Move ``path`` into ``folder`` and write its reason; return the new path."""
    path = Path(path)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    digest = _sha256_or_none(path)
    target = free_name(folder, path.name)
    try:
        shutil.move(str(path), str(target))
    except BaseException:
        target.unlink(missing_ok=True)  # the reserved name, never the file itself
        raise
    reason = target.with_name(target.name + ".reason.txt")
    reason.write_text(_reason_text(path, rejected, digest), encoding="utf-8")
    return target


def free_name(folder, name):
    """Reserve and return ``folder / name``, or ``name-1.ext``, ``name-2.ext``... if taken.

    The name is reserved by creating the file exclusively, so two processes
    quarantining a "scan.pdf" at the same moment never pick the same one.
    """
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 0
    while True:
        candidate = folder / (name if number == 0 else f"{stem}-{number}{suffix}")
        number += 1
        if candidate.with_name(candidate.name + ".reason.txt").exists():
            continue
        try:
            with open(candidate, "x"):
                return candidate
        except FileExistsError:
            continue


def _sha256_or_none(path):
    try:
        return sha256(path)
    except OSError:
        return None


def _reason_text(path, rejected, digest):
    lines = [
        f"code: {getattr(rejected, 'code', 'rejected')}",
        f"el: {getattr(rejected, 'message_el', str(rejected))}",
        f"en: {getattr(rejected, 'message_en', str(rejected))}",
        f"original: {path.absolute()}",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"sha256: {digest or '-'}",
    ]
    return "\n".join(lines) + "\n"
