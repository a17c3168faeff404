"""The archive page (zope.testbrowser): search, filters, paging, languages; public decisions only."""

from dimos.archive.testing_browser import SECRET_WORD
from dimos.archive.testing_browser import visitor
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from urllib.parse import quote

import re


def element(page, element_id, end="</"):
    start = page.index(f'id="{element_id}"')
    return page[start : page.index(end, start)]


def fieldset(page, element_id):
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</fieldset>", start)]


def hits(page):
    """The decision URLs the hits link to, in order."""
    if 'id="archive-hits"' not in page:
        return []
    listing = page[
        page.index('id="archive-hits"') : page.index("</ol>", page.index('id="archive-hits"'))
    ]
    return re.findall(r'<h3 class="archive-hit-title">\s*<a [^>]*href="([^"?#]+)', listing)


def test_the_archive_lists_the_public_decisions_newest_first(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions")
    page = browser.contents
    assert browser.headers["status"].startswith("200")
    assert "<h1" in page and "Αρχείο αποφάσεων" in page
    assert "Βρέθηκαν 4 αποφάσεις" in element(page, "archive-count")
    found = hits(page)
    assert set(found) == {
        records.budget.absolute_url(),
        records.amendment.absolute_url(),
        records.scanned.absolute_url(),
        records.committee.absolute_url(),
    }
    assert found[-1] == records.scanned.absolute_url()  # 1979: the oldest, last
    assert SECRET_WORD not in page and records.secret.absolute_url() not in page


def test_the_form_is_labelled_and_grouped(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions")
    page = browser.contents
    assert '<label for="archive-q">' in page and 'id="archive-q"' in page
    assert 'method="get"' in page and 'role="search"' in page
    for group in ("facet-year", "facet-body", "facet-type", "facet-category", "facet-origin"):
        assert "<legend>" in fieldset(page, group)
    for control in re.findall(r'<input [^>]*type="(?:checkbox|radio)"[^>]*>', page):
        control_id = re.search(r'id="([^"]+)"', control).group(1)
        assert f'<label for="{control_id}">' in page


def test_facet_counts_leave_the_draft_out(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions")
    page = browser.contents
    bodies = fieldset(page, "facet-body")
    assert 'Δημοτικό Συμβούλιο<span class="archive-count"> (3)</span>' in bodies
    assert 'Οικονομική Επιτροπή<span class="archive-count"> (1)</span>' in bodies
    categories = fieldset(page, "facet-category")
    assert "Οικονομικά" in categories and "(2)" in categories
    assert "Πολεοδομία" not in page  # only the draft has it
    types = fieldset(page, "facet-type")
    assert "Β.2.1" in types and "(1)" in types  # the committee's, not the draft's too
    amended = fieldset(page, "facet-amended")
    assert (
        "(1)" in amended
    )  # the budget: amended by the published amendment (the draft does not count)


def test_a_search_without_accents_marks_the_words_and_names_the_page(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions?q={quote('αποφαση δημοτικου')}")
    page = browser.contents
    found = hits(page)
    assert records.budget.absolute_url() in found and records.scanned.absolute_url() in found
    assert records.secret.absolute_url() not in page
    assert "<mark>" in page and "</mark>" in page
    scanned = page[page.index(f'href="{records.scanned.absolute_url()}?') :]
    scanned = scanned[: scanned.index("</article>")]
    assert (
        f"{records.scanned.absolute_url()}?q={quote('αποφαση δημοτικου').replace('%20', '+')}#page-2"
        in scanned
    )
    assert "σελ. 2" in scanned
    assert 'value="αποφαση δημοτικου"' in page  # the field keeps the query
    assert 'id="sort-relevance"' in page


def test_a_facet_narrows_the_results_and_keeps_the_query(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions?q={quote('αποφαση')}&origin=digitized")
    assert hits(browser.contents) == [records.scanned.absolute_url()]
    assert 'checked="checked"' in fieldset(browser.contents, "facet-origin")
    browser.open(f"{portal.absolute_url()}/decisions?category={quote('Οικονομικά')}")
    assert set(hits(browser.contents)) == {
        records.budget.absolute_url(),
        records.amendment.absolute_url(),
    }
    browser.open(f"{portal.absolute_url()}/decisions?year_from=1979&year_to=1979")
    assert hits(browser.contents) == [records.scanned.absolute_url()]
    assert 'aria-current="true"' in fieldset(browser.contents, "facet-year")


def test_a_draft_is_not_found_by_its_words(functional_app, archive):
    portal, records = archive
    for auth in (None, (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)):  # not even for a Manager
        browser = visitor(functional_app, auth)
        browser.open(f"{portal.absolute_url()}/decisions?q={quote(SECRET_WORD.lower())}")
        assert hits(browser.contents) == []
        assert 'id="archive-none"' in browser.contents
        assert "Βρέθηκαν 0 αποφάσεις" in browser.contents
        assert records.secret.absolute_url() not in browser.contents


def test_pages_of_results(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions?size=1&page=2")
    page = browser.contents
    pages = element(page, "archive-pages-label", "</nav>")
    assert re.search(r'<a href="[^"]*page=2&amp;size=1" aria-current="page"[^>]*>2</a>', pages)
    assert pages.count("aria-current") == 1
    assert re.search(r'rel="prev" id="archive-prev" href="[^"]*/decisions\?size=1"', pages)
    assert re.search(
        r'rel="next" id="archive-next" href="[^"]*/decisions\?page=3&amp;size=1"', pages
    )
    assert len(hits(page)) == 1
    assert "Εμφανίζονται 2–2 από 4" in page


def test_bad_parameters_show_a_message_and_no_results(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions?year_from=abc")
    assert browser.headers["status"].startswith("400")
    assert 'role="alert"' in browser.contents and "abc" in element(
        browser.contents, "archive-error"
    )
    assert hits(browser.contents) == []
    browser.open(f"{portal.absolute_url()}/decisions?year_from=abc&set_language=en")
    assert "is not valid" in element(browser.contents, "archive-error")


def test_open_data_links_carry_the_same_query(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions?q=budget&category=X&page=2")
    page = browser.contents
    csv = re.search(r'id="archive-csv" href="([^"]+)"', page).group(1)
    json_link = re.search(r'id="archive-json" href="([^"]+)"', page).group(1)
    atom = re.search(r'id="archive-atom" href="([^"]+)"', page).group(1)
    assert csv.startswith(f"{portal.absolute_url()}/decisions.csv?q=budget")
    assert "category=X" in csv and "page=" not in csv
    assert json_link.startswith(f"{portal.absolute_url()}/@decisions?q=budget")
    assert atom == f"{portal.absolute_url()}/decisions.atom"
    assert 'type="application/atom+xml"' in page


def test_the_english_switch_is_remembered(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions?q=test")
    link = re.search(
        r'<p class="archive-language">\s*<a href="([^"]+)"[^>]*lang="en"', browser.contents
    )
    assert link and "set_language=en" in link.group(1) and "q=test" in link.group(1)
    browser.open(link.group(1).replace("&amp;", "&"))
    assert '<html xmlns="http://www.w3.org/1999/xhtml"' in browser.contents
    assert re.search(r'<html[^>]*lang="en"', browser.contents)
    assert "Archive of council decisions" in browser.contents
    # the cookie keeps English on the next page, without the parameter
    browser.open(f"{portal.absolute_url()}/decisions")
    assert "Archive of council decisions" in browser.contents
    assert "4 decisions found" in browser.contents
    browser.open(f"{portal.absolute_url()}/decisions?set_language=el")
    assert "Αρχείο αποφάσεων" in browser.contents and re.search(
        r'<html[^>]*lang="el"', browser.contents
    )
