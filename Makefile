# The storefront's commands (CONTRACT section 1). Every target installs what it needs first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test bench worker beat lint format lock install chromium messages

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@echo "Installing the locked dependencies into $(VENV) (a fresh clone: 30-45 s, once)..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip --version >/dev/null 2>&1 || $(PY) -m ensurepip -q
	@test -x $(BIN)/uv || $(BIN)/pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --python $(PY) --quiet --compile-bytecode -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

## make run: the demo shop on http://127.0.0.1:$(PORT) with SQLite and no outside services.
## A fresh clone takes 40-80 s (install, every migration, the demo catalog's images); later
## runs about 10 s. The server's start-up output ends with "Open http://127.0.0.1:$(PORT)".
run: $(STAMP)
	@echo "Preparing the database (the first run applies every migration: 5-15 s)..."
	@$(PY) manage.py migrate --noinput --verbosity 0
	@echo "Loading the demo catalog (the first run draws its product images: 5-10 s)..."
	@$(PY) manage.py seed_demo
	@echo "Starting the shop (pages and live cart streams, under uvicorn)..."
	@$(PY) manage.py runasgi 127.0.0.1:$(PORT)

## make test: the whole suite; PostgreSQL and Redis when they answer (required with REQUIRE_SERVICES=1).
test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/pytest

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's 'chromium' package at /usr/bin/chromium:"; \
		echo "    sudo apt-get install chromium"; \
		exit 1; \
	fi

## make bench: the load benchmark (gunicorn, PostgreSQL, Redis); results in bench/results/.
bench: $(STAMP)
	$(PY) bench/run.py

worker: $(STAMP)
	$(BIN)/celery -A config.celery_app worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A config.celery_app beat --loglevel=INFO

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: collect translatable strings into locale/*/django.po and compile them (needs gettext).
messages: $(STAMP)
	$(PY) manage.py makemessages -l de -l ar --no-location --ignore=.venv --ignore="static/vendor/*" --ignore="tests/*" --ignore=staticfiles --ignore=media --ignore=test-artifacts
	$(PY) manage.py compilemessages --ignore=.venv

## make lock: re-resolve requirements.lock from pyproject.toml after changing a dependency.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench --python-version 3.11 --quiet -o requirements.lock
