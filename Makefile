# regelgraf — every set-up step is a dependency, so `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c 'import hashlib,sys;print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:12])')
STORE  := instance/store
BUILT  := instance/.built
SOURCES := $(shell find data ontology -type f \( -name '*.yaml' -o -name '*.ttl' \) 2>/dev/null)

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test venv data system assets clean bench help

help:
	@echo "make run    - set up, build the shipped data if needed, serve http://127.0.0.1:5000"
	@echo "make test   - set up and run the whole test suite"
	@echo "make data   - (re)build the shipped data into $(STORE)"
	@echo "make assets - install the pinned npm libraries and copy what pages load into $(VENDOR)"
	@echo "make clean  - remove the virtualenv and the local store"
	@echo "make bench  - the benchmark suite (docs/performance.md): prints a table, writes bench/results/*.json"

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

# Front-end libraries come from npm, pinned by package-lock.json; pages load them from
# webui/static/vendor/ (gitignored), so nothing is fetched from a CDN at run time.
NPM_STAMP := node_modules/.regelgraf-installed
VENDOR    := webui/static/vendor
VENDOR_FILES := @zazuko/yasgui/build/yasgui.min.js @zazuko/yasgui/build/yasgui.min.css \
	cytoscape/dist/cytoscape.min.js cytoscape-dagre/dist/cytoscape-dagre.min.js
VENDOR_PACKAGES := @zazuko/yasgui cytoscape cytoscape-dagre

# `npm ci` whenever node_modules is missing or the lock file (or package.json) changed.
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "installing Debian's nodejs and npm"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(VENDOR)/.copied: $(NPM_STAMP) Makefile
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	@for f in $(VENDOR_FILES); do cp node_modules/$$f $(VENDOR)/; done
	@for p in $(VENDOR_PACKAGES); do \
	  node -e 'const p=require("./node_modules/"+process.argv[1]+"/package.json");console.log(p.name+" "+p.version+" — "+p.license)' $$p; \
	  for l in node_modules/$$p/LICENSE*; do [ -f "$$l" ] && { echo; cat "$$l"; echo; }; done; echo; \
	done > $(VENDOR)/LICENSES.txt
	touch $@

assets: $(VENDOR)/.copied

run: $(BUILT) assets
	$(BIN)/regelgraf --store $(STORE) serve --host 127.0.0.1 --port 5000

test: $(STAMP) system assets
	$(BIN)/pytest

clean:
	rm -rf $(VENV) instance node_modules $(VENDOR)

# The benchmark suite of docs/performance.md: a Markdown table on stdout, JSON in bench/results/
# (gitignored). Never part of `make test`; BENCH_ARGS passes options, e.g. BENCH_ARGS=--quick.
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
