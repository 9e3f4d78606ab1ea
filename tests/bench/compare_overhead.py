#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
"""Benchmark 4 (issue 7): a command bare vs under `keepwatch-cli run`.

hyperfine runs all of one command's runs, then all of the other's; here the
two alternate in ABBA order (bare, wrapped, wrapped, bare, ...), so a machine
that drifts (page cache, tmpfs, other work) weighs on both alike. Each run
gets the same preparation (a fresh repository or destination) and the same
output sink (/dev/null). Wall time is measured around the run; CPU is user +
system of the command and everything it waited for (RUSAGE_CHILDREN).

  compare_overhead.py NAME RUNS PREPARE -- COMMAND...   (WRAPPER in $KEEPWATCH_CLI)

Prints the medians, the median of the pairwise ratios and the targets.
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def main():
    name, runs, prepare = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if sys.argv[4] != "--":
        sys.exit("usage: compare_overhead.py NAME RUNS PREPARE -- COMMAND...")
    bare = sys.argv[5:]
    wrapped = [os.environ["KEEPWATCH_CLI"], "run", "--"] + bare

    def run(command):
        subprocess.run(prepare, shell=True, check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu

    run(bare)  # warm-up: caches, the binaries, the tree
    run(wrapped)
    results = {"bare": [], "wrapped": []}
    for i in range(runs):
        order = ("bare", "wrapped") if i % 2 == 0 else ("wrapped", "bare")
        for which in order:
            results[which].append(run(bare if which == "bare" else wrapped))

    def ms(seconds):
        return round(seconds * 1000)

    wall = {k: [w for w, _ in v] for k, v in results.items()}
    cpu = {k: [c for _, c in v] for k, v in results.items()}
    wall_ratios = [w / b for w, b in zip(wall["wrapped"], wall["bare"])]
    cpu_ratios = [w / b for w, b in zip(cpu["wrapped"], cpu["bare"])]
    wall_ratio = statistics.median(wall_ratios)
    cpu_ratio = statistics.median(cpu_ratios)
    print(f"{name}: wall median bare {ms(statistics.median(wall['bare']))} ms "
          f"(runs {ms(min(wall['bare']))}-{ms(max(wall['bare']))}), "
          f"wrapped {ms(statistics.median(wall['wrapped']))} ms "
          f"(runs {ms(min(wall['wrapped']))}-{ms(max(wall['wrapped']))}); "
          f"median pair ratio {wall_ratio:.3f} (target <= 1.01: "
          f"{'met' if wall_ratio <= 1.01 else 'MISSED'})")
    print(f"{name}: CPU median bare {ms(statistics.median(cpu['bare']))} ms, "
          f"wrapped {ms(statistics.median(cpu['wrapped']))} ms; "
          f"median pair ratio {cpu_ratio:.3f} (target <= 1.03: "
          f"{'met' if cpu_ratio <= 1.03 else 'MISSED'})")


if __name__ == "__main__":
    main()
