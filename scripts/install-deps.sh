#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Installs the Debian 12 packages Keepwatch needs, skipping what is already
# there. Uses sudo when not run as root.
#
#   scripts/install-deps.sh run     build and run the window (scripts/run.sh)
#   scripts/install-deps.sh test    also every test's tool chain (scripts/test.sh; the default)
#   scripts/install-deps.sh bench   build, run, and the benchmarks' baselines (scripts/bench.sh)
#
# One list per purpose, each package in one list only: a purpose installs its
# own list and the lists it builds on.
set -euo pipefail

purpose=${1:-test}

build_packages=(
    build-essential cmake ninja-build pkg-config ccache
    qt6-base-dev qt6-svg-dev libsimdjson-dev
    # the systemd source reads units' logs through sd-journal; on a machine
    # whose libsystemd0 is older than the archive's this upgrades it (and
    # systemd) to the same version, as Debian requires
    libsystemd-dev
    # many hosts through an MQTT broker (core/fleet): libmosquitto, the
    # Eclipse Mosquitto project's C client with the MQTT v5 API
    libmosquitto-dev
    # the history's hot path uses SQLite's C API on QtSql's connection
    libsqlite3-dev
    # the log pane's regular expressions on UTF-8 bytes (PCRE2's 8-bit
    # library; Qt uses its 16-bit one)
    libpcre2-dev
)
run_packages=(
    # the window's SVG icons and the history database (QtSql's SQLite
    # driver is only a recommends); the offscreen/xcb platform plugins
    # come with qt6-base-dev
    libqt6svg6 libqt6sql6-sqlite
    # fonts so that text renders under Xvfb and offscreen
    fonts-dejavu-core
)
# Run for real by the integration tests and the benchmarks. Not needed to
# run the window: it watches whatever tools the user has.
backup_tool_packages=(restic borgbackup rsync)
test_packages=(
    # a real X server for screenshots, desktop file and AppStream checks
    xvfb xauth desktop-file-utils appstream
    # a private D-Bus session bus (dbus-run-session) for the notification test
    dbus-daemon
    # the system spool's tests: setpriv (util-linux), useradd (passwd), and
    # systemd-sysusers/systemd-tmpfiles applying packaging/ to a throwaway root
    util-linux passwd systemd
    # the systemd harness (tests/support/systemdharness.h): a user manager's
    # own socket-activated bus
    dbus-user-session
    # many hosts (tests/integration/tst_fleet): a real Mosquitto broker on
    # loopback, started by the tests with their own config; mosquitto_passwd
    # (in mosquitto) makes its password file, mosquitto_pub injects messages
    mosquitto mosquitto-clients
    # and the TLS setup's certificates (packaging/fleet/keepwatch-fleet-certs.sh)
    openssl
    # Bacula directors (tests/integration/tst_bacula): a real director,
    # storage and file daemon the tests start on loopback (the packages'
    # own services stay stopped), bconsole, and the SQLite catalog's schema
    bacula-director bacula-director-sqlite3 bacula-sd bacula-fd bacula-console
    # reports: pdftotext reads the PDF reports back in the tests
    poppler-utils
    # secret-tool, for the launch dialog's and the broker password's keyring
    # (optional in the window, which names the package when it is missing),
    # and a real Secret Service for the tests to store into
    libsecret-tools gnome-keyring
    # checks: formatting and static analysis (scripts/check-format.sh, scripts/tidy.sh)
    clang-format clang-tidy
    # the Windows VSS helper: cross-built with MinGW-w64, its error path
    # tested under wine
    g++-mingw-w64-x86-64-posix wine wine64
    # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer
    # runtimes, llvm-symbolizer for readable crash stacks
    clang-14 libclang-rt-14-dev llvm-14
)
# The baselines the benchmarks measure against (grep is always there).
bench_packages=(jq lnav sqlite3 python3)

case "$purpose" in
run) packages=("${build_packages[@]}" "${run_packages[@]}") ;;
test) packages=("${build_packages[@]}" "${run_packages[@]}" "${backup_tool_packages[@]}"
                "${test_packages[@]}") ;;
bench) packages=("${build_packages[@]}" "${run_packages[@]}" "${backup_tool_packages[@]}"
                 "${bench_packages[@]}") ;;
*)
    echo "usage: scripts/install-deps.sh [run|test|bench]" >&2
    exit 2
    ;;
esac

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: everything for '$purpose' is installed"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
