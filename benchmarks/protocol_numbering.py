"""Protocol numbering through REST: registrations per second with 1, 4 and 16 clients.

Starts a real Zope (the buildout's bin/instance on a throw-away var/ and a free
port: waitress with 4 threads, FileStorage, conflict retries as configured),
creates an empty Dimos site, and at each concurrency level has every client
POST /@protocol at once. Prints registrations per second, latency percentiles
and how many requests Zope had to retry, and checks that each level's numbers
are consecutive: no duplicate, no gap.

Run: `make bench` or `bin/zopepy benchmarks/protocol_numbering.py [--count N]`.
"""

from dimos.content.testing_load import register_concurrently
from dimos.policy.testing_instance import ThrowawayInstance

import argparse
import re
import statistics
import sys
import tempfile
import time


LEVELS = (1, 4, 16)


def retries_in_log(var):
    log = var / "log" / "instance.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    return len(re.findall(r"ConflictError", text))


def run_level(url, count, clients):
    # timed per request by wrapping the session call would hide the overlap; take totals
    started = time.perf_counter()
    responses, seconds = register_concurrently(url, count, clients)
    latencies = sorted(r.elapsed.total_seconds() * 1000 for r in responses)
    statuses = {r.status_code for r in responses}
    numbers = sorted(r.json()["number"] for r in responses if r.status_code == 201)
    consecutive = numbers == list(range(numbers[0], numbers[0] + count)) if numbers else False
    return {
        "clients": clients,
        "count": count,
        "seconds": seconds,
        "per_second": count / seconds,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "statuses": statuses,
        "first": numbers[0] if numbers else None,
        "last": numbers[-1] if numbers else None,
        "consecutive": consecutive and statuses == {201},
        "wall": time.perf_counter() - started,
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="registrations per level")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        instance = ThrowawayInstance(tmp)
        print("Creating an empty site on a throw-away instance ...", flush=True)
        instance.create_site("--no-demo")
        with instance.serving():
            register_concurrently(instance.url, 5, 1)  # warm up caches
            print(
                f"{'clients':>7} {'count':>6} {'reg/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
                f"{'numbers':>12} {'no gap, no dup':>15}"
            )
            ok = True
            for clients in LEVELS:
                before = retries_in_log(instance.var)
                level = run_level(instance.url, args.count, clients)
                ok &= level["consecutive"]
                print(
                    f"{clients:>7} {level['count']:>6} {level['per_second']:>7.1f} "
                    f"{level['p50']:>7.0f} {level['p95']:>7.0f} "
                    f"{level['first']:>5}–{level['last']:<6} "
                    f"{'yes' if level['consecutive'] else 'NO ' + str(level['statuses']):>15}"
                    f"   (conflicts logged: {retries_in_log(instance.var) - before})"
                )
    print("All levels gap-free and duplicate-free." if ok else "NUMBERING BROKEN", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
