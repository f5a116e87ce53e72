#!/usr/bin/env bash
# Surface water at a province's scale: SECTIONS sections (default 200; every other one an
# eco-compensation section, one in 40 a drinking-water source) with a year of 4-hourly
# automatic-station results of the seven GB 3838 items those stations measure (water
# temperature, pH, DO, CODMn, NH3-N, TP, TN): 2190 samples a section, 3 066 000 lines for
# 200. Times `envwatch import water` and the year's assessment as the targets see it
# (`envwatch targets`: every section's year class for 劣V, every compensation section month
# by month, every source's events), with peak RSS.
#   ENVWATCH=build/envwatch bench/water_sections.sh [SECTIONS]
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
n=${1:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v n="$n" 'BEGIN {
  print "code,name,water,target,compensation,drinking"
  for (i = 0; i < n; i++) printf "W%04d,section %d,river,%s,%d,%d\n", i, i, (i % 3 ? "III" : "IV"), i % 2 == 0, i % 40 == 0
}' >"$tmp/sections.csv"
awk -v n="$n" 'BEGIN {
  print "section,time,item,value,below_dl"
  split("31 28 31 30 31 30 31 31 30 31 30 31", md, " ")
  for (i = 0; i < n; i++) for (m = 1; m <= 12; m++) for (d = 1; d <= md[m]; d++) for (h = 0; h < 24; h += 4) {
    t = sprintf("2025-%02d-%02d %02d:00", m, d, h); k = (i * 13 + m * 7 + d * 3 + h) % 20
    printf "W%04d,%s,temp,%.1f\n", i, t, 8 + m * 1.5
    printf "W%04d,%s,pH,%.2f,0\n", i, t, 7.2 + k * 0.02
    printf "W%04d,%s,DO,%.2f,0\n", i, t, 5.5 + k * 0.1
    printf "W%04d,%s,CODMn,%.2f,0\n", i, t, 3 + k * 0.1
    printf "W%04d,%s,NH3-N,%.3f,0\n", i, t, 0.3 + k * 0.03
    printf "W%04d,%s,TP,%.3f,0\n", i, t, 0.08 + k * 0.006
    printf "W%04d,%s,TN,%.2f,0\n", i, t, 1.5 + k * 0.1
  }
}' | sed 's/,temp,\([0-9.]*\)$/,temp,\1,0/' >"$tmp/results.csv"
t() { local name=$1; shift; echo "$name:"; /usr/bin/time -f "  max RSS %M KiB, %e s wall" "$@" 2>&1; }
t "import $n water sections" "$ENVWATCH" import water-sections --db "$tmp/db" "$tmp/sections.csv"
t "import $(($(wc -l <"$tmp/results.csv") - 1)) 4-hourly results" \
  "$ENVWATCH" import water --db "$tmp/db" "$tmp/results.csv"
t "targets of 2025 (every section's year, compensation sections by month, sources)" \
  bash -c "'$ENVWATCH' targets --db '$tmp/db' --year 2025 --json >'$tmp/targets.json'"
jq -r '.data[] | select(.statistic | tostring | startswith("water.")) | select(.value != null) | "  \(.name): \(.value)"' "$tmp/targets.json"
echo "database: $(du -m "$tmp/db" | cut -f1) MB"
