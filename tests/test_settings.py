"""The settings module reads the environment; each case runs in a fresh process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "bacung.example.vn",
}


def _run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(**env):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: str(getattr(settings, k)) for k in "
        "['DEBUG', 'LANGUAGE_CODE', 'TIME_ZONE', 'CELERY_TASK_ALWAYS_EAGER', "
        "'CELERY_BROKER_URL', 'SESSION_COOKIE_SECURE', 'MEDIA_ROOT']} | "
        "{'ENGINE': settings.DATABASES['default']['ENGINE']}))"
    )
    result = _run(["-c", code], DJANGO_SETTINGS_MODULE="config.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_refuses_the_demo_secret_key():
    result = _run(["manage.py", "check"], DEBUG="0", ALLOWED_HOSTS="bacung.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_defaults_are_sqlite_eager_tasks_vietnamese_and_local_time():
    values = _settings(DEBUG="1")
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "True"
    assert values["LANGUAGE_CODE"] == "vi"
    assert values["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert values["MEDIA_ROOT"].endswith("var/media")


def test_environment_selects_postgresql_and_redis():
    values = _settings(
        DATABASE_URL="postgres://u:p@db.example:5432/bacung",
        REDIS_URL="redis://cache.example:6379/0",
        **PRODUCTION,
    )
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "False"
    assert values["CELERY_BROKER_URL"] == "redis://cache.example:6379/0"
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["DEBUG"] == "False"
