"""Σημείο WiFi: one public WiFi spot (a square, a pedestrian street)."""

from dimos.hotspots import _
from dimos.hotspots import geo
from dimos.hotspots.validation import BilingualFieldError
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant

import re


STATUSES = ("in_service", "maintenance", "out_of_service")

_CONTROLLER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_MAC = re.compile(
    r"^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(\1[0-9a-f]{2}){4}$|^[0-9a-f]{4}(\.[0-9a-f]{4}){2}$"
)


class HotspotValueError(BilingualFieldError):
    """A field value a Hotspot cannot take, said in Greek and English."""

    def __init__(self, message_el, message_en):
        super().__init__(f"{message_el} / {message_en}")
        self.message_el = message_el
        self.message_en = message_en


def ssid_constraint(value):
    """An SSID is 1 to 32 bytes (IEEE 802.11), here in UTF-8, without control characters."""
    if not value or len(value.encode("utf-8")) > 32:
        raise HotspotValueError(
            "Το SSID πρέπει να έχει από 1 έως 32 bytes (κάθε ελληνικό γράμμα μετράει 2).",
            "The SSID must be 1 to 32 bytes long (Greek letters take 2 bytes each).",
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise HotspotValueError(
            "Το SSID δεν μπορεί να περιέχει χαρακτήρες ελέγχου.",
            "The SSID cannot contain control characters.",
        )
    return True


def controller_id_constraint(value):
    if not _CONTROLLER_ID.match(value or ""):
        raise HotspotValueError(
            "Το αναγνωριστικό του ελεγκτή έχει 1 έως 64 λατινικούς χαρακτήρες, ψηφία, «.», «_», "
            "«:» ή «-» (όπως το δείχνει ο ελεγκτής, π.χ. μια διεύθυνση MAC).",
            "The controller id is 1 to 64 Latin letters, digits, '.', '_', ':' or '-' "
            "(as the access-point controller shows it, e.g. a MAC address).",
        )
    return True


def latitude_constraint(value):
    try:
        geo.check_point(value, 0, bounds=None)
    except geo.CoordinatesError as error:
        raise HotspotValueError(error.el, error.en) from None
    return True


def longitude_constraint(value):
    try:
        geo.check_point(0, value, bounds=None)
    except geo.CoordinatesError as error:
        raise HotspotValueError(error.el, error.en) from None
    return True


def controller_key(value):
    """``value`` as compared for uniqueness: case-insensitive; a MAC address without separators."""
    text = str(value or "").strip().lower()
    bare = re.sub(r"[:.-]", "", text)
    return bare if _MAC.match(text) else text


def _value(data, name):
    """The invariant's ``data.<name>``, or None when the form could not read it (a field error)."""
    try:
        return getattr(data, name, None)
    except Exception:  # noqa: BLE001 - z3c.form's Data may fail to look the value up
        return None


class IHotspot(model.Schema):
    latitude = schema.Float(
        title=_("Γεωγραφικό πλάτος / Latitude"),
        description=_(
            "Δεκαδικές μοίρες WGS 84, π.χ. 38.0123 / WGS 84 decimal degrees, e.g. 38.0123"
        ),
        required=True,
        constraint=latitude_constraint,
    )
    longitude = schema.Float(
        title=_("Γεωγραφικό μήκος / Longitude"),
        description=_(
            "Δεκαδικές μοίρες WGS 84, π.χ. 23.7012 / WGS 84 decimal degrees, e.g. 23.7012"
        ),
        required=True,
        constraint=longitude_constraint,
    )
    address = schema.TextLine(title=_("Διεύθυνση / Address"), required=True)
    area = schema.Choice(
        title=_("Περιοχή / Area"),
        description=_(
            "Η δημοτική κοινότητα του σημείου· εκδηλώσεις και ειδοποιήσεις πάνε με αυτήν. / "
            "The municipal community the spot is in; events and alerts go by it."
        ),
        vocabulary="dimos.hotspots.Areas",
        required=False,
    )
    ssid = schema.TextLine(title=_("SSID"), required=True, constraint=ssid_constraint)
    controller_id = schema.TextLine(
        title=_("Αναγνωριστικό στον ελεγκτή / Access-point controller id"),
        description=_(
            "Με αυτό το αναγνωρίζει ο ελεγκτής (π.χ. η MAC)· μοναδικό. / "
            "The id the controller knows this spot by (e.g. its MAC); unique."
        ),
        required=True,
        constraint=controller_id_constraint,
    )
    status = schema.Choice(
        title=_("Κατάσταση / Status"),
        vocabulary="dimos.hotspots.Statuses",
        default="in_service",
        required=True,
    )

    @invariant
    def coordinates_in_service_area(data):
        latitude, longitude = _value(data, "latitude"), _value(data, "longitude")
        if latitude is None or longitude is None:
            return  # required or not a number: the field itself says so
        try:
            geo.check_point(latitude, longitude, bounds=service_area())
        except geo.CoordinatesError as error:
            raise Invalid(f"{error.el} / {error.en}") from None

    @invariant
    def controller_id_unique(data):
        controller_id = _value(data, "controller_id")
        if not controller_id:
            return
        other = hotspot_with_controller(controller_id, exclude=getattr(data, "__context__", data))
        if other is not None:
            raise Invalid(
                f"Το αναγνωριστικό ελεγκτή «{controller_id}» το έχει ήδη το σημείο "
                f"«{other.Title()}». / "
                f"The controller id “{controller_id}” is already used by the hotspot "
                f"“{other.Title()}”."
            )


def hotspot_with_controller(controller_id, exclude=None):
    """The Hotspot in ``/hotspots`` with ``controller_id`` (not ``exclude``), or None."""
    from Acquisition import aq_base
    from plone import api

    try:
        folder = api.portal.get().get("hotspots")
    except Exception:  # noqa: BLE001 - no site: nothing to compare with
        return None
    if folder is None:
        return None
    key = controller_key(controller_id)
    excluded = aq_base(exclude) if exclude is not None else None
    for spot in folder.objectValues():
        if getattr(aq_base(spot), "portal_type", None) != "Hotspot" or aq_base(spot) is excluded:
            continue
        if controller_key(getattr(spot, "controller_id", None)) == key:
            return spot
    return None


class ICoordinateField(Interface):
    """Marks the latitude and longitude fields: the form reads them as plain decimal degrees.

    The form's own number converter follows the visitor's locale, and in Greek
    a point is a thousands separator, so "38.0123" would become 380123 (see
    ``browser/validation.py``).
    """


alsoProvides(IHotspot["latitude"], ICoordinateField)
alsoProvides(IHotspot["longitude"], ICoordinateField)


def service_area():
    """The registry's service area, or Greece when it is not set."""
    from plone import api

    try:
        text = api.portal.get_registry_record("dimos.hotspots.service_area", default=None)
    except Exception:  # noqa: BLE001 - no site (plain Python use): Greece
        text = None
    if not text:
        return geo.GREECE
    return geo.parse_bounds(text)


@implementer(IHotspot)
class Hotspot(Item):
    """``last_seen`` (a UTC datetime or None) is set by the usage reports, not by the form."""

    last_seen = None

    def point(self):
        return geo.Point(self.latitude, self.longitude)
