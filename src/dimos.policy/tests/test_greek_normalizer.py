"""Word-by-word behaviour of the Greek normalizer (no Plone needed)."""

from dimos.policy.text.greek import fold
from dimos.policy.text.greek import normalize_prefix
from dimos.policy.text.greek import normalize_word
from dimos.policy.text.greek import STEM_ENDING_RULES

import pytest


@pytest.mark.parametrize(
    "text, folded",
    [
        ("ΑΠΟΦΑΣΗ", "αποφαση"),
        ("Απόφαση", "αποφαση"),
        ("προϋπολογισμός", "προυπολογισμοσ"),
        ("ΐ", "ι"),  # iota with dialytika and tonos
        ("ἡ ἀπόφασις τοῦ", "η αποφασισ του"),  # breathings, perispomeni
        ("ᾠδῇ", "ωδη"),  # iota subscript goes too
        ("µ∆Ω", "μδω"),  # micro, increment, ohm signs
        ("Plone Café", "plone cafe"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


# Each group: the words that must meet in one index term.
SAME_TERM = [
    [
        "απόφαση",
        "ΑΠΟΦΑΣΗ",
        "Απόφαση",
        "αποφαση",
        "αποφάσεις",
        "ΑΠΟΦΑΣΕΙΣ",
        "απόφασης",
        "αποφάσεων",
        "απόφασις",
        "ἀπόφασις",
        "αποφάσεως",
    ],
    ["δήμαρχος", "δημάρχου", "ΔΗΜΑΡΧΟΥ", "δημαρχου", "δήμαρχοι", "δημάρχων"],
    [
        "λογαριασμός",
        "λογαριασμος",
        "λογαριασμοί",
        "λογαριασμού",
        "Λoγαριασµός",  # Latin o and micro sign
        "ΛOΓAPIAΣMOΣ",
    ],  # Latin O, A, P, I, M
    ["συμβούλιο", "συμβουλίου", "συμβούλια", "συμβουλίων", "ΣΥΜΒΟΥΛΙΟ"],
    ["δήμος", "Δήμος", "ΔΗΜΟΣ", "δήμου", "∆ήμος"],  # ∆ U+2206
    ["δημοτικός", "δημοτικού", "δημοτική", "δημοτικό", "ΔΗΜΟΤΙΚΟΥ"],
    ["πόλις", "πόλη", "πόλης", "πόλεως"],
    ["πράξις", "πράξη", "πράξεις", "πράξεως"],
    ["ενοίκιο", "ενοικίου", "ενοίκια"],
    ["Ωρα", "ΩΡΑ", "\u2126ρα"],  # Ω OHM SIGN
]


@pytest.mark.parametrize("words", SAME_TERM, ids=lambda words: words[0])
def test_forms_meet_in_one_term(words):
    terms = {word: normalize_word(word) for word in words}
    assert len(set(terms.values())) == 1, terms


DIFFERENT_TERMS = [
    ("απόφαση", "δήμαρχος"),
    ("δήμος", "δημοτικός"),
    ("συμβούλιο", "σύμβαση"),
    ("λογαριασμός", "λόγος"),
]


@pytest.mark.parametrize("a, b", DIFFERENT_TERMS)
def test_different_words_stay_apart(a, b):
    assert normalize_word(a) != normalize_word(b)


@pytest.mark.parametrize(
    "word, stem_without_rules, term",
    [
        ("απόφασις", "αποφασισ", "αποφασ"),  # katharevousa -ις
        ("δημοτικός", "δημοτικ", "δημοτ"),  # -ικ- adjective
        ("συμβούλιο", "συμβουλι", "συμβουλ"),  # neuter -ι
    ],
)
def test_each_ending_rule_closes_a_stemmer_gap(word, stem_without_rules, term, monkeypatch):
    import dimos.policy.text.greek as greek

    monkeypatch.setattr(greek, "STEM_ENDING_RULES", ())
    assert greek._stem_greek(fold(word)) == stem_without_rules
    monkeypatch.setattr(greek, "STEM_ENDING_RULES", STEM_ENDING_RULES)
    assert greek._stem_greek(fold(word)) == term


@pytest.mark.parametrize(
    "word, term",
    [
        ("Plone", "plone"),  # Latin words are only folded
        ("KAI", "kai"),  # no Greek letter: nothing to tell it from Latin
        ("Kαι", "κα"),  # a Greek letter: the Latin K is a kappa
        ("6ΔΗΞ46ΜΓ", "6δηξ46μγ"),  # codes (ΑΔΑ) keep their shape
        ("2024", "2024"),
        ("κρίση", "κρισ"),  # a short stem ending in -ισ is left alone
    ],
)
def test_words_that_are_not_stemmed_or_keep_their_shape(word, term):
    assert normalize_word(word) == term


@pytest.mark.parametrize(
    "prefix, term_prefix, family_word",
    [
        ("αποφαση", "αποφασ", "αποφάσεις"),  # a whole word before *: its stem
        ("Αποφάσ", "αποφ", "απόφασις"),  # a fragment's stem may be shorter: wider, never narrower
        ("αποφ", "αποφ", "απόφαση"),  # a word really cut short is not lengthened
        ("Λoγαρ", "λογαρ", "λογαριασμός"),
        ("δημαρχ", "δημαρχ", "δημάρχου"),
    ],
)
def test_normalize_prefix_matches_the_family(prefix, term_prefix, family_word):
    assert normalize_prefix(prefix) == term_prefix
    assert normalize_word(family_word).startswith(term_prefix)
