#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
# docs/fleet.md's setup on this machine, for the pictures in docs/fleet.md: a
# Mosquitto on loopback with a user per host and the ACL of docs/fleet.md,
# three agents (web01, db01, nas01) with real restic and rsync sessions, and
# the window connected to the broker itself (Settings → Many hosts). db01's
# agent is killed during its backup, so the Hosts view shows an offline host.
# Saves docs/screenshot-fleet.png (the sessions of every host) and
# docs/screenshot-hosts.png (the Hosts view), under Xvfb.
# Usage: scripts/screenshot-fleet.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
cli="$PWD/$build/bin/keepwatch-cli"
app="$PWD/$build/bin/keepwatch"

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export LANG=C.UTF-8 RESTIC_PASSWORD=screenshot XDG_CONFIG_HOME="$work/config" \
       XDG_STATE_HOME="$work/desk-state"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The broker: docs/fleet.md's ACL, a password per user.
cat > "$work/acl" <<ACL
pattern write keepwatch/v1/%u/status
pattern write keepwatch/v1/%u/sessions/+/events
pattern write keepwatch/v1/%u/sessions/+/state
pattern write keepwatch/v1/%u/replies
pattern read  keepwatch/v1/%u/cmd/#
user desk-admin
topic read  keepwatch/v1/#
topic write keepwatch/v1/+/cmd/#
ACL
: > "$work/passwd"
for user in web01 db01 nas01 desk-admin; do
    printf 'pw-%s\n' "$user" > "$work/$user.secret"
    chmod 600 "$work/$user.secret"
    mosquitto_passwd -b "$work/passwd" "$user" "pw-$user"
done
cat > "$work/mosquitto.conf" <<CONF
per_listener_settings false
user root
allow_anonymous false
password_file $work/passwd
acl_file $work/acl
listener $port 127.0.0.1
use_username_as_clientid true
CONF
mosquitto -c "$work/mosquitto.conf" 2>"$work/mosquitto.log" &
pids+=($!)
sleep 0.5

# Each host: its spool, its agent, its sessions.
mkdir -p "$work/src/photos" "$work/src/db"
for i in $(seq 1 40); do head -c 400000 /dev/urandom > "$work/src/photos/IMG_$((2200 + i)).jpg"; done
for i in $(seq 1 20); do head -c 300000 /dev/urandom > "$work/src/db/dump-$i.sql"; done
restic -r "$work/restic" init -q
# Each command as host NAME (its spool); `env`, not a function, so that $! is the
# command's own pid.
host() { echo "KEEPWATCH_SPOOL=$work/$1/spool"; }
for name in web01 db01 nas01; do
    mkdir -p "$work/$name"
    env "$(host $name)" "$cli" agent --broker "mqtt://127.0.0.1:$port" --host "$name" \
        --state-dir "$work/$name/state" --username "$name" --password-file "$work/$name.secret" \
        --allow-remote-cancel 2>"$work/$name/agent.log" &
    pids+=($!)
done
agent_db01=${pids[2]}
env "$(host web01)" "$cli" run --title "Web content to NAS" -- rsync -a "$work/src/db/" "$work/web-copy/" >/dev/null
env "$(host nas01)" "$cli" run --title "Photos offsite (old key)" -- env RESTIC_PASSWORD=wrong \
    restic -r "$work/restic" backup --json "$work/src/photos" >/dev/null 2>&1 || true
env "$(host web01)" "$cli" run --title "Photos to NAS" -- restic -r "$work/restic" backup --json \
    --limit-upload 300 "$work/src/photos" >/dev/null &
pids+=($!)
env "$(host db01)" "$cli" run --title "Database dumps" -- rsync -a --info=progress2 --bwlimit=100 \
    "$work/src/db/" "$work/db-copy/" >/dev/null &
pids+=($!)
env "$(host nas01)" "$cli" run --title "Mirror photos" -- rsync -a --info=progress2 --bwlimit=600 \
    "$work/src/photos/" "$work/nas-copy/" >/dev/null &
pids+=($!)
sleep 2

# The window, connected to the broker itself (before db01 vanishes: what an
# agent published before a collector first subscribed only comes by replay,
# and a dead agent answers none).
mkdir -p "$work/config/Keepwatch"
cat > "$work/config/Keepwatch/keepwatch.conf" <<SETTINGS
[broker]
url=mqtt://127.0.0.1:$port
username=desk-admin
passwordFile=$work/desk-admin.secret

[window]
sessionView=0
SETTINGS
shoot() { # VIEW DELAY_MS OUTPUT [WINDOW OPTIONS...]
    sed -i "s/^sessionView=.*/sessionView=$1/" "$work/config/Keepwatch/keepwatch.conf"
    local delay=$2 output=$3
    shift 3
    xvfb-run -a -s "-screen 0 1600x900x24" "$app" -geometry 1560x760 --spool "$work/desk-spool" \
        --screenshot "$output" --screenshot-delay "$delay" "$@"
    echo "saved $output"
}
shoot 0 4000 "$work/connecting.png" &
shot=$!
sleep 3
kill -KILL "$agent_db01" # db01 vanishes during its backup: offline after the will's 5 s
wait "$shot"
sleep 4
shoot 3 3000 docs/screenshot-hosts.png
# db01's backup in the table and the details: unknown since db01 went away.
id=$(env "$(host desk)" "$cli" list --json | python3 -c \
    'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["host"]=="db01"][0])')
shoot 0 3000 docs/screenshot-fleet.png --open "$id"
