"""An alert's polygons, circles and times are checked as they are typed, with bilingual errors.

Plain zope.schema: no site needed.
"""

from dimos.hotspots.content.alert import IAlert
from types import SimpleNamespace
from zope.interface import Invalid
from zope.schema.interfaces import ValidationError

import datetime
import pytest


SQUARE = "40.0,22.0 40.0,22.02 40.02,22.02 40.02,22.0 40.0,22.0"


def contained_error(field, value):
    with pytest.raises(ValidationError) as info:
        IAlert[field].validate(["40.0,22.0 1" if field == "circles" else SQUARE, value])
    assert isinstance(info.value, Invalid)
    message = info.value.doc()
    assert message.startswith("Γραμμή 2: ") and " / Line 2: " in message
    return message


def test_good_shapes_pass():
    IAlert["polygons"].validate([SQUARE])
    IAlert["circles"].validate(["40.01,22.1 1.5", "40.0,22.0 0"])


@pytest.mark.parametrize(
    ("value", "greek", "english"),
    [
        ("40.0,22.0 40.0,22.02 40.0,22.0", "τουλάχιστον 4 σημεία", "at least 4 points"),
        ("40.0,22.0 40.0,22.02 40.02,22.02 40.02,22.0", "δεν κλείνει", "not closed"),
        ("40.0;22.0 40.0,22.02 40.02,22.02 40.0;22.0", "πλάτος,μήκος", "lat,lon"),
        ("40.0,abc 40.0,22.02 40.02,22.02 40.0,abc", "δεν είναι αριθμός", "not a number"),
        ("95.0,22.0 40.0,22.02 40.02,22.02 95.0,22.0", "εκτός ορίων", "out of range"),
    ],
)
def test_bad_polygon_rejected_in_both_languages(value, greek, english):
    message = contained_error("polygons", value)
    assert greek in message and english in message
    assert message.index(greek) < message.index(" / ") < message.index(english)


@pytest.mark.parametrize(
    ("value", "greek", "english"),
    [
        ("40.0,22.0", "ακτίνα_σε_km", "radius_km"),
        ("40.0,22.0 -1", "αρνητική", "negative"),
        ("40.0,22.0 far", "δεν είναι αριθμός", "not a number"),
        ("40.0;22.0 1", "πλάτος,μήκος", "lat,lon"),
    ],
)
def test_bad_circle_rejected_in_both_languages(value, greek, english):
    message = contained_error("circles", value)
    assert greek in message and english in message


def alert_data(effective, expires):
    return SimpleNamespace(cap_effective=effective, cap_expires=expires)


def test_expiry_must_follow_effective():
    start = datetime.datetime(2026, 11, 22, 10, 0)
    IAlert.validateInvariants(alert_data(start, start + datetime.timedelta(minutes=1)))
    for expires in (start, start - datetime.timedelta(hours=1)):
        with pytest.raises(Invalid) as info:
            IAlert.validateInvariants(alert_data(start, expires))
        message = str(info.value)
        assert "λήγει μετά" in message and "expire after it takes effect" in message


def test_invariant_compares_naive_and_aware_times():
    """A naive time (the date widget's) is Athens time: 10:00 naive is 08:00 UTC."""
    naive = datetime.datetime(2026, 11, 22, 10, 0)
    utc_before = datetime.datetime(2026, 11, 22, 7, 30, tzinfo=datetime.UTC)
    with pytest.raises(Invalid):
        IAlert.validateInvariants(alert_data(naive, utc_before))
    IAlert.validateInvariants(alert_data(naive, utc_before + datetime.timedelta(hours=1)))
