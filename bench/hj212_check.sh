#!/usr/bin/env bash
# `envwatch hj212 check` against `wc -l` on the same 256 MiB capture, in one run: minute
# uploads of 1,000 devices (air, flue gas, wastewater) as bench_hj212_replay encodes them.
# Both read the file from the page cache; each figure is the best of five runs. The ratio
# check/wc is the share of the machine's plain line-scanning speed the checker reaches.
#   ENVWATCH=build/envwatch bench/hj212_check.sh      (CHECK_MB=256 by default)
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
replay=${REPLAY:-$(dirname "$ENVWATCH")/bench/bench_hj212_replay}
mb=${CHECK_MB:-256}
[ -x "$replay" ] || { echo "hj212_check: $replay not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ENVWATCH" simulate --devices 1000 --kind mixed --print-devices >"$tmp/dev.csv"
"$replay" --devices "$tmp/dev.csv" --capture "$tmp/cap.hj212" --mb "$mb" || exit 1
cap="$tmp/cap.hj212"
bytes=$(stat -c %s "$cap")
best() { # best wall time of 5 runs of the command, in seconds
  local b=999999999999 s e t
  for _ in 1 2 3 4 5; do
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    t=$((e - s))
    [ "$t" -lt "$b" ] && b=$t
  done
  echo "$b"
}
"$ENVWATCH" hj212 check "$cap" || exit 1
cat "$cap" >/dev/null
c=$(best "$ENVWATCH" hj212 check "$cap")
w=$(best wc -l "$cap")
awk -v c="$c" -v w="$w" -v n="$bytes" 'BEGIN {
  printf "hj212 check %.0f MB/s (%.3f s), wc -l %.0f MB/s (%.3f s), ratio %.3f\n",
         n / c * 1000, c / 1e9, n / w * 1000, w / 1e9, w / c }'
