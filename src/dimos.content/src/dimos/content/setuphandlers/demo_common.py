"""What the demo builders share: Athens time, rich text, ΑΦΜ, workflow steps, folders."""

from dimos.content import logger
from dimos.content.afm import afm_check_digit
from plone import api
from plone.app.textfield.value import RichTextValue

import datetime
import pytz


# pytz, as Plone's own dates: ZODB cannot pickle zoneinfo time zones.
ATHENS = pytz.timezone("Europe/Athens")


def today():
    return datetime.datetime.now(ATHENS).date()


def athens(day, hour=0, minute=0):
    """``day`` at hour:minute, Athens time (timezone-aware)."""
    return ATHENS.localize(datetime.datetime(day.year, day.month, day.day, hour, minute))


def html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def afm(first_eight):
    """A valid ΑΦΜ: the eight digits and their check digit. Demo ones are patterns, not people."""
    return f"{first_eight}{afm_check_digit(first_eight)}"


def path(obj):
    return "/".join(obj.getPhysicalPath())


def run_steps(obj, steps):
    """Perform ``steps``, each a transition id or (transition id, comment)."""
    for step in steps:
        transition, comment = (step, "") if isinstance(step, str) else step
        api.content.transition(obj=obj, transition=transition, comment=comment)


def ensure_folder(container, id, title, description, group):
    """A private folder of a department: its group may read it and add to it."""
    folder = container.get(id)
    if folder is None:
        folder = api.content.create(
            container=container, type="Folder", id=id, title=title, description=description
        )
        api.group.grant_roles(groupname=group, roles=["Reader", "Contributor"], obj=folder)
        folder.reindexObjectSecurity()
        logger.info("Demo records: created %s", path(folder))
    return folder
