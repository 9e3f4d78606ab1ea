#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# Runs real restic, borg and rsync sessions (plus a failing one) through
# keepwatch-cli in a scratch spool, and saves a picture of the window under
# Xvfb while they run: docs/screenshot-main.png, then the same sessions in the
# timeline view: docs/screenshot-timeline.png.
# Usage: scripts/screenshot.sh [BUILD_DIR] [OUTPUT.png] [TIMELINE.png]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
out=${2:-docs/screenshot-main.png}
timeline=${3:-docs/screenshot-timeline.png}
cli="$PWD/$build/bin/keepwatch-cli"
app="$PWD/$build/bin/keepwatch"

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export KEEPWATCH_SPOOL="$work/spool" RESTIC_PASSWORD=screenshot BORG_PASSPHRASE=screenshot \
       BORG_BASE_DIR="$work/borg-base" LANG=C.UTF-8 RESTIC_CACHE_DIR="$work/restic-cache" \
       XDG_CONFIG_HOME="$work/config" # the window's layout: its defaults, not yours
mkdir -p "$work/src/photos" "$work/src/docs"
for i in $(seq 1 40); do head -c 400000 /dev/urandom > "$work/src/photos/IMG_$((2200 + i)).jpg"; done
for i in $(seq 1 30); do head -c 200000 /dev/urandom > "$work/src/docs/report-$i.pdf"; done
restic -r "$work/restic" init -q
borg init -e repokey "$work/borg" 2>/dev/null

# Finished ones first: a restore, a failure.
"$cli" run --title "Documents to NAS" -- restic -r "$work/restic" backup --json "$work/src/docs" >/dev/null
"$cli" run --title "Restore documents" -- restic -r "$work/restic" restore latest --target "$work/restored" >/dev/null
RESTIC_PASSWORD=wrong "$cli" run --title "Photos to B2 (old key)" -- restic -r "$work/restic" backup --json "$work/src/photos" >/dev/null 2>&1 || true
# Live ones, slowed down so that they are running when the picture is taken.
"$cli" run --title "Photos to NAS" -- restic -r "$work/restic" backup --json --limit-upload 300 "$work/src/photos" >/dev/null &
"$cli" run --title "Home to USB disk" -- borg create --log-json --progress --json --compression lzma,9 "$work/borg::home-1" "$work/src" >/dev/null 2>&1 &
"$cli" run --title "Mirror photos" -- rsync -a --info=progress2 --bwlimit=600 "$work/src/photos/" "$work/mirror/" >/dev/null &
sleep 6
id=$("$cli" list --json | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["state"]=="failed"][0])')
xvfb-run -a -s "-screen 0 1280x800x24" "$app" --spool "$KEEPWATCH_SPOOL" --history "$work/history.db" --open "$id" \
    --screenshot "$out" --screenshot-delay 2500
echo "saved $out"
# The window remembers its view: switch it to the timeline for the second picture.
sed -i 's/^sessionView=.*/sessionView=1/' "$work/config/Keepwatch/keepwatch.conf"
grep -q '^sessionView=1' "$work/config/Keepwatch/keepwatch.conf"
xvfb-run -a -s "-screen 0 1280x800x24" "$app" --spool "$KEEPWATCH_SPOOL" --history "$work/history.db" \
    --screenshot "$timeline" --screenshot-delay 2500
echo "saved $timeline"
