"""Read a PDF's text layer and decide, page by page, whether it can be kept.

A text layer is kept only when it reads as Greek (or Latin) words. Three
kinds of broken layers are common in the municipality's PDFs:

- a broken ToUnicode map ("ΕΛΛΗΝΘΚΗ ΔΗΜΟΚΡΑΣΘΑ", "Κνκνηελή", "τοσ Δήμοσ"):
  letters swapped for others, so words end in letters Greek words never end
  in, carry consonant pairs Greek never writes, or use the unassigned
  code point U+03A2 where a sigma should be;
- ISO-8859-7 bytes shown as Latin-1 ("ÅËËÇÍÉÊÇ ÄÇÌÏÊÑÁÔÉÁ");
- Greek typed with Latin look-alike letters in whole words ("TO ΔHMOTIKO"
  can be folded back, "KAI TO EPΓO" partly, "TOY KOINOTIKOY" not at all).

A few look-alikes (∆ U+2206, µ U+00B5, Latin "o" inside a Greek word) are
folded by normalization and are no reason to OCR a page.
"""

from dimos.digitization.pipeline.model import TextQuality
from dimos.digitization.tools import poppler

import re
import unicodedata


# Greek's consonant pairs, inside a word or across syllables. A pair of consonants
# not listed here ("πξ", "ζχ", "δφ") does not occur in Greek words.
_PAIRS = (
    "ββ βγ βδ βλ βρ γγ γδ γκ γλ γμ γν γρ γχ γξ δγ δρ δμ δν δβ θλ θμ θν θρ "
    "κκ κλ κμ κν κρ κτ κσ κδ κπ κθ κβ κχ κφ κζ κγ λβ λγ λδ λθ λκ λλ λμ λπ λτ λφ λχ λξ λψ λσ λζ "
    "μβ μμ μν μπ μφ μψ μπ μν μτ μσ νγ νδ νθ ντ νν νζ νσ νκ νφ νχ νξ νψ νμ νπ νβ νλ νρ "
    "ξτ ξθ ξκ ξπ ξφ ξχ ξμ ξν ξλ ξρ ξγ ξβ ξδ πλ πν πρ πτ ππ πσ πφ "
    "ρβ ργ ρδ ρζ ρθ ρκ ρλ ρμ ρν ρξ ρπ ρρ ρσ ρτ ρφ ρχ ρψ "
    "σβ σγ σδ σθ σκ σλ σμ σν σπ στ σφ σχ σσ σζ τλ τμ τρ ττ τσ τζ τκ τν τπ "
    "φθ φλ φν φρ φτ φφ φκ φσ φχ χθ χλ χμ χν χρ χτ χσ χπ χχ ψτ ψφ ψχ ψλ ψμ ψκ "
    "ζβ ζγ ζδ ζμ ζν ζκ ζτ γβ γσ γτ γφ γζ βζ βθ βν βσ βτ δζ δτ δκ δπ δφ δσ θσ θκ θτ θφ θχ"
)
CONSONANT_PAIRS = frozenset(_PAIRS.split())
CONSONANTS = frozenset("βγδζθκλμνξπρστφχψς")
# Native Greek words end in a vowel, ς, ν or ρ (ξ, ψ in katharevousa).
FINAL_CONSONANTS = frozenset("ςνρξψ")

# Some of the most frequent words of Greek administrative text, accents and
# final sigma folded. Used only to vouch for short words the rules cannot judge.
COMMON_WORDS = frozenset(
    """
    ο η το οι τα του της των τον την τη τις τους στο στη στην στον στα στις στους
    και κι με σε για απο προς κατα δια μετα παρα υπερ περι αντι ως εως ή να θα
    που ποτε οπως οτι αν εαν δεν μη μην ειναι εχει εχουν ηταν αυτο αυτη αυτος αυτα
    αυτου αυτης αυτων ενα ενας μια μιας ενος ολα ολοι ολες καθε αλλα ομως επισης
    αριθ αριθμ αρ υπ απ εκ εξ επι υπο ανα ουτε ουδε ητοι δηλαδη τε ων ον αι
    δημος δημου δημο δημοτικο δημοτικου δημοτικη δημοτικης συμβουλιο συμβουλιου
    επιτροπη επιτροπης οικονομικη οικονομικης αποφαση αποφασης αποφασεως αποφασις
    αποφασιζει αποφασιζουμε εγκρινει εγκριση εγκρισης θεμα θεματος ημερα ημερομηνια
    ετος ετους ετη μηνος μηνα νομου νομος νομο αρθρο αρθρου αρθρων παρ παραγραφος
    διαταξεις διαταξεων σχετικα σχετικη σχετικο σχεδιο προεδρος προεδρου μελη μελος
    δημαρχος δημαρχου δημαρχιακη κοινοτητα κοινοτητας κοινοτικο κοινοτικου
    συνεδριαση συνεδριασης συνεδριασεως πρακτικο πρακτικου παροντες απουσιαζοντες απουσιαζαν
    ευρω ποσο ποσου δαπανη δαπανης πιστωση πιστωσης προυπολογισμου προυπολογισμος
    υπηρεσια υπηρεσιας υπηρεσιων υπαλληλος υπαλληλου εργο εργου εργων εργασιες
    ελληνικη ελληνικης δημοκρατια δημοκρατιας νομοι περιφερεια περιφερειας
    ορθη επαναληψη ανωτερω κατωτερω παρουσα παρουσας παρον παροντος μεταξυ
    εχοντας υποψη λαβει λαβοντας τουτο ταυτα ουτω ουτως ενεκα δυναμει βασει
    """.split()
)

# Latin capitals and small letters that look like Greek ones.
_LATIN_TO_GREEK = str.maketrans("ABEHIKMNOPTXYZaeikopuvx", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖαεικορυνχ")
_LOOKALIKE_LATIN = frozenset("ABEHIKMNOPTXYZaeikopuvx")
# Symbols that stand in for Greek letters in many PDFs: ∆ increment, µ micro, Ω ohm.
_SYMBOLS = str.maketrans({"\u2206": "Δ", "\u00b5": "μ", "\u2126": "Ω"})

# Lines the Diavgeia portal stamps on every page: the ΑΔΑ and the signature box.
_STAMP_LINES = re.compile(
    r"^\s*(ΑΔΑ:.*|(Digitally )?signed by|INFORMATICS( Digitally)?|AGENCY|DEVELOPMENT?( DEVELOPMENT)?"
    r"|Date: .*|EES?T|T AGENCY|Reason:.*|Location: .*)\s*$",
    re.MULTILINE,
)
# U+03A2 is unassigned (so not a letter to re), but broken maps put it where a sigma was.
_WORD = re.compile(r"(?:[^\W\d_]|\u03a2)+")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
# Latin-1 letters that ISO-8859-7 bytes become when read as Latin-1.
_LATIN1_HIGH = re.compile(r"[\u00a2\u00b8-\u00be\u00c0-\u00fe]")

# What may follow a word cut short: "Αριθμ.", "Τηλ:", "υπ'", "Δ/νση", "κ.λπ-".
_MARKS = (".", ":", "'", "’", "ʼ", "΄", "/", "-")

# Below MIN_WORDS words and MIN_LETTERS letters a page has no text layer worth the name.
MIN_WORDS = 8
MIN_LETTERS = 50
# A page is garbled when fewer than this share of its Greek words could be Greek...
GARBLED_BELOW = 0.85
# ...or when this many words end in "σ" or hold U+03A2, which real Greek text never does.
BROKEN_WORDS = 3
# Words left in Latin look-alike letters once mixed words are folded ("TO", "KAI", "TOY"):
# above this share of the Greek-looking words, search would miss too much of the page.
LOOKALIKE_SHARE = 0.3


def page_texts(pdf, workdir=None):
    """The text of each page of ``pdf`` (pdftotext, UTF-8), one string per page.

    With ``workdir``, each page is also written to ``textlayer/page-0001.txt``...
    """
    text = poppler.run("pdftotext", ["-enc", "UTF-8", pdf, "-"], binary=True)
    pages = text.decode("utf-8", "replace").split("\f")
    # pdftotext ends every page with a form feed: the last piece is what follows the last page.
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]
    if workdir is not None:
        folder = workdir / "textlayer"
        folder.mkdir(parents=True, exist_ok=True)
        for number, text in enumerate(pages, start=1):
            (folder / f"page-{number:04d}.txt").write_text(text, encoding="utf-8")
    return pages


def fold(word):
    """Lower case, no accents or breathings, final sigma as σ: the form words are compared in."""
    decomposed = unicodedata.normalize("NFD", word.translate(_SYMBOLS).lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.replace("ς", "σ")


def _rescue_lookalikes(word):
    """A word mixing Greek letters and Latin look-alikes, written in Greek letters."""
    if _GREEK.search(word) and any(char in _LOOKALIKE_LATIN for char in word):
        return word.translate(_LATIN_TO_GREEK)
    return word


def _tokens(text):
    """(word, the character after it) for every run of letters."""
    for match in _WORD.finditer(text):
        after = text[match.end() : match.end() + 1]
        yield match.group(), after


def word_is_plausible(word, after=""):
    """Could ``word`` (Greek letters) be a real Greek word?"""
    if "\u03a2" in word:  # unassigned code point: a sigma from a broken font map
        return False
    bare = unicodedata.normalize("NFD", word.lower())
    bare = "".join(char for char in bare if not unicodedata.combining(char))
    if fold(word) in COMMON_WORDS:
        return True
    if "ς" in bare[:-1]:
        return False
    abbreviated = after in _MARKS
    if word[-1].islower() and not abbreviated and len(bare) > 1:
        last = bare[-1]
        if last == "σ" or (last in CONSONANTS and last not in FINAL_CONSONANTS):
            return False
    if word.isupper() and len(word) <= 5:
        return True  # acronyms: ΚΑΕ, ΠΔΕ, ΝΠΔΔ
    folded = bare.replace("ς", "σ")
    for first, second in zip(folded, folded[1:], strict=False):
        if first in CONSONANTS and second in CONSONANTS and first + second not in CONSONANT_PAIRS:
            return False
    return True


def _strip_stamps(text):
    return _STAMP_LINES.sub("", text)


def _counts(text):
    """Word counts of ``text``: Greek, plausible Greek, look-alike Latin, other Latin,
    and the tell-tales of a broken font map (final "σ", U+03A2)."""
    counts = dict.fromkeys(("greek", "plausible", "lookalike", "latin", "broken"), 0)
    for word, after in _tokens(text.translate(_SYMBOLS)):
        word = _rescue_lookalikes(word)
        if len(word) < 2:
            continue
        if _GREEK.search(word):
            counts["greek"] += 1
            counts["plausible"] += word_is_plausible(word, after)
            counts["broken"] += "\u03a2" in word or (word[-1] == "σ" and after not in _MARKS)
        elif all(char in _LOOKALIKE_LATIN for char in word):
            counts["lookalike"] += 1
        else:
            counts["latin"] += 1
    return counts


def assess(text):
    """Decide whether a page's text layer can stand in for OCR."""
    if not _WORD.search(text or ""):
        return TextQuality(usable=False, problem="empty", score=0.0)
    body = _strip_stamps(text)
    letters = sum(len(word) for word, _ in _tokens(body))
    high = len(_LATIN1_HIGH.findall(body))
    if high >= 20 and high > 0.3 * letters:
        return TextQuality(usable=False, problem="legacy-8bit-mojibake", score=0.0)
    counts = _counts(body)
    greek, lookalike = counts["greek"], counts["lookalike"]
    if greek + lookalike + counts["latin"] < MIN_WORDS and letters < MIN_LETTERS:
        return TextQuality(usable=False, problem="too-little-text", score=0.0)
    if lookalike >= MIN_WORDS and lookalike >= LOOKALIKE_SHARE * (greek + lookalike):
        share = round(greek / (greek + lookalike), 3)
        return TextQuality(usable=False, problem="latin-lookalikes", score=share)
    if not greek:
        # Latin script only (English, codes): nothing Greek to judge.
        return TextQuality(usable=True, problem=None, score=1.0)
    score = round(counts["plausible"] / greek, 3)
    broken = counts["broken"] >= BROKEN_WORDS
    if greek >= MIN_WORDS and (score < GARBLED_BELOW or broken):
        return TextQuality(usable=False, problem="garbled-glyph-mapping", score=score)
    return TextQuality(usable=True, problem=None, score=score)


def document_quality(pages):
    """One verdict per page, and the pages whose text layer is not usable."""
    verdicts = [assess(text) for text in pages]
    unusable = tuple(number for number, v in enumerate(verdicts, start=1) if not v.usable)
    return verdicts, unusable
