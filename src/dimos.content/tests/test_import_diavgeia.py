"""The real Diavgeia samples import as council decisions (scripts/import_diavgeia.py).

The samples are real decisions that name real people: they live in the shared
eval data, never in the repository or the demo content. The expected records
are read here from manifest.tsv and the metadata files, not from the script.
"""

from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from dimos.content.content.council_body import DECISIONS_BOOK
from pathlib import Path
from plone import api
from plone.uuid.interfaces import IUUID
from zope.component.hooks import getSite
from zope.component.hooks import setSite

import csv
import datetime
import importlib.util
import json
import os
import pytest
import sys
import transaction


REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("DIMOS_SHARED") or REPO.parent / "shared")
SAMPLES = SHARED / "eval" / "decisions" / "diavgeia-samples"


# What the data holds: 33 PDFs, 32 with their own metadata.json. PaymentFinalisation
# has two PDFs and one metadata.json, which describes Ω97ΤΩΞΧ-8ΚΛ only.
EXPECTED_PDFS = 33
EXPECTED_DECISIONS = 32
EXPECTED_SKIPPED = ("PaymentFinalisation/7394ΩΞΧ-ΠΔΖ.pdf",)

AWARD = "64Μ44691ΩΓ-5ΨΑ"
UNDERTAKING = "6ΧΙΥΩΚ9-4ΑΟ"
KNOWN_DATES = {
    AWARD: datetime.date(2016, 1, 13),
    "6ΓΖΚΟΡΡΕ-ΖΞΚ": datetime.date(2012, 12, 28),  # Opinion, the oldest
    "ΩΜΟΔ469Β7Θ-6Τ9": datetime.date(2013, 6, 20),  # Contract, issued in summer time
    "6ΖΞ74653ΠΩ-7ΚΜ": datetime.date(2017, 5, 31),  # OtherDevelopmentLaw, the newest
}


def manifest():
    with (SAMPLES / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def expected_decisions():
    """ΑΔΑ -> (folder, metadata) for every PDF whose folder's metadata.json describes it."""
    expected = {}
    for row in manifest():
        metadata_file = SAMPLES / row["folder"] / "metadata.json"
        if not metadata_file.is_file():
            continue
        metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
        if metadata["ada"] == row["ada"]:
            expected[row["ada"]] = (row["folder"], metadata)
    return expected


def one_line(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def importer():
    path = REPO / "scripts" / "import_diavgeia.py"
    spec = importlib.util.spec_from_file_location("dimos_scripts_import_diavgeia", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture
def samples():
    if not (SAMPLES / "manifest.tsv").is_file():
        pytest.skip(
            f"the Diavgeia samples are not at {SAMPLES} (set DIMOS_SHARED to the shared data folder)"
        )
    return SAMPLES


def make_body(portal, id_="dimotiko-symvoulio"):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=portal,
            type="CouncilBody",
            id=id_,
            title="Δημοτικό Συμβούλιο",
            body_kind="dimotiko-symvoulio",
        )


@pytest.fixture
def body(portal):
    return make_body(portal)


@pytest.fixture
def imported(importer, body, samples):
    with api.env.adopt_roles(["Manager"]):
        report = importer.import_decisions(body, SAMPLES)
    return report


def decision(ada):
    brains = api.content.find(portal_type="CouncilDecision", ada=ada)
    assert len(brains) == 1, ada
    return brains[0].getObject()


def all_decisions():
    return [brain.getObject() for brain in api.content.find(portal_type="CouncilDecision")]


def test_the_data_holds_the_expected_numbers(samples):
    rows = manifest()
    assert len(rows) == EXPECTED_PDFS
    assert len(list(SAMPLES.glob("*/*.pdf"))) == EXPECTED_PDFS
    assert len(expected_decisions()) == EXPECTED_DECISIONS
    unmatched = {f"{row['folder']}/{row['ada']}.pdf" for row in rows} - {
        f"{folder}/{ada}.pdf" for ada, (folder, _) in expected_decisions().items()
    }
    assert unmatched == set(EXPECTED_SKIPPED)


def test_report(imported):
    assert sorted(imported.created) == sorted(expected_decisions())
    assert imported.updated == ()
    assert [item.path for item in imported.skipped] == list(EXPECTED_SKIPPED)
    assert "Ω97ΤΩΞΧ-8ΚΛ" in imported.skipped[0].reason


def test_one_decision_per_pdf_with_metadata(imported, body):
    decisions = all_decisions()
    assert len(decisions) == EXPECTED_DECISIONS
    assert {d.ada for d in decisions} == set(expected_decisions())
    assert all(d.aq_parent == body for d in decisions)
    assert all(d.portal_type == "CouncilDecision" for d in decisions)


def test_award_known_values(imported):
    award = decision(AWARD)
    assert award.title == "ΑΠΟΦΑΣΗ ΚΑΤΑΚΥΡΩΣΗΣ ΕΡΓΟΥ ΣΥΝΤΗΡΗΣΗΣ ΑΝΕΛΚΥΣΤΗΡΩΝ"
    assert award.protocol_number == "438"
    assert award.decision_type == "Δ.2.2"
    assert award.thematic_categories == ["44"]
    assert award.decision_date == datetime.date(2016, 1, 13)
    assert award.decision_year == 2016
    assert award.digitization_status == "born-digital"
    assert "Αχαρνές: 13/1/2016" in award.text.raw


@pytest.mark.parametrize("ada, date", KNOWN_DATES.items(), ids=list(KNOWN_DATES))
def test_issue_dates_in_athens(imported, ada, date):
    assert decision(ada).decision_date == date
    assert decision(ada).decision_year == date.year


def test_every_decision_carries_its_metadata(imported):
    for ada, (_, metadata) in expected_decisions().items():
        record = decision(ada)
        assert record.title == one_line(metadata["subject"]), ada  # line breaks folded
        assert record.decision_type == metadata["decisionTypeId"], ada
        assert record.thematic_categories == metadata["thematicCategoryIds"], ada
        assert record.protocol_number == one_line(metadata["protocolNumber"]), ada
        assert record.digitization_status == "born-digital"


def test_signed_pdf_is_the_file(imported):
    for ada, (folder, _) in expected_decisions().items():
        pdf = decision(ada).signed_pdf
        assert pdf.data == (SAMPLES / folder / f"{ada}.pdf").read_bytes(), ada
        assert pdf.contentType == "application/pdf"
        assert pdf.filename == f"{ada}.pdf"


def test_text_is_the_text_layer(imported):
    for ada, (folder, _) in expected_decisions().items():
        text_layer = SAMPLES / folder / f"{ada}.pdftotext.txt"
        text = decision(ada).text
        assert text.raw == text_layer.read_text(encoding="utf-8"), ada
        assert text.mimeType == "text/plain"
        assert text.outputMimeType == "text/html"


def test_found_by_ada_index(imported, portal):
    catalog = api.portal.get_tool("portal_catalog")
    for ada in expected_decisions():
        assert [b.getObject().ada for b in catalog(ada=ada)] == [ada]
    assert len(catalog(ada="7394ΩΞΧ-ΠΔΖ")) == 0  # the PDF without metadata


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ανελκυστηρων", {AWARD}),  # ΑΝΕΛΚΥΣΤΗΡΩΝ
        ("μηχανηματων", {UNDERTAKING}),  # μηχανημάτων
        ("ΜΗΧΑΝΗΜΑΤΩΝ", {UNDERTAKING}),
    ],
)
def test_greek_full_text_search_on_subjects(imported, query, expected):
    found = {b.getObject().ada for b in api.content.find(Title=query)}
    assert found == expected
    assert expected <= {b.getObject().ada for b in api.content.find(SearchableText=query)}


def test_full_text_search_finds_a_word_of_several_subjects(imported):
    found = {b.getObject().ada for b in api.content.find(SearchableText="συντηρηση")}
    assert {AWARD, UNDERTAKING} <= found  # ΣΥΝΤΗΡΗΣΗΣ, Συντήρηση


def test_full_text_search_on_decision_text(imported):
    found = {b.getObject().ada for b in api.content.find(SearchableText="αχαρνες")}
    assert AWARD in found  # "Αχαρνές" is in the Award's text only


def test_full_text_search_on_ada_and_protocol_number(imported):
    assert [b.getObject().ada for b in api.content.find(SearchableText=AWARD)] == [AWARD]
    found = {b.getObject().ada for b in api.content.find(SearchableText="ΧΕΠ 198/2016")}
    assert "7ΔΦΖΟΕ4Ρ-ΒΚ7" in found


def test_numbers_unique_per_year_and_in_date_order(imported, body):
    by_year = {}
    for record in all_decisions():
        by_year.setdefault(record.decision_year, []).append(record)
    assert sorted(by_year) == [2012, 2013, 2014, 2015, 2016, 2017]
    book = body.number_book(DECISIONS_BOOK)
    for year, records in by_year.items():
        records.sort(key=lambda r: r.decision_number)
        assert [r.decision_number for r in records] == list(range(1, len(records) + 1))
        dates = [r.decision_date for r in records]
        assert dates == sorted(dates), year
        assert book.numbers(year) == [(r.decision_number, IUUID(r)) for r in records]
    assert len(by_year[2016]) == 26


def test_reimport_updates_and_creates_nothing(importer, imported, body):
    award = decision(AWARD)
    numbers = {d.ada: (d.decision_year, d.decision_number) for d in all_decisions()}
    blob = award.signed_pdf
    award.title = "Αλλαγμένος τίτλος"
    award.reindexObject()
    with api.env.adopt_roles(["Manager"]):
        again = importer.import_decisions(body, SAMPLES)
    assert again.created == ()
    assert sorted(again.updated) == sorted(expected_decisions())
    assert [item.path for item in again.skipped] == list(EXPECTED_SKIPPED)
    assert len(all_decisions()) == EXPECTED_DECISIONS
    assert {d.ada: (d.decision_year, d.decision_number) for d in all_decisions()} == numbers
    assert award.title == "ΑΠΟΦΑΣΗ ΚΑΤΑΚΥΡΩΣΗΣ ΕΡΓΟΥ ΣΥΝΤΗΡΗΣΗΣ ΑΝΕΛΚΥΣΤΗΡΩΝ"
    assert [b.getObject() for b in api.content.find(Title="ανελκυστηρων")] == [award]
    assert award.signed_pdf is blob  # the same bytes are not stored again


def test_reimport_into_another_body_updates_where_the_decisions_are(importer, imported, portal):
    other = make_body(portal, "oikonomiki-epitropi")
    with api.env.adopt_roles(["Manager"]):
        again = importer.import_decisions(other, SAMPLES)
    assert again.created == ()
    assert len(again.updated) == EXPECTED_DECISIONS
    assert len(other.objectIds()) == 0


def write_sample(folder, ada, metadata=None, pdf=b"%PDF-1.4\n%%EOF\n"):
    folder.mkdir(exist_ok=True)
    if pdf is not None:
        (folder / f"{ada}.pdf").write_bytes(pdf)
    if metadata is not None:
        (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")


def test_what_cannot_be_imported_is_reported(importer, body, tmp_path):
    base = {"subject": "Δοκιμή", "issueDate": 1452643200000, "thematicCategoryIds": ["20"]}
    write_sample(tmp_path / "Good", "ΑΒΓΔ1234-ΕΖΗ", dict(base, ada="ΑΒΓΔ1234-ΕΖΗ"))
    write_sample(tmp_path / "NoMetadata", "ΑΒΓΔ1234-ΘΙΚ")
    write_sample(tmp_path / "NoPDF", "ΑΒΓΔ1234-ΛΜΝ", dict(base, ada="ΑΒΓΔ1234-ΛΜΝ"), pdf=None)
    write_sample(
        tmp_path / "UnknownType",
        "ΑΒΓΔ1234-ΞΟΠ",
        dict(base, ada="ΑΒΓΔ1234-ΞΟΠ", decisionTypeId="Ω.9"),
    )
    write_sample(tmp_path / "NotAPDF", "ΑΒΓΔ1234-ΡΣΤ", dict(base, ada="ΑΒΓΔ1234-ΡΣΤ"), b"text")
    write_sample(tmp_path / "NoDate", "ΑΒΓΔ1234-ΥΦΧ", {"ada": "ΑΒΓΔ1234-ΥΦΧ", "subject": "Χωρίς"})
    with api.env.adopt_roles(["Manager"]):
        report = importer.import_decisions(body, tmp_path)
    assert report.created == ("ΑΒΓΔ1234-ΕΖΗ",)
    reasons = {item.path: item.reason for item in report.skipped}
    assert set(reasons) == {
        "NoMetadata/ΑΒΓΔ1234-ΘΙΚ.pdf",
        "NoPDF/metadata.json",
        "UnknownType/ΑΒΓΔ1234-ΞΟΠ.pdf",
        "NotAPDF/ΑΒΓΔ1234-ΡΣΤ.pdf",
        "NoDate/ΑΒΓΔ1234-ΥΦΧ.pdf",
    }
    assert reasons["NoDate/ΑΒΓΔ1234-ΥΦΧ.pdf"] == "no issueDate in the metadata"
    assert "no metadata.json" in reasons["NoMetadata/ΑΒΓΔ1234-ΘΙΚ.pdf"]
    assert reasons["UnknownType/ΑΒΓΔ1234-ΞΟΠ.pdf"].startswith(
        "decision_type: ConstraintNotSatisfied"
    )
    assert "'Ω.9'" in reasons["UnknownType/ΑΒΓΔ1234-ΞΟΠ.pdf"]
    assert reasons["NotAPDF/ΑΒΓΔ1234-ΡΣΤ.pdf"].startswith("signed_pdf: NotAPDFError")
    good = decision("ΑΒΓΔ1234-ΕΖΗ")
    assert good.text is None  # no text layer beside the PDF
    assert good.decision_type is None


def test_script_arguments_follow_the_script_path(importer):
    # what `bin/instance run scripts/import_diavgeia.py dimos /ds samples` puts in sys.argv
    argv = ["parts/instance/bin/interpreter", "-c", "scripts/import_diavgeia.py", "dimos", "/ds"]
    assert importer.script_args(argv) == ["dimos", "/ds"]


@pytest.fixture
def as_script(functional_app):
    """Leave the security manager and site as the functional layer had them."""
    manager, site = getSecurityManager(), getSite()
    yield functional_app
    setSecurityManager(manager)
    setSite(site)


def test_command_line_commits(importer, samples, as_script, functional_portal, capsys):
    body = make_body(functional_portal)
    transaction.commit()
    importer.main(as_script, ["plone", "/dimotiko-symvoulio", str(SAMPLES)])
    transaction.abort()  # what is left was committed by the script
    assert len(functional_portal["dimotiko-symvoulio"].objectIds()) == EXPECTED_DECISIONS
    assert len(body.objectIds()) == EXPECTED_DECISIONS
    out = capsys.readouterr().out
    assert f"created: {EXPECTED_DECISIONS}" in out
    assert EXPECTED_SKIPPED[0] in out


def test_command_line_refuses_what_is_not_a_body(importer, as_script, functional_portal, capsys):
    with pytest.raises(SystemExit):
        importer.main(as_script, ["plone", "/no-such-body", str(REPO)])
    assert "is not a council body or meeting" in capsys.readouterr().err
