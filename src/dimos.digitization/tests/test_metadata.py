"""Metadata from decision texts: number/year, meeting date, body, subject, references."""

from datetime import date
from datetime import datetime
from datetime import UTC
from dimos.digitization.pipeline.metadata import extract
from dimos.digitization.pipeline.metadata import fold
from dimos.digitization.pipeline.model import ManifestEntry
from dimos.digitization.pipeline.model import Reference
from dimos.digitization.pipeline.textlayer import page_texts
from dimos.digitization.testing_scans import diavgeia_manifest

import json
import pytest
import re


# Fictional decisions, written the way they were typed from 1950 to 2010.
MONOTONIC_1979 = """ΔΗΜΟΣ ΑΓΙΑΣ ΜΑΡΙΝΑΣ
ΑΠΟΣΠΑΣΜΑ
από το πρακτικό της 5ης/1979 συνεδρίασης του Δημοτικού Συμβουλίου
Αριθμός Απόφασης: 45/1979
Στην Αγία Μαρίνα σήμερα 12-3-1979 ημέρα Δευτέρα και ώρα 19:00 συνήλθε
το Δημοτικό Συμβούλιο ύστερα από πρόσκληση του Προέδρου.
ΘΕΜΑ: Τροποποίηση της υπ' αριθμ. 12/1978 απόφασης για την
ανάπλαση της  πλατείας Αγίου Νικολάου.

Το Συμβούλιο αφού άκουσε την εισήγηση αποφασίζει ομόφωνα την τροποποίηση
της υπ’ αριθμ. 12/1978 απόφασης, την ανάκληση της υπʼ αριθ. 3/1977 απόφασης
και εγκρίνει τα αναφερόμενα στην υπ΄ αρ. 40/1979 απόφαση του Συμβουλίου.
Η απόφαση αυτή έλαβε αύξοντα αριθμό 45/1979.
"""

POLYTONIC_1962 = """ΒΑΣΙΛΕΙΟΝ ΤΗΣ ΕΛΛΑΔΟΣ
ΔΗΜΟΣ ΑΓΙΑΣ ΜΑΡΙΝΑΣ
ΑΠΟΦΑΣΙΣ ΥΠ' ΑΡΙΘ. 7/1962
τῆς Δημαρχιακῆς Ἐπιτροπῆς
Ἐν Ἁγίᾳ Μαρίνῃ σήμερον τὴν 3ην τοῦ μηνὸς Ἀπριλίου τοῦ ἔτους 1962, ἡμέραν Τρίτην,
συνῆλθεν ἡ Δημαρχιακὴ Ἐπιτροπή εἰς τακτικὴν συνεδρίασιν.
Θέμα ἡμερησίας διατάξεως 2ον: Περὶ ἐγκρίσεως δαπάνης διὰ τὴν
ἐπισκευὴν τοῦ δημοτικοῦ σχολείου.

Ἡ Ἐπιτροπὴ ἀποφασίζει τὴν κατάργησιν τῆς ὑπ' ἀριθ. 2/1961 ἀποφάσεως αὐτῆς.
"""

NO_ACCENTS_CAPS_1985 = """ΚΟΙΝΟΤΗΤΑ ΠΕΡΙΒΟΛΙΟΥ
ΑΡΙΘ. ΑΠΟΦΑΣΕΩΣ 18
ΣΤΟ ΠΕΡΙΒΟΛΙ ΣΗΜΕΡΑ ΤΗΝ 2 ΜΑΙΟΥ 1985 ΣΥΝΗΛΘΕ ΤΟ ΚΟΙΝΟΤΙΚΟ ΣΥΜΒΟΥΛΙΟ
ΘΕΜΑ: ΕΓΚΡΙΣΗ ΠΡΟΥΠΟΛΟΓΙΣΜΟΥ ΟΙΚΟΝΟΜΙΚΟΥ ΕΤΟΥΣ 1985;
"""

OCR_2009 = """ΟΙΚΟΝΟΜΙΚΗ ΕΠΙΤΡΟΠΗ
Απόφαση 112/2009
Συνεδρίαση: ημέρα Τρίτη 14.4.2009
Θέμα: «Ανάθεση προμήθειας γραφικής ύλης
για τις ανάγκες των υπηρεσιών».
Η Επιτροπή αποφασίζει ότι καταργείται η υπ' αρ. 98/2008 απόφαση,
και τροποποιείται η 15/2009 απόφαση της Επιτροπής.
"""

QUALITY_OF_LIFE_2005 = """Απόσπασμα από το πρακτικό της Επιτροπής Ποιότητας Ζωής
Αριθ. Απόφασης 9/2005
Ημερομηνία συνεδρίασης 12/03/2005
ΘΕΜΑ : Χορήγηση άδειας λειτουργίας καταστήματος υγειονομικού ενδιαφέροντος
Σύμφωνα με το Ν. 3463/2006 και την αριθ. πρωτ. 2704/18-11-2004 αίτηση.
"""


@pytest.mark.parametrize(
    "text,number,year,meeting,body",
    [
        (MONOTONIC_1979, 45, 1979, date(1979, 3, 12), "Δημοτικό Συμβούλιο"),
        (POLYTONIC_1962, 7, 1962, date(1962, 4, 3), "Δημαρχιακή Επιτροπή"),
        (NO_ACCENTS_CAPS_1985, 18, 1985, date(1985, 5, 2), "Κοινοτικό Συμβούλιο"),
        (OCR_2009, 112, 2009, date(2009, 4, 14), "Οικονομική Επιτροπή"),
        (QUALITY_OF_LIFE_2005, 9, 2005, date(2005, 3, 12), "Επιτροπή Ποιότητας Ζωής"),
    ],
)
def test_number_year_date_body(text, number, year, meeting, body):
    found = extract(text)
    assert (found.decision_number, found.decision_year) == (number, year)
    assert found.meeting_date == meeting
    assert found.body == body


def test_subjects_joined_trimmed_unquoted():
    assert extract(MONOTONIC_1979).subject == (
        "Τροποποίηση της υπ' αριθμ. 12/1978 απόφασης για την ανάπλαση της πλατείας Αγίου Νικολάου"
    )
    assert extract(POLYTONIC_1962).subject == (
        "Περὶ ἐγκρίσεως δαπάνης διὰ τὴν ἐπισκευὴν τοῦ δημοτικοῦ σχολείου"
    )
    assert extract(NO_ACCENTS_CAPS_1985).subject == "ΕΓΚΡΙΣΗ ΠΡΟΥΠΟΛΟΓΙΣΜΟΥ ΟΙΚΟΝΟΜΙΚΟΥ ΕΤΟΥΣ 1985"
    assert extract(OCR_2009).subject == (
        "Ανάθεση προμήθειας γραφικής ύλης για τις ανάγκες των υπηρεσιών"
    )


def test_references_with_relations_without_own_number():
    assert extract(MONOTONIC_1979).references == (
        Reference(12, 1978, "amends"),
        Reference(3, 1977, "repeals"),
        Reference(40, 1979, "refers"),
    )
    assert extract(POLYTONIC_1962).references == (Reference(2, 1961, "repeals"),)
    assert extract(OCR_2009).references == (
        Reference(98, 2008, "repeals"),
        Reference(15, 2009, "amends"),
    )
    # Laws, protocol numbers and ΦΕΚ issues are not decisions.
    assert extract(QUALITY_OF_LIFE_2005).references == ()


@pytest.mark.parametrize(
    "line,number,year",
    [
        ("Αριθμός Απόφασης: 45/1979", 45, 1979),
        ("Αριθ. Αποφάσεως 45\nσήμερα 1-2-1979", 45, 1979),
        ("ΑΠΟΦΑΣΙΣ ΥΠ’ ΑΡΙΘ. 45/1979", 45, 1979),
        ("Απόφαση 45/2009", 45, 2009),
        ("απόφαση αριθμ. 345/2016", 345, 2016),
        ("ΑΠΟΦΑΣΗ\n\nΑΡΙΘ.\n\n353/2016", 353, 2016),
        ("αριθμος αποφασης 12/79", 12, 1979),
        ("ΑΠOΦAΣH 6 / 2016", 6, 2016),  # Latin A, O, H from OCR
        ("Αριθ. Απο-\nφάσεως 21/1958", 21, 1958),  # hyphenated at a line's end
    ],
)
def test_decision_number_forms(line, number, year):
    found = extract(line)
    assert (found.decision_number, found.decision_year) == (number, year)


def test_numbered_list_is_not_a_decision_number():
    assert extract("ΑΠΟΦΑΣΗ\n1. Την έγκριση της δαπάνης.").decision_number is None


@pytest.mark.parametrize(
    "line,expected",
    [
        ("συνεδρίαση 12-3-1979", date(1979, 3, 12)),
        ("συνεδρίαση 12/03/1979", date(1979, 3, 12)),
        ("σήμερα 12 Μαρτίου 1979", date(1979, 3, 12)),
        ("την 12ην του μηνός Μαρτίου του έτους 1979", date(1979, 3, 12)),
        ("ΤΗΝ 12ΗΝ ΤΟΥ ΜΗΝΟΣ ΜΑΡΤΙΟΥ ΤΟΥ ΕΤΟΥΣ 1979", date(1979, 3, 12)),
        ("ημέρα Δευτέρα 12.3.1979", date(1979, 3, 12)),
        ("σήμερα 31-2-1979", None),  # no such day
    ],
)
def test_meeting_date_forms(line, expected):
    assert extract(line).meeting_date == expected


def test_meeting_date_preferred_over_earlier_dates():
    text = "Αριθ. πρωτ. 88/2-3-1979\nΣήμερα 12-3-1979 συνήλθε το Δημοτικό Συμβούλιο"
    assert extract(text).meeting_date == date(1979, 3, 12)


def test_body_genitive_and_first_named():
    text = "Η Οικονομική Επιτροπή αποφασίζει και παραπέμπει στο Δημοτικό Συμβούλιο."
    assert extract(text).body == "Οικονομική Επιτροπή"
    assert extract("της Εκτελεστικής Επιτροπής του Δήμου").body == "Εκτελεστική Επιτροπή"
    assert extract("ΤΗΣ ΔΗΜΟΤΙΚΗΣ ΕΠΙΤΡΟΠΗΣ").body == "Δημοτική Επιτροπή"
    assert extract("Δημοτική Επιτροπή Διαβούλευσης").body == ""


def test_manifest_wins_and_own_number_never_referenced(tmp_path):
    manifest = ManifestEntry(
        file="1979-045.pdf",
        body="Δημαρχιακή Επιτροπή",
        decision_number=40,
        decision_year=1979,
        subject="Ανάπλαση πλατείας",
    )
    found = extract(MONOTONIC_1979, manifest, workdir=tmp_path)
    assert (found.decision_number, found.decision_year) == (40, 1979)
    assert found.body == "Δημαρχιακή Επιτροπή" and found.subject == "Ανάπλαση πλατείας"
    assert found.meeting_date == date(1979, 3, 12)  # not in the manifest: from the text
    assert Reference(40, 1979, "refers") not in found.references
    saved = json.loads((tmp_path / "metadata.json").read_text("utf-8"))
    assert saved["decision_number"] == 40 and saved["meeting_date"] == "1979-03-12"
    assert saved["references"][0] == {"number": 12, "year": 1978, "relation": "amends"}


def _key(text):
    return re.sub(r"[\W_]+", "", fold(text)[0])


def test_real_municipality_decisions():
    """The 7 municipality documents among the Diavgeia samples (their text layer): the date
    found is the issue date Diavgeia records; the numbers and subjects printed in them are
    found. They are mayors' and committees' acts, not council minutes, so most carry no ΘΕΜΑ."""
    rows = [row for row in diavgeia_manifest() if row["org_in_6xxx_municipality_range"] == "yes"]
    assert len(rows) == 7
    found = {}
    for row in rows:
        meta = json.loads((row["pdf"].parent / "metadata.json").read_text("utf-8"))
        result = extract("\n".join(page_texts(row["pdf"])))
        issued = datetime.fromtimestamp(meta["issueDate"] / 1000, UTC).date()
        assert result.meeting_date == issued, row["folder"]
        found[row["folder"]] = (result, meta["subject"])
    affiliated, _ = found["AffiliatedInvestments"]
    assert (affiliated.decision_number, affiliated.decision_year) == (353, 2016)
    assert Reference(105, 2016, "refers") in affiliated.references
    assert (found["ServiceChange"][0].decision_number, found["ServiceChange"][0].decision_year) == (
        6,
        2016,
    )
    balance, subject = found["BalanceAccount"]
    assert _key(balance.subject) == _key(subject)
