"""Snippets of a hit's text with the words of the query marked, folded as the catalog folds them.

The catalog cuts text into words with dimos.policy's splitter and turns each
into its index term (``normalize_word``: case, accents, final sigma, stem),
so the query ``αποφαση`` finds "ΑΠΟΦΑΣΗ" and "απόφασης". The snippet marks the
same words: each word of the text is folded the same way and compared with
the query's terms (``dimos.digitization.pages.query_terms``; ``αποφ*`` marks by
prefix). The window shown is the one holding the most matched words.
"""

from dimos.digitization.pages import matching_pages
from dimos.digitization.pages import query_terms
from dimos.digitization.serializers.summary import page_terms
from dimos.policy.text.greek import normalize_word
from dimos.policy.text.greek import SYMBOL_LOOKALIKES
from html import escape
from html import unescape

import re


WIDTH = 240
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_BREAK = re.compile(
    r"<(?:br|/?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre)\b)[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]*>")
ELLIPSIS = "…"
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def html_text(markup):
    """The text of an HTML fragment, for a snippet (which escapes it again): tags dropped.

    Much faster than portal_transforms' html-to-text, which the snippets of a
    page of 20 hits would otherwise spend most of their time finding a path for.
    """
    text = _TAG.sub("", _BREAK.sub(" ", _HIDDEN.sub(" ", markup or "")))
    return unescape(text)


def rich_text(value):
    """Plain text of a RichTextValue (or None)."""
    if value is None or not value.raw:
        return ""
    if value.mimeType == "text/plain":
        return value.raw
    return html_text(value.raw)


def _matcher(query_text):
    """A function word -> bool, or None when the query has no words."""
    wanted = query_terms(query_text or "")
    if not wanted:
        return None
    exact = {term for term, is_prefix in wanted if not is_prefix}
    prefixes = tuple(term for term, is_prefix in wanted if is_prefix)

    def matches(word):
        term = normalize_word(word)
        return term in exact or (bool(prefixes) and term.startswith(prefixes))

    return matches


def matched_spans(text, query_text):
    """(start, end) of each word of ``text`` matching the query, in order."""
    matches = _matcher(query_text)
    if matches is None:
        return []
    # Look-alike symbols (∆ for Δ) map one character to one: offsets stay the same.
    scanned = text.translate(SYMBOL_LOOKALIKES)
    return [m.span() for m in _WORD.finditer(scanned) if matches(m.group())]


def _best_window(spans, width):
    """(start, end) of the spans in the ``width``-character window holding most of them."""
    best = (0, 0)
    first = 0
    for last, (_, end) in enumerate(spans):
        while end - spans[first][0] > width:
            first += 1
        if last - first > best[1] - best[0]:
            best = (first, last)
    return spans[best[0]][0], spans[best[1]][1]


def _window(text, spans, width):
    """(start, end) of the part of ``text`` to show, cut between words."""
    if len(text) <= width:
        return 0, len(text)
    if spans:
        first, last = _best_window(spans, width)
        # The matched words in the middle of the window.
        start = max(0, min(first - (width - (last - first)) // 2, len(text) - width))
    else:
        start, first, last = 0, width, 0
    end = min(len(text), start + width)
    if start > 0 and text[start - 1] != " ":
        space = text.find(" ", start, first)
        if space != -1:
            start = space + 1
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", max(start, last), end)
        if space != -1:
            end = space
    return start, end


def snippet(text, query_text, width=WIDTH):
    """HTML-safe excerpt of ``text`` (about ``width`` characters) with matched words in ``<mark>``.

    With no query words, the excerpt is the beginning of the text, unmarked.
    """
    text = _SPACES.sub(" ", text or "").strip()
    if not text:
        return ""
    spans = matched_spans(text, query_text)
    start, end = _window(text, spans, width)
    parts = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)


def page_text(pages, number):
    for page in pages or ():
        if page.get("number") == number:
            return page.get("text") or ""
    return ""


def decision_excerpt(decision, query_text, text_of, width=WIDTH):
    """(snippet, pages) of a decision's hit.

    A scanned decision's text is its pages': ``pages`` are the numbers of those
    holding the query's words and the snippet comes from the first of them.
    A born-digital decision's text is ``text_of(decision)`` (its rich text as
    plain text), and ``pages`` is empty.
    """
    pages = getattr(decision, "ocr_pages", None) or ()
    if decision.from_paper() and pages:
        found = matching_pages(pages, query_text, page_terms(decision)) if query_text else []
        text = page_text(pages, found[0]) if found else decision.scanned_text()
        return snippet(text, query_text, width), found
    if decision.from_paper():
        text = decision.scanned_text()
    else:
        text = text_of(decision)
    return snippet(text, query_text, width), []
