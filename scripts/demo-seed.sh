#!/usr/bin/env bash
# Demo accounts and work for `make demo`: one account per role, a few cases at different
# points of the closed loop, and progress reports on plan tasks, all made through the
# running server's API exactly as people would make them.
#   scripts/demo-seed.sh ENVWATCH DB BASE_URL ACCOUNTS_FILE
# Accounts get random passwords, written to ACCOUNTS_FILE (mode 600) and printed; a second
# run keeps the accounts and their passwords and adds nothing twice.
set -euo pipefail
ew=$1 db=$2 base=$3 accounts=$4

# name role org display (org: a plan unit id, or the enterprise name its devices carry)
users=(
  "admin admin - 系统管理员"
  "sthj bureau sthj 生态环境分局"
  "jianshe unit jianshe 区建设局"
  "zhifa unit zonghe-zhifa 区综合行政执法局"
  "towns unit towns 各镇办"
  "auditor auditor - 区审计"
  "qiye enterprise 郑州宏远汽车零部件有限公司 宏远汽车零部件"
)

if [[ ! -s $accounts ]]; then
  umask 077
  : >"$accounts"
  for u in "${users[@]}"; do
    read -r name role org display <<<"$u"
    pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 14)
    args=(user add "$name" --db "$db" --role "$role" --display "$display")
    [[ $org != - ]] && args+=(--org "${org//_/ }") # "_" stands for a space in the table
    printf '%s\n' "$pw" | "$ew" "${args[@]}" >/dev/null
    printf '%-8s %-10s %s\n' "$name" "$role" "$pw" >>"$accounts"
  done
  fresh=1
else
  fresh=0
fi

pw_of() { awk -v n="$1" '$1 == n { print $3 }' "$accounts"; }
token_of() {
  curl -sf -X POST "$base/api/v1/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$(pw_of "$1")\"}" | jq -r .token
}
# call TOKEN METHOD PATH [JSON]
call() {
  local tok=$1 method=$2 path=$3 body=${4:-}
  curl -sf -X "$method" "$base/api/v1/$path" -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/json' ${body:+-d "$body"}
}

if ((fresh)); then
  bureau=$(token_of sthj)
  jianshe=$(token_of jianshe)
  zhifa=$(token_of zhifa)
  day() { date -d "+$1 days" +%Y-%m-%d; }

  # A public report (随手拍) about dust at a construction site, taken through the whole loop
  # up to rectification; the bureau has yet to verify it.
  r=$(curl -sf -X POST "$base/api/v1/public/reports" -H 'Content-Type: application/json' \
    -d '{"category":"dust","location":"经开区第八大街与经南五路交叉口工地","lon":113.742,"lat":34.708,"description":"工地土方未覆盖，车辆带泥上路，扬尘明显","contact":"13800000000"}')
  id=$(call "$bureau" GET "cases?state=reported" | jq -r '.data[0].id')
  call "$bureau" POST "cases/$id/actions" '{"action":"accept"}' >/dev/null
  call "$bureau" POST "cases/$id/actions" "{\"action\":\"assign\",\"unit\":\"jianshe\",\"deadline\":\"$(day 5)\"}" >/dev/null
  call "$jianshe" POST "cases/$id/actions" '{"action":"sign"}' >/dev/null
  echo "demo: public report $(jq -r .tracking <<<"$r") is rectifying at 区建设局"

  # An inspection finding about open burning, assigned and signed for.
  c=$(call "$bureau" POST cases '{"source":"inspection","category":"open_burning","location":"九龙办事处南部农田","description":"巡查发现露天焚烧秸秆","lon":113.80,"lat":34.66}')
  id=$(jq -r '.data.id // .id' <<<"$c")
  call "$bureau" POST "cases/$id/actions" '{"action":"accept"}' >/dev/null
  call "$bureau" POST "cases/$id/actions" "{\"action\":\"assign\",\"unit\":\"zonghe-zhifa\",\"deadline\":\"$(day 2)\"}" >/dev/null
  call "$zhifa" POST "cases/$id/actions" '{"action":"sign"}' >/dev/null

  # Monitoring alerts and their cases come from the scan of the outlets' data (serve --limits).

  # Progress on the construction-dust task (T13, 强化扬尘综合管控: 区建设局 is responsible).
  call "$jianshe" POST "ledger/tasks/T13/reports" \
    '{"progress":40,"note":"在建工地扬尘在线监测与视频监控已安装40%"}' >/dev/null ||
    echo "demo: the progress report on T13 was refused" >&2
fi

echo "demo accounts (also in $accounts):"
sed 's/^/  /' "$accounts"
