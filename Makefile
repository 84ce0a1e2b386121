# Ba Cùng: `make run` serves the demo, `make test` runs the tests. Both set up .venv first.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo runs with DEBUG on (the public demo secret is refused otherwise) unless told otherwise.
export DEBUG ?= 1

.PHONY: run test e2e lint format migrate seed messages bench clean dev

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "Ba Cùng demo: http://$(HOST):$(PORT)/  (administration: http://$(HOST):$(PORT)/admin/)"
	@echo "Accounts (password: bacung-demo): admin, staff, cadre, donor, auditor"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed
	$(VENV)/bin/pytest

# The browser tests only (tests/e2e: headless Chromium at a phone's width, the page weights in
# production mode), leaving a screenshot of each key page and the table of page weights under
# var/e2e/. `make test` runs them too. PYTEST_ARGS: more options, e.g. --create-db.
e2e: $(VENV)/.installed
	mkdir -p var/e2e
	E2E_SHOTS="$(abspath var/e2e)" $(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

# Web, Celery worker and celery beat together (Procfile, run by honcho) on a local Redis.
dev: export REDIS_URL ?= redis://127.0.0.1:6379/0
dev: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PATH="$(abspath $(VENV))/bin:$$PATH" HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho start

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Refresh the Vietnamese catalogue after changing strings; translate, then commit .po and .mo.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l vi --ignore=.venv

# Page timings on PostgreSQL at a province's scale (BENCH_HOUSEHOLDS, default 1,000,000), then
# the household import of a 50,000-row file (BENCH_IMPORT_ROWS).
# BENCH_HOUSEHOLDS=100000 for a quick run; the table goes to var/bench/results.json too.
bench: $(VENV)/.installed
	$(PY) tests/bench/run.py
	$(PY) tests/bench/export_bench.py
	$(PY) tests/bench/import_bench.py

clean:
	rm -rf $(VENV) var
