# The single entry point for people. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Local work runs with DEBUG on and demo mode; production sets its own environment (see README).
export DEBUG ?= true

.PHONY: help setup run test test-fast lint typecheck bench load backup restore frontend clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36mmake %-10s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check uv
	@UV_COMPILE_BYTECODE=1 $(VENV)/bin/uv pip install -q --python $(PY) -r pyproject.toml --all-extras
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv, install the pinned dependencies, migrate and load the demo data
	@test -f .env || printf '# Local development only (git-ignored): lets manage.py run without make.\nDEBUG=true\n' > .env
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo

run: setup ## Set up, then serve on http://127.0.0.1:8000 (with Celery worker and beat when a broker is reachable)
	@bash scripts/run.sh

# The suite runs on one worker per core (pytest-xdist): each test module whole on one worker, the browser journeys
# all on the same one (tests/conftest.py). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

test: $(STAMP) ## Run the whole test suite (browser journeys in Debian's Chromium included)
	@bash scripts/ensure_chromium.sh
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure." >&2; exit 1; fi; exit $$status

test-fast: $(STAMP) ## Run the suite without the browser journeys
	@$(PY) -m pytest -m "not browser" -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP) ## Ruff (rules and formatting), and a check that no migration is missing
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(PY) manage.py makemigrations --check --dry-run -v0

typecheck: $(STAMP) ## mypy with django-stubs (the settings in pyproject.toml; the money path strictly)
	@$(PY) -m mypy

bench: $(STAMP) ## Build a large dataset in PostgreSQL (BENCH_DATABASE_URL) and measure every main page; writes bench/RESULTS.md
	@DEBUG=false $(PY) -m bench.run

load: $(STAMP) ## Load-test gunicorn on loopback (production settings, PostgreSQL, Redis) with Locust; writes bench/LOAD.md
	@DEBUG=false $(PY) -m bench.load

backup: $(STAMP) ## Back up the database and uploaded documents into backups/<date-time>/
	@$(PY) manage.py backup

restore: $(STAMP) ## Restore a backup: make restore BACKUP=backups/<date-time> (replaces current data)
	@test -n "$(BACKUP)" || (echo "Say which backup: make restore BACKUP=backups/<date-time>" && exit 1)
	@$(PY) manage.py restore "$(BACKUP)" $(RESTORE_ARGS)

frontend: ## Rebuild the committed GOV.UK Frontend CSS and JS (needs Node and npm)
	@bash scripts/build_frontend.sh

clean: ## Remove the virtualenv, the local database and uploaded files
	rm -rf $(VENV) db.sqlite3 media staticfiles
