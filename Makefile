# Two commands on a fresh Debian machine: `make demo`, then `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VNPLAN := $(VENV)/bin/vnplan
# libreoffice-writer-nogui: legacy Word (.doc) input, converted headless (pipeline/read/engines/libreoffice.py).
# fonts-liberation2, fonts-croscore: Times New Roman's metric twins, for the post-OCR channel's training renders.
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 \
                fonts-croscore poppler-utils chromium wrk libreoffice-writer-nogui
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120
export OMP_THREAD_LIMIT := 1

.PHONY: demo test install system-deps python-deps bytecode lint samples bench accuracy clean

demo: install
	$(VNPLAN) ingest samples/ samples/real/docs --out outputs/

test: install
	$(PY) -m pytest -q

install: system-deps python-deps bytecode

# Every vnplan process (the CLI, each OCR and document worker) imports the pipeline; compiled once
# here, it skips ~0.2 s of compiling per process where PYTHONDONTWRITEBYTECODE is set.
bytecode: python-deps
	$(PY) -m compileall -q -j 0 pipeline extractors normalizers flows.py

# Installs the Debian packages that are missing (as root, or through sudo).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The virtual environment is rebuilt only when pyproject.toml changes.
python-deps: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

# ruff (rules and format), the type checker, and the layers contract (pyproject.toml [tool.importlinter]).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

samples: install
	$(PY) samples/make_samples.py

bench: install
	$(PY) bench/run.py

# The accuracy tables in the README: samples and held-out plans, scored against their gold.
accuracy: install
	$(PY) bench/accuracy.py samples
	$(PY) bench/accuracy.py heldout
	$(PY) bench/accuracy.py heldout2
	$(PY) bench/accuracy.py real

clean:
	rm -rf outputs/* .pytest_cache
