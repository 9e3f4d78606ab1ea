#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# The clang-tidy gate: runs run-clang-tidy-14 with the checked-in .clang-tidy
# over the project's own sources (core/, app/, ui/ and the headers beside
# them) and fails on any finding. It reads the compile commands the dev
# preset writes: run `cmake --preset dev` first (scripts/test.sh does).
#
#   scripts/tidy.sh                 every source file
#   scripts/tidy.sh FILE...         only these (paths from the top directory)
#
# Cost: about 11 CPU seconds a file (17 CPU minutes for 91 files), so with
# 181 files about 17 min of a CI run on two idle cores when nothing is in the
# results cache below, and only the changed files' when it is. Run it over
# the files you touched while working: scripts/tidy.sh $(git diff --name-only main)
#
# Tests are not checked: their code is Qt Test macros and fixtures, where the
# bugprone and performance checks mostly flag the macros' expansions, and
# leaving them out keeps the gate's time in CI's budget.
# Environment: KEEPWATCH_TIDY_BUILD (default build/dev), KEEPWATCH_TIDY_JOBS
# (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${KEEPWATCH_TIDY_BUILD:-build/dev}
jobs=${KEEPWATCH_TIDY_JOBS:-$(nproc)}

if [ ! -f "$build/compile_commands.json" ]; then
    echo "tidy: $build/compile_commands.json is missing: run cmake --preset dev first" >&2
    exit 2
fi
command -v run-clang-tidy-14 >/dev/null \
    || { echo "tidy: run-clang-tidy-14 is missing (Debian package clang-tidy)" >&2; exit 2; }

# What to check: regular expressions on the compile database's absolute paths.
if [ $# -gt 0 ]; then
    files=()
    for f in "$@"; do
        case "$f" in
        core/*.cpp | app/*.cpp | ui/*.cpp) files+=("^$root/${f//./\\.}\$") ;;
        *) ;; # headers are checked through the files that include them; the rest is not ours
        esac
    done
    if [ ${#files[@]} -eq 0 ]; then
        echo "tidy: no core/, app/ or ui/ source file among the files given"
        exit 0
    fi
else
    files=("^$root/(core|app|ui)/.*\\.cpp\$")
fi

# Results cache: a file whose key (scripts/tidy-keys.py: the file as
# preprocessed, comments kept, its flags, .clang-tidy, this script and
# clang-tidy's version) was checked clean before is not checked again. CI's
# clean clone reuses what was checked on the machine, as ccache does for the
# builds. KEEPWATCH_TIDY_CACHE=off checks every file.
cache=${KEEPWATCH_TIDY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keepwatch/tidy}
declare -A key_of=()
keys_of() { # FILE_REGEX... -> "key<TAB>file" lines
    python3 scripts/tidy-keys.py "$build" "$jobs" .clang-tidy scripts/tidy.sh -- "$@"
}
if [ "$cache" != off ]; then
    mkdir -p "$cache"
    mapfile -t keyed < <(keys_of "${files[@]}")
    files=()
    for line in "${keyed[@]}"; do
        key=${line%%$'\t'*} file=${line#*$'\t'}
        if [ "$key" = - ] || [ ! -e "$cache/$key" ]; then
            files+=("^${file//./\\.}\$")
            [ "$key" = - ] || key_of[$file]=$key
        fi
    done
    if [ ${#files[@]} -eq 0 ]; then
        echo "tidy: no findings: all ${#keyed[@]} file(s) unchanged since they were checked clean ($cache)"
        exit 0
    fi
    echo "tidy: ${#files[@]} of ${#keyed[@]} file(s) to check; the others are unchanged since they were checked clean"
fi

# The header filter is anchored here, where the source directory is known:
# the checked-in HeaderFilterRegex would also match Qt's own QtGui/ headers
# and the generated ones under build/.
# The whole report stays in $build/clang-tidy.log, without colours.
log=$build/clang-tidy.log
start=$(date +%s)
status=0
run-clang-tidy-14 -p "$build" -j "$jobs" -quiet -header-filter="^$root/(core|app|ui)/" \
    "${files[@]}" 2>&1 | sed -E 's/\x1b\[[0-9;]*m//g' >"$log" || status=$?
seconds=$(( $(date +%s) - start ))
checked=$(grep -c '^clang-tidy-14 ' "$log" || true)

# Each file checked clean goes into the cache, even when others have
# findings: its block in the log (run-clang-tidy prints a file's command,
# then what it found) has no finding and no error. Its key is taken again
# first: a file edited during the run keeps no verdict.
if [ ${#key_of[@]} -gt 0 ]; then
    mapfile -t clean < <(awk '
        function done_file() { if (file != "" && !bad) print file }
        /^clang-tidy-14 / { done_file(); file = $NF; bad = 0; next }
        /^\/[^ ]+:[0-9]+:[0-9]+: (warning|error): / || /^Error while processing/ { bad = 1 }
        END { done_file() }' "$log")
    again=()
    for file in "${clean[@]}"; do
        [ -n "${key_of[$file]:-}" ] && again+=("^${file//./\\.}\$")
    done
    if [ ${#again[@]} -gt 0 ]; then
        while IFS=$'\t' read -r key file; do
            [ "$key" = "${key_of[$file]:-}" ] && : >"$cache/$key"
        done < <(keys_of "${again[@]}")
    fi
fi

# One line per finding: a header's finding comes once per file including it.
mapfile -t all < <(grep -E '^/[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$log" | sort -u)
findings=("${all[@]}")
if [ ${#findings[@]} -gt 0 ] || [ "$status" -ne 0 ]; then
    # The whole report, notes and source excerpts included, without the
    # command lines and the "N warnings generated" chatter.
    grep -vE '^(clang-tidy-14 |[0-9]+ warnings? (and [0-9]+ errors? )?generated|Suppressed [0-9]+ warnings|Use -header-filter|Running clang-tidy|Enabled checks)' "$log" >&2 || true
    echo "tidy: ${#findings[@]} finding(s) in $checked file(s), ${seconds} s:" >&2
    printf '  %s\n' "${findings[@]#"$root"/}" >&2
    [ "$status" -ne 0 ] && echo "tidy: run-clang-tidy-14 exited with $status" >&2
    exit 1
fi
echo "tidy: no findings in $checked file(s), ${seconds} s"
