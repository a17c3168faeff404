"""The permission matrix of each Dimos workflow: in every state, what every kind of user may do.

A table per workflow: one row per persona, one column per state. A cell is
``-`` (nothing), ``V`` (may view), ``VE`` (may view and edit), followed by
``:`` and the transitions offered to that persona. Records reach their states
through the real transitions, performed by a Manager with every guard
condition met, so the tables show the permissions alone (the conditions are
tested in test_workflow_guards.py).

Personas: ``anonymous``; ``citizen``, a logged-in member; ``owner``, the
citizen who filed the record; a member of each department group (named after
the group); ``local-editor``, who has Reader and Editor on the record only
(what the sharing tab gives, and what routing gives the department and the
employee of an application); ``manager``.
"""

from AccessControl import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.SpecialUsers import nobody
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from dimos.content.testing import add_decision
from dimos.content.testing import council
from dimos.content.testing import run
from dimos.policy.departments import DEPARTMENTS
from plone import api
from plone.app.textfield.value import RichTextValue

import pytest


pytestmark = pytest.mark.portal(roles=["Manager"])

GROUPS = tuple(department.id for department in DEPARTMENTS)
CITIZENS = ("anonymous", "citizen")
STAFF = (*GROUPS, "local-editor", "manager")

DECISION = """
persona              draft      submitted           approved     published          corrected  revoked
anonymous            -          -                   -            V                  V          V
citizen              -          -                   -            V                  V          V
dimotologio          -          -                   V            V                  V          V
lixiarxeio           -          -                   V            V                  V          V
geniko-protokollo    -          -                   V            V                  V          V
oikonomiki-ypiresia  -          -                   -            V                  V          V
nomiki-ypiresia      -          -                   -            V                  V          V
tmima-prosopikou     -          -                   -            V                  V          V
grammateia-ds        VE:submit  VE:approve,retract  VE:publish   V:correct,revoke   V          V
psifiopoiisi         -          -                   -            V                  V          V
local-editor         VE:submit  V                   V            V                  V          V
manager              VE:submit  VE:approve,retract  VE:publish   V:correct,revoke   V          V
"""

MEETING = """
persona              planned     convened           held                 minutes_approved
anonymous            -           V                  V                    V
citizen              -           V                  V                    V
dimotologio          -           V                  V                    V
lixiarxeio           -           V                  V                    V
geniko-protokollo    -           V                  V                    V
oikonomiki-ypiresia  -           V                  V                    V
nomiki-ypiresia      -           V                  V                    V
tmima-prosopikou     -           V                  V                    V
grammateia-ds        VE:convene  VE:hold,unconvene  VE:approve_minutes   V
psifiopoiisi         -           V                  V                    V
local-editor         VE          V                  V                    V
manager              VE:convene  VE:hold,unconvene  VE:approve_minutes   V
"""

# Routed to dimotologio (its group has Reader and Editor on the record) and
# assigned to local-editor.
APPLICATION = """
persona              submitted         assigned         in_progress                     waiting_for_citizen  resolved  rejected
anonymous            -                 -                -                               -                    -         -
citizen              -                 -                -                               -                    -         -
owner                V                 V                V                               V                    V         V
dimotologio          V                 VE:reject,start  VE:reject,request_info,resolve  VE:reject,resume     V         V
lixiarxeio           -                 -                -                               -                    -         -
geniko-protokollo    VE:assign,reject  VE               VE                              VE                   V         V
oikonomiki-ypiresia  -                 -                -                               -                    -         -
nomiki-ypiresia      -                 -                -                               -                    -         -
tmima-prosopikou     -                 -                -                               -                    -         -
grammateia-ds        -                 -                -                               -                    -         -
psifiopoiisi         -                 -                -                               -                    -         -
local-editor         V                 VE:reject,start  VE:reject,request_info,resolve  VE:reject,resume     V         V
manager              VE:assign,reject  VE:reject,start  VE:reject,request_info,resolve  VE:reject,resume     V         V
"""

LEGAL_CASE = """
persona              open                       pending_hearing     decided            appealed                   closed
anonymous            -                          -                   -                  -                          -
citizen              -                          -                   -                  -                          -
dimotologio          -                          -                   -                  -                          -
lixiarxeio           -                          -                   -                  -                          -
geniko-protokollo    -                          -                   -                  -                          -
oikonomiki-ypiresia  -                          -                   -                  -                          -
nomiki-ypiresia      VE:close,schedule_hearing  VE:record_decision  VE:appeal,close    VE:close,schedule_hearing  V
tmima-prosopikou     -                          -                   -                  -                          -
grammateia-ds        -                          -                   -                  -                          -
psifiopoiisi         -                          -                   -                  -                          -
local-editor         VE                         VE                  VE                 VE                         V
manager              VE:close,schedule_hearing  VE:record_decision  VE:appeal,close    VE:close,schedule_hearing  V
"""

PERMIT = """
persona              requested          approved                   rejected  paid             issued           expired  revoked
anonymous            -                  -                          -         -                -                -        -
citizen              -                  -                          -         -                -                -        -
owner                VE                 V                          V         V                V                V        V
dimotologio          -                  -                          -         -                -                -        -
lixiarxeio           -                  -                          -         -                -                -        -
geniko-protokollo    -                  -                          -         -                -                -        -
oikonomiki-ypiresia  VE:approve,reject  VE:confirm_payment,revoke  V         VE:issue,revoke  V:expire,revoke  V        V
nomiki-ypiresia      -                  -                          -         -                -                -        -
tmima-prosopikou     -                  -                          -         -                -                -        -
grammateia-ds        -                  -                          -         -                -                -        -
psifiopoiisi         -                  -                          -         -                -                -        -
local-editor         V                  V                          V         V                V                V        V
manager              VE:approve,reject  VE:confirm_payment,revoke  V         VE:issue,revoke  V:expire,revoke  V        V
"""

# The transitions a Manager performs to bring a new record into each state.
DECISION_PATHS = {
    "draft": (),
    "submitted": ("submit",),
    "approved": ("submit", "approve"),
    "published": ("submit", "approve", "publish"),
    "corrected": ("submit", "approve", "publish", "correct"),
    "revoked": ("submit", "approve", "publish", "revoke"),
}
MEETING_PATHS = {
    "planned": (),
    "convened": ("convene",),
    "held": ("convene", "hold"),
    "minutes_approved": ("convene", "hold", "approve_minutes"),
}
APPLICATION_PATHS = {
    "submitted": (),
    "assigned": ("assign",),
    "in_progress": ("assign", "start"),
    "waiting_for_citizen": ("assign", "start", "request_info"),
    "resolved": ("assign", "start", "resolve"),
    "rejected": ("reject",),
}
LEGAL_CASE_PATHS = {
    "open": (),
    "pending_hearing": ("schedule_hearing",),
    "decided": ("schedule_hearing", "record_decision"),
    "appealed": ("schedule_hearing", "record_decision", "appeal"),
    "closed": ("close",),
}
PERMIT_PATHS = {
    "requested": (),
    "approved": ("approve",),
    "rejected": ("reject",),
    "paid": ("approve", "confirm_payment"),
    "issued": ("approve", "confirm_payment", "issue"),
    "expired": ("approve", "confirm_payment", "issue", "expire"),
    "revoked": ("approve", "revoke"),
}


# Builders: a record of each type with every guard condition met (as a Manager).


def decision(meeting, title="Έγκριση προϋπολογισμού 2026", **fields):
    values = {
        "vote_kind": "unanimous",
        "text": RichTextValue(
            "<p>Εγκρίνει τον προϋπολογισμό.</p>", "text/html", "text/x-html-safe"
        ),
    }
    values.update(fields)
    return add_decision(meeting, title, **values)


def application(portal, **fields):
    values = {
        "title": "Πιστοποιητικό οικογενειακής κατάστασης",
        "application_kind": "registry-certificate",
        "applicant_name": "Μαρία Παπαδοπούλου",
        "department": "dimotologio",
        "assigned_to": "local-editor",
    }
    values.update(fields)
    record = api.content.create(container=portal["protokollo"], type="CitizenApplication", **values)
    # What routing gives the department's group and the employee.
    for principal in (record.department, record.assigned_to):
        if principal:
            record.manage_setLocalRoles(principal, ["Reader", "Editor"])
    record.reindexObjectSecurity()
    return record


def legal_case(portal, **fields):
    values = {
        "title": "Αγωγή για αποζημίωση",
        "case_number": "1234/2025",
        "court": "protodikeio",
        "case_kind": "civil",
        "hearings": [{"date": "2025-05-20"}],
        "outcome": "won",
    }
    values.update(fields)
    return api.content.create(container=portal, type="LegalCase", **values)


def permit(portal, **fields):
    values = {
        "title": "Κατάληψη πεζοδρομίου",
        "permit_kind": "common-space",
        "holder_name": "Καφενείο Η Πλατεία",
        "fee": Decimal("120.00"),
        "payment_code": "RF18000000000000000000123",
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2024, 12, 31),
    }
    values.update(fields)
    return api.content.create(container=portal, type="Permit", **values)


def published_decision(portal):
    """A decision with a later decision amending it and another repealing it."""
    meeting = council(portal)
    target = decision(meeting)
    amending = decision(meeting, title="Διόρθωση της απόφασης")
    repealing = decision(meeting, title="Ανάκληση της απόφασης")
    api.relation.create(source=amending, target=target, relationship="amends")
    api.relation.create(source=repealing, target=target, relationship="repeals")
    return target


WORKFLOWS = {
    "decision": (published_decision, DECISION, DECISION_PATHS),
    "meeting": (council, MEETING, MEETING_PATHS),
    "application": (application, APPLICATION, APPLICATION_PATHS),
    "legal_case": (legal_case, LEGAL_CASE, LEGAL_CASE_PATHS),
    "permit": (permit, PERMIT, PERMIT_PATHS),
}


# The tables


def parse_table(table):
    """The table's states, and {(state, persona): (flags, sorted transitions)}."""
    header, *rows = (line.split() for line in table.strip().splitlines())
    states = header[1:]
    cells = {}
    for persona, *row in rows:
        assert len(row) == len(states), persona
        for state, cell in zip(states, row, strict=True):
            flags, _, transitions = cell.partition(":")
            cells[(state, persona)] = (
                flags.strip("-"),
                tuple(sorted(transitions.split(","))) if transitions else (),
            )
    return states, cells


def cases():
    for name, (_, table, paths) in WORKFLOWS.items():
        states, cells = parse_table(table)
        assert states == list(paths), name
        for (state, persona), expected in cells.items():
            yield pytest.param(name, state, persona, expected, id=f"{name}-{state}-{persona}")


def test_tables_cover_every_state_and_persona(portal):
    wftool = portal.portal_workflow
    for name, (_, table, _paths) in WORKFLOWS.items():
        states, cells = parse_table(table)
        personas = {persona for _, persona in cells}
        expected = {*CITIZENS, *STAFF} | ({"owner"} if name in ("application", "permit") else set())
        assert personas == expected, name
        workflow = wftool[f"dimos_{name}_workflow"]
        assert set(states) == set(workflow.states.objectIds()), name


# Personas


def persona_user(record, persona):
    """The user id acting as ``persona`` on ``record`` (None: anonymous)."""
    if persona == "anonymous":
        return None
    user_id = f"member-{persona}" if persona in GROUPS else persona
    roles = ("Member", "Manager") if persona == "manager" else ("Member",)
    api.user.create(
        email=f"{user_id}@example.org", username=user_id, password="secret-123456", roles=roles
    )
    if persona in GROUPS:
        api.group.add_user(groupname=persona, username=user_id)
    elif persona == "owner":
        record.manage_setLocalRoles(user_id, ["Owner"])
    elif persona == "local-editor":
        record.manage_setLocalRoles(user_id, ["Reader", "Editor"])
    return user_id


@contextmanager
def acting_as(user_id):
    if user_id is not None:
        with api.env.adopt_user(username=user_id):
            yield
        return
    previous = getSecurityManager()
    newSecurityManager(None, nobody)
    try:
        yield
    finally:
        setSecurityManager(previous)


def observe(record, user_id):
    """(flags, transitions) as the user experiences the record."""
    with acting_as(user_id):
        check = getSecurityManager().checkPermission
        flags = ("V" if check("View", record) else "") + (
            "E" if check("Modify portal content", record) else ""
        )
        wftool = api.portal.get_tool("portal_workflow")
        transitions = tuple(sorted(t["id"] for t in wftool.getTransitionsFor(record)))
    return flags, transitions


@pytest.mark.parametrize(("workflow", "state", "persona", "expected"), list(cases()))
def test_permission_matrix(portal, workflow, state, persona, expected):
    build, _, paths = WORKFLOWS[workflow]
    record = run(build(portal), *paths[state])
    assert api.content.get_state(record) == state
    user_id = persona_user(record, persona)
    assert observe(record, user_id) == expected


# Chains


@pytest.mark.parametrize(
    ("portal_type", "chain"),
    [
        ("CouncilDecision", ("dimos_decision_workflow",)),
        ("CouncilMeeting", ("dimos_meeting_workflow",)),
        ("CitizenApplication", ("dimos_application_workflow",)),
        ("LegalCase", ("dimos_legal_case_workflow",)),
        ("Permit", ("dimos_permit_workflow",)),
        ("CouncilBody", ("simple_publication_workflow",)),
        ("SignedDocument", ("simple_publication_workflow",)),
        ("ProtocolRegistry", ("simple_publication_workflow",)),
    ],
)
def test_chains(portal, portal_type, chain):
    assert tuple(portal.portal_workflow.getChainForPortalType(portal_type)) == chain
