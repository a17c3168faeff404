"""The small archive the archive's tests search (builders only; no tests here).

Public decisions of two bodies, one digitized from paper, one amended by a later
public decision; and, never to be seen through the archive, a draft, a
submitted and an approved decision, each with words, a body, a year, a type and
a category that no public decision has.
"""

from datetime import date
from datetime import datetime
from dimos.content.testing import add_decision
from dimos.content.testing import run
from plone import api
from plone.app.textfield.value import RichTextValue
from types import SimpleNamespace


PUBLISH = ("submit", "approve", "publish")
# Only the non-public decisions have these.
SECRET_WORD = "κρυφοσχέδιο"
SECRET_CATEGORY = "Απόρρητα"
SECRET_TYPE = "Γ.3.4"  # token G.3.4
SECRET_YEAR = 2022
SECRET_BODY = "epitropi-poiotitas-zois"
DEFAULT_BODY = "dimotiko-symvoulio"

SCANNED_PAGES = [
    {"number": 1, "text": "ΑΠΟΦΑΣΗ 45/1979 του Δημοτικού Συμβουλίου", "flagged": False},
    {"number": 2, "text": "Η ονοματοδοσία της ΠΛΑΤΕΙΑΣ Ελευθερίας", "flagged": False},
    {"number": 3, "text": "Η απόφαση να αναρτηθεί στο κατάστημα", "flagged": False},
]


def html(text):
    return RichTextValue(f"<p>{text}</p>", "text/html", "text/x-html-safe")


def decision(meeting, title, text, **fields):
    values = {"vote_kind": "unanimous", "text": html(text)}
    values.update(fields)
    return add_decision(meeting, title, **values)


def body(portal, title, kind, start):
    """A body with id ``kind`` (as the site's bodies have) and a meeting on ``start``."""
    council_body = api.content.create(
        container=portal,
        type="CouncilBody",
        id=kind,
        title=title,
        body_kind=kind,
        members=["Α", "Β", "Γ"],
    )
    meeting = api.content.create(
        container=council_body,
        type="CouncilMeeting",
        title="1η συνεδρίαση",
        start=start,
        agenda=["Θέμα"],
        members_present=["Α", "Β"],
    )
    return council_body, meeting


def build_archive(portal):
    """The decisions (as a Manager); a namespace of them by name."""
    with api.env.adopt_roles(["Manager"]):
        _, ds = body(portal, "Δημοτικό Συμβούλιο", DEFAULT_BODY, datetime(2024, 3, 12, 18))
        _, de = body(portal, "Δημοτική Επιτροπή", "dimotiki-epitropi", datetime(2024, 6, 1, 10))
        _, secret_meeting = body(
            portal, "Επιτροπή Ποιότητας Ζωής", SECRET_BODY, datetime(2022, 2, 1, 10)
        )
        a = SimpleNamespace()
        a.budget = decision(
            ds,
            "Έγκριση προϋπολογισμού 2024",
            "ΑΠΟΦΑΣΗ του Δημοτικού Συμβουλίου: εγκρίνει τον προϋπολογισμό του έτους.",
            decision_date=date(2024, 3, 12),
            decision_type="Β.1.1",
            thematic_categories=["Οικονομικά"],
            ada="ΨΩΡ1ΩΛ7-ΑΒΓ",
        )
        a.square = decision(
            ds,
            "Ονοματοδοσία πλατείας",
            "Δίνει στην πλατεία το όνομα Ελευθερίας.",
            decision_date=date(2023, 5, 10),
            decision_year=2023,
            decision_type="Α.2",
            thematic_categories=["Πολεοδομία"],
        )
        a.cleaning = decision(
            de,
            "Ανάθεση υπηρεσιών καθαριότητας",
            "Αναθέτει τον καθαρισμό των σχολείων, με απόφαση της επιτροπής.",
            decision_date=date(2024, 6, 1),
            decision_type="Δ.1",
            thematic_categories=["Οικονομικά", "Καθαριότητα"],
        )
        a.scanned = add_decision(
            ds,
            "Ονοματοδοσία πλατείας Ελευθερίας (1979)",
            decision_number=45,
            decision_year=1979,
            decision_date=date(1979, 4, 2),
            decision_type="Α.2",
            thematic_categories=["Πολεοδομία"],
            digitization_status="reviewed",
            ocr_pages=[dict(page) for page in SCANNED_PAGES],
        )
        a.amendment = decision(
            ds,
            "Τροποποίηση του προϋπολογισμού 2024",
            "Τροποποιεί την απόφαση για τον προϋπολογισμό.",
            decision_date=date(2024, 9, 1),
            decision_type="Β.1.1",
            thematic_categories=["Οικονομικά"],
        )
        api.relation.create(source=a.amendment, target=a.budget, relationship="amends")
        for public in (a.budget, a.square, a.cleaning, a.scanned, a.amendment):
            run(public, *PUBLISH)
        a.public = (a.budget, a.square, a.cleaning, a.scanned, a.amendment)
        a.draft = secret(secret_meeting, "Σχέδιο")
        # A draft amending the square's decision: it must not make it "amended".
        api.relation.create(source=a.draft, target=a.square, relationship="amends")
        a.submitted = run(secret(secret_meeting, "Υποβληθέν"), "submit")
        a.approved = run(secret(secret_meeting, "Εγκεκριμένο"), "submit", "approve")
        a.hidden = (a.draft, a.submitted, a.approved)
    return a


def secret(meeting, title):
    return decision(
        meeting,
        f"{title} {SECRET_WORD}",
        f"Το {SECRET_WORD} της επιτροπής, ΑΠΟΦΑΣΗ που δεν δημοσιεύθηκε.",
        decision_date=date(SECRET_YEAR, 2, 1),
        decision_type=SECRET_TYPE,
        thematic_categories=[SECRET_CATEGORY],
    )


def public_titles(archive):
    return sorted(d.Title() for d in archive.public)
