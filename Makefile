# Kompass: `make serve` sets everything up and serves the site; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
REPORTS := $(wildcard evaluations/data/reports/*.txt)
CHROMIUM ?= /usr/bin/chromium

# Production: settings from the environment, or from ENV_FILE (deploy/kompass.env.example).
ENV_FILE ?=
WITH_ENV = $(if $(ENV_FILE),set -a && . $(abspath $(ENV_FILE)) && set +a &&,)

.PHONY: serve demo-data test lint typecheck migrations-check static chromium nginx clean \
	build-prod run-prod backup restore bench messages

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(BIN)/.runtime

# A production checkout needs the runtime packages only.
$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.installed: node_modules/.installed frontend/plotly-kompass.js
	mkdir -p static/vendor
	npm run --silent build
	touch $@

# The translations (locale/*/LC_MESSAGES/django.po), compiled: the .mo files are built, not
# committed, so they never lag behind the .po files. Needs GNU gettext's msgfmt.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(MO_FILES): %.mo: %.po | $(BIN)/.runtime
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore='.venv' --ignore='node_modules' --verbosity 0

static: static/vendor/.installed $(MO_FILES)

# After changing the interface's text: the .po files gain the new strings (translate them).
messages: $(BIN)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages --all --add-location=file \
	  --ignore='.venv/*' --ignore='node_modules/*' --ignore='static/*' --ignore='staticfiles/*' \
	  --ignore='bench/*' --ignore='tests/*'

# Refuses a database holding evaluations that demo_data did not make (a production one).
demo-data: $(BIN)/.installed static
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py demo_data
	DEBUG=1 $(BIN)/python manage.py find_mentions
	DEBUG=1 $(BIN)/python manage.py build_open_data

serve: demo-data
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx; \
	  else echo "The production tests need Debian's nginx: sudo apt-get install nginx"; exit 1; fi; }

# Two workers (pytest-xdist) for the machine's two cores; TEST_WORKERS=0 runs one process.
TEST_WORKERS ?= 2
test: $(BIN)/.installed static chromium nginx
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

# The benchmark (bench/run.py, about 25 minutes; not part of `make test` nor CI): needs
# PostgreSQL; BENCH_DATABASE_URL names a database ending in _bench, which it makes anew.
bench: $(BIN)/.installed static chromium
	$(BIN)/python -m bench.run

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs (pyproject.toml [tool.mypy]); django-stubs loads the settings.
typecheck: $(BIN)/.installed
	DEBUG=1 $(BIN)/mypy evaluations comparisons

migrations-check: $(BIN)/.installed
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

build-prod: $(BIN)/.runtime static
	$(WITH_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(WITH_ENV) $(BIN)/python manage.py migrate --no-input
	$(WITH_ENV) $(BIN)/python manage.py find_mentions
	$(WITH_ENV) $(BIN)/python manage.py build_open_data
	$(WITH_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

run-prod: $(BIN)/.runtime
	$(WITH_ENV) exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py

# A backup of the database in BACKUP_DIR; `make restore FILE=…` puts one back (it asks first).
backup: $(BIN)/.runtime
	$(WITH_ENV) $(BIN)/python manage.py backup

restore: $(BIN)/.runtime
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/kompass-….dump"; exit 2; }
	$(WITH_ENV) $(BIN)/python manage.py restore $(FILE)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3
