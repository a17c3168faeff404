"""Classic UI pages: ``@@occupation-application`` (a citizen applies) and
``@@occupation-applications`` (revenue staff approve or reject).

Plain HTML forms (no JavaScript needed), Greek with English beside; a refused
form comes back with the reason beside the field to fix and nothing stored.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.declarations.book import today
from dimos.payments.declarations.services import fullname
from dimos.payments.declarations.views import FORM_EXPIRED
from dimos.payments.declarations.views import form_text
from dimos.payments.money import format_amount
from dimos.payments.occupation.applications import all_applications
from dimos.payments.occupation.applications import applications_of
from dimos.payments.occupation.applications import approve_application
from dimos.payments.occupation.applications import reject_application
from dimos.payments.occupation.applications import STATUS_TITLES
from dimos.payments.occupation.applications import submit_application
from dimos.payments.occupation.applications import SUBMITTED
from dimos.payments.occupation.services import member_email
from dimos.payments.occupation.tariffs import kind_title
from dimos.payments.occupation.tariffs import TARIFF_KINDS
from dimos.payments.occupation.tariffs import UNITS
from dimos.payments.rates import COMMON_SPACE
from dimos.payments.rates import find_rate
from dimos.payments.services.debts.access import own_afm
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.debts.access import user_id
from plone.protect.authenticator import check
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zExceptions import Forbidden


FIELDS = ("kind", "zone", "location", "area", "from", "until", "days", "holder_name", "email")


def pay_url(context, rf):
    return f"{context.absolute_url()}/@@pay?{urlencode({'rf': rf})}" if rf else None


def rows(context, apps):
    """The applications as the templates show them."""
    shown = []
    for app in apps:
        data = app.to_json()
        data["status_label"] = " / ".join(STATUS_TITLES[app.status])
        data["period"] = f"{app.start:%d/%m/%Y} – {app.end:%d/%m/%Y}"
        data["pay_url"] = pay_url(context, app.rf) if app.status == "approved" else None
        shown.append(data)
    return shown


class FormView(BrowserView):
    def authentic(self):
        try:
            check(self.request)
        except Forbidden:
            self.error = FORM_EXPIRED
            self.request.response.setStatus(403)
            return False
        return True


class OccupationApplicationForm(FormView):
    """A citizen's application; below it, their own applications."""

    template = ViewPageTemplateFile("templates/occupation_application.pt")

    def __call__(self):
        self.errors, self.error, self.application = {}, None, None
        self.values = {name: form_text(self.request, name) for name in FIELDS}
        self.values["holder_name"] = self.values["holder_name"] or fullname()
        self.values["email"] = self.values["email"] or member_email()
        try:
            self.afm = own_afm()
        except Refused as error:
            self.afm, self.error = None, error
            self.request.response.setStatus(403)
            return self.template()
        submitted = self.request.method == "POST" and "form.submitted" in self.request.form
        if submitted and self.authentic():
            self.submit()
        return self.template()

    def submit(self):
        data = {name: value for name, value in self.values.items() if value}
        try:
            self.application = submit_application(self.afm, data, user_id())
        except BilingualError as error:
            field = error.details.get("field")
            if field in FIELDS:
                self.errors[field] = error
            else:
                self.error = error
            self.request.response.setStatus(400)

    def kinds(self):
        """The tariff kinds, with today's tariffs beside them."""
        table = find_rate(COMMON_SPACE, today())
        tariffs = table.values["tariffs"] if table is not None else {}
        options = []
        for kind, (title_el, title_en) in TARIFF_KINDS.items():
            tariff = tariffs.get(kind)
            price = ""
            if tariff is not None:
                prices = [tariff["price_cents"], *tariff["zones"].values()]
                low = min(cents for cents in prices if cents is not None)
                price = f" — από {format_amount(low)} / m² / {UNITS[tariff['unit']][0]}"
            options.append(
                {
                    "value": kind,
                    "title": f"{title_el} / {title_en}{price}",
                    "selected": kind == self.values["kind"],
                }
            )
        return options

    def zones(self):
        table = find_rate(COMMON_SPACE, today())
        if table is None:
            return []
        names = {zone for tariff in table.values["tariffs"].values() for zone in tariff["zones"]}
        return sorted(names)

    def result(self):
        if self.application is None:
            return None
        return rows(self.context, [self.application])[0]

    def mine(self):
        return rows(self.context, applications_of(self.afm)) if self.afm else []


class OccupationApplicationsList(FormView):
    """Revenue staff: the applications, newest first; approve or reject those submitted."""

    template = ViewPageTemplateFile("templates/occupation_applications.pt")

    def __call__(self):
        self.error, self.errors, self.done = None, {}, None
        self.status = form_text(self.request, "status") or SUBMITTED
        if self.status not in STATUS_TITLES and self.status != "all":
            self.status = SUBMITTED
        if self.request.method == "POST" and self.authentic():
            self.decide()
        return self.template()

    def decide(self):
        app_id = form_text(self.request, "application")
        action = form_text(self.request, "action")
        reason = form_text(self.request, "reason")
        try:
            if action == "approve":
                app = approve_application(app_id, user_id(), reason, self.context.absolute_url())
            elif action == "reject":
                app = reject_application(app_id, user_id(), reason)
            else:
                raise BilingualError("Άγνωστη ενέργεια.", "Unknown action.", code="bad-action")
        except BilingualError as error:
            self.errors[app_id] = error
            self.request.response.setStatus(400)
            return
        title_el, title_en = STATUS_TITLES[app.status]
        self.done = {"id": app.id, "el": title_el, "en": title_en}

    def statuses(self):
        choices = [("all", "Όλες / All")]
        choices += [(key, f"{el} / {en}") for key, (el, en) in STATUS_TITLES.items()]
        return [
            {"value": key, "title": title, "selected": key == self.status} for key, title in choices
        ]

    def applications(self):
        apps = all_applications(None if self.status == "all" else self.status)
        shown = rows(self.context, apps)
        for data in shown:
            data["kind_title"] = kind_title(data["kind"])
            data["error"] = self.errors.get(data["id"])
            data["decidable"] = data["status"] == SUBMITTED
        return shown
