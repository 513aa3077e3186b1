# coopgov — `make demo` serves the demo cooperative, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv comes from PATH, or is installed once with pip under var/tools.
UV := $(shell uv --version >/dev/null 2>&1 && command -v uv || echo $(CURDIR)/var/tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
# Python 3.13 from PATH, or from pyenv's versions when its shims are not on PATH.
PYTHON313 := $(shell command -v python3.13 >/dev/null 2>&1 && python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null || ls -d $(HOME)/.pyenv/versions/3.13*/bin/python3.13 2>/dev/null | tail -n 1)
ifneq ($(PYTHON313),)
export UV_PYTHON := $(PYTHON313)
endif
RUN := $(UV) run --frozen
COOPGOV := $(RUN) coopgov
CHROMIUM := /usr/bin/chromium

.PHONY: help venv checks demo test test-fast serve lint format typecheck check messages backup restore clean bench bench-smoke postgres

help:
	@echo "make demo       set up, load the demo cooperative and serve it on 127.0.0.1"
	@echo "make test       run the whole test suite (browser tests included)"
	@echo "make serve      serve with granian (production settings from the environment)"
	@echo "make lint       ruff format --check, ruff check, mypy"
	@echo "make messages   update and compile the translation catalogues"
	@echo "make backup     back up the database and uploaded files under var/backups"
	@echo "make restore FROM=var/backups/<name>   restore such a backup"
	@echo "make checks     makemigrations --check and check --deploy with production settings"
	@echo "make test-fast  the suite without the browser tests"
	@echo "make bench      benchmarks at the size of a 35,000-member cooperative (docs/performance.md)"
	@echo "make bench-smoke  the same harness on a small dataset (run by CI)"

$(CURDIR)/var/tools/bin/uv:
	python3 -m pip install --quiet --target $(CURDIR)/var/tools uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

venv: .venv/.synced

# WeasyPrint (board books, minutes) needs Pango from Debian.
PANGO := /usr/lib/$(shell uname -m)-linux-gnu/libpangoft2-1.0.so.0
$(PANGO):
	@if [ "$$(id -u)" = 0 ]; then \
		(apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0)); \
	else \
		echo "PDFs need Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
	fi

demo: venv $(PANGO)
	DEBUG=1 $(COOPGOV) migrate --no-input -v 0
	DEBUG=1 $(COOPGOV) demo
	DEBUG=1 $(COOPGOV) rundemo

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)); \
	else \
		echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; \
	fi

test: venv $(CHROMIUM) $(PANGO)
	$(RUN) pytest -n 2 --dist loadgroup -q

test-fast: venv
	$(RUN) pytest -q -m "not browser"

# Each worker runs THREADS request threads (default: its pool's DATABASE_POOL_MAX connections,
# so that no thread waits for a connection); see docs/operator-guide.md.
serve: venv $(PANGO)
	$(COOPGOV) migrate --no-input
	$(COOPGOV) collectstatic --no-input -v 0
	$(RUN) granian --interface wsgi coopgov.wsgi:application \
		--host $${HOST:-127.0.0.1} --port $${PORT:-8000} --workers $${WORKERS:-2} \
		--blocking-threads $${THREADS:-$${DATABASE_POOL_MAX:-8}}

lint: venv
	$(RUN) ruff format --check src tests bench
	$(RUN) ruff check src tests bench
	$(RUN) mypy

# Migrations in step with the models, and production settings that pass the deploy checks.
checks: venv
	$(COOPGOV) makemigrations --check --dry-run
	DEBUG=0 COOPGOV_HTTPS=1 ALLOWED_HOSTS=coop.example.org EMAIL_HOST=smtp.example.org \
	SECRET_KEY="$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DATABASE_URL="sqlite:///$(CURDIR)/var/deploy-check.sqlite3" \
		$(COOPGOV) check --deploy --fail-level WARNING

format: venv
	$(RUN) ruff format src tests bench
	$(RUN) ruff check --fix src tests bench

messages: venv
	cd src/coopgov && $(COOPGOV) makemessages -l fr -l en -l nl --no-obsolete --ignore "static/*"
	cd src/coopgov && $(COOPGOV) compilemessages -v 0

backup: venv
	@mkdir -p var/backups
	$(COOPGOV) backup --to var/backups

restore: venv
	@test -n "$(FROM)" || (echo "usage: make restore FROM=var/backups/<name>"; exit 1)
	$(COOPGOV) restore --from $(FROM)

# The local PostgreSQL server, started when it is not running (Debian's cluster tools).
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || ( \
		pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | sort -V | tail -n 1)" main start && \
		for _ in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done )

# Benchmarks: the DESIGN.md §5 dataset on PostgreSQL by default (SCALE=0.1 DATABASE=sqlite to vary).
bench: venv
	@if [ "$${DATABASE:-postgres}" = postgres ]; then $(MAKE) --no-print-directory postgres; fi
	$(RUN) python -m bench.run --scale $${SCALE:-1} --database $${DATABASE:-postgres} $(BENCH_ARGS)

bench-smoke: venv
	$(RUN) python -m bench.run --scale 0.01 --database sqlite --requests 5 --rounds 1 --out var/bench/smoke.json

clean:
	rm -rf .venv var/tools var/static
