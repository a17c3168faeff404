"""Named vocabularies: the municipality's areas, the hotspot statuses and the CAP 1.2 code lists.

Titles are Greek / English pairs: the code lists are CAP's own words, and
clerks who exchange CAP messages know them in both languages.
"""

from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def _vocabulary(pairs):
    return SimpleVocabulary([SimpleTerm(token, token, title) for token, title in pairs])


def areas():
    """The registry's areas: ``(token, title_el, title_en)`` per ``token|Ελληνικά|English`` line."""
    lines = api.portal.get_registry_record("dimos.hotspots.areas", default=None) or ()
    found = []
    for line in lines:
        token, _, rest = line.partition("|")
        title_el, _, title_en = rest.partition("|")
        if token.strip():
            found.append((token.strip(), title_el.strip() or token.strip(), title_en.strip()))
    return found


def area_title(token, lang="el"):
    for area_token, title_el, title_en in areas():
        if area_token == token:
            return title_en if lang == "en" and title_en else title_el
    return token


@provider(IVocabularyFactory)
def AreasVocabulary(context):
    return _vocabulary((token, f"{el} / {en}" if en else el) for token, el, en in areas())


STATUSES = (
    ("in_service", "Σε λειτουργία / In service"),
    ("maintenance", "Σε συντήρηση / Under maintenance"),
    ("out_of_service", "Εκτός λειτουργίας / Out of service"),
)

CAP_CATEGORIES = (
    ("Geo", "Γεωφυσικό (σεισμός…) / Geophysical"),
    ("Met", "Μετεωρολογικό / Meteorological"),
    ("Safety", "Ασφάλεια / General safety"),
    ("Security", "Δημόσια τάξη / Security"),
    ("Rescue", "Διάσωση / Rescue and recovery"),
    ("Fire", "Πυρκαγιά / Fire"),
    ("Health", "Υγεία / Health"),
    ("Env", "Περιβάλλον / Environment"),
    ("Transport", "Μεταφορές / Transport"),
    ("Infra", "Υποδομές (νερό, ρεύμα…) / Infrastructure"),
    ("CBRNE", "Χημικό, βιολογικό, πυρηνικό / CBRNE"),
    ("Other", "Άλλο / Other"),
)
CAP_STATUSES = (
    ("Actual", "Πραγματική / Actual"),
    ("Exercise", "Άσκηση / Exercise"),
    ("System", "Συστήματος / System"),
    ("Test", "Δοκιμή / Test"),
    ("Draft", "Πρόχειρη / Draft"),
)
CAP_URGENCIES = (
    ("Immediate", "Άμεση / Immediate"),
    ("Expected", "Αναμένεται (εντός ώρας) / Expected"),
    ("Future", "Μελλοντική / Future"),
    ("Past", "Παρήλθε / Past"),
    ("Unknown", "Άγνωστη / Unknown"),
)
CAP_SEVERITIES = (
    ("Extreme", "Ακραία / Extreme"),
    ("Severe", "Σοβαρή / Severe"),
    ("Moderate", "Μέτρια / Moderate"),
    ("Minor", "Μικρή / Minor"),
    ("Unknown", "Άγνωστη / Unknown"),
)
CAP_CERTAINTIES = (
    ("Observed", "Παρατηρήθηκε / Observed"),
    ("Likely", "Πιθανή (>50%) / Likely"),
    ("Possible", "Ενδεχόμενη / Possible"),
    ("Unlikely", "Απίθανη / Unlikely"),
    ("Unknown", "Άγνωστη / Unknown"),
)
CAP_RESPONSE_TYPES = (
    ("Shelter", "Αναζητήστε καταφύγιο / Shelter"),
    ("Evacuate", "Απομακρυνθείτε / Evacuate"),
    ("Prepare", "Προετοιμαστείτε / Prepare"),
    ("Execute", "Εκτελέστε το σχέδιο / Execute"),
    ("Avoid", "Αποφύγετε την περιοχή / Avoid"),
    ("Monitor", "Παρακολουθείτε / Monitor"),
    ("Assess", "Αξιολογήστε / Assess"),
    ("AllClear", "Λήξη κινδύνου / All clear"),
    ("None", "Καμία ενέργεια / None"),
)


def _factory(pairs):
    @provider(IVocabularyFactory)
    def factory(context):
        return _vocabulary(pairs)

    return factory


StatusesVocabulary = _factory(STATUSES)
CapCategoriesVocabulary = _factory(CAP_CATEGORIES)
CapStatusesVocabulary = _factory(CAP_STATUSES)
CapUrgenciesVocabulary = _factory(CAP_URGENCIES)
CapSeveritiesVocabulary = _factory(CAP_SEVERITIES)
CapCertaintiesVocabulary = _factory(CAP_CERTAINTIES)
CapResponseTypesVocabulary = _factory(CAP_RESPONSE_TYPES)
