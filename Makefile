# Motcua: two commands. `make run` serves the portal with demo data; `make test` runs the whole suite.
# Both set everything up on a fresh machine (virtual environment, dependencies, database, translations).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: setup run test lint format messages demo bench clean

# axe-playwright-python (axe-core 4.12 for the browser journeys) is installed alone (--no-deps), Playwright
# being pinned by .[dev]; pyproject cannot say --no-deps.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	$(VENV)/bin/pip install --quiet --no-deps axe-playwright-python==0.1.8
	touch $@

# Compiled translations are build output (.mo files are not committed).
messages: $(VENV)/.installed
	cd src/motcua && ../../$(PY) ../../manage.py compilemessages --ignore '.venv' -v 0

setup: $(VENV)/.installed messages

demo: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo

# Links in receipts, results and e-mails point where the portal serves, unless MOTCUA_PUBLIC_URL says otherwise.
PUBLIC_URL ?= $(or $(MOTCUA_PUBLIC_URL),http://$(HOST):$(PORT))

run: demo
	@echo "Motcua is serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	MOTCUA_PUBLIC_URL=$(PUBLIC_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: demo
	$(PY) bench/search.py

# 20 applicants send 2,000 dossiers with a PDF each over HTTP; BENCH_ARGS="--dossiers 200" for a quick run.
.PHONY: bench-submit
bench-submit: setup
	$(PY) bench/submit.py $(BENCH_ARGS)

# Officers' queues and the dossier API over 1,000,000 seeded dossiers; BENCH_ARGS="--dossiers 20000" for a
# quick run, DATABASE_URL=postgres://… for PostgreSQL (a throwaway database).
.PHONY: bench-backoffice
bench-backoffice: setup
	$(PY) bench/backoffice.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
