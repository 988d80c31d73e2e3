# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(shell command -v uv 2>/dev/null)

# Debian packages Qt needs (../shared/ENVIRONMENT.md): offscreen for tests, xcb for a real window;
# dbus (a private bus for the reminder tests) and the two desktop-metadata validators.
DEBS_TEST := python3-venv libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 \
             libfreetype6 libxkbcommon0 fonts-dejavu-core \
             dbus desktop-file-utils appstream
DEBS_RUN  := $(DEBS_TEST) libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
             libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 \
             libxkbcommon-x11-0

.PHONY: run test test-thorough lint bench screenshots clean sysdeps-test sysdeps-run icons dist install uninstall

run: sysdeps-run $(VENV)/.installed
	$(BIN)/recoverydesk

test: sysdeps-test $(VENV)/.installed-test lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The property tests and fuzzers with ten times the examples (tests/budget.py); slow.
test-thorough: sysdeps-test $(VENV)/.installed-test lint
	QT_QPA_PLATFORM=offscreen HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest

# Style, types and the import contracts, all configured in pyproject.toml.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The §10 speed targets: each script prints its figures, then one table of them all with
# the targets and the ratios to a bare window (benchmarks/summary.py). Never part of `make test`.
BENCH_RESULTS := build/bench-results.jsonl
bench: sysdeps-test $(VENV)/.installed-test
	@mkdir -p build && rm -f $(BENCH_RESULTS)
	@failed=""; for script in benchmarks/bench_*.py; do \
		echo "== $$script"; \
		QT_QPA_PLATFORM=offscreen RECOVERYDESK_BENCH_RESULTS=$(BENCH_RESULTS) \
			$(BIN)/python $$script || failed="$$failed $$script"; \
	done; \
	$(BIN)/python benchmarks/summary.py $(BENCH_RESULTS); \
	if [ -n "$$failed" ]; then echo "failed or over target:$$failed"; exit 1; fi


sysdeps-test:
	@sh packaging/sysdeps.sh $(DEBS_TEST)

sysdeps-run:
	@sh packaging/sysdeps.sh $(DEBS_RUN)

$(VENV)/bin/python:
ifdef UV
	$(UV) venv --python $(PYTHON) $(VENV)
else
	$(PYTHON) -m venv $(VENV)
endif

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
ifdef UV
	VIRTUAL_ENV=$(VENV) $(UV) pip install -e .
else
	$(BIN)/pip install -q -e .
endif
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml
ifdef UV
	VIRTUAL_ENV=$(VENV) $(UV) pip install -e '.[test]'
else
	$(BIN)/pip install -q -e '.[test]'
endif
	touch $@ $(VENV)/.installed

# The README's pictures: every view on the demo recovery at the three screen sizes of
# DESIGN §1.1 (view-WxH.png), guided mode, Today, Log and Charts in the dark palette, and the
# contact sheet of the exercise drawings.
SIZES := 1024x600 1366x768 1920x1080
SHOT  := QT_QPA_PLATFORM=offscreen $(BIN)/recoverydesk screenshot --force --data-dir build/demo
screenshots: sysdeps-test $(VENV)/.installed
	rm -rf build/demo && $(BIN)/recoverydesk --data-dir build/demo demo
	@for size in $(SIZES); do for view in today log calendar exercises charts history; do \
		$(SHOT) --view $$view --size $$size --out docs/screenshots/$$view-$$size.png \
			|| exit 1; \
	done; done
	$(SHOT) --view guided --size 1366x768 --out docs/screenshots/guided-1366x768.png
	@for view in today log charts; do \
		RECOVERYDESK_THEME=dark $(SHOT) --view $$view --size 1366x768 \
			--out docs/screenshots/$$view-dark-1366x768.png || exit 1; \
	done
	$(SHOT) --view function --size 1366x768 --out docs/screenshots/function-1366x768.png
	$(SHOT) --view where --size 1366x768 --out docs/screenshots/where-1366x768.png
	$(SHOT) --view ready --size 1366x768 --out docs/screenshots/ready-1366x768.png
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_contact_sheet.py \
		--out docs/screenshots/exercises-all.png

# The app icon's PNG sizes from its SVG (committed; run after editing the SVG).
icons: sysdeps-test $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/render_icons.py

# The wheel and sdist (dist/), then the one-folder bundle dist/RecoveryDesk/recoverydesk built by
# PyInstaller from the wheel in a venv of its own; then both are tried (packaging/check_dist.sh).
# Slow (a few minutes): not part of `make test`.
DIST_VENV := build/dist-venv
dist: sysdeps-test
	rm -rf dist build/pyinstaller $(DIST_VENV)
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/pip install -q --disable-pip-version-check "build>=1.2,<2"
	$(DIST_VENV)/bin/python -m build --outdir dist .
	$(DIST_VENV)/bin/pip install -q --disable-pip-version-check "$$(ls dist/recoverydesk-*.whl)[dist]"
	$(DIST_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/recoverydesk.spec
	@# Strip debug symbols, but not NumPy's own OpenBLAS, which stripping breaks.
	-command -v strip >/dev/null && find dist/RecoveryDesk/_internal -type f -name '*.so*' \
		! -path '*numpy*' -exec strip --strip-unneeded {} +
	sh packaging/check_dist.sh

# For the current user, no root: see packaging/install.sh. Uninstall never touches the data.
install: sysdeps-run
	sh packaging/install.sh install

uninstall:
	sh packaging/install.sh uninstall

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
