"""The captive portal's REST handlers (called by services/hotspots/get.py). TO BE WRITTEN by the portal helper."""

from dimos.policy.bilingual import BilingualError
from dimos.policy.bilingual import error_reply


def _todo(context, request):
    return error_reply(request, BilingualError("Δεν υλοποιήθηκε.", "Not implemented."), 501)


list_hotspots = hotspot_info = portal_reply = _todo
