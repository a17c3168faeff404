"""GET /@alerts: the alerts in force (``?lang=en``, ``?hotspot=<id>``); GET /@alerts/{id}: one."""

from dimos.hotspots.alerts.current import alert_summary
from dimos.hotspots.alerts.current import alerts_for
from dimos.hotspots.alerts.current import current_alerts
from dimos.hotspots.setuphandlers import hotspot_folder
from dimos.policy.bilingual import BilingualError
from dimos.policy.bilingual import error_reply
from dimos.policy.bilingual import language
from dimos.policy.rest import PathParams
from plone.restapi.services import Service


class NotFound(BilingualError):
    code = "not-found"


def find_hotspot(site, hotspot_id):
    folder = hotspot_folder(site)
    hotspot = folder.get(hotspot_id) if folder is not None and hotspot_id else None
    if hotspot is None or getattr(hotspot, "portal_type", None) != "Hotspot":
        raise NotFound(
            f"Δεν υπάρχει σημείο WiFi «{hotspot_id}».", f"There is no hotspot “{hotspot_id}”."
        )
    return hotspot


def alerts_reply(site, lang="el", hotspot_id=None):
    """The alerts in force (covering the hotspot ``hotspot_id``, if given), summarised in ``lang``."""
    if hotspot_id is not None:
        alerts = alerts_for(find_hotspot(site, hotspot_id))
    else:
        alerts = current_alerts()
    items = [alert_summary(alert, lang) for alert in alerts]
    return {"items": items, "items_total": len(items)}


def alert_reply(name, lang="el"):
    """One alert in force, by its id or CAP identifier."""
    for alert in current_alerts():
        if name in (alert.getId(), alert.identifier):
            return alert_summary(alert, lang)
    raise NotFound(
        f"Δεν υπάρχει ειδοποίηση σε ισχύ «{name}».", f"There is no alert in force “{name}”."
    )


class AlertsGet(PathParams, Service):
    def reply(self):
        form = self.request.form
        lang = form.get("lang") if form.get("lang") in ("el", "en") else language(self.request)
        try:
            if not self.params:
                return alerts_reply(self.context, lang, form.get("hotspot"))
            if len(self.params) == 1:
                return alert_reply(self.params[0], lang)
            raise NotFound("Δεν υπάρχει τέτοια διεύθυνση.", "There is no such address.")
        except NotFound as error:
            return error_reply(self.request, error, 404, "NotFound")
