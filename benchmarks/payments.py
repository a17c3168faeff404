"""Payments through REST: RF-code lookups and gateway callbacks per second, 1, 4 and 16 clients.

Starts a real Zope (bin/instance on a throw-away var/ and a free port: waitress,
4 threads, FileStorage) with an empty Dimos site, and loads it through REST:
``--debts`` certified debts (10,000) of 3 in 10 as many ΑΦΜ, of every category,
imported as one CSV file (``POST /@debts-import``, then again unchanged, as the
financial system re-sends it); ``--orders`` RF codes of 1–3 debts of one debtor
(``POST /@payment-orders``, as the admin); the gateway's merchant id
(``PATCH /@registry``), its HMAC secret in the environment variable the settings name.

Then, at 1, 4 and 16 concurrent clients, for ``--requests`` or ``--seconds`` per
level: ``GET /@rf/{code}`` for known codes (some typed with spaces) and a share of
unknown (404) and malformed (400) ones; signed ``POST /@payment-callback`` for
distinct pending orders (approved, exact amount), then a replay of each (same
transaction id), which must get the first answer again and write nothing. Every
answer is checked. At the end it checks through REST that exactly the paid orders
are paid, their debts by the right transaction and once (the audit trail), and
nothing else; and it counts the ConflictErrors Zope logged. Latencies are taken at
the client, from sending to the last byte. An applied callback also runs the
``IPaymentApplied`` subscribers in its request (the receipt is numbered (drawn and sealed after the commit, on a worker thread);
the throw-away site has no seal, so it stays unsealed): its time counts.

Run: `bin/zopepy benchmarks/payments.py [--debts N] [--requests N | --seconds S] [--keep DIR]`.
"""

from collections import Counter
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from dimos.payments.categories import CATEGORIES
from dimos.payments.gateway.protocol import callback_fields
from dimos.payments.rf import format_rf
from dimos.payments.rf import make_rf
from dimos.payments.testing_debts import make_afm
from dimos.payments.testing_debts import to_csv
from dimos.policy.testing_instance import ThrowawayInstance
from dimos.policy.testing_instance import work_folder
from pathlib import Path
from stdnum import iso11649

import argparse
import random
import re
import requests
import secrets
import sys
import threading
import time


LEVELS = (1, 4, 16)
SECRET_ENV = "DIMOS_PAYMENTS_GATEWAY_SECRET"  # the settings' default hmac_secret_env
MERCHANT = "BENCH-0001"
BENEFICIARY = "9912"  # the profile's default beneficiary code
JSON = {"Accept": "application/json"}
SURNAMES = ("Παπαδόπουλος", "Ιωάννου", "Γεωργίου", "Νικολάου", "Οικονόμου", "Μακρής", "Βλάχος")
FIRST_NAMES = ("Γεώργιος", "Μαρία", "Ελένη", "Κωνσταντίνος", "Δημήτριος", "Αικατερίνη", "Νίκος")
# A typical amount per category (cents), in the order of categories.CATEGORIES.
MEDIAN_CENTS = (30_000, 15_000, 80_000, 12_000, 8_000, 5_000, 20_000, 35_000)


# --- the data ----------------------------------------------------------------------


def euros(cents, rng):
    """``cents`` as a file writes euros: "1.234,56" mostly, "1234.56", or "40" when whole."""
    whole, rest = divmod(cents, 100)
    roll = rng.random()
    if rest == 0 and roll < 0.3:
        return str(whole)
    if roll < 0.7:
        return f"{whole:,}".replace(",", ".") + f",{rest:02d}"
    return f"{whole}.{rest:02d}"


def make_debts(count, afms, rng):
    """Import rows (file columns) and each debt's (ΑΦΜ, total cents), for ``afms`` debtors."""
    people = []
    for number in range(afms):
        name = f"{rng.choice(SURNAMES)} {rng.choice(FIRST_NAMES)}"
        if number % 20 == 0:
            name = f"ΑΦΟΙ {rng.choice(SURNAMES)} Ο.Ε."
        people.append((make_afm(10_000_000 + number * 7919), name))
    first, last = date(2024, 1, 1).toordinal(), date(2027, 12, 31).toordinal()
    rows, expected = [], {}
    for number in range(count):
        afm, name = people[number] if number < afms else rng.choice(people)
        kind = rng.randrange(len(CATEGORIES))
        category, median = CATEGORIES[kind], MEDIAN_CENTS[kind]
        cents = max(100, min(5_000_000, int(rng.lognormvariate(0, 0.8) * median)))
        if category.token == "traffic-fine":
            cents = rng.choice((4_000, 8_000, 10_000, 20_000, 35_000))
        surcharge = cents * rng.choice((1, 3, 5)) // 100 if rng.random() < 0.3 else 0
        due = date.fromordinal(rng.randint(first, last))
        debt_id = f"BENCH-{due.year}-{number + 1:06d}"
        rows.append(
            {
                "id": debt_id,
                "afm": afm,
                "name": name,
                "category": category.token if rng.random() < 0.7 else category.title_el,
                "amount": euros(cents, rng),
                "surcharge": euros(surcharge, rng) if surcharge else "",
                "due_date": due.strftime("%d/%m/%Y") if rng.random() < 0.5 else due.isoformat(),
                "description": f"{category.title_el} {due.year}, α/α {number + 1}",
            }
        )
        expected[debt_id] = (afm, cents + surcharge)
    return rows, expected


def plan_orders(expected, count, rng):
    """``count`` orders: lists of 1–3 debt ids of one debtor each, no debt in two."""
    by_afm = defaultdict(list)
    for debt_id, (afm, _total) in expected.items():
        by_afm[afm].append(debt_id)
    debtors = sorted(by_afm)
    rng.shuffle(debtors)
    return [
        rng.sample(by_afm[afm], rng.randint(1, min(3, len(by_afm[afm])))) for afm in debtors[:count]
    ]


# --- the load generator --------------------------------------------------------------


def run_load(make_job, clients, count=None, seconds=None):
    """Run jobs from ``clients`` threads at once until ``count`` jobs, ``seconds`` or no job.

    ``make_job(index)`` is a function of a Session returning (kind, ok, note),
    or None when there is no more work. Returns ([(kind, ok, ms, note)], seconds).
    """
    lock, results, state = threading.Lock(), [], {"next": 0, "deadline": None}
    start = threading.Barrier(clients + 1)

    def client():
        session, mine = requests.Session(), []
        start.wait()
        while True:
            with lock:
                index, state["next"] = state["next"], state["next"] + 1
            if count is not None and index >= count:
                break
            if seconds is not None and time.perf_counter() >= state["deadline"]:
                break
            job = make_job(index)
            if job is None:
                break
            began = time.perf_counter()
            try:
                kind, ok, note = job(session)
            except (requests.RequestException, ValueError) as error:  # no answer, or not JSON
                kind, ok, note = "error", False, repr(error)
            mine.append((kind, ok, (time.perf_counter() - began) * 1000, note))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    state["deadline"] = began + (seconds or 0)
    start.wait()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def parallel(items, call, clients=4):
    """``call(session, item)`` for every item from ``clients`` threads; the results in order."""
    local = threading.local()

    def one(item):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return call(local.session, item)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, items))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def error_code(response):
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def note(response):
    return f"{response.status_code} {response.text[:160]}"


# --- the site ------------------------------------------------------------------------


def load_site(url, auth, rows, expected, plans):
    """Import the debts (twice), issue the orders; figures and {rf: (amount, debt ids)}."""
    body = to_csv(rows)
    figures = {"file_bytes": len(body)}
    for label, outcome in (("import", "created"), ("reimport", "unchanged")):
        began = time.perf_counter()
        response = requests.post(
            f"{url}/@debts-import",
            data=body,
            headers={**JSON, "Content-Type": "text/csv; charset=utf-8"},
            auth=auth,
            timeout=3600,
        )
        figures[label] = time.perf_counter() - began
        counts = response.json().get("counts", {}) if response.ok else {}
        if counts.get(outcome) != len(rows) or counts.get("errors"):
            raise SystemExit(f"{label} of the debts failed: {note(response)}")

    def issue(session, debt_ids):
        response = session.post(
            f"{url}/@payment-orders", json={"debts": debt_ids}, headers=JSON, auth=auth, timeout=120
        )
        want = sum(expected[debt_id][1] for debt_id in debt_ids)
        if response.status_code != 201 or response.json()["amount_cents"] != want:
            raise SystemExit(f"Issuing an order of {debt_ids} failed: {note(response)}")
        return response.json()["rf"], (want, tuple(debt_ids))

    began = time.perf_counter()
    orders = dict(parallel(plans, issue))
    figures["orders"] = time.perf_counter() - began
    return figures, orders


def configure_gateway(url, auth):
    """The merchant id through the registry (REST); the secret is in the server's environment."""
    record = {"dimos.payments.gateway.merchant_id": MERCHANT}
    response = requests.patch(f"{url}/@registry", json=record, headers=JSON, auth=auth, timeout=60)
    if response.status_code != 204:
        raise SystemExit(f"Setting the gateway's merchant id failed: {note(response)}")


def log_text(var):
    log = var / "log" / "instance.log"
    return log.read_text(errors="replace") if log.exists() else ""


def retries_in_log(var):
    return len(re.findall(r"ConflictError", log_text(var)))


def data_fs(var):
    return (var / "filestorage" / "Data.fs").stat().st_size


# --- the measurements -------------------------------------------------------------------


def malformed(code, rng):
    """``code`` with one digit of its reference changed: its check digits no longer hold."""
    while True:
        at = rng.randrange(4, len(code))
        digit = str((int(code[at]) + rng.randint(1, 9)) % 10)
        wrong = code[:at] + digit + code[at + 1 :]
        if not iso11649.is_valid(wrong):
            return wrong


def lookup_jobs(url, orders, bad_share, seed):
    """Jobs for GET /@rf/{code}: known codes, and ``bad_share`` unknown or malformed ones."""
    known = sorted(orders)

    def make(index):
        rng = random.Random(seed * 1_000_003 + index)
        roll = rng.random()
        if roll < bad_share / 2:
            kind, code = "unknown", make_rf(rng.randint(10**9, 10**10 - 1), BENEFICIARY)
        elif roll < bad_share:
            kind, code = "malformed", malformed(rng.choice(known), rng)
        else:
            kind, code = "known", rng.choice(known)
        shown = format_rf(code) if rng.random() < 0.2 else code  # as a citizen types it

        def job(session):
            response = session.get(f"{url}/@rf/{shown}", headers=JSON, timeout=120)
            if kind == "unknown":
                ok = response.status_code == 404 and error_code(response) == "unknown-rf"
            elif kind == "malformed":
                ok = response.status_code == 400 and error_code(response) == "bad-rf"
            else:
                data = response.json() if response.status_code == 200 else {}
                ok = data.get("rf") == code and data.get("amount_cents") == orders[code][0]
            return kind, ok, None if ok else f"{shown}: {note(response)}"

        return job

    return make


def transaction_id(rf):
    return f"BENCH-{rf}"


def callback_jobs(url, secret, pool, answers, replay=False):
    """Jobs posting one signed approved callback (exact amount) per order of ``pool``."""

    def make(index):
        if index >= len(pool):
            return None
        rf, amount = pool[index]
        txid = transaction_id(rf)

        def job(session):
            body = callback_fields(secret, MERCHANT, txid, rf, amount, "approved")
            response = session.post(
                f"{url}/@payment-callback", json=body, headers=JSON, timeout=120
            )
            data = response.json() if response.status_code == 200 else {}
            if replay:  # the first answer again, word for word
                ok = bool(data) and data == answers.get(txid)
            else:
                ok = data.get("outcome") == "applied" and data.get("order_status") == "paid"
                answers[txid] = data
            return "replay" if replay else "callback", ok, None if ok else f"{rf}: {note(response)}"

        return job

    return make


def summarise(results, seconds):
    kinds = {}
    for kind, ok, ms, why in results:
        cell = kinds.setdefault(kind, {"ms": [], "wrong": 0, "notes": []})
        cell["ms"].append(ms)
        if not ok:
            cell["wrong"] += 1
            cell["notes"].append(why)
    return {"count": len(results), "per_second": len(results) / seconds, "kinds": kinds}


def measure(instance, args, orders, secret):
    """Lookups, then callbacks and their replays, per level: {level: figures}."""
    url, rng = instance.url, random.Random(args.seed)
    pending = sorted(orders)
    rng.shuffle(pending)
    payable = pending[: len(pending) - max(1, len(pending) // 5)]  # a fifth stay pending
    share = len(payable) // len(LEVELS)
    answers, figures = {}, {}
    run_load(lookup_jobs(url, orders, args.bad_share, 0), 1, count=20)  # warm up
    for number, clients in enumerate(LEVELS):
        level = figures[clients] = {}
        jobs = lookup_jobs(url, orders, args.bad_share, args.seed + number)
        level["lookups"] = summarise(*run_load(jobs, clients, args.requests, args.seconds))
        chosen = payable[number * share : (number + 1) * share][: args.requests]
        pool = [(rf, orders[rf][0]) for rf in chosen]
        for label, replay in (("callbacks", False), ("replays", True)):
            before = retries_in_log(instance.var), data_fs(instance.var)
            jobs = callback_jobs(url, secret, pool, answers, replay)
            level[label] = summarise(*run_load(jobs, clients, None, args.seconds))
            level[label]["conflicts"] = retries_in_log(instance.var) - before[0]
            level[label]["grew"] = data_fs(instance.var) - before[1]
            level[label]["pool"] = len(chosen)
            pool = [(rf, cents) for rf, cents in pool if transaction_id(rf) in answers]
    return figures, answers


# --- the check ---------------------------------------------------------------------


def check_state(url, auth, expected, orders, answers):
    """Problems found through REST: orders, debts and audit trails against what was paid."""
    paid_by = {}  # debt id -> transaction id
    paid_rf = {a["rf"] for a in answers.values() if a.get("outcome") == "applied"}
    for txid, answer in answers.items():
        if answer.get("outcome") == "applied":
            paid_by.update(dict.fromkeys(orders[answer["rf"]][1], txid))
    problems, owned = [], Counter(afm for afm, _total in expected.values())

    def order(session, rf):
        data = session.get(f"{url}/@rf/{rf}", headers=JSON, timeout=120).json()
        want = "paid" if rf in paid_rf else "pending"
        return (
            None if data.get("status") == want else f"order {rf}: {data.get('status')}, not {want}"
        )

    def debtor(session, afm):
        response = session.get(
            f"{url}/@debts", params={"afm": afm}, headers=JSON, auth=auth, timeout=120
        )
        found = []
        items = response.json()["items"]
        if len(items) != owned[afm]:
            found.append(f"ΑΦΜ {afm}: {len(items)} debts")
        for debt in items:
            txid = (debt.get("paid") or {}).get("transaction_id")
            want = "paid" if debt["id"] in paid_by else "open"
            if debt["status"] != want or txid != paid_by.get(debt["id"]):
                found.append(f"debt {debt['id']}: {debt['status']} by {txid}, not {want}")
            if debt["total_cents"] != expected[debt["id"]][1]:
                found.append(f"debt {debt['id']}: {debt['total_cents']} cents")
        return found

    def paid_once(session, debt_id):
        audit = session.get(f"{url}/@debts/{debt_id}", headers=JSON, auth=auth, timeout=120).json()
        times = sum(1 for entry in audit.get("audit", ()) if entry["action"] == "paid")
        return None if times == 1 else f"debt {debt_id} paid {times} times"

    problems += [p for p in parallel(sorted(orders), order) if p]
    problems += [p for found in parallel(sorted(owned), debtor) for p in found]
    problems += [p for p in parallel(sorted(paid_by), paid_once) if p]
    return problems, (len(paid_rf), len(paid_by))


# --- report ---------------------------------------------------------------------------


HEADER = f"{'kind':>10} {'count':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'wrong':>6}"


def row(label, cell):
    ms = cell["ms"]
    return (
        f"{label:>10} {len(ms):>7} {percentile(ms, 0.5):>7.1f} {percentile(ms, 0.95):>7.1f} "
        f"{percentile(ms, 0.99):>7.1f} {cell['wrong']:>6}"
    )


def report_levels(figures):
    """The lookups' and the callbacks' tables; the notes of the wrong answers."""
    wrong = []
    print(f"\nRF lookups, GET /@rf/{{code}} (anonymous)\n{'clients':>7} {'req/s':>7} {HEADER}")
    for clients, level in figures.items():
        lookups = level["lookups"]
        for number, (kind, cell) in enumerate(sorted(lookups["kinds"].items())):
            lead = f"{clients:>7} {lookups['per_second']:>7.1f}" if number == 0 else " " * 15
            print(f"{lead} {row(kind, cell)}")
            wrong += cell["notes"]
    print(
        "\nCallbacks, POST /@payment-callback (signed, approved, exact amount; replay: same txid)"
    )
    print(f"{'clients':>7} {'cb/s':>7} {HEADER} {'conflicts':>9} {'Data.fs +/req':>13}")
    for clients, level in figures.items():
        for label in ("callbacks", "replays"):
            part = level[label]
            grew = part["grew"] / max(1, part["count"])
            for kind, cell in part["kinds"].items():
                lead = f"{clients if label == 'callbacks' else '':>7} {part['per_second']:>7.1f}"
                print(f"{lead} {row(kind, cell)} {part['conflicts']:>9} {grew:>11,.0f} B")
                wrong += cell["notes"]
        sent, pool = level["callbacks"]["count"], level["callbacks"]["pool"]
        if sent < pool or not pool:
            print(f"{'':>7} only {sent} of {pool} orders: time ran out, or raise --orders")
    return wrong


def report_load(rows, afms, expected, orders, loaded, size):
    total = sum(total for _afm, total in expected.values())
    print(f"\nDebts: {len(rows):,} of {afms:,} ΑΦΜ, {total / 100:,.2f} € in all")
    print(
        f"Import (POST /@debts-import, one CSV of {loaded['file_bytes'] / 1e3:,.0f} kB): "
        f"{loaded['import']:.1f} s, {len(rows) / loaded['import']:,.0f} debts/s; "
        f"again, unchanged: {loaded['reimport']:.1f} s"
    )
    print(
        f"Orders (POST /@payment-orders, 4 clients): {len(orders):,} in {loaded['orders']:.1f} s, "
        f"{len(orders) / loaded['orders']:,.1f}/s (conflicts logged: {loaded['conflicts']})"
    )
    print(f"Data.fs: {loaded['size'] / 1e6:,.1f} MB loaded, {size / 1e6:,.1f} MB at the end")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debts", type=int, default=10_000, help="certified debts to import")
    parser.add_argument("--afms", type=int, help="debtors (default: 3 in 10 of --debts)")
    parser.add_argument("--orders", type=int, help="payment orders (default: 1 in 5 of --debts)")
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--requests", type=int, help="requests per level (default 400)")
    amount.add_argument("--seconds", type=float, help="seconds per level")
    parser.add_argument("--bad-share", type=float, default=0.1, help="unknown + malformed RF codes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", type=Path, help="build in this (new or empty) folder, keep it")
    args = parser.parse_args(argv)
    if args.seconds is None and args.requests is None:
        args.requests = 400
    args.afms = args.afms or max(1, args.debts * 3 // 10)
    args.orders = min(args.afms, args.orders or max(len(LEVELS) + 1, args.debts // 5))
    with work_folder(args.keep) as folder:
        return run(args, folder)


def run(args, folder):
    rng = random.Random(args.seed)
    rows, expected = make_debts(args.debts, args.afms, rng)
    plans = plan_orders(expected, args.orders, rng)
    secret = secrets.token_hex(32)
    instance = ThrowawayInstance(folder)
    instance.env[SECRET_ENV] = secret  # the settings' hmac_secret_env; never in the registry
    print(f"Creating an empty site on a throw-away instance in {folder} ...", flush=True)
    instance.create_site("--no-demo")
    auth = instance.admin()
    with instance.serving():
        print(f"Importing {len(rows):,} debts, issuing {len(plans):,} orders ...", flush=True)
        conflicts = retries_in_log(instance.var)
        loaded, orders = load_site(instance.url, auth, rows, expected, plans)
        loaded["conflicts"] = retries_in_log(instance.var) - conflicts
        loaded["size"] = data_fs(instance.var)
        configure_gateway(instance.url, auth)
        figures, answers = measure(instance, args, orders, secret.encode())
        print("Checking every order and debt ...", flush=True)
        problems, paid = check_state(instance.url, auth, expected, orders, answers)
        size = data_fs(instance.var)
    report_load(rows, args.afms, expected, orders, loaded, size)
    wrong = report_levels(figures)
    print(f"\nPaid: {paid[0]:,} orders, {paid[1]:,} debts; {len(orders) - paid[0]:,} left pending")
    text = log_text(instance.var)  # what the IPaymentApplied subscribers did, by their log
    sealed, unsealed = (
        len(re.findall(r"Receipt \S+ sealed", text)),
        len(re.findall(r"Receipt \S+ not sealed", text)),
    )
    print(f"Receipts (instance.log): {sealed:,} sealed, {unsealed:,} not sealed")
    for problem in (wrong + problems)[:20]:
        print("  ", problem)
    if args.keep:
        print(f"Kept in {folder}: start it with {folder / 'instance'} console")
    ok = not wrong and not problems
    print("Every answer right; each paid order paid once." if ok else "PAYMENTS BROKEN", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
