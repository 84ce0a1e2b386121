"""Where a household import keeps its files: the uploaded file and the check's outcome of every
row (the preview), in MEDIA_ROOT/household-imports/<id>/. No URL serves them: they list people.

Paths are stored relative to MEDIA_ROOT (``HouseholdImport.source`` and ``.preview``), so a
worker with another MEDIA_ROOT mount finds them.
"""

import json
from pathlib import Path

from django.conf import settings

from households.models import HouseholdImport

FOLDER = "household-imports"
PREVIEW_FILE = "preview.json"


def _relative(path: Path) -> str:
    return str(path.relative_to(Path(settings.MEDIA_ROOT)))


def source_store(household_import: HouseholdImport, content: bytes, filename: str) -> str:
    """Write an import's uploaded file and return its path (relative to MEDIA_ROOT)."""
    folder = Path(settings.MEDIA_ROOT) / FOLDER / str(household_import.pk)
    folder.mkdir(parents=True, exist_ok=True)
    # The stored name ("source.csv") keeps the extension that was checked; the upload's name is
    # cut to 200 characters and may have lost it.
    path = folder / ("source" + Path(filename).suffix.lower())
    path.write_bytes(content)
    return _relative(path)


def source_read(household_import: HouseholdImport) -> tuple[bytes, str]:
    """Return an import's stored file and the name it is read by."""
    path = Path(settings.MEDIA_ROOT) / household_import.source
    return path.read_bytes(), path.name


def preview_store(household_import: HouseholdImport, report: dict) -> str:
    """Write the check's report beside the stored file and return its path."""
    path = (Path(settings.MEDIA_ROOT) / household_import.source).parent / PREVIEW_FILE
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return _relative(path)


def preview_read(household_import: HouseholdImport) -> dict:
    """Return the check's report: columns, counts and every row's outcome."""
    path = Path(settings.MEDIA_ROOT) / household_import.preview
    return json.loads(path.read_text(encoding="utf-8"))
