"""The general protocol: numbering, routing, tokens, refusals (integration, no HTTP)."""

from Acquisition import aq_base
from dimos.content.protocol.errors import ProtocolError
from dimos.content.protocol.intake import file_application
from dimos.content.protocol.registry import find_registered
from dimos.content.protocol.registry import protocol_book
from dimos.content.protocol.registry import TOKEN_HASH_ATTR
from dimos.content.protocol.registry import token_matches
from plone import api
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import base64
import datetime
import pytest


VALID_AFM = "094019245"


def body(**extra):
    data = {
        "kind": "registry-certificate",
        "subject": "Πιστοποιητικό οικογενειακής κατάστασης",
        "request": "Για χρήση στην εφορία.",
        "applicant": {"name": "Ελένη Παππά", "afm": VALID_AFM, "email": "eleni@example.org"},
    }
    data.update(extra)
    return data


def applications(portal):
    return portal["protokollo"].contentValues({"portal_type": "CitizenApplication"})


def test_numbers_are_sequential_per_year_with_a_time_stamp(portal):
    year = datetime.date.today().year
    records = [file_application(body())[0] for _ in range(3)]
    assert [r.protocol_seq for r in records] == [1, 2, 3]
    assert [r.protocol_number for r in records] == [f"{n}/{year}" for n in (1, 2, 3)]
    assert all(r.protocol_year == year for r in records)
    assert records[0].protocol_registered <= records[2].protocol_registered
    assert records[0].protocol_registered.tzinfo is not None
    assert [find_registered(year, n) for n in (1, 2, 3)] == records
    entry = protocol_book().entry(year, 2)
    assert entry["direction"] == "incoming"
    assert entry["correspondent"] == "Ελένη Παππά"


def test_a_number_is_never_reused_after_deletion(portal):
    first, _token = file_application(body())
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(first)
    second, _token = file_application(body())
    assert second.protocol_seq == 2


def test_routed_by_kind_to_its_department_with_local_roles(portal):
    record, _token = file_application(body(kind="civil-marriage-licence"))
    assert record.department == "lixiarxeio"
    assert set(record.get_local_roles_for_userid("lixiarxeio")) == {"Reader", "Editor"}
    tap, _token = file_application(body(kind="tap-clearance"))
    assert tap.department == "oikonomiki-ypiresia"


def test_reassignment_moves_the_local_roles(portal):
    api.user.create(email="k@example.org", username="kostas")
    record, _token = file_application(body())
    record.department = "oikonomiki-ypiresia"
    record.assigned_to = "kostas"
    notify(ObjectModifiedEvent(record))
    assert record.get_local_roles_for_userid("dimotologio") == ()
    assert set(record.get_local_roles_for_userid("oikonomiki-ypiresia")) == {"Reader", "Editor"}
    assert set(record.get_local_roles_for_userid("kostas")) == {"Reader", "Editor"}


def test_token_is_given_once_and_only_its_hash_kept(portal):
    record, token = file_application(body())
    assert len(token) >= 24
    assert token not in repr(aq_base(record).__getstate__())  # what the ZODB stores
    assert getattr(record, TOKEN_HASH_ATTR) != token
    assert token_matches(record, token)
    assert not token_matches(record, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not token_matches(record, "")


def test_attachments_become_files_of_the_application(portal):
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    record, _token = file_application(
        body(
            attachments=[
                {
                    "filename": "ταυτότητα.pdf",
                    "content-type": "application/pdf",
                    "data": base64.b64encode(pdf).decode(),
                }
            ]
        )
    )
    files = record.contentValues({"portal_type": "File"})
    assert [f.file.filename for f in files] == ["ταυτότητα.pdf"]
    assert files[0].file.data == pdf


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"kind": None}, "MissingField", "kind"),
        ({"kind": "divorce"}, "UnknownKind", "kind"),
        ({"subject": "  "}, "MissingField", "subject"),
        ({"applicant": None}, "MissingField", "applicant"),
        ({"applicant": {"afm": VALID_AFM}}, "MissingField", "name"),
        ({"applicant": {"name": "Α Β", "afm": "123456789"}}, "InvalidAFMError", "applicant.afm"),
        ({"applicant": {"name": "Α Β", "afm": "12345"}}, "InvalidAFMError", "applicant.afm"),
        (
            {"applicant": {"name": "Α Β", "email": "not-an-email"}},
            "InvalidEmailError",
            "applicant.email",
        ),
        (
            {"applicant": {"name": "Α Β", "phone": "call me"}},
            "InvalidPhoneError",
            "applicant.phone",
        ),
        ({"attachments": [{"filename": "a.pdf", "data": "***"}]}, "BadAttachments", "attachments"),
        ({"attachments": [{"filename": "a.pdf", "data": ""}]}, "BadAttachments", "attachments"),
        ({"department": "nomiki-ypiresia"}, "Forbidden", "department"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(portal, change, code, field):
    before = protocol_book().last(datetime.date.today().year)
    with pytest.raises(ProtocolError) as raised:
        file_application(body(**change))
    error = raised.value
    assert (error.code, error.field) == (code, field)
    assert 400 <= error.status < 500
    payload = error.payload(portal.REQUEST)["error"]
    assert payload["messages"]["el"] != payload["messages"]["en"]  # both languages, translated
    assert payload["message"] == payload["messages"]["el"]  # the site's language
    assert applications(portal) == []
    assert protocol_book().last(datetime.date.today().year) == before


def test_applications_lists_what_was_filed(portal):  # so the test above is not vacuous
    record, _token = file_application(body())
    assert applications(portal) == [record]


def test_the_protocol_clerk_may_choose_the_department(portal):
    api.user.create(email="p@example.org", username="clerk")
    api.group.add_user(groupname="geniko-protokollo", username="clerk")
    with api.env.adopt_user(username="clerk"):
        record, _token = file_application(body(department="nomiki-ypiresia"))
    assert record.department == "nomiki-ypiresia"
    with api.env.adopt_user(username="clerk"), pytest.raises(ProtocolError) as raised:
        file_application(body(department="no-such-department"))
    assert raised.value.code == "UnknownDepartment"
