"""Permission-matrix entries of the household import pages: office staff and administrators
only; a preview job belongs to the user who uploaded the file (anybody else's is 404)."""

from core.jobs import job_create
from households.models import HouseholdImport
from households.services import IMPORT_PREVIEW

STAFF_ONLY = {"anonymous": 302, "staff": 200, "admin": 200, "*": 403}


def _preview_of(role: str):
    def build(world) -> dict:
        job = job_create(actor=world["users"][role], kind=IMPORT_PREVIEW)
        HouseholdImport.objects.create(
            commune_id=world["inside"].commune_id,
            source="household-imports/none/source.csv",
            file_name="ho.csv",
            check_job=job,
            created_by=world["users"][role],
        )
        return {"pk": job.pk}

    return build


PAGES = {
    "households:import-upload": [
        ("get", {}, STAFF_ONLY),
        # No file: the form is shown again with its errors.
        ("post", {}, STAFF_ONLY),
    ],
    "households:import-template": ("get", {}, STAFF_ONLY),
    # Still queued: the owner (and administrators) are sent to the job's progress page.
    "households:import-preview": [
        ("get", _preview_of("staff"), {**STAFF_ONLY, "staff": 302, "admin": 302}),
        ("get", _preview_of("admin"), {**STAFF_ONLY, "staff": 404, "admin": 302}),
    ],
    # No header row given: refused with a message, back to the preview.
    "households:import-remap": [
        ("post", _preview_of("staff"), {**STAFF_ONLY, "staff": 302, "admin": 302}),
        ("post", _preview_of("admin"), {**STAFF_ONLY, "staff": 404, "admin": 302}),
    ],
    # Not checked yet: refused with a message, back to the preview.
    "households:import-confirm": [
        ("post", _preview_of("staff"), {**STAFF_ONLY, "staff": 302, "admin": 302}),
        ("post", _preview_of("admin"), {**STAFF_ONLY, "staff": 404, "admin": 302}),
        ("get", _preview_of("staff"), {**STAFF_ONLY, "staff": 405, "admin": 405}),
    ],
}
