# The two commands: `make run` and `make test`. Both install what they need into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install fonts test lint run bench clean messages

install: $(STAMP)

# constraints.txt pins every dependency's version, so CI installs what was tested.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

test: lint fonts
	$(BIN)/pytest

run: install fonts
	@$(BIN)/python -m bot start

# The Chinese catalog (README, "Languages"): the messages marked with tr() and ntr() are
# extracted, merged into the .po (translate the new ones there), and compiled to the .mo.
LOCALES := bot/i18n/locales
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords -k tr:2 -k ntr:2,3 -k said:1 \
	  -c TRANSLATORS: --add-location=file --sort-output --project=ExportWatch \
	  -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel -q update -i $(LOCALES)/messages.pot -d $(LOCALES) -D messages -l zh \
	  --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(LOCALES) -D messages -l zh --statistics

# Charts in Chinese need a CJK font: Noto Sans CJK SC, from Debian's fonts-noto-cjk (README,
# "Languages"). Installed here when it is missing and this is root on Debian (CI, the project's
# machines); elsewhere the command to run is printed, and the Chinese charts' test is skipped
# outside CI (in CI it fails).
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
fonts:
	@if [ -f $(CJK_FONT) ] || fc-list 2>/dev/null | grep -q "Noto Sans CJK SC"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing fonts-noto-cjk (Noto Sans CJK SC, for charts in Chinese)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null \
	  || { apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null; } \
	  || echo "Could not install fonts-noto-cjk: charts in Chinese will lack their glyphs" >&2; \
	else \
	  echo "Charts in Chinese need Noto Sans CJK SC: sudo apt-get install fonts-noto-cjk" >&2; \
	fi

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .import_linter_cache
