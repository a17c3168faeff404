"""Decision, session and permit numbers on real records: automatic, explicit, never reused."""

from dimos.content.testing import add_decision
from dimos.content.testing import council
from plone import api
from zExceptions import BadRequest
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import datetime
import pytest


pytestmark = pytest.mark.portal(roles=["Manager"])


def test_numbers_per_body_and_year(portal):
    meeting = council(portal)
    other = council(portal)  # another body: its own sequence
    first, second = add_decision(meeting), add_decision(meeting)
    assert [first.number_label(), second.number_label()] == ["1/2025", "2/2025"]
    assert add_decision(other).number_label() == "1/2025"
    assert meeting.session_label() == "1/2025"
    assert council(portal, start=datetime.datetime(2026, 1, 8, 10, 0)).session_label() == "1/2026"


def test_paper_archive_numbers_and_years(portal):
    body = council(portal).aq_parent
    old = api.content.create(
        container=body,
        type="CouncilDecision",
        title="Ίδρυση δημοτικής βιβλιοθήκης",
        decision_number=45,
        decision_date=datetime.date(1979, 5, 3),
    )
    assert old.number_label() == "45/1979"
    with pytest.raises(BadRequest) as taken:
        api.content.create(
            container=body,
            type="CouncilDecision",
            title="Άλλη",
            decision_number=45,
            decision_year=1979,
        )
    assert "45/1979" in str(taken.value)


def test_deleted_numbers_are_not_reused_and_copies_take_new_ones(portal):
    meeting = council(portal)
    first = add_decision(meeting, ada="6ΧΙΥΩΚ9-4ΑΟ")
    copy = api.content.copy(source=first, target=meeting, safe_id=True)
    assert copy.number_label() == "2/2025"
    assert copy.ada is None  # an ΑΔΑ belongs to one decision
    api.content.delete(first)
    assert add_decision(meeting).number_label() == "3/2025"
    # its ΑΔΑ is free again: the Diavgeia posting can be entered anew
    assert add_decision(meeting, ada="6ΧΙΥΩΚ9-4ΑΟ").number_label() == "4/2025"


def test_ada_is_normalized_and_released_when_changed(portal):
    meeting = council(portal)
    decision = add_decision(meeting, ada="6xiyωκ9-4αο")
    assert decision.ada == "6ΧΙΥΩΚ9-4ΑΟ"
    decision.ada = "7ΑΖΛ46904Ν-ΑΨΣ"
    notify(ObjectModifiedEvent(decision))
    assert add_decision(meeting, ada="6ΧΙΥΩΚ9-4ΑΟ").ada == "6ΧΙΥΩΚ9-4ΑΟ"  # free again
    assert [b.getObject() for b in api.content.find(ada="7ΑΖΛ46904Ν-ΑΨΣ")] == [decision]


def test_permits_are_numbered_per_year(portal):
    permits = [
        api.content.create(
            container=portal,
            type="Permit",
            title=f"Άδεια {i}",
            permit_kind="kiosk",
            holder_name="Περίπτερο",
            valid_from=datetime.date(2026, 1, 1),
        )
        for i in range(2)
    ]
    assert [p.number_label() for p in permits] == ["1/2026", "2/2026"]
