"""Writes to households, members and reviews.

One module per kind of write, each re-exported here (``from households.services import …``):

- ``household``: households and their members;
- ``review``: the flag that asks for a review;
- ``campaign``: the review campaign, step by step, up to the commune decision;
- ``concern``: the case file's follow-up (who opened it, what the family said);
- ``survey``: the survey at the door, section by section (``survey_start``, ``survey_save``);
- ``household_import``: starting and confirming a household import (queuing its jobs).

Also re-exported, for the callers that know them here: the household import's jobs
(``households.imports``: ``previewing`` checks a file, ``applying`` applies it) and the search
text (``households.search``).
"""

from households.imports.applying import household_import_chunk, household_import_run
from households.imports.previewing import (
    household_import_check,
    household_import_dry_run,
    import_preview_report,
)
from households.imports.summary import import_summary
from households.search import household_search_text
from households.services.campaign import (
    campaign_entry_add,
    campaign_open,
    complaint_record,
    complaint_settle,
    decision_blockers,
    decision_record,
    meeting_record,
    posting_record,
)
from households.services.concern import (
    case_file_viewed,
    concern_record,
    concern_update,
)
from households.services.continuation import continuation_of, partnership_continue
from households.services.household import (
    HOUSEHOLD_EDITABLE,
    MEMBER_EDITABLE,
    household_archive,
    household_create,
    household_difficulty_clear,
    household_difficulty_set,
    household_update,
    member_add,
    member_update,
)
from households.services.household_import import (
    IMPORT_APPLY,
    IMPORT_CHUNK,
    IMPORT_PREVIEW,
    household_import_confirm,
    household_import_file,
    household_import_start,
)
from households.services.review import household_flag
from households.services.survey import survey_save, survey_start

__all__ = [
    "HOUSEHOLD_EDITABLE",
    "IMPORT_APPLY",
    "IMPORT_CHUNK",
    "IMPORT_PREVIEW",
    "MEMBER_EDITABLE",
    "campaign_entry_add",
    "campaign_open",
    "case_file_viewed",
    "complaint_record",
    "complaint_settle",
    "concern_record",
    "concern_update",
    "continuation_of",
    "decision_blockers",
    "decision_record",
    "household_archive",
    "household_create",
    "household_difficulty_clear",
    "household_difficulty_set",
    "household_flag",
    "household_import_check",
    "household_import_chunk",
    "household_import_confirm",
    "household_import_dry_run",
    "household_import_file",
    "household_import_run",
    "household_import_start",
    "household_search_text",
    "household_update",
    "import_preview_report",
    "import_summary",
    "meeting_record",
    "member_add",
    "member_update",
    "partnership_continue",
    "posting_record",
    "survey_save",
    "survey_start",
]
