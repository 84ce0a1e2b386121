"""The poverty standards as shipped: what migration 0009 loads into ``PovertyStandard`` rows.

Once loaded, the rows are what counts (an office corrects them in the admin, with history);
``households.poverty`` falls back to these definitions only where there is no database to ask
(a script checking the arithmetic). Cut-offs marked "(confirm)" in POVERTY-REVIEW.md are here
as the best reading of the decrees, to be checked against their text.
"""

import datetime

CLEAN_WATER = ["tap", "borehole", "protected_well", "protected_spring", "rain", "bottled"]
HYGIENIC_TOILETS = ["flush_septic", "pour_flush", "double_vault", "ventilated_pit"]
DURABLE_WALLS = ["concrete_brick", "hardwood", "metal"]
DURABLE_FRAMES = ["concrete", "steel", "hardwood"]
DURABLE_ROOFS = ["concrete", "tiles", "metal"]
INFORMATION_MEANS = ["television", "radio", "computer", "telephone", "loudspeaker"]

# code: (service, deprived when, cut-offs read by households.deprivation)
INDICATORS = {
    "employment": (
        "employment",
        "Ít nhất một thành viên trong độ tuổi lao động thất nghiệp hoặc làm công không có hợp "
        "đồng lao động.",
        {"working_age_from": 15, "working_age_until": 60},
    ),
    "dependents": (
        "employment",
        "Tỷ lệ người phụ thuộc (trẻ em dưới 16 tuổi, người cao tuổi, người không có khả năng "
        "lao động) trên 50% số nhân khẩu.",
        {"child_under": 16, "elderly_from": 60, "share_above": 0.5},
    ),
    "nutrition": (
        "health",
        "Có trẻ em dưới 16 tuổi suy dinh dưỡng thấp còi hoặc nhẹ cân.",
        {"child_under": 16},
    ),
    "health_insurance": (
        "health",
        "Có thành viên từ 6 tuổi trở lên không có bảo hiểm y tế.",
        {"age_from": 6},
    ),
    "adult_education": (
        "education",
        "Có thành viên từ 16 đến 30 tuổi không đi học và không có bằng cấp, chứng chỉ phù hợp "
        "với độ tuổi.",
        {"age_from": 16, "age_until": 30, "min_level": "lower_secondary"},
    ),
    "child_schooling": (
        "education",
        "Có trẻ em từ 3 tuổi đến dưới 16 tuổi không được học đúng bậc, cấp học phù hợp.",
        {"age_from": 3, "age_under": 16},
    ),
    "housing_quality": (
        "housing",
        "Nhà tạm hoặc nhà thiếu kiên cố (2 trong 3 kết cấu chính — tường, khung, mái — làm bằng "
        "vật liệu không bền chắc).",
        {
            "durable_walls": DURABLE_WALLS,
            "durable_frames": DURABLE_FRAMES,
            "durable_roofs": DURABLE_ROOFS,
            "non_durable_parts": 2,
        },
    ),
    "housing_area": (
        "housing",
        "Diện tích nhà ở bình quân dưới 8 m²/người.",
        {"min_m2_per_person": 8},
    ),
    "water": (
        "water",
        "Không tiếp cận được nguồn nước sinh hoạt an toàn.",
        {"clean": CLEAN_WATER},
    ),
    "toilet": (
        "water",
        "Không sử dụng nhà tiêu hợp vệ sinh.",
        {"hygienic": HYGIENIC_TOILETS},
    ),
    "telecom": (
        "information",
        "Không có thành viên nào sử dụng dịch vụ viễn thông (điện thoại, internet).",
        {},
    ),
    "information_means": (
        "information",
        "Không có phương tiện nào trong: ti vi, radio, máy tính, điện thoại, loa đài thôn.",
        {"means": INFORMATION_MEANS},
    ),
    "waste": (
        "water",
        "Rác thải sinh hoạt không được thu gom hoặc xử lý hợp vệ sinh.",
        {"treated": ["collected", "sorted_treated"]},
    ),
}

COMMON = [
    "employment",
    "dependents",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "water",
    "toilet",
    "telecom",
]

STANDARDS = [
    {
        "code": "2022-2025",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
        "decree": "Nghị định 07/2021/NĐ-CP",
        "valid_from": "2022-01-01",
        # Extended through 2026 until the 2027–2030 standard takes over.
        "valid_until": "2026-12-31",
        "income_line_rural_vnd": 1_500_000,
        "income_line_urban_vnd": 2_000_000,
        "average_line_rural_vnd": 2_250_000,
        "average_line_urban_vnd": 3_000_000,
        "poor_min_deprived": 3,
        "notes": "Áp dụng cho các cuộc rà soát đến hết 31/12/2026.",
        "indicators": [*COMMON, "information_means"],
    },
    {
        "code": "2027-2030",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2027–2030",
        "decree": "Nghị định 351/2025/NĐ-CP",
        "valid_from": "2027-01-01",
        "valid_until": None,
        "income_line_rural_vnd": 2_200_000,
        "income_line_urban_vnd": 2_800_000,
        # Whether an average-living-standard band remains is to be confirmed: none until then.
        "average_line_rural_vnd": None,
        "average_line_urban_vnd": None,
        "poor_min_deprived": 3,
        "notes": (
            "Theo dự thảo đã công bố: bỏ chỉ số phương tiện tiếp cận thông tin, thêm chỉ số xử "
            "lý rác thải. Các ngưỡng khác và mức sống trung bình: cần đối chiếu văn bản."
        ),
        "indicators": [*COMMON, "waste"],
    },
]

# The example B1 table (migration 0010): the points and bands are made up to show the shape of a
# table, not a province's figures; a province enters its own.
EXAMPLE_INCOME_TABLE = "Bảng B1 mẫu — chỉ để minh hoạ"
EXAMPLE_ITEMS = [
    {"code": "house_solid", "label": "Nhà kiên cố (tường gạch, mái bằng hoặc ngói)", "points": 25},
    {"code": "house_semi_solid", "label": "Nhà bán kiên cố", "points": 12},
    {"code": "motorbike", "label": "Có xe máy", "points": 15},
    {"code": "television", "label": "Có ti vi màu", "points": 5},
    {"code": "fridge", "label": "Có tủ lạnh", "points": 10},
    {"code": "buffalo_cow", "label": "Có trâu, bò (từ 2 con trở lên)", "points": 15},
    {"code": "pigs", "label": "Có lợn (từ 5 con trở lên)", "points": 8},
    {"code": "farm_land", "label": "Có từ 3.000 m² đất trồng lúa, hoa màu trở lên", "points": 10},
    {"code": "forest_land", "label": "Có rừng sản xuất được giao", "points": 8},
    {"code": "salary_earner", "label": "Có người làm công hưởng lương ổn định", "points": 20},
    {"code": "tap_water", "label": "Dùng nước máy hoặc nước tự chảy đến nhà", "points": 4},
    {"code": "smartphone", "label": "Có điện thoại thông minh", "points": 5},
]
EXAMPLE_BANDS = [
    {"min_points": 0, "income_vnd": 900_000},
    {"min_points": 30, "income_vnd": 1_300_000},
    {"min_points": 50, "income_vnd": 1_700_000},
    {"min_points": 75, "income_vnd": 2_400_000},
    {"min_points": 100, "income_vnd": 3_200_000},
]


def load_standards(standard_model, indicator_model) -> None:
    """Create or update the shipped standards and their indicators (migration 0009 passes its
    historical models; ``households.apps`` the current ones after a flush)."""
    for row in STANDARDS:
        fields = {key: value for key, value in row.items() if key not in ("code", "indicators")}
        for key in ("valid_from", "valid_until"):
            if fields[key]:
                fields[key] = datetime.date.fromisoformat(fields[key])
        standard, _created = standard_model.objects.update_or_create(
            code=row["code"], defaults=fields
        )
        for position, code in enumerate(row["indicators"]):
            service, deprived_when, params = INDICATORS[code]
            indicator_model.objects.update_or_create(
                standard=standard,
                code=code,
                defaults={
                    "service": service,
                    "deprived_when": deprived_when,
                    "params": params,
                    "position": position,
                },
            )


def load_example_income_table(standard_model, income_table_model) -> None:
    """Create or update the example B1 table, on the 2022–2025 standard (migration 0010)."""
    standard = standard_model.objects.filter(code="2022-2025").first()
    if standard is None:
        return
    income_table_model.objects.update_or_create(
        name=EXAMPLE_INCOME_TABLE,
        is_example=True,
        defaults={
            "region": "Vùng miền núi phía Bắc (ví dụ)",
            "standard": standard,
            "items": EXAMPLE_ITEMS,
            "bands": EXAMPLE_BANDS,
        },
    )
