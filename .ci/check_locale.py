"""Check the Vietnamese catalogue: complete, nothing fuzzy, the .mo built from the .po.

1. Extract the strings from the code into a scratch copy of the catalogue (makemessages) and
   fail on any entry without a translation or marked fuzzy: a new string nobody translated.
2. Compile the committed .po with msgfmt and compare it, entry by entry, with the committed .mo.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(catalog) -> dict:
    return {
        (e.msgctxt, e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalog
        if e.msgid
    }


def main() -> int:
    problems = []
    if not PO.exists() or not MO.exists():
        print(f"missing {PO.relative_to(ROOT)} or its .mo")
        return 1

    backup = Path(tempfile.mkdtemp()) / "django.po"
    shutil.copy2(PO, backup)
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "vi",
                "--no-obsolete",
                "--ignore=.venv",
                "--ignore=var",
                "--ignore=tests",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        extracted = polib.pofile(str(PO))
    finally:
        shutil.copy2(backup, PO)

    for entry in extracted:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"untranslated: {entry.msgid!r}")

    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "django.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(built), str(PO)], check=True)  # noqa: S603,S607
        if _entries(polib.mofile(str(built))) != _entries(polib.mofile(str(MO))):
            problems.append(
                "django.mo is not compiled from the committed django.po: run make messages"
            )

    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in the Vietnamese catalogue")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
