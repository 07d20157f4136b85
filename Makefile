# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; anything set in the environment wins.
export DEBUG ?= 1
export DJANGO_SETTINGS_MODULE ?= settings_app.settings

# Independent prerequisites build side by side (the app's and the gateway's virtualenvs,
# axe-core from npm), so a first `make test` waits for the slowest of them, not their sum.
MAKEFLAGS += --jobs=2

.PHONY: run setup test suite lint format install install-dev bench clean gateway gateway-venv

# Packages are installed with uv (from PyPI, into the virtualenv), several times faster than pip.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv

# The build of the project in the checkout leaves build/ and *.egg-info: litter, removed at once.
# Packages are compiled to bytecode as they are installed: every later process (the suite's
# workers, each manage.py) reads it instead of compiling Django again, even where
# PYTHONDONTWRITEBYTECODE is set.
PIP_INSTALL ?= $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) .
	rm -rf build *.egg-info
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) ".[dev]"
	rm -rf build *.egg-info
	@touch $@ $(VENV)/.installed

# Development defaults for every command run from the checkout (`manage.py …` included): the
# settings read .env, and a variable set in the environment wins. Production has no .env.
.env:
	@printf '# Written by make for development; delete it or set DEBUG=0 for production-like runs.\nDEBUG=1\n' > $@

# axe-core for the browser tests' accessibility checks, from npm (never a CDN). Without npm the
# browser tests say how to install it; CI installs npm first, so there they always run.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: install it (apt-get install npm) for the accessibility checks"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(AXE) .env

# Everything `make run` does before serving.
setup: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py sync_catalog
	$(BIN)/python manage.py seed_demo

# Start again from fresh demo data: empty every table of the database (DATABASE_URL's, else
# db.sqlite3) and the cache, then load the catalog and demo data as `make run` does.
.PHONY: demo-reset
demo-reset: install .env
	$(BIN)/python manage.py flush --no-input
	$(BIN)/python manage.py shell -c "from django.core.cache import cache; cache.clear()"
	$(MAKE) setup

run: setup
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/ and log in as one of (password: demo-password):"
	@echo "    owner@example.com       owner of acme"
	@echo "    member@example.com      contributor, all platform models"
	@echo "    restricted@example.com  contributor, one platform model"
	@echo "    reader@example.com      reader"
	@echo "    outsider@example.com    owner of globex, not in acme"
	@echo "    admin@example.com       staff: http://$(HOST):$(PORT)/admin/"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The lint and the suite, side by side (--jobs=2). The suite runs on the test settings (a fast
# password hasher, no proxy), whatever the environment says for `manage.py`.
test: lint suite

suite: install-dev gateway-venv
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=settings_app.test_settings
	$(BIN)/pytest --ds=settings_app.test_settings -n auto --dist loadscope $(PYTEST_ARGS)

# The model gateway: a LiteLLM proxy in a virtualenv of its own (gateway/requirements.txt pins
# it), serving mock `dn/` aliases and asking the app from `make run` who may run which
# (gateway/litellm_auth.py). The gateway tests use the same virtualenv.
GATEWAY_VENV := .venv-gateway
GATEWAY_PORT ?= 4000
GATEWAY_MASTER_KEY ?= sk-dev-gateway-master
$(GATEWAY_VENV)/.installed: gateway/requirements.txt | $(BIN)/python
	$(PYTHON) -m venv --without-pip $(GATEWAY_VENV)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(GATEWAY_VENV)/bin/python -r gateway/requirements.txt
	@touch $@

gateway-venv: $(GATEWAY_VENV)/.installed

gateway: gateway-venv
	$(GATEWAY_VENV)/bin/python gateway/config.py > $(GATEWAY_VENV)/config.yaml
	@echo ""
	@echo "  Gateway on http://$(HOST):$(GATEWAY_PORT), asking the app at http://$(HOST):$(PORT)"
	@echo "  (start it with \`make run\`). Master key: $(GATEWAY_MASTER_KEY)"
	@echo ""
	PYTHONPATH=gateway CHAT_MODELS_URL=http://$(HOST):$(PORT) \
	LITELLM_MASTER_KEY=$(GATEWAY_MASTER_KEY) LITELLM_LOCAL_MODEL_COST_MAP=True \
	$(GATEWAY_VENV)/bin/litellm --config $(GATEWAY_VENV)/config.yaml --host $(HOST) --port $(GATEWAY_PORT)

# Latency at scale, then throughput under gunicorn + wrk (apt-get install wrk); see README.
bench: install-dev
	@command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(GATEWAY_VENV) db.sqlite3 staticfiles artifacts .pytest_cache .ruff_cache tests/browser/node_modules
