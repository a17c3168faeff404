"""Public decisions archive: search time over 50,000 decisions, page and JSON.

Builds (once; kept under var/bench/archive, `--rebuild` to start again) a
Dimos site on the buildout's bin/instance with ``--count`` council decisions
sampled from the real Diavgeia decisions in ../shared/eval/decisions
(benchmarks/archive_build.py says how), and prints:

- build time and decisions per second (content API, events, workflow,
  catalog: the way clerks and the digitization store make them);
- Data.fs size as built and packed, the catalog's size (every record reachable
  from portal_catalog) and its largest parts;
- for 20 Greek queries typed as citizens type them (no accents, capitals,
  several words, a prefix), the median and 95th percentile of the archive page
  (`/decisions`) and the JSON search (`/@decisions`), first page and page 50,
  by relevance, without the archive's query cache (every request computes its
  matches and facets: the worst case, which the targets are judged on), on
  the first round and over ``--rounds`` more; then with the cache, each query
  as a citizen goes (page 1, page 50, the same as JSON). The first requests
  after Zope starts (loading the catalog from disk) are warm-up, shown apart.

Times are taken at the client on 127.0.0.1, one request at a time, from
sending the request to the last byte of the answer: the server's time plus the
loopback. Targets: p95 under 300 ms for the page, 150 ms for JSON.

Run: `make bench` or `bin/zopepy benchmarks/archive_search.py [--count N] [--rounds N] [--rebuild]`.
"""

from dimos.policy.testing_instance import ROOT
from dimos.policy.testing_instance import ThrowawayInstance
from pathlib import Path

import argparse
import json
import requests
import shutil
import statistics
import subprocess
import sys
import time


HERE = Path(__file__).resolve().parent
BUILDER = HERE / "archive_build.py"
CORPUS = ROOT.parent / "shared" / "eval" / "decisions" / "diavgeia-samples"
CACHE = ROOT / "var" / "bench" / "archive"
BUILT = CACHE / "build.json"
TARGETS = {"page": 300.0, "json": 150.0}
PAGES = (1, 50)
SIZE = 20  # the archive's default page size

# As a citizen types them: without accents, in capitals, several words, a prefix.
QUERIES = (
    "αποφαση",
    "δημου",
    "ΔΗΜΟΤΙΚΟ ΣΥΜΒΟΥΛΙΟ",
    "δημοτικου συμβουλιου",
    "προυπολογισμος",
    "εγκριση δαπανης",
    "συμβαση",
    "προμηθεια",
    "πληρωμη",
    "επιτροπη",
    "ΑΠΟΦΑΣΙΖΕΙ",
    "νομου",
    "αναθεση",
    "προσωπικου",
    "οικονομικης επιτροπης",
    "αποφ*",
    "εργου",
    "ελληνικη δημοκρατια",
    "υπηρεσιας",
    "ποσο ευρω",
)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def folder_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def megabytes(size):
    return f"{size / 1e6:,.1f} MB"


# --- The site --------------------------------------------------------------------


def build(instance, count, seed):
    """Create the site and the decisions (bin/instance run): the builder's figures."""
    instance.create_site("--no-demo")
    out = CACHE / "build-run.json"
    command = [*instance.cmd, "run", str(BUILDER), "--count", str(count), "--seed", str(seed)]
    command += ["--corpus", str(CORPUS)]
    subprocess.run([*command, "--out", str(out)], env=instance.env, cwd=ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def storage_figures(var, catalog_oid):
    """Data.fs before and after packing, and what the catalog holds (the server is stopped)."""
    from ZODB.FileStorage import FileStorage
    from ZODB.serialize import referencesf

    import ZODB

    data_fs = var / "filestorage" / "Data.fs"
    built = data_fs.stat().st_size
    storage = FileStorage(str(data_fs), blob_dir=str(var / "blobstorage"))
    storage.pack(time.time(), referencesf)
    packed = data_fs.stat().st_size
    data_fs.with_suffix(".fs.old").unlink(missing_ok=True)  # the unpacked copy pack leaves
    db = ZODB.DB(storage)
    try:
        connection = db.open()
        catalog = connection.get(bytes.fromhex(catalog_oid))
        parts = {"metadata (brains)": catalog._catalog.data}
        for name in ("paths", "uids"):
            parts[f"paths and uids ({name})"] = getattr(catalog._catalog, name)
        for name, index in catalog._catalog.indexes.items():
            parts[f"index {name}"] = index
        seen = set()
        total = reachable(storage, [catalog._p_oid], seen)
        # A part's size stops at the catalog itself (some indexes refer back to it).
        roots = {catalog._p_oid, catalog._catalog._p_oid}
        sizes = {}
        for label, obj in parts.items():
            if getattr(obj, "_p_oid", None) is not None:
                sizes[label] = reachable(storage, [obj._p_oid], set(roots))
        connection.close()
    finally:
        db.close()
    return {
        "data_fs_built": built,
        "data_fs_packed": packed,
        "blobs": folder_size(var / "blobstorage"),
        "catalog": total,
        "catalog_records": len(seen),
        "catalog_parts": sizes,
    }


def reachable(storage, oids, seen):
    """Bytes of the records reachable from ``oids`` (each counted once in ``seen``)."""
    from ZODB.serialize import referencesf

    total, todo = 0, list(oids)
    while todo:
        oid = todo.pop()
        if oid in seen:
            continue
        seen.add(oid)
        data, _serial = storage.load(oid)
        total += len(data)
        todo.extend(ref for ref in referencesf(data) if ref not in seen)
    return total


def site(args):
    """The benchmark site, built now or kept from an earlier run: (instance, figures)."""
    figures = json.loads(BUILT.read_text(encoding="utf-8")) if BUILT.exists() else None
    if args.rebuild or figures is None or figures["build"]["count"] != args.count:
        shutil.rmtree(CACHE, ignore_errors=True)
        CACHE.mkdir(parents=True)
        instance = ThrowawayInstance(CACHE)
        print(f"Building {args.count:,} decisions in {CACHE} ...", flush=True)
        made = build(instance, args.count, args.seed)
        figures = {"build": made, "storage": storage_figures(instance.var, made["catalog_oid"])}
        BUILT.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        figures["cached"] = False
    else:
        instance = ThrowawayInstance(CACHE)
        figures["cached"] = True
    return instance, figures


# --- The measurements ------------------------------------------------------------


def fetch(session, url, kind, query, page):
    params = {"q": query}
    if page > 1:
        params["page"] = str(page)
    headers = {"Accept": "application/json"} if kind == "json" else {"Accept": "text/html"}
    target = f"{url}/@decisions" if kind == "json" else f"{url}/decisions"
    started = time.perf_counter()
    response = session.get(target, params=params, headers=headers, timeout=120)
    body = response.content
    ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code} for {response.url}: {body[:300]!r}")
    if kind == "json":
        found = response.json()
        shown, total = len(found["items"]), found["items_total"]
    else:
        shown, total = body.count(b'<li class="archive-hit"'), None
    return ms, shown, total


WARM_UP = ("δημοτικη επιτροπη", "καθαριοτητα", "υδρευση", "σχολειων", "αθλητισμου")


def warm_up(session, url):
    """The first requests after Zope starts load the catalog from disk: (first ms, the rest)."""
    times = []
    for query in WARM_UP:
        for kind in ("page", "json"):
            times.append(fetch(session, url, kind, query, 1)[0])
    return times[0], times[1:]


def measure(url, rounds):
    """Without the archive's query cache: every request computes its matches and facets.

    ({(kind, page): {"first": [ms...], "again": [ms...]}}, each query's hit count,
    pages short of hits, warm-up figures).
    """
    session = requests.Session()
    warm = warm_up(session, url)
    times, totals, short = {}, {}, []
    for repeat in range(rounds + 1):
        for page in PAGES:
            for kind in ("page", "json"):
                cell = times.setdefault((kind, page), {"first": [], "again": []})
                for query in QUERIES:
                    ms, shown, total = fetch(session, url, kind, query, page)
                    cell["first" if repeat == 0 else "again"].append(ms)
                    if total is not None:
                        totals[query] = total
                    if shown < SIZE and repeat == 0:
                        short.append((kind, page, query, shown))
    return times, totals, short, warm


def measure_cached(url):
    """With the cache, as a citizen goes: page 1, page 50, then the same search as JSON."""
    session = requests.Session()
    warm_up(session, url)
    times = {}
    for query in QUERIES:
        for kind in ("page", "json"):
            for page in PAGES:
                times.setdefault((kind, page), []).append(fetch(session, url, kind, query, page)[0])
    return times


# --- Report ------------------------------------------------------------------------


def report(figures, times, totals, short, rounds, warm, with_cache):
    made, storage = figures["build"], figures["storage"]
    cached = f" (built {made['built']}, kept in {CACHE})" if figures["cached"] else ""
    print()
    print(f"Decisions: {made['count']:,}{cached}")
    states = ", ".join(f"{state} {n:,}" for state, n in sorted(made["states"].items()))
    print(f"  states: {states}")
    print(
        f"  digitized (before 2000) {made['digitized']:,}; amending {made['amends']:,}; "
        f"repealing {made['repeals']:,}; texts sampled from {made['texts']} real decisions"
    )
    print(f"Build: {made['seconds']:,.0f} s, {made['per_second']:.1f} decisions/s")
    print(
        f"Data.fs: {megabytes(storage['data_fs_built'])} as built, "
        f"{megabytes(storage['data_fs_packed'])} packed; blobs {megabytes(storage['blobs'])}"
    )
    print(
        f"Catalog: {megabytes(storage['catalog'])} in {storage['catalog_records']:,} records "
        f"({storage['catalog'] / storage['data_fs_packed']:.0%} of the packed Data.fs)"
    )
    largest = sorted(storage["catalog_parts"].items(), key=lambda item: -item[1])[:6]
    for label, size in largest:
        print(f"  {label:40s} {megabytes(size):>10s}")
    print()
    print(f"{len(QUERIES)} queries; hits per query:")
    for query in QUERIES:
        print(f"  {query:24s} {totals.get(query, 0):7,}")
    print()
    first, rest = warm
    print(
        f"Zope just started: first request {first:.0f} ms; the next {len(rest)} "
        f"(warm-up queries) median {statistics.median(rest):.0f} ms, max {max(rest):.0f} ms"
    )
    print()
    print(
        f"Response time at the client, ms, without the query cache ({len(QUERIES)} queries; "
        f"again = {rounds} more rounds)"
    )
    print(
        f"  {'':22s} {'first visit':>21s}   {'again':>21s}"
        f"\n  {'':22s} {'median':>10s} {'p95':>10s}   {'median':>10s} {'p95':>10s}   target p95"
    )
    failed = []
    for (kind, page), cell in times.items():
        first, again = cell["first"], cell["again"] or cell["first"]
        worst = max(percentile(first, 0.95), percentile(again, 0.95))
        verdict = "ok" if worst < TARGETS[kind] else "MISSED"
        if verdict != "ok":
            failed.append((kind, page))
        label = f"{'archive page' if kind == 'page' else 'JSON'}, page {page}"
        print(
            f"  {label:22s} {statistics.median(first):10.1f} {percentile(first, 0.95):10.1f}"
            f"   {statistics.median(again):10.1f} {percentile(again, 0.95):10.1f}"
            f"   < {TARGETS[kind]:5.0f}     {verdict}"
        )
    print()
    print(
        "With the query cache (60 s), each query as a citizen goes: page 1, page 50, JSON 1, JSON 50"
    )
    for (kind, page), values in with_cache.items():
        label = f"{'archive page' if kind == 'page' else 'JSON'}, page {page}"
        print(
            f"  {label:22s} median {statistics.median(values):7.1f}   "
            f"p95 {percentile(values, 0.95):7.1f}   max {max(values):7.1f}"
        )
    if short:
        print()
        print("Pages with fewer than a full page of hits (the query has too few):")
        for kind, page, query, shown in short:
            print(f"  {kind} page {page} «{query}»: {shown}")
    return failed


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000, help="decisions to build")
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds after the first")
    parser.add_argument("--rebuild", action="store_true", help="build the site again")
    args = parser.parse_args(argv)
    instance, figures = site(args)
    instance.env["DIMOS_ARCHIVE_CACHE_SECONDS"] = "0"
    with instance.serving():
        times, totals, short, warm = measure(instance.url, args.rounds)
    instance.env["DIMOS_ARCHIVE_CACHE_SECONDS"] = "60"
    with instance.serving():
        with_cache = measure_cached(instance.url)
    failed = report(figures, times, totals, short, args.rounds, warm, with_cache)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
