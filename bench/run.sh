#!/usr/bin/env bash
# Runs every benchmark: the compiled bench_* programs of BUILD and the bench/*.sh scripts
# (end-to-end benchmarks that start a server). Each prints its own throughput and memory.
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cmake --build "$build" -j "$(nproc)" >/dev/null || exit 1
rc=0
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  # the replay client needs a server: bench/replay.sh and bench/hj212_check.sh run it
  [ "$(basename "$b")" = bench_hj212_replay ] && continue
  echo "== $(basename "$b")"
  /usr/bin/time -f 'max RSS %M KiB, %e s wall' "$b" || rc=1
done
for s in "$root"/bench/*.sh; do
  case "$(basename "$s")" in run.sh | lib.sh) continue ;; esac
  [ -f "$s" ] || continue
  echo "== $(basename "$s")"
  args=()
  # The soak's default is 10 minutes; make bench runs it for SOAK_SECONDS (default 120).
  [ "$(basename "$s")" = soak.sh ] && args=("${SOAK_SECONDS:-120}" 15)
  ENVWATCH="$root/$build/envwatch" bash "$s" "${args[@]}" || rc=1
done
exit $rc
