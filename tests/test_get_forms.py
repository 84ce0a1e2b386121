"""A GET form carries no CSRF token, and a POST form carries one.

A token in a GET form ends up in the URL it submits, and from there in server logs, browser
history and Referer headers. Every GET page of the permission matrix that answers office staff
with 200 is rendered, and each of its forms is read the way a browser reads it (core/forms.py
says why crispy used to put the token there).
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from activities.models import Distribution
from tests import factories as f
from tests import test_permission_matrix as matrix

pytestmark = pytest.mark.django_db
TOKEN = "csrfmiddlewaretoken"
# The matrix's partnerships and users, made once for this module too, as fixtures of it.
module_world, world = matrix.module_world, matrix.world


class _Forms(HTMLParser):
    """Each <form> of a page: its method, action and the fields a browser would submit."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "names": [],
                "fields": [],
            }
            self.forms.append(self._form)
        if self._form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag in {"input", "select", "textarea"} and name:
            self._form["names"].append(name)
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._form["fields"].append((self._select, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _forms(response) -> list[dict]:
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.forms


def _staff_get_pages():
    for name, cases in matrix.PAGES.items():
        cases = cases if isinstance(cases, list) else [cases]
        for index, (method, kwargs, statuses) in enumerate(cases):
            if method == "get" and statuses.get("staff", statuses.get("*")) == 200:
                yield pytest.param(name, kwargs, id=f"{name}-{index}")


STAFF_GET_PAGES = list(_staff_get_pages())


def test_the_pages_checked_include_lists_previews_and_uploads():
    names = {param.values[0] for param in STAFF_GET_PAGES}
    assert {
        "households:household-list",
        "activities:distribution-recipients",
        "households:import-upload",
    } <= names


def staff_page(client, world, name: str, kwargs):
    """Return the page ``name`` (``kwargs``: its arguments, or a function of the world giving
    them) as the matrix's office staff user gets it."""
    if callable(kwargs):
        kwargs = kwargs(world)
    client.force_login(world["users"]["staff"])
    return client.get(reverse(name, kwargs=kwargs or None))


@pytest.mark.parametrize(("name", "kwargs"), STAFF_GET_PAGES)
def test_get_forms_carry_no_csrf_token_and_post_forms_do(client, world, name, kwargs):
    response = staff_page(client, world, name, kwargs)
    assert response.status_code == 200
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    for form in _forms(response):
        tokens = form["names"].count(TOKEN)
        if form["method"] == "get":
            assert tokens == 0, f"a GET form ({form['action'] or 'this page'}) carries a token"
        else:
            assert form["method"] == "post", f"a form with method {form['method']!r}"
            assert tokens == 1, f"a POST form ({form['action'] or 'this page'}) has {tokens} tokens"


def test_the_recipients_preview_url_carries_no_csrf_token(client, staff_user, partnership):
    village = f.VillageFactory(commune=partnership.commune)
    household = f.HouseholdFactory(village=village)
    distribution = f.DistributionFactory(partnership=partnership, status=Distribution.Status.DRAFT)
    client.force_login(staff_user)
    url = reverse("activities:distribution-recipients", args=[distribution.pk])
    (criteria,) = [form for form in _forms(client.get(url)) if form["method"] == "get"]
    # What the browser puts in the address bar when the form is sent as it is.
    submitted = f"{url}?{urlencode(criteria['fields'])}"
    query = parse_qs(urlsplit(submitted).query)
    assert TOKEN not in query
    assert query["preview"] == ["1"]
    preview = client.get(submitted)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert household.code in html
    # Its links ("Change the criteria", the pages) repeat the query: none may carry a token.
    assert not [href for href in re.findall(r'href="([^"]*)"', html) if TOKEN in href]
    for form in _forms(preview):
        assert form["names"].count(TOKEN) == (form["method"] == "post")


def test_forms_take_their_crispy_helper_from_core_forms():
    """A plain FormHelper without a form tag writes a token into whatever form holds it."""
    root = Path(settings.BASE_DIR)
    plain = [
        str(path.relative_to(root))
        for folder in ("core", "outreach", "households", "activities", "channel", "reports", "demo")
        for path in (root / folder).rglob("*.py")
        if "crispy_forms.helper" in path.read_text(encoding="utf-8")
    ]
    assert plain == ["core/forms.py"]
