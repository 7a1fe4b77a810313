# Two commands on a fresh machine: `make run` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
CORPUS ?= ../shared/corpus/seeds

.PHONY: install run test lint bench evaluate record-evaluation fuzz clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Python 3.11 or newer is needed as '$(PYTHON)' (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@# The methodology page shows measured extraction quality, on each corpus that is here.
	@$(MAKE) --no-print-directory record-evaluation
	@echo "Serving http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# The long hostile-input run: thousands of generated cases per property (CI runs 200).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m fuzz -p no:cacheprovider $(PYTEST_ARGS)

evaluate: install
	$(BIN)/python manage.py evaluate_extraction $(CORPUS) --gold $(CORPUS)/gold.jsonl

# Measure, then store the figures the methodology page shows (not typed in: measured):
# on the seeds and the dev set of real news the rules were developed on, and on a blind set
# written without seeing them. A corpus that is not there is left out.
DEV ?= ../shared/corpus/dev
BLIND ?= tests/extraction/blind
BLIND2 ?= tests/extraction/blind2
BLIND3 ?= tests/extraction/blind3
SEEDS_ABOUT := the seed articles the rules were developed on
DEV_ABOUT := real news the rules were developed on (developed-on: figures overstate quality on new text)
BLIND_ABOUT := held out: articles written blind to the rules, never used to tune them
BLIND2_ABOUT := held out: a second set written blind to the rules (ten outlets' styles), never used to tune them
BLIND3_ABOUT := held out: a third set written blind to the rules (Asia, the Balkans, transcripts, a fact-check), never used to tune them
# $(call record,CORPUS,NAME,DESCRIPTION)
define record
	@if [ -f $(1)/gold.jsonl ]; then \
		$(BIN)/python manage.py evaluate_extraction $(1) --gold $(1)/gold.jsonl \
			--json bench-results/evaluation-$(2).json > /dev/null && \
		$(BIN)/python manage.py record_evaluation bench-results/evaluation-$(2).json \
			--description "$(3)"; \
	else echo "$(1)/gold.jsonl is not here: not recorded"; fi
endef
record-evaluation: install
	@mkdir -p bench-results
	$(call record,$(CORPUS),seeds,$(SEEDS_ABOUT))
	$(call record,$(DEV),dev,$(DEV_ABOUT))
	$(call record,$(BLIND),blind,$(BLIND_ABOUT))
	$(call record,$(BLIND2),blind2,$(BLIND2_ABOUT))
	$(call record,$(BLIND3),blind3,$(BLIND3_ABOUT))

bench: install
	@mkdir -p bench-results
	@set -e; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles bench-results
