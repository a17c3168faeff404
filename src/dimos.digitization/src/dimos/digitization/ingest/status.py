"""What a batch has done, read from its state: the end-of-run summary and ``status``."""

from dimos.digitization.ingest.progress import duration
from dimos.digitization.ingest.progress import snapshot

import json
import psutil


LABELS = {
    "done": "Ολοκληρώθηκαν / Done",
    "skipped": "Παραλείφθηκαν, ήδη στον ιστότοπο / Skipped, already ingested",
    "quarantined": "Σε καραντίνα / Quarantined",
    "failed": "Απέτυχαν / Failed",
    "pending": "Αναμένουν / Pending",
    "queued": "Στους εργάτες / At the workers",
}
DRY_LABELS = {
    "pending": "Θα ψηφιοποιηθούν / Would be digitized",
    "quarantined": "Θα μπουν σε καραντίνα / Would be quarantined",
    "skipped": "Θα παραλειφθούν / Would be skipped",
}


def unfinished(state):
    """Files failed or not yet done."""
    return sum(state.count(name) for name in ("pending", "queued", "failed"))


def alive(state):
    """Whether the ingest that last ran this batch is still running."""
    pid = state.get("pid")
    if not pid:
        return False
    try:
        return abs(psutil.Process(pid).create_time() - state.get("pid_started", 0)) < 1
    except psutil.Error:
        return False


def reason(row):
    where = f" → {row['moved_to']}" if row["moved_to"] else ""
    return f"    {row['path']}{where}: [{row['code']}] {row['message_el']} / {row['message_en']}"


def print_counts(state, labels):
    counts = state.counts()
    for name, label in labels.items():
        files, pages = counts[name]
        if files or name in ("done", "quarantined", "failed"):
            print(f"  {label}: {files} ({pages} σελ./pages)")


def print_details(state):
    quarantined = state.each("quarantined")
    for row in quarantined:
        print(reason(row))
    flagged = state.each_flagged()
    first = True
    for row in flagged:
        if first:
            print("  Για έλεγχο από υπάλληλο / Flagged for review:")
            first = False
        pages = ", ".join(str(n) for n in json.loads(row["flagged"] or "[]"))
        print(f"    {row['path']}: {row['url']} σελίδες/pages {pages}")
    if first:
        print("  Για έλεγχο από υπάλληλο / Flagged for review: 0")
    for row in state.each("failed"):
        print(f"  ✗ {row['path']}: {row['message_el']} / {row['message_en']}")


def print_tally(tally):
    print(
        f"  Αυτή η εκτέλεση / This run: {tally['done']} ψηφιοποιήθηκαν/digitized, "
        f"{tally['skipped']} παραλείφθηκαν/skipped, {tally['quarantined']} σε καραντίνα/quarantined, "
        f"{tally['failed']} απέτυχαν/failed"
    )


def print_summary(state, folder, dry_run=False, tally=None):
    title = "Δοκιμή χωρίς αλλαγές / Dry run" if dry_run else "Σύνοψη / Summary"
    print(f"\n{title}: {folder}")
    if tally is not None and not dry_run:
        print_tally(tally)
    print_counts(state, {**LABELS, **DRY_LABELS} if dry_run else LABELS)
    if dry_run:
        for row in state.each("quarantined"):
            print(reason(row))
        return
    print_details(state)
    if unfinished(state):
        print(
            "Τρέξτε ξανά την ίδια εντολή για τα υπόλοιπα.\nRun the same command again for the rest."
        )


def print_status(state, path):
    running = alive(state)
    pid = state.get("pid")
    print(f"Παρτίδα / Batch: {state.get('folder')}")
    print(f"  Κατάσταση / State file: {path}")
    verb = "τρέχει / running" if running else "δεν τρέχει / not running"
    print(f"  Εντολή εισαγωγής / Ingest process: pid {pid}, {verb}")
    print_counts(state, LABELS)
    snap = snapshot(state, state.get("started", 0) or 0)
    print(
        f"  Σελίδες / Pages: {snap.pages_done}/{snap.pages_total}, "
        f"{snap.rate:.1f} σελ./λεπτό pages/min, ETA {duration(snap.eta) if running else '--:--'}"
    )
    if not running and unfinished(state):
        print("  Τρέξτε ξανά / Run again: dimos-ingest run " + str(state.get("folder")))
