"""docs/rest-api.md links every saved HTTP example, and only examples that exist."""

from pathlib import Path

import re


DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_rest_docs_and_examples_agree():
    text = (DOCS / "rest-api.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\(http-examples/([\w.-]+)\)", text))
    saved = {path.name for path in (DOCS / "http-examples").iterdir()}
    assert linked - saved == set(), "linked but not saved by any test"
    assert saved - linked == set(), "saved by a test but not documented"
