"""``bin/dimos-worker``: a Celery worker for the digitization queue.

One process per core (``--concurrency``), one tesseract thread each
(``OMP_THREAD_LIMIT=1``), fair scheduling so a long document does not hold
back the short ones queued behind it.
"""

from dimos.digitization.worker.app import app
from dimos.digitization.worker.app import where

import argparse
import os
import sys


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="dimos-worker",
        description="Εργάτης ψηφιοποίησης (Celery) / Digitization worker (Celery).",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=os.cpu_count() or 1,
        help="διεργασίες / worker processes (default: number of cores)",
    )
    parser.add_argument("--loglevel", default="INFO")
    parser.add_argument("--hostname", default=None, help="node name (default: dimos@<host>)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    if os.environ.get("OMP_THREAD_LIMIT") != "1":
        # Start again with it in the environment: every process of the pool and every
        # tesseract they run then has it from its start.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        os.execv(
            sys.executable, [sys.executable, sys.argv[0], *(sys.argv[1:] if argv is None else argv)]
        )
    print(f"Ουρά / Queue: {where()}", flush=True)
    print(f"Ιστότοπος / Site: {os.environ.get('DIMOS_SITE_URL') or 'http://127.0.0.1:8080/dimos'}")
    print(f"Διεργασίες / Processes: {args.concurrency}", flush=True)
    worker_args = [
        "worker",
        f"--concurrency={args.concurrency}",
        "-O",
        "fair",
        f"--loglevel={args.loglevel}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--queues=digitization",
    ]
    if args.hostname:
        worker_args.append(f"--hostname={args.hostname}")
    else:
        worker_args.append("--hostname=dimos@%h")
    app.worker_main(worker_args)
    return 0
