"""The usage statistics and keys's REST handlers (called by services/hotspots/get.py). TO BE WRITTEN by the usage helper."""

from dimos.policy.bilingual import BilingualError
from dimos.policy.bilingual import error_reply


def _todo(context, request):
    return error_reply(request, BilingualError("Δεν υλοποιήθηκε.", "Not implemented."), 501)


usage_get = usage_post = key_post = key_delete = _todo
