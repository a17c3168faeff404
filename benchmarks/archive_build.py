"""Fill a Dimos site with sampled council decisions, for benchmarks/archive_search.py.

Run by the benchmark as
`bin/instance run benchmarks/archive_build.py --count N --seed S --out build.json`
on its own throw-away var/ (never on var/ of `make start`): the decisions name
real people from the Diavgeia fixtures, which must not become demo content.

What it builds, through the same content API, events and workflow the clerks'
pages and the digitization store use:
- council bodies of six kinds; decisions numbered 1, 2, ... per body per year,
  in date order, 1950–2010;
- decisions before 2000 are digitized (OCR text in 1–4 pages, no scan file);
  from 2000 on they are born digital (HTML text; an ΑΔΑ from 2010);
- each text is a run of 120–700 words from one of the real decisions whose
  text layer is sound (the manifest's `ok` rows, look-alike letters included);
- Diavgeia decision types, one or two thematic categories;
- 3% amend an earlier decision of the same body (which is then `corrected`),
  0.5% repeal one (`revoked`), 5% stay drafts that the public never sees.

Writes build figures as JSON to ``--out``.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from dimos.content.vocabularies.data import BODY_KINDS
from dimos.content.vocabularies.data import DECISION_TYPES
from dimos.policy.site import login
from dimos.policy.site import SITE_ID
from pathlib import Path
from plone import api
from plone.app.textfield.value import RichTextValue
from zope.component.hooks import setSite

import argparse
import csv
import json
import random
import sys
import time
import transaction


# `bin/instance run` does not set __file__: the driver names the corpus (``--corpus``).
CORPUS = Path("..") / "shared" / "eval" / "decisions" / "diavgeia-samples"

BODIES = (
    ("dimotiko-symvoulio", "Δημοτικό Συμβούλιο", 0.45),
    ("dimotiki-epitropi", "Δημοτική Επιτροπή", 0.2),
    ("oikonomiki-epitropi", "Οικονομική Επιτροπή", 0.15),
    ("epitropi-poiotitas-zois", "Επιτροπή Ποιότητας Ζωής", 0.08),
    ("ektelestiki-epitropi", "Εκτελεστική Επιτροπή", 0.06),
    ("symvoulio-koinotitas", "Συμβούλιο Κοινότητας Κέντρου", 0.06),
)
CATEGORIES = (
    "Οικονομικά",
    "Πολεοδομία",
    "Καθαριότητα",
    "Παιδεία",
    "Πολιτισμός",
    "Αθλητισμός",
    "Ύδρευση",
    "Προσωπικό",
    "Συγκοινωνίες",
    "Περιβάλλον",
    "Κοινωνική πρόνοια",
    "Δημοτική περιουσία",
)
MEMBERS = ["Α. Αλεξίου", "Β. Βασιλείου", "Γ. Γεωργίου"]
FIRST_YEAR, LAST_YEAR = 1950, 2010
DIGITAL_FROM, ADA_FROM = 2000, 2010
AMENDS, REPEALS, DRAFTS = 0.03, 0.005, 0.05
COMMIT_EVERY = 250
ADA_LETTERS = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ0123456789"


@dataclass
class Source:
    subject: str
    words: list


@dataclass
class Plan:
    body: str
    day: date
    source: int
    start: int
    length: int
    number: int = 0
    amends: int | None = None
    repeals: int | None = None
    draft: bool = False
    extra: dict = field(default_factory=dict)


def sources(corpus=CORPUS):
    """The real decisions with a sound text layer: (subject, words)."""
    rows = csv.DictReader((corpus / "manifest.tsv").open(encoding="utf-8"), delimiter="\t")
    found = []
    for row in rows:
        if not row["text_layer"].startswith("ok"):
            continue
        text = corpus / row["folder"] / f"{row['ada']}.pdftotext.txt"
        words = text.read_text(encoding="utf-8").split()
        if len(words) >= 60:
            found.append(Source(" ".join(row["subject"].split()), words))
    if not found:
        raise SystemExit(f"No decision texts under {corpus}")
    return found


def plan(count, texts, rng):
    """Every decision's particulars, numbered per body per year in date order."""
    names = [name for name, _title, _share in BODIES]
    shares = [share for _name, _title, share in BODIES]
    first, last = date(FIRST_YEAR, 1, 1).toordinal(), date(LAST_YEAR, 12, 31).toordinal()
    plans = []
    for _ in range(count):
        source = rng.randrange(len(texts))
        words = len(texts[source].words)
        length = min(words, rng.randint(120, 700))
        plans.append(
            Plan(
                body=rng.choices(names, shares)[0],
                day=date.fromordinal(rng.randint(first, last)),
                source=source,
                start=rng.randint(0, words - length),
                length=length,
            )
        )
    plans.sort(key=lambda p: (p.day, p.body))
    counters = {}
    for p in plans:
        key = (p.body, p.day.year)
        counters[key] = counters.get(key, 0) + 1
        p.number = counters[key]
    earlier = {}  # body -> indexes of its public decisions so far
    for index, p in enumerate(plans):
        p.draft = rng.random() < DRAFTS
        previous = earlier.setdefault(p.body, [])
        if previous and not p.draft:
            roll = rng.random()
            if roll < AMENDS:
                p.amends = rng.choice(previous[-200:])
            elif roll < AMENDS + REPEALS:
                p.repeals = rng.choice(previous[-200:])
        if not p.draft:
            previous.append(index)
    return plans


def ada(rng, taken):
    while True:
        value = (
            "".join(rng.choice(ADA_LETTERS) for _ in range(4))
            + "ΩΡΙ-"
            + "".join(rng.choice(ADA_LETTERS) for _ in range(3))
        )
        if value not in taken:
            taken.add(value)
            return value


def fields_for(p, texts, rng, adas):
    source = texts[p.source]
    words = source.words[p.start : p.start + p.length]
    code = rng.choice(DECISION_TYPES)[0]
    fields = {
        "title": source.subject[:200],
        "decision_number": p.number,
        "decision_year": p.day.year,
        "decision_date": p.day,
        "decision_type": code,
        "thematic_categories": rng.sample(CATEGORIES, rng.choice((1, 1, 2))),
        "protocol_number": f"{rng.randint(100, 99999)}/{p.day.year}",
    }
    if p.day.year < DIGITAL_FROM:
        per_page = max(1, -(-len(words) // rng.randint(1, 4)))
        pages = [words[at : at + per_page] for at in range(0, len(words), per_page)]
        fields.update(
            page_count=len(pages),
            ocr_pages=[
                {"number": n, "text": " ".join(page), "flagged": False}
                for n, page in enumerate(pages, start=1)
            ],
            ocr_confidence=round(rng.uniform(70, 95), 1),
            script="monotonic",
            digitization_status="reviewed",
        )
    else:
        paragraphs = [" ".join(words[at : at + 80]) for at in range(0, len(words), 80)]
        html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        fields.update(
            text=RichTextValue(html, "text/html", "text/x-html-safe"),
            vote_kind="unanimous",
            votes_for=MEMBERS,
        )
        if p.day.year >= ADA_FROM:
            fields["ada"] = ada(rng, adas)
    return fields


def publish(decision):
    for transition in ("submit", "approve", "publish"):
        api.content.transition(obj=decision, transition=transition)


def build(portal, count, seed, corpus=CORPUS, progress=sys.stdout):
    rng = random.Random(seed)
    texts = sources(corpus)
    plans = plan(count, texts, rng)
    with api.env.adopt_roles(["Manager"]):
        bodies = {}
        kinds = {kind for kind, _title in BODY_KINDS}
        for name, title, _share in BODIES:
            assert name in kinds, name
            body = portal.get(name) or api.content.create(
                container=portal,
                type="CouncilBody",
                id=name,
                title=title,
                body_kind=name,
                members=MEMBERS,
            )
            if api.content.get_state(body) != "published":
                api.content.transition(obj=body, transition="publish")
            bodies[name] = body
        transaction.commit()
        made, adas = [], set()
        started = time.perf_counter()
        for index, p in enumerate(plans):
            decision = api.content.create(
                container=bodies[p.body],
                type="CouncilDecision",
                id=f"apofasi-{p.number}-{p.day.year}",
                **fields_for(p, texts, rng, adas),
            )
            made.append(decision)
            for relation, target in (("amends", p.amends), ("repeals", p.repeals)):
                if target is not None:
                    api.relation.create(source=decision, target=made[target], relationship=relation)
            if not p.draft:
                publish(decision)
                # A corrected or revoked decision is final: only a published one moves on.
                if p.amends is not None and api.content.get_state(made[p.amends]) == "published":
                    api.content.transition(obj=made[p.amends], transition="correct")
                if p.repeals is not None and api.content.get_state(made[p.repeals]) == "published":
                    api.content.transition(obj=made[p.repeals], transition="revoke")
            if (index + 1) % COMMIT_EVERY == 0 or index + 1 == len(plans):
                transaction.get().note(f"archive benchmark: {index + 1} decisions")
                transaction.commit()
                seconds = time.perf_counter() - started
                if (index + 1) % 5000 == 0 or index + 1 == len(plans):
                    print(
                        f"  {index + 1:6d} decisions, {seconds:6.0f} s, "
                        f"{(index + 1) / seconds:5.1f}/s",
                        file=progress,
                        flush=True,
                    )
        seconds = time.perf_counter() - started
    catalog = api.portal.get_tool("portal_catalog")
    states = {}
    for brain in catalog.unrestrictedSearchResults(portal_type="CouncilDecision"):
        states[brain.review_state] = states.get(brain.review_state, 0) + 1
    return {
        "count": count,
        "seed": seed,
        "seconds": seconds,
        "per_second": count / seconds,
        "states": states,
        "digitized": sum(1 for p in plans if p.day.year < DIGITAL_FROM),
        "amends": sum(1 for p in plans if p.amends is not None),
        "repeals": sum(1 for p in plans if p.repeals is not None),
        "texts": len(texts),
        "catalog_oid": catalog._p_oid.hex(),
        "built": time.strftime("%Y-%m-%d %H:%M"),
    }


def main(app, argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    login(app)
    portal = app[SITE_ID]
    setSite(portal)
    figures = build(portal, args.count, args.seed, args.corpus)
    args.out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if "app" in globals():
    main(app, sys.argv[sys.argv.index("--count") :])  # noqa: F821 (given by `bin/instance run`)
