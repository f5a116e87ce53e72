# Helpers for integration tests written in bash; source it, then call ok/not_ok/check.
# Each result is a TAP line that tests/run.sh counts.
: "${ENVWATCH:?set by tests/run.sh}"
_tap_n=0
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $*"; }
# check DESCRIPTION CMD...: ok if CMD succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# A private temporary directory removed at exit.
TEST_TMP=$(mktemp -d)
trap 'rm -rf "$TEST_TMP"' EXIT
# A free TCP port on loopback, below Linux's ephemeral range (32768-60999) so that no
# client connection of the test itself can hold it when a server binds it.
free_port() { local p; for _ in $(seq 50); do p=$((20000 + RANDOM % 12000)); ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && { echo "$p"; return; }; done; return 1; }
