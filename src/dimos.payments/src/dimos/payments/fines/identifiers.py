"""Licence plates and ticket numbers of traffic fines, as citizens type them and as we keep them.

Greek plates use only the 14 capital letters that look the same in Greek
and Latin (Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ), so a citizen typing ``IKA1234`` on
a Latin keyboard, ``ικα 1234`` or ``ΙΚΑ-1234`` means the same plate.
``normalise_plate`` folds case, accents, Latin look-alikes, spaces and
hyphens and answers the canonical form ``ΙΚΑ-1234`` (2 or 3 letters, 1 to 4
digits: cars, motorcycles and the older two-letter plates). Foreign and
special plates (diplomatic, military) are not accepted here.

A ticket number (αριθμός κλήσης) is an optional series of up to three
letters (folded the same way) followed by 4 to 12 digits; spaces, hyphens
and dots are ignored: ``Α 123-456`` → ``Α123456``.

Errors are ``FineError`` (Greek and English, with the ``field``). No Zope
or Plone imports.
"""

from dimos.payments.bilingual import BilingualError

import re
import unicodedata


GREEK_PLATE_LETTERS = "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
LATIN_LOOKALIKES = "ABEZHIKMNOPTYX"
_TO_GREEK = str.maketrans(LATIN_LOOKALIKES, GREEK_PLATE_LETTERS)
_SEPARATORS = re.compile(r"[\s\u00a0\u2010-\u2015\-.·]+")
_PLATE = re.compile(rf"([{GREEK_PLATE_LETTERS}]{{2,3}})(\d{{1,4}})")
_TICKET = re.compile(r"([Α-Ω]{0,3})(\d{4,12})")


class FineError(BilingualError):
    """A traffic fine's detail is not acceptable; ``field`` names it."""

    code = "bad-fine"


def fold(text):
    """Upper case, no accents, Latin look-alikes as Greek letters, no separators."""
    decomposed = unicodedata.normalize("NFD", str(text or "").strip().upper())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub("", bare).translate(_TO_GREEK)


def normalise_plate(text):
    """The canonical plate ``ΙΚΑ-1234`` of ``text``; FineError (``bad-plate``) if it is not one."""
    match = _PLATE.fullmatch(fold(text))
    if match is None:
        shown = str(text or "").strip()[:20]
        raise FineError(
            f"Ο αριθμός κυκλοφορίας «{shown}» δεν είναι ελληνική πινακίδα· γράψτε τον όπως "
            "στην κλήση, π.χ. ΙΚΑ-1234 (ελληνικοί ή λατινικοί χαρακτήρες).",
            f"The licence plate “{shown}” is not a Greek plate; write it as on the ticket, "
            "e.g. IKA-1234 (Greek or Latin letters).",
            code="bad-plate",
            field="plate",
        )
    letters, digits = match.groups()
    return f"{letters}-{digits}"


def normalise_ticket(text):
    """The canonical ticket number of ``text``; FineError (``bad-ticket``) if it is not one."""
    match = _TICKET.fullmatch(fold(text))
    if match is None:
        shown = str(text or "").strip()[:24]
        raise FineError(
            f"Ο αριθμός κλήσης «{shown}» δεν είναι έγκυρος· γράψτε τον όπως στην κλήση "
            "(έως 3 γράμματα σειράς και 4 έως 12 ψηφία).",
            f"The ticket number “{shown}” is not valid; write it as on the ticket "
            "(up to 3 series letters and 4 to 12 digits).",
            code="bad-ticket",
            field="ticket",
        )
    return "".join(match.groups())
