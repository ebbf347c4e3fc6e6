# chatops.twilio developer entry points. `make demo` and `make test` work on a
# fresh clone with Python 3.11 (and, for `make test`, pyenv's Python 3.12 and 3.13):
# every environment is built on first use from the pinned files in this checkout.
#
#   .venv            requirements-dev.txt          ansible-core 2.19 / Python 3.11 and every tool
#   .venv-2.20       requirements/ansible-2.20.txt ansible-core 2.20 / Python 3.12 (units, sanity, integration)
#   .venv-2.21       requirements/ansible-2.21.txt ansible-core 2.21 / Python 3.13 (units, sanity, integration)
#   .venv-demo-X.Y   requirements/demo-X.Y.txt     ansible-core + requests only, for `make demo`:
#                                                  2.21 on Python 3.13 when found (less CPU), else 2.19 on 3.11

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
PORT ?= 8080
SOAK_RUNS ?= 200
# The main branch `make check` (changed files) and the changelog fragment check compare with;
# empty: origin/main, else main (see hacking/check_fragments.py).
BASE ?=
BASE_ARG = $(if $(BASE),--base $(BASE))
CHECK_START := $(if $(filter check,$(MAKECMDGOALS)),$(shell date +%s))
# Narrow a run (CONTRIBUTING.md, "Running one test"): TESTS replaces the pytest paths of units-X.Y and
# reliability (pytest options allowed), TARGETS names the integration targets of integration-X.Y.
TESTS ?=
TARGETS ?=

ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
BIN := $(VENV)/bin
BUILD := $(ROOT)/build
COLL := $(BUILD)/ansible_collections/chatops/twilio
DIST := $(BUILD)/dist

# The version matrix: ansible-core X.Y -> controller Python, virtualenv, interpreter.
# Python 3.12 / 3.13 come from pyenv (or PATH); override with PYTHON_3_12=/path/to/python3.12.
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
find_python = $(or $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/$(1).*/bin/python$(1)))),$(shell command -v python$(1) 2>/dev/null))
PYTHON_3_12 ?= $(call find_python,3.12)
PYTHON_3_13 ?= $(call find_python,3.13)
CORE_VERSIONS := 2.19 2.20 2.21
py_2.19 := 3.11
py_2.20 := 3.12
py_2.21 := 3.13
venv_2.19 := $(VENV)
venv_2.20 := $(ROOT)/.venv-2.20
venv_2.21 := $(ROOT)/.venv-2.21
interp_2.20 = $(PYTHON_3_12)
interp_2.21 = $(PYTHON_3_13)

# The demo runs on the newest tested pair it finds.
DEMO_CORE ?= $(if $(PYTHON_3_13),2.21,2.19)
DEMO_PYTHON ?= $(if $(filter 2.21,$(DEMO_CORE)),$(PYTHON_3_13),$(PYTHON))
DEMO_VENV := $(ROOT)/.venv-demo-$(DEMO_CORE)
DEMO_REQUIREMENTS := requirements/demo-$(DEMO_CORE).txt

PIP_INSTALL = python -m pip install --disable-pip-version-check --progress-bar off

export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(BUILD)
export VENV
export COLLECTIONS_ROOT := $(BUILD)
# Keep a user's ansible.cfg or real Twilio credentials out of the test runs.
export ANSIBLE_CONFIG := $(ROOT)/hacking/ansible.cfg

.PHONY: help venv venvs stage units sanity lint galaxy changelog release-notes docs-lint integration molecule reliability ee soak test demo emulator bench toolkit clean \
	check format format-check mypy fragments sanity-changed lint-changed units-check
# units-X.Y, sanity-X.Y and integration-X.Y are pattern rules, which make never applies to .PHONY targets.

help:
	@echo "make demo            provision dev/stage/prod against the embedded Twilio emulator (lean .venv-demo)"
	@echo "make check           before every commit (about a minute): format check, changelog fragment rule and lint,"
	@echo "                     mypy, sanity and ansible-lint on the changed files, unit tests on 2.19"
	@echo "make test            everything CI runs: units, sanity, integration on ansible-core $(CORE_VERSIONS);"
	@echo "                     format, fragments, mypy, lint, changelog, docs-lint, galaxy import + tarball check,"
	@echo "                     ee, molecule, reliability on 2.19, toolkit"
	@echo "make format          reformat the Python code (ruff format, settings in pyproject.toml)"
	@echo "make units-2.21      one suite on one ansible-core (units/sanity/integration-$(subst $() ,|,$(CORE_VERSIONS)))"
	@echo "make soak            the fault soak at SOAK_RUNS=$(SOAK_RUNS) converges"
	@echo "make toolkit         the Serverless Toolkit's API client (npm ci, pinned) deploys the example app to the emulator"
	@echo "make emulator        run the emulator in the foreground (PORT=$(PORT))"
	@echo "make bench           request-count and timing benchmarks (figures, not pass/fail)"

# --- environments -------------------------------------------------------------------------
venv: $(VENV)/.installed
venvs: venv $(venv_2.20)/.installed $(venv_2.21)/.installed

$(VENV)/.installed: requirements-dev.txt
	@echo "make: building .venv (ansible-core 2.19 + development tools) from requirements-dev.txt"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_INSTALL) -r requirements-dev.txt
	@touch $@

$(ROOT)/.venv-%/.installed: requirements/ansible-%.txt
	@test -n "$(interp_$*)" || { echo "make: ansible-core $* needs Python $(py_$*): none under $(PYENV_ROOT)/versions or on PATH; set PYTHON_$(subst .,_,$(py_$*))=/path/to/python$(py_$*)" >&2; exit 1; }
	@echo "make: building .venv-$* (ansible-core $* on Python $(py_$*)) from requirements/ansible-$*.txt"
	@test -x $(ROOT)/.venv-$*/bin/python || $(interp_$*) -m venv $(ROOT)/.venv-$*
	$(ROOT)/.venv-$*/bin/$(PIP_INSTALL) -r requirements/ansible-$*.txt
	@touch $@

# ansible-core and requests, nothing else: what the demo (and a user) needs. pip reports each package.
# With a pip beside $(PYTHON) the venv skips ensurepip and that pip installs into it; bytecode is
# compiled on first import, for the modules the demo uses only; demo-X.Y.txt is a complete pip freeze,
# so pip installs it as listed (--no-deps) without resolving. All three keep the setup to seconds.
$(DEMO_VENV)/.installed: $(DEMO_REQUIREMENTS)
	@echo "demo: one-time setup of $(notdir $(DEMO_VENV)): ansible-core $(DEMO_CORE) and requests on $(DEMO_PYTHON) ($(DEMO_REQUIREMENTS))"
	@start=$$(date +%s); \
	if $(DEMO_PYTHON) -m pip --version >/dev/null 2>&1; then \
		echo "demo: creating the virtualenv"; test -x $(DEMO_VENV)/bin/python || $(DEMO_PYTHON) -m venv --without-pip $(DEMO_VENV); \
		echo "demo: installing $$(grep -c "^[^#]" $(DEMO_REQUIREMENTS)) pinned packages"; \
		$(DEMO_PYTHON) -m pip --python $(DEMO_VENV)/bin/python install --disable-pip-version-check --progress-bar off --no-compile --no-deps -r $(DEMO_REQUIREMENTS); \
	else \
		echo "demo: creating the virtualenv (with its own pip)"; test -x $(DEMO_VENV)/bin/python || $(DEMO_PYTHON) -m venv $(DEMO_VENV); \
		echo "demo: installing $$(grep -c "^[^#]" $(DEMO_REQUIREMENTS)) pinned packages"; \
		$(DEMO_VENV)/bin/$(PIP_INSTALL) --no-compile --no-deps -r $(DEMO_REQUIREMENTS); \
	fi; \
	echo "demo: setup done in $$(( $$(date +%s) - start )) s"
	@touch $@

# Standard library only (no venv needed): a synced copy at build/ansible_collections/chatops/twilio.
stage:
	@$(PYTHON) hacking/stage.py $(ROOT) $(COLL)

# --- the version matrix: units, sanity, integration on every supported ansible-core ---------
units: $(addprefix units-,$(CORE_VERSIONS))
sanity: $(addprefix sanity-,$(CORE_VERSIONS))
integration: $(addprefix integration-,$(CORE_VERSIONS))

# On 2.19 the emulator's own suite and the tests of the hacking/ scripts run too (they need the dev
# tools, not a particular ansible-core).
units-2.19: stage venv
	cd $(COLL) && PYTHONPATH=$(BUILD):$(COLL)/tests/emulator $(BIN)/python -m pytest -q -p no:cacheprovider $(or $(TESTS),tests/unit tests/emulator/tests hacking/test_*.py)

units-%: stage $(ROOT)/.venv-%/.installed
	@echo "== units on ansible-core $$($(venv_$*)/bin/python -c 'from ansible.release import __version__; print(__version__)') / Python $(py_$*)"
	cd $(COLL) && PYTHONPATH=$(BUILD):$(COLL)/tests/emulator $(venv_$*)/bin/python -m pytest -q -p no:cacheprovider $(or $(TESTS),tests/unit)

sanity-2.19: stage venv
	@$(BIN)/python hacking/pip_bootstrap.py
	cd $(COLL) && ansible-test sanity --python 3.11 --local --requirements --color no

sanity-%: stage $(ROOT)/.venv-%/.installed
	@$(venv_$*)/bin/python hacking/pip_bootstrap.py
	cd $(COLL) && PATH=$(venv_$*)/bin:$$PATH $(venv_$*)/bin/ansible-test sanity --python $(py_$*) --local --requirements --color no

# One integration run at a time: they share the staged integration_config.yml.
integration-2.19: stage venv
	flock $(BUILD)/.integration.lock hacking/with_emulator.sh --config $(COLL)/tests/integration/integration_config.yml -- \
		bash -c 'cd $(COLL) && ansible-test integration --python 3.11 --local --color no $(TARGETS)'

integration-%: stage venv $(ROOT)/.venv-%/.installed
	flock $(BUILD)/.integration.lock hacking/with_emulator.sh --config $(COLL)/tests/integration/integration_config.yml -- \
		bash -c 'cd $(COLL) && PATH=$(venv_$*)/bin:$$PATH $(venv_$*)/bin/ansible-test integration --python $(py_$*) --local --color no $(TARGETS)'

# --- the fast lane: `make check` before every commit ------------------------------------------
# The changed files are what the branch (since its merge base with BASE) and the uncommitted work
# change (hacking/changed_files.py). Each part also runs on its own; `make test` runs every check on
# every file (sanity on three ansible-cores, ansible-lint on the whole collection, every unit suite).
check: format-check fragments changelog mypy sanity-changed lint-changed units-check
	@echo "make check: passed in $$(( $$(date +%s) - $(CHECK_START) )) s"
CHANGED = $$($(PYTHON) hacking/changed_files.py $(BASE_ARG))

# ruff's formatter (settings in pyproject.toml) joins string literals that would end up side by side on
# one line, which ansible-test's pylint refuses (implicit-str-concat); `ruff check` (ISC001) names any
# such pair the formatter cannot join, for a fix by hand.
format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check .

format-check: venv
	@$(BIN)/ruff format --check . && $(BIN)/ruff check --no-fix . \
		|| { echo "make: run make format to reformat the files above (it names what needs a hand)" >&2; exit 1; }

# Every change to plugins/, roles/ or playbooks/ carries a changelog fragment (rule: CONTRIBUTING.md).
fragments:
	@$(PYTHON) hacking/check_fragments.py $(BASE_ARG)

# Type hints of the module_utils, the filter plugin and the emulator, checked where the collection's imports resolve.
mypy: stage venv
	cd $(COLL) && MYPYPATH=$(BUILD):$(COLL)/tests/emulator $(BIN)/mypy --cache-dir $(BUILD)/.mypy_cache \
		-p ansible_collections.chatops.twilio.plugins.module_utils -p ansible_collections.chatops.twilio.plugins.modules -p ansible_collections.chatops.twilio.plugins.filter -p twilio_emulator

# ansible-test sanity (2.19) on the files the change touches: its branch and uncommitted work
# (hacking/changed_files.py); `make sanity-2.19` checks every file.
sanity-changed: stage venv
	@files=$(CHANGED); \
	if [ -z "$$files" ]; then echo "make: no changed files, sanity skipped (make sanity-2.19 checks them all)"; exit 0; fi; \
	$(BIN)/python hacking/pip_bootstrap.py; \
	echo "== sanity on ansible-core 2.19 for $$(echo "$$files" | wc -l) changed file(s)"; \
	cd $(COLL) && ansible-test sanity --python 3.11 --local --requirements --color no $$files

# ansible-lint (production profile) on the changed files: playbooks, roles, meta, module EXAMPLES;
# `make lint` lints the whole collection.
lint-changed: stage venv
	@files=$(CHANGED); \
	if [ -z "$$files" ]; then echo "make: no changed files, ansible-lint skipped (make lint checks them all)"; exit 0; fi; \
	echo "== ansible-lint on $$(echo "$$files" | wc -l) changed file(s)"; \
	cd $(COLL) && ansible-lint --offline --nocolor $$files

# The unit tests and the hacking/ scripts' tests on 2.19; the emulator's own conformance suite
# (tests/emulator/tests, 15 s of schemathesis and SDK runs) only when the change touches the emulator.
units-check: stage venv
	@emulator=$$(echo "$(CHANGED)" | grep -q '^tests/emulator/' && echo tests/emulator/tests || true); \
	cd $(COLL) && PYTHONPATH=$(BUILD):$(COLL)/tests/emulator $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/unit hacking/test_*.py $$emulator

# --- once (ansible-core 2.19, the dev venv) --------------------------------------------------
lint: stage venv
	cd $(COLL) && ansible-lint --offline --nocolor

changelog: stage venv
	cd $(COLL) && antsibull-changelog lint

docs-lint: stage venv
	cd $(COLL) && antsibull-docs lint-collection-docs --plugin-docs .

# Fold the fragments in changelogs/fragments into release RELEASE (default: galaxy.yml's version,
# updated in place if it exists) and regenerate CHANGELOG.rst.
RELEASE ?= $(shell sed -n 's/^version: *//p' galaxy.yml)
release-notes: stage venv
	antsibull-changelog release --version $(RELEASE) --update-existing --reload-plugins

# Build the tarball Galaxy gets, check what it holds, and import it as Galaxy would.
galaxy: stage venv
	@rm -rf $(DIST) && mkdir -p $(DIST)
	cd $(COLL) && ansible-galaxy collection build --output-path $(DIST)
	$(BIN)/python hacking/check_tarball.py $(DIST)/chatops-twilio-*.tar.gz
	$(BIN)/python hacking/galaxy_import.py $(DIST)/chatops-twilio-*.tar.gz

# Execution environment: an ansible-builder context for an EE holding the built tarball, and the
# provision playbook through ansible-runner (what AWX runs per job) with the tarball installed.
ee: galaxy
	$(BIN)/python hacking/ee_check.py --tarball $(DIST)/chatops-twilio-*.tar.gz --build $(BUILD)/ee

# Each scenario by name: `molecule test --all` also looks for a `default` scenario and logs a CRITICAL when there is none.
molecule: stage venv
	cd $(COLL) && for scenario in extensions/molecule/*/molecule.yml; do \
		scenario=$${scenario%/molecule.yml}; molecule test -s $${scenario##*/}; done

# Fault soak (50 converges at ~30% injected faults), concurrency, bad-input matrix, secret hygiene.
reliability: stage venv
	cd $(COLL) && $(BIN)/python -m pytest -q -p no:cacheprovider -n 3 -rfxX $(or $(TESTS),tests/reliability)

soak: stage venv
	cd $(COLL) && SOAK_RUNS=$(SOAK_RUNS) $(BIN)/python -m pytest -q -p no:cacheprovider -rfxX tests/reliability/test_fault_soak.py

bench: stage venv
	$(BIN)/python bench/run.py

# Toolkit conformance: the Serverless Toolkit's own API client (@twilio-labs/serverless-api, pinned by
# tests/toolkit/package-lock.json, installed locally by npm ci: no global install) deploys
# examples/chat-status-app to the emulator and lists it back. Needs Node.js 20+ and npm.
TOOLKIT := $(ROOT)/tests/toolkit
$(TOOLKIT)/node_modules/.installed: $(TOOLKIT)/package.json $(TOOLKIT)/package-lock.json
	@command -v npm >/dev/null || { echo "make: the Toolkit conformance test needs Node.js 20+ and npm on PATH" >&2; exit 1; }
	cd $(TOOLKIT) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

toolkit: venv stage $(TOOLKIT)/node_modules/.installed
	cd $(TOOLKIT) && PYTHONPATH=$(ROOT)/tests/emulator $(BIN)/python -m pytest -q -p no:cacheprovider $(or $(TESTS),test_toolkit.py)

# One suite after the other, each timed: CI must stay under 45 minutes on a fresh 2-core machine,
# and the times show which suite grew (a failing suite stops the run, as before).
TEST_SUITES := format-check fragments mypy units sanity lint changelog docs-lint galaxy ee integration molecule reliability toolkit
test:
	@start=$$(date +%s); \
	for suite in $(TEST_SUITES); do \
		began=$$(date +%s); \
		$(MAKE) --no-print-directory $$suite; \
		echo "make test: $$suite passed in $$(( $$(date +%s) - began )) s"; \
	done; \
	echo "make test: all suites passed (ansible-core $(CORE_VERSIONS)) in $$(( $$(date +%s) - start )) s"

# The demo needs only ansible-core and requests, not the development environment.
demo: stage $(DEMO_VENV)/.installed
	VENV=$(DEMO_VENV) bash hacking/demo.sh

emulator:
	PYTHONPATH=$(ROOT)/tests/emulator $(PYTHON) -m twilio_emulator --port $(PORT)

clean:
	rm -rf $(BUILD)
