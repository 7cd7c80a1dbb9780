# Tranquillité publique — every task of the project.
# `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.

SHELL := /bin/bash
PLUGIN := tranquillite_plugin
VENV := .venv
PY := $(VENV)/bin/python
SYSPY := /usr/bin/python3
SITE = $(shell $(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null)
OUT := out
# Headless Qt for everything but screenshots.
export QT_QPA_PLATFORM ?= offscreen
export PYTHONDONTWRITEBYTECODE := 1
QGIS_PROFILE ?= default
QGIS_PLUGINS_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/$(QGIS_PROFILE)/python/plugins
# qgis_process and QGIS desktop embed the system Python: give them the venv.
QGIS_ENV = PYTHONPATH=$(SITE):$(CURDIR) QGIS_PLUGINPATH=$(CURDIR)
QGIS_PROCESS := /usr/bin/qgis_process.bin

.PHONY: all setup demo test test-host test-trixie test-sid demo-trixie matrix-shell pyqt6 qgis lint install package translations screenshots bench clean

all: test

# --- set-up ------------------------------------------------------------------
.system.stamp: scripts/install_system_deps.sh
	bash scripts/install_system_deps.sh
	touch $@

$(VENV)/.stamp: .system.stamp requirements.txt requirements-dev.txt
	$(SYSPY) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.stamp translations

# --- translations ------------------------------------------------------------
TS := $(wildcard $(PLUGIN)/i18n/*.ts)
QM := $(TS:.ts=.qm)
%.qm: %.ts
	lrelease -silent $< -qm $@ 2>/dev/null || /usr/lib/qt5/bin/lrelease -silent $< -qm $@
translations: .system.stamp $(QM)

# --- main jobs -----------------------------------------------------------------
demo: setup
	mkdir -p $(OUT)
	$(PY) -m tranquillite_plugin.demo --out $(OUT)

# The whole suite on every QGIS of the matrix (host, 3.40 in a Debian 13
# chroot, 3.44 in a sid chroot) and make demo on 3.40: scripts/test_all.sh.
test: setup
	bash scripts/test_all.sh

# One leg at a time, for developers.
test-host: setup
	$(PY) -m pytest -q -rs tests
test-trixie: translations
	bash scripts/matrix.sh test trixie -- -q -rs tests
test-sid: translations
	bash scripts/matrix.sh test sid -- -q -rs tests
demo-trixie: translations
	bash scripts/matrix.sh demo trixie
matrix-shell: translations
	bash scripts/matrix.sh shell $(or $(SUITE),trixie)

# The PyQt6 wheels the Qt6 name test imports (cached outside the repository; the
# test fetches them itself when missing).
pyqt6: setup
	$(PY) -m tests.qt6_names --install

# Debian 12: the QGIS desktop with the project's venv (Debian 12's own Python
# packages are too old, and pip --user is refused there) and this checkout's plugin.
qgis: setup
	$(QGIS_ENV) qgis

lint: setup
	$(PY) -m ruff check $(PLUGIN) tests benchmarks

bench: setup
	$(PY) benchmarks/bench_scoring.py
	$(PY) benchmarks/bench_model.py

screenshots: setup
	xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb $(PY) scripts/screenshots.py docs/screenshots

# --- distribution --------------------------------------------------------------
install: translations
	mkdir -p $(QGIS_PLUGINS_DIR)
	rm -rf $(QGIS_PLUGINS_DIR)/$(PLUGIN)
	cp -r $(PLUGIN) $(QGIS_PLUGINS_DIR)/
	find $(QGIS_PLUGINS_DIR)/$(PLUGIN) -name __pycache__ -prune -exec rm -rf {} +
	@echo "installed into $(QGIS_PLUGINS_DIR)/$(PLUGIN)"

package: translations
	mkdir -p dist
	rm -f dist/$(PLUGIN).zip
	zip -q -r dist/$(PLUGIN).zip $(PLUGIN) -x '*__pycache__*' '*.pyc' '$(PLUGIN)/i18n/*.ts'
	@echo "dist/$(PLUGIN).zip"

qgis-process-enable: setup
	$(QGIS_ENV) $(QGIS_PROCESS) plugins enable $(PLUGIN)

clean:
	rm -rf $(OUT) dist build .pytest_cache
