#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Keepwatch's benchmarks (issue 7; results in docs/performance.md). Each one
# prints its number beside a baseline run in the same invocation, on data it
# generates from fixed seeds:
#   1. session log ingest vs grep, jq and lnav      (bench_ingest)
#   2. log pane filter over 2M lines vs grep         (bench_ingest)
#   3. live load: 200 sessions x 1,000 lines/s       (bench_window, history off and on)
#   4. wrapper overhead: restic and rsync, bare vs under keepwatch-cli run
#   5. memory: bytes per line beyond text (bench_ingest), RSS with 10M lines in history
#      (bench_history)
#   6. start-up with 100,000 sessions in history     (bench_startup)
#   7. system spool: 20,000 files + one of 2 GiB, poll budget and window stall
#                                                    (bench_systemspool, vs cat and grep)
#   8. fleet: 100 agents x 10 live sessions x 100 lines/s through Mosquitto into the
#      window, beside the same load from a local spool   (bench_fleet, issue 16)
#   9. recorder: log lines a second into the history with its full-text index, vs
#      the sqlite3 shell importing the same lines         (bench_recorder, issue 18)
#  10. search of the 10M-line history: first and all lines, vs grep -r -F over the
#      same lines as a spool and the sqlite3 shell's FTS5 query (bench_search, issue 18)
#
#   scripts/bench.sh [--quick] [--only NAME]
#     --quick: small sizes, a smoke run of a few minutes
#     --only:  one benchmark, to run it again alone (on a quiet machine, say):
#              ingest (1, 2, 5a), window (3), history (5b, 6, 10), systemspool (7),
#              overhead (4), fleet (8) or recorder (9)
#
# Environment: KEEPWATCH_BENCH_DIR (data, default /tmp/keepwatch-bench; the
# history database is kept there and reused, it takes minutes to make),
# KEEPWATCH_BENCH_BUILD (default build/bench), KEEPWATCH_BENCH_JOBS (build
# jobs, default 2: 1 on a machine shared with other builds). Not part of CI: it installs
# extra packages and runs for about half an hour.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: scripts/bench.sh [--quick] [--only ingest|window|history|systemspool|overhead|fleet|recorder]" >&2
    exit 2
}
quick=0 only=
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --only)
        [ $# -ge 2 ] || usage
        only=$2
        shift
        ;;
    *) usage ;;
    esac
    shift
done
case "$only" in
"" | ingest | window | history | systemspool | overhead | fleet | recorder) ;;
*) usage ;;
esac
# Whether to run benchmark NAME (all of them without --only).
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

data=${KEEPWATCH_BENCH_DIR:-/tmp/keepwatch-bench}
build=${KEEPWATCH_BENCH_BUILD:-build/bench}
if [ "$quick" = 1 ]; then
    events=200000 window_seconds=5 tree_mb=50 runs=3 hist_sessions=10000 hist_lines=1000000
    spool_files=2000 spool_big_mib=128 fleet_hosts=10 fleet_seconds=5 recorder_lines=200000
else
    events=2000000 window_seconds=20 tree_mb=500 runs=15 hist_sessions=100000 hist_lines=10000000
    spool_files=20000 spool_big_mib=2048 fleet_hosts=100 fleet_seconds=20 recorder_lines=2000000
fi

# --- what the benchmarks need beyond the build: the baselines -------------
scripts/install-deps.sh bench

# --- an optimised build ------------------------------------------------------
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset dev -B "$build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
targets=(keepwatch-cli)
want ingest && targets+=(bench_ingest)
want window && targets+=(bench_window)
want history && targets+=(bench_history bench_startup bench_search)
want systemspool && targets+=(bench_systemspool)
want fleet && targets+=(bench_fleet)
want recorder && targets+=(bench_recorder)
cmake --build "$build" -j "${KEEPWATCH_BENCH_JOBS:-2}" --target "${targets[@]}"
bin=$(cd "$build" && pwd)
find_bin() { find "$bin" -type f -name "$1" -perm -u+x | head -n 1; }
bench_ingest=$(find_bin bench_ingest)
bench_history=$(find_bin bench_history)
bench_window=$(find_bin bench_window)
bench_startup=$(find_bin bench_startup)
bench_search=$(find_bin bench_search)
bench_systemspool=$(find_bin bench_systemspool)
bench_fleet=$(find_bin bench_fleet)
bench_recorder=$(find_bin bench_recorder)
cli=$(find_bin keepwatch-cli)

mkdir -p "$data"
data=$(cd "$data" && pwd)

section() { printf '\n== %s ==\n' "$*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

section "machine"
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
os=$(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release)
echo "RAM $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); $os (Debian $(cat /etc/debian_version 2>/dev/null || echo '?'))"
echo "Qt $(dpkg-query -W -f='${Version}' qt6-base-dev 2>/dev/null || echo '?'); $(jq --version); lnav $(lnav -V | cut -d' ' -f2); $(restic version | cut -d' ' -f1-2); $(rsync --version | awk 'NR == 1 {print $1, $3}')"
echo "load average at start: $(loadavg)  (other work on the machine skews the numbers)"
if [ "$quick" = 1 ]; then echo "QUICK run: small sizes, not the issue's"; fi
if [ -n "$only" ]; then echo "only: $only"; fi

if want ingest; then
section "1, 2, 5a: ingest, log filter, bytes per line ($events events)"
# lnav needs a format to parse the events: installed into a HOME of its own.
mkdir -p "$data/lnav-home"
HOME="$data/lnav-home" lnav -i tests/bench/keepwatch-lnav-format.json >/dev/null
"$bench_ingest" --events "$events" --sessions 200 --runs 3 --dir "$data/ingest" --lnav-home "$data/lnav-home"
fi

if want window; then
section "3: live load, 200 sessions x 1,000 lines/s for $window_seconds s"
"$bench_window" --sessions 200 --rate 1000 --seconds "$window_seconds"
"$bench_window" --sessions 200 --rate 1000 --seconds "$window_seconds" --history
fi

if want history; then
section "5b, 6, 10: history of $hist_sessions sessions and $hist_lines lines, and searching it"
history_dir="$data/history-$hist_sessions-$hist_lines"
mkdir -p "$history_dir"
if [ -s "$history_dir/history.db" ]; then
    "$bench_history" --sessions "$hist_sessions" --lines "$hist_lines" --reuse "$history_dir"
else
    echo "(generating the history database once; later runs reuse $history_dir)"
    "$bench_history" --sessions "$hist_sessions" --lines "$hist_lines" --keep "$history_dir"
fi
"$bench_startup" --history "$history_dir/history.db" --expect "$hist_sessions"
# Beside grep -r -F over the same lines as a spool (written once) and the
# sqlite3 shell's FTS5 query.
"$bench_search" --history "$history_dir/history.db" --spool "$history_dir/spool" --runs 3
fi

if want systemspool; then
section "7: system spool, $spool_files files and one of $spool_big_mib MiB"
"$bench_systemspool" --files "$spool_files" --big-mib "$spool_big_mib" --dir "$data"
fi

if want overhead; then
section "4: wrapper overhead, restic and rsync of a $tree_mb MB tree, $runs runs each"
# On tmpfs when there is one with room (KEEPWATCH_BENCH_TMPFS, default
# /dev/shm): a 1 % effect cannot be seen through the disk's writeback of the
# previous run's 500 MB, which spread bare rsync's runs over 0.8-3.5 s.
fast=${KEEPWATCH_BENCH_TMPFS:-/dev/shm}
if [ -d "$fast" ] && [ -w "$fast" ] \
    && [ "$(df -Pm "$fast" | awk 'NR == 2 {print $4}')" -gt $((tree_mb * 4)) ]; then
    wrap_root="$fast/keepwatch-bench"
else
    wrap_root="$data"
fi
mkdir -p "$wrap_root"
echo "tree, repository and destination under $wrap_root ($(df -P "$wrap_root" | awk 'NR == 2 {print $1}'))"
tree="$wrap_root/tree-$tree_mb"
if [ ! -f "$tree/.complete" ]; then
    rm -rf "$tree"
    # Seeded: the same tree every time. 70 % incompressible files, 30 % text;
    # 256 KiB files in 40 directories, like a home directory's documents.
    python3 - "$tree" "$tree_mb" <<'EOF'
import os, random, sys
root, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
words = [b"backup", b"restore", b"session", b"snapshot", b"keepwatch", b"repository", b"chunk"]
size = 256 * 1024
for i in range(mb * 4):
    d = os.path.join(root, "dir%02d" % (i % 40))
    os.makedirs(d, exist_ok=True)
    if i % 10 < 7:
        data = rng.randbytes(size)
    else:
        data = b" ".join(rng.choice(words) for _ in range(size // 8))[:size]
    with open(os.path.join(d, "file%05d.dat" % i), "wb") as f:
        f.write(data)
open(os.path.join(root, ".complete"), "w").close()
EOF
fi
echo "tree: $(du -sm "$tree" | cut -f1) MB in $(find "$tree" -type f | wc -l) files"
work="$wrap_root/wrap"
rm -rf "$work"
mkdir -p "$work/spool"
export KEEPWATCH_SPOOL="$work/spool" RESTIC_PASSWORD=bench

# Bare and wrapped runs alternate (tests/bench/compare_overhead.py says why).
export KEEPWATCH_CLI="$cli"
tests/bench/compare_overhead.py restic "$runs" "rm -rf $work/repo && restic init -q -r $work/repo" \
    -- restic -r "$work/repo" backup "$tree"
tests/bench/compare_overhead.py rsync "$runs" "rm -rf $work/dst" \
    -- rsync -a -v "$tree/" "$work/dst/"
echo "sessions the wrapper recorded: $(find "$work/spool" -name "*.jsonl" | wc -l)"
rm -rf "$work" # the tree stays for the next run; the repository and copies go
unset KEEPWATCH_SPOOL KEEPWATCH_CLI
fi

if want fleet; then
section "8: fleet, $fleet_hosts agents x 10 live sessions x 100 lines/s, beside a local spool"
# Mosquitto comes with the tests' packages (scripts/install-deps.sh test);
# Debian installs it into /usr/sbin.
export PATH="$PATH:/usr/sbin"
if ! command -v mosquitto >/dev/null || ! command -v mosquitto_passwd >/dev/null; then
    echo "skipped: mosquitto is not installed (Debian: mosquitto mosquitto-clients)"
else
    mosquitto -h 2>&1 | head -n 1 || true # "mosquitto version 2.0.11"; -h exits 3
    echo "load average before: $(loadavg)"
    "$bench_fleet" --hosts "$fleet_hosts" --sessions 10 --rate 100 --seconds "$fleet_seconds" \
        --cli "$cli" --dir "$data"
    echo "load average after: $(loadavg)"
fi
fi

if want recorder; then
section "9: recorder, $recorder_lines log lines of 200 sessions into the history"
"$bench_recorder" --lines "$recorder_lines" --sessions 200 --dir "$data/recorder"
fi

section "done"
echo "load average at end: $(loadavg)"
