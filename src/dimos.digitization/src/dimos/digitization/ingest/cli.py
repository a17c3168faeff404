"""``bin/dimos-ingest``: put a folder of scans into the site.

    dimos-ingest run FOLDER [--manifest CSV] [--body NAME] [--no-publish] [--dry-run]
                            [--quarantine DIR] [--wait | --no-wait]
    dimos-ingest status [FOLDER]

Exit status: 0 when every file is done, skipped or quarantined; 1 when a file
failed or is still to be done; 2 when the command cannot start (bad manifest,
no site, no folder).
"""

from dataclasses import dataclass
from dimos.digitization.client import SiteClient
from dimos.digitization.client import SiteError
from dimos.digitization.client import var_folder
from dimos.digitization.ingest.batch import Batch
from dimos.digitization.ingest.manifest import ManifestError
from dimos.digitization.ingest.manifest import read_manifest
from dimos.digitization.ingest.progress import Progress
from dimos.digitization.ingest.state import batch_folder
from dimos.digitization.ingest.state import State
from dimos.digitization.ingest.status import print_status
from dimos.digitization.ingest.status import print_summary
from dimos.digitization.ingest.status import unfinished
from dimos.digitization.pipeline.model import Options
from pathlib import Path

import argparse
import os
import psutil
import sys
import tempfile


@dataclass(frozen=True)
class Settings:
    quarantine: Path
    workroot: Path
    options: Options
    publish: bool = True
    body: str = ""
    window: int = 32
    # Files kept at the workers while the folder is still being read, so that
    # they start at once rather than after the walk of the whole window.
    ahead: int = 4
    # Seconds between two looks at the results: a finished file is seen (and
    # the next one sent, and the run ends) at most this late.
    poll: float = 0.5


def parser():
    main = argparse.ArgumentParser(
        prog="dimos-ingest",
        description="Ψηφιοποίηση φακέλου σαρώσεων / Digitize a folder of scans.",
    )
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ψηφιοποίηση φακέλου / ingest a folder")
    run.add_argument("folder", type=Path)
    run.add_argument("--manifest", type=Path, help="CSV: file, body, decision_number, ...")
    run.add_argument(
        "--body",
        default="",
        help="όργανο για όσα δεν ορίζει ο κατάλογος / body for files the manifest does not name",
    )
    run.add_argument(
        "--no-publish",
        dest="publish",
        action="store_false",
        help="όλα μένουν ιδιωτικά / keep every record private",
    )
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="μόνο έλεγχος / check only: move nothing, send nothing",
    )
    run.add_argument("--quarantine", type=Path, help="default: FOLDER/_quarantine")
    run.add_argument(
        "--wait",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="wait for the workers (default)",
    )
    run.add_argument(
        "--window",
        type=int,
        default=32,
        help="αρχεία στους εργάτες ταυτόχρονα / files at the workers at once",
    )
    run.add_argument(
        "--engine", choices=("tesseract", "stand-in"), default="tesseract", help=argparse.SUPPRESS
    )
    status = commands.add_parser("status", help="κατάσταση παρτίδας / state of a batch")
    status.add_argument("folder", type=Path, nargs="?")
    return main


def fail(error):
    print(f"{error.message_el}\n{error.message_en}", file=sys.stderr)
    return 2


def load_manifest(state, path):
    """Every row checked and stored before any file is touched; ManifestError on a bad one."""
    from dimos.digitization.worker.tasks import wire_manifest

    state.load_manifest(
        (line, entry.file, wire_manifest(entry)) for line, entry in read_manifest(path)
    )


def settings_for(args, folder):
    var = var_folder()
    options = Options(engine=args.engine)
    return Settings(
        quarantine=(args.quarantine or folder / "_quarantine").resolve(),
        workroot=var / "digitization" / "work",
        options=options,
        publish=args.publish,
        body=args.body,
        window=max(args.window, 1),
    )


def open_state(args, folder):
    if args.dry_run:
        return State(Path(tempfile.mkdtemp(prefix="dimos-dry-run-")) / "state.sqlite")
    return State(batch_folder(var_folder(), folder) / "state.sqlite")


def start(args, folder, state):
    """Manifest, then the site: either may refuse; nothing has been touched yet."""
    if args.manifest:
        load_manifest(state, args.manifest)
    client = SiteClient.from_env(retries=2)
    client.lookup("0" * 64)  # the site answers and knows the service account
    client.retries = 5
    me = psutil.Process()
    if not args.dry_run:
        state.set(
            folder=str(folder), pid=me.pid, pid_started=me.create_time(), started=me.create_time()
        )
    return client


def run(args):
    folder = args.folder.resolve()
    if not folder.is_dir():
        print(f"Δεν υπάρχει ο φάκελος {folder}.\nNo such folder: {folder}.", file=sys.stderr)
        return 2
    state = open_state(args, folder)
    try:
        client = start(args, folder, state)
    except (ManifestError, SiteError) as error:
        return fail(error)
    progress = Progress()
    batch = Batch(folder, state, client, settings_for(args, folder), progress, dry_run=args.dry_run)
    try:
        batch.run(wait=args.wait)
    except KeyboardInterrupt:
        progress.end()
        print(
            "Διακόπηκε: τρέξτε ξανά την ίδια εντολή για να συνεχίσει.\nInterrupted: run the same command again to go on."
        )
        return 130
    print_summary(state, folder, dry_run=args.dry_run, tally=batch.tally)
    if args.dry_run:
        return 0
    return 1 if unfinished(state) else 0


def status(args):
    var = var_folder()
    if args.folder is not None:
        path = batch_folder(var, args.folder) / "state.sqlite"
    else:
        found = sorted((var / "ingest").glob("*/state.sqlite"), key=lambda p: p.stat().st_mtime)
        path = found[-1] if found else None
    if path is None or not path.exists():
        print("Δεν βρέθηκε παρτίδα.\nNo batch found.", file=sys.stderr)
        return 2
    state = State(path, readonly=True)
    print_status(state, path)
    return 1 if unfinished(state) else 0


def main(argv=None):
    args = parser().parse_args(argv)
    os.environ.setdefault("DIMOS_VAR", str(var_folder()))
    if args.command == "run":
        return run(args)
    return status(args)
