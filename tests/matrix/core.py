"""Core pages: background jobs, which each user follows alone (others' are 404), and the icon."""

from core.jobs import job_create


def _job_of_staff(world):
    return {"pk": job_create(actor=world["users"]["staff"], kind="export").pk}


_STATUSES = {"anonymous": 302, "expired": 403, "staff": 200, "admin": 200, "*": 404}

PAGES = {
    "job-detail": ("get", _job_of_staff, _STATUSES),
    "job-status": ("get", _job_of_staff, _STATUSES),
    # Not finished: nothing to download yet, even for its owner.
    "job-download": (
        "get",
        _job_of_staff,
        {"anonymous": 302, "expired": 403, "*": 404},
    ),
    # The site's icon, for browsers that ask for it at the root: public like the health check.
    "favicon": ("get", {}, {"*": 200}),
}
