#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Installs what is missing, builds Keepwatch and runs every test.
#  1. the dev preset (warnings as errors): everything, then clang-tidy over
#     core/, app/ and ui/ with no finding allowed (scripts/tidy.sh), every test;
#  2. every test again under AddressSanitizer + UndefinedBehaviorSanitizer
#     (with leak detection);
#  3. the collector, store and history tests under ThreadSanitizer;
#  4. the libFuzzer targets (tests/fuzz), 30 s each (scripts/fuzz.sh);
#  5. the Windows VSS helper cross-built with MinGW-w64, run under wine;
#  6. when the Qt for MinGW-w64 that scripts/windows.sh caches exists: the
#     whole app cross-built for Windows, its test set under wine, the zip and
#     installer, and the installed programs' smoke test (scripts/windows.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test

# ccache (CMakeLists.txt uses it when it is there) keyed on paths relative to
# the checkout and not on the build directory: a fresh clone elsewhere, as
# CI's, reuses what an earlier checkout on this machine compiled. (Objects
# taken from the cache keep that checkout's paths in their debug info.)
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

# Each stage's header says when it began (seconds since the start): what CI's
# 90-minute limit is spent on.
stage() {
    echo "== $* == (at ${SECONDS} s)"
}

stage "format, licence headers and core's layers"
scripts/check-format.sh
scripts/check-layers.py

jobs=$(nproc)
stage "full build"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
stage "clang-tidy (build/dev/compile_commands.json)"
KEEPWATCH_TIDY_JOBS="$jobs" scripts/tidy.sh
stage "every test (dev build)"
ctest --preset dev -j "$jobs"

stage "AddressSanitizer + UBSan: every test"
# A debug build runs several times slower: the tests' waits are scaled.
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
KEEPWATCH_TEST_TIMEOUT_SCALE=5 \
ASAN_OPTIONS="detect_leaks=1 abort_on_error=1" \
UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1" \
    ctest --preset asan -j "$jobs"

stage "ThreadSanitizer: every test program that starts a thread"
# Qt and GLib are not TSan-built: tests/tsan.supp says what that hides.
# The threads: the collector's worker (tst_collector, tst_historyrestart,
# tst_procsource, tst_faults), the history recorder (tst_historyrestart,
# tst_faults), the history log loader's pool tasks (tst_history,
# tst_historyrestart), SpoolSnapshot's reader (tst_history, and the
# keepwatch-cli list/show/export/cancel --wait that tst_cli, tst_export,
# tst_security, tst_realtools and tst_clisources run, itself TSan-built); sources
# made on the collector's thread and woken from others (tst_collector,
# tst_sourceset, tst_vsssource); cancels on the pool (tst_launchhelpers);
# tst_sessionstore for the store's thread checks; Search All Logs' pool task
# and its batches (tst_historysearchrunner).
tsan_tests=(tst_collector tst_sessionstore tst_historyrestart tst_history tst_procsource
    tst_faults tst_security tst_cli tst_export tst_realtools tst_sourceset tst_clisources
    tst_launchhelpers tst_vsssource tst_historysearchrunner
    # keepwatch-cli agent/collect: libmosquitto's connect on a pool thread
    tst_fleet)
cmake --preset tsan -DKEEPWATCH_BUILD_UI=OFF >/dev/null
cmake --build --preset tsan -j "$jobs" --target keepwatch-cli "${tsan_tests[@]}"
# That build is also the proof that core/ and the CLI need no QtGui or
# QtWidgets: it is configured without the UI (core/CMakeLists.txt refuses to
# link them), and here the CLI it made is checked.
if ldd build/tsan/bin/keepwatch-cli | grep -E 'libQt6(Gui|Widgets)'; then
    echo "keepwatch-cli links QtGui or QtWidgets: core/ and app/keepwatch-cli must not" >&2
    exit 1
fi
KEEPWATCH_TEST_TIMEOUT_SCALE=10 \
TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp halt_on_error=1 die_after_fork=0" \
    ctest --preset tsan -R "^($(IFS='|'; echo "${tsan_tests[*]}"))\$"

stage "fuzzing: each libFuzzer target for 30 s (clang-14, ASan+UBSan)"
FUZZ_SECONDS=30 FUZZ_JOBS="$jobs" scripts/fuzz.sh

stage "Windows VSS helper (MinGW-w64 cross build, error path under wine)"
cmake -S . -B build/mingw -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
    -DCMAKE_BUILD_TYPE=Release -DKEEPWATCH_WERROR=ON >/dev/null
cmake --build build/mingw -j "$jobs"
ctest --test-dir build/mingw --output-on-failure

stage "Windows: the whole app cross-built, tested under wine, packaged"
windows_qt=${KEEPWATCH_WINDOWS_QT:-$HOME/.cache/keepwatch/qt-6.4.2-mingw}
if [ -f "$windows_qt/keepwatch-qt.stamp" ]; then
    JOBS="$jobs" scripts/windows.sh
elif [ -f "$windows_qt/keepwatch-qt.stamp.parked" ]; then
    echo "skipped: parked on this machine ($windows_qt/keepwatch-qt.stamp.parked; docs/windows.md says why and how to unpark)"
else
    echo "skipped: no Qt for MinGW-w64 at $windows_qt; scripts/windows.sh qt makes it once (~40 min), then this stage runs"
fi
echo "== done == (at ${SECONDS} s)"
