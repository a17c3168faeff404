"""Guard conditions: each one keeps its transition away until the record is ready for it."""

from datetime import date
from datetime import timedelta
from decimal import Decimal
from dimos.content.testing import add_decision
from dimos.content.testing import council
from dimos.content.testing import MEMBERS
from dimos.content.testing import run
from dimos.content.workflows.interfaces import IWorkflowConditions
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile

import pytest


pytestmark = pytest.mark.portal(roles=["Manager"])


def body_meeting_decision(portal, **fields):
    """A decision (its title is its subject) of a meeting of a municipal council."""
    return add_decision(council(portal), **fields)


def transitions(record):
    wftool = api.portal.get_tool("portal_workflow")
    return {transition["id"] for transition in wftool.getTransitionsFor(record)}


def secretary():
    api.user.create(email="g@example.org", username="secretary", password="secret-123456")
    api.group.add_user(groupname="grammateia-ds", username="secretary")
    return "secretary"


def text():
    """A new value per use: one shared value would keep the database id it got in an
    earlier test's (aborted) transaction."""
    return RichTextValue("<p>Εγκρίνει τον προϋπολογισμό.</p>", "text/html", "text/x-html-safe")


def signed_pdf():
    return NamedBlobFile(
        b"%PDF-1.4\n%%EOF\n", filename="apofasi.pdf", contentType="application/pdf"
    )


# Decisions


def test_approve_needs_the_vote(portal):
    record = run(body_meeting_decision(portal), "submit")
    assert transitions(record) == {"retract"}
    record.vote_kind = "majority"
    assert transitions(record) == {"retract"}  # no votes for yet
    record.votes_for = MEMBERS[:3]
    assert transitions(record) == {"retract", "approve"}


def test_approve_is_allowed_to_the_secretary(portal):
    """The guard expression runs in RestrictedPython, for a user who is not a Manager."""
    record = run(body_meeting_decision(portal, vote_kind="unanimous"), "submit")
    with api.env.adopt_user(username=secretary()):
        run(record, "approve")
    assert api.content.get_state(record) == "approved"


@pytest.mark.parametrize(
    ("fields", "publishable"),
    [
        ({}, False),
        ({"text": text}, True),
        ({"signed_pdf": signed_pdf}, True),
        ({"text": RichTextValue("  ", "text/html", "text/x-html-safe")}, False),
        ({"text": text, "decision_number": None}, False),
    ],
    ids=["nothing", "text", "signed-pdf", "blank-text", "no-number"],
)
def test_publish_needs_the_number_and_the_text_or_the_pdf(portal, fields, publishable):
    record = run(body_meeting_decision(portal, vote_kind="unanimous"), "submit", "approve")
    assert record.number_label()
    for name, value in fields.items():
        setattr(record, name, value() if callable(value) else value)
    assert ("publish" in transitions(record)) is publishable


def published(meeting, title="Έγκριση προϋπολογισμού 2026"):
    record = add_decision(meeting, title=title, vote_kind="unanimous", text=text())
    return run(record, "submit", "approve", "publish")


def test_correct_needs_a_decision_that_amends_it(portal):
    meeting = council(portal)
    record = published(meeting)
    assert transitions(record) == set()
    repealing = add_decision(meeting, title="Ανάκληση")
    api.relation.create(source=repealing, target=record, relationship="repeals")
    assert transitions(record) == {"revoke"}
    amending = add_decision(meeting, title="Διόρθωση")
    api.relation.create(source=amending, target=record, relationship="amends")
    assert transitions(record) == {"revoke", "correct"}
    run(record, "correct")
    assert api.content.get_state(record) == "corrected"


def test_a_decision_does_not_amend_itself(portal):
    record = published(council(portal))
    api.relation.create(source=record, target=record, relationship="amends")
    api.relation.create(source=record, target=record, relationship="repeals")
    assert not IWorkflowConditions(record).can_correct()
    assert not IWorkflowConditions(record).can_revoke()


def test_revoke_by_a_later_decision(portal):
    meeting = council(portal)
    record = published(meeting)
    repealing = published(meeting, title="Ανάκληση της απόφασης")
    api.relation.create(source=repealing, target=record, relationship="repeals")
    with api.env.adopt_user(username=secretary()):
        run(record, "revoke")
    assert api.content.get_state(record) == "revoked"
    assert api.content.get_state(repealing) == "published"


# Meetings


def test_convene_needs_an_agenda(portal):
    meeting = council(portal, agenda=[])
    assert transitions(meeting) == set()
    meeting.agenda = [" "]
    assert transitions(meeting) == set()
    meeting.agenda = ["Έγκριση προϋπολογισμού 2026"]
    assert transitions(meeting) == {"convene"}


def test_hold_needs_a_quorum(portal):
    meeting = run(council(portal, members_present=MEMBERS[:2]), "convene")
    assert transitions(meeting) == {"unconvene"}
    meeting.members_present = [*MEMBERS[:2], "Κάποιος που δεν είναι μέλος"]
    assert transitions(meeting) == {"unconvene"}
    meeting.members_present = MEMBERS[:3]
    assert transitions(meeting) == {"unconvene", "hold"}


def test_agenda_is_frozen_once_convened(portal):
    meeting = council(portal)
    user = secretary()

    def may_edit_agenda():
        with api.env.adopt_user(username=user):
            return api.user.has_permission("Dimos: Edit agenda", obj=meeting)

    assert may_edit_agenda()
    run(meeting, "convene")
    assert not may_edit_agenda()
    assert not api.user.has_permission("Dimos: Edit agenda", obj=meeting)  # not even a Manager
    run(meeting, "unconvene")
    assert may_edit_agenda()


def test_digitized_decisions_join_a_closed_meeting(portal):
    meeting = run(council(portal), "convene", "hold", "approve_minutes")
    with api.env.adopt_user(username=secretary()):
        record = add_decision(meeting, title="Απόφαση από το χάρτινο αρχείο")
    assert api.content.get_state(record) == "draft"


# Applications


def application(portal, **fields):
    return api.content.create(
        container=portal["protokollo"],
        type="CitizenApplication",
        title="Πιστοποιητικό οικογενειακής κατάστασης",
        application_kind="registry-certificate",
        applicant_name="Μαρία Παπαδοπούλου",
        **fields,
    )


def test_assign_needs_department_and_employee(portal):
    record = application(portal)
    record.department = record.assigned_to = None
    assert transitions(record) == {"reject"}
    record.department = "dimotologio"
    assert transitions(record) == {"reject"}
    record.assigned_to = "employee"
    assert transitions(record) == {"reject", "assign"}


def test_the_citizen_reads_the_history_with_its_comments(portal):
    record = application(portal, department="dimotologio", assigned_to="employee")
    api.user.create(email="m@example.org", username="maria", password="secret-123456")
    record.manage_setLocalRoles("maria", ["Owner"])
    run(record, "assign", "start")
    wftool = api.portal.get_tool("portal_workflow")
    wftool.doActionFor(record, "request_info", comment="Στείλτε αντίγραφο ταυτότητας.")
    with api.env.adopt_user(username="maria"):
        history = wftool.getInfoFor(record, "review_history")
    assert [entry["action"] for entry in history] == [None, "assign", "start", "request_info"]
    assert history[-1]["comments"] == "Στείλτε αντίγραφο ταυτότητας."


# Legal cases


def legal_case(portal, **fields):
    return api.content.create(
        container=portal,
        type="LegalCase",
        title="Αγωγή για αποζημίωση",
        case_number="1234/2025",
        court="protodikeio",
        case_kind="civil",
        **fields,
    )


def test_schedule_hearing_needs_a_date(portal):
    case = legal_case(portal, hearings=[])
    assert transitions(case) == {"close"}
    case.hearings = [{"date": "2025-05-20", "note": "Πρώτη συζήτηση"}]
    assert transitions(case) == {"close", "schedule_hearing"}


def test_record_decision_needs_the_outcome(portal):
    case = run(legal_case(portal, hearings=[{"date": "2025-05-20"}]), "schedule_hearing")
    assert transitions(case) == set()
    case.outcome = "partly"
    assert transitions(case) == {"record_decision"}


def test_an_appeal_gets_a_new_hearing(portal):
    case = legal_case(portal, hearings=[{"date": "2025-05-20"}], outcome="lost")
    run(case, "schedule_hearing", "record_decision", "appeal", "schedule_hearing")
    assert api.content.get_state(case) == "pending_hearing"


# Permits


def permit(portal, **fields):
    return api.content.create(
        container=portal,
        type="Permit",
        title="Κατάληψη πεζοδρομίου",
        permit_kind="common-space",
        holder_name="Καφενείο Η Πλατεία",
        **fields,
    )


@pytest.mark.parametrize(
    ("fee", "payment_code", "payable"),
    [
        (Decimal("120.00"), None, False),
        (Decimal("120.00"), "RF18000000000000000000123", True),
        (Decimal("0"), None, True),
        (None, None, True),
    ],
    ids=["unpaid", "paid", "free", "no-fee"],
)
def test_confirm_payment_needs_the_payment(portal, fee, payment_code, payable):
    record = run(permit(portal, fee=fee, payment_code=payment_code), "approve")
    assert ("confirm_payment" in transitions(record)) is payable


def test_issue_needs_the_period_of_validity(portal):
    record = run(permit(portal, valid_from=date(2025, 6, 1)), "approve", "confirm_payment")
    assert transitions(record) == {"revoke"}
    record.valid_until = date(2025, 9, 30)
    assert transitions(record) == {"revoke", "issue"}


@pytest.mark.parametrize(
    ("days", "expired"), [(-1, True), (0, False), (30, False)], ids=["yesterday", "today", "future"]
)
def test_expire_after_the_last_valid_day(portal, days, expired):
    today = date.today()
    record = permit(portal, valid_from=today - timedelta(days=60))
    record.valid_until = today + timedelta(days=days)
    run(record, "approve", "confirm_payment", "issue")
    assert ("expire" in transitions(record)) is expired
