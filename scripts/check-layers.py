#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
"""Fails when a file in core/ includes a folder above its own layer.

The layers are core's dependency direction (docs/architecture.md, "Layers"):
a folder may include folders of lower layers and itself, never a folder of
its own layer or above, so no cycle can come back. A new folder must be given
a layer here, on purpose.
"""
import pathlib
import re
import sys

# Lower numbers are lower layers.
LAYERS = {
    # the wire and the machine
    "protocol": 0,
    "platform": 0,
    "logging": 0,
    # what events fold into; how things are shown; tool output -> events
    # (the generic machinery); what each tool means (one folder per tool)
    "store": 1,
    "format": 1,
    "adapters": 1,
    "tools": 2,
    # the collector's contract, value exports, preferences' inputs
    "collector": 3,
    "export": 3,
    # sources and producers of events
    "spool": 4,
    "settings": 5,
    "wrapper": 5,
    "discovery": 5,
    "history": 5,
    "models": 6,
    "cancel": 5,
    "vss": 5,
    "systemd": 5,
    "fleet": 5,
    "bacula": 5,
    # what users run; models are views' inputs, not a formatting library
    "launch": 6,
    "report": 6,
    # the composition root: every source, built in one place
    "sources": 7,
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z]+)/[^"]+"', re.MULTILINE)


def main() -> int:
    root = pathlib.Path(__file__).resolve().parent.parent / "core"
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        folder = path.relative_to(root).parts[0]
        if folder not in LAYERS:
            problems.append(f"core/{folder}/ has no layer in scripts/check-layers.py")
            continue
        for match in INCLUDE.finditer(path.read_text(encoding="utf-8")):
            target = match.group(1)
            if target == folder:
                continue
            if target not in LAYERS:
                problems.append(f"{path.relative_to(root.parent)}: includes {target}/, "
                                "which has no layer")
            elif LAYERS[target] >= LAYERS[folder]:
                problems.append(f"{path.relative_to(root.parent)}: {folder}/ (layer "
                                f"{LAYERS[folder]}) includes {target}/ (layer "
                                f"{LAYERS[target]}): against the direction")
    for p in sorted(set(problems)):
        print(f"check-layers: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"check-layers: every include in core/ follows the layers ({len(LAYERS)} folders)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
