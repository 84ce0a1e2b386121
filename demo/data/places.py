"""Where the partnership works: the map before and after the 2025 reform (reported), and the
villages of Linh Phú (two reported, six invented)."""

import datetime

D = datetime.date

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
