#!/usr/bin/env bash
# The storage engines side by side (docs/SCALING.md): the same practice on SQLite (the
# data directory's file) and on PostgreSQL (a durable cluster of the benchmark's own, on
# a unix socket of this machine), both servers up at once, loaded in turn with wrk:
#   read    GET /fhir/Patient/{id}, as bench/read_benchmark.sh
#   write   POST /fhir/Observation for that patient (a new resource, its search rows and
#           its audit entry per request)
# alternating engines round by round, medians over the rounds; then the durable audit
# appends per second through each engine's group-commit writer (bench/audit_append_bench,
# 1024 and 32 entries in flight).
#
# --nodes 2 adds "postgres-2": a second `medvault serve` on a copy of the PostgreSQL
# practice's data directory (same keys, same database), and the load split between the
# two nodes (two wrk, half the connections each, the same session token: sessions are
# rows of the database). Its req/s is the sum; its p50 the mean and its p99 the larger
# of the two nodes'.
#
# usage: bench/engine_benchmark.sh [--connections 32] [--duration 10s] [--rounds 3] [--nodes 1|2]
# Needs `make build` (build/release) and the postgresql package (make setup).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/release/medvault"
append_bench="$root/build/release/bench/audit_append_bench"
[[ -x "$bin" && -x "$append_bench" ]] || { echo "engine_benchmark: run 'make build' first" >&2; exit 2; }
command -v wrk > /dev/null || { echo "engine_benchmark: wrk is not installed (make setup)" >&2; exit 2; }

connections=32 duration=10s rounds=3 seconds=5 nodes=1
while [[ $# -gt 0 ]]; do
  if [[ "$1" == -h || "$1" == --help ]]; then sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
  [[ $# -ge 2 ]] || { echo "engine_benchmark: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --connections) connections="$2" ;;
    --duration) duration="$2" ;;
    --rounds) rounds="$2" ;;
    --nodes) nodes="$2" ;;
    *) echo "engine_benchmark: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done

source "$root/bench/medvault_server.sh"
source "$root/bench/postgres_cluster.sh"
source "$root/bench/wrk_figures.sh"

start_postgres
echo "engine_benchmark: $(nproc) cores; PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }') in $pg_dir (fsync on, synchronous_commit on)"

# One practice per engine; what wrk needs of each is kept under the engine's name.
declare -A url_of token_of patient_of ca_of
for engine in sqlite postgres; do
  init_database=""
  [[ "$engine" == postgres ]] && init_database="$(create_database medvault_bench)"
  practice_data="$work/data-$engine" init_database="$init_database" start_practice
  url_of[$engine]="$url" token_of[$engine]="$token" patient_of[$engine]="$patient_id" ca_of[$engine]="$ca"
  printf '{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":{"reference":"Patient/%s"},"effectiveDateTime":"2026-11-30T09:00:00+01:00","valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}' \
    "$patient_id" > "$work/observation-$engine.json"
  echo "  $engine: $url"
done

engines="sqlite postgres"
if [[ "$nodes" == 2 ]]; then
  # The second node: the first's data directory (keys, TLS files, medvault.toml naming
  # the database), copied, and served beside it.
  cp -a "$work/data-postgres" "$work/data-postgres-2"
  start_server "$work/data-postgres-2"
  url_of[postgres-2]="$url" token_of[postgres-2]="${token_of[postgres]}"
  patient_of[postgres-2]="${patient_of[postgres]}"
  cp "$work/observation-postgres.json" "$work/observation-postgres-2.json"
  engines="sqlite postgres postgres-2"
  echo "  postgres, second node: $url"
elif [[ "$nodes" != 1 ]]; then
  echo "engine_benchmark: --nodes is 1 or 2" >&2
  exit 2
fi

# wrk_to FILE CONNECTIONS ENGINE LOAD DURATION URL: one wrk run, its WRK_REPORT fields in FILE.
wrk_to() {
  local file="$1" conns="$2" engine="$3" load="$4" length="$5" target="$6" body="" out
  [[ "$load" == write ]] && body="$work/observation-$engine.json"
  out="$(WRK_BEARER_TOKEN="${token_of[$engine]}" WRK_BODY_FILE="$body" wrk -t 2 -c "$conns" \
    -d "$length" --latency -s "$root/bench/wrk_report.lua" "$target")"
  grep '^WRK_REPORT ' <<< "$out" | sed 's/^WRK_REPORT //' > "$file" ||
    { echo "engine_benchmark: no WRK_REPORT from wrk: $out" >&2; exit 1; }
}

# run ENGINE LOAD DURATION: one load of one engine; appends its WRK_REPORT fields to
# $work/ENGINE-LOAD. postgres-2 loads both nodes at once and adds their figures up.
run() {
  local engine="$1" load="$2" length="$3" path line
  path="/fhir/Patient/${patient_of[$engine]}"
  [[ "$load" == write ]] && path="/fhir/Observation"
  if [[ "$engine" == postgres-2 ]]; then
    wrk_to "$work/wrk-a" "$((connections / 2))" postgres "$load" "$length" "${url_of[postgres]}$path" &
    local first=$!
    wrk_to "$work/wrk-b" "$((connections - connections / 2))" postgres-2 "$load" "$length" \
      "${url_of[postgres-2]}$path" &
    local second=$!
    wait "$first" && wait "$second" || exit 1
    line="$(cat "$work/wrk-a" "$work/wrk-b" | tr ' =' '\n\n' | awk '
      NR % 2 { name = $1; next }
      { v[name, ++n[name]] = $1 }
      END {
        m = "p50_ms"; big90 = v["p90_ms", 1] > v["p90_ms", 2] ? v["p90_ms", 1] : v["p90_ms", 2]
        big99 = v["p99_ms", 1] > v["p99_ms", 2] ? v["p99_ms", 1] : v["p99_ms", 2]
        printf "rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
          v["rps", 1] + v["rps", 2], (v[m, 1] + v[m, 2]) / 2, big90, big99,
          v["requests", 1] + v["requests", 2], v["errors", 1] + v["errors", 2],
          v["non2xx", 1] + v["non2xx", 2]
      }')"
  else
    wrk_to "$work/wrk-a" "$connections" "$engine" "$load" "$length" "${url_of[$engine]}$path"
    line="$(cat "$work/wrk-a")"
  fi
  echo "$line" >> "$work/$engine-$load"
  echo "  $engine $load: $line" >&2
}

echo "warm-up (2s each, not counted)" >&2
for engine in $engines; do run "$engine" read 2s; run "$engine" write 2s; done
rm -f "$work"/*-read "$work"/*-write
for round in $(seq "$rounds"); do
  echo "round $round/$rounds" >&2
  order="$engines"
  (( round % 2 )) || order="$(tr ' ' '\n' <<< "$engines" | tac | xargs)"
  for load in read write; do
    for engine in $order; do run "$engine" "$load" "$duration"; done
  done
done

echo
echo "wrk -t2 -c$connections -d$duration, $rounds rounds alternating engines, medians"
printf '%-10s %-6s %10s %9s %9s %9s %8s %8s\n' engine load req/s p50_ms p90_ms p99_ms errors non2xx
bad=0
for load in read write; do
  for engine in $engines; do
    f="$work/$engine-$load"
    printf '%-10s %-6s %10s %9s %9s %9s %8s %8s\n' "$engine" "$load" "$(median "$f" rps)" \
      "$(median "$f" p50_ms)" "$(median "$f" p90_ms)" "$(median "$f" p99_ms)" \
      "$(total "$f" errors)" "$(total "$f" non2xx)"
    (( $(total "$f" errors) + $(total "$f" non2xx) == 0 )) || bad=1
    echo "ENGINE_BENCH engine=$engine load=$load rps=$(median "$f" rps) p50_ms=$(median "$f" p50_ms) p99_ms=$(median "$f" p99_ms)" >> "$work/summary"
  done
done
cat "$work/summary"

# The servers go first: the append benchmark wants the cores to itself.
for pid in "${server_pids[@]}"; do kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; done
server_pids=()
# Whatever the nodes wrote, one log: it must verify (with two nodes, both appended to it).
for engine in sqlite postgres; do
  echo "audit log on $engine: $("$bin" audit verify --data "$work/data-$engine" 2>&1 | tail -1)"
done
echo
echo "durable audit appends through the group-commit writer (${seconds}s each)"
for in_flight in 1024 32; do
  "$append_bench" "$in_flight" "$seconds" | sed 's/^AUDIT_APPEND /AUDIT_APPEND engine=sqlite /'
  MEDVAULT_BENCH_DATABASE="$(create_database "medvault_append_$in_flight")" \
    "$append_bench" "$in_flight" "$seconds" | sed 's/^AUDIT_APPEND /AUDIT_APPEND engine=postgres /'
done

if (( bad )); then
  echo "engine_benchmark: a run had socket or HTTP errors; its figures are not a measurement" >&2
  exit 1
fi
