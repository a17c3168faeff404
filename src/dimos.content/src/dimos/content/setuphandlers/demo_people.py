"""The demo's people: council members, employees, citizens. All made up.

Employees exist so that applications can be assigned and cases given to a
lawyer; nobody logs in as them (their passwords are random and never shown).
ΑΦΜ are digit patterns with a correct check digit, so that they pass the
checks without being anybody's.
"""

from dataclasses import dataclass
from dimos.content import logger
from dimos.content.setuphandlers.demo_common import afm
from plone import api

import secrets


COUNCIL_MEMBERS = (
    "Ελένη Μαυρογιάννη",
    "Σταύρος Λιανός",
    "Αγγελική Σταματοπούλου",
    "Θεόδωρος Ζαφειρίου",
    "Παναγιώτα Ρουσσάκη",
    "Χαράλαμπος Μπεκιάρης",
    "Ευδοκία Τσιρίγου",
    "Νικηφόρος Αλεβιζάκης",
    "Ζωή Καραμπέτσου",
    "Ιορδάνης Πετρόχειλος",
    "Μαρκέλλα Χατζηνικολή",
)
PRESIDENT = COUNCIL_MEMBERS[0]
DEPUTY_MAYOR_FINANCE = COUNCIL_MEMBERS[1]
DEPUTY_MAYOR_WORKS = COUNCIL_MEMBERS[2]
DEPUTY_MAYOR_CULTURE = COUNCIL_MEMBERS[3]

COMMITTEE_MEMBERS = COUNCIL_MEMBERS[:7]


@dataclass(frozen=True)
class Employee:
    username: str
    fullname: str
    group: str
    phone: str

    @property
    def email(self):
        return f"{self.username}@elaionas.example"


EMPLOYEES = (
    Employee("a.kyriazi", "Αναστασία Κυριαζή", "dimotologio", "210 0000121"),
    Employee("g.sfakianos", "Γρηγόρης Σφακιανός", "lixiarxeio", "210 0000131"),
    Employee("s.karra", "Σπυριδούλα Καρρά", "geniko-protokollo", "210 0000111"),
    Employee("m.oikonomidou", "Μυρτώ Οικονομίδου", "oikonomiki-ypiresia", "210 0000141"),
    Employee("d.fotiadis", "Διονύσης Φωτιάδης", "nomiki-ypiresia", "210 0000151"),
    Employee("i.maniati", "Ιφιγένεια Μανιάτη", "grammateia-ds", "210 0000161"),
)


def employee_of(group):
    return next(employee.username for employee in EMPLOYEES if employee.group == group)


@dataclass(frozen=True)
class Citizen:
    name: str
    afm: str
    email: str
    phone: str

    def as_applicant(self):
        return {"name": self.name, "afm": self.afm, "email": self.email, "phone": self.phone}


CITIZENS = (
    Citizen("Ηλίας Βαρσάμης", afm("11111111"), "ilias.varsamis@example.org", "690 0000001"),
    Citizen("Δέσποινα Λαμπράκου", afm("22222222"), "d.lamprakou@example.org", "690 0000002"),
    Citizen("Κυριάκος Ντελής", afm("33333333"), "kyriakos.ntelis@example.org", "690 0000003"),
    Citizen("Αριάδνη Σκουλαρίκη", afm("44444444"), "ariadni.sk@example.org", "690 0000004"),
    Citizen("Φίλιππος Γαλανόπουλος", afm("55555555"), "f.galanopoulos@example.org", "690 0000005"),
    Citizen("Ροδάνθη Μελετίου", afm("66666666"), "rodanthi.m@example.org", "690 0000006"),
)

# The café of the permit and the driver who sued the municipality.
CAFE_OWNER = Citizen("Γεράσιμος Κουκουλάκης", afm("77777777"), "", "690 0000007")
CAFE = f"Καφενείο «Η Ελιά» – {CAFE_OWNER.name}"
PLAINTIFF = "Λεωνίδας Σαρρής"


def ensure_employees():
    """The demo employees, each in the group of their department; existing users are kept."""
    for employee in EMPLOYEES:
        if api.user.get(username=employee.username) is not None:
            continue
        api.user.create(
            email=employee.email,
            username=employee.username,
            password=secrets.token_urlsafe(24),
            properties={"fullname": employee.fullname, "phone": employee.phone},
        )
        api.group.add_user(groupname=employee.group, username=employee.username)
        logger.info("Demo records: created the employee %s", employee.username)
