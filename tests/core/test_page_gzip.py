"""Pages and JSON go out gzipped to browsers that accept it, with a random-length header against
BREACH; files streamed by views (the icon, photos, PDFs) and other clients' answers do not."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(client):
    plain = client.get(reverse("login"))
    packed = client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    assert b"csrfmiddlewaretoken" in gzip.decompress(packed.content)


def test_the_gzip_header_differs_in_length_from_answer_to_answer(client):
    # "Heal the Breach": 0 to 100 random bytes in the gzip header of each answer.
    sizes = {
        len(client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip").content) for _n in range(8)
    }
    assert len(sizes) > 1


def test_a_client_that_does_not_accept_gzip_gets_the_page_as_it_is(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_ENCODING="identity")
    assert not response.has_header("Content-Encoding")
    assert b"csrfmiddlewaretoken" in response.content


def test_a_streamed_file_is_not_gzipped_and_keeps_its_length(client):
    response = client.get(reverse("favicon"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.streaming
    assert not response.has_header("Content-Encoding")
    assert int(response["Content-Length"]) == len(b"".join(response.streaming_content))


def test_json_is_gzipped_too(client, staff_user):
    client.force_login(staff_user)
    url = reverse("reports:summary-json") + "?year=2024"
    plain = client.get(url)
    assert plain.status_code == 200
    assert len(plain.content) >= 200  # Django leaves shorter answers as they are
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content).startswith(b"{")
