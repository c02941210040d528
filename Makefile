# nianbao — every target works on a fresh machine: the venv is made on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SEEDS ?=

.PHONY: setup system-deps demo test crawl eval bench fuzz browse lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium and its lean headless shell (JavaScript lists) and CJK fonts (PDF fixtures),
# when missing and apt is there.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromium-headless-shell >/dev/null 2>&1 \
	    || ! ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-headless-shell fonts-noto-cjk >/dev/null; \
	  else echo "warning: chromium / fonts-noto-cjk missing and no apt-get"; fi; \
	fi

setup: $(STAMP) system-deps

demo: setup
	$(PY) -m tests.e2e.demo

test: setup
	$(PY) -m pytest -q

crawl: setup
	@if [ -z "$(SEEDS)" ]; then echo "usage: make crawl SEEDS=seeds/xxx.csv"; exit 2; fi
	@mkdir -p data
	DATABASE_URL=$${DATABASE_URL:-sqlite:///data/nianbao.db} $(VENV)/bin/scrapy crawl reports -a seeds=$(SEEDS)

eval: setup
	$(PY) -m tests.eval.extract
	$(PY) -m tests.eval.parse
	$(PY) -m tests.eval.discovery

bench: setup
	$(PY) -m bench.run

fuzz: setup
	NIANBAO_FUZZ_LONG=1 $(PY) -m pytest tests/reliability -q
	$(PY) -m tests.reliability.report

browse: setup
	$(VENV)/bin/datasette $${DB:-data/nianbao.db} --metadata datasette/metadata.yml

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf data/demo.db* data/jobs .pytest_cache
