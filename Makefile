# chatops.twilio developer entry points. `make demo` and `make test` work on a
# fresh machine with only Python 3.11: the first run builds .venv from the
# pinned requirements-dev.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
PORT ?= 8080
SOAK_RUNS ?= 200

ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
BIN := $(VENV)/bin
BUILD := $(ROOT)/build
COLL := $(BUILD)/ansible_collections/chatops/twilio
DIST := $(BUILD)/dist

export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(BUILD)
export VENV
export COLLECTIONS_ROOT := $(BUILD)
# Keep a user's ansible.cfg or real Twilio credentials out of the test runs.
export ANSIBLE_CONFIG := $(ROOT)/hacking/ansible.cfg

.PHONY: help venv stage units sanity lint galaxy integration molecule reliability soak test demo emulator bench clean

help:
	@echo "make demo       provision dev/stage/prod against the embedded Twilio emulator"
	@echo "make test       everything CI runs: units, sanity, lint, galaxy import, integration, molecule, reliability"
	@echo "make soak       the fault soak at SOAK_RUNS=$(SOAK_RUNS) converges"
	@echo "make emulator   run the emulator in the foreground (PORT=$(PORT))"
	@echo "make bench      request-count and timing benchmarks (figures, not pass/fail)"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

stage: venv
	@$(BIN)/python hacking/stage.py $(ROOT) $(COLL)

units: stage
	cd $(COLL) && PYTHONPATH=$(BUILD):$(COLL)/tests/emulator $(BIN)/python -m pytest -q -p no:cacheprovider tests/unit tests/emulator/tests

sanity: stage
	@$(BIN)/python hacking/pip_bootstrap.py
	cd $(COLL) && ansible-test sanity --python 3.11 --local --requirements --color no

lint: stage
	cd $(COLL) && ansible-lint --offline --nocolor

galaxy: stage
	@rm -rf $(DIST) && mkdir -p $(DIST)
	cd $(COLL) && ansible-galaxy collection build --output-path $(DIST)
	$(BIN)/python hacking/galaxy_import.py $(DIST)/chatops-twilio-*.tar.gz

# One integration run at a time: they share the staged integration_config.yml.
integration: stage
	flock $(BUILD)/.integration.lock hacking/with_emulator.sh --config $(COLL)/tests/integration/integration_config.yml -- \
		bash -c 'cd $(COLL) && ansible-test integration --python 3.11 --local --color no'

# Each scenario by name: `molecule test --all` also looks for a `default` scenario and logs a CRITICAL when there is none.
molecule: stage
	cd $(COLL) && for scenario in extensions/molecule/*/molecule.yml; do \
		scenario=$${scenario%/molecule.yml}; molecule test -s $${scenario##*/}; done

# Fault soak (50 converges at ~30% injected faults), concurrency, bad-input matrix, secret hygiene.
reliability: stage
	cd $(COLL) && $(BIN)/python -m pytest -q -p no:cacheprovider -n 3 -rfxX tests/reliability

soak: stage
	cd $(COLL) && SOAK_RUNS=$(SOAK_RUNS) $(BIN)/python -m pytest -q -p no:cacheprovider -rfxX tests/reliability/test_fault_soak.py

bench: stage
	$(BIN)/python bench/run.py

test: units sanity lint galaxy integration molecule reliability
	@echo "make test: all suites passed"

demo: stage
	bash hacking/demo.sh

emulator: venv
	PYTHONPATH=$(ROOT)/tests/emulator $(BIN)/python -m twilio_emulator --port $(PORT)

clean:
	rm -rf $(BUILD)
