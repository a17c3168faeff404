"""The municipality's departments (groups) and the roles later records use.

Plain data: the setup handler creates the groups and gives each its role;
tests and the demo content read the same table.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Department:
    id: str
    title: str  # group titles and descriptions are data, shown as written (Greek)
    description: str
    roles: tuple


RECORDS_CLERK = "RecordsClerk"
PROTOCOL_CLERK = "ProtocolClerk"
COUNCIL_SECRETARY = "CouncilSecretary"
REVENUE_OFFICER = "RevenueOfficer"
LEGAL_OFFICER = "LegalOfficer"
HR_OFFICER = "HROfficer"
SCANNING_OPERATOR = "ScanningOperator"

# Their sharing-tab titles are in profiles/default/sharing.xml (plone domain,
# translated in locales/*/LC_MESSAGES/plone.po).
ROLES = (
    RECORDS_CLERK,
    PROTOCOL_CLERK,
    COUNCIL_SECRETARY,
    REVENUE_OFFICER,
    LEGAL_OFFICER,
    HR_OFFICER,
    SCANNING_OPERATOR,
)

DEPARTMENTS = (
    Department(
        "dimotologio",
        "Δημοτολόγιο",
        "Εγγραφές δημοτών και πιστοποιητικά",
        (RECORDS_CLERK,),
    ),
    Department(
        "lixiarxeio",
        "Ληξιαρχείο",
        "Ληξιαρχικές πράξεις γέννησης, γάμου, θανάτου",
        (RECORDS_CLERK,),
    ),
    Department(
        "geniko-protokollo",
        "Γενικό Πρωτόκολλο",
        "Πρωτοκολλεί κάθε εισερχόμενο αίτημα και το διαβιβάζει στην αρμόδια υπηρεσία",
        (PROTOCOL_CLERK, RECORDS_CLERK),
    ),
    Department(
        "oikonomiki-ypiresia",
        "Οικονομική Υπηρεσία (Έσοδα)",
        "Τμήμα Εσόδων: οφειλές, τέλη, πρόστιμα",
        (REVENUE_OFFICER,),
    ),
    Department(
        "nomiki-ypiresia",
        "Νομική Υπηρεσία",
        "Δικαστικές υποθέσεις και γνωμοδοτήσεις",
        (LEGAL_OFFICER,),
    ),
    Department(
        "tmima-prosopikou",
        "Τμήμα Προσωπικού",
        "Φάκελοι και θέματα προσωπικού",
        (HR_OFFICER,),
    ),
    Department(
        "grammateia-ds",
        "Γραμματεία Δημοτικού Συμβουλίου",
        "Συνεδριάσεις και αποφάσεις των συλλογικών οργάνων",
        (COUNCIL_SECRETARY, RECORDS_CLERK),
    ),
    Department(
        "psifiopoiisi",
        "Ψηφιοποίηση",
        "Σάρωση και ψηφιοποίηση του ιστορικού αρχείου",
        (SCANNING_OPERATOR,),
    ),
)
