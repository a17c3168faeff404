"""The installed workflow definitions: what every state manages, how transitions show, translations."""

from dimos.content.workflows import conditions
from pathlib import Path
from zope.i18n import translate

import dimos.content
import pytest
import re


DIMOS_WORKFLOWS = {
    "dimos_decision_workflow": conditions.DecisionConditions,
    "dimos_meeting_workflow": conditions.MeetingConditions,
    "dimos_application_workflow": conditions.ApplicationConditions,
    "dimos_legal_case_workflow": conditions.LegalCaseConditions,
    "dimos_permit_workflow": conditions.PermitConditions,
}
MANAGED_EVERYWHERE = {
    "View",
    "Access contents information",
    "Modify portal content",
    "Delete objects",
}
CONDITION = re.compile(r"^python:here\.wf_conditions\(\)\.(\w+)\(\)$")
LOCALES = Path(dimos.content.__file__).parent / "locales"
MESSAGE = re.compile(r'^msgid "(.*)"\nmsgstr "(.*)"$', re.MULTILINE)


def catalog(path):
    """{msgid: msgstr} of a .po file written one line per message."""
    text = path.read_text(encoding="utf-8")

    def unescape(value):
        return value.replace('\\"', '"').replace("\\\\", "\\")

    return {unescape(msgid): unescape(msgstr) for msgid, msgstr in MESSAGE.findall(text) if msgid}


def workflows(portal):
    return [portal.portal_workflow[workflow_id] for workflow_id in DIMOS_WORKFLOWS]


def texts(workflow):
    """Every title and description of the workflow, its states and transitions."""
    yield workflow.title
    yield workflow.description
    for item in (*workflow.states.objectValues(), *workflow.transitions.objectValues()):
        yield item.title
        yield item.description


@pytest.mark.parametrize("workflow_id", DIMOS_WORKFLOWS)
def test_states_manage_their_permissions(portal, workflow_id):
    workflow = portal.portal_workflow[workflow_id]
    assert MANAGED_EVERYWHERE <= set(workflow.permissions)
    for state in workflow.states.objectValues():
        assert set(state.permission_roles) == set(workflow.permissions), state.id
        for permission, roles in state.permission_roles.items():
            # A tuple means "not acquired" in DCWorkflow.
            assert isinstance(roles, tuple), (state.id, permission)


@pytest.mark.parametrize("workflow_id", DIMOS_WORKFLOWS)
def test_transitions_show_in_the_state_menu(portal, workflow_id):
    workflow = portal.portal_workflow[workflow_id]
    for transition in workflow.transitions.objectValues():
        assert transition.trigger_type == 1  # TRIGGER_USER_ACTION
        assert transition.actbox_category == "workflow"
        assert transition.actbox_url == (
            f"%(content_url)s/content_status_modify?workflow_action={transition.id}"
        )
        assert transition.actbox_name == transition.title
        assert transition.guard.permissions, transition.id


@pytest.mark.parametrize("workflow_id", DIMOS_WORKFLOWS)
def test_guards_call_the_conditions_adapter(portal, workflow_id):
    workflow = portal.portal_workflow[workflow_id]
    for transition in workflow.transitions.objectValues():
        expression = transition.guard.getExprText()
        if not expression:
            continue
        match = CONDITION.match(expression)
        assert match, expression
        assert callable(getattr(DIMOS_WORKFLOWS[workflow_id], match.group(1), None)), expression


def test_greek_translations(portal):
    greek = catalog(LOCALES / "el" / "LC_MESSAGES" / "plone.po")
    for workflow in workflows(portal):
        for text in texts(workflow):
            assert greek.get(text), f"no Greek for {text!r}"
            # Plone's own catalog comes first: ours must not be shadowed.
            assert translate(text, domain="plone", target_language="el") == greek[text]


def test_catalogs_have_the_same_messages(portal):
    msgids = {text for workflow in workflows(portal) for text in texts(workflow)}
    english = catalog(LOCALES / "en" / "LC_MESSAGES" / "plone.po")
    assert set(catalog(LOCALES / "plone.pot")) == msgids
    assert set(catalog(LOCALES / "el" / "LC_MESSAGES" / "plone.po")) == msgids
    assert english == {msgid: msgid for msgid in msgids}
