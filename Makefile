# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= kg-store

.PHONY: install demo test bench clean

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

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
