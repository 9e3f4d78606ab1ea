#!/usr/bin/env bash
# Installs what is missing, builds Keepwatch and runs every test.
#  1. the core-only preset: core library, CLI and their tests without QtGui or
#     QtWidgets, which proves that core/ does not depend on them;
#  2. the dev preset (warnings as errors): everything, every test.
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
