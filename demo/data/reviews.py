"""The demo's review campaigns (illustrative): Linh Phú's 2025 periodic review, decided in
December 2025, and the 2026 review under way (surveys done, two village meetings held).

Dates follow the procedure (1 September to 14 December); names of the chairs and the signer
are fictional. The facts surveyed are drawn so that the law's arithmetic gives each household
the classification of its story (``demo.data.people.TRAJECTORIES``).
"""

import datetime

D = datetime.date

CAMPAIGN_2025 = {
    "year": 2025,
    "opened_on": D(2025, 9, 3),
    "surveyed_from": D(2025, 9, 10),
    "meetings_from": D(2025, 11, 4),
    "posting": (D(2025, 11, 20), D(2025, 11, 27)),
    "decision": {
        "number": "186/QĐ-UBND",
        "signed_on": D(2025, 12, 12),
        "signer": "Hoàng Văn Quý",
        "signer_title": "Chủ tịch Ủy ban nhân dân xã",
    },
}
CAMPAIGN_2026 = {
    "year": 2026,
    "opened_on": D(2026, 9, 4),
    "surveyed_from": D(2026, 9, 14),
    # Two villages have held their meeting; the others have not yet.
    "meetings": [("Pác Hợp", D(2026, 11, 10)), ("Lũng Lừa", D(2026, 11, 12))],
}
# Who chaired each village's meeting (the village head) and supervised it (Fatherland Front).
MEETING_CHAIRS = {
    "Pác Hợp": ("Ma Văn Pằn", "Hoàng Thị Nhung"),
    "Lũng Lừa": ("Triệu Văn Tài", "Bàn Thị Mẩy"),
}
DEFAULT_CHAIR = ("Trưởng thôn", "Đại diện Mặt trận thôn")

# Income per person per month the survey's sources add up to, by classification to be found.
INCOME_PER_PERSON = {
    "poor": 1_100_000,
    "near_poor": 1_350_000,
    "average": 1_900_000,
    "none": 2_900_000,
}
