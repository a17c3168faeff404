"""Demo council: the municipal council of Ελαιώνας, its meetings and decisions.

Meeting dates are counted from the day the demo is loaded: one meeting last
month with its minutes approved, one last week (held), one next week
(convened, agenda sent) and one being planned. Numbers of sessions and
decisions are given automatically. A meeting that exists is left alone, with
everything in it.
"""

from dataclasses import dataclass
from dataclasses import field
from dimos.content import logger
from dimos.content.setuphandlers.demo_common import athens
from dimos.content.setuphandlers.demo_common import html
from dimos.content.setuphandlers.demo_common import path
from dimos.content.setuphandlers.demo_common import run_steps
from dimos.content.setuphandlers.demo_common import today
from dimos.content.setuphandlers.demo_people import COMMITTEE_MEMBERS
from dimos.content.setuphandlers.demo_people import COUNCIL_MEMBERS
from dimos.content.setuphandlers.demo_people import DEPUTY_MAYOR_CULTURE
from dimos.content.setuphandlers.demo_people import DEPUTY_MAYOR_FINANCE
from dimos.content.setuphandlers.demo_people import DEPUTY_MAYOR_WORKS
from plone import api

import datetime


COUNCIL_ID = "dimotiko-symvoulio"
COMMITTEE_ID = "dimotiki-epitropi"
TOWN_HALL = "Αίθουσα συνεδριάσεων του Δημοτικού Συμβουλίου"
CULTURAL_CENTRE = "Αίθουσα εκδηλώσεων του Πολιτιστικού Κέντρου Ελαιώνα"
MEETING_TITLES = {"taktiki": "Τακτική", "ektakti": "Έκτακτη", "eidiki": "Ειδική"}
PUBLISH = ("submit", "approve", "publish")


@dataclass(frozen=True)
class Body:
    id: str
    title: str
    description: str
    body_kind: str
    members: tuple


BODIES = (
    Body(
        COUNCIL_ID,
        "Δημοτικό Συμβούλιο Ελαιώνα",
        "Συνεδριάσεις, ημερήσιες διατάξεις και αποφάσεις του Δημοτικού Συμβουλίου",
        "dimotiko-symvoulio",
        COUNCIL_MEMBERS,
    ),
    Body(
        COMMITTEE_ID,
        "Δημοτική Επιτροπή Ελαιώνα",
        "Η επιτροπή που αποφασίζει για τα οικονομικά θέματα του Δήμου",
        "dimotiki-epitropi",
        COMMITTEE_MEMBERS,
    ),
)


@dataclass(frozen=True)
class Decision:
    id: str
    title: str  # ``{year}`` is the year of the meeting
    decision_type: str
    categories: tuple
    rapporteur: str
    text: str
    vote: str | None = None
    against: tuple = ()
    abstain: tuple = ()
    steps: tuple = PUBLISH
    amends: tuple | None = None  # (meeting id, decision id) of the decision it corrects


@dataclass(frozen=True)
class Meeting:
    id: str
    kind: str
    days_from_today: int
    hour: int
    minute: int
    place: str
    agenda: tuple
    absent: tuple | None = None  # None: not held yet, nobody is marked present
    steps: tuple = ()
    decisions: tuple = field(default=())


DECISIONS_LAST_MONTH = (
    Decision(
        "meleti-anaplasis-plateias",
        "Ανάθεση της μελέτης ανάπλασης της κεντρικής πλατείας",
        "Δ.1",
        ("Δημόσια έργα", "Χωροταξία και πολεοδομία"),
        DEPUTY_MAYOR_WORKS,
        "<p>Το Δημοτικό Συμβούλιο, αφού άκουσε την εισήγηση της Αντιδημάρχου Τεχνικών "
        "Υπηρεσιών, αποφασίζει κατά πλειοψηφία την ανάθεση της μελέτης ανάπλασης της "
        "κεντρικής πλατείας, με εκτιμώμενη αμοιβή 42.000 ευρώ χωρίς τον ΦΠΑ.</p>"
        "<p>Η μελέτη θα προβλέπει νέες φυτεύσεις, φωτισμό χαμηλής κατανάλωσης και "
        "απρόσκοπτη πρόσβαση για άτομα με αναπηρία.</p>",
        vote="majority",
        against=("Χαράλαμπος Μπεκιάρης", "Ζωή Καραμπέτσου"),
        abstain=("Ιορδάνης Πετρόχειλος",),
    ),
    Decision(
        "parachorisi-aithousas",
        "Δωρεάν παραχώρηση της αίθουσας του Πολιτιστικού Κέντρου στον Πολιτιστικό Σύλλογο",
        "Β.5",
        ("Πολιτισμός", "Δημοτική περιουσία"),
        DEPUTY_MAYOR_CULTURE,
        "<p>Το Δημοτικό Συμβούλιο αποφασίζει ομόφωνα την παραχώρηση, χωρίς αντάλλαγμα, της "
        "αίθουσας εκδηλώσεων του Πολιτιστικού Κέντρου στον Πολιτιστικό Σύλλογο Ελαιώνα, κάθε "
        "Τρίτη και Πέμπτη από τις 18:00 έως τις 21:00, για τα μαθήματα παραδοσιακών χορών.</p>"
        "<p>Ο Σύλλογος αναλαμβάνει τον καθαρισμό της αίθουσας μετά από κάθε χρήση.</p>",
        vote="unanimous",
    ),
    Decision(
        "tele-koinochriston",
        "Καθορισμός των τελών χρήσης κοινόχρηστων χώρων για το έτος {year}",
        "Α.2",
        ("Τέλη και δικαιώματα", "Κοινόχρηστοι χώροι"),
        DEPUTY_MAYOR_FINANCE,
        "<p>Το Δημοτικό Συμβούλιο αποφασίζει κατά πλειοψηφία το ετήσιο τέλος χρήσης "
        "κοινόχρηστων χώρων από καταστήματα με τραπεζοκαθίσματα:</p>"
        "<ul><li>Κεντρική πλατεία και πεζόδρομοι: 15 ευρώ ανά τετραγωνικό μέτρο.</li>"
        "<li>Λοιπές περιοχές: 100 ευρώ ανά τετραγωνικό μέτρο.</li></ul>"
        "<p>Το τέλος καταβάλλεται πριν από την έκδοση της άδειας.</p>",
        vote="majority",
        against=("Χαράλαμπος Μπεκιάρης",),
    ),
)

DECISIONS_LAST_WEEK = (
    Decision(
        "diorthosi-telon",
        "Διόρθωση της απόφασης για τα τέλη χρήσης κοινόχρηστων χώρων",
        "Α.2",
        ("Τέλη και δικαιώματα", "Κοινόχρηστοι χώροι"),
        DEPUTY_MAYOR_FINANCE,
        "<p>Το Δημοτικό Συμβούλιο αποφασίζει ομόφωνα τη διόρθωση της απόφασής του για τα "
        "τέλη χρήσης κοινόχρηστων χώρων: για τις λοιπές περιοχές αναγράφηκε εκ παραδρομής "
        "τέλος 100 ευρώ αντί του ορθού 10 ευρώ ανά τετραγωνικό μέτρο.</p>"
        "<p>Κατά τα λοιπά η απόφαση ισχύει ως έχει.</p>",
        vote="unanimous",
        amends=("synedriasi-1", "tele-koinochriston"),
    ),
    Decision(
        "dapani-paidikon-charon",
        "Έγκριση δαπάνης για τη συντήρηση των παιδικών χαρών",
        "Β.2.1",
        ("Δημόσια έργα", "Παιδικές χαρές"),
        DEPUTY_MAYOR_WORKS,
        "<p>Το Δημοτικό Συμβούλιο εγκρίνει δαπάνη 18.600 ευρώ, με τον ΦΠΑ, για την επισκευή "
        "του εξοπλισμού και την αντικατάσταση του δαπέδου ασφαλείας σε τέσσερις παιδικές "
        "χαρές του Δήμου.</p>",
        vote="majority",
        abstain=("Ζωή Καραμπέτσου",),
        steps=("submit", "approve"),
    ),
    Decision(
        "epitropi-paralavis",
        "Συγκρότηση επιτροπής παραλαβής προμηθειών για το έτος {year}",
        "Γ.2",
        ("Προμήθειες",),
        DEPUTY_MAYOR_FINANCE,
        "<p>Συγκροτείται τριμελής επιτροπή παραλαβής προμηθειών από υπαλλήλους του Δήμου, "
        "που ορίζονται με δημόσια κλήρωση.</p>",
        steps=(),
    ),
)

MEETINGS = (
    Meeting(
        "synedriasi-1",
        "taktiki",
        -30,
        18,
        30,
        TOWN_HALL,
        (
            "Ανάθεση της μελέτης ανάπλασης της κεντρικής πλατείας",
            "Παραχώρηση της αίθουσας του Πολιτιστικού Κέντρου στον Πολιτιστικό Σύλλογο Ελαιώνα",
            "Καθορισμός των τελών χρήσης κοινόχρηστων χώρων",
        ),
        absent=("Ευδοκία Τσιρίγου",),
        steps=("convene", "hold", "approve_minutes"),
        decisions=DECISIONS_LAST_MONTH,
    ),
    Meeting(
        "synedriasi-2",
        "taktiki",
        -7,
        18,
        30,
        TOWN_HALL,
        (
            "Διόρθωση της απόφασης για τα τέλη χρήσης κοινόχρηστων χώρων",
            "Έγκριση δαπάνης για τη συντήρηση των παιδικών χαρών",
            "Συγκρότηση επιτροπής παραλαβής προμηθειών",
        ),
        absent=("Ευδοκία Τσιρίγου", "Ιορδάνης Πετρόχειλος", "Μαρκέλλα Χατζηνικολή"),
        steps=("convene", "hold"),
        decisions=DECISIONS_LAST_WEEK,
    ),
    Meeting(
        "synedriasi-3",
        "taktiki",
        7,
        19,
        0,
        TOWN_HALL,
        (
            "Έγκριση του τεχνικού προγράμματος του Δήμου",
            "Ονοματοδοσία της νέας οδού στη συνοικία Αγίου Νικολάου",
            "Αίτημα του Συλλόγου Γονέων του 2ου Δημοτικού Σχολείου για σκίαστρα στην αυλή",
            "Ορισμός εκπροσώπων του Δήμου στη σχολική επιτροπή",
        ),
        steps=("convene",),
    ),
    Meeting(
        "synedriasi-4",
        "eidiki",
        35,
        19,
        0,
        CULTURAL_CENTRE,
        ("Λογοδοσία της δημοτικής αρχής για το έργο του προηγούμενου έτους",),
    ),
)


def ensure_body(portal, data):
    body = portal.get(data.id)
    if body is None:
        body = api.content.create(
            container=portal,
            type="CouncilBody",
            id=data.id,
            title=data.title,
            description=data.description,
            body_kind=data.body_kind,
            members=list(data.members),
        )
        api.content.transition(obj=body, transition="publish")
        logger.info("Demo records: created %s", path(body))
    return body


def create_meeting(body, data):
    start = athens(today() + datetime.timedelta(days=data.days_from_today), data.hour, data.minute)
    present, absent = [], []
    if data.absent is not None:
        absent = list(data.absent)
        present = [name for name in body.members if name not in data.absent]
    return api.content.create(
        container=body,
        type="CouncilMeeting",
        id=data.id,
        title=f"{MEETING_TITLES[data.kind]} συνεδρίαση της {start:%d/%m/%Y}",
        start=start,
        meeting_kind=data.kind,
        place=data.place,
        agenda=list(data.agenda),
        members_present=present,
        members_absent=absent,
    )


def create_decision(meeting, data):
    year = meeting.start.year
    votes = {}
    if data.vote:
        voting = set(data.against) | set(data.abstain)
        votes = {
            "vote_kind": data.vote,
            "votes_for": [name for name in meeting.members_present if name not in voting],
            "votes_against": list(data.against),
            "votes_abstain": list(data.abstain),
        }
    return api.content.create(
        container=meeting,
        type="CouncilDecision",
        id=data.id,
        title=data.title.format(year=year),
        decision_date=meeting.start.date(),
        decision_type=data.decision_type,
        thematic_categories=list(data.categories),
        rapporteur=data.rapporteur,
        text=html(data.text.format(year=year)),
        **votes,
    )


def amend(body, decision, target_path):
    """Record that ``decision`` amends the target; once published, the target is corrected."""
    meeting_id, decision_id = target_path
    meeting = body.get(meeting_id)
    target = meeting.get(decision_id) if meeting is not None else None
    if target is None:
        return
    api.relation.create(source=decision, target=target, relationship="amends")
    if api.content.get_state(decision) == api.content.get_state(target) == "published":
        comment = f"Διορθώθηκε με την απόφαση {decision.number_label()}."
        api.content.transition(obj=target, transition="correct", comment=comment)


def ensure_meeting(body, data):
    if data.id in body:
        return body[data.id]
    meeting = create_meeting(body, data)
    for item in data.decisions:
        decision = create_decision(meeting, item)
        run_steps(decision, item.steps)
        if item.amends:
            amend(body, decision, item.amends)
    run_steps(meeting, data.steps)
    logger.info("Demo records: created %s", path(meeting))
    return meeting


def create_council(portal):
    for data in BODIES:
        ensure_body(portal, data)
    council = portal[COUNCIL_ID]
    for data in MEETINGS:
        ensure_meeting(council, data)
