"""Checking what the police (staff) or a citizen send about a ticket, before anything is stored.

``clean_registration(data, offences, today)`` for the police: ticket, plate,
date, place, and either an offence of the table (its article, titles and
amount, the amount overridable) or the article, a description and the
amount; optionally the time and the offender's ΑΦΜ and name.

``clean_declaration(data, offences, today)`` for a citizen: ticket, plate,
date, an offence of the table, optionally the place and time. The amount is
always the table's: an ``amount`` in the data is ignored.

Both answer ``(ticket, plate, details, extra)`` (details as in book.DETAILS)
or raise ``FineError`` naming the field, in Greek and English. No Zope or
Plone imports.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.debts import clean_afm
from dimos.payments.debts import clean_date
from dimos.payments.debts import clean_name
from dimos.payments.fines.identifiers import FineError
from dimos.payments.fines.identifiers import normalise_plate
from dimos.payments.fines.identifiers import normalise_ticket
from dimos.payments.money import parse_amount

import re


_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def _text(data, name, limit, required, label_el, label_en):
    value = data.get(name)
    text = " ".join(str(value).split()) if value is not None else ""
    if required and not text:
        raise FineError(
            f"Συμπληρώστε: {label_el}.", f"Please fill in: {label_en}.", code="missing", field=name
        )
    if len(text) > limit:
        raise FineError(
            f"Το πεδίο «{label_el}» ξεπερνά τους {limit} χαρακτήρες.",
            f"The field “{label_en}” is longer than {limit} characters.",
            code="too-long",
            field=name,
        )
    return text


def clean_ticket_date(value, today):
    """The ticket's date (31/03/2026 or 2026-03-31), not in the future."""
    try:
        day = clean_date(value)
    except BilingualError:
        shown = str(value or "").strip()[:20]
        raise FineError(
            f"Μη αποδεκτή ημερομηνία κλήσης «{shown}»· γράψτε π.χ. 31/03/2026.",
            f"Ticket date “{shown}” not accepted; write e.g. 31/03/2026.",
            code="bad-date",
            field="date",
        ) from None
    if day > today:
        raise FineError(
            f"Η ημερομηνία της κλήσης ({day:%d/%m/%Y}) είναι μεταγενέστερη της σημερινής.",
            f"The ticket's date ({day:%d/%m/%Y}) is later than today.",
            code="future-date",
            field="date",
        )
    return day


def clean_time(value):
    """``"14:05"`` (or ``14.05``), or None when not given."""
    text = str(value or "").strip()
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise FineError(
            f"Μη αποδεκτή ώρα «{text[:10]}»· γράψτε π.χ. 14:05.",
            f"Time “{text[:10]}” not accepted; write e.g. 14:05.",
            code="bad-time",
            field="time",
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def find_offence(offences, token):
    """The Offence ``token`` of the table; FineError (``unknown-offence``) if it has none."""
    token = str(token or "").strip()
    if token in offences:
        return offences[token]
    if not token:
        raise FineError(
            "Επιλέξτε την παράβαση που αναγράφει η κλήση.",
            "Choose the offence written on the ticket.",
            code="missing",
            field="offence",
        )
    raise FineError(
        f"Άγνωστη παράβαση «{token[:40]}»· επιλέξτε μία από τον κατάλογο.",
        f"Unknown offence “{token[:40]}”; choose one from the list.",
        code="unknown-offence",
        field="offence",
        accepted=list(offences),
    )


def clean_fine_amount(value):
    """A positive amount in cents from euros as written (``"80,00"``, ``"80.00"``, ``80``)."""
    try:
        cents = parse_amount(value if value is not None else "")
    except BilingualError as error:
        raise FineError(
            error.message_el, error.message_en, code="bad-amount", field="amount"
        ) from None
    if cents <= 0:
        raise FineError(
            "Το ποσό του προστίμου πρέπει να είναι θετικό.",
            "The fine's amount must be positive.",
            code="bad-amount",
            field="amount",
        )
    return cents


def _common(data, today, place_required):
    ticket = normalise_ticket(data.get("ticket"))
    plate = normalise_plate(data.get("plate"))
    details = {
        "issued_on": clean_ticket_date(data.get("date"), today),
        "time": clean_time(data.get("time")),
        "place": _text(data, "place", 200, place_required, "Τόπος παράβασης", "Place"),
    }
    return ticket, plate, details


def _from_offence(offence):
    return {
        "offence": offence.token,
        "article": offence.article,
        "title_el": offence.title_el,
        "title_en": offence.title_en,
        "amount_cents": offence.amount_cents,
    }


def clean_declaration(data, offences, today):
    """A citizen's declaration of a ticket; the amount is the table's."""
    ticket, plate, details = _common(data, today, place_required=False)
    details.update(_from_offence(find_offence(offences, data.get("offence"))))
    return ticket, plate, details, {}


def _staff_offence(data, offences):
    if str(data.get("offence") or "").strip():
        details = _from_offence(find_offence(offences, data.get("offence")))
        if data.get("amount") not in (None, ""):
            details["amount_cents"] = clean_fine_amount(data.get("amount"))
        return details
    article = _text(data, "article", 100, True, "Άρθρο ΚΟΚ", "ΚΟΚ article")
    title = _text(data, "description", 300, True, "Περιγραφή παράβασης", "Offence")
    return {
        "offence": None,
        "article": article,
        "title_el": title,
        "title_en": title,
        "amount_cents": clean_fine_amount(data.get("amount")),
    }


def clean_registration(data, offences, today):
    """A fine the police registers; ``extra`` holds the offender's ``afm`` and ``name`` if known."""
    ticket, plate, details = _common(data, today, place_required=True)
    details.update(_staff_offence(data, offences))
    extra = {"afm": None, "name": None}
    if str(data.get("afm") or "").strip():
        try:
            extra["afm"] = clean_afm(data.get("afm"))
        except BilingualError as error:
            raise FineError(
                error.message_el, error.message_en, code="bad-afm", field="afm"
            ) from None
    if str(data.get("name") or "").strip():
        extra["name"] = clean_name(data.get("name"))
    return ticket, plate, details, extra
