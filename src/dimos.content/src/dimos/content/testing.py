"""Test layers for dimos.content: a Plone site with the Dimos policy and dimos.content."""

from dimos.policy.testing import DIMOS_POLICY_FIXTURE
from dimos.policy.testing import integration_and_functional
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.content


class DimosContentLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_POLICY_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.content)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.content:default")


DIMOS_CONTENT_FIXTURE = DimosContentLayer()

DIMOS_CONTENT_INTEGRATION_TESTING, DIMOS_CONTENT_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_CONTENT_FIXTURE, "DimosContentLayer"
)


# Builders shared by the tests (as a Manager; plone.api).

MEMBERS = ("Α. Αλεξίου", "Β. Βασιλείου", "Γ. Γεωργίου", "Δ. Δημητρίου", "Ε. Ευαγγέλου")


def council(portal, **meeting_fields):
    """A municipal council of five and a meeting with an agenda and a quorum (3 present)."""
    from datetime import datetime
    from plone import api

    body = api.content.create(
        container=portal,
        type="CouncilBody",
        title="Δημοτικό Συμβούλιο",
        body_kind="dimotiko-symvoulio",
        members=list(MEMBERS),
    )
    fields = {
        "start": datetime(2025, 3, 12, 18, 0),
        "agenda": ["Έγκριση προϋπολογισμού 2026"],
        "members_present": list(MEMBERS[:3]),
    }
    fields.update(meeting_fields)
    return api.content.create(
        container=body, type="CouncilMeeting", title="1η συνεδρίαση", **fields
    )


def add_decision(meeting, title="Έγκριση προϋπολογισμού 2026", **fields):
    """A decision (its title is its subject) in ``meeting``."""
    from plone import api

    return api.content.create(container=meeting, type="CouncilDecision", title=title, **fields)


def run(record, *transitions):
    """Perform ``transitions`` in order; the record."""
    from plone import api

    for name in transitions:
        api.content.transition(obj=record, transition=name)
    return record
