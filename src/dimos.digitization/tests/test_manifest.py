"""The operator's CSV manifest: encodings, separators, dates, and errors that name the line."""

from datetime import date
from dimos.digitization.ingest.manifest import ManifestError
from dimos.digitization.ingest.manifest import read_manifest

import pytest


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "manifest.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_semicolons_bom_and_greek_dates(tmp_path):
    path = write(
        tmp_path,
        "file;body;decision_number;decision_year;meeting_date;subject\n"
        '1979-045.pdf;Δημοτικό Συμβούλιο;45;1979;12/3/1979;"Ύδρευση; αποχέτευση"\n'
        "\n"
        'a/1980-001.tif;;1;1980;1980-01-07;"Προϋπολογισμός; 1980"\n',
        encoding="utf-8-sig",
    )
    rows = list(read_manifest(path))
    assert [line for line, _ in rows] == [2, 4]
    first, second = rows[0][1], rows[1][1]
    assert first.file == "1979-045.pdf" and first.body == "Δημοτικό Συμβούλιο"
    assert (first.decision_number, first.decision_year) == (45, 1979)
    assert first.meeting_date == date(1979, 3, 12)
    assert second.meeting_date == date(1980, 1, 7)
    assert first.subject == "Ύδρευση; αποχέτευση"
    assert second.subject == "Προϋπολογισμός; 1980"


def test_an_unquoted_separator_is_refused(tmp_path):
    # the subject was not quoted: one cell too many
    path = write(tmp_path, "file;subject\nx.pdf;Ύδρευση; αποχέτευση\n")
    with pytest.raises(ManifestError) as error:
        list(read_manifest(path))
    assert error.value.line == 2


def test_commas_and_only_a_file_column(tmp_path):
    path = write(tmp_path, "file,decision_year\nx.pdf,1975\ny.pdf,\n")
    entries = [entry for _, entry in read_manifest(path)]
    assert [(e.file, e.decision_year, e.body) for e in entries] == [
        ("x.pdf", 1975, ""),
        ("y.pdf", None, ""),
    ]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("file,meeting_date\nx.pdf,31/2/1979\n", 2, ("31/2/1979", "ημερομηνία")),
        ("file,decision_number\nx.pdf,45α\n", 2, ("decision_number", "45α")),
        ("file,decision_year\nx.pdf,79\n", 2, ("decision_year", "1830")),
        ("file,decision_year\nx.pdf,1979\n,1980\n", 3, ("file", "λείπει")),
        ("file,decision_nuber\nx.pdf,1\n", 1, ("decision_nuber", "άγνωστες")),
        ("body,decision_year\nΔΣ,1979\n", 1, ("file",)),
    ],
)
def test_bad_rows_name_their_line_in_greek_and_english(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ManifestError) as error:
        list(read_manifest(path))
    assert error.value.line == line
    assert error.value.message_el.startswith(f"Γραμμή {line}")
    assert error.value.message_en.startswith(f"Manifest line {line}")
    for word in words:
        assert word in str(error.value)


def test_not_utf8_is_refused(tmp_path):
    path = write(tmp_path, "file,body\nx.pdf,Δημοτικό Συμβούλιο\n", encoding="iso-8859-7")
    with pytest.raises(ManifestError) as error:
        list(read_manifest(path))
    assert "UTF-8" in error.value.message_en
