"""What an import report says: one line per row in error, and the counts of each outcome."""

from django.utils.translation import gettext as _

from households.imports.columns import Outcome


def row_label(item: dict) -> str:
    """Return one error row of a report as a line: "Row 7 · Thôn: …"."""
    parts = []
    for error in item["errors"]:
        text = f"{error['column']}: {error['message']}" if error["column"] else error["message"]
        if error.get("row") and error["row"] != item["row"]:
            text = _("row %(row)s, %(problem)s") % {"row": error["row"], "problem": text}
        parts.append(text)
    return _("Row %(row)s · %(problems)s") % {"row": item["row"], "problems": "; ".join(parts)}


def import_summary(counts: dict, *, preview: bool = False) -> str:
    """Say how many rows are (or were) new, updated, unchanged and in error."""
    values = {key: f"{counts.get(key, 0):,}".replace(",", ".") for key in Outcome.ALL}
    if preview:
        return (
            _("New %(new)s · to update %(update)s · unchanged %(unchanged)s · errors %(error)s")
            % values
        )
    return (
        _("Created %(new)s · updated %(update)s · unchanged %(unchanged)s · skipped %(error)s")
        % values
    )
