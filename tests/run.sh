#!/usr/bin/env bash
# Runs every test and prints one closing line: "total: N passed, M failed".
#   tests/run.sh RELEASE_BUILD_DIR ASAN_BUILD_DIR
# Unit tests (cmocka, TAP output) run in both builds: release catches what only optimised code
# shows, ASan+UBSan catches memory and undefined behaviour. Integration tests (tests/it/*.sh,
# *.mjs) print TAP lines themselves and get both binaries in $ENVWATCH and $ENVWATCH_ASAN.
set -uo pipefail
rel=${1:-build}
asan=${2:-build-asan}
root=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
failures=()

# run_tap LABEL CMD...: runs CMD, echoes its output, counts TAP results.
run_tap() {
  local label=$1; shift
  local out rc p f
  out=$("$@" 2>&1); rc=$?
  printf '%s\n' "$out" | sed "s|^|[$label] |"
  p=$(printf '%s\n' "$out" | grep -cE '^ok ' || true)
  f=$(printf '%s\n' "$out" | grep -cE '^not ok ' || true)
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1  # a crash or an error outside any test still fails the run
    printf '[%s] not ok - exited with status %d\n' "$label" "$rc"
  fi
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -gt 0 ] && failures+=("$label")
  printf '[%s] %d passed, %d failed\n' "$label" "$p" "$f"
}

# A throwaway PostgreSQL cluster for the suites that run on both backends (the store's contract
# suite, the intake over TCP); stopped and removed at exit. ENVWATCH_TEST_PG set by the caller
# names a cluster of its own instead.
pg_dir=""
if [ -z "${ENVWATCH_TEST_PG:-}" ]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/ew_pg.XXXXXX")
  chmod 755 "$pg_dir"
  if ENVWATCH_TEST_PG=$("$root/scripts/pg-cluster.sh" start "$pg_dir/c"); then
    export ENVWATCH_TEST_PG
  else
    echo "not ok - a PostgreSQL cluster for the tests did not start"
    failed=$((failed + 1)); failures+=("postgresql cluster")
  fi
fi
stop_pg() { [ -n "$pg_dir" ] && { "$root/scripts/pg-cluster.sh" stop "$pg_dir/c" || true; rm -rf "$pg_dir"; }; }
trap stop_pg EXIT

export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for dir in "$rel" "$asan"; do
  kind=release; [ "$dir" = "$asan" ] && kind=asan
  for t in "$dir"/tests/test_*; do
    [ -x "$t" ] || continue
    run_tap "$kind $(basename "$t")" "$t"
  done
done

export ENVWATCH="$root/$rel/envwatch" ENVWATCH_ASAN="$root/$asan/envwatch" ENVWATCH_ROOT="$root"
for t in "$root"/tests/it/*.sh "$root"/tests/it/*.mjs; do
  [ -f "$t" ] || continue
  case "$(basename "$t")" in lib.sh | lib.mjs) continue ;; esac
  case "$t" in
    *.sh) run_tap "it $(basename "$t")" bash "$t" ;;
    *.mjs) run_tap "it $(basename "$t")" node --test --test-reporter=tap "$t" ;;
  esac
done

# The scripts that drive the office API end to end run a second time on the ASan+UBSan build:
# the unit tests cover the handlers in-process, these cover them as people use them.
for t in access user escalate power_rtd; do
  ENVWATCH="$ENVWATCH_ASAN" run_tap "it asan $t.sh" bash "$root/tests/it/$t.sh"
done

[ ${#failures[@]} -gt 0 ] && printf 'failing: %s\n' "${failures[@]}"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
