"""Greek-aware word normalization for full-text search.

Plain Python, no Zope: the catalog pipeline element, the benchmark and any
pipeline that needs to compare Greek words call the same functions.

``normalize_word`` turns one word into its index term:

1. look-alike symbols become Greek letters (µ U+00B5, ∆ U+2206, Ω U+2126);
2. case is folded and every diacritic goes (tonos, dialytika, and the
   polytonic breathings, accents, iota subscript);
3. final ς becomes σ;
4. Latin letters inside a word that also has Greek letters become the Greek
   letters they imitate (``Λoγαριασµός`` with a Latin ``o``);
5. Greek words are stemmed by the Snowball Greek stemmer, then a small table
   of endings closes the gaps the stemmer leaves (katharevousa ``-ις``,
   ``-ικ-`` adjectives, the ``-ι`` of neuter nouns).

Words without Greek letters are only case- and accent-folded.
"""

from functools import lru_cache

import re
import snowballstemmer
import unicodedata


# Symbols that look like Greek letters and come out of OCR, old word
# processors and PDF text layers. NFKD already maps µ (U+00B5) and Ω (U+2126),
# they are listed so that the table documents every look-alike we handle.
SYMBOL_LOOKALIKES = str.maketrans(
    {
        "\u00b5": "\u03bc",  # µ MICRO SIGN -> μ
        "\u2206": "\u0394",  # ∆ INCREMENT -> Δ
        "\u2126": "\u03a9",  # Ω OHM SIGN -> Ω
        "\u2127": "\u03a9",  # ℧ inverted ohm, seen in bad OCR -> Ω
        "\u03c2": "\u03c3",  # ς final sigma -> σ
        "\u03f2": "\u03c3",  # ϲ lunate sigma -> σ
        "\u03d0": "\u03b2",  # ϐ curled beta -> β
        "\u03d1": "\u03b8",  # ϑ script theta -> θ
        "\u03d5": "\u03c6",  # ϕ phi symbol -> φ
        "\u03f0": "\u03ba",  # ϰ kappa symbol -> κ
        "\u03f1": "\u03c1",  # ϱ rho symbol -> ρ
        "\u00b7": " ",  # · middle dot (ano teleia look-alike) separates words
        "\u0387": " ",  # · GREEK ANO TELEIA
    }
)

# Latin letters (already lower-cased) that stand for Greek ones inside a
# Greek word: the shapes are the same in print, so typists and OCR mix them.
LATIN_IN_GREEK = str.maketrans(
    {
        "a": "α",
        "b": "β",
        "e": "ε",
        "z": "ζ",
        "h": "η",
        "i": "ι",
        "k": "κ",
        "m": "μ",
        "n": "ν",
        "o": "ο",
        "p": "ρ",
        "t": "τ",
        "y": "υ",
        "x": "χ",
        "v": "ν",
        "u": "υ",
        "c": "σ",
    }
)

# Endings the Snowball stemmer leaves on stems that should meet their
# siblings: (ending of the stem, what the folded word must end with, shortest
# stem the rule applies to). Checked in order; at most one rule applies. Each
# is pinned word by word in tests/test_greek_normalizer.py.
STEM_ENDING_RULES = (
    # katharevousa -ις: απόφασις -> αποφασισ, πόλις -> πολισ, πράξις -> πραξισ
    # (the stemmer gives αποφασ, πολ, πραξ for the demotic forms)
    ("ισ", re.compile("ισ$"), 5),
    # -ικός adjectives: δημοτικός -> δημοτικ but δημοτικού -> δημοτ
    # (the word's ending keeps nouns such as ενοίκιο out of this rule)
    ("ικ", re.compile("ικ(οσ|ου|ο|οι|ων|ουσ|η|ησ|εσ|α)$"), 5),
    # neuter -ι: συμβούλιο -> συμβουλι but συμβουλίου -> συμβουλ
    ("ι", re.compile(""), 5),
)

_GREEK_LETTER = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_LATIN_LETTER = re.compile("[a-z]")
_stemmer = snowballstemmer.stemmer("greek")


def fold(text):
    """Fold case, diacritics, final sigma and look-alike symbols.

    Works on any text; word boundaries are left as they are.
    """
    text = text.translate(SYMBOL_LOOKALIKES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().translate(SYMBOL_LOOKALIKES)


def is_greek(word):
    return _GREEK_LETTER.search(word) is not None


def _stem_greek(word):
    stem = _stemmer.stemWord(word)
    for ending, word_ending, shortest in STEM_ENDING_RULES:
        if len(stem) >= shortest and stem.endswith(ending) and word_ending.search(word):
            return stem[: -len(ending)]
    return stem


@lru_cache(maxsize=200_000)
def normalize_word(word):
    """The index term for one word (see the module docstring)."""
    folded = fold(word)
    if not is_greek(folded):
        return folded
    if _LATIN_LETTER.search(folded):
        folded = folded.translate(LATIN_IN_GREEK)
    if not folded.isalpha():
        # Codes such as ΑΔΑ "6ΔΗΞ46ΜΓ-ΞΓ5" or "Α.2" keep their shape.
        return folded
    return _stem_greek(folded)


def normalize_prefix(prefix):
    """The index-term prefix for a truncated query word (``αποφαση*``).

    Index terms are stems, so a whole word typed before the ``*`` must match
    its stem as a prefix. The result is the common prefix of the folded word
    and its stem, so a word that is really cut short is never lengthened.
    """
    folded = fold(prefix)
    if is_greek(folded) and _LATIN_LETTER.search(folded):
        folded = folded.translate(LATIN_IN_GREEK)
    stem = normalize_word(folded)
    common = 0
    for a, b in zip(folded, stem, strict=False):
        if a != b:
            break
        common += 1
    return folded[:common] if common else folded


def normalize_words(words):
    return [normalize_word(w) for w in words]
