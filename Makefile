# liqlearn: two commands on a fresh machine with Python 3.11+
#   make book   -> builds the site into _build/html
#   make test   -> runs every test (package, chapters, built HTML, browser)
# Everything is installed into .venv from the one lock file requirements/lock.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
LOCK   := requirements/lock.txt
JB_FLAGS := -W -n --keep-going
# Worked solutions call liqlearn.check; in builds and tests a failing check raises.
export LIQLEARN_STRICT_CHECKS := 1

.PHONY: all book test test-package test-site test-editions test-fast student pdf student-pdf handout vendor venv chromium node npm poppler lab clean clean-cache benchmarks help

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

help:
	@echo "make book     build the site into _build/html (creates .venv)"
	@echo "make test     run every test: package, chapters, built site, browser"
	@echo "make student  build the student edition (no solutions) into _build/student/html"
	@echo "make pdf      the book as one PDF: _build/pdf/liqlearn.pdf (after make book: no re-execution)"
	@echo "make student-pdf  the student edition as one PDF: _build/pdf/liqlearn-student.pdf"
	@echo "make handout  the student notebooks in a zip for a course system: _build/handout/"
	@echo "make lab      open the chapters as notebooks in JupyterLab"
	@echo "make clean    remove _build (keeps .venv)"

venv: $(STAMP)

# Reinstall only when the lock file or the package metadata changes.  uv (the installer,
# pinned here; from PyPI) installs the lock in seconds where pip takes a minute; the venv
# keeps pip for whoever wants it.  --compile-bytecode: uv leaves the .pyc files out by
# default and every Python process (24 kernels in a book build) then compiles its imports.
UV_VERSION := 0.13.9
$(STAMP): $(LOCK) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(PY) -r $(LOCK)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(PY) --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Self-hosted web assets: MathJax, the icon sources, a symbol font (npm pack; not committed).
vendor: $(STAMP) npm
	@$(PY) tools/vendor.py

# Strict build with jupyter-cache.  prepare.py keys the cache to liqlearn/ and, after a
# failed or interrupted build, makes Sphinx re-read every page so warnings come back.
book: $(STAMP) vendor
	@$(PY) tools/prepare.py
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@$(PY) tools/prepare.py --succeeded
	@echo ""
	@echo "Built: open $(CURDIR)/_build/html/index.html"

# The student edition: its own build folder, the book's execution cache (after `make book`
# nothing runs again); tools/student.py removes the solutions and runs prepare.
student: book
	$(PY) tools/student.py

# The print editions: a single-page build (the book's execution cache: run `make book`
# first or the chapters execute here) printed by Debian's chromium.
pdf: book chromium
	$(PY) tools/pdf.py

# (after the student edition's site: the two builds share _build/student)
student-pdf: student chromium
	$(PY) tools/pdf.py --student

# The student notebooks (no solutions) and a README for instructors, in one zip.
handout: $(STAMP)
	$(PY) tools/handout.py

# Debian's chromium for the browser test (never `playwright install`).
chromium:
	@test -x /usr/bin/chromium || { echo "installing Debian chromium"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Debian's nodejs for the JavaScript twin's tests (Node runs the generated formulas).
node:
	@command -v node >/dev/null || { echo "installing Debian nodejs"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs >/dev/null; }

# Debian's npm (npm pack takes the site's web assets from the npm registry).
npm:
	@command -v npm >/dev/null || { echo "installing Debian npm"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }

# Debian's poppler-utils (pdftotext, pdfinfo) for the PDF tests.
poppler:
	@command -v pdftotext >/dev/null || { echo "installing Debian poppler-utils"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils >/dev/null; }

# Three lines of work on two cores: the package's tests (doctests included) run while the
# book builds; then the site's and the browser's tests (markers `book`, `browser`) run while
# the student edition and the two PDFs build, whose own tests (`editions`) come last.
# LIQLEARN_REQUIRE_BUILD=1: a missing build or tool fails a test instead of skipping it.
PYTEST := LIQLEARN_REQUIRE_BUILD=1 $(PY) -m pytest -p no:cacheprovider
test: $(STAMP) vendor chromium node npm poppler
	@$(MAKE) --no-print-directory -j3 --output-sync=line test-package test-site test-editions

test-package: $(STAMP) node
	$(PYTEST) -q -m "not book and not browser and not editions"

test-site: book chromium node
	$(PYTEST) -q -n 2 -m "(book or browser) and not editions"

test-editions: student pdf student-pdf poppler
	$(PYTEST) -q -m "editions"

# Package tests only (no site build, no browser): the quick loop while coding.
test-fast: $(STAMP)
	$(PY) -m pytest -n 2 -m "not book and not browser and not editions"

# JupyterLab on the chapters (MyST .md files open as notebooks through jupytext).
lab: $(STAMP)
	$(BIN)/jupytext-config set-default-viewer >/dev/null 2>&1 || true
	$(BIN)/jupyter lab book/

benchmarks: $(STAMP)
	$(PY) benchmarks/kernels.py
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/explorers.py
	$(PY) benchmarks/build.py

clean:
	rm -rf _build

clean-cache:
	rm -rf _build/.jupyter_cache
