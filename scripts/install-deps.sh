#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Installs the Debian 12 packages Keepwatch needs to build, run and test,
# skipping what is already there. Uses sudo when not run as root.
set -euo pipefail

packages=(
    # build
    build-essential cmake ninja-build pkg-config ccache
    qt6-base-dev qt6-svg-dev libqt6svg6 libsimdjson-dev
    # the history database: QtSql's SQLite driver is only a recommends
    libqt6sql6-sqlite
    # run: the offscreen/xcb platform plugins come with qt6-base-dev;
    # fonts so that text renders under Xvfb and offscreen
    fonts-dejavu-core
    # tests: a real X server for screenshots, desktop file and AppStream checks
    xvfb xauth desktop-file-utils appstream
    # tests: a private D-Bus session bus (dbus-run-session) for the notification test
    dbus-daemon
    # reports: pdftotext reads the PDF reports back in the tests
    poppler-utils
    # the backup tools Keepwatch understands, run for real by the integration
    # tests; secret-tool for passwords kept in the desktop keyring
    restic borgbackup rsync libsecret-tools
    # checks: formatting and static analysis (scripts/check-format.sh, clang-tidy)
    clang-format clang-tidy
    # the Windows VSS helper: cross-built with MinGW-w64, its error path
    # tested under wine
    g++-mingw-w64-x86-64-posix wine wine64
    # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer
    # runtimes, llvm-symbolizer for readable crash stacks
    clang-14 libclang-rt-14-dev llvm-14
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: everything is installed"
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
