"""The Celery app: broker from REDIS_URL, tasks eager in-process when it is unset.

Also the periodic jobs' defaults: celery beat reads its schedule from the database
(django-celery-beat), where staff change it in the admin; ``PeriodicJobsConfig`` creates the
default schedules below after every ``migrate`` (and after a test database is flushed) when they
are missing, and never overwrites a schedule someone changed.
"""

import os

from celery import Celery
from django_celery_beat.apps import BeatConfig

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("bacung")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# name shown in the admin → (task, crontab fields: minute, hour, day_of_week). Times are local
# (Asia/Ho_Chi_Minh), early on Monday: the lists are waiting when the week's work starts.
DEFAULT_SCHEDULES = {
    "Nhắc rà soát hộ đến hạn (hằng tuần)": (
        "households.tasks.reviews_due_remind_task",
        ("0", "6", "1"),
    ),
    "Nhắc kiểm tra tài sản (hằng tuần)": (
        "activities.tasks.assets_due_remind_task",
        ("30", "6", "1"),
    ),
    "Bản tin tuần cho nhà tài trợ": (
        "activities.tasks.donor_digest_task",
        ("0", "7", "1"),
    ),
    # The connection channel's digest, for subscribers who chose one e-mail a day.
    "Tin tức kênh kết nối: thư tổng hợp hằng ngày": (
        "channel.tasks.digest_send_task",
        ("0", "18", "*"),
    ),
    # Jobs of killed workers, and work lost while the broker was away, queued again within
    # minutes (core.recovery); a job that used its attempts is stopped with the reason.
    "Khôi phục việc nền bị gián đoạn (mỗi phút)": (
        "core.tasks.jobs_recover_task",
        ("*", "*", "*"),
    ),
}


def schedules_default(sender=None, **kwargs) -> None:
    """Create the default periodic jobs that are missing (post_migrate receiver)."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, (task, (minute, hour, day_of_week)) in DEFAULT_SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)


class PeriodicJobsConfig(BeatConfig):
    """django-celery-beat, with our default schedules and only the schedule kinds we use."""

    # Schedules "at sunrise" or "once at this moment" and plain intervals mean nothing for
    # reminders and digests that fall due on a weekday at an hour: the admin offers crontabs.
    UNUSED_ADMIN_MODELS = ("SolarSchedule", "ClockedSchedule", "IntervalSchedule")

    def ready(self) -> None:
        super().ready()
        from django.contrib import admin
        from django.db.models.signals import post_migrate
        from django_celery_beat import models

        post_migrate.connect(schedules_default, sender=self, dispatch_uid="bacung-schedules")
        for name in self.UNUSED_ADMIN_MODELS:
            model = getattr(models, name)
            if admin.site.is_registered(model):
                admin.site.unregister(model)
