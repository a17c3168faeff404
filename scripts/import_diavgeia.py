"""Import real Diavgeia decisions (signed PDF + API metadata) as CouncilDecision records.

FOR TEST AND EVALUATION SITES ONLY. The samples are real decisions of other
public bodies, published on diavgeia.gov.gr: they name real officials,
employees and beneficiaries. Never import them into a production site and
never use them as demo content.

The samples folder (``eval/decisions/diavgeia-samples`` of the shared data)
holds one sub-folder per Diavgeia decision type with ``<ΑΔΑ>.pdf``, the
``metadata.json`` the Diavgeia API gives for it and, optionally, the PDF's
text layer as ``<ΑΔΑ>.pdftotext.txt``. A PDF is imported only when the
``metadata.json`` beside it describes its ΑΔΑ; any other PDF is skipped with
the reason in the report.

A decision whose ΑΔΑ is in the catalog already is updated where it is, so
running the import again creates nothing new. The decisions are not
decisions of our council bodies: their numbers are given automatically, per
body and year of the decision date.

From Python (tests)::

    report = import_decisions(body, folder)

From the command line, on a test or evaluation site (commits the transaction)::

    bin/instance run scripts/import_diavgeia.py <site-id> <body-path> <samples-folder>
"""

from AccessControl.SecurityManagement import newSecurityManager
from dataclasses import dataclass
from dimos.content.content.council_body import ICouncilBody
from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.validators import normalize_ada
from pathlib import Path
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.i18n.normalizer.interfaces import IIDNormalizer
from plone.namedfile.file import NamedBlobFile
from zoneinfo import ZoneInfo
from zope.component import getUtility
from zope.component.hooks import setSite
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent
from zope.schema import TextLine
from zope.schema import ValidationError

import argparse
import datetime
import json
import sys
import transaction
import unicodedata


ATHENS = ZoneInfo("Europe/Athens")
METADATA = "metadata.json"
TEXT_SUFFIX = ".pdftotext.txt"
SCRIPT_NAME = "import_diavgeia.py"


@dataclass(frozen=True)
class Skipped:
    path: str  # relative to the samples folder
    reason: str


@dataclass(frozen=True)
class Sample:
    """One PDF of the samples folder and the metadata that describes it (if any)."""

    pdf: Path
    metadata: dict | None
    reason: str = ""  # why there is no metadata

    @property
    def ada(self):
        return _canonical(self.pdf.stem)

    @property
    def text_layer(self):
        path = self.pdf.with_name(self.pdf.stem + TEXT_SUFFIX)
        return path if path.is_file() else None


@dataclass(frozen=True)
class ImportReport:
    created: tuple[str, ...] = ()  # ΑΔΑ of each decision, in import order
    updated: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    def summary(self):
        lines = [
            f"Νέες αποφάσεις / created: {len(self.created)}",
            f"Ενημερώθηκαν / updated: {len(self.updated)}",
            f"Παραλείφθηκαν / skipped: {len(self.skipped)}",
        ]
        lines += [f"  {item.path}: {item.reason}" for item in self.skipped]
        return "\n".join(lines)


def _canonical(ada):
    return normalize_ada(unicodedata.normalize("NFC", ada or ""))


def read_samples(folder):
    """The PDFs of ``folder``'s type folders with their metadata, and metadata without a PDF.

    Returns (samples, skipped). No Zope: plain files in, plain data out.
    """
    folder = Path(folder)
    samples, skipped = [], []
    for type_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        metadata, reason = _read_metadata(type_folder / METADATA)
        described = _canonical(metadata["ada"]) if metadata else None
        pdfs = sorted(type_folder.glob("*.pdf"))
        for pdf in pdfs:
            if metadata is not None and _canonical(pdf.stem) == described:
                samples.append(Sample(pdf, metadata))
            else:
                why = reason or f"{METADATA} describes {described}, not this PDF"
                samples.append(Sample(pdf, None, why))
        if described and described not in {_canonical(pdf.stem) for pdf in pdfs}:
            relative = (type_folder / METADATA).relative_to(folder)
            skipped.append(Skipped(str(relative), f"no PDF for {described}"))
    return samples, skipped


def _read_metadata(path):
    if not path.is_file():
        return None, f"no {METADATA} in its folder"
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return None, f"unreadable {METADATA}: {error}"
    if not isinstance(metadata, dict) or not metadata.get("ada"):
        return None, f"{METADATA} has no ada"
    return metadata, ""


def _one_line(value):
    """Diavgeia subjects may hold line breaks and runs of spaces; Plone titles are one line."""
    return " ".join((value or "").split())


def athens_date(milliseconds):
    """A Diavgeia timestamp (ms since the epoch, UTC) as a date in Athens."""
    return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=ATHENS).date()


def decision_values(sample):
    """The CouncilDecision field values for one sample with metadata."""
    metadata = sample.metadata
    date = athens_date(metadata["issueDate"]) if metadata.get("issueDate") else None
    values = {
        "title": _one_line(metadata.get("subject")),
        "ada": _canonical(metadata["ada"]),
        "decision_type": metadata.get("decisionTypeId") or None,
        "thematic_categories": [str(c) for c in metadata.get("thematicCategoryIds") or ()],
        "protocol_number": _one_line(metadata.get("protocolNumber")) or None,
        "decision_date": date,
        "decision_year": date.year if date else None,
        "signed_pdf": NamedBlobFile(
            data=sample.pdf.read_bytes(),
            contentType="application/pdf",
            filename=f"{sample.ada}.pdf",
        ),
        "digitization_status": "born-digital",
    }
    if sample.text_layer is not None:
        raw = sample.text_layer.read_text(encoding="utf-8")
        values["text"] = RichTextValue(raw, "text/plain", "text/html")
    return values


def problem(context, values):
    """Why ``values`` cannot be stored: the first value its schema field refuses, or None."""
    if values["decision_date"] is None:
        return "no issueDate in the metadata"
    for name, value in values.items():
        schema_field = TextLine(min_length=1) if name == "title" else ICouncilDecision[name]
        if value is None:
            continue
        try:
            schema_field.bind(context).validate(value)
        except ValidationError as error:
            shown = value if isinstance(value, str | int | list) else type(value).__name__
            return f"{name}: {type(error).__name__}: {error.doc()} ({shown!r})"
    return None


def _differs(old, new):
    if isinstance(new, NamedBlobFile):
        return old is None or (old.data, old.filename) != (new.data, new.filename)
    if isinstance(new, RichTextValue):
        return old is None or (old.raw, old.mimeType) != (new.raw, new.mimeType)
    return old != new


def existing_decision(ada):
    brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="CouncilDecision", ada=ada
    )
    return brains[0]._unrestrictedGetObject() if brains else None


def free_id(container, ada):
    """An id made from the ΑΔΑ (transliterated), unique in ``container``."""
    base = getUtility(IIDNormalizer).normalize(ada)
    candidate, n = base, 1
    while candidate in container.objectIds():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def update_decision(decision, values):
    """Set the values that changed; a new year gives the decision a number of that year."""
    if values["decision_year"] != decision.decision_year:
        decision.decision_number = None  # the old number stays spent in its year
    for name, value in values.items():
        if _differs(getattr(decision, name, None), value):
            setattr(decision, name, value)
    notify(ObjectModifiedEvent(decision))  # renumbers, re-claims the ΑΔΑ
    decision.reindexObject()


def _in_date_order(sample):
    """Oldest first, so that the numbers of a year follow the decision dates."""
    metadata = sample.metadata or {}
    return (metadata.get("issueDate") or 0, sample.ada)


def import_decisions(body, folder):
    """Create or update one CouncilDecision in ``body`` per sample PDF with metadata.

    ``body`` is a CouncilBody or CouncilMeeting; ``folder`` the diavgeia-samples
    folder. Decisions are imported oldest first, so their numbers follow their
    dates. The caller needs the right to add decisions and commits.
    """
    folder = Path(folder)
    samples, skipped = read_samples(folder)
    created, updated = [], []
    for sample in sorted(samples, key=_in_date_order):
        relative = str(sample.pdf.relative_to(folder))
        if sample.metadata is None:
            skipped.append(Skipped(relative, sample.reason))
            continue
        values = decision_values(sample)
        reason = problem(body, values)
        if reason:
            skipped.append(Skipped(relative, reason))
            continue
        decision = existing_decision(values["ada"])
        if decision is not None:
            update_decision(decision, values)
            updated.append(values["ada"])
        else:
            api.content.create(
                container=body, type="CouncilDecision", id=free_id(body, values["ada"]), **values
            )
            created.append(values["ada"])
    return ImportReport(tuple(created), tuple(updated), tuple(skipped))


def main(app, argv):
    parser = argparse.ArgumentParser(
        prog="bin/instance run scripts/import_diavgeia.py",
        description="Import the Diavgeia sample decisions. Test and evaluation sites only.",
    )
    parser.add_argument("site_id", help="id of the Plone site, e.g. dimos")
    parser.add_argument("body_path", help="path of the council body (or meeting) in the site")
    parser.add_argument("folder", type=Path, help="the diavgeia-samples folder")
    parser.add_argument("--user", default="admin", help="Zope root user to act as")
    args = parser.parse_args(argv)
    if args.site_id not in app.objectIds():
        parser.error(f"no site {args.site_id!r} in the Zope root")
    if not args.folder.is_dir():
        parser.error(f"no folder {args.folder}")
    user = app.acl_users.getUser(args.user)
    if user is None:
        parser.error(f"no user {args.user!r} in the Zope root")
    newSecurityManager(None, user.__of__(app.acl_users))
    site = app[args.site_id]
    setSite(site)
    body = site.unrestrictedTraverse(args.body_path.strip("/"), None)
    if not (ICouncilBody.providedBy(body) or ICouncilMeeting.providedBy(body)):
        parser.error(f"{args.body_path!r} is not a council body or meeting in /{args.site_id}")
    report = import_decisions(body, args.folder)
    transaction.get().note(f"Imported Diavgeia samples into {'/'.join(body.getPhysicalPath())}")
    transaction.commit()
    print(report.summary())


def script_args(argv):
    """The arguments after this script's path.

    ``bin/instance run`` leaves the interpreter and ``-c`` before the script in sys.argv.
    """
    for position, arg in enumerate(argv):
        if Path(arg).name == SCRIPT_NAME:
            return argv[position + 1 :]
    return argv[1:]


if __name__ == "__main__":
    main(app, script_args(sys.argv))  # noqa: F821 (`app` is given by `bin/instance run`)
