# Chợ Phiên: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run serve worker test lint install migrate demo messages css bench bench-pages bench-weight bench-search bench-checkout clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# The job worker runs beside the server and stops with it.
# Static files are collected and compressed and served by WhiteNoise, as in production.
run: demo
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=1 $(BIN)/python manage.py run_huey & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver --nostatic 127.0.0.1:$(PORT)

# Production: gunicorn with gunicorn.conf.py (refuses to start without SECRET_KEY and ALLOWED_HOSTS);
# run `make worker` beside it.
serve: install
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=0 $(BIN)/gunicorn storefront.wsgi -c gunicorn.conf.py

# Background jobs only (mail, photos, search): with REDIS_URL, run one or more per machine.
worker: install
	$(BIN)/python manage.py run_huey

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=bench
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en -l vi --ignore=.venv

# Bootstrap's rules the pages use (PurgeCSS from npm); the output is committed, so running the
# site needs no Node. tests/e2e/test_purged_css_e2e.py checks that no page looks different.
SITE_PACKAGES = $(wildcard $(VENV)/lib/python3*/site-packages)
css: install
	npm ci --silent --no-audit --no-fund
	CRISPY_TEMPLATES=$(SITE_PACKAGES)/crispy_bootstrap5/templates DJANGO_FORMS=$(SITE_PACKAGES)/django/forms \
		npx purgecss --config purgecss.config.cjs

# Every benchmark, written to docs/PERFORMANCE.md (BENCH_DATABASE_URL=postgres://… adds PostgreSQL).
bench: install
	$(BIN)/pip install --quiet -r requirements-bench.txt
	npm ci --silent --no-audit --no-fund
	$(BIN)/python bench/report.py

bench-pages: install
	$(BIN)/python bench/page_speed.py

bench-weight: install
	$(BIN)/pip install --quiet -r requirements-bench.txt
	bash bench/run_page_weight.sh --budget 100

bench-search: install
	$(BIN)/python bench/search_speed.py

bench-checkout: install
	bash bench/run_checkout_load.sh

clean:
	rm -rf $(VENV) db.sqlite3* jobs.sqlite3* media staticfiles cache .pytest_cache
