# regelgraf — every set-up step is a dependency, so `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c 'import hashlib,sys;print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:12])')
STORE  := instance/store
BUILT  := instance/.built
SOURCES := $(shell find data ontology -type f \( -name '*.yaml' -o -name '*.ttl' \) 2>/dev/null)

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test venv data system clean bench help

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

# Debian packages the tests use: Graphviz (SVG export) and Chromium (browser tests).
system:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Rebuilt whenever a shipped source file changes; the store keeps graphs of other sources.
$(BUILT): $(STAMP) $(SOURCES)
	$(BIN)/regelgraf --store $(STORE) build
	touch $@

data: $(BUILT)

run: $(BUILT)
	$(BIN)/regelgraf --store $(STORE) serve --host 127.0.0.1 --port 5000

test: $(STAMP) system
	$(BIN)/pytest

clean:
	rm -rf $(VENV) instance
