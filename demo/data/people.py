"""The people of the demo: its accounts, and how the fictional households are drawn (their
yearly reviews and their names).

Households and their members are fictional. National ID numbers start with ``000``, which is no
province's code, so no generated number can be a real person's. No phone numbers are generated.
"""

import datetime

from core import roles
from demo.data.partners import BIDV_TQ

D = datetime.date

# --- Accounts (illustrative people) --------------------------------------------------------------
# Illustrative. The demo accounts' password, printed by the command and in the Makefile.
DEMO_PASSWORD = "bacung-demo"  # noqa: S105 - public demo password, by design
# username, group, is_staff, is_superuser, full name (family name first, one field: first_name)
ACCOUNTS = [
    ("admin", roles.ADMINISTRATOR, True, True, "Hoàng Quốc Toàn"),
    ("staff", roles.OFFICE_STAFF, True, False, "Nguyễn Thị Thu Hà"),
    # Until the working pages exist, the cadre works in the (scoped) staff admin.
    ("cadre", roles.COMMUNE_CADRE, True, False, "Ma Văn Thắng"),
    ("donor", roles.DONOR, False, False, "Trần Minh Đức"),
    ("auditor", roles.AUDITOR, True, False, "Lê Thị Ngọc Anh"),
]
# The demo donor speaks for this branch: it sees its own money trail only.
DEMO_DONOR_PARTNER = BIDV_TQ

# --- Households (illustrative) -------------------------------------------------------------------
# Deterministic on purpose: the same seed gives the same households on every machine.
SEED = "ba-cung-linh-phu-2022"
DEFAULT_HOUSEHOLDS = 300

# --- Household reviews (illustrative; the 2022–2025 poverty standard period) ---------------------
# Yearly review days: the baseline from the 2021 year-end review, then each year-end review.
REVIEW_DAYS = [D(2022, 1, 14), D(2022, 12, 15), D(2023, 12, 14), D(2024, 12, 13), D(2025, 12, 12)]
# Reviews up to this day are written as they were recorded before the campaigns (one status);
# the 2025 step of each story is found by the 2025 review campaign (demo.builders.steps.reviews).
LAST_STATUS_REVIEW = D(2024, 12, 31)
# Status paths over REVIEW_DAYS, and how many of every 20 households follow each. At the 2023
# review (in force when the 2024 gifts were given) 8 of 20 are a policy family or in difficulty,
# so 260 households give over 100 gift recipients (MIN_HOUSEHOLDS).
TRAJECTORIES = {
    "policy": (3, ["policy", "policy", "policy", "policy", "policy"]),
    "difficulty": (2, ["difficulty"] * 5),
    "poor_to_difficulty": (2, ["poor", "poor", "difficulty", "near_poor", "none"]),
    "near_poor_to_difficulty": (1, ["near_poor", "near_poor", "difficulty", "near_poor", "none"]),
    "leaves_poverty_2024": (3, ["poor", "poor", "poor", "near_poor", "near_poor"]),
    "stays_poor": (2, ["poor"] * 5),
    "near_poor_leaves": (2, ["near_poor", "near_poor", "none", "none", "none"]),
    "never": (4, ["none"] * 5),
    "leaves_poverty_fast": (1, ["poor", "near_poor", "none", "none", "none"]),
}
TRAJECTORY_BLOCK = 20
MIN_HOUSEHOLDS = 260

REASONS = {
    ("", "poor"): [
        "Rà soát: thu nhập bình quân dưới chuẩn nghèo đa chiều, thiếu hụt nhà ở và nước sạch.",
        "Rà soát: thu nhập thấp, thiếu đất sản xuất, đông người ăn theo.",
    ],
    ("", "near_poor"): [
        "Rà soát: thu nhập dưới chuẩn cận nghèo, thiếu hụt dưới 3 chỉ số dịch vụ xã hội cơ bản.",
    ],
    ("", "policy"): [
        "Gia đình có công với cách mạng: thân nhân liệt sĩ.",
        "Gia đình có công với cách mạng: thương binh.",
        "Gia đình có công với cách mạng: người hoạt động kháng chiến.",
    ],
    ("", "difficulty"): [
        "Người cao tuổi sống một mình, thường xuyên ốm đau.",
        "Hoàn cảnh khó khăn: chủ hộ bệnh hiểm nghèo, không có lao động chính.",
    ],
    ("", "none"): ["Rà soát: không thuộc diện hộ nghèo, cận nghèo."],
    ("poor", "poor"): ["Rà soát cuối năm: thu nhập chưa cải thiện, vẫn dưới chuẩn nghèo."],
    ("poor", "near_poor"): [
        "Thu nhập tăng nhờ trồng rừng và chăn nuôi, còn dưới chuẩn cận nghèo.",
    ],
    ("poor", "difficulty"): [
        "Ra khỏi chuẩn nghèo về thu nhập nhưng chủ hộ ốm đau dài ngày, gia đình vẫn khó khăn.",
    ],
    ("near_poor", "near_poor"): ["Rà soát cuối năm: vẫn thuộc diện cận nghèo."],
    ("near_poor", "difficulty"): [
        "Mưa lũ làm hư hỏng hoa màu và chuồng trại; gia đình gặp khó khăn."
    ],
    ("near_poor", "none"): ["Thoát cận nghèo: có thu nhập ổn định từ trồng quế, keo và chăn nuôi."],
    ("difficulty", "difficulty"): ["Rà soát cuối năm: hoàn cảnh vẫn khó khăn."],
    ("difficulty", "near_poor"): ["Sức khỏe chủ hộ khá hơn, đã có thu nhập; thuộc diện cận nghèo."],
    ("policy", "policy"): ["Rà soát cuối năm: tiếp tục hưởng chế độ gia đình chính sách."],
}

# --- Names (fictional people, real naming patterns) ----------------------------------------------
ETHNICITIES = ("tay", "dao", "kinh")
SURNAMES = {
    "tay": [
        ("Ma", 9),
        ("Hoàng", 6),
        ("Nông", 4),
        ("Lương", 3),
        ("Quan", 3),
        ("Hà", 3),
        ("Lý", 2),
        ("Chẩu", 2),
        ("Mạc", 2),
        ("Nguyễn", 2),
        ("Lộc", 1),
        ("Đàm", 1),
        ("Vi", 1),
    ],
    "dao": [("Triệu", 6), ("Bàn", 5), ("Đặng", 3), ("Lý", 2), ("Phùng", 2), ("Chảo", 1)],
    "kinh": [
        ("Nguyễn", 8),
        ("Trần", 3),
        ("Lê", 2),
        ("Phạm", 2),
        ("Vũ", 2),
        ("Đỗ", 1),
        ("Bùi", 1),
        ("Hoàng", 1),
    ],
}
MIDDLE_NAMES = {
    ("tay", "male"): ["Văn", "Văn", "Văn", "Đình", "Xuân", "Thế", "Quang", "Ngọc"],
    ("tay", "female"): ["Thị"],
    ("dao", "male"): ["Văn", "Văn", "Tiến", "Tài", "Kim"],
    ("dao", "female"): ["Thị"],
    ("kinh", "male"): ["Văn", "Đức", "Minh", "Quốc", "Mạnh"],
    ("kinh", "female"): ["Thị", "Thị", "Thu", "Thanh"],
}
# Middle names given to children born since 2000, across ethnicities.
YOUNG_MIDDLE_NAMES = {
    "male": ["Văn", "Minh", "Đức", "Gia", "Quang", "Tuấn"],
    "female": ["Thị", "Ngọc", "Bảo", "Thu", "Khánh"],
}
GIVEN_NAMES = {
    "male": [
        "Liệu", "Sơn", "Tuấn", "Hùng", "Dũng", "Thắng", "Chiến", "Cường", "Hải", "Toàn",
        "Minh", "Long", "Quyết", "Pằn", "Sáng", "Vinh", "Bình", "Thành", "Lợi", "Hưng",
        "Nam", "Kiên", "Phúc", "Khánh", "Tài", "Lâm", "Đông", "Định", "Hòa", "Hiến",
        "Tiến", "Nghĩa", "Quân", "Vượng", "Thuận", "Chung", "Luyện", "Nguyên",
    ],
    "female": [
        "Lan", "Mai", "Hoa", "Hương", "Nhung", "Thu", "Hằng", "Hạnh", "Phượng", "Nga",
        "Yến", "Lụa", "Thơm", "Dung", "Chinh", "Loan", "Hiền", "Huệ", "Xuân", "Thảo",
        "Ngọc", "Quyên", "Vân", "Tươi", "Thắm", "Sen", "Duyên", "Lìu", "Mẩy", "Nhàn",
    ],
}  # fmt: skip
YOUNG_GIVEN_NAMES = {
    "male": ["Huy", "Khang", "Bảo", "Phong", "Đạt", "An", "Khôi", "Nam", "Lâm", "Hiếu", "Duy"],
    "female": ["Anh", "Linh", "Trang", "Ngân", "Vy", "Hà", "My", "Thư", "Diệp", "Châu", "Nhi"],
}
DISABILITY_NOTES = [
    "Khuyết tật vận động",
    "Khiếm thị",
    "Khiếm thính",
    "Khuyết tật trí tuệ",
    "Khuyết tật vận động, đi lại khó khăn",
]
WAR_INVALID_NOTE = "Thương binh, suy giảm khả năng lao động"
HOUSEHOLD_NOTES = {
    "difficulty": "Người cao tuổi, thường xuyên ốm đau.",
    "poor_to_difficulty": "Chủ hộ ốm đau dài ngày.",
    "near_poor_to_difficulty": "Bị thiệt hại do mưa lũ năm 2023.",
}
