# envwatch user: add, list, duplicates, roles, password rules, passwd, disable, audit entries.
. "$(dirname "$0")/lib.sh"
db=$TEST_TMP/u.db
ew() { "$ENVWATCH" "$@"; }

out=$(ew user --help); rc=$?
check "user --help exits 0" test "$rc" -eq 0
check "user --help prints usage" grep -q usage <<<"$out"

printf 'correct horse\n' | ew user add li --db "$db" --role bureau --org sthj --display '李工' >/dev/null; rc=$?
check "add a bureau user" test "$rc" -eq 0
printf 'battery staple\n' | ew user add wang --db "$db" --role unit --org jianshe >/dev/null; rc=$?
check "add a unit user of a plan unit" test "$rc" -eq 0
printf 'pw-from-file\n' >"$TEST_TMP/pw"
ew user add chen --db "$db" --role enterprise --org 'Alpha Chem' --password-file "$TEST_TMP/pw" </dev/null >/dev/null; rc=$?
check "add with --password-file" test "$rc" -eq 0

json=$(ew user list --db "$db" --json); rc=$?
check "list --json exits 0" test "$rc" -eq 0
check "list holds three users in name order" test "$(jq -r '[.[].name] | join(",")' <<<"$json")" = chen,li,wang
check "list shows role and org" test "$(jq -r '.[] | select(.name=="wang") | "\(.role) \(.org)"' <<<"$json")" = "unit jianshe"
check "list shows the display name" test "$(jq -r '.[] | select(.name=="li") | .display' <<<"$json")" = 李工
check "list never shows password hashes" bash -c '! grep -q argon2 <<<"$1"' _ "$json"
check "the stored password is an Argon2id hash" \
  test "$(sqlite3 "$db" "SELECT substr(pw_hash,1,10) FROM app_user WHERE name='li'")" = '$argon2id$'
text=$(ew user list --db "$db")
check "list as text names the users" grep -q '^wang  *unit  *jianshe  *active' <<<"$text"

err=$(printf 'another pass\n' | ew user add li --db "$db" --role admin 2>&1); rc=$?
check "a duplicate name exits 1" test "$rc" -eq 1
check "a duplicate name is named" grep -q "user 'li' exists" <<<"$err"
check "a duplicate leaves the role unchanged" test "$(sqlite3 "$db" "SELECT role FROM app_user WHERE name='li'")" = bureau

err=$(printf 'long enough\n' | ew user add x --db "$db" --role root 2>&1); rc=$?
check "an unknown role exits 2" test "$rc" -eq 2
check "an unknown role is named" grep -q "unknown role 'root'" <<<"$err"
err=$(printf 'long enough\n' | ew user add x --db "$db" --role unit --org police 2>&1); rc=$?
check "a unit that is not in the plan exits 2" test "$rc" -eq 2
check "the plan's units are listed" grep -q "'police' is not a unit of plan" <<<"$err"
printf 'long enough\n' | ew user add x --db "$db" --role unit >/dev/null 2>&1; rc=$?
check "a unit account without --org exits 2" test "$rc" -eq 2
err=$(printf 'short\n' | ew user add x --db "$db" --role auditor 2>&1); rc=$?
check "a 5-byte password exits 2" test "$rc" -eq 2
check "the password rule is stated" grep -q "8 to 256 bytes" <<<"$err"
ew user add x --db "$db" --role auditor </dev/null >/dev/null 2>&1; rc=$?
check "no password on stdin exits 2" test "$rc" -eq 2
check "refused adds store nothing" test "$(sqlite3 "$db" "SELECT count(*) FROM app_user")" = 3

old=$(sqlite3 "$db" "SELECT pw_hash FROM app_user WHERE name='wang'")
printf 'a new password\n' | ew user passwd wang --db "$db" >/dev/null; rc=$?
check "passwd exits 0" test "$rc" -eq 0
check "passwd replaces the hash" test "$(sqlite3 "$db" "SELECT pw_hash FROM app_user WHERE name='wang'")" != "$old"
printf 'tiny\n' | ew user passwd wang --db "$db" >/dev/null 2>&1; rc=$?
check "passwd refuses a short password" test "$rc" -eq 2
printf 'a new password\n' | ew user passwd nobody --db "$db" >/dev/null 2>&1; rc=$?
check "passwd of an unknown user exits 1" test "$rc" -eq 1

ew user disable wang --db "$db" >/dev/null; rc=$?
check "disable exits 0" test "$rc" -eq 0
check "disable marks the user" test "$(ew user list --db "$db" --json | jq -r '.[] | select(.name=="wang") | .disabled')" = true
check "disable keeps the others active" test "$(ew user list --db "$db" --json | jq '[.[] | select(.disabled)] | length')" = 1

check "each change left an audit entry by cli" \
  test "$(sqlite3 "$db" "SELECT group_concat(action || ':' || object, ' ') FROM (SELECT * FROM audit WHERE actor='cli' ORDER BY id)")" \
  = "user.add:li user.add:wang user.add:chen user.passwd:wang user.disable:wang"

ew user list >/dev/null 2>&1; rc=$?
check "list without --db is a usage error" test "$rc" -eq 2
ew user frobnicate --db "$db" >/dev/null 2>&1; rc=$?
check "an unknown action is a usage error" test "$rc" -eq 2
ew user list --db "$TEST_TMP/no/such/dir/x.db" >/dev/null 2>&1; rc=$?
check "an unopenable database exits 3" test "$rc" -eq 3
