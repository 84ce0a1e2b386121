"""The permission matrix for writes, the forms (issue 21): for every model the admin registers
and every foreign-key or many-to-many field of its add and change forms (inlines included)
that points at a scoped model, a POST with a row of B must be refused as "Select a valid
choice" and write nothing; a row of A must be accepted by the roles that see it. The models
come from the admin's registry, so a new one is covered without being listed here."""

import pytest

from tests.admin.pages import _url
from tests.admin_writes.helpers import _cases, _check_fields, _client, _snapshot
from tests.test_permission_matrix import _build

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("model", "role", "kind"), list(_cases(["add", "change"])))
def test_admin_forms_refuse_foreign_keys_outside_the_scope(client, world, model, role, kind):
    user = world["users"][role]
    _client(client, user)
    if kind == "add":
        url = _url(model, "add")
        obj = None
    else:
        obj = _build(model, world["inside"]) or model.objects.first()
        url = _url(model, "change", obj.pk)
    response = client.get(url)
    count_model = model
    if response.status_code != 200 or 'name="_save"' not in response.content.decode():
        # Not this role's to write: the POST writes nothing either.
        before = model._base_manager.count()
        snapshot = _snapshot(model, obj.pk) if obj else None
        answer = client.post(url, {})
        assert answer.status_code in {302, 403, 404}, f"{role} POST {url}"
        assert model._base_manager.count() == before
        if obj:
            assert _snapshot(model, obj.pk) == snapshot
        if role == "admin" and kind == "add":
            pytest.skip("the admin makes no such rows by hand")
        return
    assert role not in {"auditor", "donor"}, f"{role} may write on {url}"
    _check_fields(client, url, response, world, role, model, count_model, keep_pk=obj and obj.pk)
