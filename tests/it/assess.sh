#!/usr/bin/env bash
# envwatch assess on a small generated data set, in both input layouts, against figures
# worked by hand from GB 3095 / HJ 663 / HJ 633.
#
# Two stations, 2025-03-01 … 03-03, every hour constant within a day:
#   PM2.5  S1 80 / 30 / 160, S2 90 / 40 / 170  → zone 85 / 35 / 165
#   SO2 10, NO2 30, PM10 40, CO 0.8, O3 60 at both stations.
# Daily AQI (HJ 633—2012): day 1 PM2.5 85 → 100 + 10·50/40 = 112.5 → 113 (light);
# day 2 35 → 50 (good; PM10 40 → 40, NO2 30 → 38); day 3 165 → 200 + 15 = 215 (heavy).
# Period: PM2.5 mean (85+35+165)/3 = 95; 98th pct k = 2.96 → 85 + 0.96·80 = 161.8 → 162.
# Composite, GB 3095—2012: 10/60 + 30/40 + 40/70 + 95/35 + 0.8/4 + 60/160 = 4013/840
#   = 4.777 → 4.78. GB 3095—2026: 10/60 + 30/40 + 40/60 + 95/30 + 0.2 + 0.375 = 639/120
#   = 5.325 → 5.32 (GB/T 8170: half to even).
# Good 1/3 = 33.3 %, heavy 1/3 = 33.3 %. Under 2026 rules day 1 is 100 + 25·50/55 → 123.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
E=${ENVWATCH_ASAN:-$ENVWATCH}
[ -x "$E" ] || E=$ENVWATCH
D=$TEST_TMP

pm_s1=(80 80 30 160 160) # index = day number 0..4 (day 0 = 02-28, day 4 = 03-04)
pm_s2=(90 90 40 170 170)
# wide: one file per day 03-01 … 03-04; hour 0 of day d belongs to day d−1 (labels 01–24)
for d in 1 2 3 4; do
  f=$D/china_sites_2025030$d.csv
  echo "date,hour,type,1320A,1321A" >"$f"
  hours=$(seq 0 23); [ "$d" = 4 ] && hours=0
  for h in $hours; do
    b=$d; [ "$h" = 0 ] && b=$((d - 1))
    s2=${pm_s2[$b]}
    [ "$d" = 1 ] && [ "$h" = 5 ] && s2=""   # one blank cell: still 23 hours
    {
      echo "2025030$d,$h,AQI,50,50"
      echo "2025030$d,$h,PM2.5,${pm_s1[$b]},$s2"
      echo "2025030$d,$h,PM10,40,40"
      echo "2025030$d,$h,SO2,10,10"
      echo "2025030$d,$h,NO2,30,30"
      echo "2025030$d,$h,O3,60,60"
      echo "2025030$d,$h,CO,0.8,0.800"
    } >>"$f"
  done
done
good=( "$D"/china_sites_2025030[1234].csv )

out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --json "${good[@]}" 2>"$D/err")
rc=$?
check "wide layout: exit 0" [ "$rc" = 0 ]
j() { printf '%s' "$out" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const o=JSON.parse(s);console.log(JSON.stringify(eval('o.'+process.argv[1])))})" "$1"; }
check "PM2.5 mean 95" [ "$(j 'pollutants[5].mean')" = 95 ]
check "PM2.5 98th percentile 162" [ "$(j 'pollutants[5].percentile_value')" = 162 ]
check "composite index 4.78 (2012 limits)" [ "$(j composite_index)" = 4.78 ]
check "good days 1 of 3, 33.3 %" [ "$(j days.good)/$(j days.valid)/$(j days.good_ratio)" = "1/3/33.3" ]
check "heavy days 1, 33.3 %" [ "$(j days.heavy)/$(j days.heavy_ratio)" = "1/33.3" ]
check "days by primary: PM2.5 2" [ "$(j "days.by_primary['PM2.5']")" = 2 ]
check "rules named: 3 days under 2012" [ "$(j rules.days_2012)/$(j rules.limits_edition)" = "3/\"2012\"" ]
check "per station: 1321A PM2.5 (90+40+170)/3 = 100" [ "$(j "stations[1].statistics['PM2.5']")" = 100 ]
check "blank cell reported with file and line" grep -q 'china_sites_20250301.csv: 1 missing values (first at line 38)' "$D/err"

out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --rules 2026 --json "${good[@]}" 2>/dev/null)
check "--rules 2026: composite 5.32 (5.325 half to even)" [ "$(j composite_index)" = 5.32 ]
check "--rules 2026: PM2.5 limit 30" [ "$(j 'pollutants[5].limit')" = 30 ]
check "--rules 2026: 3 days judged by 2026" [ "$(j rules.days_2026)" = 3 ]

out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --aggregate hours --json "${good[@]}" 2>/dev/null)
check "--aggregate hours: named, PM2.5 mean 95" [ "$(j rules.aggregate)/$(j 'pollutants[5].mean')" = '"hours"/95' ]

out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --sites 1320A --json "${good[@]}" 2>/dev/null)
check "--sites 1320A: PM2.5 mean (80+30+160)/3 = 90" [ "$(j 'pollutants[5].mean')" = 90 ]

# A year in progress: 2025-01-01 … 03-03 (62 days, only the last 3 with data), plan 2025
# targets. Remaining 365 − 62 = 303 days, assumed valid: PM2.5 may average at most
# (40.5 × (3 + 303) − 285)/303 = 12108/303 = 39.960 → 39.96; good days: 66.5 % of 306 valid
# days needs 204 (203/306 = 66.3 %), 1 so far → 203 more; heavy ≤ 1.2 % allows 3 (4/306 =
# 1.3 %), 1 so far → 2 more.
out=$("$E" assess --from 2025-01-01 --to 2025-03-03 --json "${good[@]}" 2>/dev/null)
check "rest of year: PM2.5 ≤ 39.96" [ "$(j rest_of_year.pm25_max_mean)" = 39.96 ]
check "rest of year: 203 good days still needed, of 204" [ "$(j rest_of_year.good_days_still_needed)/$(j rest_of_year.good_days_needed)" = 203/204 ]
check "rest of year: 2 heavy days still allowed, of 3" [ "$(j rest_of_year.heavy_days_still_allowed)/$(j rest_of_year.heavy_days_allowed)" = 2/3 ]
check "January without data: PM2.5 statistic invalid" [ "$(j 'pollutants[5].valid')" = false ]

# long layout: station 1320A only, labels 03-01 01:00 … 03-04 00:00
L=$D/long.csv
echo "site,time,parameter,value,flag" >"$L"
for d in 1 2 3 4; do
  hours=$(seq 0 23); [ "$d" = 4 ] && hours=0
  for h in $hours; do
    [ "$d" = 1 ] && [ "$h" = 0 ] && continue
    b=$d; [ "$h" = 0 ] && b=$((d - 1))
    t=$(printf '2025-03-%02d %02d:00' "$d" "$h")
    printf '1320A,%s,PM2.5,%s,N\n1320A,%s,a34002,40,\n1320A,%s,SO2,10\n1320A,%s,NO2,30\n1320A,%s,O3,60\n1320A,%s,CO,0.8\n' \
      "$t" "${pm_s1[$b]}" "$t" "$t" "$t" "$t" "$t" >>"$L"
  done
done
echo "1320A,2025-03-02 05:00,PM2.5,999,D" >>"$L"   # flagged: excluded, not an error
out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --json "$L" 2>/dev/null)
rc=$?
check "long layout: exit 0" [ "$rc" = 0 ]
check "long layout: PM2.5 mean 90, flagged value excluded" [ "$(j 'pollutants[5].mean')" = 90 ]
check "long layout: one flagged value counted" [ "$(j input.flagged)" = 1 ]

# a bad row: reported as FILE:LINE:COLUMN, exit 1, assessment still printed
n=$(wc -l <"$L")
echo "1320A,2025-03-02 25:00,PM2.5,10" >>"$L"
"$E" assess --from 2025-03-01 --to 2025-03-03 --csv "$L" >"$D/out.csv" 2>"$D/err"
rc=$?
check "bad row: exit 1" [ "$rc" = 1 ]
check "bad row: reported as long.csv:LINE:2" grep -q "long.csv:$((n + 1)):2: station 1320A: time is not" "$D/err"
check "bad row: CSV still printed" grep -q '^PM2.5,annual mean,90,' "$D/out.csv"

# the readable table carries Chinese labels first
"$E" assess --from 2025-03-01 --to 2025-03-03 "${good[@]}" >"$D/table" 2>/dev/null
check "table: 综合指数 4.78" grep -q '综合指数 composite index: 4.78' "$D/table"
check "table: 优良天数 1" grep -q '优良天数 good days (AQI ≤ 100): 1, 比例 ratio 33.3 %' "$D/table"

# site list: --city selects the stations of a city
S=$D/sites.csv
printf 'code,name,city,lon,lat,kind\n1320A,经开区管委,郑州,113.727,34.7187,national\n1321A,四十七中,郑州,113.734,34.719,national\n' >"$S"
out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --site-list "$S" --city 郑州 --json "${good[@]}" 2>/dev/null)
check "--city 郑州: two stations, names from the site list" [ "$(j 'stations[0].name')/$(j stations.length)" = '"经开区管委"/2' ]

"$E" assess --from 2025-03-03 --to 2025-03-01 "${good[@]}" >/dev/null 2>&1
check "from after to: usage error 2" [ $? = 2 ]

# Targets come from the plan file (--plan, default the platform's plan); the options override.
root=${ENVWATCH_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
P35=$D/plan35.json
jq '(.targets[] | select(.statistic == "airq.pm25_annual_mean") | .target) = 35' \
  "$root/data/plan/zhengzhou-jingkai-2023-2025.json" >"$P35"
out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --plan "$P35" --json "${good[@]}" 2>/dev/null)
check "--plan: the plan's PM2.5 target 35 and its good-days target 66.5" \
  [ "$(j targets.pm25)/$(j targets.good_ratio)" = 35/66.5 ]
out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --plan "$P35" --target-pm25 30 --json "${good[@]}" 2>/dev/null)
check "--target-pm25 overrides the plan's target" [ "$(j targets.pm25)/$(j targets.heavy_ratio)" = 30/1.2 ]
out=$("$E" assess --from 2025-03-01 --to 2025-03-03 --plan "$root/tests/data/plan/minimal.json" --json "${good[@]}" 2>"$D/err")
check "a plan without the air targets: assessed without targets, said on stderr" \
  bash -c "[ '$(j targets)' = undefined ] && grep -q 'no plan targets' '$D/err'"
"$E" assess --from 2025-03-01 --to 2025-03-03 --plan "$D/none.json" "${good[@]}" >/dev/null 2>&1
check "--plan naming no file: exit 3" [ $? = 3 ]
"$E" assess --from 2025-03-01 --to 2025-03-03 --plan "$root/tests/data/plan/minimal.json" --target-pm25 30 "${good[@]}" >/dev/null 2>&1
check "one --target-* option without the plan's targets: usage error 2" [ $? = 2 ]
