"""Each workflow's diagram.mmd draws exactly the transitions its definition.xml has.

Plain files, no Plone site needed.
"""

from pathlib import Path
from xml.etree import ElementTree

import dimos.content
import pytest
import re


WORKFLOWS_DIR = Path(dimos.content.__file__).parent / "profiles" / "default" / "workflows"
WORKFLOW_IDS = sorted(path.name for path in WORKFLOWS_DIR.iterdir() if path.is_dir())
ARROW = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\w+)\s*(?::\s*(\w+))?\s*$")


def definition(workflow_id):
    """(initial state, {(source, target, transition)}) from definition.xml."""
    root = ElementTree.parse(WORKFLOWS_DIR / workflow_id / "definition.xml").getroot()
    targets = {
        transition.get("transition_id"): transition.get("new_state")
        for transition in root.iter("transition")
    }
    edges = {
        (state.get("state_id"), targets[exit.get("transition_id")], exit.get("transition_id"))
        for state in root.iter("state")
        for exit in state.iter("exit-transition")
    }
    return root.get("initial_state"), edges


def diagram(workflow_id):
    """(initial states, {(source, target, transition)}) from diagram.mmd."""
    text = (WORKFLOWS_DIR / workflow_id / "diagram.mmd").read_text()
    assert "stateDiagram-v2" in text
    initial, edges = [], set()
    for line in text.splitlines():
        match = ARROW.match(line)
        if match is None:
            continue
        source, target, transition = match.groups()
        if source == "[*]":
            initial.append(target)
        else:
            assert transition, f"{workflow_id}: arrow without a transition: {line.strip()}"
            edges.add((source, target, transition))
    return initial, edges


def test_every_dimos_workflow_has_a_diagram():
    assert WORKFLOW_IDS == [
        "dimos_application_workflow",
        "dimos_decision_workflow",
        "dimos_legal_case_workflow",
        "dimos_meeting_workflow",
        "dimos_permit_workflow",
    ]


@pytest.mark.parametrize("workflow_id", WORKFLOW_IDS)
def test_diagram_matches_definition(workflow_id):
    initial_state, defined = definition(workflow_id)
    initial, drawn = diagram(workflow_id)
    assert initial == [initial_state]
    assert drawn == defined


@pytest.mark.parametrize("workflow_id", WORKFLOW_IDS)
def test_every_transition_leaves_some_state(workflow_id):
    root = ElementTree.parse(WORKFLOWS_DIR / workflow_id / "definition.xml").getroot()
    used = {exit.get("transition_id") for exit in root.iter("exit-transition")}
    states = {state.get("state_id") for state in root.iter("state")}
    for transition in root.iter("transition"):
        assert transition.get("transition_id") in used
        assert transition.get("new_state") in states
