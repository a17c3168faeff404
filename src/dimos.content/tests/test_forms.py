"""The clerks' Plone forms: adding and editing records in the Classic UI."""

from plone import api
from plone.app.textfield.value import RichTextValue
from plone.testing.zope import Browser

import datetime
import pytest
import transaction


PASSWORD = "form-test-password-1"
YEAR = datetime.date.today().year


def staff(username, group):
    api.user.create(email=f"{username}@example.org", username=username, password=PASSWORD)
    api.group.add_user(groupname=group, username=username)


def browser_as(app, username):
    browser = Browser(app)
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {username}:{PASSWORD}")
    return browser


@pytest.fixture
def meeting(functional_portal):
    staff("secretary", "grammateia-ds")
    staff("clerk", "geniko-protokollo")
    with api.env.adopt_roles(["Manager"]):
        body = api.content.create(
            container=functional_portal,
            type="CouncilBody",
            id="ds",
            title="Δημοτικό Συμβούλιο",
            body_kind="dimotiko-symvoulio",
            members=["Α", "Β", "Γ"],
        )
        meeting = api.content.create(
            container=body,
            type="CouncilMeeting",
            id="s1",
            title="Συνεδρίαση",
            start=datetime.datetime(YEAR, 3, 10, 18, 0),
            members_present=["Α", "Β"],
        )
    transaction.commit()
    return meeting


def test_secretary_adds_a_decision_and_gets_the_next_number(functional_app, meeting):
    browser = browser_as(functional_app, "secretary")
    browser.open(f"{meeting.absolute_url()}/++add++CouncilDecision")
    browser.getControl(name="form.widgets.IDublinCore.title").value = "Ονοματοδοσία πλατείας"
    browser.getControl(name="form.buttons.save").click()
    assert "Ονοματοδοσία πλατείας" in browser.contents
    transaction.begin()
    decision = meeting.contentValues()[0]
    assert decision.number_label() == f"1/{YEAR}"


def test_a_taken_number_is_refused_in_the_form(functional_app, meeting):
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=meeting, type="CouncilDecision", title="Πρώτη")
    transaction.commit()
    browser = browser_as(functional_app, "secretary")
    browser.open(f"{meeting.absolute_url()}/++add++CouncilDecision")
    browser.getControl(name="form.widgets.IDublinCore.title").value = "Δεύτερη"
    browser.getControl(name="form.widgets.decision_number").value = "1"
    browser.getControl(name="form.buttons.save").click()
    assert f"1/{YEAR}" in browser.contents  # the error next to the field, in Greek
    assert "υπάρχει ήδη" in browser.contents
    assert browser.getControl(name="form.widgets.IDublinCore.title").value == "Δεύτερη"
    browser.getControl(name="form.widgets.decision_number").value = "7"
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert [d.number_label() for d in meeting.contentValues()] == [f"1/{YEAR}", f"7/{YEAR}"]


def test_invalid_afm_is_refused_in_the_application_form(functional_app, meeting, functional_portal):
    browser = browser_as(functional_app, "clerk")
    browser.open(f"{functional_portal.absolute_url()}/protokollo/++add++CitizenApplication")
    browser.getControl(name="form.widgets.IDublinCore.title").value = "Βεβαίωση"
    browser.getControl(name="form.widgets.application_kind:list").value = ["complaint"]
    browser.getControl(name="form.widgets.applicant_name").value = "Ιωάννα Κ."
    browser.getControl(name="form.widgets.applicant_afm").value = "123456789"
    browser.getControl(name="form.buttons.save").click()
    assert "ΑΦΜ" in browser.contents  # the error, in Greek, next to the field
    assert browser.getControl(name="form.widgets.applicant_name").value == "Ιωάννα Κ."  # kept
    browser.getControl(name="form.widgets.applicant_afm").value = "094019245"
    browser.getControl(name="form.buttons.save").click()
    assert f"/{YEAR}" in browser.contents  # the protocol number, in the status message
    transaction.begin()
    record = functional_portal["protokollo"].contentValues()[0]
    assert record.department == "geniko-protokollo"
    assert record.protocol_number == f"1/{YEAR}"


def test_published_decision_cannot_be_edited(functional_app, meeting):
    with api.env.adopt_roles(["Manager"]):
        decision = api.content.create(
            container=meeting, type="CouncilDecision", title="Δημοσιευμένη", vote_kind="unanimous"
        )
        decision.text = RichTextValue("<p>Κείμενο</p>", "text/html", "text/html")
        for transition in ("submit", "approve", "publish"):
            api.content.transition(decision, transition=transition)
    transaction.commit()
    browser = browser_as(functional_app, "secretary")
    browser.handleErrors = True
    browser.raiseHttpErrors = False
    browser.open(f"{decision.absolute_url()}/edit")
    assert "insufficient-privileges" in browser.url or "login" in browser.url


def test_a_taken_ada_is_refused_in_the_form(functional_app, meeting):
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=meeting, type="CouncilDecision", title="Α", ada="6ΧΙΥΩΚ9-4ΑΟ")
    transaction.commit()
    browser = browser_as(functional_app, "secretary")
    browser.open(f"{meeting.absolute_url()}/++add++CouncilDecision")
    browser.getControl(name="form.widgets.IDublinCore.title").value = "Β"
    browser.getControl(name="form.widgets.ada").value = "6xiyωκ9-4αο"  # typed differently
    browser.getControl(name="form.buttons.save").click()
    assert "ανήκει σε άλλη απόφαση" in browser.contents
    transaction.begin()
    assert len(meeting.contentValues()) == 1
