# The two commands that matter on a fresh machine: `make deck` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
# axe-core, the accessibility checker the website's tests run in Chromium (tests only)
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe-core-$(AXE_VERSION)/axe.min.js

.PHONY: deck test check fuzz docs clean bench browser fonts

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TESTSTAMP): pyproject.toml $(AXE) | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@ $(STAMP)

$(AXE): | $(BIN)/python
	rm -rf $(VENV)/axe-core-$(AXE_VERSION) $(VENV)/axe-pack && mkdir -p $(VENV)/axe-pack
	cd $(VENV)/axe-pack && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz
	mv $(VENV)/axe-pack/package $(VENV)/axe-core-$(AXE_VERSION) && rm -rf $(VENV)/axe-pack

deck: $(STAMP)
	$(BIN)/kaartspel check
	$(BIN)/kaartspel build
	$(BIN)/kaartspel site

# Chromium for the browser tests first: installed when missing and allowed, else a stop at
# once with the command to run (tools/need-browser.sh). The Noto fonts of the shaping tests
# next (tools/need-fonts.sh; without them, and no right to install, those tests skip).
test: browser
	@$(MAKE) --no-print-directory fonts $(TESTSTAMP)
	$(BIN)/pytest

browser:
	@sh tools/need-browser.sh

fonts:
	@sh tools/need-fonts.sh

check: $(TESTSTAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy

fuzz: $(TESTSTAMP)
	KAARTSPEL_FUZZ_EXAMPLES=2000 $(BIN)/pytest tests/test_fuzz.py tests/test_fuzz_text.py

docs: $(TESTSTAMP)
	$(BIN)/python tools/render_docs.py
	$(BIN)/python tools/screenshot_site.py

clean:
	rm -rf $(VENV) output/*

bench: $(TESTSTAMP)
	$(BIN)/python bench/run.py
