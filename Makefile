# The two commands: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install clean sysdeps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,bench,watermark]"
	$(BIN)/pip install -q --no-deps invisible-watermark==0.2.0
	touch $(STAMP)

install: $(STAMP)

# The demo screens the bundled examples (examples/README.md) with the default pack into a fresh SQLite store,
# so the enforcement ladder sees each account's history; review, appeal and audit commands then work on it.
DEMO_DB := out/demo.db
demo: $(STAMP)
	@mkdir -p out
	@rm -f $(DEMO_DB)
	$(BIN)/brightline screen examples/demo.jsonl -o out/decisions.jsonl --db sqlite:///$(DEMO_DB) --explain 6
	@echo "Decisions: out/decisions.jsonl   store: $(DEMO_DB)   next: $(BIN)/brightline --help"

# System tools the media tests and writers use: exiftool and ffmpeg (independent readers/writers for fixtures,
# video overlays) and a CJK-capable font (explicit labels). Installed with apt only when missing and only as root.
SYSDEPS := exiftool:libimage-exiftool-perl ffmpeg:ffmpeg ffprobe:ffmpeg
SYSDEP_FILES := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc:fonts-wqy-microhei
sysdeps:
	@missing=""; \
	for pair in $(SYSDEPS); do command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	for pair in $(SYSDEP_FILES); do test -e "$${pair%%:*}" || missing="$$missing $${pair#*:}"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then echo "sysdeps: missing Debian packages:$$missing (run 'make sysdeps' as root)" >&2; exit 0; fi; \
	echo "sysdeps: installing$$missing"; \
	apt-get -o DPkg::Lock::Timeout=600 update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $$missing

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache
