"""Field constraints with messages in the user's language."""

from dimos.content import _
from dimos.content.afm import clean_afm
from dimos.content.afm import InvalidAFM
from zope.schema import ValidationError

import re


class InvalidAFMError(ValidationError):
    __doc__ = _(
        "This is not a valid tax number (ΑΦΜ): it must be 9 digits with a correct check digit."
    )


class InvalidADAError(ValidationError):
    __doc__ = _(
        "This is not a Diavgeia posting number (ΑΔΑ): expected capital Greek letters and digits, "
        "like 6ΧΙΥΩΚ9-4ΑΟ."
    )


class InvalidPhoneError(ValidationError):
    __doc__ = _("This is not a phone number: use digits, spaces and an optional leading +.")


class InvalidEmailError(ValidationError):
    __doc__ = _("This is not an e-mail address (like name@example.gr).")


class NotAPDFError(ValidationError):
    __doc__ = _("The file is not a PDF document.")


def afm_constraint(value):
    try:
        clean_afm(value)
    except InvalidAFM:
        raise InvalidAFMError(value) from None
    return True


# Latin capitals that look like Greek ones: an ΑΔΑ typed on a Latin keyboard.
_LATIN_TO_GREEK = str.maketrans("ABEZHIKMNOPTYX", "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
_ADA = re.compile(r"^[0-9Α-Ω]{4,12}-[0-9Α-Ω]{3}$")


def normalize_ada(value):
    """An ΑΔΑ in its canonical form: stripped, upper case, Greek letters only."""
    return (value or "").strip().upper().translate(_LATIN_TO_GREEK)


def ada_constraint(value):
    if not _ADA.match(normalize_ada(value)):
        raise InvalidADAError(value)
    return True


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_constraint(value):
    if not _EMAIL.match(value or ""):
        raise InvalidEmailError(value)
    return True


_PHONE = re.compile(r"^\+?[0-9 ]{7,20}$")


def phone_constraint(value):
    if not _PHONE.match(value or ""):
        raise InvalidPhoneError(value)
    return True


def pdf_constraint(value):
    """A NamedBlobFile whose data starts as a PDF does."""
    if value is None:
        return True
    with value.open() as stream:
        head = stream.read(1024)
    if b"%PDF-" not in head:
        raise NotAPDFError(value.filename)
    return True
