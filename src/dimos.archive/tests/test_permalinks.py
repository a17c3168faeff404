"""Permanent addresses: /decisions/2024/1, /decisions/<body>/2023/7, /decisions/ada/<ΑΔΑ>."""

from dimos.archive.testing_browser import BUDGET_ADA
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser
from urllib.parse import quote

import pytest


def anonymous(app):
    browser = Browser(app)
    browser.handleErrors = False
    browser.raiseHttpErrors = False
    browser.followRedirects = False
    return browser


def location(browser, url):
    browser.open(url)
    return browser.headers["status"], browser.headers.get("Location")


def test_number_and_year_lead_to_the_default_body_decision(functional_app, archive):
    portal, records = archive
    status, target = location(
        anonymous(functional_app), f"{portal.absolute_url()}/decisions/2024/1"
    )
    assert status.startswith("302")
    assert target == records.budget.absolute_url()


def test_another_body_is_named_in_the_path(functional_app, archive):
    portal, records = archive
    browser = anonymous(functional_app)
    url = f"{portal.absolute_url()}/decisions/oikonomiki-epitropi/2023/7"
    assert location(browser, url) == ("302 Found", records.committee.absolute_url())
    # Not the council's: the default body has no decision 7/2023.
    status, _ = location(browser, f"{portal.absolute_url()}/decisions/2023/7")
    assert status.startswith("404")


def test_the_ada_leads_to_its_decision_typed_in_any_case(functional_app, archive):
    portal, records = archive
    browser = anonymous(functional_app)
    for ada in (BUDGET_ADA, BUDGET_ADA.lower()):
        url = f"{portal.absolute_url()}/decisions/ada/{quote(ada)}"
        assert location(browser, url) == ("302 Found", records.budget.absolute_url())


def test_a_digitized_decision_keeps_its_old_number(functional_app, archive):
    portal, records = archive
    status, target = location(
        anonymous(functional_app), f"{portal.absolute_url()}/decisions/1979/45"
    )
    assert target == records.scanned.absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "2024/99",  # no such number
        "2024/3",  # the draft: it exists, but is not public
        "1979",  # too short
        "2024/1/extra",  # too long for the default body (body "2024" does not exist)
        "dimotiko-symvoulio/2024/1/extra",
        "no-such-body/2024/1",
        "ada/ΩΩΩΩ-ΩΩΩ",
        "2024/abc",
    ],
)
def test_not_found_or_not_public_is_a_404_page(functional_app, archive, path):
    portal, records = archive
    browser = anonymous(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions/{quote(path)}")
    assert browser.headers["status"].startswith("404")
    assert "Δεν βρέθηκε η απόφαση" in browser.contents
    assert records.secret.absolute_url() not in browser.contents


def test_the_404_page_in_english(functional_app, archive):
    portal, records = archive
    browser = anonymous(functional_app)
    browser.open(f"{portal.absolute_url()}/decisions/2024/99?set_language=en")
    assert browser.headers["status"].startswith("404")
    assert "Decision not found" in browser.contents
    assert 'lang="en"' in browser.contents


def test_staff_are_not_sent_to_a_draft_either(functional_app, archive):
    portal, records = archive
    assert api.content.get_state(records.secret) == "draft"
    browser = anonymous(functional_app)
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    status, _ = location(browser, f"{portal.absolute_url()}/decisions/2024/3")
    assert status.startswith("404")
