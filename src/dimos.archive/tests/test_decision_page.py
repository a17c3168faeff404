"""The decision page: particulars, relations (only what the visitor may see), files, pages, marks."""

from dimos.archive.testing_browser import BUDGET_ADA
from dimos.archive.testing_browser import SECRET_WORD
from dimos.archive.testing_browser import visitor
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from urllib.parse import quote

import transaction


def section(page, element_id):
    """The HTML of the element with ``id`` (up to its section's end)."""
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


def test_the_decision_page_is_the_default_view(archive):
    portal, records = archive
    fti = api.portal.get_tool("portal_types")["CouncilDecision"]
    assert fti.default_view == "decision-view"
    assert "decision-view" in fti.view_methods


def test_particulars_of_a_born_digital_decision(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(records.budget.absolute_url())
    page = browser.contents
    assert browser.headers["status"].startswith("200")
    assert '<html xmlns="http://www.w3.org/1999/xhtml"' in page and 'lang="el"' in page
    details = section(page, "decision-details")
    assert "1/2024" in details and "12/03/2024" in details
    assert "Δημοτικό Συμβούλιο" in details and "1234/2024" in details
    assert "Β.1.1 ΕΓΚΡΙΣΗ ΠΡΟΥΠΟΛΟΓΙΣΜΟΥ" in details
    assert f"https://diavgeia.gov.gr/decision/view/{quote(BUDGET_ADA)}" in details
    assert f"{portal.absolute_url()}/decisions/2024/1" in details
    assert f"{portal.absolute_url()}/decisions/ada/" in details
    assert f"{portal.absolute_url()}/decisions?category=" in details
    # corrected: amended by a later decision
    assert 'id="decision-status"' in page
    assert "Η απόφαση αυτή τροποποιήθηκε με μεταγενέστερη απόφαση." in page


def test_relations_show_only_public_decisions_to_anonymous(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(records.budget.absolute_url())
    relations = section(browser.contents, "decision-relations")
    assert records.amendment.absolute_url() in relations
    assert "2/2024 — Τροποποίηση του προϋπολογισμού 2024" in relations
    assert records.secret.absolute_url() not in browser.contents
    assert SECRET_WORD not in browser.contents

    browser.open(records.amendment.absolute_url())
    relations = section(browser.contents, "decision-relations")
    assert 'id="relation-amends"' in relations
    assert records.budget.absolute_url() in relations


def test_staff_see_the_draft_among_the_relations_with_its_state(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app, (SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    browser.open(records.budget.absolute_url())
    relations = section(browser.contents, "decision-relations")
    assert records.secret.absolute_url() in relations
    assert "(Σχέδιο)" in relations  # Plone's title of the draft state
    # the draft's page is the same public page for staff, with Plone's toolbar and edit action
    browser.open(records.secret.absolute_url())
    assert 'id="decision-details"' in browser.contents
    assert f"{records.secret.absolute_url()}/edit" in browser.contents


def test_downloads_and_signature_free_decision(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(records.budget.absolute_url())
    files = section(browser.contents, "decision-files")
    url = f"{records.budget.absolute_url()}/@@download/signed_pdf"
    assert url in files and "proypologismos.pdf" in files
    assert 'id="decision-signature"' not in browser.contents  # no signed document recorded
    browser.open(url)
    assert browser.headers["Content-Type"] == "application/pdf"
    assert browser.contents[:4] == b"%PDF"


def test_scanned_pages_with_their_text_and_the_searched_words_marked(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{records.scanned.absolute_url()}?q={quote('αποφαση δημοτικου')}")
    page = browser.contents
    pages = section(page, "decision-pages")
    assert 'id="page-1"' in pages and 'id="page-2"' in pages
    assert f"{records.scanned.absolute_url()}/@@page-image?n=2" in pages
    page_two = pages[pages.index('id="page-2"') :]
    assert "<mark>ΑΠΟΦΑΣΗ</mark> ΤΟΥ <mark>ΔΗΜΟΤΙΚΟΥ</mark>" in page_two
    assert "<mark>" not in pages[: pages.index('id="page-2"')]  # page 1 holds neither word
    assert 'href="#page-2"' in section(page, "decision-pages")
    files = section(page, "decision-files")
    assert "@@download/searchable_pdf" in files and "@@download/source_scan" in files
    assert "Ψηφιοποιήθηκε από το έντυπο αρχείο" in page


def test_page_images_are_public_for_a_published_decision(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{records.scanned.absolute_url()}/@@page-image?n=2")
    assert browser.headers["status"].startswith("200")
    assert browser.headers["Content-Type"] == "image/png"
    assert browser.headers["Cache-Control"].startswith("public")
    assert browser.contents[:8] == b"\x89PNG\r\n\x1a\n"
    browser.handleErrors = True
    browser.open(f"{records.scanned.absolute_url()}/@@page-image?n=3")
    assert browser.headers["status"].startswith("404")


def test_a_draft_page_and_its_images_are_not_for_anonymous(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.handleErrors = True
    browser.open(records.secret.absolute_url())
    assert SECRET_WORD not in browser.contents
    browser.open(f"{records.secret.absolute_url()}/@@page-image?n=1")
    assert SECRET_WORD not in browser.contents and b"PNG" not in browser.contents.encode()


def test_the_page_in_english(functional_app, archive):
    portal, records = archive
    browser = visitor(functional_app)
    browser.open(f"{records.budget.absolute_url()}?set_language=en")
    assert 'lang="en"' in browser.contents
    assert "This decision was amended by a later decision." in browser.contents
    assert "Related decisions" in browser.contents
    switch = browser.contents.split('class="archive-language"')[1].split("</p>")[0]
    assert "set_language=el" in switch and "Ελληνικά" in switch


def test_the_signatures_of_the_signed_pdf_and_their_verification(functional_app, archive):
    from dimos.signing.plan import signed_documents_folder
    from dimos.signing.plan import verify_url
    from plone.namedfile.file import NamedBlobFile
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    portal, records = archive
    with api.env.adopt_roles(["Manager"]):
        document = api.content.create(
            container=signed_documents_folder(),
            type="SignedDocument",
            id="proypologismos-2024",
            title="Απόφαση 1/2024",
            file=NamedBlobFile(records.budget.signed_pdf.data, filename="a.pdf"),
            signers=[
                {
                    "name": "Μαρία Παπαδοπούλου",
                    "role": "Γενική Γραμματέας",
                    "signed_at": "2024-03-13T10:15:00+02:00",
                },
                {
                    "name": "Γιώργος Νικολάου",
                    "role": "Δήμαρχος",
                    "signed_at": "2024-03-13T11:00:00+02:00",
                },
            ],
            validation_status="valid",
            record=RelationValue(getUtility(IIntIds).getId(records.budget)),
        )
    transaction.commit()
    browser = visitor(functional_app)
    browser.open(records.budget.absolute_url())
    signature = section(browser.contents, "decision-signature")
    assert "Μαρία Παπαδοπούλου" in signature and "Γενική Γραμματέας" in signature
    assert "Γιώργος Νικολάου" in signature and "13/03/2024" in signature
    assert verify_url(document) in signature
    assert f"{portal.absolute_url()}/verify/{document.UID()}" in signature
    # the scanned decision has no signed document
    browser.open(records.scanned.absolute_url())
    assert 'id="decision-signature"' not in browser.contents


def test_a_repealed_decision_says_so_and_links_both_ways(functional_app, archive):
    portal, records = archive
    with api.env.adopt_roles(["Manager"]):
        repeal = api.content.create(
            container=records.committee.aq_parent,
            type="CouncilDecision",
            id="katargisi",
            title="Κατάργηση της δαπάνης",
            text=None,
            signed_pdf=records.budget.signed_pdf,
            vote_kind="unanimous",
        )
        api.relation.create(source=repeal, target=records.committee, relationship="repeals")
        for transition in ("submit", "approve", "publish"):
            api.content.transition(obj=repeal, transition=transition)
        api.content.transition(obj=records.committee, transition="revoke")
    transaction.commit()
    browser = visitor(functional_app)
    browser.open(records.committee.absolute_url())
    assert "Η απόφαση αυτή καταργήθηκε με μεταγενέστερη απόφαση." in browser.contents
    assert repeal.absolute_url() in section(browser.contents, "decision-relations")
    assert "Καταργήθηκε με" in browser.contents
    browser.open(repeal.absolute_url())
    relations = section(browser.contents, "decision-relations")
    assert 'id="relation-repeals"' in relations and records.committee.absolute_url() in relations
