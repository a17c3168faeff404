"""What a visitor asked the programme for (area, period, hotspot), checked; shared by REST and page.

``select(site, form)`` reads the query (``area``, ``start``, ``end``,
``hotspot``) and returns a ``Selection``, or raises ``ProgrammeError``: a
``BilingualError`` with the HTTP status to answer (400 for bad input, 404
for a hotspot that does not exist).
"""

from dataclasses import dataclass
from dimos.hotspots.programme import query
from dimos.hotspots.programme.period import parse_period
from dimos.hotspots.programme.period import Period
from dimos.hotspots.programme.period import PeriodError
from dimos.hotspots.programme.period import seconds_to_midnight
from dimos.hotspots.setuphandlers import hotspot_folder
from dimos.hotspots.vocabularies import area_title
from dimos.hotspots.vocabularies import areas
from dimos.policy.bilingual import BilingualError
from plone import api


MICROCACHE_SECONDS = 60


class ProgrammeError(BilingualError):
    def __init__(self, message_el, message_en, code, status=400, **details):
        super().__init__(message_el, message_en, code=code, **details)
        self.status = status


@dataclass(frozen=True)
class Selection:
    period: Period
    area: str = None  # an area token, or None: every area
    hotspot: object = None  # a Hotspot: what is near it

    def occurrences(self, site):
        start, end = self.period.bounds()
        if self.hotspot is not None:
            return query.occurrences_near(self.hotspot, start, end)
        return query.occurrences_in(site, start, end, area=self.area)

    def area_title(self, lang="el"):
        return area_title(self.area, lang) if self.area else None


def _text(form, name, limit=64):
    value = form.get(name, "")
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return value.strip()[:limit] if isinstance(value, str) else ""


def check_area(text):
    """The area token ``text`` (None when empty); ProgrammeError if there is no such area."""
    if not text:
        return None
    tokens = [token for token, _el, _en in areas()]
    if text not in tokens:
        raise ProgrammeError(
            f"Δεν υπάρχει περιοχή «{text}». Περιοχές: {', '.join(tokens)}.",
            f"There is no area “{text}”. Areas: {', '.join(tokens)}.",
            code="unknown-area",
            areas=tokens,
        )
    return text


def find_hotspot(site, text):
    """The Hotspot ``text`` of ``/hotspots`` the visitor may see; ProgrammeError 404 if none."""
    if not text:
        return None
    folder = hotspot_folder(site)
    spot = folder.get(text) if folder is not None else None
    if (
        spot is None
        or getattr(spot, "portal_type", None) != "Hotspot"
        or not api.user.has_permission("View", obj=spot)
    ):
        raise ProgrammeError(
            f"Δεν υπάρχει σημείο WiFi «{text}».",
            f"There is no hotspot “{text}”.",
            code="unknown-hotspot",
            status=404,
        )
    return spot


def select(site, form, now=None):
    """The Selection of the query ``form``; see the module's docstring."""
    try:
        period = parse_period(_text(form, "start"), _text(form, "end"), now=now)
    except PeriodError as error:
        raise ProgrammeError(error.el, error.en, code=error.code) from None
    area = check_area(_text(form, "area"))
    hotspot = find_hotspot(site, _text(form, "hotspot", 200))
    if area and hotspot is not None:
        raise ProgrammeError(
            "Ζητήστε είτε περιοχή είτε σημείο WiFi, όχι και τα δύο.",
            "Ask for either an area or a hotspot, not both.",
            code="area-and-hotspot",
        )
    return Selection(period, area, hotspot)


def mark_cacheable(request):
    """Anonymous answers may stay in the micro-cache a minute, never past midnight ("today")."""
    if api.user.is_anonymous():
        seconds = min(MICROCACHE_SECONDS, seconds_to_midnight())
        if seconds > 0:
            request.response.setHeader("X-Dimos-Microcache", str(seconds))
