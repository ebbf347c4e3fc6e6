# chatops.twilio developer entry points. `make demo` and `make test` work on a
# fresh machine with only Python 3.11: the first run builds .venv from the
# pinned requirements-dev.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
PORT ?= 8080

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

.PHONY: help venv stage units sanity lint galaxy integration molecule test demo emulator bench soak clean

help:
	@echo "make demo       provision dev/stage/prod against the embedded Twilio emulator"
	@echo "make test       everything CI runs: units, sanity, lint, galaxy import, integration, molecule, soak"
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
	cd $(COLL) && ansible-lint --offline

galaxy: stage
	@rm -rf $(DIST) && mkdir -p $(DIST)
	cd $(COLL) && ansible-galaxy collection build --output-path $(DIST)
	$(BIN)/python hacking/galaxy_import.py $(DIST)/chatops-twilio-*.tar.gz

integration: stage
	hacking/with_emulator.sh --config $(COLL)/tests/integration/integration_config.yml -- \
		bash -c 'cd $(COLL) && ansible-test integration --python 3.11 --local --color no'

molecule: stage
	hacking/with_emulator.sh -- bash -c 'cd $(COLL)/extensions && molecule test --all'

test: units sanity lint galaxy integration molecule
	@echo "make test: all suites passed"

demo: stage
	bash hacking/demo.sh

emulator: venv
	PYTHONPATH=$(ROOT)/tests/emulator $(BIN)/python -m twilio_emulator --port $(PORT)

clean:
	rm -rf $(BUILD)
