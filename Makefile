# Dimos: two commands on a fresh Debian/Ubuntu machine with Python 3.11+.
#   make start   install everything, create the site `dimos` if missing, run Zope on 127.0.0.1:8080
#                (Varnish in front on 127.0.0.1:6081)
#   make test    install whatever is missing, run the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BUILDOUT := $(VENV)/bin/buildout
SETUPTOOLS_VERSION := $(shell sed -n 's/^setuptools *= *//p' versions.cfg)
BUILDOUT_VERSION := $(shell sed -n 's/^zc.buildout *= *//p' versions.cfg)
SOURCES := buildout.cfg versions.cfg $(wildcard src/*/pyproject.toml)
PYTEST_ARGS ?=
PY_PATHS := src tests scripts benchmarks conftest.py
# Zope shows times in the process's local zone: the municipality's.
export TZ := Europe/Athens

.PHONY: help
help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BUILDOUT):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Dimos needs Python 3.11 or newer: $(PYTHON) is $$($(PYTHON) --version)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q "setuptools==$(SETUPTOOLS_VERSION)" "zc.buildout==$(BUILDOUT_VERSION)" wheel

# Buildout runs again only when its configuration or a package's metadata changes.
bin/instance bin/pytest &: $(BUILDOUT) $(SOURCES)
	@# The zope2instance recipe asks for an initial user; an empty answer skips it:
	@# scripts/create_site.py makes the admin with a generated password instead.
	echo | $(BUILDOUT) -N
	@touch bin/instance bin/pytest

.PHONY: install
install: bin/instance os-deps ## Install Python and OS dependencies (buildout, tesseract, poppler)

.PHONY: os-deps
os-deps: ## Check the OS packages; install them with apt-get when run as root
	@bash scripts/os-deps.sh

.PHONY: site
site: install ## Create the Plone site `dimos` with demo content if it does not exist (keeps data)
	DIMOS_VAR=$(CURDIR)/var bin/instance run scripts/create_site.py

.PHONY: start
start: site ## Install, create the site if missing, start Zope on :8080, Varnish on :6081 and a worker
	@echo 'Starting Zope on http://127.0.0.1:8080/dimos (stop with Ctrl+C)'
	@echo 'Varnish in front of it (the hotspots captive portal): http://127.0.0.1:6081/dimos'
	@# A digitization worker runs beside Zope (log: var/log/worker.log) and stops with it;
	@# so does Varnish (log: var/log/varnish.log), whom Zope tells of changes (DIMOS_VARNISH).
	@mkdir -p var/log; \
	DIMOS_VAR=$(CURDIR)/var bin/dimos-worker >> var/log/worker.log 2>&1 & worker=$$!; \
	bin/dimos-varnish --listen 127.0.0.1:6081 --backend 127.0.0.1:8080 --workdir var/varnish \
	    >> var/log/varnish.log 2>&1 & varnish=$$!; \
	trap 'kill -TERM $$worker $$varnish 2>/dev/null; wait $$worker $$varnish 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	echo "Digitization worker: pid $$worker, log var/log/worker.log"; \
	echo "Varnish: pid $$varnish, log var/log/varnish.log"; \
	DIMOS_VARNISH=127.0.0.1:6081 bin/instance console

.PHONY: test
test: install ## Install what is missing, run every test
	bin/pytest $(PYTEST_ARGS)

.PHONY: bench
bench: install ## Run the benchmarks (they print their figures)
	@bash scripts/os-deps.sh scripts/os-packages-bench.txt
	bin/zopepy benchmarks/search_greek.py
	bin/zopepy benchmarks/protocol_numbering.py
	bin/zopepy benchmarks/ocr_throughput.py
	bin/zopepy benchmarks/signing.py
	bin/zopepy benchmarks/archive_search.py
	bin/zopepy benchmarks/payments.py
	bin/zopepy benchmarks/portal_load.py --raw

.PHONY: lint
lint: $(BUILDOUT) ## Check style with ruff
	$(VENV)/bin/pip install -q "ruff==$(shell sed -n 's/^ruff *= *//p' versions.cfg)"
	$(VENV)/bin/ruff check $(PY_PATHS)
	$(VENV)/bin/ruff format --check $(PY_PATHS)

.PHONY: format
format: $(BUILDOUT) ## Format the code with ruff
	$(VENV)/bin/pip install -q "ruff==$(shell sed -n 's/^ruff *= *//p' versions.cfg)"
	$(VENV)/bin/ruff check --fix $(PY_PATHS)
	$(VENV)/bin/ruff format $(PY_PATHS)

.PHONY: clean
clean: ## Remove what buildout installed (keeps var/: your data)
	rm -rf $(VENV) bin eggs develop-eggs parts .installed.cfg
