"""Where the partnership works: the map before and after the 2025 reform (reported; loaded from
the official lists by ``outreach.units``), and the villages of Linh Phú (two reported, six
invented), which carried on under the new Tri Phú.

The demo assumes what the reports do not say: that the partnership went on with the new Tri
Phú commune from 01/07/2025 (README, "Demo data")."""

import datetime

D = datetime.date

# --- Map (reported) ------------------------------------------------------------------------------
# Official codes (General Statistics Office): a code names a unit within its list only (the new
# Tri Phú keeps the old Tri Phú's 02359), so each is looked up with its list.
PROVINCE = "Tuyên Quang"
PROVINCE_CODE = "08"  # the old province and the new one (old Hà Giang, 02, joined it)
MERGED_PROVINCE = "Hà Giang"
MERGED_PROVINCE_CODE = "02"
DISTRICT = "Chiêm Hóa"
DISTRICT_CODE = "073"
COMMUNE = "Linh Phú"  # until 30/06/2025
COMMUNE_CODE = "02368"
NEIGHBOUR_COMMUNE = "Tri Phú"  # the old Tri Phú, and the new commune both merged into
NEIGHBOUR_COMMUNE_CODE = "02359"
NEW_COMMUNE = "Tri Phú"
NEW_COMMUNE_CODE = "02359"
# Last day of the old map: districts were abolished and communes merged on 1 July 2025.
REFORM_LAST_DAY = D(2025, 6, 30)
REFORM_FIRST_DAY = D(2025, 7, 1)

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
