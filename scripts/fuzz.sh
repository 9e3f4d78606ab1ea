#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Builds the libFuzzer targets (tests/fuzz, clang-14, ASan+UBSan) and runs
# each for a bounded time. Fails when a target crashes, breaks an invariant,
# hangs or leaks; the input that did it is kept in $FUZZ_ARTIFACTS (printed).
#
#   scripts/fuzz.sh                      # every target, 30 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh redactor eventcodec
#
# Environment:
#   FUZZ_SECONDS    seconds per target (default 30)
#   FUZZ_BUILD_DIR  build directory (default build/fuzz-libfuzzer, the fuzz preset's)
#   FUZZ_JOBS       build jobs (default: nproc)
#   FUZZ_PARALLEL   targets fuzzed at once (default: nproc)
# The committed corpus (tests/fuzz/corpus/<target>) is only read; what the
# fuzzer finds new goes to $FUZZ_BUILD_DIR/corpus/<target> and is reused by
# the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
build=${FUZZ_BUILD_DIR:-build/fuzz-libfuzzer}
jobs=${FUZZ_JOBS:-$(nproc)}
all=(eventcodec linesplitter restic borg rsync generic commandline redactor vssadmin sessionid bacula)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

for t in "${targets[@]}"; do
    [ -d "tests/fuzz/corpus/$t" ] || { echo "fuzz: unknown target '$t' (targets: ${all[*]})" >&2; exit 2; }
done

command -v clang++-14 >/dev/null || { echo "fuzz: clang++-14 is missing (scripts/install-deps.sh)" >&2; exit 2; }

echo "== fuzz: building ${targets[*]} with clang-14 in $build =="
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset fuzz -B "$build" "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"

artifacts=${FUZZ_ARTIFACTS:-$build/artifacts}
mkdir -p "$artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LC_ALL=C.UTF-8
if command -v llvm-symbolizer-14 >/dev/null; then
    export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14)
fi

# One target; its exit status goes to a file, as targets run side by side.
fuzz_one() {
    local t=$1
    local work="$build/corpus/$t" log="$build/fuzz-$t.log"
    mkdir -p "$work" "$artifacts/$t"
    # -timeout: one input taking more than 10 s is a hang, reported as a crash.
    # -rss_limit_mb: a target that grows without bound is a bug too.
    # The work corpus comes first: libFuzzer writes new inputs there only.
    local status=0
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/$t/" \
        "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
    echo "$status" >"$build/fuzz-$t.status"
}

# libFuzzer runs one process per target, single-threaded: FUZZ_PARALLEL
# (default: nproc) of them at once, each for its full time.
parallel=${FUZZ_PARALLEL:-$(nproc)}
echo "== fuzz: ${#targets[@]} targets for ${seconds}s each, $parallel at a time =="
for t in "${targets[@]}"; do
    rm -f "$build/fuzz-$t.status"
    fuzz_one "$t" &
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do
        wait -n || true
    done
done
wait

failed=()
for t in "${targets[@]}"; do
    log="$build/fuzz-$t.log"
    echo "== fuzz: $t for ${seconds}s =="
    if [ "$(cat "$build/fuzz-$t.status" 2>/dev/null)" = 0 ]; then
        grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$log" | tr '\n' ' '
        echo
    else
        failed+=("$t")
        tail -n 40 "$log"
        echo "fuzz: $t FAILED; input kept in $artifacts/$t/ (full log: $log)" >&2
        echo "  reproduce: $build/tests/fuzz/fuzz_$t $artifacts/$t/<file>" >&2
        echo "  once fixed, commit the input to tests/fuzz/corpus/$t/regression-<what>" >&2
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: failing targets: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, nothing found"
