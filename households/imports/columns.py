"""What a household file holds: its fields, a row's outcomes, the rows passed between the steps.

Shared by the reading, the parsing and the checking; imports nothing of theirs.
"""

import codecs
import csv
import dataclasses
import io

from django.utils.translation import gettext_lazy as _


class FileProblem(Exception):
    """The file as a whole cannot be imported (unreadable, missing required columns…)."""


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it (Vietnamese: the files come from the commune)
    required: bool = False
    # Other ways communes head the column, folded (households.imports.header.header_key).
    aliases: tuple[str, ...] = ()
    # In a file of one row per person, a header that does not name the head ("Năm sinh", not
    # "Năm sinh chủ hộ") is the person's of the row: this column.
    person_key: str = ""
    in_template: bool = True
    label: str = ""  # the field's name on the preview page's selects


FIELDS = (
    Column(
        "code",
        "Mã hộ",
        False,
        ("ma ho gia dinh", "ma so ho", "ma so ho gia dinh", "ma", "household code", "code"),
        label=_("Household code"),
    ),
    Column(
        "village",
        "Thôn",
        True,
        ("thon ban", "ban", "xom", "thon xom", "ban lang", "thon to", "village"),
        label=_("Village"),
    ),
    Column(
        "head_name",
        "Họ tên chủ hộ",
        True,
        (
            "chu ho",
            "ten chu ho",
            "ho va ten chu ho",
            "ho ten",
            "ho va ten",
            "head of household",
        ),
        person_key="member_name",
        label=_("Head of household"),
    ),
    Column("address", "Địa chỉ", aliases=("address", "dia chi thuong tru"), label=_("Address")),
    Column(
        "phone",
        "Điện thoại",
        aliases=("so dien thoai", "sdt", "dien thoai lien he", "phone"),
        label=_("Phone"),
    ),
    Column(
        "housing_condition",
        "Tình trạng nhà ở",
        aliases=("nha o", "housing condition"),
        label=_("Housing condition"),
    ),
    Column("notes", "Ghi chú", aliases=("notes",), label=_("Notes")),
    Column(
        "head_sex",
        "Giới tính chủ hộ",
        aliases=("gioi tinh", "sex"),
        person_key="member_sex",
        label=_("Head's sex"),
    ),
    Column(
        "head_birth",
        "Ngày sinh chủ hộ",
        aliases=(
            "ngay sinh",
            "nam sinh",
            "ngay thang nam sinh",
            "nam sinh chu ho",
            "birth date",
        ),
        person_key="member_birth",
        label=_("Head's date or year of birth"),
    ),
    Column(
        "head_ethnicity",
        "Dân tộc chủ hộ",
        aliases=("dan toc", "ethnicity"),
        person_key="member_ethnicity",
        label=_("Head's ethnicity"),
    ),
    Column(
        "head_national_id",
        "Số CCCD chủ hộ",
        aliases=("so cccd", "cccd", "so cmnd cccd", "cmnd cccd", "so dinh danh", "national id"),
        person_key="member_national_id",
        label=_("Head's national ID number"),
    ),
    Column(
        "head_disability",
        "Chủ hộ khuyết tật",
        aliases=("khuyet tat", "disability"),
        label=_("Head has a disability"),
    ),
    # The columns of a commune's own lists, beyond the template's.
    Column(
        "commune",
        "Xã",
        aliases=("xa phuong", "xa phuong thi tran", "commune"),
        in_template=False,
        label=_("Commune"),
    ),
    Column("stt", "STT", aliases=("so thu tu", "tt"), in_template=False, label=_("Row number")),
    Column(
        "relation",
        "Quan hệ với chủ hộ",
        aliases=("quan he voi chu ho", "quan he", "quan he chu ho", "relation"),
        in_template=False,
        label=_("Relation to the head"),
    ),
    Column("member_name", "Họ và tên", in_template=False, label=_("Person's name")),
    Column("member_sex", "Giới tính", in_template=False, label=_("Person's sex")),
    Column(
        "member_birth", "Năm sinh", in_template=False, label=_("Person's date or year of birth")
    ),
    Column(
        "birth_male",
        "Năm sinh / Nam",
        in_template=False,
        label=_("Year of birth, written under Male"),
    ),
    Column(
        "birth_female",
        "Năm sinh / Nữ",
        in_template=False,
        label=_("Year of birth, written under Female"),
    ),
    Column("member_ethnicity", "Dân tộc", in_template=False, label=_("Person's ethnicity")),
    Column(
        "member_national_id", "Số CCCD", in_template=False, label=_("Person's national ID number")
    ),
)
BY_KEY = {column.key: column for column in FIELDS}
# The template's columns (the simplest way in): the household's and its head's.
COLUMNS = tuple(column for column in FIELDS if column.in_template)
HOUSEHOLD_KEYS = ("village", "head_name", "address", "phone", "housing_condition", "notes")
HEAD_KEYS = ("head_sex", "head_birth", "head_ethnicity", "head_national_id", "head_disability")
# A person's own columns in a file of one row per person.
PERSON_KEYS = (
    "member_name",
    "relation",
    "member_sex",
    "member_birth",
    "member_ethnicity",
    "member_national_id",
)
# Columns recognised and not read.
UNREAD_KEYS = ("stt",)


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
    # In a file of one row per person: the household's other people, listed under its head.
    members: list["Person"] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)  # shown beside the row


@dataclasses.dataclass
class Person:
    """A member's row under its head (a file of one row per person): the member's fields
    (``full_name``, ``relation``, ``sex``, ``birth_year``, ``ethnicity``, ``national_id``)."""

    number: int
    values: dict
    errors: dict = dataclasses.field(default_factory=dict)  # column key → message


@dataclasses.dataclass
class ParsedFile:
    rows: list[Row]
    columns: list[str]  # keys of the columns found
    ignored: list[str]  # headers not used
    # Every header as the file writes it, in its order → the column read under it ("": none).
    mapping: dict[str, str] = dataclasses.field(default_factory=dict)
    # How the file is laid out (households.imports.header.Layout.as_dict): the header's row and
    # depth, the title lines above it, every column's header and field, one row per person.
    layout: dict = dataclasses.field(default_factory=dict)
    skipped: list[dict] = dataclasses.field(default_factory=list)  # {"row": n, "reason": text}


def template_csv() -> bytes:
    """Return an empty household file: the headers only, UTF-8 with a BOM so Excel shows the
    Vietnamese letters."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.header for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
