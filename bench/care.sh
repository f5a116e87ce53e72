#!/usr/bin/env bash
# Soundness check and backup speed: fills a fresh database by `envwatch serve` under the
# simulator for SECONDS (default 20), then times `envwatch check --quick` (what serve runs at
# start), the full `envwatch check`, `envwatch backup` and `envwatch restore`, with their
# peak RSS, and a backup taken while the simulator keeps the server busy.
#   ENVWATCH=build/envwatch bench/care.sh [SECONDS]
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
secs=${1:-20}
tmp=$(mktemp -d)
trap 'kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
port=$((20000 + RANDOM % 10000))
"$ENVWATCH" simulate --devices 50 --kind mixed --print-devices >"$tmp/dev.csv"
"$ENVWATCH" serve --db "$tmp/db" --hj212 "127.0.0.1:$port" --devices "$tmp/dev.csv" 2>/dev/null &
srv=$!
sleep 0.5
"$ENVWATCH" simulate --devices 50 --rate 0 --window 8 --duration "$secs" "127.0.0.1:$port" >/dev/null 2>&1 &
sim=$!
sleep $((secs / 2))
echo "backup under load:"
/usr/bin/time -f '  max RSS %M KiB, %e s wall' "$ENVWATCH" backup --db "$tmp/db" --to "$tmp/live-backup"
wait "$sim"
kill "$srv"; wait "$srv" 2>/dev/null
"$ENVWATCH" stats --db "$tmp/db" | head -2
echo "database: $(($(stat -c %s "$tmp/db") / 1000000)) MB"
t() { local name=$1; shift; echo "$name:"; /usr/bin/time -f '  max RSS %M KiB, %e s wall' "$@"; }
t "check --quick" "$ENVWATCH" check --db "$tmp/db" --quick
t "check (full)" "$ENVWATCH" check --db "$tmp/db"
t "backup (idle)" "$ENVWATCH" backup --db "$tmp/db" --to "$tmp/backup"
t "restore" "$ENVWATCH" restore --from "$tmp/backup" --db "$tmp/restored"
