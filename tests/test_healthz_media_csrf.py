"""Answers to machines and to refused requests: /healthz in JSON (503 naming what is down),
/media/ 404 for any malformed path, and a refused form (CSRF) explained in Vietnamese."""

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

pytestmark = pytest.mark.django_db


# --- /healthz -------------------------------------------------------------------------------------


def test_healthz_answers_ok_in_json_without_a_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured"}


def test_healthz_answers_503_json_when_the_database_is_away(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def refuse(self, conn_params):
        raise OperationalError("could not connect to server: Connection refused")

    # The health check opens a connection of its own; the test's stays open.
    # SQLite or PostgreSQL: the backend this run uses.
    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "broker": "not configured",
    }


def test_healthz_answers_503_when_the_broker_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # a closed port
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unreachable"}


def test_healthz_names_the_broker_ok_when_it_answers(client, settings, monkeypatch):
    import redis

    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    monkeypatch.setattr(redis.Redis, "ping", lambda self: True)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


# --- /media/ --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/media/photos/a%00.txt",
        "/media/photos/a.jpg%00.txt",
        "/media/photos/%00",
        "/media/signatures/..%2f..%2fconfig%2fsettings.py",
        "/media/photos/../../config/settings.py",
        "/media/photos/%2e%2e/x.jpg",
        "/media/photos%5C..%5Cx.jpg",
        "/media/photos/x%5Cy.jpg",
        "/media/photos//x.jpg",
        "/media/photos/./x.jpg",
        "/media/photos/%FF%FE.jpg",
        "/media/photos/%C3%28.jpg",
        "/media/photos/a%0d%0a.jpg",
        "/media/photos/" + "a" * 300 + ".jpg",
    ],
)
def test_a_malformed_media_path_answers_404(client, staff_user, path):
    client.force_login(staff_user)
    assert client.get(path).status_code == 404


def test_a_malformed_media_path_reads_no_database(
    client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    client.get("/")  # session and roles loaded once
    with django_assert_max_num_queries(6) as queries:
        assert client.get("/media/photos/a%00.txt").status_code == 404
    assert not any("activities_photo" in query["sql"] for query in queries.captured_queries)


# --- CSRF failure ---------------------------------------------------------------------------------


def test_a_form_without_its_token_gets_a_vietnamese_403_page(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert response.templates[0].name == "403_csrf.html"
    html = response.content.decode()
    assert 'lang="vi"' in html
    with override("vi"):
        explanation = gettext(
            "The form had expired or came from another site; go back, reload the page and try "
            "again."
        )
    assert explanation in html
    assert "CSRF verification failed" not in html
    assert "_auth_user_id" in client.session, "nothing was done"


def test_the_csrf_page_follows_the_chosen_language(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "The form had expired or came from another site" in response.content.decode()
