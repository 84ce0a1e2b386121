"""The bench's data: a province of ``BENCH_HOUSEHOLDS`` households and the work done for them.

Filled once with SQL (generate_series, INSERT … SELECT) and reused by later runs; a larger
``BENCH_HOUSEHOLDS`` adds communes (and their work) to what is there. In realistic proportions,
per commune of 1,000 households:

- 10 villages; households named so that searches find many (``ma van lieu`` ≈ 4 %);
- three members each (head, spouse, child; one child in 40 with a disability);
- one activity, two cash donations (a bank branch, a company);
- one distribution of gifts to every poor and near-poor household (40 %), three receipts in four
  confirmed (every household whose id does not end in 0), funded by the bank's donation;
- a solar light in every village, and a house-building grant paid in part, funded by the
  company's donation;
- the periodic review of 2025, decided (tests/bench/review_bench.py).
"""

import time

VILLAGES_PER_COMMUNE = 10
HOUSEHOLDS_PER_COMMUNE = 1000
GIFT_VND = 500_000
LIGHT_VND = 15_000_000
GRANT_VND = 60_000_000
PAID_VND = 40_000_000
DONATION_VND = 2_000_000_000


def fill_households(households: int) -> None:
    """Communes of 1,000 households each until there are ``households`` in the bench province."""
    from django.db import connection

    from households.models import Household
    from outreach.models import Commune, Partner, Partnership, Province, Village

    have = Household.objects.count()
    if have >= households:
        return
    print(f"filling {households - have:,} households…", flush=True)
    started = time.perf_counter()
    province, _ = Province.objects.get_or_create(name="Tỉnh Bench")
    office, _ = Partner.objects.get_or_create(name="Văn phòng Bench", defaults={"kind": "agency"})
    communes = households // HOUSEHOLDS_PER_COMMUNE + 1
    for c in range(Commune.objects.filter(province=province).count(), communes):
        commune = Commune.objects.create(province=province, name=f"Xã Bench {c}")
        Partnership.objects.create(
            name=f"Bench {c}", office=office, commune=commune, start_year=2022
        )
        Village.objects.bulk_create(
            Village(commune=commune, name=f"Thôn {c}-{v}") for v in range(VILLAGES_PER_COMMUNE)
        )
    with connection.cursor() as cursor:
        # Households spread over the villages; names repeat so that searches find many.
        cursor.execute(
            """
            WITH v AS (SELECT id, commune_id, row_number() OVER (ORDER BY id) - 1 AS n
                       FROM outreach_village WHERE commune_id IN (
                           SELECT id FROM outreach_commune WHERE province_id = %(province)s)),
                 nv AS (SELECT count(*) AS c FROM v)
            INSERT INTO households_household
                (created_at, updated_at, commune_id, village_id, code, head_name, address, phone,
                 housing_condition, poverty, last_reviewed_on, notes, archived, search_text,
                 flagged_for_review, flag_reason, policy_family, in_difficulty,
                 difficulty_reason)
            SELECT now(), now(), v.commune_id, v.id, 'B-' || lpad(g::text, 8, '0'),
                   (ARRAY['Ma','Hoàng','Nông','Lý','Triệu','Bàn','Quan','Chẩu'])[g %% 8 + 1]
                     || ' Văn ' || (ARRAY['Liệu','Sơn','Đức','Hùng','Lợi','Tài'])[g %% 6 + 1]
                     || ' ' || g,
                   '', '', 'semi_solid',
                   (ARRAY['poor','near_poor','average','none','none'])[g %% 5 + 1],
                   DATE '2024-12-01' - (g %% 900), '', false,
                   lower('b-' || lpad(g::text, 8, '0') || ' ' ||
                     (ARRAY['ma','hoang','nong','ly','trieu','ban','quan','chau'])[g %% 8 + 1]
                     || ' van ' || (ARRAY['lieu','son','duc','hung','loi','tai'])[g %% 6 + 1]
                     || ' ' || g),
                   g %% 500 = 0, '', g %% 20 = 0, g %% 50 = 0, ''
            FROM generate_series(%(start)s, %(stop)s) AS g
            CROSS JOIN nv
            JOIN v ON v.n = g %% nv.c
            """,
            {"province": province.pk, "start": have + 1, "stop": households},
        )
        cursor.execute("ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)


def _funding(target: str, table: str, amount: str, day: str, funder: str) -> str:
    """The allocations from ``funder``'s donation to each of the new communes' ``target`` rows."""
    # Table and column names from the list below, never from input.
    return f"""
    INSERT INTO activities_allocation
        (created_at, updated_at, donation_id, {target}_id, amount_vnd, returned_vnd,
         allocated_on, note)
    SELECT now(), now(), don.id, t.id, {amount}, 0, DATE '{day}', ''
    FROM todo
    JOIN {table} t ON t.partnership_id = todo.partnership_id
    JOIN outreach_donation don ON don.partnership_id = todo.partnership_id
    JOIN outreach_partner partner ON partner.id = don.partner_id AND partner.name = '{funder}'
    """  # noqa: S608


# Each statement works on the bench partnerships that have no distribution yet (``todo``), so a
# later, larger run adds the work of its new communes only.
WORK_SQL = [
    """
    CREATE TEMP TABLE todo ON COMMIT DROP AS
    SELECT p.id AS partnership_id, p.commune_id FROM outreach_partnership p
    WHERE p.name LIKE 'Bench %%'
      AND NOT EXISTS (SELECT 1 FROM activities_distribution d WHERE d.partnership_id = p.id)
    """,
    # Three members per household: the head, a spouse, a child.
    """
    INSERT INTO households_member
        (created_at, updated_at, household_id, full_name, sex, birth_year, relation, ethnicity,
         has_disability, disability_note, national_id, policy_category, policy_relation, phone)
    SELECT now(), now(), h.id, m.name, m.sex, m.born, m.relation,
           (ARRAY['tay','dao','nung','kinh'])[h.id %% 4 + 1],
           m.relation = 'child' AND h.id %% 40 = 0,
           CASE WHEN m.relation = 'child' AND h.id %% 40 = 0 THEN 'Khuyết tật vận động'
                ELSE '' END,
           '', '', '', ''
    FROM households_household h
    JOIN todo ON todo.commune_id = h.commune_id
    CROSS JOIN LATERAL (VALUES
        (h.head_name, 'male', 1970 + h.id %% 20, 'head'),
        ('Hoàng Thị ' || h.id, 'female', 1972 + h.id %% 20, 'spouse'),
        ('Ma Văn Nhỏ ' || h.id, 'male', 2005 + h.id %% 15, 'child')
    ) AS m(name, sex, born, relation)
    """,
    """
    INSERT INTO activities_activity
        (created_at, updated_at, partnership_id, kind, title, starts_on, location, description,
         office_staff_count, cadre_count, resident_count)
    SELECT now(), now(), partnership_id, 'visit_with_gifts', 'Thăm và tặng quà Tết 2025',
           DATE '2025-01-20', 'Nhà văn hoá xã', '', 6, 4, 120
    FROM todo
    """,
    """
    INSERT INTO outreach_partner
        (created_at, updated_at, name, short_name, kind, address, phone, email, note)
    SELECT now(), now(), name, '', kind, '', '', '', '' FROM (VALUES
        ('Ngân hàng Bench', 'bank'), ('Công ty Bench', 'business')) AS p(name, kind)
    WHERE NOT EXISTS (SELECT 1 FROM outreach_partner o WHERE o.name = p.name)
    """,
    """
    INSERT INTO outreach_donation
        (created_at, updated_at, partnership_id, partner_id, kind, received_on, value_vnd,
         goods_description, goods_unit, reference, note)
    SELECT now(), now(), todo.partnership_id, partner.id, 'cash', DATE '2025-01-05',
           %(donation)s, '', '', 'UNC ' || todo.partnership_id, ''
    FROM todo CROSS JOIN outreach_partner partner
    WHERE partner.name IN ('Ngân hàng Bench', 'Công ty Bench')
    """,
    """
    INSERT INTO activities_distribution
        (created_at, updated_at, partnership_id, activity_id, title, distributed_on,
         item_description, value_per_item_vnd, status, short_code, note)
    SELECT now(), now(), todo.partnership_id, a.id, 'Quà Tết 2025', DATE '2025-01-20',
           'Gạo, dầu ăn, chăn', %(gift)s, 'distributing', 'BD' || todo.partnership_id, ''
    FROM todo JOIN activities_activity a ON a.partnership_id = todo.partnership_id
    """,
    """
    INSERT INTO activities_receipt
        (created_at, updated_at, distribution_id, household_id, village_id, quantity, value_vnd,
         confirmed_at, signature, note, not_delivered_reason, not_delivered_note, short_code)
    SELECT now(), now(), d.id, h.id, h.village_id, 1, %(gift)s,
           CASE WHEN h.id %% 10 <> 0 THEN TIMESTAMPTZ '2025-01-20 09:00+07' END,
           '', '', '', '', 'BR' || h.id
    FROM todo
    JOIN activities_distribution d ON d.partnership_id = todo.partnership_id
    JOIN households_household h ON h.commune_id = todo.commune_id
    WHERE h.poverty IN ('poor', 'near_poor')
    """,
    """
    INSERT INTO activities_asset
        (created_at, updated_at, partnership_id, kind, code, description, village_id,
         installed_on, value_vnd, status, short_code)
    SELECT now(), now(), todo.partnership_id, 'solar_light', 'BENCH-DEN-' || v.id,
           'Cột đèn năng lượng mặt trời', v.id, DATE '2025-03-15', %(light)s, 'working',
           'BA' || v.id
    FROM todo JOIN outreach_village v ON v.commune_id = todo.commune_id
    """,
    """
    INSERT INTO activities_grant
        (created_at, updated_at, partnership_id, household_id, village_id, purpose,
         description, amount_vnd, approved_on)
    SELECT now(), now(), todo.partnership_id, h.id, h.village_id, 'house_building',
           'Xây nhà cho gia đình có người khuyết tật', %(grant)s, DATE '2025-04-01'
    FROM todo CROSS JOIN LATERAL (
        SELECT id, village_id FROM households_household
        WHERE commune_id = todo.commune_id AND poverty = 'poor' ORDER BY id LIMIT 1) h
    """,
    """
    INSERT INTO activities_grantpayment (created_at, updated_at, grant_id, paid_on, amount_vnd,
                                         note)
    SELECT now(), now(), g.id, DATE '2025-05-10', %(paid)s, 'Đợt 1'
    FROM todo JOIN activities_grant g ON g.partnership_id = todo.partnership_id
    """,
    # The bank funds the gifts; the company the lights and the grant.
    *(
        _funding(*target)
        for target in (
            (
                "distribution",
                "activities_distribution",
                "%(gift)s * (SELECT count(*) FROM activities_receipt r"
                " WHERE r.distribution_id = t.id)",
                "2025-01-10",
                "Ngân hàng Bench",
            ),
            ("asset", "activities_asset", "t.value_vnd", "2025-03-01", "Công ty Bench"),
            ("grant", "activities_grant", "t.amount_vnd", "2025-04-01", "Công ty Bench"),
        )
    ),
]


def fill_work() -> None:
    """Members and the money trail for every bench commune that has none yet (one transaction)."""
    from django.db import connection, transaction

    from outreach.models import Partnership

    todo = Partnership.objects.filter(name__startswith="Bench ", distributions__isnull=True)
    if not todo.exists():
        return
    print(f"filling members and the money trail of {todo.count():,} communes…", flush=True)
    started = time.perf_counter()
    params = {
        "gift": GIFT_VND,
        "light": LIGHT_VND,
        "grant": GRANT_VND,
        "paid": PAID_VND,
        "donation": DONATION_VND,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in WORK_SQL:
            cursor.execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)


def fill(households: int) -> None:
    from tests.bench import review_bench

    fill_households(households)
    fill_work()
    review_bench.fill_reviews()
