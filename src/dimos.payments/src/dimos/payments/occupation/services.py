"""``/@occupation-applications``: citizens apply to occupy a common space; revenue staff decide.

``POST /@occupation-applications``  a logged-in citizen (user id = ΑΦΜ) applies::

    {"kind": "tables-chairs", "location": "Πλατεία Ελευθερίας 3", "area": "12,5",
     "from": "2026-06-01", "until": "2026-08-31" | "days": 3, "zone": "Α",
     "holder_name": "optional", "email": "optional"}

  → 201 and the application (status ``submitted``, the amount quoted from the
  tariff in force); 400 with the reason in Greek and English, nothing stored.
``GET /@occupation-applications``   the caller's own (staff: all, ``?status=``,
  ``?afm=``); ``GET /@occupation-applications/{id}``: one, another's is 404.
``POST /@occupation-applications/{id}/approve``  ``{"reason": optional}``;
``POST /@occupation-applications/{id}/reject``   ``{"reason": required}``;
``POST /@occupation-applications/{id}/issue-permit``  retry a permit left
  pending: Manage debts only (403 for anyone else), audited.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import rest_post
from dimos.payments.declarations.services import fullname
from dimos.payments.declarations.services import json_body
from dimos.payments.occupation.applications import all_applications
from dimos.payments.occupation.applications import applications_of
from dimos.payments.occupation.applications import approve_application
from dimos.payments.occupation.applications import get_application
from dimos.payments.occupation.applications import ISSUED
from dimos.payments.occupation.applications import PAID
from dimos.payments.occupation.applications import reject_application
from dimos.payments.occupation.applications import STATUS_TITLES
from dimos.payments.occupation.applications import submit_application
from dimos.payments.occupation.permits import issue_permit
from dimos.payments.services.debts.access import afm_asked
from dimos.payments.services.debts.access import is_staff
from dimos.payments.services.debts.access import own_afm
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.debts.access import refused_reply
from dimos.payments.services.debts.access import user_id
from dimos.payments.services.traversing import TraversingService
from plone import api


ACTIONS = ("approve", "reject", "issue-permit")


def member_email():
    user = api.user.get_current()
    return (user.getProperty("email", "") or "").strip() if user is not None else ""


def not_found(app_id):
    return Refused(
        404,
        f"Δεν βρέθηκε η αίτηση «{app_id}».",
        f"Application “{app_id}” was not found.",
        "application-not-found",
    )


def staff_only():
    return Refused(
        403,
        "Μόνο η Υπηρεσία Εσόδων αποφασίζει για τις αιτήσεις.",
        "Only the revenue office decides on applications.",
        "staff-only",
    )


def retry_permit(app_id, actor):
    app = get_application(app_id)
    if app is None:
        raise not_found(app_id)
    if app.status not in (PAID, ISSUED):
        status_el, status_en = STATUS_TITLES[app.status]
        raise BilingualError(
            f"Η αίτηση {app.id} δεν έχει πληρωθεί ({status_el}): δεν εκδίδεται άδεια.",
            f"Application {app.id} is not paid ({status_en}): no permit can be issued.",
            code="not-paid",
        )
    issue_permit(app, actor=actor)
    return app


class ApplicationsService(TraversingService):
    @property
    def base_url(self):
        return f"{self.context.absolute_url()}/@occupation-applications"

    def app_json(self, app, staff):
        return {"@id": f"{self.base_url}/{app.id}", **app.to_json(audit=staff)}


class ApplicationsGet(ApplicationsService):
    def reply(self):
        staff = is_staff(self.context)
        try:
            if self.params:
                app = get_application(self.params[0])
                if app is None or (not staff and app.afm != own_afm()):
                    raise not_found(self.params[0])
                return self.app_json(app, staff)
            form = self.request.form
            if staff and not form.get("afm"):
                apps = all_applications(form.get("status") or None)
            else:
                apps = applications_of(afm_asked(self.context, form.get("afm")))
        except Refused as error:
            return refused_reply(self.request, error)
        items = [self.app_json(app, staff) for app in apps]
        return {"@id": self.base_url, "items": items, "items_total": len(items)}


class ApplicationsPost(ApplicationsService):
    def reply(self):
        refused = rest_post(self.request)
        if refused is not None:
            return refused
        try:
            data = json_body(self.request)
            if not self.params:
                return self.submit(data)
            return self.decide(data)
        except Refused as error:
            return refused_reply(self.request, error)
        except BilingualError as error:
            return error_reply(self.request, error)

    def submit(self, data):
        afm = own_afm()
        app = submit_application(afm, data, user_id(), holder_name=fullname(), email=member_email())
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", f"{self.base_url}/{app.id}")
        return self.app_json(app, is_staff(self.context))

    def decide(self, data):
        app_id, action = (self.params + [""])[:2]
        if len(self.params) != 2 or action not in ACTIONS:
            raise BilingualError(
                "Άγνωστη ενέργεια· δεκτές: /{id}/approve, /{id}/reject, /{id}/issue-permit.",
                "Unknown action; accepted: /{id}/approve, /{id}/reject, /{id}/issue-permit.",
                code="bad-action",
            )
        if not is_staff(self.context):
            raise staff_only()
        if get_application(app_id) is None:
            raise not_found(app_id)
        actor = user_id()
        if action == "approve":
            portal_url = self.context.absolute_url()
            app = approve_application(app_id, actor, data.get("reason"), portal_url)
        elif action == "reject":
            app = reject_application(app_id, actor, data.get("reason"))
        else:
            app = retry_permit(app_id, actor)
        return self.app_json(app, True)
