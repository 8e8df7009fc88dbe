# Quick start: `make run` (serve the console with the sandbox ready) and `make test`.
PORT ?= 8000
# VENV=.venv-3.12 PYTHON=python3.12 keeps a second environment beside the first (CI).
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Test processes (pytest-xdist): the tests mostly wait on servers and Chromium.
TEST_WORKERS ?= 4

.PHONY: run test install lint bench clean

# A half-made .venv (interrupted, or no pip in it) is removed, so the next run starts over.
$(PY):
	@python=$$(bin/find-python) && echo "Creating $(VENV) with $$python" \
		&& "$$python" -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip \
		|| { rm -rf $(VENV); exit 1; }

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# bin/serve is exec'd, so that a TERM sent to make (which passes it to its child) reaches
# it, and it stops both pools; through a shell in between they were left running.
# SANDBOX_ENABLED=0: no sandbox to seed or announce (bin/serve starts the console alone).
run: install
	$(PY) manage.py migrate --no-input
	[ "$${SANDBOX_ENABLED:-1}" = 0 ] || $(PY) manage.py seed_sandbox
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo
	@echo "  OrderCloud console:  http://127.0.0.1:$(PORT)/"
	@echo "  Getting started:     http://127.0.0.1:$(PORT)/getting-started"
	@if [ "$${SANDBOX_ENABLED:-1}" != 0 ]; then \
		echo "  Embedded sandbox:    http://127.0.0.1:$${SANDBOX_PORT:-$$(($(PORT) + 1))}/  (pick 'Embedded sandbox')"; \
		echo "                       http://127.0.0.1:$(PORT)/sandbox/  (the same, on the console's host)"; \
		echo "  Sandbox dashboard:   http://127.0.0.1:$(PORT)/sandbox/dashboard/  (verification codes are printed below)"; \
		$(PY) manage.py seed_sandbox --print-credentials; \
	fi
	@echo
	PORT=$(PORT) GUNICORN=$(BIN)/gunicorn exec bin/serve

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(PY) bench/run.py --record

clean:
	rm -rf .venv .venv-* staticfiles
