# Palermo: `make demo` runs the demo on the embedded default, `make test` runs every check.
# Both do all set-up on a fresh machine (Python 3.11+, pip, apt, make).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
UV     := $(PYTHON) -m uv

.PHONY: install assets system-deps lint format typecheck pytest test demo bench lock clean

$(STAMP): pyproject.toml requirements/lock.txt web/assets/package-lock.json
	@bash scripts/system-deps.sh
	@bash scripts/build-assets.sh
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python requirements/lock.txt
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@# PYTHONDONTWRITEBYTECODE machines never cache bytecode on import: compile Palermo's own sources now
	$(BIN)/python -m compileall -q -j 0 src/palermo
	$(BIN)/palermo names build-symbols
	@touch $(STAMP)

install: $(STAMP) ## Python environment from the lock file

assets: ## browser libraries (npm ci from web/assets/package-lock.json) into src/palermo/web/static/vendor/
	@bash scripts/build-assets.sh

system-deps: ## Debian packages the tests need (PostgreSQL server, Chromium for page tests)
	@bash scripts/system-deps.sh

lint: install ## ruff lint + format check, mypy strict on the core
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

# pytest on every core (pytest-xdist; tests that share a module fixture stay on one worker: --dist loadgroup), the
# 15 slowest tests printed at the end. PYTEST_ARGS come last and win: PYTEST_ARGS="-n 0" runs in one process.
PYTEST_WORKERS ?= auto
PYTEST_DEFAULTS := -n $(PYTEST_WORKERS) --dist loadgroup --durations=15

pytest: install system-deps assets ## tests only; PYTEST_ARGS="--backend sqlite -x" for one backend
	$(BIN)/pytest $(PYTEST_DEFAULTS) $(PYTEST_ARGS)

test: lint pytest ## every check: lint, types, tests on SQLite and PostgreSQL

demo: install ## initialise a node in ./demo-home and run the demo
	PALERMO_HOME=$(CURDIR)/demo-home $(BIN)/palermo demo $(DEMO_ARGS)

BENCHES ?= ingest documents names candidates audit synth startup load sharing

bench: install system-deps ## every benchmark (long); JSON results in benchmarks/results/; BENCHES="names" for one
	@set -e; for b in $(BENCHES); do echo "== benchmarks/$$b.py $(BENCH_ARGS)"; $(BIN)/python benchmarks/$$b.py $(BENCH_ARGS); done

lock: ## re-resolve requirements/lock.txt from pyproject.toml (hashed, no index URLs)
	$(UV) pip compile pyproject.toml --extra dev --extra bench --universal --generate-hashes --python-version 3.11 -o requirements/lock.txt

clean:
	rm -rf $(VENV) web/assets/node_modules src/palermo/web/static/vendor tests/web/artifacts .pytest_cache .mypy_cache .ruff_cache demo-home
