#!/usr/bin/env bash
# Runs every libFuzzer target of BUILD for SECONDS each on its corpus (fuzz/corpus/<name>/).
# New inputs go to a scratch directory, so the committed corpus changes only by hand.
# Exits non-zero if any fuzzer finds a crash, leak or timeout.
set -uo pipefail
build=${1:-build-fuzz}
secs=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
rc=0
mkdir -p "$root/fuzz/crashes"
for f in "$build"/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f"); name=${name#fuzz_}
  corpus="$root/fuzz/corpus/$name"
  scratch=$(mktemp -d)
  mkdir -p "$corpus"
  echo "== fuzz $name for ${secs}s"
  log="$scratch.log"
  "$f" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$root/fuzz/crashes/$name-" "$scratch" "$corpus" >"$log" 2>&1
  st=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)' "$log"
  [ "$st" -eq 0 ] || { tail -40 "$log"; echo "fuzz $name: FAILED (see fuzz/crashes/)"; rc=1; }
  rm -rf "$scratch" "$log"
done
exit $rc
