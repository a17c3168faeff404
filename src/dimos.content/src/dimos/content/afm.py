"""Greek tax numbers (ΑΦΜ): nine digits, the last a check digit.

The check digit is the sum of the first eight digits weighted by 2^8 ... 2^1,
modulo 11, modulo 10. Pure Python, no Zope.
"""


class InvalidAFM(ValueError):
    """The value is not a valid ΑΦΜ; ``reason`` is a code for the message."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def afm_check_digit(first_eight):
    total = sum(int(digit) << (8 - position) for position, digit in enumerate(first_eight))
    return total % 11 % 10


def clean_afm(value):
    """The ΑΦΜ as nine digits, or InvalidAFM.

    Spaces and an ``EL`` prefix (as on VIES) are tolerated; anything else is an error.
    """
    text = "".join((value or "").split()).upper()
    if text.startswith(("EL", "ΕΛ")):
        text = text[2:]
    if not text.isascii() or not text.isdigit():
        raise InvalidAFM("not-digits")
    if len(text) != 9:
        raise InvalidAFM("length")
    if text == "000000000":
        raise InvalidAFM("zero")
    if afm_check_digit(text[:8]) != int(text[8]):
        raise InvalidAFM("check-digit")
    return text
