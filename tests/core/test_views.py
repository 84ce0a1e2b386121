import pytest
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


def test_wrong_password_says_so_and_logs_nobody_in(client, staff_user):
    response = client.post(reverse("login"), {"username": "staff-t", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "errorlist" in response.content.decode() or "errors" in response.content.decode()


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user", "donor_user", "auditor_user"])
def test_each_role_logs_in_and_sees_its_role(
    client, request, fixture, django_assert_max_num_queries
):
    user = request.getfixturevalue(fixture)
    response = client.post(
        reverse("login"), {"username": user.username, "password": "bacung-test-pass"}
    )
    assert response.status_code == 302
    # One look at the layout table decides whether the commune-layout download links are shown.
    with django_assert_max_num_queries(8):
        page = client.get(reverse("home"))
    assert page.status_code == 200
    assert roles.label(user.groups.get().name) in page.content.decode()


def test_admin_link_only_for_staff_members(client, staff_user, donor_user):
    client.force_login(donor_user)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    client.force_login(staff_user)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_language_switch_to_english(client, staff_user):
    client.force_login(staff_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


def test_healthz_answers_ok(client, settings):
    response = client.get(reverse("healthz"))
    # CI's second run has a broker (REDIS_URL); the demo and the first run have none.
    broker = "ok" if settings.REDIS_URL else "not configured"
    assert response.json() == {"status": "ok", "database": "ok", "broker": broker}


def test_unknown_page_gives_a_vietnamese_404(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert 'lang="vi"' in response.content.decode()


def test_names_are_shown_family_name_first(client, staff_user):
    staff_user.last_name, staff_user.first_name = "Ma Văn", "Thắng"
    staff_user.save()
    client.force_login(staff_user)
    assert "Xin chào, Ma Văn Thắng" in client.get(reverse("home")).content.decode()


def test_roles_are_shown_in_vietnamese(client, donor_user):
    client.force_login(donor_user)
    assert "Vai trò của bạn: Nhà tài trợ" in client.get(reverse("home")).content.decode()


def test_vietnamese_even_when_the_browser_asks_for_english(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()
    assert page["Content-Language"] == "vi"


def test_unknown_language_cookie_falls_back_to_vietnamese(client, staff_user):
    client.force_login(staff_user)
    client.cookies["django_language"] = "fr"
    assert 'lang="vi"' in client.get(reverse("home")).content.decode()


def test_home_links_the_downloads_for_those_who_may_download(client, cadre_user, donor_user):
    client.force_login(cadre_user)
    assert (
        reverse("reports:list-export", args=["households", "csv"])
        in client.get(reverse("home")).content.decode()
    )
    client.force_login(donor_user)
    assert "/reports/export/" not in client.get(reverse("home")).content.decode()
