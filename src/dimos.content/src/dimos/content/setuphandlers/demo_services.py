"""Demo services: an application in every state, a legal case and a permit.

Applications are filed as ``POST /@protocol`` files them, so they take
protocol numbers, routing and tracking codes; each then gets a fixed id, so
that applying the demo again finds it. Dates are counted from the day the
demo is loaded.
"""

from dataclasses import dataclass
from decimal import Decimal
from dimos.content import logger
from dimos.content.protocol.intake import file_application
from dimos.content.setuphandlers import REGISTRY_ID
from dimos.content.setuphandlers.demo_common import athens
from dimos.content.setuphandlers.demo_common import ensure_folder
from dimos.content.setuphandlers.demo_common import path
from dimos.content.setuphandlers.demo_common import run_steps
from dimos.content.setuphandlers.demo_common import today
from dimos.content.setuphandlers.demo_people import CAFE
from dimos.content.setuphandlers.demo_people import CAFE_OWNER
from dimos.content.setuphandlers.demo_people import Citizen
from dimos.content.setuphandlers.demo_people import CITIZENS
from dimos.content.setuphandlers.demo_people import employee_of
from dimos.content.setuphandlers.demo_people import PLAINTIFF
from plone import api
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import datetime


LEGAL_FOLDER_ID = "nomiki-ypiresia"
LEGAL_CASE_ID = "agogi-lakkouva-odou-elias"
PERMITS_FOLDER_ID = "adeies"
PERMIT_ID = "trapezokathismata-i-elia"
# ISO 11649 creditor reference: RF, two check digits, the reference.
PAYMENT_CODE = "RF852310000000000412"

TO_REVENUE = ("assign", "Χρεώνεται στο Τμήμα Εσόδων.")
TO_REGISTRY = ("assign", "Χρεώνεται στο Ληξιαρχείο.")


@dataclass(frozen=True)
class Application:
    id: str
    kind: str
    subject: str
    request: str
    citizen: Citizen
    steps: tuple  # transition ids or (transition id, comment for the citizen)


APPLICATIONS = (
    Application(
        "kadoi-anakyklosis-odos-antheon",
        "general-request",
        "Τοποθέτηση κάδων ανακύκλωσης στην οδό Ανθέων",
        "Στην οδό Ανθέων, από τον αριθμό 20 έως τη γωνία με την οδό Ελιάς, δεν υπάρχει "
        "κανένας μπλε κάδος. Παρακαλώ να τοποθετηθούν δύο κάδοι ανακύκλωσης.",
        CITIZENS[0],
        (),
    ),
    Application(
        "pistopoiitiko-oikogeneiakis-katastasis",
        "registry-certificate",
        "Πιστοποιητικό οικογενειακής κατάστασης",
        "Χρειάζομαι πιστοποιητικό οικογενειακής κατάστασης για την αίτηση επιδόματος παιδιού.",
        CITIZENS[1],
        (("assign", "Χρεώνεται στο Δημοτολόγιο για την έκδοση του πιστοποιητικού."),),
    ),
    Application(
        "vevaiosi-mi-ofeilis-tap",
        "tap-clearance",
        "Βεβαίωση μη οφειλής ΤΑΠ για μεταβίβαση ακινήτου",
        "Παρακαλώ να εκδοθεί βεβαίωση μη οφειλής Τέλους Ακίνητης Περιουσίας για το "
        "διαμέρισμα της οδού Ελιάς 8, που πρόκειται να μεταβιβαστεί.",
        CITIZENS[2],
        (TO_REVENUE, ("start", "Ελέγχονται οι οφειλές του ακινήτου.")),
    ),
    Application(
        "adeia-politikou-gamou",
        "civil-marriage-licence",
        "Άδεια πολιτικού γάμου",
        "Επιθυμούμε να τελέσουμε πολιτικό γάμο στο Δημαρχείο τον επόμενο μήνα.",
        CITIZENS[3],
        (
            TO_REGISTRY,
            "start",
            (
                "request_info",
                "Για να εκδοθεί η άδεια, προσκομίστε τα πιστοποιητικά οικογενειακής "
                "κατάστασης και των δύο μελλονύμφων και το φύλλο της τοπικής εφημερίδας "
                "με την αγγελία του γάμου.",
            ),
        ),
    ),
    Application(
        "antigrafo-praxis-gennisis",
        "birth-certificate",
        "Αντίγραφο ληξιαρχικής πράξης γέννησης",
        "Για την εγγραφή του παιδιού μου στον βρεφονηπιακό σταθμό.",
        CITIZENS[4],
        (
            TO_REGISTRY,
            "start",
            ("resolve", "Το αντίγραφο εκδόθηκε και στάλθηκε στο ηλεκτρονικό σας ταχυδρομείο."),
        ),
    ),
    Application(
        "parachorisi-pezodromiou-iroon-12",
        "common-space",
        "Παραχώρηση πεζοδρομίου για έκθεση εμπορευμάτων",
        "Ζητώ να μου παραχωρηθεί το πεζοδρόμιο μπροστά στο κατάστημά μου, στην οδό Ηρώων 12, "
        "για την έκθεση εμπορευμάτων.",
        CITIZENS[5],
        (
            TO_REVENUE,
            "start",
            (
                "reject",
                "Η αίτηση απορρίπτεται: το πεζοδρόμιο έχει πλάτος 1,60 μ. και πρέπει να μένει "
                "ελεύθερος διάδρομος τουλάχιστον 1,50 μ. για τους πεζούς.",
            ),
        ),
    ),
)


def ensure_application(registry, data):
    if data.id in registry:
        return registry[data.id]
    record, token = file_application(
        {
            "kind": data.kind,
            "subject": data.subject,
            "request": data.request,
            "applicant": data.citizen.as_applicant(),
        }
    )
    record = api.content.rename(obj=record, new_id=data.id)
    if data.steps:
        # The assign transition wants an employee; saving routes the record to them.
        record.assigned_to = employee_of(record.department)
        notify(ObjectModifiedEvent(record))
    run_steps(record, data.steps)
    # Demo records only: the code lets whoever tries the site follow the application.
    logger.info(
        "Demo records: filed %s as %s, tracking code %s", data.id, record.protocol_number, token
    )
    return record


def legal_case_fields():
    day = today()
    filed = day - datetime.timedelta(days=150)

    def on(days):
        return (day + datetime.timedelta(days=days)).isoformat()

    return {
        "title": "Αγωγή αποζημίωσης για ζημιά σε αυτοκίνητο από λακκούβα στην οδό Ελιάς",
        "description": "Ο ενάγων ζητά την αποκατάσταση της ζημιάς στον τροχό και στην ανάρτηση.",
        "case_number": f"ΓΑΚ 1187/{filed.year}",
        "court": "eirinodikeio",
        "chamber": "Διαδικασία μικροδιαφορών",
        "case_kind": "civil",
        "parties": [f"{PLAINTIFF} (ενάγων)", "Δήμος Ελαιώνα (εναγόμενος)"],
        "opponent": PLAINTIFF,
        "assigned_lawyer": employee_of("nomiki-ypiresia"),
        "amount_in_dispute": Decimal("4850.00"),
        "hearings": [
            {
                "date": on(-60),
                "postponed_to": on(25),
                "note": "Αναβλήθηκε με αίτημα του ενάγοντος, για να κλητευθεί μάρτυρας.",
            }
        ],
        "deadlines": [
            {"date": on(-75), "what": "Κατάθεση προτάσεων και εγγράφων", "done": True},
            {
                "date": on(5),
                "what": "Έκθεση της Τεχνικής Υπηρεσίας για τη φθορά του οδοστρώματος",
                "done": False,
            },
            {"date": on(15), "what": "Κατάθεση συμπληρωματικών προτάσεων", "done": False},
        ],
    }


def ensure_legal_case(portal):
    folder = ensure_folder(
        portal,
        LEGAL_FOLDER_ID,
        "Νομική Υπηρεσία",
        "Οι δικαστικές υποθέσεις του Δήμου",
        "nomiki-ypiresia",
    )
    if LEGAL_CASE_ID in folder:
        return folder[LEGAL_CASE_ID]
    case = api.content.create(
        container=folder, type="LegalCase", id=LEGAL_CASE_ID, **legal_case_fields()
    )
    run_steps(
        case,
        (("schedule_hearing", "Ορίστηκε νέα δικάσιμος μετά την αναβολή της πρώτης συζήτησης."),),
    )
    logger.info("Demo records: created %s", path(case))
    return case


def permit_fields():
    day = today()
    return {
        "title": "Τραπεζοκαθίσματα στην κεντρική πλατεία – Καφενείο «Η Ελιά»",
        "permit_kind": "common-space",
        "holder_name": CAFE,
        "holder_afm": CAFE_OWNER.afm,
        "location": "Κεντρική πλατεία Ελαιώνα, μπροστά από τον αριθμό 4",
        "area_m2": Decimal("24.00"),
        "valid_from": datetime.date(day.year, 1, 1),
        "valid_until": datetime.date(day.year, 12, 31),
        "fee": Decimal("360.00"),  # 24 m² at 15 € on the central square
        "payment_code": PAYMENT_CODE,
        "paid_on": athens(day - datetime.timedelta(days=20), 11, 40),
    }


def ensure_permit(portal):
    folder = ensure_folder(
        portal,
        PERMITS_FOLDER_ID,
        "Άδειες",
        "Άδειες χρήσης κοινόχρηστων χώρων και άλλες άδειες του Δήμου",
        "oikonomiki-ypiresia",
    )
    if PERMIT_ID in folder:
        return folder[PERMIT_ID]
    permit = api.content.create(container=folder, type="Permit", id=PERMIT_ID, **permit_fields())
    steps = (
        ("approve", "Εγκρίνεται η χρήση 24 τ.μ. με τραπεζοκαθίσματα."),
        ("confirm_payment", "Εξοφλήθηκε το τέλος των 360 ευρώ."),
        ("issue", "Η άδεια εκδόθηκε."),
    )
    run_steps(permit, steps)
    logger.info("Demo records: created %s", path(permit))
    return permit


def create_services(portal):
    registry = portal[REGISTRY_ID]
    for data in APPLICATIONS:
        ensure_application(registry, data)
    ensure_legal_case(portal)
    ensure_permit(portal)
