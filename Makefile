# Descent Lab: `make run` starts the app, `make test` runs every test, `make bench` prints the benchmarks.
# `make serve REPLICAS=3` runs several app processes behind nginx (README "Deploy for a school").
# Each target creates .venv and installs what it needs on first use (Python 3.11+ as `python3`).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
REPLICAS ?= 3

.PHONY: run serve test bench lint chromium nginx clean

run: $(VENV)/.runtime
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

serve: $(VENV)/.runtime nginx
	$(PY) -m deploy.serve --replicas $(REPLICAS) --port $(PORT)

# Every test: the unit and page tests on both cores (pytest-xdist), then the browser tests (one server and one
# Chromium, in order: two of each would fight over two cores and make timings flaky).
test: $(VENV)/.dev $(VENV)/.torch chromium nginx
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n 2 --ignore=tests/e2e
	$(PY) -m pytest tests/e2e

bench: $(VENV)/.dev chromium
	$(PY) -m benchmarks

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# torch for the parity tests (engine vs torch.optim, the PyTorch snippets): pip takes torch 2.13.0 as the CPU
# wheel that lies on this kind of machine's disk (pip's find-links; PyPI's default torch is a multi-GB CUDA
# build), and its small pure-Python dependencies from the index.  No fallback: the torch tests never skip.
$(VENV)/.torch: | $(VENV)/bin/python
	$(PY) -m pip install --quiet "torch==2.13.0"
	touch $@

# A Chromium for the browser tests: Debian's when present, apt's when we are root, else Playwright's download.
chromium: $(VENV)/.dev
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: using /usr/bin/chromium"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		$(PY) -m playwright install chromium; \
	fi

# nginx for `make serve` and the replica tests: the installed one when present, Debian's package when we are root.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then \
		echo "nginx: using $$(command -v nginx || echo /usr/sbin/nginx)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else \
		echo "nginx is needed: ask the machine's administrator for 'apt-get install -y nginx'" >&2; exit 1; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
