# PIMMS assistant. `make run` and `make test` do their own set-up (virtualenv, install, training).
SHELL := /bin/bash
.DEFAULT_GOAL := help
-include .env
export

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
MODEL     := models/pimms.tar.gz
TRAIN_INPUTS := config.yml $(shell find domain data -name '*.yml' 2>/dev/null)
PYTHON310 = $(shell scripts/find-python310.sh)

.PHONY: help install train run test test-unit test-moments test-stack test-failover shell validate lint eval reminders-report kb-review kb-generate \
        telegram-webhook clean bench bench-growth languages-report optout-eval mutation multiturn-eval

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(PY):
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 supports < 3.11) and was not found on PATH nor through pyenv."; \
	  echo "Install it (e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv') and retry."; \
	  exit 1; fi
	@echo ">>> Creating $(VENV) with $(PYTHON310)"
	@$(PYTHON310) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	@echo ">>> Installing pinned dependencies (requirements.lock); the first time takes a few minutes"
	@$(PY) -m pip install --quiet --upgrade "pip==24.2"
	@$(PY) -m pip install --progress-bar on -r requirements.lock
	@$(PY) -m pip check
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies (only when the lock changed)

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	@echo ">>> Training the model (only because data or config changed)"
	@$(PY) -c "from bot.ops.training import train; train()"
	@touch $(MODEL)

train: $(MODEL) ## Train the model when data, domain or config changed

run: $(MODEL) ## Start Redis (REDIS_URL or embedded), action server, Rasa server, console and worker
	@$(PY) -m bot.ops.runner

shell: $(MODEL) ## Chat with the assistant in the terminal
	@$(PY) -m bot.ops.shell

validate: $(STAMP) ## Check the training data and domain (rasa data validate)
	@RASA_TELEMETRY_ENABLED=false $(PY) -m rasa data validate --domain domain --data data --config config.yml

LINT_PATHS := bot actions channels components stores tests bench

lint: $(STAMP) ## Ruff (lint and format) and mypy (strict for bot/ and channels/)
	@$(PY) -m ruff check $(LINT_PATHS)
	@$(PY) -m ruff format --check $(LINT_PATHS)
	@$(PY) -m mypy bot actions channels components stores

test-unit: $(STAMP) ## Fast tests: no model, no Rasa server
	@$(PY) -m pytest tests/unit -q

test: $(STAMP) ## All tests: lint and types, unit, data validation, then the stack (real Redis, real servers)
	@echo ">>> Lint, format and types"
	@$(MAKE) --no-print-directory lint
	@echo ">>> Unit tests"
	@$(PY) -m pytest tests/unit -q; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ] || exit $$rc
	@echo ">>> Data validation"
	@$(MAKE) --no-print-directory validate
	@$(MAKE) --no-print-directory train
	@$(FAKETIME_INSTALL)
	@echo ">>> Integration tests (real Redis, real servers, the stack at a pinned moment)"
	@$(PY) -m pytest tests/integration -q; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ] || exit $$rc

# The stack tests run at a pinned moment under libfaketime (tests/integration/stack_clock.py).
FAKETIME_INSTALL = command -v faketime >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; } || true

test-moments: $(STAMP) ## Unit + clock-sensitive stack tests at 8 moments (Saturday night, DST nights, Monday 15:47...)
	@$(FAKETIME_INSTALL)
	@$(MAKE) --no-print-directory train
	@scripts/test-moments.sh

test-stack: $(MODEL) ## Only the integration tests (the running stack; PIMMS_STACK_MOMENT pins another moment)
	@$(FAKETIME_INSTALL)
	@$(PY) -m pytest tests/integration -q

test-failover: $(STAMP) ## Redis primary killed under Sentinel, one of two nodes killed behind nginx: nothing lost or doubled
	@$(MAKE) --no-print-directory train
	@rm -f var/failover.jsonl
	@env -u REDIS_URL PIMMS_FAILOVER_REPORT=$(CURDIR)/var/failover.jsonl $(PY) -m pytest tests/failover -q
	@echo ">>> Failover figures (var/failover.jsonl)"; cat var/failover.jsonl

bench: $(MODEL) ## Compare with stock Rasa's starter bot (latency, throughput, memory, training): docs/benchmarks.md
	@$(PY) bench/compare.py

bench-growth: $(MODEL) ## Turn cost at messages 1, 10, 100, 300 of one conversation (goal: 300th <= 1.2x the 10th)
	@env -u REDIS_URL $(PY) bench/turn_growth.py

reminders-report: $(STAMP) ## Simulated year of deadline reminders (200 residents, real Redis): docs/reminders.md
	@$(PY) bench/reminders_year.py

eval: $(STAMP) ## NLU evaluation report (held-out split, cross-validation, default pipeline comparison)
	@$(PY) bench/eval_nlu.py

multiturn-eval: $(MODEL) ## Held-out multi-turn conversations played on the stack: docs/nlu-eval.md (goal >= 90 %)
	@$(PY) bench/multiturn_eval.py

# py3langid is measured, not used: installed outside the virtualenv (no dependency change, pip check unaffected).
PY3LANGID := py3langid==0.3.0
languages-report: $(STAMP) ## Language routing on the held-out set, candidates compared: docs/languages.md
	@[ -d var/bench/pylib/py3langid ] || $(PY) -m pip install --quiet --no-deps --target var/bench/pylib "$(PY3LANGID)" \
	  || echo ">>> py3langid not installed: the report leaves it out"
	@$(PY) bench/eval_language.py

optout-eval: $(STAMP) ## Opt-out decision on the labelled SMS set: recall and precision into docs/security.md
	@$(PY) bench/optout_eval.py

mutation: $(STAMP) ## Mutation check of the opt-out, danger, security, privacy, admission modules (slow; not in test)
	@$(PY) bench/mutation.py

kb-review: $(STAMP) ## List knowledge-base answers past their review date
	@$(PY) -m bot kb-review

kb-generate: $(STAMP) ## Regenerate Rasa FAQ data from kb/
	@$(PY) -m bot.kb.generate

telegram-webhook: $(STAMP) ## Register the Telegram webhook (needs TELEGRAM_* and PUBLIC_BASE_URL)
	@$(PY) -m bot telegram-webhook

clean: ## Remove the model, caches and runtime files (keeps .venv)
	rm -rf models .rasa results var/credentials.yml
