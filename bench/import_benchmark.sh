#!/usr/bin/env bash
# Import speed: the synthetic population (N patients with their history, default
# 100,000) as NDJSON, imported by `medvault import` into a fresh data directory:
# validated, encrypted per patient and indexed like API writes. Prints resources/s and
# the database size per patient.
#   bench/import_benchmark.sh [--patients N] [--batch B] [--commit-every R]
set -euo pipefail
cd "$(dirname "$0")/.."
patients=100000
batch=10000
commit_every=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --commit-every) commit_every="$2"; shift 2 ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin=build/release/medvault
gen=build/release/bench/population_bench
[ -x "$bin" ] && [ -x "$gen" ] || { echo "build first: make build" >&2; exit 1; }
work="$(mktemp -d /tmp/medvault-import-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "generating $patients patients ..." >&2
"$gen" "$patients" 1.0 1 "$work/population.ndjson" > "$work/population.txt"
grep -E "^resources" "$work/population.txt"
"$bin" init --data "$work/data" > /dev/null
"$bin" import --data "$work/data" --batch "$batch" --commit-every "$commit_every" \
  "$work/population.ndjson" | tee "$work/import.txt"
db_bytes=$(du -cb "$work/data/medvault.db"* | tail -1 | cut -f1)
echo "IMPORT patients=$patients $(grep -o '[0-9]* resources/s' "$work/import.txt") db_bytes_per_patient=$((db_bytes / patients))"
