# storydiff: `make demo` and `make test` each set up everything on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test quality bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

test: $(STAMP)
	scripts/ensure-postgres
	$(BIN)/python -m pytest -n 2 -q

quality: $(STAMP)
	$(BIN)/python -m pytest -q -m quality tests/quality

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py
	$(BIN)/python benchmarks/bench_compare.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_cluster_scale.py
	$(BIN)/python benchmarks/bench_store_scale.py
	$(BIN)/python benchmarks/bench_stream.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
