# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step.
SHELL := /bin/bash
# The project is Python 3.11: prefer that interpreter where several are installed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
API_PORT ?= 8000

.PHONY: run test install migrate seed serve lint typecheck test-sqlite test-postgres openapi check-openapi clean

run: install migrate seed ## install, migrate, load the roadmap data and serve the API
	@echo ""
	@echo "  API:      http://$(HOST):$(API_PORT)/api/v1/missions"
	@echo "  API docs: http://$(HOST):$(API_PORT)/docs"
	@echo ""
	$(BIN)/roadmap serve --host $(HOST) --port $(API_PORT)

test: install lint typecheck test-sqlite test-postgres ## install and run every check and test

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Python 3.11 is needed (found $$($(PYTHON) --version)); set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

migrate: install
	$(BIN)/roadmap migrate

seed: install
	$(BIN)/roadmap load-roadmap
	$(BIN)/roadmap ensure-demo-admin

serve: install
	$(BIN)/roadmap serve --host $(HOST) --port $(API_PORT)

lint: install
	$(BIN)/ruff check api tests migrations
	$(BIN)/ruff format --check api tests migrations

typecheck: install
	$(BIN)/mypy api

test-sqlite: install
	$(BIN)/pytest

# A private PostgreSQL cluster for the run, unless TEST_DATABASE_URL names one.
test-postgres: install
	scripts/with-postgres $(BIN)/pytest

openapi: install ## regenerate openapi/openapi.json from the code
	$(BIN)/roadmap openapi

clean: ## remove the virtualenv and caches (the database in ./data is kept)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
