"""What the working pages show beyond the figures (illustrative): the office's public profile,
photos, families' concerns, news subscriptions and a verification round."""

import datetime

from demo.data.activities import GRANT_HOUSEHOLD_INDEX
from demo.data.partners import OFFICE

D = datetime.date

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
