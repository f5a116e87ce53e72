#!/usr/bin/env bash
# Mutation check: apply each mutation of tests/mutants.list alone, rebuild build-mutants/,
# run that entry's tests; a mutation no test kills "survives". A mutation whose original
# text is found zero or several times under its glob is "stale": the list must be updated.
# Usage: scripts/mutants.sh [LIST] [ID...]     exit 0 only if every mutation was killed.
set -u
cd "$(dirname "$0")/.."
LIST=${1:-tests/mutants.list}; shift || true
ONLY=" $* "
B=${MUTANTS_BUILD:-build-mutants}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 2
cmake --build "$B" -j "${JOBS:-2}" >/dev/null || { echo "baseline build failed"; exit 2; }
CUR=""; SAVE=$(mktemp)
restore() { [ -n "$CUR" ] && cp "$SAVE" "$CUR" && touch "$CUR"; CUR=""; }
trap 'restore; rm -f "$SAVE"' EXIT
trap 'restore; exit 130' INT TERM
# The suites that run on PostgreSQL too need a cluster: a throwaway one unless named.
if [ -z "${ENVWATCH_TEST_PG:-}" ]; then
    PGT=$(mktemp -d); chmod 755 "$PGT"
    ENVWATCH_TEST_PG=$(scripts/pg-cluster.sh start "$PGT/c") || { echo "no PostgreSQL cluster"; exit 2; }
    export ENVWATCH_TEST_PG
    trap 'restore; rm -f "$SAVE"; scripts/pg-cluster.sh stop "$PGT/c"; rm -rf "$PGT"' EXIT
fi
K=0; N=0; BAD=0
run_tests() { # prints the killing test, returns 0 if killed
    for t in $1; do
        case $t in
        # A script fails by its exit status or by a "not ok" TAP line (tests/run.sh counts
        # those; the scripts themselves exit 0 after a failed check).
        *.sh) local tap
              tap=$(ENVWATCH=$PWD/$B/envwatch ENVWATCH_ASAN=$PWD/$B/envwatch ENVWATCH_ROOT=$PWD \
                  timeout 300 bash "tests/it/$t" 2>/dev/null) || { echo "$t"; return 0; }
              grep -q '^not ok' <<<"$tap" && { echo "$t"; return 0; } ;;
        *) timeout 300 "$B/tests/test_$t" >/dev/null 2>&1 || { echo "$t"; return 0; } ;;
        esac
    done
    return 1
}
one() { # id desc glob from to tests
    local id=$1 desc=$2 glob=$3 from=$4 to=$5 tests=$6 files hits=() f c
    case $ONLY in "  ") ;; *" $id "*) ;; *) return ;; esac
    N=$((N + 1))
    shopt -s globstar nullglob; files=($glob); shopt -u globstar nullglob
    local total=0
    for f in "${files[@]}"; do
        c=$(F="$from" perl -0777 -ne '$n = () = /\Q$ENV{F}\E/g; print $n' "$f")
        [ "$c" -gt 0 ] && hits+=("$f") && total=$((total + c))
    done
    if [ "$total" -ne 1 ]; then
        printf '%-22s STALE    (%d occurrences under %s) %s\n' "$id" "$total" "$glob" "$desc"
        BAD=1; return
    fi
    CUR=${hits[0]}; cp "$CUR" "$SAVE"
    F="$from" T="$to" perl -0777 -pi -e 's/\Q$ENV{F}\E/$ENV{T}/' "$CUR"
    local by targets=() t
    for t in $tests; do
        case $t in *.sh) targets+=(envwatch) ;; *) targets+=("test_$t") ;; esac
    done
    if ! cmake --build "$B" -j "${JOBS:-2}" --target "${targets[@]}" >/dev/null 2>&1; then
        by="(build)"
    else
        by=$(run_tests "$tests")
    fi
    restore
    if [ -n "$by" ]; then
        K=$((K + 1)); printf '%-22s killed   by %-24s %s\n' "$id" "$by" "$desc"
    else
        BAD=1; printf '%-22s SURVIVED (%s) %s\n' "$id" "$tests" "$desc"
    fi
}
# Entry format: blocks of "key: value" lines separated by a blank line; keys id, desc,
# in (glob under the repo root), from, to, tests (unit names layer_name or it/*.sh scripts).
# from/to are literal text; "\n" in them stands for a newline.
declare -A e=()
flush() {
    if [ -n "${e[id]:-}" ]; then
        one "${e[id]}" "${e[desc]:-}" "${e[in]:-src/**/*.c}" \
            "$(printf '%b' "${e[from]}")" "$(printf '%b' "${e[to]}")" "${e[tests]}"
    elif [ "${#e[@]}" -gt 0 ]; then
        # A block without an id would be skipped silently: the list is broken.
        echo "a block without id (desc: ${e[desc]:-?})"; BAD=1
    fi
    e=()
}
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    '#'*) ;;
    '') flush ;;
    *:*) v=${line#*:}; e[${line%%:*}]=${v# } ;;
    esac
done <"$LIST"
flush
cmake --build "$B" -j "${JOBS:-2}" >/dev/null 2>&1
if ! git diff --quiet -- src; then echo "source tree not clean after the run"; BAD=1; fi
echo "killed $K of $N"
[ "$BAD" -eq 0 ]
