# The command line: every subcommand answers --help, unknown commands are usage errors.
. "$(dirname "$0")/lib.sh"
for c in hj212 aqi assess serve simulate stats plan; do
  check "envwatch $c --help exits 0 and prints usage" bash -c "'$ENVWATCH' $c --help | grep -qi usage"
done
"$ENVWATCH" no-such-command >/dev/null 2>&1; rc=$?
check "unknown command exits 2" test "$rc" -eq 2
check "--version prints the version" bash -c "'$ENVWATCH' --version | grep -q '^envwatch '"
