"""For the archive's page tests: a small sample archive, headless Chromium, axe-core, screenshots.

Chromium is Debian's (``/usr/bin/chromium`` driven by ``/usr/bin/chromedriver``)
through Selenium; the site is the functional layer's WSGI server
(``functional_portal.absolute_url()``), so commit test data before the browser
asks for it. axe-core comes from the ``axe_core_python`` package's
``axe.min.js``; screenshots go to ``var/test-artefacts/archive/``.
"""

from datetime import date
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import importlib.resources
import json
import pytest
import shutil


REPO = Path(__file__).resolve().parents[5]
ARTEFACTS = REPO / "var" / "test-artefacts" / "archive"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1280, 900)
PHONE = (390, 844)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")

# Words of the sample texts the tests search for.
SECRET_WORD = "Κρυφοσχέδιο"
BUDGET_ADA = "Ψ4ΕΘ46ΜΓΛΙ-ΚΟΑ"
SCAN_PAGE_TEXT = (
    "ΑΠΟΦΑΣΗ ΤΟΥ ΔΗΜΟΤΙΚΟΥ ΣΥΜΒΟΥΛΙΟΥ\n"
    "Το Δημοτικό Συμβούλιο αποφασίζει ομόφωνα την ονοματοδοσία της κεντρικής πλατείας."
)


# --- the sample archive -----------------------------------------------------


def _pdf(pages=1):
    """A small image-only PDF of ``pages`` pages (like a scan), as bytes."""
    from dimos.digitization.testing_scans import make_pdf

    import tempfile

    with tempfile.TemporaryDirectory(prefix="dimos-archive-") as folder:
        return make_pdf(Path(folder) / "scan.pdf", pages=pages).read_bytes()


def _blob(data, filename):
    from plone.namedfile.file import NamedBlobFile

    return NamedBlobFile(data, filename=filename, contentType="application/pdf")


def _body(portal, body_id, title, kind):
    from plone import api

    body = api.content.create(
        container=portal,
        type="CouncilBody",
        id=body_id,
        title=title,
        body_kind=kind,
        members=["Α. Αλεξίου", "Β. Βασιλείου", "Γ. Γεωργίου"],
    )
    api.content.transition(obj=body, transition="publish")
    return body


def _meeting(body, meeting_id, start):
    from plone import api

    return api.content.create(
        container=body,
        type="CouncilMeeting",
        id=meeting_id,
        title=f"Συνεδρίαση της {start:%d/%m/%Y}",
        start=start,
        agenda=["Θέματα ημερήσιας διάταξης"],
        members_present=["Α. Αλεξίου", "Β. Βασιλείου"],
    )


def _decision(
    meeting, decision_id, title, text=None, steps=("submit", "approve", "publish"), **fields
):
    from plone import api
    from plone.app.textfield.value import RichTextValue

    if text is not None:
        fields["text"] = RichTextValue(f"<p>{text}</p>", "text/html", "text/x-html-safe")
    fields.setdefault("vote_kind", "unanimous")
    decision = api.content.create(
        container=meeting, type="CouncilDecision", id=decision_id, title=title, **fields
    )
    for transition in steps:
        api.content.transition(obj=decision, transition=transition)
    return decision


def sample_archive(portal):
    """A council with published, corrected and draft decisions, a scanned one, a committee.

    - ``budget``: 1/2024, born digital, signed PDF, ΑΔΑ; amended by ``amendment`` (so corrected).
    - ``amendment``: 2/2024, published, amends ``budget``.
    - ``secret``: a draft of 2024 that also amends ``budget``; its title holds SECRET_WORD.
    - ``scanned``: 45/1979, digitized, two scanned pages (the words on page 2).
    - ``committee``: 7/2023 of the finance committee ``oikonomiki-epitropi``.
    """
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        council = _body(portal, "dimotiko-symvoulio", "Δημοτικό Συμβούλιο", "dimotiko-symvoulio")
        finance = _body(portal, "oikonomiki-epitropi", "Οικονομική Επιτροπή", "oikonomiki-epitropi")
        meeting = _meeting(council, "synedriasi-2024", datetime(2024, 3, 12, 18, 0))
        budget = _decision(
            meeting,
            "proypologismos",
            "Έγκριση προϋπολογισμού 2024",
            "Η απόφαση του Δημοτικού Συμβουλίου εγκρίνει τον προϋπολογισμό του δήμου.",
            decision_date=date(2024, 3, 12),
            decision_type="Β.1.1",
            thematic_categories=["Οικονομικά"],
            ada=BUDGET_ADA,
            protocol_number="1234/2024",
            signed_pdf=_blob(_pdf(), "proypologismos.pdf"),
        )
        amendment = _decision(
            meeting,
            "tropopoiisi",
            "Τροποποίηση του προϋπολογισμού 2024",
            "Τροποποιεί την απόφαση για τον προϋπολογισμό.",
            decision_date=date(2024, 3, 12),
            decision_type="Β.1.1",
            thematic_categories=["Οικονομικά"],
            steps=(),
        )
        api.relation.create(source=amendment, target=budget, relationship="amends")
        for transition in ("submit", "approve", "publish"):
            api.content.transition(obj=amendment, transition=transition)
        api.content.transition(obj=budget, transition="correct")
        secret = _decision(
            meeting,
            "schedio",
            f"{SECRET_WORD} απόφασης του δημοτικού συμβουλίου",
            f"{SECRET_WORD}: η απόφαση του δημοτικού συμβουλίου δεν έχει ψηφιστεί.",
            decision_date=date(2024, 3, 12),
            decision_type="Β.2.1",
            thematic_categories=["Πολεοδομία"],
            steps=(),
        )
        api.relation.create(source=secret, target=budget, relationship="amends")
        old_meeting = _meeting(council, "synedriasi-1979", datetime(1979, 5, 4, 11, 0))
        scanned = _decision(
            old_meeting,
            "plateia",
            "Ονοματοδοσία της κεντρικής πλατείας",
            decision_number=45,
            decision_year=1979,
            decision_date=date(1979, 5, 4),
            thematic_categories=["Πολιτισμός"],
            digitization_status="reviewed",
            page_count=2,
            ocr_pages=[
                {"number": 1, "text": "ΔΗΜΟΣ ΠΑΡΑΔΕΙΓΜΑΤΟΣ\nΠρακτικό 12", "flagged": False},
                {"number": 2, "text": SCAN_PAGE_TEXT, "flagged": False},
            ],
            searchable_pdf=_blob(_pdf(2), "plateia-ocr.pdf"),
            source_scan=_blob(_pdf(2), "plateia.pdf"),
            vote_kind=None,
        )
        committee_meeting = _meeting(finance, "synedriasi-2023", datetime(2023, 6, 1, 10, 0))
        committee = _decision(
            committee_meeting,
            "dapani",
            "Έγκριση δαπάνης για τη συντήρηση σχολείων",
            "Εγκρίνεται η δαπάνη για τη συντήρηση των σχολείων.",
            decision_number=7,
            decision_year=2023,
            decision_date=date(2023, 6, 1),
            decision_type="Β.2.1",
            thematic_categories=["Παιδεία"],
        )
    return SimpleNamespace(
        council=council,
        finance=finance,
        budget=budget,
        amendment=amendment,
        secret=secret,
        scanned=scanned,
        committee=committee,
    )


# --- Chromium -----------------------------------------------------------------


def chromium_available():
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


def chromium(size=WINDOW, language="el"):
    """A headless Chromium driven by Selenium; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--force-prefers-reduced-motion",  # no smooth scrolling under the clicks
        f"--window-size={size[0]},{size[1]}",
        f"--lang={language}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def chromium_fixture(scope="module", size=WINDOW):
    """A pytest fixture giving one Chromium per ``scope``; skips when Chromium is missing."""

    @pytest.fixture(scope=scope)
    def driver():
        if not chromium_available() or shutil.which("chromedriver") is None:
            pytest.skip("Chromium and chromedriver are not installed (/usr/bin)")
        browser = chromium(size)
        try:
            yield browser
        finally:
            browser.quit()

    return driver


# --- axe-core ------------------------------------------------------------------


def axe_source():
    return (importlib.resources.files("axe_core_python") / "axe.min.js").read_text(encoding="utf-8")


def run_axe(driver, tags=AXE_TAGS):
    """All axe-core violations of the WCAG 2.1 A/AA rules on the driver's page."""
    driver.execute_script(axe_source())
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
           .then(result => done(JSON.stringify(result.violations)))
           .catch(error => done(JSON.stringify({error: String(error)})));
        """,
        list(tags),
    )
    violations = json.loads(result)
    if isinstance(violations, dict):
        raise RuntimeError(f"axe-core failed: {violations['error']}")
    return violations


def blocking(violations):
    """The serious and critical violations."""
    return [violation for violation in violations if violation.get("impact") in BLOCKING_IMPACTS]


def describe(violations):
    """The violations in a few readable lines, for a failing assertion."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation.get("nodes", [])[:5]:
            lines.append(f"    {node.get('target')}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


# --- screenshots -----------------------------------------------------------------


def save_screenshot(driver, name, full_page=True):
    """``var/test-artefacts/archive/<name>.png`` of the driver's page; the path."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    size = driver.get_window_size()
    try:
        if full_page:
            driver.execute_script("window.scrollTo(0, 0)")
            height = driver.execute_script(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
            )
            driver.set_window_size(size["width"], min(max(height, size["height"]), 8000))
        driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(size["width"], size["height"])
    return path


def visitor(app, auth=None):
    """A zope.testbrowser that reports HTTP errors as pages; ``auth`` (user, password) logs in."""
    from plone.testing.zope import Browser

    browser = Browser(app)
    browser.handleErrors = False
    browser.raiseHttpErrors = False
    if auth:
        browser.addHeader("Authorization", f"Basic {auth[0]}:{auth[1]}")
    return browser
