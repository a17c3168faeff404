"""Coordinates, distances and CAP 1.2 areas, in plain Python (no Zope imports).

CAP writes a point as ``lat,lon`` (WGS 84 decimal degrees), a polygon as
space-separated points whose first and last are the same (at least four),
and a circle as ``lat,lon radius`` with the radius in kilometres.
"""

from dataclasses import dataclass

import math


EARTH_RADIUS_KM = 6371.0088

# The default service area: Greece with its islands. Coordinates outside it
# are almost always typing slips (latitude and longitude swapped, a lost
# minus sign, degrees-minutes typed as decimals).
GREECE = (34.5, 19.3, 41.8, 29.7)  # min lat, min lon, max lat, max lon


class CoordinatesError(ValueError):
    """Coordinates that cannot be a place the municipality serves; ``el``/``en`` explain why."""

    def __init__(self, el, en):
        super().__init__(en)
        self.el = el
        self.en = en


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Circle:
    centre: Point
    radius_km: float

    def contains(self, point):
        return distance_km(self.centre, point) <= self.radius_km


@dataclass(frozen=True)
class Polygon:
    points: tuple  # of Point, first == last

    def contains(self, point):
        """Ray casting on the plane of (lon, lat): exact enough for a town's areas."""
        inside = False
        pts = self.points
        for a, b in zip(pts, pts[1:], strict=False):
            if (a.lat > point.lat) != (b.lat > point.lat):
                lon_at = a.lon + (point.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat)
                if point.lon < lon_at:
                    inside = not inside
        return inside


def _number(text, what_el, what_en):
    try:
        value = float(str(text).strip().replace("\u2212", "-"))
    except (TypeError, ValueError):
        raise CoordinatesError(
            f"Το {what_el} «{text}» δεν είναι αριθμός (δεκαδικές μοίρες, π.χ. 40.6401).",
            f"The {what_en} “{text}” is not a number (decimal degrees, e.g. 40.6401).",
        ) from None
    if not math.isfinite(value):
        raise CoordinatesError(
            f"Το {what_el} πρέπει να είναι πεπερασμένος αριθμός.",
            f"The {what_en} must be a finite number.",
        )
    return value


def check_point(lat, lon, bounds=GREECE):
    """A Point from ``lat``/``lon`` (numbers or text), or CoordinatesError saying what is wrong."""
    lat = _number(lat, "γεωγραφικό πλάτος", "latitude")
    lon = _number(lon, "γεωγραφικό μήκος", "longitude")
    if not -90 <= lat <= 90:
        raise CoordinatesError(
            f"Γεωγραφικό πλάτος {lat} εκτός ορίων: πρέπει να είναι από -90 έως 90.",
            f"Latitude {lat} is out of range: it must be between -90 and 90.",
        )
    if not -180 <= lon <= 180:
        raise CoordinatesError(
            f"Γεωγραφικό μήκος {lon} εκτός ορίων: πρέπει να είναι από -180 έως 180.",
            f"Longitude {lon} is out of range: it must be between -180 and 180.",
        )
    if bounds is not None:
        min_lat, min_lon, max_lat, max_lon = bounds
        if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
            swapped = min_lat <= lon <= max_lat and min_lon <= lat <= max_lon
            hint_el = " Μήπως αντιστράφηκαν πλάτος και μήκος;" if swapped else ""
            hint_en = " Were latitude and longitude swapped?" if swapped else ""
            raise CoordinatesError(
                f"Οι συντεταγμένες {lat}, {lon} είναι εκτός της περιοχής του δήμου "
                f"({min_lat}–{max_lat} Β, {min_lon}–{max_lon} Α).{hint_el}",
                f"The coordinates {lat}, {lon} lie outside the municipality's area "
                f"({min_lat}–{max_lat} N, {min_lon}–{max_lon} E).{hint_en}",
            )
    return Point(lat, lon)


def parse_bounds(text):
    """``"min_lat,min_lon,max_lat,max_lon"`` (the registry setting) as a tuple of floats."""
    parts = [p for p in str(text or "").replace(";", ",").split(",") if p.strip()]
    if len(parts) != 4:
        raise CoordinatesError(
            "Η περιοχή του δήμου θέλει τέσσερις αριθμούς: ελάχ. πλάτος, ελάχ. μήκος, μέγ. πλάτος, μέγ. μήκος.",
            "The service area needs four numbers: min latitude, min longitude, max latitude, max longitude.",
        )
    min_lat, min_lon, max_lat, max_lon = (_number(p, "όριο", "bound") for p in parts)
    if min_lat >= max_lat or min_lon >= max_lon:
        raise CoordinatesError(
            "Τα ελάχιστα όρια της περιοχής πρέπει να είναι μικρότερα από τα μέγιστα.",
            "The service area's minimum bounds must be smaller than its maximum bounds.",
        )
    check_point(min_lat, min_lon, bounds=None)
    check_point(max_lat, max_lon, bounds=None)
    return (min_lat, min_lon, max_lat, max_lon)


def distance_km(a, b):
    """Great-circle distance between two Points (haversine), in kilometres."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _cap_point(text):
    lat, sep, lon = text.partition(",")
    if not sep:
        raise CoordinatesError(
            f"Το σημείο «{text}» πρέπει να γραφτεί «πλάτος,μήκος».",
            f"The point “{text}” must be written “lat,lon”.",
        )
    return check_point(lat, lon, bounds=None)


def parse_cap_polygon(text):
    """A CAP polygon (``"lat,lon lat,lon … lat,lon"``, closed, at least 4 points)."""
    points = tuple(_cap_point(p) for p in str(text).split())
    if len(points) < 4:
        raise CoordinatesError(
            "Ένα πολύγωνο CAP θέλει τουλάχιστον 4 σημεία (το πρώτο ξανά στο τέλος).",
            "A CAP polygon needs at least 4 points (the first again at the end).",
        )
    if points[0] != points[-1]:
        raise CoordinatesError(
            "Το πολύγωνο δεν κλείνει: το τελευταίο σημείο πρέπει να είναι ίδιο με το πρώτο.",
            "The polygon is not closed: its last point must be the same as its first.",
        )
    return Polygon(points)


def parse_cap_circle(text):
    """A CAP circle (``"lat,lon radius_km"``)."""
    centre, _, radius = str(text).strip().partition(" ")
    if not radius.strip():
        raise CoordinatesError(
            f"Ο κύκλος «{text}» πρέπει να γραφτεί «πλάτος,μήκος ακτίνα_σε_km».",
            f"The circle “{text}” must be written “lat,lon radius_km”.",
        )
    radius_km = _number(radius, "ακτίνα", "radius")
    if radius_km < 0:
        raise CoordinatesError(
            "Η ακτίνα του κύκλου δεν μπορεί να είναι αρνητική.",
            "The circle's radius cannot be negative.",
        )
    return Circle(_cap_point(centre), radius_km)


def format_point(point):
    return f"{point.lat:.6f},{point.lon:.6f}".replace(".000000", ".0")
