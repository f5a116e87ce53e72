# envwatch plan: check and show plan files, the default plan, precise errors.
. "$(dirname "$0")/lib.sh"
root=${ENVWATCH_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
data=$root/tests/data/plan
shipped=$root/data/plan/zhengzhou-jingkai-2023-2025.json

out=$("$ENVWATCH" plan check "$shipped" 2>&1); rc=$?
check "plan check accepts the shipped plan" test "$rc" -eq 0
check "plan check counts 10 actions and 21 tasks" grep -q '10 actions, 21 tasks' <<<"$out"

err=$("$ENVWATCH" plan check "$data/unknown_unit.json" 2>&1); rc=$?
check "an unknown unit exits 1" test "$rc" -eq 1
check "an unknown unit is named with its JSON path" \
  grep -qF '$.actions[0].tasks[1].lead[1]: unknown unit "police"' <<<"$err"

err=$("$ENVWATCH" plan check "$data/bad_syntax.json" 2>&1); rc=$?
check "a syntax error exits 1" test "$rc" -eq 1
check "a syntax error gives line and column" grep -qF 'line 4, column 9:' <<<"$err"

"$ENVWATCH" plan check "$TEST_TMP/absent.json" >/dev/null 2>&1; rc=$?
check "an unreadable file exits 3" test "$rc" -eq 3
"$ENVWATCH" plan >/dev/null 2>&1; rc=$?
check "plan without an action is a usage error" test "$rc" -eq 2
"$ENVWATCH" plan publish >/dev/null 2>&1; rc=$?
check "an unknown action is a usage error" test "$rc" -eq 2

# The default plan is found next to the executable's tree without any setting.
json=$(env -u ENVWATCH_DATA_DIR "$ENVWATCH" plan show --json); rc=$?
check "plan show --json finds the default plan" test "$rc" -eq 0
check "the JSON holds 10 actions" test "$(jq '.actions | length' <<<"$json")" = 10
check "the JSON holds 21 tasks" test "$(jq '[.actions[].tasks[]] | length' <<<"$json")" = 21
check "the PM2.5 target is 40 and <=" \
  test "$(jq -r '.targets[] | select(.id == "pm25_annual_mean") | "\(.target) \(.comparator)"' <<<"$json")" = "40 <="
check "the good-days target is 66.5 %" \
  test "$(jq -r '.targets[] | select(.id == "good_days_ratio") | .target' <<<"$json")" = 66.5
check "task 18 names 区社会事业局(水利)'s id" \
  test "$(jq -r '.actions[8].tasks[5].responsible[2]' <<<"$json")" = shehui-shuili
check "the JSON lists the units" test "$(jq '.units | length' <<<"$json")" = 22

# ENVWATCH_DATA_DIR takes precedence.
mkdir -p "$TEST_TMP/data/plan"
cp "$data/minimal.json" "$TEST_TMP/data/plan/zhengzhou-jingkai-2023-2025.json"
n=$(ENVWATCH_DATA_DIR="$TEST_TMP/data" "$ENVWATCH" plan show --json | jq '[.actions[].tasks[]] | length')
check "ENVWATCH_DATA_DIR selects the plan directory" test "$n" = 2

text=$("$ENVWATCH" plan show "$shipped")
check "plan show prints the actions in Chinese" grep -q '(1)城市空气质量提升进位行动' <<<"$text"
check "plan show prints the lead unit" grep -q '牵头单位:区攻坚办' <<<"$text"
check "plan show joins units as the plan text does" \
  grep -q '配合单位:区财政局(审计局)、生态环境分局,各镇、办(管区)' <<<"$text"
check "another district's plan loads from its own file" \
  bash -c "'$ENVWATCH' plan show '$data/minimal.json' | grep -q 扬尘治理行动"

# The sanitizer build walks the same paths without a report.
if [ -x "${ENVWATCH_ASAN:-}" ]; then
  {
    "$ENVWATCH_ASAN" plan show "$shipped" >/dev/null
    "$ENVWATCH_ASAN" plan show --json >/dev/null
    "$ENVWATCH_ASAN" plan check "$data/unknown_unit.json"
    "$ENVWATCH_ASAN" plan check "$data/bad_syntax.json"
  } 2>"$TEST_TMP/asan.err"
  check "ASan build: plan show and check run without a sanitizer report" \
    bash -c "! grep -q Sanitizer '$TEST_TMP/asan.err'"
fi
