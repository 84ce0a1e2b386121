"""Fixed facts and name lists for ``seed_demo``.

Two kinds of values live here, and each is marked:

* **Reported**: places, partners, years and figures from the two published news reports
  (/work/shared/FIELD-NOTES.md). They must reproduce exactly; tests check them.
* **Illustrative**: values the reports do not give (a gift's worth, a bin's price, exact days,
  people). They are chosen to be plausible and may be changed freely, as long as the reported
  figures still hold.

Households and their members are fictional. National ID numbers start with ``000``, which is no
province's code, so no generated number can be a real person's. No phone numbers are generated.
"""

import datetime

from core import roles

D = datetime.date

# Deterministic on purpose: the same seed gives the same households on every machine.
SEED = "ba-cung-linh-phu-2022"
# Illustrative. The demo accounts' password, printed by the command and in the Makefile.
DEMO_PASSWORD = "bacung-demo"  # noqa: S105 - public demo password, by design
DEFAULT_HOUSEHOLDS = 300

# --- Map (reported) ------------------------------------------------------------------------------
PROVINCE = "Tuyên Quang"
PROVINCE_CODE = "08"
MERGED_PROVINCE = "Hà Giang"
MERGED_PROVINCE_CODE = "02"
DISTRICT = "Chiêm Hóa"
COMMUNE = "Linh Phú"
NEIGHBOUR_COMMUNE = "Tri Phú"
# Last day of the old map: districts were abolished and Hà Giang joined Tuyên Quang on 1 July 2025.
REFORM_LAST_DAY = D(2025, 6, 30)

MERGED_PROVINCE_NOTE = "Hợp nhất vào tỉnh Tuyên Quang từ ngày 01/07/2025."
DISTRICT_NOTE = (
    "Cấp huyện kết thúc hoạt động từ ngày 01/07/2025 (chính quyền địa phương hai cấp); "
    "các xã trực thuộc tỉnh."
)
COMMUNE_NOTE = (
    "Đơn vị sau sắp xếp năm 2025 không có trong nguồn tin, nên dữ liệu mẫu không ghi nhận."
)

# Linh Phú's 8 villages: (name, invented, weight in the household draw, share of Tày/Dao/Kinh).
# Pác Hợp and Lũng Lừa are reported; the six others are invented Tày place names
# (Nà = rice field, Khuổi = stream, Phiêng = flat land, Cốc = foot of a hill, Khau = pass).
VILLAGES = [
    ("Pác Hợp", False, 13, (80, 5, 15)),
    ("Lũng Lừa", False, 12, (85, 10, 5)),
    ("Nà Coóc", True, 14, (85, 3, 12)),
    ("Khuổi Hỏi", True, 10, (25, 72, 3)),
    ("Phiêng Tạ", True, 13, (88, 4, 8)),
    ("Cốc Phát", True, 12, (80, 10, 10)),
    ("Nà Lìn", True, 14, (86, 4, 10)),
    ("Khau Lình", True, 12, (55, 42, 3)),
]
VILLAGE_PAC_HOP = "Pác Hợp"
VILLAGE_LUNG_LUA = "Lũng Lừa"
HOUSEHOLD_CODE_PREFIX = "LP-"

# --- Partners (reported) -------------------------------------------------------------------------
OFFICE = "Văn phòng Tỉnh ủy Tuyên Quang"
AGRIBANK = "Agribank Chi nhánh Tuyên Quang"
BIDV_TQ = "BIDV Chi nhánh Tuyên Quang"
BIDV_MD = "BIDV Chi nhánh Mỹ Đình"
PARTNERS = [
    # name, short name, kind, address
    (OFFICE, "VPTU Tuyên Quang", "agency", "Tỉnh Tuyên Quang"),
    (AGRIBANK, "Agribank Tuyên Quang", "bank", "Tỉnh Tuyên Quang"),
    (BIDV_TQ, "BIDV Tuyên Quang", "bank", "Tỉnh Tuyên Quang"),
    (BIDV_MD, "BIDV Mỹ Đình", "bank", "Hà Nội"),
]
PARTNERSHIP_NAME = "Ba cùng: Văn phòng Tỉnh ủy Tuyên Quang – xã Linh Phú"
# Illustrative: the earliest year the reports give figures for.
PARTNERSHIP_START_YEAR = 2022
PARTNERSHIP_DESCRIPTION = (
    "Cán bộ, đảng viên, người lao động Văn phòng Tỉnh ủy kết nghĩa với cán bộ, đảng viên và "
    "nhân dân xã Linh Phú, thực hiện phương châm “ba cùng” (cùng ăn, cùng ở, cùng làm). "
    "Văn phòng và Đảng ủy xã dùng chung một nhóm Zalo để trao đổi kinh nghiệm và nắm bắt "
    "thông tin kịp thời."
)

# --- The office's public profile on /verify/ -----------------------------------------------------
# The office's name is reported. The reports give no phone number, address or Zalo Official
# Account, so those are illustrative, and the note on the page says so. The phone number is a
# demo number on purpose: 0200 is no area code in use (Tuyên Quang's is 0207), so the demo page
# cannot send anyone to a real line.
SITE_PROFILE_PHONE = "0200 000 0000"
SITE_PROFILE = {
    "office_name": OFFICE,
    "phone": SITE_PROFILE_PHONE,
    "address": "Tỉnh Tuyên Quang",
    "zalo_oa_name": OFFICE,
    "verify_note": (
        "Dữ liệu mẫu: số điện thoại, địa chỉ và tài khoản Zalo OA ở trên chỉ để minh họa, "
        "không phải của Văn phòng Tỉnh ủy Tuyên Quang."
    ),
}

# --- Figures (reported) and their illustrative prices --------------------------------------------
BIN_COUNT = 32  # reported: 2022
BIN_VALUE_VND = 850_000  # illustrative: a 120-litre lidded bin
BIN_INSTALLED_ON = D(2022, 10, 15)  # illustrative day, reported year
BIN_CODE = "LP-TR-2022-{:02d}"
BIN_DESCRIPTION = "Thùng rác nhựa 120 lít có nắp"

POLE_COUNT = 15  # reported: 2023, Pác Hợp
POLE_VALUE_VND = 2_050_000  # illustrative; 15 poles = 30.750.000 ₫, "over 30,000,000" (reported)
POLE_INSTALLED_ON = D(2023, 8, 28)  # illustrative day, reported year
POLE_CODE = "LP-DEN-2023-{:02d}"
POLE_DESCRIPTION = "Cột đèn năng lượng mặt trời kèm biển tên và cờ Tổ quốc – Thắp sáng đường quê"

VISIT_2023_GIFTS = 12  # illustrative: the reports give no count
VISIT_2023_GIFT_VND = 500_000  # illustrative
GIFTS_2024 = 100  # reported
GIFT_2024_VND = (
    500_000  # illustrative: 100 gifts = 50.000.000 ₫, split between the two BIDV branches
)
GRANT_VND = 70_000_000  # reported

# Donations, looked up again by their ledger reference (illustrative numbers of the demo's ledger).
# key: (partner, received on, value, reference, note)
DONATIONS = {
    "bins": (
        OFFICE,
        D(2022, 9, 30),
        BIN_COUNT * BIN_VALUE_VND,
        "BC-2022-01",
        "Kinh phí mua thùng rác tặng các hộ gia đình 8 thôn.",
    ),
    "visit_2023": (
        OFFICE,
        D(2023, 1, 9),
        VISIT_2023_GIFTS * VISIT_2023_GIFT_VND,
        "BC-2023-01",
        "Quà Tết Quý Mão cho gia đình có hoàn cảnh khó khăn thôn Pác Hợp.",
    ),
    "poles": (
        AGRIBANK,
        D(2023, 8, 15),
        POLE_COUNT * POLE_VALUE_VND,
        "BC-2023-02",
        "Tài trợ công trình “Thắp sáng đường quê” thôn Pác Hợp.",
    ),
    "gifts_bidv_tq": (
        BIDV_TQ,
        D(2024, 7, 10),
        30_000_000,
        "BC-2024-01",
        "Quà cho gia đình chính sách và hộ có hoàn cảnh khó khăn xã Linh Phú.",
    ),
    "gifts_bidv_md": (
        BIDV_MD,
        D(2024, 7, 12),
        GIFTS_2024 * GIFT_2024_VND - 30_000_000,
        "BC-2024-02",
        "Quà cho gia đình chính sách và hộ có hoàn cảnh khó khăn xã Linh Phú.",
    ),
    "grant": (
        OFFICE,
        D(2024, 8, 1),
        GRANT_VND,
        "BC-2024-03",
        "Văn phòng Tỉnh ủy và các đơn vị kết nghĩa đóng góp xây nhà tình nghĩa.",
    ),
}

VISIT_2023 = {
    "title": "Quà Tết Quý Mão cho gia đình khó khăn thôn Pác Hợp",
    "distributed_on": D(2023, 1, 13),  # illustrative: before Tết (22/01/2023)
    "item_description": "Quà Tết (gạo, dầu ăn, bánh kẹo và tiền mặt)",
    "note": "Đoàn Văn phòng Tỉnh ủy thăm hỏi, tặng quà tận nhà.",
}
GIFTS_2024_DISTRIBUTION = {
    "title": "Quà tặng gia đình chính sách và hộ có hoàn cảnh khó khăn năm 2024",
    # Illustrative: before 27/7, the day of war invalids and martyrs, when such gifts are given.
    "distributed_on": D(2024, 7, 24),
    "item_description": "Suất quà (tiền mặt và nhu yếu phẩm)",
    "note": "Do BIDV Chi nhánh Tuyên Quang và BIDV Chi nhánh Mỹ Đình tài trợ, Văn phòng Tỉnh ủy "
    "phối hợp trao.",
}
GRANT = {
    "description": "Xây nhà tình nghĩa – Văn phòng Tỉnh ủy và các đơn vị kết nghĩa hỗ trợ",
    "approved_on": D(2024, 8, 5),  # illustrative
    "completed_on": D(2024, 11, 20),  # illustrative
    # Illustrative: the whole grant paid to the family when the house was handed over.
    "paid_on": D(2024, 11, 20),
    "payment_note": "Bàn giao nhà tình nghĩa cho gia đình",
    "allocation_note": "Văn phòng Tỉnh ủy và các đơn vị kết nghĩa",
}

# The grant's household (fictional people, reported circumstances). Its index among the
# generated households fixes its code: LP-0012.
GRANT_HOUSEHOLD_INDEX = 12
GRANT_HOUSEHOLD = {
    "village": VILLAGE_LUNG_LUA,
    "housing_condition": "dilapidated",
    "notes": (
        "Chủ hộ khuyết tật, không có khả năng lao động; vợ làm ruộng nhưng thường xuyên ốm đau. "
        "Nhà ở dột nát, gia đình không có kinh phí sửa chữa."
    ),
    "members": [
        # full name, sex, birth year, relation, has disability, disability note
        (
            "Ma Văn Thịnh",
            "male",
            1971,
            "head",
            True,
            "Khuyết tật vận động, không có khả năng lao động",
        ),
        ("Hoàng Thị Duyên", "female", 1974, "spouse", False, ""),
        ("Ma Thị Huyền", "female", 2003, "child", False, ""),
        ("Ma Văn Toàn", "male", 2008, "child", False, ""),
    ],
}

# Maintenance of the poles (illustrative). Pole 7 failed and was repaired.
POLE_CHECK_DAYS = [D(2024, 3, 12), D(2025, 3, 11)]
POLE_CHECK_NOTE = "Kiểm tra định kỳ: đèn sáng bình thường, biển tên và cờ còn tốt."
POLE_FAULT = (7, D(2025, 9, 16), "Người dân báo đèn không sáng sau mưa giông; tấm pin bị lệch.")
POLE_REPAIR = (7, D(2025, 9, 24), "Thay bộ điều khiển sạc, chỉnh và cố định lại tấm pin.")

# --- Activities (reported kinds and places; illustrative days and counts) ------------------------
ALL_VILLAGES = "*"
ACTIVITIES = [
    {
        "key": "clean_2022",
        "kind": "community_work",
        "title": "Ra quân vệ sinh môi trường, khơi thông cống rãnh",
        "starts_on": D(2022, 3, 26),
        "villages": [VILLAGE_PAC_HOP, VILLAGE_LUNG_LUA, "Nà Coóc"],
        "description": "Cán bộ, đảng viên Văn phòng Tỉnh ủy cùng cán bộ xã và nhân dân dọn vệ sinh "
        "đường làng, phát quang bụi rậm, nạo vét, khơi thông cống rãnh và mương thoát nước.",
        "counts": (25, 12, 85),
    },
    {
        "key": "digital_2022",
        "kind": "digital_skills",
        "title": "Hướng dẫn chuyển đổi số: tìm kiếm thông tin trên mạng và dịch vụ công trực tuyến",
        "starts_on": D(2022, 7, 14),
        "location": "Hội trường Ủy ban nhân dân xã Linh Phú",
        "description": "Cán bộ công nghệ thông tin của Văn phòng hướng dẫn cán bộ và người dân tìm "
        "kiếm thông tin trên mạng, tạo tài khoản và nộp hồ sơ trên Cổng Dịch vụ công.",
        "counts": (4, 22, 45),
    },
    {
        "key": "bins_2022",
        "kind": "community_work",
        "title": "Trao tặng 32 thùng rác cho các hộ gia đình 8 thôn",
        "starts_on": BIN_INSTALLED_ON,
        "villages": ALL_VILLAGES,
        "description": "Văn phòng Tỉnh ủy trao 32 thùng rác cho hộ gia đình ở 8 thôn, hướng dẫn "
        "phân loại và thu gom rác thải tại nhà.",
        "counts": (12, 10, 40),
    },
    {
        "key": "visit_2023",
        "kind": "visit_with_gifts",
        "title": "Thăm, tặng quà gia đình có hoàn cảnh khó khăn thôn Pác Hợp dịp Tết Quý Mão",
        "starts_on": VISIT_2023["distributed_on"],
        "villages": [VILLAGE_PAC_HOP],
        "description": "Đoàn công tác thăm hỏi, động viên và tặng quà Tết các gia đình có hoàn "
        "cảnh khó khăn.",
        "counts": (8, 5, VISIT_2023_GIFTS),
    },
    {
        "key": "flowers_2023",
        "kind": "community_work",
        "title": "Trồng đường hoa và dọn vệ sinh đường làng",
        "starts_on": D(2023, 3, 25),
        "villages": [VILLAGE_PAC_HOP, "Phiêng Tạ", "Cốc Phát", "Nà Lìn"],
        "description": "Trồng hoa hai bên đường liên thôn, dọn cỏ, khơi thông rãnh thoát nước.",
        "counts": (30, 15, 120),
    },
    {
        "key": "records_2023",
        "kind": "records_guidance",
        "title": "Hướng dẫn nghiệp vụ công tác văn thư, lưu trữ cho công chức xã",
        "starts_on": D(2023, 5, 18),
        "location": "Trụ sở Đảng ủy – Ủy ban nhân dân xã Linh Phú",
        "description": "Hướng dẫn lập hồ sơ, chỉnh lý tài liệu và lưu trữ hồ sơ điện tử.",
        "counts": (3, 16, 0),
    },
    {
        "key": "digital_2023",
        "kind": "digital_skills",
        "title": "Bồi dưỡng kỹ năng số: sử dụng dịch vụ công trực tuyến và ứng dụng VNeID",
        "starts_on": D(2023, 8, 10),
        "location": "Nhà văn hóa các thôn",
        "villages": ALL_VILLAGES,
        "description": "Tổ công nghệ số cộng đồng cùng cán bộ Văn phòng hướng dẫn người dân cài "
        "đặt ứng dụng, tra cứu thông tin và nộp hồ sơ trực tuyến.",
        "counts": (4, 18, 60),
    },
    {
        "key": "lights_2023",
        "kind": "construction",
        "title": "Công trình “Thắp sáng đường quê” thôn Pác Hợp",
        "starts_on": POLE_INSTALLED_ON,
        "villages": [VILLAGE_PAC_HOP],
        "description": "Lắp đặt và bàn giao 15 cột đèn năng lượng mặt trời kèm biển tên và cờ "
        "Tổ quốc, do Agribank Chi nhánh Tuyên Quang tài trợ cùng Văn phòng Tỉnh ủy.",
        "counts": (15, 8, 70),
    },
    {
        "key": "clean_2024",
        "kind": "community_work",
        "title": "Nạo vét mương, khơi thông cống rãnh và trồng đường hoa",
        "starts_on": D(2024, 3, 23),
        "villages": [VILLAGE_LUNG_LUA, "Khuổi Hỏi", "Khau Lình"],
        "description": "Nạo vét mương nội đồng, khơi thông cống rãnh, trồng đường hoa.",
        "counts": (28, 14, 96),
    },
    {
        "key": "tan_trao_2024",
        "kind": "study_trip",
        "title": "Về nguồn tại Khu di tích lịch sử quốc gia đặc biệt Tân Trào",
        "starts_on": D(2024, 4, 20),
        "location": "Khu di tích quốc gia đặc biệt Tân Trào, huyện Sơn Dương",
        "description": "Dâng hương tại Lán Nà Nưa, tham quan Đình Tân Trào và các điểm di tích.",
        "counts": (10, 12, 18),
    },
    {
        "key": "ha_noi_2024",
        "kind": "study_trip",
        "title": "Viếng Lăng Chủ tịch Hồ Chí Minh nhân kỷ niệm 134 năm Ngày sinh của Người",
        "starts_on": D(2024, 5, 19),  # reported
        "location": "Hà Nội: Lăng Chủ tịch Hồ Chí Minh, Khu di tích Chủ tịch Hồ Chí Minh tại Phủ "
        "Chủ tịch, Bảo tàng Hồ Chí Minh",
        "description": "Cán bộ Văn phòng cùng cán bộ và nhân dân xã viếng Lăng Bác, thăm Khu di "
        "tích Chủ tịch Hồ Chí Minh tại Phủ Chủ tịch và Bảo tàng Hồ Chí Minh nhân kỷ niệm 134 năm "
        "Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2024).",
        "counts": (10, 14, 21),
        # Illustrative named participants (fictional people); the Tri Phú secretary is reported.
        "participants": [
            ("Nguyễn Thị Thu Hà", "office_staff", "Trưởng đoàn"),
            ("Ma Văn Thắng", "commune_cadre", "Bí thư Đảng ủy xã Linh Phú"),
            ("Hoàng Văn Pằn", "commune_cadre", "Trưởng thôn Pác Hợp"),
            ("Quan Văn Chiến", "commune_cadre", "Bí thư chi bộ thôn, xã Tri Phú"),
            ("Lương Thị Nhung", "resident", "Hội viên Hội Phụ nữ thôn Lũng Lừa"),
        ],
    },
    {
        "key": "gifts_2024",
        "kind": "visit_with_gifts",
        "title": "Trao 100 suất quà cho gia đình chính sách và hộ có hoàn cảnh khó khăn",
        "starts_on": GIFTS_2024_DISTRIBUTION["distributed_on"],
        "villages": ALL_VILLAGES,
        "description": "Văn phòng Tỉnh ủy phối hợp BIDV Chi nhánh Tuyên Quang và BIDV Chi nhánh "
        "Mỹ Đình trao quà cho gia đình chính sách và hộ có hoàn cảnh khó khăn.",
        "counts": (12, 12, GIFTS_2024),
    },
    {
        "key": "house_2024",
        "kind": "construction",
        "title": "Xây dựng nhà tình nghĩa cho hộ nghèo thôn Lũng Lừa",
        "starts_on": GRANT["approved_on"],
        "ends_on": GRANT["completed_on"],
        "villages": [VILLAGE_LUNG_LUA],
        "description": "Hỗ trợ 70.000.000 ₫ và ngày công xây nhà cho hộ nghèo có chủ hộ khuyết "
        "tật, vợ thường xuyên ốm đau.",
        "counts": (20, 6, 25),
    },
    {
        "key": "digital_2024",
        "kind": "digital_skills",
        "title": "Hướng dẫn thanh toán không dùng tiền mặt và dịch vụ công trực tuyến toàn trình",
        "starts_on": D(2024, 10, 10),
        "location": "Hội trường Ủy ban nhân dân xã Linh Phú",
        "description": "Hướng dẫn cán bộ và người dân thanh toán điện tử, nộp hồ sơ trực tuyến.",
        "counts": (4, 20, 52),
    },
]

# --- Working pages (illustrative): photos, families' concerns, a verification round -----------
# Activity key: (caption, credit, consent to publish, scene drawn by demo.builders.pictures).
PHOTOS = {
    "lights_2023": [
        ("Cột đèn năng lượng mặt trời có biển tên và cờ Tổ quốc ở thôn Pác Hợp", True, "lights"),
    ],
    "gifts_2024": [("Quà trao cho gia đình chính sách và hộ có hoàn cảnh khó khăn", True, "gifts")],
    "house_2024": [("Nhà tình nghĩa thôn Lũng Lừa sau khi hoàn thành", True, "house")],
    "clean_2024": [("Ra quân nạo vét mương, khơi thông cống rãnh", False, "work")],
}
PHOTO_CREDIT = "Văn phòng Tỉnh ủy Tuyên Quang"
# Household index (demo.builders.households.household_code), kind, day, what the family said,
# and the follow-up when there is one (status, resolution).
CONCERNS = [
    (
        GRANT_HOUSEHOLD_INDEX,
        "request",
        D(2025, 11, 4),
        "Gia đình đề nghị hỗ trợ làm lại bậc lên xuống nhà cho người khuyết tật.",
        None,
    ),
    (
        3,
        "change",
        D(2025, 10, 20),
        "Chủ hộ đã có việc làm ổn định ở xưởng chè, thu nhập tăng; đề nghị rà soát lại.",
        None,
    ),
    (
        5,
        "concern",
        D(2025, 8, 12),
        "Mái nhà bị dột sau mưa bão, gia đình lo không đủ tiền sửa.",
        ("resolved", "Đoàn thanh niên xã cùng thôn đã lợp lại mái ngày 30/08/2025."),
    ),
]
# Who is told of the news posts by e-mail, and how often.
SUBSCRIPTIONS = [("donor", "immediate"), ("cadre", "daily")]
# After the 2024 gifts, a fifth of the receipts were re-checked at the door.
VERIFICATION_2024_PERCENT = 20

# --- Accounts (illustrative people) --------------------------------------------------------------
# username, group, is_staff, is_superuser, family and middle name (last_name), given name
ACCOUNTS = [
    ("admin", roles.ADMINISTRATOR, True, True, "Hoàng Quốc", "Toàn"),
    ("staff", roles.OFFICE_STAFF, True, False, "Nguyễn Thị Thu", "Hà"),
    # Until the working pages exist, the cadre works in the (scoped) staff admin.
    ("cadre", roles.COMMUNE_CADRE, True, False, "Ma Văn", "Thắng"),
    ("donor", roles.DONOR, False, False, "Trần Minh", "Đức"),
    ("auditor", roles.AUDITOR, True, False, "Lê Thị Ngọc", "Anh"),
]
# The demo donor speaks for this branch: it sees its own money trail only.
DEMO_DONOR_PARTNER = BIDV_TQ

# --- Household reviews (illustrative; the 2022–2025 poverty standard period) ---------------------
# Yearly review days: the baseline from the 2021 year-end review, then each year-end review.
REVIEW_DAYS = [D(2022, 1, 14), D(2022, 12, 15), D(2023, 12, 14), D(2024, 12, 13), D(2025, 12, 12)]
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
