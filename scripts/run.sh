#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Installs what building and running the window needs (not the test tool
# chain: scripts/test.sh installs that), builds Keepwatch and starts the window.
# Usage: scripts/run.sh [keepwatch options, e.g. --spool DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh run
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/bin/keepwatch "$@"
