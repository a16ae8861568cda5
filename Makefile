# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step.
SHELL := /bin/bash
# The project is Python 3.11: prefer that interpreter where several are installed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
API_PORT ?= 8000
WEB_PORT ?= 5173
WEB_STAMP := frontend/node_modules/.installed-$(shell cat frontend/package-lock.json | sha1sum | cut -c1-12)

.PHONY: run test install migrate seed serve lint typecheck test-sqlite test-postgres openapi check-openapi clean \
	web-install web-build test-web test-e2e chromium nginx check-deploy wrk bench bench-smoke soak \
	audit check-audit

run: install migrate seed web-build ## install, migrate, load the roadmap data, serve the API and the web app
	@echo ""
	@echo "  Web app:  http://$(HOST):$(WEB_PORT)/"
	@echo "  API:      http://$(HOST):$(API_PORT)/api/v1/missions"
	@echo "  API docs: http://$(HOST):$(API_PORT)/docs"
	@echo ""
	HOST=$(HOST) API_PORT=$(API_PORT) WEB_PORT=$(WEB_PORT) scripts/serve

test: install lint typecheck check-audit test-web test-e2e test-sqlite test-postgres bench-smoke ## install and run every check and test

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Python 3.11 is needed (found $$($(PYTHON) --version)); set PYTHON=/path/to/python3.11"; exit 1; }
	@# A virtualenv cut short (Ctrl-C while it was made, or while pip upgraded itself) has a python
	@# but no working pip, and one made by another Python is of no use: make it again from scratch.
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && \
	  $(BIN)/python -m pip --version >/dev/null 2>&1 || \
	  { echo "Creating the virtualenv in $(VENV)..."; $(PYTHON) -m venv --clear $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Written only once everything above succeeded: an interrupted install is simply run again.
	@rm -f $(VENV)/.installed-* && touch $@

migrate: install
	$(BIN)/roadmap migrate

seed: install
	$(BIN)/roadmap load-roadmap
	$(BIN)/roadmap ensure-demo-admin

serve: install
	$(BIN)/roadmap serve --host $(HOST) --port $(API_PORT)

lint: install
	$(BIN)/ruff check api tests migrations scripts
	$(BIN)/ruff format --check api tests migrations scripts

typecheck: install
	$(BIN)/mypy api

# Known vulnerabilities in what is shipped (scripts/audit.py): `make test` fails on any, and says
# what it could not audit; `make audit` also fails when an advisory service cannot be reached.
check-audit: install web-install
	$(BIN)/python scripts/audit.py

audit: install web-install
	$(BIN)/python scripts/audit.py --strict

test-sqlite: install nginx
	$(BIN)/pytest

# A private PostgreSQL cluster for the run, unless TEST_DATABASE_URL names one.
test-postgres: install nginx
	scripts/with-postgres $(BIN)/pytest

web-install: $(WEB_STAMP)

$(WEB_STAMP): frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20 and npm are needed for the web app (apt-get install nodejs npm)"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund
	@rm -f frontend/node_modules/.installed-* && touch $@

# The static build; scripts/serve tells it where the API is when it starts (config.js, read at page load).
web-build: web-install
	cd frontend && npm run build

# The client's types match openapi/openapi.json, which passes Spectral's OWASP API Security rules
# (frontend/.spectral.yaml); types check; unit tests; the build succeeds.
test-web: web-install
	cd frontend && npm run check:api && npm run lint:api && npm run check && npm test && npm run build

# Debian's Chromium for the browser tests (never a downloaded browser).
chromium:
	@test -x /usr/bin/chromium || { \
	  [ "$$(id -u)" -eq 0 ] || { echo "Chromium is needed for the browser tests: apt-get install chromium"; exit 1; }; \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The built app in Chromium against a seeded API: each view checked against the API's data,
# axe-core on every view, screenshots in frontend/test-artefacts/.
test-e2e: install web-build chromium
	scripts/e2e

openapi: install ## regenerate openapi/openapi.json (and the web app's client types) from the code
	$(BIN)/roadmap openapi
	@if [ -d frontend/node_modules ]; then cd frontend && npm run api; fi

clean: ## remove the virtualenv, node_modules, builds and caches (the database in ./data is kept)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis frontend/node_modules frontend/dist

# Debian's nginx checks and serves the web server's config for compose.yaml (deploy/nginx).
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  [ "$$(id -u)" -eq 0 ] || { echo "nginx is needed to check the deployment's config: apt-get install nginx"; exit 1; }; \
	  echo "Installing Debian's nginx for the deployment check..."; \
	  apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }

# compose.yaml and deploy/: the nginx config rendered as the image renders it, `nginx -t`, then
# served in front of a `roadmap serve` (the app's CSP, config.js, the API proxied, /metrics kept off).
check-deploy: install nginx
	$(BIN)/pytest -q -p no:cacheprovider tests/test_deploy.py

# wrk drives the benchmarks' load (Debian's package).
wrk:
	@command -v wrk >/dev/null || { \
	  [ "$$(id -u)" -eq 0 ] || { echo "wrk is needed for the benchmarks: apt-get install wrk"; exit 1; }; \
	  echo "Installing Debian's wrk for the benchmarks..."; \
	  apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# The project against bench/floor.py on the same data, alternating; writes bench/RESULTS.md.
# BENCH_ARGS="--size large --db both" for the national-scale run (see bench/README.md).
BENCH_ARGS ?= --size large --db both
bench: install wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The benchmark at the smallest size on both databases, as a check that it runs (not for timing).
bench-smoke: install wrk
	$(BIN)/python bench/run.py --smoke --db both

# A soak (issue 15): a mixed read/write load from every role against `roadmap serve`, its rate
# limits on; errors (goal 0), p99 and the workers' memory at the start and the end. Not part of
# `make test`: 5 minutes of load per database (at most 10), about 12 minutes in all. Writes its
# section of bench/RESULTS.md. One longer run: SOAK_ARGS="--db postgres --minutes 10".
SOAK_ARGS ?= --db both --minutes 5 --results bench/RESULTS.md
soak: install
	$(BIN)/python bench/soak.py $(SOAK_ARGS)
