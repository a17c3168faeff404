"""Greek-aware elements for the catalog's ZCTextIndex lexicon pipeline.

ZCTextIndex runs the lexicon pipeline three ways (Products.ZCTextIndex.Lexicon):

- ``process`` when indexing a document and for plain query terms;
- ``processGlob`` once on the query text (``parseTerms``), keeping ``*``/``?``;
- ``process_post_glob`` (when an element has it, else ``process``) on the
  terms ``parseTerms`` already produced (``termToWordIds``: words and phrases).

The normalizer stems, and stemming a stem again is not always a no-op, so its
``process_post_glob`` passes the already-normalized terms through untouched.
"""

from dimos.policy.text.greek import fold
from dimos.policy.text.greek import normalize_prefix
from dimos.policy.text.greek import normalize_word
from dimos.policy.text.greek import SYMBOL_LOOKALIKES
from Products.CMFPlone.UnicodeSplitter.splitter import process_unicode
from Products.CMFPlone.UnicodeSplitter.splitter import process_unicode_glob
from Products.ZCTextIndex.interfaces import ISplitter
from Products.ZCTextIndex.PipelineFactory import element_factory
from zope.interface import implementer


SPLITTER_GROUP = "Word Splitter"
SPLITTER_NAME = "Dimos Greek splitter"
NORMALIZER_GROUP = "Case Normalizer"
NORMALIZER_NAME = "Dimos Greek normalizer"
GLOB_CHARS = "*?"


def _as_text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


@implementer(ISplitter)
class GreekSplitter:
    """Plone's Unicode splitter (words, CJK bigrams), after mapping symbols
    that imitate Greek letters (``∆`` U+2206 is not a word character, so the
    plain splitter would cut ``∆ήμος`` to ``ήμος``)."""

    def process(self, lst):
        return [
            word
            for text in lst
            for word in process_unicode(_as_text(text).translate(SYMBOL_LOOKALIKES))
        ]

    def processGlob(self, lst):
        return [
            word
            for text in lst
            for word in process_unicode_glob(_as_text(text).translate(SYMBOL_LOOKALIKES))
        ]

    def process_post_glob(self, lst):
        return [_as_text(word).replace("*", "").replace("?", "") for word in lst]


class GreekNormalizer:
    """Index terms: folded, look-alikes mapped, Greek words stemmed."""

    def process(self, lst):
        return [normalize_word(_as_text(word)) for word in lst]

    def processGlob(self, lst):
        return [self._glob_term(_as_text(word)) for word in lst]

    def process_post_glob(self, lst):
        return list(lst)

    @staticmethod
    def _glob_term(word):
        if not any(c in word for c in GLOB_CHARS):
            return normalize_word(word)
        head = word.rstrip("*")
        if word.endswith("*") and not any(c in head for c in GLOB_CHARS):
            return normalize_prefix(head) + "*"
        # Patterns with ? or an inner *: fold only, index terms keep their length.
        return fold(word)


def _register(group, name, factory):
    try:
        element_factory.registerFactory(group, name, factory)
    except ValueError:
        pass  # registered already (module reloaded)


_register(SPLITTER_GROUP, SPLITTER_NAME, GreekSplitter)
_register(NORMALIZER_GROUP, NORMALIZER_NAME, GreekNormalizer)
