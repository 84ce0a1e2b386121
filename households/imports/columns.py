"""What a household file holds: its columns, a row's outcomes, the rows passed between the steps.

Shared by the reading, the parsing and the checking; imports nothing of theirs.
"""

import codecs
import csv
import dataclasses
import io


class FileProblem(Exception):
    """The file as a whole cannot be imported (unreadable, missing required columns…)."""


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it (Vietnamese: the files come from the commune)
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("code", "Mã hộ", True, ("ma ho gia dinh", "ma", "household code", "code")),
    Column("village", "Thôn", True, ("thon/ban", "thon ban", "ban", "village")),
    Column("head_name", "Họ tên chủ hộ", True, ("chu ho", "ten chu ho", "head of household")),
    Column("address", "Địa chỉ", aliases=("address",)),
    Column("phone", "Điện thoại", aliases=("so dien thoai", "sdt", "phone")),
    Column("housing_condition", "Tình trạng nhà ở", aliases=("nha o", "housing condition")),
    Column("notes", "Ghi chú", aliases=("notes",)),
    Column("head_sex", "Giới tính chủ hộ", aliases=("gioi tinh", "sex")),
    Column("head_birth", "Ngày sinh chủ hộ", aliases=("ngay sinh", "nam sinh", "birth date")),
    Column("head_ethnicity", "Dân tộc chủ hộ", aliases=("dan toc", "ethnicity")),
    Column("head_national_id", "Số CCCD chủ hộ", aliases=("so cccd", "cccd", "national id")),
    Column("head_disability", "Chủ hộ khuyết tật", aliases=("khuyet tat", "disability")),
)
BY_KEY = {column.key: column for column in COLUMNS}
HOUSEHOLD_KEYS = ("village", "head_name", "address", "phone", "housing_condition", "notes")
HEAD_KEYS = ("head_sex", "head_birth", "head_ethnicity", "head_national_id", "head_disability")


class Outcome:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    ALL = (NEW, UPDATE, UNCHANGED, ERROR)


@dataclasses.dataclass
class Row:
    """One data row of the file: its number as a spreadsheet shows it, and its parsed cells."""

    number: int
    values: dict  # column key → parsed value; only the columns given and not blank
    errors: dict = dataclasses.field(default_factory=dict)  # column key → message


@dataclasses.dataclass
class ParsedFile:
    rows: list[Row]
    columns: list[str]  # keys of the columns found
    ignored: list[str]  # headers not used
    # Every header as the file writes it, in its order → the column read under it ("": none).
    mapping: dict[str, str] = dataclasses.field(default_factory=dict)


def template_csv() -> bytes:
    """Return an empty household file: the headers only, UTF-8 with a BOM so Excel shows the
    Vietnamese letters."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.header for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
