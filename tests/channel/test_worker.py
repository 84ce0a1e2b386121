"""The e-mails of a post with a real Celery worker on Redis and PostgreSQL: once per subscriber,
even when the task is delivered twice and two workers run it at the same time."""

import os
import time

import pytest
from django.core import mail
from django.db import connection

from channel.models import Delivery, Notice, Post
from tests.channel.factories import PostFactory, SubscriptionFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs a broker (REDIS_URL) for a real worker"
    ),
]


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the database with the test: PostgreSQL only")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    app.conf.task_always_eager = False
    # Two threads: the duplicate deliveries below may run at the same time.
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False):
        yield app


def test_two_deliveries_of_the_task_send_each_subscriber_one_e_mail(worker, partnership):
    from channel.tasks import post_notify_task
    from tests.factories import UserFactory

    staff = [UserFactory(email=f"s{n}@example.vn") for n in range(3)]
    from outreach.models import RoleAssignment
    from outreach.services import role_assign

    for user in staff:
        role_assign(
            actor=None, user=user, role=RoleAssignment.Role.OFFICE_STAFF, partnership=partnership
        )
        SubscriptionFactory(user=user)
    post = PostFactory(partnership=partnership, audience=Post.Audience.PARTNERSHIP)
    mail.outbox = []
    results = [post_notify_task.delay(post.pk) for _ in range(2)]
    sent = [result.get(timeout=30)["sent"] for result in results]
    assert sorted(sent) in ([0, 3], [1, 2])  # however the two runs shared the work
    assert sum(sent) == 3
    # Each e-mail is a notice the worker delivers once its post's task committed.
    deadline = time.monotonic() + 30
    while Notice.objects.filter(status=Notice.Status.SENT).count() < 3:
        assert time.monotonic() < deadline, "the notices were not delivered"
        time.sleep(0.2)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in staff)
    assert Delivery.objects.filter(post=post).count() == 3
