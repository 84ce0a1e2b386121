"""The review campaign's pages at a phone's width under axe-core (the rule set and the filter of
test_changed_pages_axe: no serious or critical violation): the campaign, a household's survey
and one of its sections, the village meeting's form, the decision's form, and the year's review
tables once decided. The campaign is moved on through the services; the pages are only read."""

import datetime

import pytest
from django.utils import timezone

from households import services
from households.models import Member, Poverty
from tests import factories as f
from tests.browser import axe_problems, log_in
from tests.households.survey.conftest import members_data, save_all

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _page(browser, path: str) -> None:
    browser.get(f"{browser.base_url}{path}")
    assert "Server Error" not in browser.title, path
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360, path
    assert axe_problems(browser) == [], path


def test_the_review_pages_have_no_serious_accessibility_problem(browser, cadre_user, partnership):
    today = timezone.localdate()
    opened = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=10))
    village = f.VillageFactory(commune=partnership.commune, name="Khuổi Hẻo")
    household = f.HouseholdFactory(
        village=village, code="LP-0501", head_name="Triệu Văn Sinh", poverty=Poverty.POOR
    )
    for name, relation, year in (
        ("Triệu Văn Sinh", Member.Relation.HEAD, 1980),
        ("Bàn Thị Mây", "spouse", 1982),
        ("Triệu Văn Phong", Member.Relation.CHILD, 2008),
    ):
        f.MemberFactory(household=household, full_name=name, relation=relation, birth_year=year)
    campaign = services.campaign_open(
        actor=None, commune=partnership.commune, year=opened.year, opened_on=opened
    )
    entry = campaign.entries.get(household=household)
    survey = services.survey_start(actor=None, entry=entry)
    save_all(survey, members={**members_data(survey), "surveyed_on": opened})

    log_in(browser, cadre_user.username)
    _page(browser, f"/households/campaigns/{campaign.pk}/")
    _page(browser, f"/households/reviews/entries/{entry.pk}/survey/")
    _page(browser, f"/households/reviews/entries/{entry.pk}/survey/members/")
    _page(browser, f"/households/reviews/entries/{entry.pk}/survey/income/")
    _page(browser, f"/households/campaigns/{campaign.pk}/meetings/new/")
    _page(browser, f"/households/campaigns/{campaign.pk}/meetings/new/?village={village.pk}")
    _page(browser, f"/households/campaigns/{campaign.pk}/decision/new/")  # not yet: disabled

    services.meeting_record(
        actor=None,
        campaign=campaign,
        village=village,
        held_on=opened,
        chair="Bàn Văn Tiến",
        present=30,
        votes={entry.pk: 25},
    )
    services.posting_record(actor=None, campaign=campaign, posted_from=opened, posted_until=opened)
    _page(browser, f"/households/campaigns/{campaign.pk}/decision/new/")
    services.decision_record(
        actor=None, campaign=campaign, number="31/QĐ-UBND", signed_on=today, signer="Lý Văn Hải"
    )
    _page(browser, f"/households/campaigns/{campaign.pk}/")
    _page(browser, f"/reports/review/?commune={partnership.commune.pk}&year={opened.year}")
