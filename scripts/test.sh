#!/usr/bin/env bash
# Installs what is missing, builds Keepwatch and runs every test.
#  1. the core-only preset: core library, CLI and their tests without QtGui or
#     QtWidgets, which proves that core/ does not depend on them;
#  2. the dev preset (warnings as errors): everything, every test;
#  3. the Windows VSS helper cross-built with MinGW-w64, run under wine.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
echo "== core-only build (no QtGui/QtWidgets) =="
cmake --preset core-only >/dev/null
cmake --build --preset core-only -j "$jobs"
ctest --preset core-only -j "$jobs"

echo "== full build =="
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"

echo "== Windows VSS helper (MinGW-w64 cross build, error path under wine) =="
cmake -S . -B build/mingw -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
    -DCMAKE_BUILD_TYPE=Release -DKEEPWATCH_WERROR=ON >/dev/null
cmake --build build/mingw -j "$jobs"
ctest --test-dir build/mingw --output-on-failure
