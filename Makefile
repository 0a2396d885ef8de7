# listenlens developer entry points. Two of them are the README's set-up commands:
#   make example   builds .venv if needed, then analyses the bundled example corpus into out/example
#   make test      builds .venv if needed, installs headless Chromium if it can (make browser),
#                  then runs the whole test suite
# The virtual environment is rebuilt only when pyproject.toml or the constraints change.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.listenlens-installed
OUT    ?= out/example
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: example test quick browser venv lint docs bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	# torch first, pinned: this takes the CPU wheel; an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $(STAMP)

example: $(STAMP)
	$(BIN)/listenlens analyse corpora/examples/riverside --out $(OUT)

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

# the quick loop while working: everything but the tests marked slow (model loads, theme fits)
quick: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow"

# Headless Chromium for tests/test_render_browser.py, from the Debian package: installed when it is
# missing and we are root with apt-get; otherwise a note. The tests only look for it (skip when
# missing, fail when CI is set), so a machine without it still runs everything else.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	    || [ -n "$$LISTENLENS_CHROMIUM" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing headless Chromium (apt-get install -y chromium)"; \
	    { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	    || echo "note: could not install Chromium; the browser tests will skip (fail in CI)"; \
	else \
	    echo "note: headless Chromium is not installed; the browser tests will skip (fail in CI)."; \
	    echo "      install it with: sudo apt-get install -y chromium"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out build dist .pytest_cache
