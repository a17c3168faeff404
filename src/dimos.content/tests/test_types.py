"""The record types: where they may be added, who may add them, and their field rules."""

from dimos.content.afm import clean_afm
from dimos.content.afm import InvalidAFM
from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.content.permit import IPermit
from dimos.content.validators import ada_constraint
from dimos.content.validators import normalize_ada
from dimos.content.validators import phone_constraint
from plone import api
from zope.interface import Invalid
from zope.schema import ValidationError

import datetime
import pytest


TYPES = {
    # type: (addable at the site root, types allowed inside)
    "CouncilBody": (True, {"CouncilMeeting", "CouncilDecision"}),
    "CouncilMeeting": (False, {"CouncilDecision", "File"}),
    "CouncilDecision": (False, set()),
    "LegalCase": (True, {"File", "Document"}),
    "CitizenApplication": (False, {"File"}),
    "Permit": (True, set()),
    "SignedDocument": (True, set()),
    "ProtocolRegistry": (True, {"CitizenApplication"}),
}


@pytest.mark.parametrize("portal_type", sorted(TYPES))
def test_containment(portal, portal_type):
    fti = api.portal.get_tool("portal_types")[portal_type]
    at_root, inside = TYPES[portal_type]
    assert fti.global_allow is at_root
    assert set(fti.allowed_content_types) == inside
    assert fti.add_permission == f"dimos.content.Add{portal_type}"


@pytest.mark.parametrize(
    ("role", "may_add"),
    [
        (
            "CouncilSecretary",
            {"CouncilBody", "CouncilMeeting", "CouncilDecision", "SignedDocument"},
        ),
        ("ScanningOperator", {"CouncilDecision"}),
        ("LegalOfficer", {"LegalCase", "SignedDocument"}),
        ("RevenueOfficer", {"Permit", "SignedDocument"}),
        ("ProtocolClerk", {"CitizenApplication"}),
        ("Member", set()),
    ],
)
def test_one_add_permission_per_type(portal, role, may_add):
    with api.env.adopt_roles([role]):
        granted = {
            portal_type
            for portal_type in TYPES
            if api.user.has_permission(f"Dimos: Add {portal_type}", obj=portal)
        }
    assert granted == may_add


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("094019245", None),
        ("EL 094019245", None),
        ("094019246", "check-digit"),
        ("09401924", "length"),
        ("09401924a", "not-digits"),
        ("000000000", "zero"),
        ("０９４０１９２４５", "not-digits"),  # full-width digits are not accepted
    ],
)
def test_afm(value, reason):
    if reason is None:
        assert clean_afm(value) == "094019245"
    else:
        with pytest.raises(InvalidAFM) as error:
            clean_afm(value)
        assert error.value.reason == reason


def test_ada_and_phone_rules():
    assert normalize_ada(" 6xiyωκ9-4αο ") == "6ΧΙΥΩΚ9-4ΑΟ"
    assert ada_constraint("ΩΡΠΜΩ9Ω-79Τ")
    for bad in ("", "6ΧΙΥΩΚ9", "6ΧΙΥΩΚ9-4ΑΟΟ", "6ΧΙΥ_ΚΚ9-4ΑΟ"):
        with pytest.raises(ValidationError):
            ada_constraint(bad)
    assert phone_constraint("+30 210 1234567")
    with pytest.raises(ValidationError):
        phone_constraint("τηλ. 210")


class Data:
    def __init__(self, **values):
        self.__dict__.update(values)


@pytest.mark.parametrize(
    ("vote", "valid"),
    [
        ({"vote_kind": "unanimous", "votes_for": ["Α", "Β"]}, True),
        ({"vote_kind": "unanimous", "votes_against": ["Γ"]}, False),
        ({"vote_kind": "majority", "votes_for": ["Α", "Β"], "votes_against": ["Γ"]}, True),
        ({"vote_kind": "majority", "votes_for": ["Α"], "votes_against": ["Γ"]}, False),
        ({"vote_kind": "majority", "votes_for": ["Α", "Β"], "votes_abstain": ["Α"]}, False),
    ],
)
def test_vote_rules(vote, valid):
    data = Data(**{"votes_for": [], "votes_against": [], "votes_abstain": [], **vote})
    if valid:
        ICouncilDecision.validateInvariants(data)
    else:
        with pytest.raises(Invalid):
            ICouncilDecision.validateInvariants(data)


def test_attendance_and_validity_rules():
    with pytest.raises(Invalid):
        ICouncilMeeting.validateInvariants(Data(members_present=["Α"], members_absent=["Α"]))
    ICouncilMeeting.validateInvariants(Data(members_present=["Α"], members_absent=["Β"]))
    with pytest.raises(Invalid):
        IPermit.validateInvariants(
            Data(valid_from=datetime.date(2026, 5, 1), valid_until=datetime.date(2026, 4, 1))
        )
