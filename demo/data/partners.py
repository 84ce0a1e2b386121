"""Who gives and what it bought: the partners and the partnership (reported), the reported figures
with their illustrative prices, and the donations in the demo's ledger."""

import datetime

D = datetime.date

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
