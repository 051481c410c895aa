#!/usr/bin/env bash
# The breach scope report on a long audit log: builds a data directory whose log holds a
# practice's traffic (bench/audit_log_fill: 2,000 clinicians, each reading and searching
# its 20 patients), then alternates RUNS times `medvault audit verify` and `medvault
# report breach --address` (one clinician's client address: 500 requests per million
# entries) and prints each run's wall and CPU seconds, then the medians.
#
# Usage: bench/breach_report.sh [--entries N] [--runs R] [--dir DIR] [--build DIR]
#   --entries  entries in the log (default 10000000: about 6.8 GB, 8 minutes to write)
#   --runs     runs of each command (default 5)
#   --dir      the data directory; reused when its log already has --entries entries
#              (default /tmp/medvault-breach-N)
#   --build    the release build (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."

entries=10000000
runs=5
dir=""
build=build/release
while [[ $# -gt 0 ]]; do
  case $1 in
    --entries) entries=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "breach_report: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $entries =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] ||
  { echo "breach_report: --entries and --runs take positive integers" >&2; exit 2; }
medvault=$build/medvault
fill=$build/bench/audit_log_fill
[[ -x $medvault && -x $fill ]] ||
  { echo "breach_report: no $medvault or $fill (cmake --build $build)" >&2; exit 1; }
dir=${dir:-/tmp/medvault-breach-$entries}

# One signed head per 50,000 entries, as a server under load would have far more of:
# the heads cost the verifier nothing measurable.
heads=$(( entries / 50000 > 0 ? entries / 50000 : 1 ))
logged=$("$medvault" audit verify --data "$dir" 2>/dev/null |
  sed -n 's/^audit log verified: \([0-9]*\) entries.*/\1/p' || true)
if [[ -z $logged || $logged -lt $entries ]]; then
  rm -rf "$dir"
  "$medvault" init --data "$dir" >/dev/null
  echo "filling $dir with $entries entries..." >&2
  "$fill" "$dir" "$entries" "$heads" 2000 >&2
fi

out=$(mktemp -d /tmp/medvault-breach-report-XXXXXX)
trap 'rm -rf "$out"' EXIT
# Runs COMMAND..., prints "wall cpu" in seconds (bash's own clock: no extra package).
timed() {
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-4s %-26s %8s %8s\n' run command "wall s" "CPU s"
: >"$out/verify"; : >"$out/report"
for run in $(seq 1 "$runs"); do
  read -r wall cpu < <(timed "$medvault" audit verify --data "$dir")
  printf '%-4s %-26s %8s %8s\n' "$run" "audit verify" "$wall" "$cpu"
  echo "$wall $cpu" >>"$out/verify"
  read -r wall cpu < <(timed "$medvault" report breach --data "$dir" --address 10.1.0.7 \
    --out "$out/report-$run.json")
  [[ -s $out/report-$run.json ]] || { echo "breach_report: the report failed" >&2; exit 1; }
  printf '%-4s %-26s %8s %8s\n' "$run" "report breach --address" "$wall" "$cpu"
  echo "$wall $cpu" >>"$out/report"
done
size=$("$medvault" audit verify --data "$dir" 2>/dev/null | sed -n 's/^audit log verified: \([0-9]*\) entries.*/\1/p')
for what in verify report; do
  wall=$(cut -d' ' -f1 "$out/$what" | median)
  cpu=$(cut -d' ' -f2 "$out/$what" | median)
  rate=$(awk -v n="$size" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
  printf 'median %-7s %8s s wall %8s s CPU  %10s entries/s  (%s entries)\n' \
    "$what" "$wall" "$cpu" "$rate" "$size"
done
