# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= kg-store

.PHONY: install demo test system-deps virtuoso bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/kg --store $(STORE) build seeds/
	$(BIN)/kg --store $(STORE) query partners --param entity=Stellantis
	$(BIN)/kg --store $(STORE) query evidence --param entity=Stellantis
	$(BIN)/kg --store $(STORE) lookup Stellantis

test: install system-deps virtuoso
	$(BIN)/python -m pytest -q

# Graphviz and Debian's Chromium, which the export and server tests open their output with.
system-deps:
	@sh tests/install-system-deps.sh || echo "warning: could not install graphviz/chromium; the tests that need them will skip" >&2

# Virtuoso Open Source, the remote SPARQL store the remote-store tests build into.
virtuoso:
	@sh tests/install-virtuoso.sh || echo "warning: could not install Virtuoso; the remote-store tests will skip" >&2

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
