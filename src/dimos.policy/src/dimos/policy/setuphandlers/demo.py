"""Demo content: a small, made-up Greek municipality (Δήμος Ελαιώνα).

Loaded once, when `make start` creates the site. Nothing here names real
people. Items that exist already are left alone, so applying the profile
again neither duplicates nor overwrites anything.
"""

from DateTime import DateTime
from dimos.policy import logger
from plone import api
from plone.app.textfield.value import RichTextValue


SITE_TITLE = "Δήμος Ελαιώνα"
SITE_DESCRIPTION = "Ηλεκτρονικές υπηρεσίες, αποφάσεις και ανακοινώσεις του Δήμου"


def page(id, title, description, html):
    return {"type": "Document", "id": id, "title": title, "description": description, "text": html}


def news(id, title, description, html):
    return {"type": "News Item", "id": id, "title": title, "description": description, "text": html}


def folder(id, title, description, children):
    return {
        "type": "Folder",
        "id": id,
        "title": title,
        "description": description,
        "children": children,
    }


DEMO_CONTENT = (
    folder(
        "o-dimos",
        "Ο Δήμος",
        "Ιστορία, διοίκηση και υπηρεσίες του Δήμου Ελαιώνα",
        (
            page(
                "istoria",
                "Ιστορία του Δήμου",
                "Από την ίδρυση της κοινότητας ως σήμερα",
                "<p>Η κοινότητα Ελαιώνα ιδρύθηκε το 1912 και έγινε Δήμος το 1982. "
                "Το ιστορικό αρχείο των αποφάσεων του Δημοτικού Συμβουλίου, "
                "από την ίδρυση ως το 2010, ψηφιοποιείται και θα είναι "
                "ελεύθερα αναζητήσιμο.</p>",
            ),
            page(
                "dioikisi",
                "Διοίκηση",
                "Δήμαρχος, Δημοτικό Συμβούλιο, Δημοτική Επιτροπή",
                "<p>Ο Δήμος διοικείται από τον Δήμαρχο και το Δημοτικό Συμβούλιο. "
                "Η Δημοτική Επιτροπή αποφασίζει για τα οικονομικά θέματα.</p>",
            ),
            page(
                "ypiresies",
                "Υπηρεσίες",
                "Οι υπηρεσίες του Δήμου και οι αρμοδιότητές τους",
                "<ul><li>Δημοτολόγιο</li><li>Ληξιαρχείο</li>"
                "<li>Γενικό Πρωτόκολλο</li><li>Οικονομική Υπηρεσία (Έσοδα)</li>"
                "<li>Νομική Υπηρεσία</li><li>Τμήμα Προσωπικού</li></ul>",
            ),
        ),
    ),
    folder(
        "anakoinoseis",
        "Ανακοινώσεις",
        "Νέα και ανακοινώσεις του Δήμου",
        (
            news(
                "proypologismos-2027",
                "Ψηφίστηκε ο προϋπολογισμός του 2027",
                "Η απόφαση του Δημοτικού Συμβουλίου για τον προϋπολογισμό",
                "<p>Με την απόφαση 112/2026 το Δημοτικό Συμβούλιο ενέκρινε τον "
                "προϋπολογισμό του Δήμου για το οικονομικό έτος 2027.</p>",
            ),
            news(
                "ilektronikes-plirwmes",
                "Πληρωμή τελών και προστίμων με κωδικό RF",
                "Οι οφειλές προς τον Δήμο πληρώνονται πλέον ηλεκτρονικά",
                "<p>Οι δημότες μπορούν να εξοφλούν τέλη, πρόστιμα και άλλες "
                "οφειλές με τον κωδικό πληρωμής RF που αναγράφεται στο "
                "ειδοποιητήριο.</p>",
            ),
            news(
                "wifi-plateies",
                "Δωρεάν WiFi σε 20 σημεία της πόλης",
                "Ασύρματη πρόσβαση στις πλατείες και τους πεζόδρομους",
                "<p>Το δίκτυο του Δήμου καλύπτει είκοσι πλατείες και πεζόδρομους. "
                "Στη σελίδα σύνδεσης εμφανίζονται τα νέα και οι εκδηλώσεις.</p>",
            ),
        ),
    ),
    folder(
        "exypiretisi",
        "Εξυπηρέτηση δημοτών",
        "Ωράριο, επικοινωνία, αιτήσεις",
        (
            page(
                "orario",
                "Ωράριο εξυπηρέτησης",
                "Πότε λειτουργούν οι υπηρεσίες του Δήμου",
                "<p>Δευτέρα έως Παρασκευή, 08:00 έως 14:30. Το Ληξιαρχείο "
                "δέχεται και το Σάββατο, 09:00 έως 13:00, για δηλώσεις γεννήσεων "
                "και θανάτων.</p>",
            ),
            page(
                "epikoinonia",
                "Επικοινωνία",
                "Διεύθυνση και τηλέφωνα του Δημαρχείου",
                "<p>Δημαρχείο Ελαιώνα, Πλατεία Δημαρχείου 1. Τηλεφωνικό κέντρο: 210 0000000.</p>",
            ),
        ),
    ),
)


def _create(container, item):
    obj = container.get(item["id"])
    if obj is None:
        fields = {"title": item["title"], "description": item["description"]}
        if "text" in item:
            fields["text"] = RichTextValue(item["text"], "text/html", "text/x-html-safe")
        obj = api.content.create(container=container, type=item["type"], id=item["id"], **fields)
        if api.content.get_state(obj, default=None) != "published":
            api.content.transition(obj, to_state="published")
            obj.setEffectiveDate(DateTime())  # listings and feeds sort by it
            obj.reindexObject(idxs=["effective"])
        logger.info("Demo content: created %s", "/".join(obj.getPhysicalPath()))
    for child in item.get("children", ()):
        _create(obj, child)


def create_demo_content(context=None):
    """Post handler of dimos.policy:demo."""
    portal = api.portal.get()
    for item in DEMO_CONTENT:
        _create(portal, item)
