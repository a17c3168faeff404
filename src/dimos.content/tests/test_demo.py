"""dimos.content:demo: a fictional council, an application in every state, a case, a permit."""

from dimos.content.afm import clean_afm
from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.content.permit import IPermit
from dimos.content.protocol.registry import protocol_book
from dimos.content.setuphandlers import demo_council
from dimos.content.setuphandlers import demo_people
from dimos.content.setuphandlers import demo_services
from dimos.content.vocabularies.data import DECISION_TYPES
from pathlib import Path
from plone import api
from plone.app.testing import logout

import datetime
import os
import pytest


# Profiles are applied by site managers.
pytestmark = pytest.mark.portal(roles=["Manager"])

DEMO = "profile-dimos.content:demo"
REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("DIMOS_SHARED") or REPO.parent / "shared")
MANIFEST = SHARED / "eval" / "decisions" / "diavgeia-samples" / "manifest.tsv"

APPLICATION_STATES = (
    "submitted",
    "assigned",
    "in_progress",
    "waiting_for_citizen",
    "resolved",
    "rejected",
)


@pytest.fixture
def demo(portal, setup_tool):
    setup_tool.runAllImportStepsFromProfile(DEMO)
    return portal


def records(portal_type):
    return [
        brain.getObject() for brain in api.content.find(portal_type=portal_type, unrestricted=True)
    ]


def states(objects):
    return {obj.getId(): api.content.get_state(obj) for obj in objects}


def council(portal):
    return portal[demo_council.COUNCIL_ID]


def test_council_and_committee_are_published(demo):
    council_body = council(demo)
    assert council_body.title == "Δημοτικό Συμβούλιο Ελαιώνα"
    assert council_body.body_kind == "dimotiko-symvoulio"
    assert len(council_body.members) == 11
    committee = demo[demo_council.COMMITTEE_ID]
    assert committee.body_kind == "dimotiki-epitropi"
    assert set(committee.members) <= set(council_body.members)
    assert states([council_body, committee]) == {
        demo_council.COUNCIL_ID: "published",
        demo_council.COMMITTEE_ID: "published",
    }


def test_meetings_in_their_states_around_today(demo):
    meetings = {meeting.getId(): meeting for meeting in records("CouncilMeeting")}
    assert states(meetings.values()) == {
        "synedriasi-1": "minutes_approved",
        "synedriasi-2": "held",
        "synedriasi-3": "convened",
        "synedriasi-4": "planned",
    }
    now = datetime.datetime.now(datetime.UTC)
    assert meetings["synedriasi-1"].start < now - datetime.timedelta(days=20)
    assert meetings["synedriasi-2"].start < now
    assert now < meetings["synedriasi-3"].start < now + datetime.timedelta(days=10)
    for meeting in meetings.values():
        assert str(meeting.start.tzinfo) == "Europe/Athens"
        assert meeting.place and meeting.agenda
        assert meeting.session_label()
        ICouncilMeeting.validateInvariants(meeting)
    assert meetings["synedriasi-1"].has_quorum()
    assert meetings["synedriasi-2"].has_quorum()
    assert meetings["synedriasi-3"].members_present == []


def test_decisions_in_their_states_numbered_per_year(demo):
    decisions = records("CouncilDecision")
    assert states(decisions) == {
        "meleti-anaplasis-plateias": "published",
        "parachorisi-aithousas": "published",
        "tele-koinochriston": "corrected",
        "diorthosi-telon": "published",
        "dapani-paidikon-charon": "approved",
        "epitropi-paralavis": "draft",
    }
    by_year = {}
    for decision in decisions:
        by_year.setdefault(decision.decision_year, []).append(decision.decision_number)
    for numbers in by_year.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    codes = {code for code, _title in DECISION_TYPES}
    for decision in decisions:
        assert decision.body() == council(demo)
        assert decision.decision_type in codes
        assert decision.text.raw.startswith("<p>")
        assert decision.rapporteur in demo_people.COUNCIL_MEMBERS
        ICouncilDecision.validateInvariants(decision)
        if api.content.get_state(decision) != "draft":
            assert decision.vote_recorded()
            assert set(decision.votes_for) <= set(decision.meeting().members_present)


def test_a_decision_amends_another_which_is_corrected(demo):
    body = council(demo)
    amending = body["synedriasi-2"]["diorthosi-telon"]
    amended = body["synedriasi-1"]["tele-koinochriston"]
    assert [relation.to_object for relation in amending.amends] == [amended]
    relations = api.relation.get(target=amended, relationship="amends", unrestricted=True)
    assert [relation.from_object for relation in relations] == [amending]
    history = amended.workflow_history["dimos_decision_workflow"]
    assert history[-1]["action"] == "correct"
    assert amending.number_label() in history[-1]["comments"]


def test_one_application_in_each_state(demo):
    applications = records("CitizenApplication")
    assert sorted(states(applications).values()) == sorted(APPLICATION_STATES)
    assert {a.getId() for a in applications} == {a.id for a in demo_services.APPLICATIONS}
    registry = demo["protokollo"]
    for application in applications:
        assert application.aq_parent == registry
        assert application.protocol_number
        assert clean_afm(application.applicant_afm) == application.applicant_afm
        if api.content.get_state(application) == "submitted":
            assert not application.assigned_to
            continue
        members = api.user.get_users(groupname=application.department)
        assert application.assigned_to in {user.getId() for user in members}
        roles = application.get_local_roles_for_userid(application.assigned_to)
        assert {"Reader", "Editor"} <= set(roles)
        history = application.workflow_history["dimos_application_workflow"]
        assert history[1]["action"] == "assign"
        assert history[1]["comments"].startswith("Χρεώνεται")


def test_the_citizen_is_told_what_is_missing(demo):
    (waiting,) = [
        a
        for a in records("CitizenApplication")
        if api.content.get_state(a) == "waiting_for_citizen"
    ]
    comment = waiting.workflow_history["dimos_application_workflow"][-1]["comments"]
    assert "προσκομίστε" in comment


def test_legal_case_pending_hearing_after_a_postponement(demo):
    case = demo[demo_services.LEGAL_FOLDER_ID][demo_services.LEGAL_CASE_ID]
    assert api.content.get_state(case) == "pending_hearing"
    assert case.court == "eirinodikeio"
    assert case.case_kind == "civil"
    (hearing,) = case.hearings
    assert hearing["postponed_to"] > hearing["date"]
    assert case.next_hearing() == hearing["postponed_to"] > datetime.date.today().isoformat()
    assert str(case.amount_in_dispute) == "4850.00"
    assert api.user.get(username=case.assigned_lawyer) is not None
    assert any(not deadline["done"] for deadline in case.deadlines)


def test_permit_issued_and_paid(demo):
    permit = demo[demo_services.PERMITS_FOLDER_ID][demo_services.PERMIT_ID]
    assert api.content.get_state(permit) == "issued"
    assert permit.permit_kind == "common-space"
    assert permit.number_label() == f"1/{datetime.date.today().year}"
    assert permit.valid_from <= datetime.date.today() <= permit.valid_until
    assert str(permit.fee) == "360.00"
    assert clean_afm(permit.holder_afm) == permit.holder_afm
    IPermit.validateInvariants(permit)


def test_payment_code_has_valid_rf_check_digits():
    code = demo_services.PAYMENT_CODE
    rearranged = code[4:] + code[:4]
    assert int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def test_employees_in_their_departments(demo):
    for employee in demo_people.EMPLOYEES:
        user = api.user.get(username=employee.username)
        assert user.getProperty("fullname") == employee.fullname
        assert user.getProperty("email").endswith("@elaionas.example")
        assert user.getProperty("phone") == employee.phone
        assert employee.group in {group.getId() for group in api.group.get_groups(user=user)}


def test_anonymous_sees_decisions_and_meetings_but_no_private_record(demo):
    body = council(demo)
    logout()
    visible = {brain.getId for brain in api.content.find(portal_type="CouncilDecision")}
    assert visible == {
        "meleti-anaplasis-plateias",
        "parachorisi-aithousas",
        "tele-koinochriston",
        "diorthosi-telon",
    }
    meetings = {brain.getId for brain in api.content.find(portal_type="CouncilMeeting")}
    assert meetings == {"synedriasi-1", "synedriasi-2", "synedriasi-3"}
    for portal_type in ("CitizenApplication", "LegalCase", "Permit"):
        assert len(api.content.find(portal_type=portal_type)) == 0, portal_type
    assert api.user.has_permission("View", obj=body)
    assert api.user.has_permission("View", obj=body["synedriasi-2"]["diorthosi-telon"])
    assert not api.user.has_permission("View", obj=body["synedriasi-2"]["epitropi-paralavis"])
    for folder_id in (demo_services.LEGAL_FOLDER_ID, demo_services.PERMITS_FOLDER_ID):
        assert not api.user.has_permission("View", obj=demo[folder_id])


def test_public_records_leave_the_policy_demos_searches_alone(demo):
    """tests/test_make_start.py expects these anonymous searches to find only its pages."""
    logout()
    for text in ("προϋπολογισμός", "δημαρχείου", "κοιμητήριο"):
        found = api.content.find(SearchableText=text)
        assert [brain.getPath() for brain in found] == [], text


def snapshot(portal):
    brains = api.content.find(context=portal, unrestricted=True)
    year = datetime.date.today().year
    return (
        sorted((brain.getPath(), brain.modified.ISO8601()) for brain in brains),
        protocol_book().counters[year].value,
        sorted(user.getId() for user in api.user.get_users()),
    )


def test_applying_again_creates_and_changes_nothing(demo, setup_tool):
    before = snapshot(demo)
    meeting = council(demo)["synedriasi-3"]
    meeting.place = "Αίθουσα του ΚΑΠΗ"
    setup_tool.runAllImportStepsFromProfile(DEMO)
    assert snapshot(demo) == before
    assert council(demo)["synedriasi-3"].place == "Αίθουσα του ΚΑΠΗ"


def demo_names(portal):
    """Every person's name the demo records hold."""
    names = set()
    for body in records("CouncilBody"):
        names.update(body.members)
    for meeting in records("CouncilMeeting"):
        names.update(meeting.members_present + meeting.members_absent)
    for decision in records("CouncilDecision"):
        names.update(decision.votes_for + decision.votes_against + decision.votes_abstain)
        names.add(decision.rapporteur)
    names.update(application.applicant_name for application in records("CitizenApplication"))
    for case in records("LegalCase"):
        names.add(case.opponent)
    for employee in demo_people.EMPLOYEES:
        names.add(api.user.get(username=employee.username).getProperty("fullname"))
    return names


def test_every_name_is_the_demos_own(demo):
    own = {
        *demo_people.COUNCIL_MEMBERS,
        *(citizen.name for citizen in demo_people.CITIZENS),
        *(employee.fullname for employee in demo_people.EMPLOYEES),
        demo_people.PLAINTIFF,
    }
    assert demo_names(demo) == own
    permit = demo[demo_services.PERMITS_FOLDER_ID][demo_services.PERMIT_ID]
    assert demo_people.CAFE_OWNER.name in permit.holder_name


def test_no_demo_surname_appears_in_the_real_samples():
    if not MANIFEST.exists():
        pytest.skip(f"the Diavgeia samples are not at {MANIFEST}")
    text = MANIFEST.read_text(encoding="utf-8").upper()
    people = (
        *demo_people.COUNCIL_MEMBERS,
        *(citizen.name for citizen in demo_people.CITIZENS),
        *(employee.fullname for employee in demo_people.EMPLOYEES),
        demo_people.CAFE_OWNER.name,
        demo_people.PLAINTIFF,
    )
    for name in people:
        assert name.split()[-1].upper() not in text, name
