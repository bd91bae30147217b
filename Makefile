# Living Handbook: every target does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SYSTEM_STAMP := $(VENV)/.system-packages
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve test lint validate bench clean publish

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Chromium (it prints the PDFs and runs the browser tests), poppler (to read PDFs) and the Noto
# fonts (every script the PDFs print, Arabic included) come from Debian's packages; Playwright
# never downloads a browser here.
SYSTEM_PACKAGES := chromium poppler-utils fonts-noto-core
$(SYSTEM_STAMP): | $(BIN)/python
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdfinfo >/dev/null || [ ! -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ]; then \
	  for attempt in 1 2 3 4 5; do \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES)) && break; \
	    echo "apt is busy, retrying ($$attempt)"; sleep 10; \
	  done; \
	fi
	@test -x /usr/bin/chromium || { echo "Chromium could not be installed (apt-get install chromium)"; exit 1; }
	touch $@

build: $(STAMP)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict

validate: $(STAMP)
	$(BIN)/handbook validate

# A release, published with mike: `make publish VERSION=1.0.0` builds the handbook as make build does
# (strict, PDFs included) into /1.0.0/ on the pages branch, moves the alias `latest` (mkdocs.yml's
# extra.version.default) to it and sends the site's root there. It commits locally; REMOTE=origin
# (any remote) also pushes. BRANCH is the pages branch.
VERSION ?=
REMOTE ?=
BRANCH ?= gh-pages
MIKE = PATH="$(abspath $(BIN)):$$PATH" HANDBOOK_STRICT=true $(BIN)/mike
MIKE_GIT = --branch $(BRANCH) $(if $(REMOTE),--remote $(REMOTE) --push)

publish: $(STAMP)
	@test -n "$(VERSION)" || { echo "usage: make publish VERSION=1.0.0 [REMOTE=origin] [BRANCH=gh-pages]"; exit 2; }
	$(MIKE) deploy $(MIKE_GIT) --update-aliases $(VERSION) latest
	$(MIKE) set-default $(MIKE_GIT) latest

test: lint $(SYSTEM_STAMP)
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check plugins tests

bench: $(STAMP)
	$(BIN)/python tests/bench/run.py

clean:
	rm -rf site $(VENV)
