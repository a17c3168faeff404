"""What the alert workflow's guards ask (``python:here.wf_conditions().can_publish()``)."""

from dimos.content.workflows.conditions import Conditions
from dimos.hotspots.alerts import times
from dimos.hotspots.content.alert import IAlert
from zope.component import adapter


@adapter(IAlert)
class AlertConditions(Conditions):
    def can_publish(self, now=None):
        """The alert has not expired yet, and it takes effect before it expires."""
        effective = times.aware(self.context.cap_effective)
        expires = times.aware(self.context.cap_expires)
        if expires is None or expires <= times.aware(now or times.now()):
            return False
        return effective is None or effective < expires
