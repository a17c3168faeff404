"""RF payment codes: ISO 11649 creditor references in the layout DIAS uses for municipalities.

A code is ``RF`` + two ISO 11649 check digits + a reference of digits only::

    RF kk  BBBB  SSSSSSSSSS  cc
           │     │           └ internal check: ISO 7064 MOD 97-10 over B+S
           │     └ order sequence number, zero-padded to 10 digits
           └ the beneficiary (municipality) code given by DIAS, 1 to 9 digits
             (registry record ``dimos.payments.beneficiary_code``, e.g. 9912)

The internal check makes the reference valid by itself (``int(B+S+cc) % 97 ==
1``), so a reference read without its ``RF`` prefix (a bank's statement that
drops it, a clerk typing it) is still checked. With a 9-digit beneficiary code
the reference is 21 characters, the most ISO 11649 allows; with the usual 4
digits a code is 20 characters, printed as ``RF12 9912 0000 0000 0142``.

The mod-97 arithmetic is our own; the tests check every generated code with
python-stdnum's independent ``stdnum.iso11649``. No Zope or Plone imports.
"""

from dimos.payments.bilingual import BilingualError

import re


SEQUENCE_DIGITS = 10
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
MAX_REFERENCE = 21
_SHAPE = re.compile(r"RF(\d\d)([0-9A-Z]{1,21})")
_SPACES = re.compile(r"[\s\u00a0-]+")


class RFError(BilingualError):
    """Not an RF code, or not one of ours."""

    code = "bad-rf"


def _mod97(digits):
    """``int(digits) % 97``, seven digits at a time after the running remainder (ISO 7064)."""
    remainder = 0
    for start in range(0, len(digits), 7):
        remainder = int(f"{remainder}{digits[start : start + 7]}") % 97
    return remainder


def _as_digits(text):
    """Letters as numbers (A=10 ... Z=35), as ISO 11649 and IBAN do."""
    return "".join(str(int(char, 36)) for char in text)


def _check_digits(reference):
    return f"{98 - _mod97(_as_digits(reference + 'RF00')):02d}"


def internal_check(body):
    """The two digits that make ``body + check`` ≡ 1 (mod 97)."""
    return f"{98 - _mod97(body + '00'):02d}"


def check_beneficiary_code(code):
    """The beneficiary code as a string of 1 to 9 digits; RFError otherwise."""
    code = str(code or "").strip()
    if not (code.isascii() and code.isdigit() and 1 <= len(code) <= 9):
        raise RFError(
            f"Ο κωδικός δικαιούχου «{code}» πρέπει να είναι 1 έως 9 ψηφία.",
            f"The beneficiary code “{code}” must be 1 to 9 digits.",
            code="bad-beneficiary-code",
        )
    return code


def make_rf(sequence, beneficiary_code):
    """The RF code (compact, no spaces) of order number ``sequence`` of ``beneficiary_code``."""
    beneficiary_code = check_beneficiary_code(beneficiary_code)
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise TypeError("sequence must be an int")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence must be between 1 and {MAX_SEQUENCE}")
    body = f"{beneficiary_code}{sequence:0{SEQUENCE_DIGITS}d}"
    reference = body + internal_check(body)
    return f"RF{_check_digits(reference)}{reference}"


def normalise_rf(text):
    """``text`` without spaces or dashes, in capitals: ``"rf12 9912 0000"`` → ``"RF1299120000"``."""
    return _SPACES.sub("", str(text or "")).upper()


def format_rf(text):
    """An RF code as printed: groups of four characters."""
    code = normalise_rf(text)
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def is_valid_rf(text):
    """Whether ``text`` (spaces allowed) is a valid ISO 11649 creditor reference, anyone's."""
    shape = _SHAPE.fullmatch(normalise_rf(text))
    if shape is None:
        return False
    check, reference = shape.groups()
    return _mod97(_as_digits(reference + "RF" + check)) == 1


def parse_rf(text, beneficiary_code):
    """The order sequence number an RF code of ``beneficiary_code`` stands for.

    RFError (Greek and English) when the code is malformed, fails its check
    digits, or was not made here (another beneficiary, another layout).
    """
    code = normalise_rf(text)
    if not is_valid_rf(code):
        raise RFError(
            f"Ο κωδικός πληρωμής «{format_rf(code)}» δεν είναι έγκυρος κωδικός RF· ελέγξτε τον.",
            f"The payment code “{format_rf(code)}” is not a valid RF code; please check it.",
            rf=code,
        )
    beneficiary_code = check_beneficiary_code(beneficiary_code)
    reference = code[4:]
    body, check = reference[:-2], reference[-2:]
    expected = len(beneficiary_code) + SEQUENCE_DIGITS
    if (
        len(body) != expected
        or not body.isdigit()
        or not body.startswith(beneficiary_code)
        or internal_check(body) != check
    ):
        raise RFError(
            f"Ο κωδικός πληρωμής «{format_rf(code)}» δεν εκδόθηκε από τον Δήμο.",
            f"The payment code “{format_rf(code)}” was not issued by the municipality.",
            code="foreign-rf",
            rf=code,
        )
    return int(body[len(beneficiary_code) :])
