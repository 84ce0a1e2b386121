"""The standards in the admin: an administrator's edit of a line changes what ``classify``
answers (it reads the rows); office staff and auditors read them and change nothing."""

import pytest
from django.urls import reverse

from households.models import IncomeTable, PovertyStandard, StandardIndicator, Survey
from households.poverty import classify
from tests.admin.pages import _form_data

pytestmark = pytest.mark.django_db


def change_url(model, pk):
    return reverse(f"admin:households_{model._meta.model_name}_change", args=[pk])


def test_an_administrators_new_line_changes_the_classification(client, admin_user):
    standard = PovertyStandard.objects.get(code="2022-2025")
    assert classify("2022-2025", area="rural", income_vnd=1_600_000, deprived=[]) == "average"
    client.force_login(admin_user)
    url = change_url(PovertyStandard, standard.pk)
    data = _form_data(client.get(url), income_line_rural_vnd="1600000")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert classify("2022-2025", area="rural", income_vnd=1_600_000, deprived=[]) == "near_poor"
    last = standard.history.latest()
    assert (last.income_line_rural_vnd, last.history_user) == (1_600_000, admin_user)


def test_an_administrator_edits_an_indicators_cut_offs_as_json(client, admin_user):
    indicator = StandardIndicator.objects.get(standard__code="2022-2025", code="housing_area")
    client.force_login(admin_user)
    url = change_url(PovertyStandard, indicator.standard_id)
    response = client.get(url)
    data = _form_data(response)
    index = next(
        i
        for i, form in enumerate(response.context["inline_admin_formsets"][0].formset.forms)
        if form.instance.pk == indicator.pk
    )
    data[f"indicators-{index}-params"] = '{"min_m2_per_person": 10}'
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.params == {"min_m2_per_person": 10}


@pytest.mark.parametrize("role", ["staff_user", "auditor_user"])
def test_office_staff_and_auditors_read_the_standards_and_change_nothing(client, request, role):
    user = request.getfixturevalue(role)
    standard = PovertyStandard.objects.get(code="2022-2025")
    client.force_login(user)
    url = change_url(PovertyStandard, standard.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    data = {"code": "2022-2025", "income_line_rural_vnd": "9"}
    assert client.post(url, data).status_code == 403
    standard.refresh_from_db()
    assert standard.income_line_rural_vnd == 1_500_000


def test_the_example_b1_table_is_in_the_admin(client, admin_user):
    table = IncomeTable.objects.get(is_example=True)
    assert table.region == "Vùng miền núi phía Bắc (ví dụ)"
    assert table.standard.code == "2022-2025"
    assert len(table.items) == 12
    client.force_login(admin_user)
    assert client.get(change_url(IncomeTable, table.pk)).status_code == 200


def test_surveys_are_read_only_in_the_admin(client, admin_user, survey):
    client.force_login(admin_user)
    response = client.get(change_url(Survey, survey.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get(reverse("admin:households_survey_add")).status_code == 403
