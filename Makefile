# regelgraf — every set-up step is a dependency, so `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c 'import hashlib,sys;print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:12])')
STORE  := instance/store
BUILT  := instance/.built
SOURCES := $(shell find data ontology -type f \( -name '*.yaml' -o -name '*.ttl' \) 2>/dev/null)

.PHONY: run test venv data clean bench help

help:
	@echo "make run    - set up, build the shipped data if needed, serve http://127.0.0.1:5000"
	@echo "make test   - set up and run the whole test suite"
	@echo "make data   - (re)build the shipped data into $(STORE)"
	@echo "make clean  - remove the virtualenv and the local store"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

# Rebuilt whenever a shipped source file changes; the store keeps graphs of other sources.
$(BUILT): $(STAMP) $(SOURCES)
	$(BIN)/regelgraf --store $(STORE) build
	touch $@

data: $(BUILT)

run: $(BUILT)
	$(BIN)/regelgraf --store $(STORE) serve --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) instance
