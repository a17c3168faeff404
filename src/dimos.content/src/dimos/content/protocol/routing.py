"""Routing: the department and the assigned employee get local roles on the record.

The department's group and the employee become Reader and Editor; what those
roles may do in each state is the application workflow's business. Routing
again (another department, another employee) takes the old grants away.
"""

ROUTING_ROLES = ("Reader", "Editor")
ROUTED_ATTR = "_dimos_routed_to"


def principals_for(record):
    return tuple(principal for principal in (record.department, record.assigned_to) if principal)


def sync_routing(record):
    """Bring the record's local roles in line with its department and assignee.

    Returns True when anything changed (the caller reindexes security).
    """
    wanted = principals_for(record)
    granted = getattr(record, ROUTED_ATTR, ())
    if wanted == granted:
        return False
    for principal in granted:
        if principal in wanted:
            continue
        remaining = [
            role
            for role in record.get_local_roles_for_userid(principal)
            if role not in ROUTING_ROLES
        ]
        if remaining:
            record.manage_setLocalRoles(principal, remaining)
        else:
            record.manage_delLocalRoles([principal])
    for principal in wanted:
        roles = set(record.get_local_roles_for_userid(principal)) | set(ROUTING_ROLES)
        record.manage_setLocalRoles(principal, sorted(roles))
    setattr(record, ROUTED_ATTR, wanted)
    return True
