"""The accuracy measures the benchmarks report: folding, word recall, CER."""

from dimos.digitization.evaluation import cer
from dimos.digitization.evaluation import edit_distance
from dimos.digitization.evaluation import fold
from dimos.digitization.evaluation import word_recall

import random


def reference_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def test_edit_distance_matches_the_textbook_algorithm():
    rng = random.Random(4)
    for _ in range(200):
        a = "".join(rng.choice("αβγ δ") for _ in range(rng.randint(0, 30)))
        b = "".join(rng.choice("αβγ δ") for _ in range(rng.randint(0, 30)))
        assert edit_distance(a, b) == reference_distance(a, b)


def test_fold_ignores_case_accents_final_sigma_and_lookalikes():
    assert fold("ΑΠΟΦΑΣΗ") == fold("Απόφαση") == "αποφαση"
    assert fold("∆ήμος µέλος") == "δημοσ μελοσ"
    assert fold("ἀπόφασις") == "αποφασισ"


def test_word_recall_counts_each_truth_word_once():
    assert word_recall("του δήμου", "ΤΟΥ ∆ΗΜΟΥ του") == 2 / 3
    assert word_recall("", "") == 1.0


def test_cer_ignores_reading_order_unless_asked():
    assert cer("δεύτερη πρώτη", "πρώτη δεύτερη") == 0.0
    assert cer("δεύτερη πρώτη", "πρώτη δεύτερη", ordered=True) > 0.5
    assert cer("πρωτη", "πρώτη") == 0.0
    assert cer("πρωτα", "πρώτη") == 1 / 5
