"""The field app's shell, service worker and manifest: who gets them, and how they are served."""

import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from field.views import SHELL_STATIC

pytestmark = pytest.mark.django_db


def _strings(response) -> dict:
    """The translated strings the shell hands to its scripts (the json_script tag)."""
    html = response.content.decode()
    start = html.index('<script id="field-strings" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


@pytest.mark.parametrize("role", ["cadre_user", "staff_user", "admin_user"])
def test_the_shell_is_served_to_those_who_work_in_the_communes(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("field:app"))
    assert response.status_code == 200
    assert b"data-field-shell" in response.content
    assert "csrftoken" in response.cookies  # the scripts send it with each synced record
    strings = _strings(response)
    assert strings["confirm_received"] == gettext("Confirm received")
    assert all(isinstance(text, str) and text for text in strings.values())
    config = response.context["config"]
    assert config["data_url"] == "/field/api/data.json"
    assert config["sync_url"] == "/field/api/sync/"


def test_the_shell_does_not_query_the_households(client, cadre_user, django_assert_num_queries):
    client.force_login(cadre_user)
    client.get(reverse("field:app"))  # the first request loads the session's user and roles
    # The session, the user, the roles (the session is not written back within a minute:
    # core.idle): the page holds no data of its own (the scripts fetch it).
    with django_assert_num_queries(3):
        response = client.get(reverse("field:app"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["donor_user", "auditor_user"])
def test_the_shell_is_refused_to_donors_and_auditors(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("field:app"))
    assert response.status_code == 403
    assert b"data-field-shell" not in response.content


def test_the_shell_sends_someone_logged_out_to_the_login_page(client, db):
    response = client.get(reverse("field:app"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_shell_answers_only_get(client, cadre_user):
    client.force_login(cadre_user)
    assert client.post(reverse("field:app")).status_code == 405


def test_the_service_worker_is_javascript_for_the_whole_site_and_never_kept_long(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    # Workbox from this site, never a CDN; the outbox code shared with the pages.
    imports = 'importScripts("/static/vendor/workbox/workbox-sw.js", "/static/js/field/outbox.js")'
    assert imports in body
    assert 'modulePathPrefix: "/static/vendor/workbox/"' in body
    assert "https://" not in body
    assert "http://" not in body
    assert "&quot;" not in body  # the JSON it embeds is not HTML-escaped


def test_the_service_worker_precaches_every_file_of_the_shell(client, db):
    # Tests serve static files under their own names: each entry carries its content's revision.
    body = client.get("/sw.js").content.decode()
    start = body.index("precacheAndRoute(") + len("precacheAndRoute(")
    entries = json.loads(body[start : body.index(");", start)])
    assert [entry["url"] for entry in entries] == [f"/static/{name}" for name in SHELL_STATIC]
    assert all(entry["revision"] for entry in entries)


def test_the_service_worker_names_a_file_that_exists_for_each_workbox_module(client, db):
    from django.contrib.staticfiles import finders

    for module in ("core", "routing", "strategies", "precaching", "expiration"):
        assert finders.find(f"vendor/workbox/workbox-{module}.prod.js"), module
    for name in SHELL_STATIC:
        assert finders.find(name), name


def test_the_service_worker_is_served_to_anyone_without_a_query(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert client.get("/sw.js").status_code == 200


def test_the_manifest_lets_a_phone_install_the_app(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Ba Cùng"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/field/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#8b1e1e"
    assert manifest["background_color"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


def test_the_manifest_icons_are_pngs_of_their_stated_size(client, db):
    from django.contrib.staticfiles import finders
    from PIL import Image

    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_loads_the_small_sync_script(client, cadre_user):
    client.force_login(cadre_user)
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#8b1e1e">' in html
    assert 'src="/static/js/field/session.js"' in html
    assert f'data-user="{cadre_user.pk}"' in html
    assert 'data-worker="1"' in html
    assert 'href="/field/#outbox" data-outbox-badge hidden' in html
    assert f'href="/field/">{gettext("Offline work")}</a>' in html


def test_a_donor_sees_neither_the_outbox_nor_the_field_app_link(client, donor_user):
    client.force_login(donor_user)
    html = client.get(reverse("home")).content.decode()
    assert "data-outbox-badge" not in html
    assert 'href="/field/"' not in html
    assert 'data-worker=""' in html
    assert f'data-user="{donor_user.pk}"' in html  # another account: the phone's field data goes


def test_the_login_page_tells_the_script_nobody_is_logged_in(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'data-user=""' in html  # the script empties the field data on this page
