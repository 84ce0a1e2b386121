"""Personal data is minimised: masked ID numbers, logged case-file reads, nothing for donors."""

import pytest
from django.contrib import admin
from django.urls import reverse

from households.models import CaseFileView
from tests import factories as f

pytestmark = pytest.mark.django_db
NATIONAL_ID = "008123456789"


@pytest.fixture
def member(partnership):
    return f.MemberFactory(
        household__village__commune=partnership.commune,
        full_name="Hoàng Thị Duyên",
        national_id=NATIONAL_ID,
    )


def test_id_numbers_are_masked_in_lists_and_on_the_household_page(client, staff_user, member):
    client.force_login(staff_user)
    listing = client.get(reverse("admin:households_member_changelist")).content.decode()
    household = client.get(
        reverse("admin:households_household_change", args=[member.household_id])
    ).content.decode()
    for html in (listing, household):
        assert NATIONAL_ID not in html
        assert "•••••••••789" in html


def test_staff_of_the_commune_see_the_whole_id_on_the_members_page(client, staff_user, member):
    client.force_login(staff_user)
    page = client.get(reverse("admin:households_member_change", args=[member.pk]))
    assert NATIONAL_ID in page.content.decode()


def test_auditors_see_only_the_last_three_digits(client, auditor_user, member):
    client.force_login(auditor_user)
    page = client.get(reverse("admin:households_member_change", args=[member.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert NATIONAL_ID not in html
    assert "•••••••••789" in html


def test_reading_a_case_file_is_logged_and_the_log_is_for_auditors(
    client, staff_user, auditor_user, member
):
    client.force_login(staff_user)
    client.get(reverse("admin:households_household_change", args=[member.household_id]))
    entry = CaseFileView.objects.get()
    assert (entry.user, entry.household) == (staff_user, member.household)
    assert client.get(reverse("admin:households_casefileview_changelist")).status_code == 403

    client.force_login(auditor_user)
    log = client.get(reverse("admin:households_casefileview_changelist"))
    assert log.status_code == 200
    assert member.household.code in log.content.decode()


def test_a_refused_case_file_is_not_logged(client, staff_user):
    elsewhere = f.HouseholdFactory()
    client.force_login(staff_user)
    response = client.get(reverse("admin:households_household_change", args=[elsewhere.pk]))
    assert response.status_code == 404
    assert not CaseFileView.objects.exists()


def _every_get_url(obj_ids):
    yield reverse("home")
    for model in admin.site._registry:
        opts = model._meta
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for pk in obj_ids.get(model, []):
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])


def test_no_page_shows_a_donor_a_name_or_id_number(client, donor_user, member):
    receipt = f.ReceiptFactory(household=member.household)
    client.force_login(donor_user)
    ids = {type(member): [member.pk], type(member.household): [member.household_id]}
    ids[type(receipt)] = [receipt.pk]
    for url in _every_get_url(ids):
        response = client.get(url, follow=True)
        html = response.content.decode()
        for secret in (member.full_name, NATIONAL_ID, member.household.head_name):
            assert secret not in html, f"{secret} on {url}"


def test_member_history_hides_id_numbers_from_auditors(client, staff_user, auditor_user, member):
    from households.services import member_update

    member_update(actor=staff_user, member=member, national_id="008123456000")
    history_url = reverse("admin:households_member_history", args=[member.pk])
    version = member.history.earliest().history_id
    version_url = reverse("admin:households_member_simple_history", args=[member.pk, version])

    client.force_login(auditor_user)
    page = client.get(history_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert NATIONAL_ID not in html
    assert "008123456000" not in html
    assert client.get(version_url).status_code == 403

    client.force_login(staff_user)
    assert "008123456000" in client.get(history_url).content.decode()
