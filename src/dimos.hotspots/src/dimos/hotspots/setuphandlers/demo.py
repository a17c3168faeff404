"""The hotspots demo (``dimos.hotspots:demo``, run by ``make start``): Δήμος Ελαιώνα's 20 spots.

A fictional small town: squares, pedestrian streets, the seafront, the
port, the library, the sports centre. Coordinates cluster within about a
kilometre of one point (38.0, 23.7); areas are the registry's tokens. All
in service but one in maintenance. Running the profile again creates
nothing new (spots are found by id). When the programme's place behavior
is on Plone's Event, two demo events near the spots are added too.
"""

from datetime import datetime
from datetime import time
from datetime import timedelta
from dimos.hotspots import logger
from dimos.hotspots.setuphandlers import hotspot_folder
from plone import api

import pytz


SSID = "Elaionas-Free-WiFi"
# pytz, as plone.app.event stores it: a zoneinfo tzinfo cannot be pickled into the ZODB.
TIME_ZONE = pytz.timezone("Europe/Athens")

# (id, title, address, area, latitude, longitude, status)
HOTSPOTS = (
    (
        "plateia-dimarcheiou",
        "Πλατεία Δημαρχείου",
        "Πλατεία Δημαρχείου 1",
        "kentro",
        38.00052,
        23.70031,
        "in_service",
    ),
    (
        "plateia-eleftherias",
        "Πλατεία Ελευθερίας",
        "Πλατεία Ελευθερίας",
        "kentro",
        38.00191,
        23.69874,
        "in_service",
    ),
    (
        "pezodromos-ermou",
        "Πεζόδρομος Ερμού",
        "Ερμού 12",
        "kentro",
        38.00118,
        23.70243,
        "in_service",
    ),
    ("dimotiki-agora", "Δημοτική Αγορά", "Αγοράς 4", "kentro", 37.99963, 23.70188, "in_service"),
    ("kep", "ΚΕΠ Ελαιώνα", "Ελευθερίου Βενιζέλου 20", "kentro", 38.00237, 23.70127, "in_service"),
    (
        "dimotiki-vivliothiki",
        "Δημοτική Βιβλιοθήκη",
        "Βιβλιοθήκης 3",
        "palia-poli",
        38.00391,
        23.69712,
        "in_service",
    ),
    (
        "plateia-agiou-nikolaou",
        "Πλατεία Αγίου Νικολάου",
        "Πλατεία Αγίου Νικολάου",
        "palia-poli",
        38.00452,
        23.69558,
        "in_service",
    ),
    ("kastro", "Κάστρο", "Οδός Κάστρου", "palia-poli", 38.00603, 23.69421, "in_service"),
    (
        "pezodromos-palias-polis",
        "Πεζόδρομος Παλιάς Πόλης",
        "Ανθέων 7",
        "palia-poli",
        38.00336,
        23.69631,
        "maintenance",
    ),
    (
        "paraliakos-pezodromos",
        "Παραλιακός πεζόδρομος",
        "Ακτή Ελαιώνα 15",
        "paralia",
        37.99712,
        23.70312,
        "in_service",
    ),
    ("limani", "Λιμάνι", "Ακτή Ελαιώνα 2", "paralia", 37.99648, 23.70605, "in_service"),
    (
        "stathmos-ktel",
        "Σταθμός λεωφορείων",
        "Λιμανιού 9",
        "paralia",
        37.99781,
        23.70731,
        "in_service",
    ),
    (
        "plateia-faros",
        "Πλατεία Φάρου",
        "Πλατεία Φάρου",
        "paralia",
        37.99589,
        23.70874,
        "in_service",
    ),
    (
        "dimotiki-plaz",
        "Δημοτική πλαζ",
        "Ακτή Ελαιώνα 40",
        "paralia",
        37.99802,
        23.69905,
        "in_service",
    ),
    (
        "athlitiko-kentro",
        "Αθλητικό Κέντρο",
        "Γυμναστηρίου 1",
        "ano-poli",
        38.00712,
        23.70208,
        "in_service",
    ),
    (
        "alsos-ano-polis",
        "Άλσος Άνω Πόλης",
        "Άλσους 5",
        "ano-poli",
        38.00805,
        23.70011,
        "in_service",
    ),
    (
        "dimotiko-theatro",
        "Δημοτικό Θέατρο",
        "Θεάτρου 2",
        "ano-poli",
        38.00641,
        23.70395,
        "in_service",
    ),
    (
        "kentro-ygeias",
        "Κέντρο Υγείας",
        "Ασκληπιού 14",
        "ano-poli",
        38.00559,
        23.70532,
        "in_service",
    ),
    (
        "plateia-elaionas",
        "Πλατεία Ελαιώνα",
        "Κεντρική πλατεία Ελαιώνα",
        "elaionas",
        38.01042,
        23.69183,
        "in_service",
    ),
    (
        "politistiko-kentro-elaionas",
        "Πολιτιστικό Κέντρο Ελαιώνα",
        "Ελιάς 8",
        "elaionas",
        38.01115,
        23.69052,
        "in_service",
    ),
)


def controller_id(number):
    """A MAC-like id in a locally administered range (02:…), never a real vendor's."""
    return f"02:e1:a1:00:00:{number:02x}"


def _ensure_hotspots(folder):
    created = 0
    for number, (spot_id, title, address, area, lat, lon, status) in enumerate(HOTSPOTS, 1):
        if spot_id in folder:
            continue
        api.content.create(
            container=folder,
            type="Hotspot",
            id=spot_id,
            title=title,
            address=address,
            area=area,
            latitude=lat,
            longitude=lon,
            ssid=SSID,
            controller_id=controller_id(number),
            status=status,
            safe_id=False,
        )
        created += 1
    return created


# (id, title, description, area, latitude, longitude, days from today, hour, hours long)
EVENTS = (
    (
        "demo-synavlia-paralias",
        "Συναυλία στην παραλία",
        "Η Φιλαρμονική του Δήμου Ελαιώνα παίζει στον παραλιακό πεζόδρομο.",
        "paralia",
        37.99720,
        23.70330,
        1,
        21,
        2,
    ),
    (
        "demo-bazaar-vivliou",
        "Παζάρι βιβλίου",
        "Παζάρι μεταχειρισμένων βιβλίων στην αυλή της Δημοτικής Βιβλιοθήκης.",
        "palia-poli",
        38.00395,
        23.69720,
        2,
        10,
        6,
    ),
)


def _place_behavior_on_events():
    fti = api.portal.get_tool("portal_types").get("Event")
    return fti is not None and "dimos.hotspots.place" in (getattr(fti, "behaviors", ()) or ())


def _ensure_events(site):
    """Two events near the spots, with the programme's place (skipped without it)."""
    if not _place_behavior_on_events():
        logger.info("Demo events skipped: Plone's Event has no dimos.hotspots.place behavior")
        return 0
    container = site.get("events") or site
    today = datetime.now(TIME_ZONE).date()
    created = 0
    for event_id, title, text, area, lat, lon, days, hour, hours in EVENTS:
        if event_id in container:
            continue
        start = TIME_ZONE.localize(datetime.combine(today + timedelta(days=days), time(hour)))
        event = api.content.create(
            container=container,
            type="Event",
            id=event_id,
            title=title,
            description=text,
            start=start,
            end=start + timedelta(hours=hours),
            location=title,
            safe_id=False,
        )
        event.area, event.latitude, event.longitude = area, lat, lon
        event.reindexObject()
        if api.content.get_state(event, default=None) != "published":
            api.content.transition(event, to_state="published")
        created += 1
    return created


def post_demo(context):
    site = api.portal.get()
    folder = hotspot_folder(site)
    if folder is None:
        logger.warning("Demo: no /hotspots folder (is dimos.hotspots:default installed?)")
        return
    spots = _ensure_hotspots(folder)
    events = _ensure_events(site)
    logger.info("Demo: %s hotspots and %s events created", spots, events)
