"""Έκτακτη ειδοποίηση: an emergency alert with the CAP 1.2 fields (OASIS Common Alerting Protocol).

The title is the CAP ``headline`` and the description its ``description``.
``cap_effective``/``cap_expires`` are CAP's ``effective``/``expires``; they are
copied to the item's Dublin Core effective/expiration dates so that the
catalog's ``effective``/``expires`` indexes find the current alerts.
An alert with neither polygons nor circles covers the whole municipality.
"""

from dimos.content.content.base import WorkflowConditionsMixin
from dimos.hotspots import _
from dimos.hotspots import geo
from dimos.hotspots.alerts import times
from dimos.hotspots.validation import BilingualFieldError
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class ShapeError(BilingualFieldError):
    """A polygon or circle line that is not CAP's; the message is Greek / English."""


def _lines_constraint(parse):
    """Each line must parse (geo.parse_cap_*); the first bad one is named, in both languages."""

    def constraint(lines):
        for number, line in enumerate(lines or (), start=1):
            try:
                parse(line)
            except geo.CoordinatesError as error:
                raise ShapeError(
                    f"Γραμμή {number}: {error.el} / Line {number}: {error.en}"
                ) from None
        return True

    return constraint


polygons_constraint = _lines_constraint(geo.parse_cap_polygon)
circles_constraint = _lines_constraint(geo.parse_cap_circle)

EXPIRES_BEFORE_EFFECTIVE = (
    "Η ειδοποίηση πρέπει να λήγει μετά την έναρξη ισχύος της. / "
    "An alert must expire after it takes effect."
)


class IAlert(model.Schema):
    event = schema.TextLine(
        title=_("Event"),
        description=_("What is happening, in a few words, e.g. 'Flood', 'Heatwave'."),
        required=True,
    )
    categories = schema.List(
        title=_("Category (CAP)"),
        value_type=schema.Choice(vocabulary="dimos.hotspots.CapCategories"),
        required=True,
        min_length=1,
        default=["Safety"],
    )
    cap_status = schema.Choice(
        title=_("Status (CAP)"),
        description=_("'Exercise' and 'Test' alerts are not shown on the hotspots."),
        vocabulary="dimos.hotspots.CapStatuses",
        default="Actual",
        required=True,
    )
    urgency = schema.Choice(
        title=_("Urgency"), vocabulary="dimos.hotspots.CapUrgencies", required=True
    )
    severity = schema.Choice(
        title=_("Severity"), vocabulary="dimos.hotspots.CapSeverities", required=True
    )
    certainty = schema.Choice(
        title=_("Certainty"), vocabulary="dimos.hotspots.CapCertainties", required=True
    )
    response_type = schema.Choice(
        title=_("Recommended response"),
        vocabulary="dimos.hotspots.CapResponseTypes",
        required=False,
    )
    cap_effective = schema.Datetime(title=_("Effective from"), required=True)
    cap_expires = schema.Datetime(title=_("Expires"), required=True)
    instruction = schema.Text(title=_("Instructions to the public"), required=False)
    area_desc = schema.TextLine(
        title=_("Area"),
        description=_("The affected area in words, e.g. 'Whole municipality', 'Old town'."),
        required=True,
    )
    polygons = schema.List(
        title=_("Polygons"),
        description=_(
            "One per line, CAP style: 'lat,lon lat,lon … lat,lon', closed (the first point again "
            "at the end). Empty polygons and circles: the whole municipality."
        ),
        value_type=schema.TextLine(),
        constraint=polygons_constraint,
        required=False,
        default=[],
    )
    circles = schema.List(
        title=_("Circles"),
        description=_("One per line, CAP style: 'lat,lon radius_km'."),
        value_type=schema.TextLine(),
        constraint=circles_constraint,
        required=False,
        default=[],
    )
    headline_en = schema.TextLine(title=_("Headline in English"), required=False)
    description_en = schema.Text(title=_("Description in English"), required=False)
    instruction_en = schema.Text(title=_("Instructions in English"), required=False)
    contact = schema.TextLine(title=_("Contact"), required=False)

    @invariant
    def expires_after_effective(data):
        effective = times.aware(data.cap_effective)
        expires = times.aware(data.cap_expires)
        if effective and expires and expires <= effective:
            raise Invalid(EXPIRES_BEFORE_EFFECTIVE)


@implementer(IAlert)
class Alert(Item, WorkflowConditionsMixin):
    """The CAP bookkeeping is kept by alerts/subscribers.py, not by the form.

    ``identifier``: stable and unique, set when the alert is created.
    ``messages``: the CAP messages sent so far, ``(identifier, sent, msgType)``
    each (the first is ``identifier`` itself, later ones ``identifier.N``);
    ``sent``: when the last was sent (publish, each edit while published,
    withdraw); ``version``: how many updates followed the first.
    """

    identifier = None
    sent = None
    version = 0
    messages = ()
    withdrawn = None
