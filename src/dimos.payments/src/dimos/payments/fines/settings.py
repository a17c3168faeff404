"""The settings of traffic fines: the table of ΚΟΚ offences with their amounts, the reduction rule.

Registry records, prefix ``dimos.payments.fines`` (profiles/default/registry/fines.xml;
edit them in Site Setup → Configuration Registry):

``offences``
    One line per offence the municipal police books:
    ``token | ΚΟΚ article | Greek title | English title | amount in euros``,
    e.g. ``parking | 34 παρ. 1 | Παράνομη στάθμευση | Illegal parking | 40,00``.
    A citizen declaring a ticket that is not registered yet picks the offence
    from this list and the amount is the table's, never typed by the citizen.
    A line that cannot be read is left out (and logged). The amounts shipped
    are examples: check them against the law in force (ΚΟΚ, ν. 2696/1999 and
    the new ΚΟΚ, ν. 5209/2025) and the municipality's decisions.

``reduction_enabled``, ``reduction_days``, ``reduction_percent``
    The ΚΟΚ's reduced fine for prompt payment. For years the ΚΟΚ reduced a
    fine by half (50 %) when paid within 10 days of its certification
    (βεβαίωση); since the rule and its figures depend on the law in force,
    it is **off by default**. When on, a fine whose ticket date is at most
    ``reduction_days`` calendar days before today (the ticket's date is day 0,
    the last day included) is payable at the amount less ``reduction_percent``
    (the discount rounded down to the cent, so the amount to pay is rounded
    up). The debt is created at the reduced amount with the deadline noted;
    once the deadline has passed, the next look-up raises it to the full
    amount (audited) and gives a new RF code. The deadline is fixed when the
    fine is created, so turning the rule off later does not take back a
    reduction already offered.

``due_days``
    The debt's due date: the ticket's date plus this many days.

``ReductionRule`` and ``parse_offences`` are plain Python (tested without a
site); ``fine_settings()`` reads the registry.
"""

from dataclasses import dataclass
from dimos.payments import _
from dimos.payments import logger
from dimos.payments.bilingual import BilingualError
from dimos.payments.money import parse_amount
from zope import schema
from zope.interface import Interface

import datetime
import re


PREFIX = "dimos.payments.fines"
_TOKEN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")

DEFAULT_OFFENCES = [
    "parking | 34 παρ. 1 | Παράνομη στάθμευση | Illegal parking | 40,00",
    "parking-pavement | 34 παρ. 1 | Στάθμευση σε πεζοδρόμιο ή διάβαση πεζών | "
    "Parking on a pavement or pedestrian crossing | 80,00",
    "parking-disabled | 34 παρ. 1 | Στάθμευση σε θέση ατόμων με αναπηρία | "
    "Parking in a disabled person's space | 150,00",
    "parking-bus-stop | 34 παρ. 1 | Στάθμευση σε στάση λεωφορείου ή λωρίδα λεωφορείων | "
    "Parking at a bus stop or in a bus lane | 80,00",
    "controlled-parking | 34 παρ. 7 | Στάθμευση σε ελεγχόμενη θέση χωρίς κάρτα στάθμευσης | "
    "Controlled parking without a parking ticket | 40,00",
]


class IFineSettings(Interface):
    """Traffic fines; registry prefix ``dimos.payments.fines``."""

    offences = schema.List(
        title=_("ΚΟΚ offences and their amounts"),
        description=_(
            "One per line: token | ΚΟΚ article | Greek title | English title | amount in euros."
        ),
        value_type=schema.TextLine(),
        default=DEFAULT_OFFENCES,
        required=False,
    )
    reduction_enabled = schema.Bool(
        title=_("Reduced fine for prompt payment"),
        description=_(
            "Off unless the law in force provides it; see dimos.payments.fines.settings."
        ),
        default=False,
        required=False,
    )
    reduction_days = schema.Int(
        title=_("Days within which the reduced fine may be paid"),
        default=10,
        min=1,
        max=365,
        required=False,
    )
    reduction_percent = schema.Int(
        title=_("Reduction (percent)"),
        default=50,
        min=1,
        max=99,
        required=False,
    )
    due_days = schema.Int(
        title=_("Days from the ticket's date to the debt's due date"),
        default=60,
        min=0,
        max=3650,
        required=False,
    )


@dataclass(frozen=True)
class Offence:
    token: str
    article: str
    title_el: str
    title_en: str
    amount_cents: int

    def to_json(self):
        return {
            "token": self.token,
            "article": self.article,
            "title_el": self.title_el,
            "title_en": self.title_en,
            "amount_cents": self.amount_cents,
        }


def parse_offence(line):
    """The Offence of one table line; ValueError (or an AmountError) when it cannot be read."""
    parts = [part.strip() for part in str(line).split("|")]
    if len(parts) != 5 or not all(parts):
        raise ValueError(f"five non-empty fields separated by | expected: {line!r}")
    token, article, title_el, title_en, amount = parts
    if not _TOKEN.fullmatch(token):
        raise ValueError(f"the token must be lower-case ASCII, digits and '-': {token!r}")
    cents = parse_amount(amount)
    if cents <= 0:
        raise ValueError(f"the amount must be positive: {line!r}")
    return Offence(token, article, title_el, title_en, cents)


def parse_offences(lines):
    """``{token: Offence}`` in the table's order; unreadable lines (and repeats) are left out."""
    table = {}
    for line in lines or ():
        try:
            offence = parse_offence(line)
        except (ValueError, BilingualError) as error:
            logger.warning("Traffic fines: offence line left out: %s", error)
            continue
        if offence.token in table:
            logger.warning(
                "Traffic fines: offence %s given twice; the first is kept", offence.token
            )
            continue
        table[offence.token] = offence
    return table


@dataclass(frozen=True)
class ReductionRule:
    """The reduced fine for prompt payment (see the module's docstring)."""

    enabled: bool = False
    days: int = 10
    percent: int = 50

    def deadline(self, issued_on):
        """The last day the reduced amount may be paid, or None when the rule is off."""
        if not self.enabled:
            return None
        return issued_on + datetime.timedelta(days=self.days)

    def applies(self, issued_on, today):
        deadline = self.deadline(issued_on)
        return deadline is not None and today <= deadline

    def reduced(self, amount_cents):
        """``amount_cents`` less the reduction; the discount is rounded down to the cent."""
        return amount_cents - amount_cents * self.percent // 100


@dataclass(frozen=True)
class FineSettings:
    offences: dict
    reduction: ReductionRule
    due_days: int


def fine_settings():
    """The settings in the site's registry (the defaults above for records not there)."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    record = getUtility(IRegistry).forInterface(IFineSettings, prefix=PREFIX, check=False)

    def value(name):
        found = getattr(record, name, None)
        return IFineSettings[name].default if found is None else found

    return FineSettings(
        offences=parse_offences(value("offences")),
        reduction=ReductionRule(
            enabled=bool(value("reduction_enabled")),
            days=value("reduction_days"),
            percent=value("reduction_percent"),
        ),
        due_days=value("due_days"),
    )


def store_fine_settings(**values):
    """Change the settings (set-up scripts, tests)."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    record = getUtility(IRegistry).forInterface(IFineSettings, prefix=PREFIX, check=False)
    for name, new in values.items():
        setattr(record, name, new)
