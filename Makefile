# The two commands: `make run` and `make test`. Both install what they need into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint run bench clean messages

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

test: lint
	$(BIN)/pytest

run: install
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

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .import_linter_cache
