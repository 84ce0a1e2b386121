"""Household lists from spreadsheets: read a CSV or XLSX file, check every row, plan the changes.

The simplest file is the template: one household per row under Vietnamese headers (``COLUMNS``;
``template_csv`` writes an empty one). A commune's own list is read too: title lines above the
table, a header over one or two rows found where it is (or named), headers that vary from
commune to commune mapped to the fields by folded synonyms (``FIELDS``; the person corrects the
mapping on the preview page, and the commune's confirmed layout is proposed for its next file),
an STT column, one row per person with the members under their head, total and empty rows
skipped and listed. Only the village and the head's name are required; a household without a
code is matched by village, head's name and birth year, and gets a code in the commune's
pattern when it is created. Any other column may be missing or blank, and a blank cell keeps
the current value (an import never erases what it was not given). A row is *new*, an *update*
(something differs), *unchanged*, or an *error* naming the column and the reason. Importing the
same file twice changes nothing the second time.

Why not django-import-export: its resources import through one ``save()`` per row and keep
their dry-run report in memory, while this import must resume where a killed worker stopped
(progress committed with each chunk of rows), report every row of a 50,000-row file on a
preview page, read Windows-1258 files and write history in bulk. The reading is the small part
(the csv module and openpyxl); the checks are the Django
models' own ``full_clean`` plus the uniqueness rules checked against the database in bulk.

An import is a ``households.models.HouseholdImport`` row (the file, its commune, what the check
found and what the import did), checked and applied by two ``core.Job`` rows that the job page
follows. The package's modules, by stage, each importing only the ones before it:

- ``columns``: the fields, the outcomes, the row types, the empty template;
- ``parsing``: one row's cells into values, or errors naming the column;
- ``header``: the header's row and depth, the field of each column;
- ``skipping``: the rows that hold no household (empty, totals, a repeated header);
- ``persons``: a file of one row per person grouped into households;
- ``decoding``: a CSV file's bytes into text, or a refusal naming the encodings tried;
- ``limits``: what a file may unpack to (rows, columns, cells, a cell's length), checked as
  it is read;
- ``reading``: refusing a file, finding the headers, parsing every row (``MAX_BYTES`` and
  ``MAX_ROWS`` are read there: patch ``households.imports.reading``, not this package);
- ``places``: the village and the commune a row names (``Villages``);
- ``reads``: what a row's check reads from the database, and whether it is still so;
- ``checking``: each row's outcome against the database (nothing is written);
- ``summary``: a report's lines (``row_label``) and counts (``import_summary``);
- ``codes``: the codes of households given without one;
- ``storage``: where an import's file and preview are kept;
- ``previewing``: the check job, which writes every row's outcome for the preview page;
- ``writing``: the rows written in bulk, and their history copied by the database;
- ``applying``: the import job, which checks the file again and writes the rows in resumable
  chunks (each reusing that check where the rows' households did not change since).

The two jobs run as ``households.tasks``; the services that start an import and confirm it,
queuing those tasks, are ``households.services.household_import`` (here they would close a
cycle: this package → the tasks → this package). This module re-exports the first four
modules (they write nothing); ``households.services`` re-exports the jobs' services.
"""

from households.imports.checking import (
    Checked,
    Villages,
    check_in_batches,
    check_rows,
    counts,
    duplicated_codes,
)
from households.imports.columns import (
    BY_KEY,
    COLUMNS,
    FIELDS,
    HEAD_KEYS,
    HOUSEHOLD_KEYS,
    Column,
    Outcome,
    ParsedFile,
    Row,
    template_csv,
)
from households.imports.header import Layout, MappingProblem, find_layout, header_key
from households.imports.parsing import parse_row
from households.imports.reading import (
    EXTENSIONS,
    MAX_BYTES,
    MAX_ROWS,
    FileProblem,
    check_file,
    is_household_file,
    read_file,
)
from households.imports.summary import import_summary, row_label

__all__ = [
    "BY_KEY",
    "COLUMNS",
    "EXTENSIONS",
    "FIELDS",
    "HEAD_KEYS",
    "HOUSEHOLD_KEYS",
    "MAX_BYTES",
    "MAX_ROWS",
    "Checked",
    "Column",
    "FileProblem",
    "Layout",
    "MappingProblem",
    "Outcome",
    "ParsedFile",
    "Row",
    "Villages",
    "check_file",
    "check_in_batches",
    "check_rows",
    "counts",
    "duplicated_codes",
    "find_layout",
    "header_key",
    "import_summary",
    "is_household_file",
    "parse_row",
    "read_file",
    "row_label",
    "template_csv",
]
