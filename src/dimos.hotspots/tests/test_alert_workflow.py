"""The alert workflow: its diagram, its permission matrix, its guard.

Matrix cells as in dimos.content's test_workflows: ``-`` nothing, ``V`` may
view, ``VE`` may view and edit (Modify portal content), then ``:`` and the
transitions offered. Personas: ``anonymous``; ``citizen`` (a member);
``politiki-prostasia`` (a member of civil protection's group: the
CivilProtectionOfficer role, Editor/Contributor/Reader on /alerts);
``pliroforiki`` (a member of IT's group); ``local-reader`` (Reader on the
alert only); ``owner`` (Owner on the alert, nothing else); ``manager``.
"""

from AccessControl import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.SpecialUsers import nobody
from contextlib import contextmanager
from dimos.hotspots.alerts import times
from dimos.hotspots.alerts.testing import make_alert
from pathlib import Path
from plone import api
from xml.etree import ElementTree

import datetime
import dimos.hotspots
import pytest
import re


pytestmark = pytest.mark.portal(roles=["Manager"])

WORKFLOW_DIR = (
    Path(dimos.hotspots.__file__).parent / "profiles/default/workflows/dimos_alert_workflow"
)

MATRIX = """
persona             draft       published     withdrawn
anonymous           -           V             V
citizen             -           V             V
politiki-prostasia  VE:publish  VE:withdraw   V
pliroforiki         -           V             V
local-reader        V           V             V
owner               VE          V             V
manager             VE:publish  VE:withdraw   V
"""

PATHS = {"draft": (), "published": ("publish",), "withdrawn": ("publish", "withdraw")}


def parse_matrix():
    header, *rows = (line.split() for line in MATRIX.strip().splitlines())
    for persona, *cells in rows:
        for state, cell in zip(header[1:], cells, strict=True):
            flags, _, transitions = cell.partition(":")
            expected = (flags.strip("-"), tuple(sorted(filter(None, transitions.split(",")))))
            yield pytest.param(state, persona, expected, id=f"{state}-{persona}")


def persona_user(alert, persona):
    if persona == "anonymous":
        return None
    groups = ("politiki-prostasia", "pliroforiki")
    user_id = f"member-{persona}" if persona in groups else persona
    roles = ("Member", "Manager") if persona == "manager" else ("Member",)
    api.user.create(
        email=f"{user_id}@example.org", username=user_id, password="secret-123456", roles=roles
    )
    if persona in groups:
        api.group.add_user(groupname=persona, username=user_id)
    elif persona == "local-reader":
        alert.manage_setLocalRoles(user_id, ["Reader"])
    elif persona == "owner":
        alert.manage_setLocalRoles(user_id, ["Owner"])
    alert.reindexObjectSecurity()
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


def observe(alert, user_id):
    with acting_as(user_id):
        check = getSecurityManager().checkPermission
        flags = ("V" if check("View", alert) else "") + (
            "E" if check("Modify portal content", alert) else ""
        )
        wftool = api.portal.get_tool("portal_workflow")
        transitions = tuple(sorted(t["id"] for t in wftool.getTransitionsFor(alert)))
    return flags, transitions


@pytest.mark.parametrize(("state", "persona", "expected"), list(parse_matrix()))
def test_permission_matrix(portal, state, persona, expected):
    alert = make_alert(portal, publish=False)
    for transition in PATHS[state]:
        api.content.transition(alert, transition=transition)
    assert api.content.get_state(alert) == state
    assert observe(alert, persona_user(alert, persona)) == expected


def test_matrix_covers_every_state(portal):
    workflow = portal.portal_workflow["dimos_alert_workflow"]
    assert set(workflow.states.objectIds()) == set(PATHS)
    assert portal.portal_workflow.getChainForPortalType("Alert") == ("dimos_alert_workflow",)


def test_diagram_matches_definition():
    root = ElementTree.parse(WORKFLOW_DIR / "definition.xml").getroot()
    targets = {t.get("transition_id"): t.get("new_state") for t in root.iter("transition")}
    defined = {
        (state.get("state_id"), targets[exit.get("transition_id")], exit.get("transition_id"))
        for state in root.iter("state")
        for exit in state.iter("exit-transition")
    }
    arrow = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\w+)\s*(?::\s*(\w+))?\s*$")
    text = (WORKFLOW_DIR / "diagram.mmd").read_text()
    matches = [arrow.match(line) for line in text.splitlines()]
    arrows = [m.groups() for m in matches if m]
    assert [target for source, target, _ in arrows if source == "[*]"] == [
        root.get("initial_state")
    ]
    assert {a for a in arrows if a[0] != "[*]"} == defined


def test_publish_refused_once_expired(portal):
    past = times.now() - datetime.timedelta(hours=2)
    alert = make_alert(
        portal,
        publish=False,
        cap_effective=past - datetime.timedelta(hours=1),
        cap_expires=past,
    )
    assert alert.wf_conditions().can_publish() is False
    with pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(alert, transition="publish")
    assert api.content.get_state(alert) == "draft"


def test_publish_refused_when_effective_not_before_expires(portal):
    soon = times.now() + datetime.timedelta(hours=2)
    alert = make_alert(portal, publish=False, cap_effective=soon, cap_expires=soon)
    assert alert.wf_conditions().can_publish() is False
    alert.cap_expires = soon + datetime.timedelta(minutes=1)
    assert alert.wf_conditions().can_publish() is True


def test_can_publish_at_a_given_time(portal):
    alert = make_alert(portal, publish=False)
    conditions = alert.wf_conditions()
    assert conditions.can_publish(now=alert.cap_expires - datetime.timedelta(seconds=1))
    assert not conditions.can_publish(now=alert.cap_expires)


def test_guard_is_called_through_the_workflow(portal):
    """The guard expression really runs (restricted Python): the publish offer follows the dates."""
    alert = make_alert(portal, publish=False)
    wftool = portal.portal_workflow
    assert "publish" in {t["id"] for t in wftool.getTransitionsFor(alert)}
    alert.cap_expires = times.now() - datetime.timedelta(seconds=1)
    assert "publish" not in {t["id"] for t in wftool.getTransitionsFor(alert)}
