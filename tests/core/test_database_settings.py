"""PostgreSQL connections run without JIT compilation (issue 19): the reports' grouped queries
were compiled for 1.5 s to run in 1 ms."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _settings_database(**env: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_postgresql_connections_ask_for_no_jit_unless_told():
    url = "postgres://bacung@127.0.0.1:5432/bacung"
    assert _settings_database(DATABASE_URL=url) == "{'options': '-c jit=off'}"
    assert _settings_database(DATABASE_URL=url, POSTGRES_JIT="1") == "{'options': '-c jit=on'}"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_the_suites_postgresql_connection_has_jit_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
