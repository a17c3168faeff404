"""Named vocabularies of dimos.content (registered in configure.zcml)."""

from dimos.content.vocabularies.data import APPLICATION_KINDS
from dimos.content.vocabularies.data import BODY_KINDS
from dimos.content.vocabularies.data import COURTS
from dimos.content.vocabularies.data import DECISION_TYPES
from dimos.content.vocabularies.data import DIGITIZATION_STATUSES
from dimos.content.vocabularies.data import LEGAL_CASE_KINDS
from dimos.content.vocabularies.data import LEGAL_OUTCOMES
from dimos.content.vocabularies.data import MEETING_KINDS
from dimos.content.vocabularies.data import PERMIT_KINDS
from dimos.content.vocabularies.data import PROTOCOL_DIRECTIONS
from dimos.content.vocabularies.data import SCRIPTS
from dimos.content.vocabularies.data import SIGNATURE_STATUSES
from dimos.content.vocabularies.data import VOTE_KINDS
from dimos.policy.departments import DEPARTMENTS
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


# Tokens must be ASCII: Diavgeia codes such as Β.1.3 use Greek capitals.
_GREEK_CODE_LETTERS = str.maketrans("ΑΒΓΔΕΖ", "ABGDEZ")


def ascii_token(value):
    return value.translate(_GREEK_CODE_LETTERS)


def static_vocabulary(pairs):
    """A vocabulary factory over (value, title) pairs."""
    vocabulary = SimpleVocabulary(
        [SimpleTerm(value=value, token=ascii_token(value), title=title) for value, title in pairs]
    )

    @provider(IVocabularyFactory)
    def factory(context=None):
        return vocabulary

    return factory


BodyKinds = static_vocabulary(BODY_KINDS)
MeetingKinds = static_vocabulary(MEETING_KINDS)
DecisionTypes = static_vocabulary((code, f"{code} {title}") for code, title in DECISION_TYPES)
VoteKinds = static_vocabulary(VOTE_KINDS)
Scripts = static_vocabulary(SCRIPTS)
DigitizationStatuses = static_vocabulary(DIGITIZATION_STATUSES)
LegalCaseKinds = static_vocabulary(LEGAL_CASE_KINDS)
Courts = static_vocabulary(COURTS)
LegalOutcomes = static_vocabulary(LEGAL_OUTCOMES)
ApplicationKinds = static_vocabulary((kind.id, kind.title) for kind in APPLICATION_KINDS)
PermitKinds = static_vocabulary(PERMIT_KINDS)
SignatureStatuses = static_vocabulary(SIGNATURE_STATUSES)
ProtocolDirections = static_vocabulary(PROTOCOL_DIRECTIONS)
Departments = static_vocabulary((department.id, department.title) for department in DEPARTMENTS)
