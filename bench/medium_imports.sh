#!/usr/bin/env bash
# Imports and year assessments of the monitored media other than air, at a province's
# scale: 200 eco-flow control sections with a year of daily flows (73 000 lines) and 500
# dust-fall points with a year of monthly jars (6 000 lines). Times `envwatch import` of
# each file, then the year's assessment as the targets see it (`envwatch targets`: every
# section's compliance, every month's dust fall), with peak RSS.
#   ENVWATCH=build/envwatch bench/medium_imports.sh [SECTIONS] [POINTS]
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
sections=${1:-200} points=${2:-500}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v n="$sections" 'BEGIN { print "code,name,base_m3s"; for (i = 0; i < n; i++) printf "S%04d,section %d,%.3f\n", i, i, 0.2 + (i % 7) * 0.1 }' >"$tmp/sections.csv"
awk -v n="$sections" 'BEGIN {
  print "section,date,mean_m3s,exempt"
  split("31 28 31 30 31 30 31 31 30 31 30 31", md, " ")
  for (i = 0; i < n; i++) for (m = 1; m <= 12; m++) for (d = 1; d <= md[m]; d++)
    printf "S%04d,2025-%02d-%02d,%.3f,%d\n", i, m, d, 0.15 + ((i * 31 + m * 7 + d) % 50) / 40, (d == 15 && m == 7)
}' >"$tmp/flows.csv"
awk -v n="$points" 'BEGIN {
  print "point,month,placed,collected,diameter_cm,m0_g,m1_g,m2_g,invalid,control"
  for (i = 0; i < n; i++) for (m = 1; m <= 12; m++) {
    nm = m == 12 ? 1 : m + 1; ny = m == 12 ? 2026 : 2025
    printf "P%04d,2025-%02d,2025-%02d-01 09:00,%d-%02d-01 09:00,15.00,50.0000,%.4f,0.0050,0,%d\n", i, m, m, ny, nm, 50.0050 + 0.08 + ((i + m) % 9) * 0.01, i % 50 == 0
  }
}' >"$tmp/dust.csv"
t() { local name=$1; shift; echo "$name:"; /usr/bin/time -f '  max RSS %M KiB, %e s wall' "$@"; }
t "import $sections flow sections" "$ENVWATCH" import flow-sections --db "$tmp/db" "$tmp/sections.csv"
t "import $(($(wc -l <"$tmp/flows.csv") - 1)) daily flows" "$ENVWATCH" import flows --db "$tmp/db" "$tmp/flows.csv"
t "import $(($(wc -l <"$tmp/dust.csv") - 1)) dust-fall samples" "$ENVWATCH" import dustfall --db "$tmp/db" "$tmp/dust.csv"
t "targets of 2025 (every section's year, every month's dust fall)" \
  bash -c "'$ENVWATCH' targets --db '$tmp/db' --year 2025 --json >'$tmp/targets.json'"
jq -r '.data[] | select(.statistic == "water.eco_flow_compliance" or .statistic == "dust.dustfall_monthly_mean") | "  \(.name): \(.value)"' "$tmp/targets.json"
