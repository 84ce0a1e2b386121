"""The permission matrix for writes, the actions (issue 21): every action of the admin, for
every role, is run on a row of B, by id and with "select across", and must leave it
unchanged. The actions come from the admin's registry, so a new one is covered without being
listed here."""

import pytest

from tests.admin.pages import _url
from tests.admin_writes.helpers import _action_cases, _client, _snapshot
from tests.test_permission_matrix import _build

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("model", "action", "role"), list(_action_cases()))
def test_admin_actions_leave_rows_outside_the_scope_alone(client, world, model, action, role):
    target = _build(model, world["outside"])
    before = _snapshot(model, target.pk)
    inside = _build(model, world["inside"])
    _client(client, world["users"][role])
    url = _url(model, "changelist")
    for data in (
        {"action": action, "_selected_action": [str(target.pk)]},
        # "Select across": every row the changelist lists, which B's are not.
        {"action": action, "_selected_action": [str(inside.pk)], "select_across": "1"},
    ):
        client.post(url, data)
        if role != "admin":
            assert _snapshot(model, target.pk) == before, f"{role} ran {action} on B's row"
