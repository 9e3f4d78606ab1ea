#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Fails when a tracked C++ file drifts from .clang-format or lacks its SPDX
# licence header. Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t sources < <(git ls-files '*.cpp' '*.h')
clang-format --dry-run -Werror "${sources[@]}"

missing=()
for f in "${sources[@]}" $(git ls-files 'CMakeLists.txt' '*/CMakeLists.txt' '*.cmake' '*.sh' '*.py'); do
    head -n 4 "$f" | grep -q 'SPDX-License-Identifier: MIT' || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
    printf 'check-format: no SPDX-License-Identifier header in %s\n' "${missing[@]}" >&2
    exit 1
fi
echo "check-format: ${#sources[@]} C++ files formatted, every file has its SPDX header"
