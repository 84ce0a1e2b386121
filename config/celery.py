"""The Celery app: broker from REDIS_URL, tasks eager in-process when it is unset."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("bacung")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
