#!/bin/sh
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# keepwatch-vss.exe under wine: a usage error exits 2, and every command
# that needs VSS reports CreateVssBackupComponents's E_NOTIMPL as a failed
# session (start, error log, end failed with exit_code 1) and exits 1.
# Robust on a fresh machine: a private WINEPREFIX in a temporary directory,
# no wine debug output, no display, a time limit on every run.
set -u
wine=$1
exe=$2

prefix=$(mktemp -d "${TMPDIR:-/tmp}/keepwatch-wine.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
export WINEPREFIX="$prefix/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
limit=240

fail() {
    echo "FAIL: $*"
    exit 1
}

run() { # run OUT ARGS...: stdout to OUT, returns the exit status
    out=$1
    shift
    timeout "$limit" "$wine" "$exe" "$@" >"$out" 2>"$prefix/stderr"
}

# The first run creates the prefix (wineboot), which takes a while.
run "$prefix/usage.out" frobnicate
status=$?
[ "$status" -eq 2 ] || fail "unknown command: exit status $status, expected 2 ($(cat "$prefix/stderr"))"
grep -q "unknown command 'frobnicate'" "$prefix/stderr" || fail "no usage error on stderr"

check_failed_session() { # NAME KIND ARGS...
    name=$1
    kind=$2
    shift 2
    out="$prefix/$name.jsonl"
    run "$out" "$@"
    status=$?
    [ "$status" -eq 1 ] || fail "$name: exit status $status, expected 1"
    [ -s "$out" ] || fail "$name: no events on stdout"
    # Every line is one protocol v1 event of the same session, whose ID is a
    # GUID in braces, ended by '\n' alone (stdout is binary: no "\r\n").
    if grep -qv '^{"v":1,"ts":"[0-9-]*T[0-9:.]*Z","session":"{[0-9a-f-]*}","type":"[a-z]*".*}$' "$out"; then
        fail "$name: a line is not a v1 event: $(grep -v '^{"v":1' "$out" | head -1)"
    fi
    grep -q "$(printf '\r')" "$out" && fail "$name: carriage returns in the output"
    sessions=$(sed 's/.*"session":"\({[^}]*}\)".*/\1/' "$out" | sort -u | wc -l)
    [ "$sessions" -eq 1 ] || fail "$name: $sessions session IDs, expected 1"
    head -1 "$out" | grep -q "\"type\":\"start\",\"kind\":\"$kind\"" || fail "$name: first event is not a $kind start"
    grep -q '"type":"log","level":"error","msg":"CreateVssBackupComponents failed: E_NOTIMPL (0x80004001): not implemented"' "$out" \
        || fail "$name: no error event naming CreateVssBackupComponents and E_NOTIMPL"
    tail -1 "$out" | grep -q '"type":"end","state":"failed","exit_code":1,"summary":"CreateVssBackupComponents failed: E_NOTIMPL' \
        || fail "$name: last event is not a failed end: $(tail -1 "$out")"
    echo "ok: $name ($(wc -l <"$out") events, exit status 1)"
}

check_failed_session writers other writers
check_failed_session snapshot snapshot snapshot --volume 'C:'
echo "2 passed, 0 failed"
