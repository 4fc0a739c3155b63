# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOG := $(VENV)/install.log

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "moatscope needs Python 3.11 or newer (set PYTHON=...)")'
	@echo "Setting up $(VENV) (once; the log is in $(LOG))..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --upgrade pip > $(LOG) 2>&1 || { cat $(LOG); exit 1; }
	@$(BIN)/python -m pip install -e '.[dev]' >> $(LOG) 2>&1 || { cat $(LOG); exit 1; }
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/moatscope $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist worksteal -q

BENCH_STAMP := $(VENV)/.bench-stamp

# The bench extra: VisiData, which make bench measures beside moatscope on the same companies.
$(BENCH_STAMP): $(STAMP)
	@$(BIN)/python -m pip install -e '.[dev,bench]' >> $(LOG) 2>&1 || { cat $(LOG); exit 1; }
	@touch $(BENCH_STAMP)

# Every goal at 10k, 50k and 100k companies (ARGS="--sizes 10000" or ARGS=--quick for less).
bench: $(BENCH_STAMP)
	$(BIN)/python -m tests.benchmarks $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check tui store tests
	$(BIN)/ruff format --check tui store tests

clean:
	rm -rf $(VENV) build *.egg-info
