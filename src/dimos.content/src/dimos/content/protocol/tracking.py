"""What a citizen sees when tracking an application: number, status, who handles it."""

from dimos.content.vocabularies import ApplicationKinds
from dimos.content.vocabularies import Departments
from plone import api
from zope.i18n import translate


def _term(vocabulary, value, request):
    try:
        term = vocabulary().getTerm(value)
    except LookupError:
        return {"token": value, "title": value}
    return {"token": value, "title": translate(term.title, context=request)}


def _state(workflow, state_id, request):
    state = workflow.states.get(state_id)
    title = state.title if state is not None else state_id
    return {"token": state_id, "title": translate(title, domain="plone", context=request)}


def employee_contact(userid):
    """Name and work contact details of an employee, as the citizen may see them."""
    if not userid:
        return None
    user = api.user.get(userid=userid)
    if user is None:
        return None
    return {
        "fullname": user.getProperty("fullname") or userid,
        "email": user.getProperty("email") or None,
        "phone": user.getProperty("phone", None) or None,
    }


def department_info(department_id, request):
    info = _term(Departments, department_id, request)
    group = api.group.get(groupname=department_id) if department_id else None
    info["email"] = group.getProperty("email") or None if group is not None else None
    return info


def history(record, workflow, request):
    """Every status the record went through, oldest first.

    Read from the workflow history itself: the ``review_history`` variable is
    guarded for staff, and the citizen is entitled to see this.
    """
    entries = record.workflow_history.get(workflow.getId(), ())
    result = []
    for entry in entries:
        action = entry.get("action")
        transition = workflow.transitions.get(action) if action else None
        result.append(
            {
                "status": _state(workflow, entry["review_state"], request),
                "date": entry["time"].ISO8601(),
                "action": translate(transition.title, domain="plone", context=request)
                if transition is not None
                else None,
                "comment": entry.get("comments") or None,
            }
        )
    return result


def tracking_info(record, request):
    workflow_tool = api.portal.get_tool("portal_workflow")
    workflow = workflow_tool.getWorkflowsFor(record)[0]
    return {
        "protocol_number": record.protocol_number,
        "year": record.protocol_year,
        "number": record.protocol_seq,
        "registered": record.protocol_registered.isoformat(),
        "kind": _term(ApplicationKinds, record.application_kind, request),
        "subject": record.Title(),
        "status": _state(workflow, api.content.get_state(record), request),
        "department": department_info(record.department, request),
        "assigned_to": employee_contact(record.assigned_to),
        "history": history(record, workflow, request),
    }
