"""Builders for tests of rates, declarations and occupation permits (not fixtures; nothing commits).

* ``council_decision(published=True)`` a CouncilDecision of a new municipal
  council (dimos.content's test builders), taken through submit, approve and
  publish when ``published``; its UID;
* ``FEE_VALUES``, ``TRANSIENT_VALUES``, ``TARIFF_VALUES`` values of rate tables
  as staff send them;
* ``install_rates(start="2020-01-01")`` one open-ended table per schedule,
  each backed by a new published decision.
"""

import copy


FEE_VALUES = {
    "categories": {
        "restaurant": "0,5%",
        "cafe": {"rate": "0,5%", "title_el": "Καφετέριες", "title_en": "Cafés"},
        "canteen": "0.25",
    },
    "deadline": {"months_after": 1, "day": "last"},
    "penalty": {"per_month": "2,5%", "cap": "10%"},
    "periods": ["month", "quarter"],
}
TRANSIENT_VALUES = {
    "categories": {"hotel": "0,5%", "rooms": "0,5%"},
    "deadline": {"months_after": 1, "day": 20},
    "penalty": {"per_month": "1%"},
}
TARIFF_VALUES = {
    "tariffs": {
        "tables-chairs": {"unit": "month", "price": "15,00", "zones": {"Α": "20,00"}},
        "kiosk": {"unit": "month", "zones": {"Α": "30,00", "Β": "18,50"}},
        "outdoor-event": {"unit": "day", "price": "2,50"},
    }
}


def council_decision(title="Καθορισμός τελών 2026", published=True):
    """The UID of a new council decision; published unless told otherwise.

    Made as dimos.content's test builders make them (a council of five, a
    meeting with a quorum), with explicit ids so nothing is renamed.
    """
    from datetime import datetime
    from dimos.content.testing import MEMBERS
    from dimos.content.testing import run
    from plone import api
    from plone.app.textfield.value import RichTextValue

    import uuid

    suffix = uuid.uuid4().hex[:8]
    with api.env.adopt_roles(["Manager"]):
        body = api.content.create(
            container=api.portal.get(),
            type="CouncilBody",
            id=f"ds-{suffix}",
            title="Δημοτικό Συμβούλιο",
            body_kind="dimotiko-symvoulio",
            members=list(MEMBERS),
        )
        meeting = api.content.create(
            container=body,
            type="CouncilMeeting",
            id="synedriasi",
            title="1η συνεδρίαση",
            start=datetime(2025, 12, 10, 18, 0),
            agenda=[title],
            members_present=list(MEMBERS[:3]),
        )
        text = RichTextValue("<p>Ορίζει τα τέλη.</p>", "text/html", "text/x-html-safe")
        decision = api.content.create(
            container=meeting,
            type="CouncilDecision",
            id="apofasi",
            title=title,
            vote_kind="unanimous",
            text=text,
        )
        if published:
            run(decision, "submit", "approve", "publish")
        return api.content.get_uuid(decision)


def install_rates(start="2020-01-01", actor="test-setup"):
    """One open-ended table per schedule from ``start``; {schedule: RateTable}."""
    from dimos.payments.rates import add_rate_table

    values = {
        "gross-revenue": FEE_VALUES,
        "transient-resident": TRANSIENT_VALUES,
        "common-space": TARIFF_VALUES,
    }
    return {
        schedule: add_rate_table(
            schedule, start, None, council_decision(), copy.deepcopy(value), actor
        )
        for schedule, value in values.items()
    }
