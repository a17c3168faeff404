"""The fixed lists behind the vocabularies: plain data, no Zope.

Titles are message ids of the dimos.content domain (English), translated to
Greek in locales/el. Diavgeia decision types keep their official Greek names
as data: they are the portal's own labels.
"""

from dataclasses import dataclass
from dimos.content import _


BODY_KINDS = (
    ("dimotiko-symvoulio", _("Municipal council")),
    ("dimotiki-epitropi", _("Municipal committee")),
    ("oikonomiki-epitropi", _("Finance committee")),
    ("epitropi-poiotitas-zois", _("Quality of life committee")),
    ("ektelestiki-epitropi", _("Executive committee")),
    ("symvoulio-koinotitas", _("Community council")),
)

MEETING_KINDS = (
    ("taktiki", _("Regular")),
    ("ektakti", _("Urgent")),
    ("eidiki", _("Special")),
    ("dia-periforas", _("By circulation")),
)

# Diavgeia decision types (https://diavgeia.gov.gr/luminapi/api/types).
DECISION_TYPES = (
    ("Α.1.2", "ΠΡΑΞΗ ΝΟΜΟΘΕΤΙΚΟΥ ΠΕΡΙΕΧΟΜΕΝΟΥ"),
    ("Α.2", "ΚΑΝΟΝΙΣΤΙΚΗ ΠΡΑΞΗ"),
    ("Α.3", "ΕΓΚΥΚΛΙΟΣ"),
    ("Α.4", "ΓΝΩΜΟΔΟΤΗΣΗ"),
    ("Α.5", "ΠΡΑΚΤΙΚΑ"),
    ("Α.6", "ΕΚΘΕΣΗ ΑΠΟΤΙΜΗΣΗΣ ΓΙΑ ΤΗΝ ΚΑΤΑΣΤΑΣΗ ΤΗΣ ΥΦΙΣΤΑΜΕΝΗΣ ΝΟΜΟΘΕΣΙΑΣ"),
    ("Β.1.1", "ΕΓΚΡΙΣΗ ΠΡΟΥΠΟΛΟΓΙΣΜΟΥ"),
    ("Β.1.2", "ΕΠΙΤΡΟΠΙΚΟ ΕΝΤΑΛΜΑ"),
    ("Β.1.3", "ΑΝΑΛΗΨΗ ΥΠΟΧΡΕΩΣΗΣ"),
    ("Β.2.1", "ΕΓΚΡΙΣΗ ΔΑΠΑΝΗΣ"),
    ("Β.2.2", "ΟΡΙΣΤΙΚΟΠΟΙΗΣΗ ΠΛΗΡΩΜΗΣ"),
    ("Β.3", "ΙΣΟΛΟΓΙΣΜΟΣ – ΑΠΟΛΟΓΙΣΜΟΣ"),
    ("Β.4", "ΔΩΡΕΑ – ΕΠΙΧΟΡΗΓΗΣΗ"),
    ("Β.5", "ΠΑΡΑΧΩΡΗΣΗ ΧΡΗΣΗΣ ΠΕΡΙΟΥΣΙΑΚΩΝ ΣΤΟΙΧΕΙΩΝ"),
    ("Γ.2", "ΣΥΓΚΡΟΤΗΣΗ ΣΥΛΛΟΓΙΚΟΥ ΟΡΓΑΝΟΥ – ΕΠΙΤΡΟΠΗΣ – ΟΜΑΔΑΣ ΕΡΓΑΣΙΑΣ"),
    ("Γ.3.1", "ΠΡΟΚΗΡΥΞΗ ΠΛΗΡΩΣΗΣ ΘΕΣΕΩΝ"),
    ("Γ.3.2", "ΠΙΝΑΚΑΣ ΕΠΙΤΥΧΟΝΤΩΝ, ΔΙΟΡΙΣΤΕΩΝ Ή ΕΠΙΛΑΧΟΝΤΩΝ"),
    ("Γ.3.3", "ΔΙΟΡΙΣΜΟΣ"),
    ("Γ.3.4", "ΣΥΜΒΑΣΗ"),
    ("Γ.3.5", "ΥΠΗΡΕΣΙΑΚΗ ΜΕΤΑΒΟΛΗ"),
    ("Δ.1", "ΑΝΑΘΕΣΗ ΕΡΓΩΝ / ΠΡΟΜΗΘΕΙΩΝ / ΥΠΗΡΕΣΙΩΝ / ΜΕΛΕΤΩΝ"),
    ("Δ.2.1", "ΠΕΡΙΛΗΨΗ ΔΙΑΚΗΡΥΞΗΣ"),
    ("Δ.2.2", "ΚΑΤΑΚΥΡΩΣΗ"),
    ("Ε.1", "ΠΡΑΞΗ ΥΠΑΓΩΓΗΣ ΕΠΕΝΔΥΣΕΩΝ"),
    ("Ε.2", "ΣΥΜΒΑΣΗ ΑΝΑΠΤΥΞΙΑΚΟΥ ΝΟΜΟΥ"),
    ("Ε.3", "ΑΠΟΦΑΣΗ ΕΝΑΡΞΗΣ ΠΑΡΑΓΩΓΙΚΗΣ ΛΕΙΤΟΥΡΓΙΑΣ ΕΠΕΝΔΥΣΗΣ"),
    ("Ζ.1", "ΔΗΜΟΣΙΑ ΠΡΟΤΥΠΑ ΕΓΓΡΑΦΑ"),
    ("100", "ΠΡΑΞΗ ΜΟΝΟΠΡΟΣΩΠΟΥ ΟΡΓΑΝΟΥ ΓΕΝΙΚΗΣ / ΕΙΔΙΚΗΣ ΓΡΑΜΜΑΤΕΙΑΣ"),
    ("2.4.6.1", "ΠΡΑΞΕΙΣ ΧΩΡΟΤΑΞΙΚΟΥ – ΠΟΛΕΟΔΟΜΙΚΟΥ ΠΕΡΙΕΧΟΜΕΝΟΥ"),
    ("2.4.7.1", "ΛΟΙΠΕΣ ΑΤΟΜΙΚΕΣ ΔΙΟΙΚΗΤΙΚΕΣ ΠΡΑΞΕΙΣ"),
)

VOTE_KINDS = (
    ("unanimous", _("Unanimous")),
    ("majority", _("By majority")),
)

SCRIPTS = (
    ("monotonic", _("Monotonic")),
    ("polytonic", _("Polytonic")),
)

DIGITIZATION_STATUSES = (
    ("born-digital", _("Born digital")),
    ("scanned", _("Scanned, awaiting OCR")),
    ("ocr-done", _("OCR done")),
    ("needs-review", _("Needs review")),
    ("reviewed", _("Reviewed")),
    ("failed", _("Failed")),
)

LEGAL_CASE_KINDS = (
    ("civil", _("Civil")),
    ("administrative", _("Administrative")),
    ("criminal", _("Criminal")),
    ("labour", _("Labour")),
    ("audit", _("Court of Audit")),
    ("out-of-court", _("Out of court")),
)

COURTS = (
    ("eirinodikeio", _("Magistrates' court")),
    ("protodikeio", _("Court of first instance")),
    ("efeteio", _("Court of appeal")),
    ("areios-pagos", _("Supreme civil and criminal court")),
    ("dioikitiko-protodikeio", _("Administrative court of first instance")),
    ("dioikitiko-efeteio", _("Administrative court of appeal")),
    ("ste", _("Council of State")),
    ("elegktiko-synedrio", _("Court of Audit")),
)

LEGAL_OUTCOMES = (
    ("won", _("Won")),
    ("lost", _("Lost")),
    ("partly", _("Partly won")),
    ("settled", _("Settled")),
    ("withdrawn", _("Withdrawn")),
    ("struck-out", _("Struck out")),
)


@dataclass(frozen=True)
class ApplicationKind:
    id: str
    title: str
    department: str  # where the protocol routes it unless the clerk decides otherwise


APPLICATION_KINDS = (
    ApplicationKind("registry-certificate", _("Registry certificate"), "dimotologio"),
    ApplicationKind("civil-marriage-licence", _("Civil marriage licence"), "lixiarxeio"),
    ApplicationKind("birth-certificate", _("Birth certificate"), "lixiarxeio"),
    ApplicationKind(
        "tap-clearance", _("Property fee (ΤΑΠ) no-debt certificate"), "oikonomiki-ypiresia"
    ),
    ApplicationKind("property-change", _("Property change declaration"), "oikonomiki-ypiresia"),
    ApplicationKind("common-space", _("Common space occupation"), "oikonomiki-ypiresia"),
    ApplicationKind("legal-document", _("Court document or summons"), "nomiki-ypiresia"),
    ApplicationKind("staff-matter", _("Staff matter"), "tmima-prosopikou"),
    ApplicationKind("council-petition", _("Petition to the council"), "grammateia-ds"),
    ApplicationKind("complaint", _("Complaint"), "geniko-protokollo"),
    ApplicationKind("general-request", _("General request"), "geniko-protokollo"),
    ApplicationKind("incoming-document", _("Document from another authority"), "geniko-protokollo"),
)

PERMIT_KINDS = (
    ("common-space", _("Common space occupation")),
    ("kiosk", _("Kiosk")),
    ("open-air-trade", _("Open-air trade")),
    ("building-materials", _("Building materials on the street")),
    ("advertising", _("Outdoor advertising")),
    ("outdoor-event", _("Outdoor event")),
    ("shop-licence", _("Shop licence")),
)

SIGNATURE_STATUSES = (
    ("unverified", _("Not verified")),
    ("valid", _("Valid")),
    ("valid-expired", _("Valid, certificate expired since")),
    ("modified", _("Modified after signing")),
    ("invalid", _("Invalid")),
)

PROTOCOL_DIRECTIONS = (
    ("incoming", _("Incoming")),
    ("outgoing", _("Outgoing")),
)


def application_kind(kind_id):
    for kind in APPLICATION_KINDS:
        if kind.id == kind_id:
            return kind
    return None
