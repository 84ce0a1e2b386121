"""A write that keeps losing races answers that nothing was saved and to try again (HTTP 409),
never a server error: on the pages, as JSON, in the admin's forms and actions."""

import psycopg.errors
import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from activities.models import Allocation
from core.admin.services import run_service_action
from core.services import BUSY_MESSAGE, Busy
from outreach.models import Donation
from tests.activities.pages import text
from tests.activities.races.helpers import _lost, _vietnamese_busy
from tests.admin.pages import _form_data, _url
from tests.factories import DistributionFactory, DonationFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raised",
    [
        pytest.param(lambda **kwargs: Busy(), id="busy"),
        pytest.param(
            lambda **kwargs: _lost(psycopg.errors.LockNotAvailable, "could not obtain lock"),
            id="raw-lock-error",
        ),
    ],
)
def test_a_write_that_keeps_losing_answers_409_with_the_message(
    monkeypatch, staff_client, partnership, raised
):
    donation = DonationFactory(partnership=partnership)
    distribution = DistributionFactory(partnership=partnership)

    def lose(**kwargs):
        raise raised()

    monkeypatch.setattr("activities.services.donation_allocate", lose)

    response = staff_client.post(
        reverse("activities:donation-allocate", args=[donation.pk]),
        {
            "distribution": distribution.pk,
            "asset_code": "",
            "grant": "",
            "amount_vnd": "1000000",
            "allocated_on": "2024-02-01",
            "note": "",
        },
        HTTP_REFERER=f"http://testserver/donations/{donation.pk}/",
    )

    assert response.status_code == 409
    assert _vietnamese_busy() in text(response)
    assert f'href="http://testserver/donations/{donation.pk}/"' in response.content.decode()
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_a_client_asking_for_json_reads_the_409_as_json(monkeypatch, staff_client, partnership):
    donation = DonationFactory(partnership=partnership)

    def lose(**kwargs):
        raise Busy()

    monkeypatch.setattr("activities.services.donation_allocate", lose)
    response = staff_client.post(
        reverse("activities:donation-allocate", args=[donation.pk]),
        {
            "distribution": DistributionFactory(partnership=partnership).pk,
            "amount_vnd": "1000000",
            "allocated_on": "2024-02-01",
        },
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 409
    assert response.json() == {"error": "busy", "message": _vietnamese_busy()}


@pytest.mark.django_db(transaction=True)  # the retry is the outermost transaction's
def test_the_admin_keeps_the_input_and_says_busy(monkeypatch, admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    donation = DonationFactory(value_vnd=50_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)

    def lose(**kwargs):
        raise _lost(psycopg.errors.DeadlockDetected, "deadlock detected")

    monkeypatch.setattr("activities.admin.money.donation_allocate", lose)
    data = _form_data(
        client.get(_url(Allocation, "add")),
        donation=donation.pk,
        amount_vnd="10000000",
        allocated_on="2024-02-01",
        distribution=distribution.pk,
    )
    response = client.post(_url(Allocation, "add"), data)

    assert response.status_code == 200
    with translation.override("en"):
        message = str(BUSY_MESSAGE)
    assert message in [str(m) for m in response.context["messages"]]
    assert message in str(response.context["adminform"].form.non_field_errors())
    assert response.context["adminform"].form["amount_vnd"].value() == "10000000"
    assert not Allocation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_admin_action_that_keeps_losing_says_busy_and_changes_nothing(settings):
    settings.SERVICE_RETRIES = 2
    donations = [DonationFactory(note="") for _ in range(3)]
    runs = []

    def annotate(donation):
        runs.append(donation.pk)
        Donation.objects.filter(pk=donation.pk).update(note="changed")
        raise _lost(psycopg.errors.LockNotAvailable, "could not obtain lock on row")

    class Admin:
        def __init__(self):
            self.told = []

        def message_user(self, request, message, level):
            self.told.append(str(message))

    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    modeladmin = Admin()

    with translation.override("en"):
        run_service_action(
            modeladmin,
            request,
            Donation.objects.order_by("pk"),
            annotate,
            done="Done: %(count)d.",
        )
        message = str(BUSY_MESSAGE)

    assert modeladmin.told == [message]
    assert runs == [donations[0].pk, donations[0].pk]  # two attempts, each stopped at the first
    assert not Donation.objects.exclude(note="").exists()
    assert not list(get_messages(request))
