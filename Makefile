# The two commands of the README: `make demo` and `make test`. Everything installs into .venv
# from pyproject.toml, so a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE ?= demo
# The demo site's links (confirm, unsubscribe, preferences in the Maildir's emails) point at
# the local server `run` starts ([web] host and port of the example config).
DEMO_URL ?= http://127.0.0.1:8080
# Demo-only secrets: the service reads them from the environment, never from a file.
export SYNDICATION_SECRET ?= demo-only-secret-Rk7Tq2Wm9Xc4Lp8Zv3Nb6Hj5Fs1Dg0Ya
export SYNDICATION_ADMIN_TOKEN ?= demo-only-admin-token-Mz5Qe8Ut2Kx7Wr4Jn9Pc3Lv6

.PHONY: install demo test lint bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable '.[dev]'
	touch $@

demo: install
	@if [ ! -f $(SITE)/config.toml ]; then \
	    set -e; \
	    $(BIN)/syndication init $(SITE) --base-url $(DEMO_URL); \
	    $(BIN)/syndication --config $(SITE)/config.toml check; \
	    $(BIN)/syndication --config $(SITE)/config.toml subscribers import examples/subscribers.csv; \
	    $(BIN)/syndication --config $(SITE)/config.toml publish --at 2016-08-31T15:50:00+02:00; \
	    $(BIN)/syndication --config $(SITE)/config.toml send; \
	fi
	@echo "Newsletters: $(SITE)/var/outbox/new/ (a Maildir; its links open $(DEMO_URL))."
	@echo "Feeds and pages: $(SITE)/public/, served at $(DEMO_URL)/"
	$(BIN)/syndication --config $(SITE)/config.toml run

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/feeds.py
	$(BIN)/python bench/subscribers.py
	$(BIN)/python bench/delivery.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/faults.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/bounces.py
