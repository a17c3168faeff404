"""The alert pages (Classic UI): an alert's page (its type's ``view``) and the site's ``@@alerts-board``.

Anyone reads what an alert says, in Greek with the English beside it, when it
holds and whether it is in force; staff (who may edit or publish it) also see
which WiFi spots it reaches now, or would reach once published and in force.
The wording is plain Python (pairs of Greek and English texts); the views
only gather it for the templates. Times are the municipality's (Europe/Athens).
"""

from DateTime import DateTime
from dimos.hotspots import geo
from dimos.hotspots.alerts import current
from dimos.hotspots.alerts import feeds
from dimos.hotspots.alerts import times
from dimos.hotspots.setuphandlers import hotspot_folder
from dimos.hotspots.vocabularies import CAP_CATEGORIES
from dimos.hotspots.vocabularies import CAP_CERTAINTIES
from dimos.hotspots.vocabularies import CAP_RESPONSE_TYPES
from dimos.hotspots.vocabularies import CAP_SEVERITIES
from dimos.hotspots.vocabularies import CAP_STATUSES
from dimos.hotspots.vocabularies import CAP_URGENCIES
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import datetime


MODIFY = "Modify portal content"
PUBLISH = "Dimos: Publish alerts"
RECENT = datetime.timedelta(days=7)
TIME_FORMAT = "%d/%m/%Y %H:%M"

# What each state of an alert is called; {0} is a local time.
STATUS_WORDS = {
    "draft": ("Πρόχειρη: δεν έχει δημοσιευθεί", "Draft: not published"),
    "not_yet": ("Δεν ισχύει ακόμη: ισχύει από {0}", "Not in force yet: from {0}"),
    "in_force": ("Σε ισχύ έως {0}", "In force until {0}"),
    "expired": ("Έληξε στις {0}", "Expired on {0}"),
    "withdrawn": ("Ανακλήθηκε στις {0}", "Withdrawn on {0}"),
}

# Whether it shows on the WiFi spots; {0} spots reached of {1}.
REACH_WORDS = {
    "draft": (
        "Θα εμφανιστεί σε {0} από {1} σημεία, όταν δημοσιευθεί και ισχύσει",
        "Would be shown on {0} of {1} spots once published and in force",
    ),
    "not_yet": (
        "Θα εμφανιστεί σε {0} από {1} σημεία, όταν ισχύσει",
        "Will be shown on {0} of {1} spots once in force",
    ),
    "in_force": ("Εμφανίζεται τώρα σε {0} από {1} σημεία", "Shown now on {0} of {1} spots"),
    "expired": (
        "Δεν εμφανίζεται πια· η περιοχή της καλύπτει {0} από {1} σημεία",
        "No longer shown; its area covers {0} of {1} spots",
    ),
    "withdrawn": (
        "Δεν εμφανίζεται πια· η περιοχή της καλύπτει {0} από {1} σημεία",
        "No longer shown; its area covers {0} of {1} spots",
    ),
    "not_actual": (
        "Άσκηση ή δοκιμή: δεν εμφανίζεται στα σημεία· η περιοχή της καλύπτει {0} από {1}",
        "Exercise or test: not shown on the spots; its area covers {0} of {1}",
    ),
}

SEVERITY_ORDER = {token: rank for rank, (token, _title) in enumerate(CAP_SEVERITIES)}


# --- plain Python: the words ------------------------------------------------------------


def pair(title):
    """``"Ελληνικά / English"`` as ``("Ελληνικά", "English")``."""
    el, _sep, en = str(title).partition(" / ")
    return el.strip(), (en or el).strip()


def code_title(pairs, token):
    """The (Greek, English) title of a CAP code, e.g. ``("Σοβαρή", "Severe")``; ("", "") if none."""
    for code, title in pairs:
        if code == token:
            return pair(title)
    return (token or "", token or "")


def local_time(moment):
    """``"22/11/2026 18:00"`` in Athens time (naive = Athens time, as the alert's fields)."""
    return times.aware(moment).strftime(TIME_FORMAT) if moment is not None else ""


def status(alert, state, now):
    """draft, withdrawn, not_yet, in_force or expired: where the alert stands at ``now``."""
    if state == "withdrawn":
        return "withdrawn"
    if state != "published":
        return "draft"
    effective, expires = times.aware(alert.cap_effective), times.aware(alert.cap_expires)
    if expires is not None and expires <= now:
        return "expired"
    if effective is not None and now < effective:
        return "not_yet"
    return "in_force"


def status_words(alert, state, now):
    """``{"key", "el", "en"}``: e.g. ``Σε ισχύ έως 22/11/2026 18:00 / In force until …``."""
    key = status(alert, state, now)
    moment = {
        "not_yet": alert.cap_effective,
        "in_force": alert.cap_expires,
        "expired": alert.cap_expires,
        "withdrawn": alert.withdrawn or alert.sent,
    }.get(key)
    el, en = STATUS_WORDS[key]
    when = local_time(moment)
    return {"key": key, "el": el.format(when), "en": en.format(when)}


def severity(alert):
    """The severity badge: its CSS class and its words (the colour never alone)."""
    el, en = code_title(CAP_SEVERITIES, alert.severity)
    token = (alert.severity or "Unknown").lower()
    return {
        "token": alert.severity,
        "css": f"dimos-severity dimos-severity-{token}",
        "el": el,
        "en": en,
    }


def shapes(alert):
    """The polygons and circles in words: ``[{"el", "en", "text", "broken"}]``."""
    found = []
    for line in alert.polygons or ():
        text = " ".join(str(line).split())
        try:
            corners = len(geo.parse_cap_polygon(line).points) - 1
        except geo.CoordinatesError:
            found.append(_broken("Πολύγωνο", "Polygon", text))
            continue
        found.append(
            {
                "el": f"Πολύγωνο με {corners} κορυφές",
                "en": f"Polygon with {corners} corners",
                "text": text,
                "broken": False,
            }
        )
    for line in alert.circles or ():
        text = " ".join(str(line).split())
        try:
            circle = geo.parse_cap_circle(line)
        except geo.CoordinatesError:
            found.append(_broken("Κύκλος", "Circle", text))
            continue
        centre = f"{_degrees(circle.centre.lat)},{_degrees(circle.centre.lon)}"
        radius = f"{circle.radius_km:g} km"
        found.append(
            {
                "el": f"Κύκλος: κέντρο {centre}, ακτίνα {radius}",
                "en": f"Circle: centre {centre}, radius {radius}",
                "text": text,
                "broken": False,
            }
        )
    return found


def _degrees(value):
    """``40.01`` rather than ``40.010000``, to six decimals at most (about 10 cm)."""
    text = f"{value:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _broken(el, en, text):
    return {
        "el": f"{el} που δεν διαβάζεται",
        "en": f"{en} that cannot be read",
        "text": text,
        "broken": True,
    }


def hotspots_reached(alert, folder):
    """The hotspots in ``folder`` whose point the alert's area covers, and how many there are."""
    if folder is None:
        return [], 0
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Hotspot", path="/".join(folder.getPhysicalPath()), sort_on="sortable_title"
    )
    spots = [brain._unrestrictedGetObject() for brain in brains]
    spots = [spot for spot in spots if spot.latitude is not None and spot.longitude is not None]
    reached = [
        {"id": spot.getId(), "name": spot.Title(), "url": spot.absolute_url()}
        for spot in spots
        if current.covers(alert, spot.point())
    ]
    return reached, len(spots)


def reach_words(alert, key, reached, total):
    if key in ("in_force", "not_yet") and alert.cap_status != "Actual":
        key = "not_actual"
    el, en = REACH_WORDS[key]
    return {"el": el.format(reached, total), "en": en.format(reached, total)}


def card(alert, state, now):
    """What the board shows of one alert."""
    headline_en = (alert.headline_en or "").strip()
    return {
        "id": alert.getId(),
        "url": alert.absolute_url(),
        "headline": alert.title,
        "headline_en": headline_en,
        "event": alert.event,
        "area": alert.area_desc or "",
        "severity": severity(alert),
        "status": status_words(alert, state, now),
        "not_actual": code_title(CAP_STATUSES, alert.cap_status)
        if alert.cap_status != "Actual"
        else None,
    }


# --- who may see what, and the catalog -------------------------------------------------


def is_staff(context):
    """May the current user edit or publish alerts here (civil protection, editors, managers)?"""
    if context is None or api.user.is_anonymous():
        return False
    return any(api.user.has_permission(name, obj=context) for name in (MODIFY, PUBLISH))


def _found(restricted=False, **query):
    catalog = api.portal.get_tool("portal_catalog")
    if restricted:
        return [brain.getObject() for brain in catalog.searchResults(portal_type="Alert", **query)]
    brains = catalog.unrestrictedSearchResults(portal_type="Alert", **query)
    return [brain._unrestrictedGetObject() for brain in brains]


def _rank(alert):
    return SEVERITY_ORDER.get(alert.severity, len(SEVERITY_ORDER))


def upcoming_and_exercises(now):
    """Published alerts not expired: Actual ones still to take effect (soonest first), and
    exercises/tests in force or to come."""
    found = _found(review_state="published", expires={"query": DateTime(now), "range": "min"})
    found = [a for a in found if times.aware(a.cap_expires) > now]
    upcoming = [a for a in found if a.cap_status == "Actual" and times.aware(a.cap_effective) > now]
    upcoming.sort(key=lambda a: (times.aware(a.cap_effective), _rank(a)))
    others = [a for a in found if a.cap_status != "Actual"]
    others.sort(key=lambda a: (_rank(a), times.aware(a.cap_effective)))
    return upcoming, others


def recently_ended(now, since):
    """Expired or withdrawn between ``since`` and ``now``, the last ended first."""
    window = {"query": (DateTime(since), DateTime(now)), "range": "min:max"}
    expired = [
        a
        for a in _found(review_state="published", expires=window)
        if since <= times.aware(a.cap_expires) <= now
    ]
    ended = [(times.aware(a.cap_expires), a) for a in expired]
    ended += [(times.aware(a.withdrawn), a) for a in current.withdrawn_alerts(since, now)]
    ended.sort(key=lambda item: item[0], reverse=True)
    return [alert for _when, alert in ended]


def drafts():
    """The drafts the current user may see, the last changed first."""
    return _found(restricted=True, review_state="draft", sort_on="modified", sort_order="reverse")


def feed_links(site_url):
    return {
        "cap": f"{site_url}/@@alerts.cap",
        "atom": f"{site_url}/@@alerts.atom",
        "atom_en": f"{site_url}/@@alerts.atom?lang=en",
        "board": f"{site_url}/@@alerts-board",
    }


# --- the views -------------------------------------------------------------------------


class AlertView(BrowserView):
    """An alert's page: the public part for everyone, the spots it reaches for staff."""

    index = ViewPageTemplateFile("templates/alert.pt")

    def __call__(self):
        alert = self.context
        self.now = times.now()
        self.state = api.content.get_state(alert, default=None)
        self.staff = is_staff(alert)
        self.status = status_words(alert, self.state, self.now)
        site_url = api.portal.get().absolute_url()
        self.links = {**feed_links(site_url), "cap_xml": f"{alert.absolute_url()}/@@cap.xml"}
        return self.index()

    def facts(self):
        alert = self.context
        return {
            "severity": severity(alert),
            "urgency": code_title(CAP_URGENCIES, alert.urgency),
            "certainty": code_title(CAP_CERTAINTIES, alert.certainty),
            "response": code_title(CAP_RESPONSE_TYPES, alert.response_type)
            if alert.response_type
            else None,
            "categories": [code_title(CAP_CATEGORIES, c) for c in alert.categories or ()],
            "not_actual": code_title(CAP_STATUSES, alert.cap_status)
            if alert.cap_status != "Actual"
            else None,
            "effective": local_time(alert.cap_effective),
            "expires": local_time(alert.cap_expires),
            "effective_iso": times.cap_datetime(alert.cap_effective),
            "expires_iso": times.cap_datetime(alert.cap_expires),
        }

    def english(self):
        """The English texts the civil protection wrote (none: the section is left out)."""
        alert = self.context
        texts = {
            "headline": (alert.headline_en or "").strip(),
            "description": (alert.description_en or "").strip(),
            "instruction": (alert.instruction_en or "").strip(),
        }
        return texts if any(texts.values()) else None

    def area(self):
        return {
            "shapes": shapes(self.context),
            "whole": not (self.context.polygons or self.context.circles),
        }

    def withdraw_comment(self):
        return feeds.withdraw_comment(self.context) if self.state == "withdrawn" else None

    def reach(self):
        """Staff only: the spots the alert reaches (or would), with the sentence that says so."""
        reached, total = hotspots_reached(self.context, hotspot_folder())
        words = reach_words(self.context, self.status["key"], len(reached), total)
        return {"spots": reached, "total": total, **words}

    def cap_message(self):
        """Staff only: the CAP identifier and the kind and time of the last message sent."""
        alert = self.context
        return {
            "identifier": alert.identifier,
            "msg_type": alert.messages[-1][2] if alert.messages else "",
            "sent": local_time(alert.sent),
        }


class AlertsBoard(BrowserView):
    """``@@alerts-board``: in force (most severe first), to come; for staff drafts and the ended."""

    index = ViewPageTemplateFile("templates/board.pt")

    def __call__(self):
        site = self.context
        self.now = times.now()
        self.staff = is_staff(site.get("alerts"))
        self.links = feed_links(site.absolute_url())
        self.sections = self._sections()
        return self.index()

    def _cards(self, alerts):
        return [
            card(alert, api.content.get_state(alert, default=None), self.now) for alert in alerts
        ]

    def _sections(self):
        now = self.now
        upcoming, others = upcoming_and_exercises(now)
        sections = [
            _section("in-force", "Σε ισχύ τώρα", "In force now",
                     self._cards(current.current_alerts(now))),
            _section("upcoming", "Θα ισχύσουν", "To take effect", self._cards(upcoming)),
        ]  # fmt: skip
        if self.staff:
            sections += [
                _section("drafts", "Πρόχειρες", "Drafts", self._cards(drafts())),
                _section("exercises", "Ασκήσεις και δοκιμές", "Exercises and tests",
                         self._cards(others)),
                _section("ended", "Έληξαν ή ανακλήθηκαν (τελευταίες 7 ημέρες)",
                         "Expired or withdrawn (last 7 days)",
                         self._cards(recently_ended(now, now - RECENT))),
            ]  # fmt: skip
        return sections


def _section(section_id, title_el, title_en, cards):
    return {"id": section_id, "el": title_el, "en": title_en, "cards": cards}
