#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
#
# Runs a program of the Windows cross build under wine: how ctest runs the
# Windows tests (tests/CMakeLists.txt) and scripts/windows.sh the installed
# programs.
#
#   KEEPWATCH_WINE_DLL_PATH  Unix directories with the DLLs the program needs
#                            (Qt's, SQLite's, MinGW's runtime), ':'-separated
#   WINEPREFIX               default: build/windows/wineprefix beside this repo
#
# wine does not pass QT_* variables to Windows programs; it passes WINEQT_*
# ones as QT_* (it strips the WINE prefix), so each QT_* is handed on so.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX=${WINEPREFIX:-$here/build/windows/wineprefix}
export WINEDEBUG=${WINEDEBUG:--all}
# No "install Mono/Gecko?" dialogs when the prefix is made.
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64 || command -v wine)

if [ -n "${KEEPWATCH_WINE_DLL_PATH:-}" ]; then
    path=""
    IFS=':' read -r -a dirs <<<"$KEEPWATCH_WINE_DLL_PATH"
    for d in "${dirs[@]}"; do
        [ -n "$d" ] && path="${path:+$path;}Z:${d//\//\\}"
    done
    export WINEPATH="$path${WINEPATH:+;$WINEPATH}"
fi
while IFS='=' read -r name value; do
    case "$name" in
    QT_*) export "WINE$name=$value" ;;
    esac
done < <(env)

if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    # Made once, serially: parallel tests must not each start making it.
    (
        flock 9
        [ -f "$WINEPREFIX/system.reg" ] || "$wine" wineboot --init </dev/null >/dev/null 2>&1 9>&- || true
    ) 9>"$WINEPREFIX.lock"
fi
# The first wine program of a prefix starts wineserver and wine's services
# (explorer, services, winedevice), which outlive it and inherit its stdout
# and stderr: ctest, or a $(...) capture, would wait for them to close
# (until a timeout). So they are started here first, with their output
# going nowhere, and kept up for 5 minutes after the last program ends.
server=/usr/lib/wine/wineserver64
[ -x "$server" ] || server=$(command -v wineserver64 || command -v wineserver)
(
    flock 9
    # 9>&-: what stays running must not hold the lock too.
    "$server" -p300 </dev/null >/dev/null 2>&1 9>&- || true # fails when one runs: fine
    "$wine" cmd /c exit 0 </dev/null >/dev/null 2>&1 9>&- || true
) 9>"$WINEPREFIX.lock"
# The program's own output goes through files, not straight to ours: when
# the program ends, wineserver can keep the descriptors it was handed (seen
# in CI: tst_win32probe had exited, no process of it was left, and ctest
# still waited on the test's pipe, which only wineserver held, until its
# timeout). A file held open blocks nobody; it is copied out when wine ends.
out=$(mktemp -d)
trap 'cat "$out/stdout"; cat "$out/stderr" >&2; rm -rf "$out"' EXIT
trap 'exit 143' TERM INT
status=0
"$wine" "$@" >"$out/stdout" 2>"$out/stderr" || status=$?
exit "$status"
