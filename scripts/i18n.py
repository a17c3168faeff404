"""Extract a package's message ids into locales/<domain>.pot and merge them into el/en.

    python scripts/i18n.py src/dimos.content/src/dimos/content dimos.content

Finds ``_("...")`` calls (implicit string concatenation included) in Python
files, ``i18n:translate`` titles in the type XML, and keeps every existing
translation. New ids get an empty Greek msgstr (to be translated) and their
own text as English. Lists the Greek ids still untranslated.
"""

from pathlib import Path

import ast
import re
import sys


CALL = re.compile(r'\b_\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
XML_TITLE = re.compile(r'<property name="(?:title|description)"\s+i18n:translate=""\s*>([^<]+)<')


def extract(package):
    ids = {}
    for path in sorted(package.rglob("*.py")):
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            msgid = ast.literal_eval(" ".join(match.group(1).split("\n")))
            ids.setdefault(msgid, path.relative_to(package))
    for path in sorted((package / "profiles").rglob("types/*.xml")):
        for match in XML_TITLE.finditer(path.read_text(encoding="utf-8")):
            ids.setdefault(match.group(1).strip(), path.relative_to(package))
    return ids


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_po(path):
    if not path.exists():
        return {}
    entries, msgid = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
        elif line.startswith("msgstr ") and msgid is not None:
            entries[msgid] = ast.literal_eval(line[7:])
            msgid = None
    entries.pop("", None)
    return entries


def write_po(path, domain, language, entries):
    header = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=utf-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
        f'"Language-Code: {language}\\n"' if language else '"Language-Code: en\\n"',
        f'"Domain: {domain}\\n"',
        "",
    ]
    body = []
    for msgid, (source, msgstr) in entries.items():
        body += [f"#: {source}", f"msgid {quote(msgid)}", f"msgstr {quote(msgstr)}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header + body), encoding="utf-8")


def main(package, domain):
    package = Path(package)
    ids = extract(package)
    locales = package / "locales"
    write_po(locales / f"{domain}.pot", domain, None, {m: (s, "") for m, s in ids.items()})
    missing = []
    for language in ("el", "en"):
        path = locales / language / "LC_MESSAGES" / f"{domain}.po"
        old = read_po(path)
        merged = {}
        for msgid, source in ids.items():
            msgstr = old.get(msgid) or (msgid if language == "en" else "")
            if not msgstr:
                missing.append(msgid)
            merged[msgid] = (source, msgstr)
        write_po(path, domain, language, merged)
    for msgid in missing:
        print(f"untranslated (el): {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
