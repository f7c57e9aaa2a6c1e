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

# Besides the demo catalogue and accounts, a history of 3,000 fictional dossiers over the last 400 days (with
# payments and ratings) so that the statistics have figures: seeded once (--if-empty), ~5 s on SQLite.
demo: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py seed_load --dossiers 3000 --days 400 --if-empty

# Links in receipts, results and e-mails point where the portal serves, unless MOTCUA_PUBLIC_URL says otherwise.
PUBLIC_URL ?= $(or $(MOTCUA_PUBLIC_URL),http://$(HOST):$(PORT))

# The demo runs the way production does: gunicorn, DEBUG off, static files collected, compressed and cached
# for good, the portal's own error pages. It says it is the demo (MOTCUA_DEMO=1: the demo accounts and
# certificates are allowed, and it keeps a secret key of its own in var/secret_key) and that it serves plain
# HTTP on this machine (HTTPS=0). Two workers of four threads suit a small machine; they share one cache
# folder, so rate limits and cached pages are the same whichever worker answers.
RUN_WORKERS ?= 2
RUN_THREADS ?= 4
RUN_CACHE_DIR ?= $(or $(MOTCUA_VAR_DIR),var)/cache
DEMO_ENV = DEBUG=0 MOTCUA_DEMO=1 HTTPS=0 MOTCUA_CACHE_DIR=$(or $(MOTCUA_CACHE_DIR),$(RUN_CACHE_DIR))
GUNICORN = GUNICORN_BIND=$(HOST):$(PORT) GUNICORN_WORKERS=$(RUN_WORKERS) GUNICORN_THREADS=$(RUN_THREADS) \
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py --pythonpath src motcua.wsgi:application

# The live dialogue streams (server-sent events) have a server of their own, uvicorn, as in production, where
# nginx sends them there (deploy/nginx.conf); here the pages open them on the next port.
LIVE_PORT ?= $(shell echo $$(($(PORT) + 1)))
LIVE_URL ?= http://$(HOST):$(LIVE_PORT)
LIVE = $(VENV)/bin/uvicorn motcua.asgi:application --app-dir src --host $(HOST) --port $(LIVE_PORT) \
	--no-access-log --log-level warning
RUN_ENV = MOTCUA_PUBLIC_URL=$(PUBLIC_URL) MOTCUA_LIVE_URL=$(LIVE_URL) $(DEMO_ENV)

run: demo
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v 0
	@echo "Motcua is serving on http://$(HOST):$(PORT)/ and its live dialogue streams on port $(LIVE_PORT)  (Ctrl-C stops it)"
	$(RUN_ENV) $(LIVE) & live=$$!; trap 'kill $$live 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(GUNICORN)

# The suite runs on every core (pytest-xdist, each worker with its own test database, browser and servers),
# at most 4: the browser journeys need memory. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal) $(PYTEST_ARGS)

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

# The public statistics page and the indicators API over 1,000,000 seeded dossiers, against the direct count
# over the dossier table; BENCH_ARGS="--dossiers 100000" for a quicker run, DATABASE_URL=postgres://… for
# PostgreSQL (a throwaway database).
.PHONY: bench-stats
bench-stats: setup
	$(PY) bench/stats.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
