"""Greek full-text search: recall and query time, with and without the Greek pipeline.

Indexes the text layers of the 33 Diavgeia decisions in ../shared/eval/decisions
with the same ZCTextIndex machinery the Plone catalog uses (lexicon pipeline,
Okapi index, query parser), once with Plone's own pipeline and once with the
Dimos Greek splitter and normalizer, and runs 20 Greek queries written in every
form (accents or none, upper case, plural, genitive, katharevousa, polytonic,
look-alike letters).

Truth: a document is relevant to a query when one of its words, folded (case,
diacritics, final sigma, look-alike letters) but not stemmed, belongs to the
query word's family, written out as a regular expression below. Recall and
precision are measured against that.

Run: `make bench` or `bin/zopepy benchmarks/search_greek.py [--repeat N]`.
"""

from dimos.policy.text.greek import fold
from dimos.policy.text.greek import is_greek
from dimos.policy.text.greek import LATIN_IN_GREEK
from pathlib import Path
from Products.ZCTextIndex.Lexicon import Lexicon
from Products.ZCTextIndex.OkapiIndex import OkapiIndex
from Products.ZCTextIndex.PipelineFactory import element_factory
from Products.ZCTextIndex.QueryParser import QueryParser

import argparse
import dimos.policy.catalog  # noqa: F401 (registers the pipeline elements)
import re
import statistics
import sys
import time


HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "eval" / "decisions" / "diavgeia-samples"

PIPELINES = {
    "plone": (
        ("Word Splitter", "Unicode Whitespace splitter"),
        ("Case Normalizer", "Unicode Ignoring Accents Case Normalizer"),
    ),
    "dimos": (
        ("Word Splitter", "Dimos Greek splitter"),
        ("Case Normalizer", "Dimos Greek normalizer"),
    ),
}

NOUN_3RD = "(η|ησ|εισ|εων|ισ|εωσ)"
NOUN_2ND = "(οσ|ου|ο|οι|ων|ουσ|ε)"
NOUN_1ST = "(η|ησ|εσ|ων)"
ADJ = "(οσ|ου|ο|οι|ων|ουσ|η|ησ|εσ|α|ε)"

# (query as a user types it, family of folded words that make a document relevant)
QUERIES = [
    ("αποφαση", f"αποφασ{NOUN_3RD}"),
    ("ΑΠΟΦΑΣΕΙΣ", f"αποφασ{NOUN_3RD}"),
    ("Απόφαση", f"αποφασ{NOUN_3RD}"),
    ("ἀπόφασις", f"αποφασ{NOUN_3RD}"),
    ("δημου", f"δημ{NOUN_2ND}"),
    ("ΔΗΜΟΣ", f"δημ{NOUN_2ND}"),
    ("δημοτικου", f"δημοτικ{ADJ}"),
    ("συμβούλιο", "συμβουλι(ο|ου|α|ων)"),
    ("ΣΥΜΒΟΥΛΙΟΥ", "συμβουλι(ο|ου|α|ων)"),
    ("προϋπολογισμού", f"προυπολογισμ{NOUN_2ND}"),
    ("προυπολογισμος", f"προυπολογισμ{NOUN_2ND}"),
    ("λογαριασμοί", f"λογαριασμ{NOUN_2ND}"),
    ("Λoγαριασµός", f"λογαριασμ{NOUN_2ND}"),  # Latin o, micro sign
    ("δαπανης", f"δαπαν{NOUN_1ST}"),
    ("ΔΑΠΑΝΕΣ", f"δαπαν{NOUN_1ST}"),
    ("εγκριση", f"εγκρισ{NOUN_3RD}"),
    ("εγκρίσεως", f"εγκρισ{NOUN_3RD}"),
    ("υπαλληλων", f"υπαλληλ{NOUN_2ND}"),
    ("πράξεις", f"πραξ{NOUN_3RD}"),
    ("ανάθεσις", f"αναθεσ{NOUN_3RD}"),
]


def truth_fold(word):
    """Fold without stemming: what a human reader treats as the same written word."""
    folded = fold(word)
    return folded.translate(LATIN_IN_GREEK) if is_greek(folded) else folded


def load_corpus(folder):
    docs = {}
    for path in sorted(Path(folder).glob("*/*.pdftotext.txt")):
        docs[len(docs) + 1] = (path.name.split(".")[0], path.read_text(encoding="utf-8"))
    if not docs:
        sys.exit(f"No *.pdftotext.txt under {folder}: pass --corpus")
    return docs


def relevant(docs, family):
    pattern = re.compile(f"^{family}$")
    splitter = re.compile(r"[\w\u2206\u00b5\u2126]+")
    return {
        docid
        for docid, (_, text) in docs.items()
        if any(pattern.match(truth_fold(w)) for w in splitter.findall(text))
    }


def build(docs, pipeline):
    lexicon = Lexicon(*(element_factory.instantiate(g, n) for g, n in pipeline))
    index = OkapiIndex(lexicon)
    started = time.perf_counter()
    for docid, (_, text) in docs.items():
        index.index_doc(docid, text)
    return lexicon, index, time.perf_counter() - started


def search(lexicon, index, query):
    tree = QueryParser(lexicon).parseQuery(query)
    return set(tree.executeQuery(index).keys())


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--repeat", type=int, default=200, help="runs of each query for timing")
    args = parser.parse_args(argv)

    docs = load_corpus(args.corpus)
    truth = {query: relevant(docs, family) for query, family in QUERIES}
    words = sum(len(text.split()) for _, text in docs.values())
    print(f"Corpus: {len(docs)} text layers, {words} words ({args.corpus})")
    print(f"Queries: {len(QUERIES)}, each timed over {args.repeat} runs\n")

    summary = {}
    per_query = {}
    for name, pipeline in PIPELINES.items():
        lexicon, index, index_seconds = build(docs, pipeline)
        times, recalls, precisions = [], [], []
        for query, _ in QUERIES:
            expected = truth[query]
            for _ in range(args.repeat):
                started = time.perf_counter()
                got = search(lexicon, index, query)
                times.append(time.perf_counter() - started)
            recall = len(got & expected) / len(expected) if expected else 1.0
            precision = len(got & expected) / len(got) if got else (1.0 if not expected else 0.0)
            recalls.append(recall)
            precisions.append(precision)
            per_query.setdefault(query, {})[name] = (recall, precision, len(got), len(expected))
        summary[name] = {
            "index_seconds": index_seconds,
            "lexicon_words": lexicon.length(),
            "mean_recall": statistics.mean(recalls),
            "mean_precision": statistics.mean(precisions),
            "median_ms": statistics.median(times) * 1000,
            "p95_ms": percentile(times, 95) * 1000,
        }

    print(
        f"{'query':<18} {'relevant':>8}   {'plone recall':>12} {'found':>5}   {'dimos recall':>12} {'found':>5} {'precision':>9}"
    )
    for query, _ in QUERIES:
        plone, dimos = per_query[query]["plone"], per_query[query]["dimos"]
        print(
            f"{query:<18} {dimos[3]:>8}   {plone[0]:>12.2f} {plone[2]:>5}   "
            f"{dimos[0]:>12.2f} {dimos[2]:>5} {dimos[1]:>9.2f}"
        )
    print()
    print(
        f"{'pipeline':<8} {'recall':>7} {'precision':>9} {'median ms':>10} {'p95 ms':>8} {'index s':>8} {'terms':>7}"
    )
    for name, s in summary.items():
        print(
            f"{name:<8} {s['mean_recall']:>7.3f} {s['mean_precision']:>9.3f} {s['median_ms']:>10.3f} "
            f"{s['p95_ms']:>8.3f} {s['index_seconds']:>8.2f} {s['lexicon_words']:>7}"
        )
    return summary


if __name__ == "__main__":
    main()
