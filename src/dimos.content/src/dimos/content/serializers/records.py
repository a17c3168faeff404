"""REST: the record types serialize as usual, plus what is derived from them.

A decision adds its citation label (``123/2024``) and the decisions that amend
or repeal it (the reverse of their ``amends``/``repeals`` relations), limited
to those the reader may see. A meeting adds its session label and whether it
has a quorum; a permit its number label.
"""

from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.content.permit import IPermit
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.interfaces import ISerializeToJsonSummary
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from zope.component import adapter
from zope.component import getMultiAdapter
from zope.interface import implementer
from zope.interface import Interface


def referring(obj, relationship, request):
    """Summaries of the visible records whose ``relationship`` points at ``obj``."""
    result = []
    for relation in api.relation.get(target=obj, relationship=relationship, unrestricted=True):
        source = relation.from_object
        if source is None or not api.user.has_permission("View", obj=source):
            continue
        result.append(getMultiAdapter((source, request), ISerializeToJsonSummary)())
    return result


@implementer(ISerializeToJson)
@adapter(ICouncilDecision, Interface)
class DecisionSerializer(SerializeToJson):
    def __call__(self, version=None, include_items=True, include_expansion=True):
        result = super().__call__(version, include_items, include_expansion)
        result["number_label"] = self.context.number_label()
        result["amended_by"] = referring(self.context, "amends", self.request)
        result["repealed_by"] = referring(self.context, "repeals", self.request)
        return result


@implementer(ISerializeToJson)
@adapter(ICouncilMeeting, Interface)
class MeetingSerializer(SerializeFolderToJson):
    def __call__(self, version=None, include_items=True, include_expansion=True):
        result = super().__call__(version, include_items, include_expansion)
        result["session_label"] = self.context.session_label()
        result["has_quorum"] = self.context.has_quorum()
        return result


@implementer(ISerializeToJson)
@adapter(IPermit, Interface)
class PermitSerializer(SerializeToJson):
    def __call__(self, version=None, include_items=True, include_expansion=True):
        result = super().__call__(version, include_items, include_expansion)
        result["number_label"] = self.context.number_label()
        return result
