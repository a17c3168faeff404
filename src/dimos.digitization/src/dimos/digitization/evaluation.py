"""How good is a text against its truth: word recall and character error rate.

Plain Python and numpy, for the benchmarks and the accuracy tests. Texts are
compared after folding (case, diacritics, final sigma, look-alike symbols), so
``ΑΠΟΦΑΣΗ`` read for ``Απόφαση`` is not an error: search folds the same way.
"""

from collections import Counter

import numpy
import re
import unicodedata


LOOKALIKES = str.maketrans({"µ": "μ", "∆": "Δ", "Ω": "Ω", "ς": "σ"})
WORD = re.compile(r"\w+", re.UNICODE)


def fold(text):
    """Lowercase, no diacritics, final sigma as σ, look-alike symbols as Greek letters."""
    text = unicodedata.normalize("NFD", text.translate(LOOKALIKES)).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text).translate(LOOKALIKES)


def words(text):
    return WORD.findall(fold(text))


def word_recall(hypothesis, truth):
    """Share of the truth's words (as a multiset) found in the hypothesis."""
    expected = Counter(words(truth))
    if not expected:
        return 1.0
    found = Counter(words(hypothesis))
    return sum(min(count, found[word]) for word, count in expected.items()) / sum(expected.values())


def edit_distance(a, b):
    """Levenshtein distance, one numpy row per character of ``a``."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    codes_b = numpy.frombuffer(b.encode("utf-32-le"), dtype=numpy.uint32)
    index = numpy.arange(len(b) + 1)
    row = index.copy()
    for i, char in enumerate(a, 1):
        cost = (codes_b != ord(char)).astype(numpy.int64)
        diagonal_or_up = numpy.empty_like(row)
        diagonal_or_up[0] = i
        diagonal_or_up[1:] = numpy.minimum(row[1:] + 1, row[:-1] + cost)
        # Insertions run along the row: new[j] = min over k <= j of (tmp[k] + j - k).
        row = numpy.minimum.accumulate(diagonal_or_up - index) + index
    return int(row[-1])


def cer(hypothesis, truth, ordered=False):
    """Character error rate after folding.

    ``ordered=False`` compares the words sorted, so reading order (columns,
    tables, stamps read before the body) does not count as error; the
    characters of each word still do.
    """
    if ordered:
        a, b = " ".join(words(hypothesis)), " ".join(words(truth))
    else:
        a, b = " ".join(sorted(words(hypothesis))), " ".join(sorted(words(truth)))
    if not b:
        return 0.0 if not a else 1.0
    return edit_distance(a, b) / len(b)
