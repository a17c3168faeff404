"""Snippets: the words of the query marked as the catalog folds them, the text escaped (no site needed)."""

from dimos.archive.highlight import html_text
from dimos.archive.highlight import matched_spans
from dimos.archive.highlight import rich_text
from dimos.archive.highlight import snippet
from plone.app.textfield.value import RichTextValue


def marked(html):
    return [part.split("</mark>")[0] for part in html.split("<mark>")[1:]]


def test_a_query_without_accents_marks_capitals_and_other_forms():
    text = "Η ΑΠΟΦΑΣΗ του Δημοτικού Συμβουλίου, μετά την απόφασης του, και οι Αποφάσεις."
    assert marked(snippet(text, "αποφαση")) == ["ΑΠΟΦΑΣΗ", "απόφασης", "Αποφάσεις"]
    assert marked(snippet(text, "ΣΥΜΒΟΥΛΙΟ")) == ["Συμβουλίου"]


def test_a_prefix_query_marks_by_prefix():
    text = "Αποφασίζει ομόφωνα· οι αποφάσεις αναρτώνται· η απογραφή όχι."
    assert marked(snippet(text, "αποφ*")) == ["Αποφασίζει", "αποφάσεις"]


def test_operators_and_unknown_words_mark_nothing_more():
    text = "Έγκριση and πλατεία or δρόμος not σχολείο"
    assert marked(snippet(text, "πλατεια AND σχολειο")) == ["πλατεία", "σχολείο"]
    assert marked(snippet(text, "κολυμβητήριο")) == []


def test_look_alike_symbols_are_folded_as_in_the_catalog():
    assert marked(snippet("Ο ∆ήμος Αθηναίων", "δημος")) == ["∆ήμος"]


def test_everything_is_escaped():
    html = snippet('<script>alert("x")</script> & απόφαση <b>', "αποφαση")
    assert html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>απόφαση</mark> &lt;b&gt;"
    )


def test_the_window_with_most_matched_words_is_shown():
    filler = "λόγια χωρίς σημασία " * 40
    text = f"Στην αρχή μια πλατεία. {filler} Η πλατεία Ελευθερίας και η πλατεία Αγοράς. {filler}"
    html = snippet(text, "πλατεια", width=120)
    assert marked(html) == ["πλατεία", "πλατεία"]
    assert html.startswith("…") and html.endswith("…")
    assert "Ελευθερίας" in html and "Στην αρχή" not in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 122


def test_the_window_is_cut_between_words():
    text = "αβγδε " * 100 + "απόφαση " + "ζηθικ " * 100
    html = snippet(text, "αποφαση", width=60)
    inner = html.strip("…")
    assert inner.split()[0] == "αβγδε" and inner.split()[-1] == "ζηθικ"
    assert "<mark>απόφαση</mark>" in html


def test_without_query_words_the_snippet_is_the_start():
    text = "Ο Δήμαρχος εισηγείται " + "και άλλα " * 100
    html = snippet(text, "", width=40)
    assert html.startswith("Ο Δήμαρχος εισηγείται") and html.endswith("…")
    assert "<mark>" not in html
    assert snippet(text, "***", width=40) == html
    assert snippet("", "αποφαση") == ""


def test_white_space_is_collapsed():
    assert snippet("Η\n\nαπόφαση\t  εγκρίνεται", "αποφαση") == "Η <mark>απόφαση</mark> εγκρίνεται"


def test_matched_spans_are_offsets_in_the_text():
    text = "ΑΠΟΦΑΣΗ 45/1979"
    assert matched_spans(text, "αποφαση") == [(0, 7)]


def test_the_text_of_rich_text_is_its_words_without_tags():
    markup = "<p>Η <b>ΑΠΟΦΑΣΗ</b> &amp; η</p><p>δεύτερη<br/>γραμμή</p><script>alert(1)</script>"
    assert html_text(markup).split() == ["Η", "ΑΠΟΦΑΣΗ", "&", "η", "δεύτερη", "γραμμή"]
    value = RichTextValue(markup, "text/html", "text/x-html-safe")
    assert snippet(rich_text(value), "αποφαση") == "Η <mark>ΑΠΟΦΑΣΗ</mark> &amp; η δεύτερη γραμμή"
    assert rich_text(RichTextValue("a < b", "text/plain", "text/plain")) == "a < b"
    assert rich_text(None) == ""
