"""Demo records for `make start`: a fictional council, applications, a legal case, a permit.

The municipality (Δήμος Ελαιώνα) and everyone in it are made up: see
demo_people.py. Items that exist already are left alone, so applying the
profile again neither duplicates nor overwrites anything.
"""

from dimos.content.setuphandlers.demo_council import create_council
from dimos.content.setuphandlers.demo_people import ensure_employees
from dimos.content.setuphandlers.demo_services import create_services
from plone import api


def create_demo_content(context=None):
    """Post handler of dimos.content:demo."""
    portal = api.portal.get()
    with api.env.adopt_roles(["Manager"]):
        ensure_employees()
        create_council(portal)
        create_services(portal)
