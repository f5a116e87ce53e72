#!/usr/bin/env bash
# Demo accounts and work for `make demo`: one account per role, a few cases at different
# points of the closed loop, progress reports on plan tasks, a past heavy-pollution warning
# over the emergency list (data/demo/emergency-list.csv) and a day of fire points, made
# through the running server's API as people would make them (the list and the fire points
# are files, loaded with `envwatch import` as the bureau loads them).
#   scripts/demo-seed.sh ENVWATCH DB BASE_URL ACCOUNTS_FILE
# Accounts get random passwords, written to ACCOUNTS_FILE (mode 600) and printed; a second
# run keeps the accounts and their passwords and adds nothing twice.
set -euo pipefail
ew=$1 db=$2 base=$3 accounts=$4
root=$(cd "$(dirname "$0")/.." && pwd)

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

  # A past orange warning (from four days ago to yesterday, Beijing days) over the demo's
  # emergency list; the compliance job judges the listed enterprises on their CEMS data and
  # opens a case for each breach (a warning is checked until 48 h after its end).
  "$ew" import emergency-list --db "$db" "$root/data/demo/emergency-list.csv" >/dev/null
  bjday() { date -u -d "@$(($(date +%s) + 8 * 3600 - $1 * 86400))" +%Y-%m-%d; }
  call "$bureau" POST warnings "{\"level\":\"orange\",\"start\":\"$(bjday 4) 00:00\",\"end\":\"$(bjday 1) 00:00\",\"notice\":\"郑州市重污染天气橙色预警（Ⅱ级应急响应）\",\"basis\":\"forecast\",\"aqi\":236}" >/dev/null
  echo "demo: an orange warning $(bjday 4) – $(bjday 1) over the emergency list of 4 enterprises (breach cases within a minute)"

  # The rivers' emergency plans (一河一策一图) over the demo's water sections.
  "$ew" import river-plans --db "$db" "$root/data/demo/river-plans.json" | sed 's/^/demo: /'

  # Yesterday's satellite fire points: three of one fire in 九龙's fields within two hours
  # (one case), two apart elsewhere.
  fires=$(mktemp)
  y=$(bjday 1)
  cat >"$fires" <<CSV
time,lon,lat,confidence,source
$y 10:05:00,113.8010,34.6600,82,FY-3D
$y 11:10:00,113.8032,34.6611,76,NPP
$y 11:55:00,113.8018,34.6624,88,FY-3D
$y 13:20:00,113.7300,34.7320,64,NOAA-20
$y 15:40:00,113.9050,34.6950,71,FY-3D
CSV
  "$ew" import fires --db "$db" "$fires" | sed 's/^/demo: /'
  rm -f "$fires"

  # Progress on the construction-dust task (T13, 强化扬尘综合管控: 区建设局 is responsible).
  call "$jianshe" POST "ledger/tasks/T13/reports" \
    '{"progress":40,"note":"在建工地扬尘在线监测与视频监控已安装40%"}' >/dev/null ||
    echo "demo: the progress report on T13 was refused" >&2
fi

echo "demo accounts (also in $accounts):"
sed 's/^/  /' "$accounts"
