"""What was done: the distributions, the house-building grant and its household, the poles'
maintenance, and the activities (reported kinds and places; illustrative days and counts)."""

import datetime

from demo.data.partners import (
    BIN_INSTALLED_ON,
    GIFTS_2024,
    POLE_INSTALLED_ON,
    VISIT_2023_GIFTS,
)
from demo.data.places import VILLAGE_LUNG_LUA, VILLAGE_PAC_HOP

D = datetime.date

# --- Distributions and the grant -----------------------------------------------------------------
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
