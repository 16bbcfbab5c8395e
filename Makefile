# Two commands on a fresh machine with Python 3.11:  make run  and  make test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the app needs beside Python: the DejaVu Sans fonts the PDF embeds (regular
# and bold in -core, oblique in -extra), and Chromium for the browser tests. Installed only where missing.
SYSTEM_PACKAGES := fonts-dejavu-core fonts-dejavu-extra chromium

.PHONY: install system-deps run test lint bench loadtest clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP) system-deps

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installerar systempaket:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Saknade systempaket:$$missing (installera dem med apt-get som root)"; \
	  fi; \
	fi

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Webben: http://127.0.0.1:8000/  (e-post skrivs till var/mail/; Ctrl-C stoppar allt)"
	DEBUG=1 $(BIN)/honcho -f config/Procfile -d . start

# The suite on two workers (pytest-xdist; TEST_WORKERS=0 runs it in one process), then the browser tests in
# one process: on the embedded SQLite a live server beside a second worker's tests can wait on the file's lock.
TEST_WORKERS ?= 2

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser"
	$(BIN)/python -m pytest -p no:xdist -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# The benchmark (var/bench/latest.json, docs/performance.md): SQLite always, PostgreSQL too when
# DATABASE_URL points at one — then the 60-second load test follows on it. BENCH=1 installs the
# dev-only measuring tools (tests/devtools/), which production never has.
bench: install
	BENCH=1 $(BIN)/python manage.py bench
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) BENCH=1 $(BIN)/python manage.py loadtest ;; esac

# 50 concurrent users for 60 s on PostgreSQL (skipped with a message without DATABASE_URL=postgres://…).
loadtest: install
	BENCH=1 $(BIN)/python manage.py loadtest

clean:
	rm -rf $(VENV) var
