"""Τόπος εκδήλωσης («dimos.hotspots.place»): where an Event happens, for the programme.

An event may name the municipal area it takes place in, its coordinates, both
or neither. With neither it is municipality-wide (a festival across town, a
campaign): it shows in every area's programme and on every hotspot's portal.
With coordinates it also shows on the portal of every hotspot within the
registry's ``dimos.hotspots.events_radius_km``.

Latitude and longitude go together and must lie in the registry's service
area (``content.hotspot.service_area``); ``check_place`` says why not, in
Greek and English, and is plain Python.
"""

from dimos.hotspots import _
from dimos.hotspots import geo
from dimos.hotspots.validation import BilingualFieldError
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant
from zope.interface import provider
from zope.schema.interfaces import IFloat
from zope.schema.interfaces import IFromUnicode


class CoordinateInvalid(BilingualFieldError):
    """A coordinate that is not a number; the message is Greek / English."""


class ICoordinate(IFloat):
    """A latitude or longitude in decimal degrees."""


@implementer(ICoordinate, IFromUnicode)
class Coordinate(schema.Float):
    """A Float whose text form (REST, imports) is read as ``geo`` reads it, with its bilingual errors."""

    def fromUnicode(self, value):
        if not str(value).strip():
            return None
        try:
            number = geo._number(value, self._what_el, self._what_en)
        except geo.CoordinatesError as error:
            raise CoordinateInvalid(f"{error.el} / {error.en}").with_field_and_value(
                self, value
            ) from None
        self.validate(number)
        return number

    _what_el = "γεωγραφικό πλάτος"
    _what_en = "latitude"

    def read(self, value):
        """A JSON value (number, text or null) as the coordinate it stands for."""
        if value is None or isinstance(value, bool):
            if value is None:
                return None
            raise CoordinateInvalid(
                f"Το {self._what_el} πρέπει να είναι αριθμός. / The {self._what_en} must be a number."
            )
        if isinstance(value, (int, float)):
            return self.fromUnicode(repr(float(value)))
        return self.fromUnicode(str(value))


class Longitude(Coordinate):
    _what_el = "γεωγραφικό μήκος"
    _what_en = "longitude"


class CoordinateDeserializer:
    """plone.restapi: a coordinate may come as a JSON number (integer too) or as text."""

    def __init__(self, field, context, request):
        self.field = field.bind(context)

    def __call__(self, value):
        return self.field.read(value)


def check_place(latitude, longitude, bounds=geo.GREECE):
    """The event's Point, or None when it has no coordinates; CoordinatesError if they are wrong."""
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        raise geo.CoordinatesError(
            "Δώστε και γεωγραφικό πλάτος και γεωγραφικό μήκος, ή κανένα από τα δύο "
            "(εκδήλωση σε όλο τον δήμο).",
            "Give both latitude and longitude, or neither (a municipality-wide event).",
        )
    return geo.check_point(latitude, longitude, bounds=bounds)


@provider(IFormFieldProvider)
class IPlace(model.Schema):
    """Where an event takes place: an area of the municipality and/or a point."""

    model.fieldset(
        "place",
        label=_("Τόπος / Place"),
        fields=["area", "latitude", "longitude"],
    )

    area = schema.Choice(
        title=_("Περιοχή / Area"),
        description=_(
            "Η περιοχή του δήμου όπου γίνεται η εκδήλωση· κενό με κενές συντεταγμένες: "
            "σε όλο τον δήμο. / The municipal area of the event; empty with no coordinates: "
            "municipality-wide."
        ),
        vocabulary="dimos.hotspots.Areas",
        required=False,
    )
    latitude = Coordinate(
        title=_("Γεωγραφικό πλάτος / Latitude"),
        description=_("WGS 84, δεκαδικές μοίρες, π.χ. 40.6322 / WGS 84 decimal degrees"),
        required=False,
    )
    longitude = Longitude(
        title=_("Γεωγραφικό μήκος / Longitude"),
        description=_("WGS 84, δεκαδικές μοίρες, π.χ. 22.9420 / WGS 84 decimal degrees"),
        required=False,
    )

    @invariant
    def coordinates_in_service_area(data):
        from dimos.hotspots.content.hotspot import service_area

        try:
            check_place(
                getattr(data, "latitude", None),
                getattr(data, "longitude", None),
                bounds=service_area(),
            )
        except geo.CoordinatesError as error:
            raise Invalid(f"{error.el} / {error.en}") from None


def place_of(event):
    """``(area token or None, Point or None)`` of an Event (or of the event of an occurrence)."""
    area = getattr(event, "area", None) or None
    lat = getattr(event, "latitude", None)
    lon = getattr(event, "longitude", None)
    point = geo.Point(lat, lon) if lat is not None and lon is not None else None
    return area, point
