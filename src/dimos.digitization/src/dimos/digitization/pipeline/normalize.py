"""Normalize OCR output: look-alike characters become the Greek letters they stand for.

Symbols that fonts and OCR models confuse with Greek letters (µ micro sign,
∆ increment, Ω ohm sign) always become the letters; a Latin letter inside a
word that is otherwise Greek becomes its Greek twin. Case and accents are
kept: the text is what a clerk reads, search folds accents itself.
"""

import re
import unicodedata


SYMBOLS = str.maketrans({"\u00b5": "\u03bc", "\u2206": "\u0394", "\u2126": "\u03a9"})
# Latin letters that look like a Greek one in print and typewriter faces.
LATIN_TO_GREEK = str.maketrans(
    "ABEZHIKMNOPTXYaoivuxpk",
    "ΑΒΕΖΗΙΚΜΝΟΡΤΧΥαοινυχρκ",
)
WORD = re.compile(r"\w+", re.UNICODE)


def _greek(char):
    return "\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff"


def _latin(char):
    return "A" <= char <= "Z" or "a" <= char <= "z"


def _word(match):
    word = match.group(0)
    bases = unicodedata.normalize("NFD", word)
    greek = sum(1 for char in bases if _greek(char))
    latin = sum(1 for char in bases if _latin(char))
    if not greek or not latin or latin > greek:
        return word
    return unicodedata.normalize("NFC", bases.translate(LATIN_TO_GREEK))


def normalize_text(text):
    """``text`` with look-alike symbols and stray Latin letters in Greek words made Greek."""
    text = unicodedata.normalize("NFC", text.translate(SYMBOLS))
    return WORD.sub(_word, text)
