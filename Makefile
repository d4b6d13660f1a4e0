# Agent Workstation — set-up, demo and tests. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements.lock
TS     := translations/agent_desktop_zh_CN.ts
QM     := $(TS:.ts=.qm)

# Debian/Ubuntu packages. Runtime: the CJK font and what Qt's xcb platform needs on a desktop
# (libx11-6 too: the system-wide answer / hang-up keys, ui/global_keys.py).
RUNTIME_DEBS := fonts-noto-cjk libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 \
                libegl1 libgl1 libfontconfig1 libdbus-1-3 libpulse0 libx11-6
# Tests: SIP peers (SIPp), a virtual screen, a real Secret Service on a private bus,
# PostgreSQL, HAProxy and PulseAudio (the tests start their own: loopback, virtual devices);
# baresip and linphone-cli: independent phones for the interop suite (issue 24); xdotool types
# into the installed .deb's dialog; systemd for systemd-analyze verify of the server's unit;
# at-spi2-core and python3-pyatspi: the desk read over AT-SPI as a screen reader reads it;
# libxtst6: the system-wide key tests type into another X client through XTest. dovecot-imapd:
# the team mailbox the email channel tests read over IMAP (a throwaway dovecot, loopback).
TEST_DEBS    := $(RUNTIME_DEBS) sip-tester xvfb dbus dbus-bin gnome-keyring postgresql haproxy \
                pulseaudio pulseaudio-utils kamailio kamailio-presence-modules baresip \
                linphone-cli xdotool systemd at-spi2-core python3-pyatspi libxtst6 \
                poppler-utils dovecot-imapd
# The customer portal's browser tests (issue 22): Debian's chromium, driven by selenium.
TEST_DEBS    += chromium chromium-driver
# The Windows MSI is built here, on Linux, with wixl; msitools reads its tables back (tests).
MSI_DEBS     := wixl msitools
TEST_DEBS    += $(MSI_DEBS)
# Building the .deb: readelf (binutils) for the bundle's libraries, dpkg-deb (dpkg-dev) to pack.
BUILD_DEBS   := binutils dpkg-dev
TEST_DEBS    += $(BUILD_DEBS)
# Building the AppImage: its runtime (installer/appimage/runtime) links these static libraries;
# mksquashfs packs the AppDir; fuse3 gives non-root users fusermount3; the metadata is
# validated with appstreamcli and desktop-file-validate.
APPIMAGE_DEBS := gcc libc6-dev libsquashfuse-dev libfuse3-dev fuse3 zlib1g-dev libzstd-dev \
                 liblzma-dev liblz4-dev liblzo2-dev squashfs-tools appstream desktop-file-utils
TEST_DEBS    += $(APPIMAGE_DEBS)
# The README's screenshots (make screenshots): optipng squeezes the tour's PNGs, losslessly.
DOCS_DEBS    := optipng

.PHONY: demo test test-fast test-clock-edges soak lint lock tour portal-tour screenshots system-deps-docs \
        translations update-translations \
        system-deps-runtime system-deps-test system-deps-build bench bench-shift clean bundle deb \
        msi msi-check system-deps-msi appimage installers system-deps-appimage

demo: system-deps-runtime $(STAMP) $(QM)
	$(BIN)/agent-desktop --demo

test: system-deps-test $(STAMP) $(QM) lint
	$(BIN)/python -m pytest --durations=30

# The developer's loop: ruff, then the tests not marked slow (no SIP peers, no processes).
test-fast: $(STAMP) $(QM)
	$(BIN)/ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m 'not slow' -q

# The whole suite at the hours that bite a 24x7 centre (Asia/Shanghai): just after midnight,
# before the morning shift, the last second of a day, of a month and of a year. The clock is
# pinned there and runs on (sync/clock.py); every process of the run agrees on it.
CLOCK_EDGES := 2026-12-02T00:05:00+08:00 2026-12-02T08:11:00+08:00 2026-12-02T23:59:59+08:00 \
               2026-11-30T23:59:59+08:00 2026-12-31T23:59:59+08:00
test-clock-edges: system-deps-test $(STAMP) $(QM)
	set -e; for at in $(CLOCK_EDGES); do echo "== clock pinned at $$at"; \
	    AGENT_WORKSTATION_CLOCK=$$at $(BIN)/python -m pytest -q; done

# Shift-length soaks (the 2,000-call ghost soak: ~13 minutes); CI runs their short variants.
soak: system-deps-test $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m soak -s

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

tour: $(STAMP) $(QM)
	$(BIN)/agent-desktop --demo --offscreen --tour tour-out
	$(MAKE) portal-tour

# The customer portal's pages as a phone's chromium shows them, in Chinese and English
# (issue 22): tour-out/portal/portal-*-{zh,en}.png, from its browser test.
portal-tour: $(STAMP)
	mkdir -p tour-out/portal
	PORTAL_TOUR_OUT=$(CURDIR)/tour-out/portal PYTHONPATH=$(CURDIR) QT_QPA_PLATFORM=offscreen \
	    $(BIN)/python -m pytest -q -p no:cacheprovider \
	    tests/ui/test_portal_browser_e2e.py -k both_languages

# The README's screenshots, from the tour: the call on a 1366×768 screen in English and Chinese.
screenshots: system-deps-docs $(STAMP) $(QM)
	rm -rf tour-out/en tour-out/zh_CN
	$(BIN)/agent-desktop --demo --offscreen --tour tour-out/en --lang en
	$(BIN)/agent-desktop --demo --offscreen --tour tour-out/zh_CN --lang zh_CN
	cp tour-out/en/*-screen-1366x768-en.png docs/main-window.png
	cp tour-out/zh_CN/*-screen-1366x768-zh_CN.png docs/main-window-zh.png
	optipng -quiet -o5 -strip all docs/main-window.png docs/main-window-zh.png

# Each benchmark prints its README table and writes bench/results/<name>.json (bench/results.py).
bench: $(STAMP) $(DEB)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_startup --runs 10
	$(BIN)/python -m bench.bench_bundle --runs 10
	$(BIN)/python -m bench.bench_appimage --runs 10 --variants
	$(BIN)/python -m bench.bench_signin
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_reports_export --runs 5
	$(BIN)/python -m bench.bench_recording_upload --mb 32 --rounds 5
	$(BIN)/python -m bench.bench_backend --customers 1000000
	$(BIN)/python -m bench.bench_fanout --streams 400 --rate 25 --seconds 10
	$(BIN)/python -m bench.bench_heartbeat --desks 400 --requests 4000
	$(BIN)/python -m bench.bench_metrics --requests 1000 --rounds 15
	$(BIN)/python -m bench.bench_sync --customers 100000 --interactions-per-customer 3 --writes 1000
	$(BIN)/python -m bench.bench_first_sync --customers 1000000
	$(BIN)/python -m bench.bench_phone --calls 60
	$(BIN)/python -m bench.bench_recording --talk-s 30
	$(BIN)/python -m bench.bench_recording_levels --minutes 60 --runs 3
	$(BIN)/python -m bench.bench_quality --agents 400 --calls 140000 --rounds 15
	$(BIN)/python -m bench.bench_forecast --seed 1 --agents 45 --time-limit 60
	rm -f /tmp/aw-wfm-year.sqlite && $(BIN)/python -m server_stub.history --db sqlite:////tmp/aw-wfm-year.sqlite --customers 2000
	$(BIN)/python -m bench.bench_wfm_routes --db /tmp/aw-wfm-year.sqlite --rounds 5
	$(BIN)/python -m bench.bench_reports --rounds 5 --sqlite /tmp/reports_year.sqlite
	$(BIN)/python -m bench.bench_unregister --rounds 20
	$(BIN)/python -m bench.bench_stranger --rate 300 --seconds 10
	$(BIN)/python -m bench.bench_in_dialog --rate 300 --seconds 10
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_quit --rounds 5
	$(BIN)/python -m bench.bench_identity --rounds 20000
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_screen_pop --customers 1000000 --calls 200
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_tickets --tickets 50000 --seconds 30
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_workforce_ui --agents 200 --rounds 15
	$(BIN)/python -m bench.bench_kb --articles 100000 --queries 500
	$(BIN)/python -m bench.bench_centre --backend postgres --workers 4 --desks 400 --duration 120
	$(BIN)/python -m bench.bench_centre --backend postgres --workers 2 --instances 2 --desks 400 --duration 120
	$(BIN)/python -m bench.bench_centre --backend sqlite --desks 100 --duration 120

# The shift soak (issue 26): the real desk through 1,000 demo calls, sampled every 100 (about
# 45 minutes on 2 cores); --calls 200 while developing.
bench-shift: $(STAMP) $(QM)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_shift --calls 1000

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the locked versions (hashes of PyPI's files), then the project itself without
# resolving anything: its build backend (setuptools, wheel) is in the lock too.
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# After editing the dependencies in pyproject.toml: 'make lock' (keeps the other pins);
# 'make lock UPGRADE=1' moves every pin to the newest release that fits.
# Inputs: [project] dependencies, the dev extra, [build-system] requires, and pip.
lock: | $(STAMP)
	$(BIN)/python -c 'import tomllib; print("pip"); \
	    print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	| $(BIN)/uv pip compile --quiet pyproject.toml - --extra dev --generate-hashes \
	    --python-version 3.11 --python-platform x86_64-manylinux_2_36 \
	    --default-index https://pypi.org/simple --custom-compile-command 'make lock' \
	    $(if $(UPGRADE),--upgrade) -o $(LOCK)

# The compiled translation is build output (ignored by git).
translations: $(QM)
$(QM): $(TS) | $(STAMP)
	$(BIN)/pyside6-lrelease $(TS) -qm $(QM)

# After changing user-visible strings: refresh the .ts, translate, then 'make translations'.
update-translations: $(STAMP)
	$(BIN)/pyside6-lupdate $$(find agent_desktop -name '*.py' | sort) \
	    -locations none -no-obsolete -ts $(TS)

# The frozen desk (PyInstaller onedir, installer/pyinstaller/agent-desktop.spec) and the .deb
# that installs it under /opt/agent-workstation. Both rebuild only when their inputs changed.
VERSION      := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
BUNDLE       := dist/agent-desktop/agent-desktop
DEB          := dist/agent-workstation_$(VERSION)_amd64.deb
BUNDLE_INPUT := $(shell find agent_desktop softphone sync resources -type f -not -name '*.pyc') \
                installer/pyinstaller/agent-desktop.spec installer/pyinstaller/entry.py
bundle: $(BUNDLE)
$(BUNDLE): $(BUNDLE_INPUT) $(QM) | $(STAMP)
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist \
	    --workpath build/pyinstaller installer/pyinstaller/agent-desktop.spec
	touch $@

deb: $(DEB)
$(DEB): $(BUNDLE) installer/deb/build_deb.py installer/deb/agent-desktop.1 \
        installer/deb/agent-desktop.desktop installer/README.md | system-deps-build
	$(BIN)/python installer/deb/build_deb.py --bundle dist/agent-desktop --out dist

define install_debs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps-runtime:
	$(call install_debs,$(RUNTIME_DEBS))

system-deps-test:
	$(call install_debs,$(TEST_DEBS))

system-deps-docs:
	$(call install_debs,$(DOCS_DEBS))

system-deps-msi:
	$(call install_debs,$(MSI_DEBS))

# The Windows MSI (installer/windows). Its payload is the PyInstaller onedir built on a Windows
# runner (.github/workflows/windows-msi.yml, artefact windows-payload): unpack it into
# MSI_PAYLOAD. `make msi-check` builds the recipe from a stand-in payload and checks its tables.
MSI_PAYLOAD ?= dist/windows/agent-desktop
MSI_OUT     ?= dist/AgentWorkstation.msi
msi: system-deps-msi $(STAMP)
	@test -f $(MSI_PAYLOAD)/agent-desktop.exe || { echo "make msi: no Windows payload in" \
	    "$(MSI_PAYLOAD) (agent-desktop.exe): it is built on Windows by" \
	    ".github/workflows/windows-msi.yml; set MSI_PAYLOAD=DIR"; exit 1; }
	$(BIN)/python installer/windows/build_msi.py --payload $(MSI_PAYLOAD) --out $(MSI_OUT)

msi-check: system-deps-msi $(STAMP)
	$(BIN)/python -m pytest -q tests/integration/test_msi_recipe.py tests/unit/test_policy_templates.py

system-deps-build:
	$(call install_debs,$(BUILD_DEBS))

system-deps-appimage:
	$(call install_debs,$(APPIMAGE_DEBS))

# The AppImage (type 2, x86_64): our runtime (installer/appimage/runtime: C, statically linked
# against Debian's libsquashfuse_ll, libfuse3 and the compression libraries; only the C library
# is shared) followed by a squashfs of the AppDir (installer/appimage/build_appimage.py).
APPIMAGE     := dist/Agent_Workstation-$(VERSION)-x86_64.AppImage
RUNTIME      := build/appimage/runtime
RUNTIME_SRC  := $(wildcard installer/appimage/runtime/*.c) installer/appimage/runtime/runtime.h
RUNTIME_LIBS := -Wl,-Bstatic -lsquashfuse_ll -lfuse3 -lzstd -llzma -llz4 -lz -llzo2 \
                -Wl,-Bdynamic -lpthread -ldl
appimage: $(APPIMAGE)
$(RUNTIME): $(RUNTIME_SRC) | system-deps-appimage
	mkdir -p $(@D)
	$(CC) -std=gnu11 -Os -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 \
	    -fstack-protector-strong -DRUNTIME_VERSION='"$(VERSION)"' -I/usr/include/fuse3 \
	    -o $@ $(filter %.c,$^) $(RUNTIME_LIBS) -s
$(APPIMAGE): $(BUNDLE) $(RUNTIME) installer/appimage/build_appimage.py installer/appimage/AppRun \
             installer/appimage/invalid.agent_workstation.desk.metainfo.xml \
             installer/deb/agent-desktop.desktop resources/icons/agent-workstation.svg
	$(BIN)/python installer/appimage/build_appimage.py --bundle dist/agent-desktop \
	    --runtime $(RUNTIME) --out dist

# Every package this machine can build: the AppImage, the .deb, and the MSI when the Windows
# payload is there (else its recipe, built from a stand-in and checked: make msi-check).
installers: appimage deb $(if $(wildcard $(MSI_PAYLOAD)/agent-desktop.exe),msi,msi-check)
	@test -f $(MSI_PAYLOAD)/agent-desktop.exe || echo "make installers: no Windows payload in" \
	    "$(MSI_PAYLOAD) (built on Windows by .github/workflows/windows-msi.yml): the MSI" \
	    "recipe was built from a stand-in and checked instead (make msi-check)"

clean:
	rm -rf $(VENV) $(QM) tour-out .mypy_cache .ruff_cache .pytest_cache build dist
