"""The words of a search marked in a whole text (a scanned page, the decision's text).

The words are found as the hits' snippets find them (``highlight.matched_spans``:
folded the way the catalog folds them), so ``αποφαση`` marks "ΑΠΟΦΑΣΗ" and
"αποφάσεις". The result is HTML: the text escaped, each matched word inside
``<mark>``.
"""

from dimos.archive.highlight import matched_spans
from html import escape
from html import unescape

import re


TAG = re.compile(r"(<[^>]*>)")
MAX_QUERY = 300


def mark_text(text, query):
    """``text`` as HTML with the query's words marked (escaped only, when nothing matches)."""
    text = text or ""
    out, at = [], 0
    for start, end in matched_spans(text, (query or "")[:MAX_QUERY]) if query else ():
        out.append(escape(text[at:start], quote=False))
        out.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
        at = end
    out.append(escape(text[at:], quote=False))
    return "".join(out)


def mark_html(html, query):
    """Safe HTML (the decision's transformed text) with the query's words marked in its text."""
    if not (html and query):
        return html or ""
    return "".join(
        part if part.startswith("<") else mark_text(unescape(part), query)
        for part in TAG.split(html)
    )
