"""The add/edit form and the REST API read coordinates as plain decimal degrees.

z3c.form's number converter follows the request's locale: in Greek the
point is the thousands separator, so "38.0123" became 380123, and numbers
were shown rounded to three decimals (so an edit lost precision). Here
"38.0123" and "38,0123" both mean 38.0123, numbers are shown in full, and
text that is not a number gets a Greek/English message. The other errors
(range, service area, swapped coordinates, SSID, controller id) come from
the schema itself (``content/hotspot.py``), so the REST API says the same.

plone.restapi's own deserializer refuses a whole number (JSON ``38``) for a
Float field ("Object is of wrong type."); ``CoordinateDeserializer`` takes
numbers and number-like text and says in Greek and English what is wrong.
"""

from dimos.hotspots.content.hotspot import HotspotValueError
from dimos.hotspots.content.hotspot import ICoordinateField
from dimos.hotspots.content.hotspot import IHotspot
from plone.restapi.interfaces import IFieldDeserializer
from z3c.form.converter import BaseDataConverter
from z3c.form.converter import FormatterValidationError
from z3c.form.interfaces import ITextWidget
from zope.component import adapter
from zope.interface import implementer
from zope.publisher.interfaces.browser import IBrowserRequest

import math
import re


_DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")

MESSAGES = {
    "latitude": ("γεωγραφικό πλάτος", "latitude"),
    "longitude": ("γεωγραφικό μήκος", "longitude"),
}


def not_a_number(field_name):
    """The (Greek, English) message for a coordinate that is not a number."""
    what_el, what_en = MESSAGES.get(field_name, ("πεδίο", "field"))
    return (
        f"Το {what_el} πρέπει να είναι αριθμός σε δεκαδικές μοίρες, π.χ. 38.0123 "
        f"(χωρίς σύμβολο μοιρών ° και λεπτά).",
        f"The {what_en} must be a number in decimal degrees, e.g. 38.0123 "
        f"(no degree sign or minutes).",
    )


def parse_degrees(text):
    """``"38.0123"``, ``"38,0123"``, ``"−23.7"`` as a float; None when it is not such a number."""
    text = str(text).strip().replace("\u2212", "-").replace(" ", "")
    if not _DECIMAL.match(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


@adapter(ICoordinateField, ITextWidget)
class CoordinateConverter(BaseDataConverter):
    def toWidgetValue(self, value):
        if value is None or value == self.field.missing_value:
            return ""
        return repr(float(value))

    def toFieldValue(self, value):
        text = (value or "").strip()
        if text == "":
            return self.field.missing_value
        number = parse_degrees(text)
        if number is None:
            el, en = not_a_number(self.field.__name__)
            raise FormatterValidationError(f"{el} / {en}", value)
        return number


@implementer(IFieldDeserializer)
@adapter(ICoordinateField, IHotspot, IBrowserRequest)
class CoordinateDeserializer:
    """A coordinate from JSON: a number, or text such as ``"38.0123"`` / ``"38,0123"``."""

    def __init__(self, field, context, request):
        self.field = field.bind(context)
        self.context = context
        self.request = request

    def __call__(self, value):
        number = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value) if math.isfinite(value) else None
        elif isinstance(value, str):
            number = parse_degrees(value)
        if number is None:
            raise HotspotValueError(*not_a_number(self.field.__name__))
        self.field.validate(number)
        return number
