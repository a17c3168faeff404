"""Σημείο WiFi: one public WiFi spot (a square, a pedestrian street)."""

from dimos.hotspots import _
from dimos.hotspots import geo
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant

import re


STATUSES = ("in_service", "maintenance", "out_of_service")

_CONTROLLER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def ssid_constraint(value):
    """An SSID is 1 to 32 bytes (IEEE 802.11), here in UTF-8, without control characters."""
    if not value or len(value.encode("utf-8")) > 32:
        raise Invalid(_("The SSID must be 1 to 32 bytes long (Greek letters take 2 bytes each)."))
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise Invalid(_("The SSID cannot contain control characters."))
    return True


def controller_id_constraint(value):
    if not _CONTROLLER_ID.match(value or ""):
        raise Invalid(
            _(
                "The controller id is 1 to 64 Latin letters, digits, '.', '_', ':' or '-' "
                "(as the access-point controller shows it, e.g. a MAC address)."
            )
        )
    return True


class IHotspot(model.Schema):
    latitude = schema.Float(
        title=_("Latitude"),
        description=_("WGS 84 decimal degrees, e.g. 40.6322"),
        required=True,
    )
    longitude = schema.Float(
        title=_("Longitude"),
        description=_("WGS 84 decimal degrees, e.g. 22.9420"),
        required=True,
    )
    address = schema.TextLine(title=_("Address"), required=True)
    area = schema.Choice(
        title=_("Area"),
        description=_("The municipal community the spot is in; events and alerts go by it."),
        vocabulary="dimos.hotspots.Areas",
        required=False,
    )
    ssid = schema.TextLine(title=_("SSID"), required=True, constraint=ssid_constraint)
    controller_id = schema.TextLine(
        title=_("Access-point controller id"),
        description=_("The id the controller knows this spot by; unique."),
        required=True,
        constraint=controller_id_constraint,
    )
    status = schema.Choice(
        title=_("Status"),
        vocabulary="dimos.hotspots.Statuses",
        default="in_service",
        required=True,
    )

    @invariant
    def coordinates_in_service_area(data):
        try:
            geo.check_point(data.latitude, data.longitude, bounds=service_area())
        except geo.CoordinatesError as error:
            raise Invalid(f"{error.el} / {error.en}") from None


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
