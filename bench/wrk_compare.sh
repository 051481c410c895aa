#!/usr/bin/env bash
# Measures medvault's HTTPS throughput against the raw-Beast ceiling on the same machine,
# in the same run: wrk with the same threads, connections and duration against both,
# alternating sides round by round (so that drift in the machine's load hits both), and
# the median of each figure over the rounds.
#
# usage:
#   bench/wrk_compare.sh --medvault-url URL [--token TOKEN]
#       (--raw-url URL | --raw-bin PATH --cert FILE --key FILE [--raw-threads N])
#       [--threads N] [--connections N] [--duration 10s] [--rounds 3] [--warmup 2s]
#
#   --medvault-url  what to load on the medvault side, e.g. https://127.0.0.1:8443/fhir/Patient/ID
#   --token         bearer token for the medvault side (or the MEDVAULT_TOKEN environment
#                   variable); it reaches wrk through the environment, not its arguments
#   --raw-url       a raw_beast_responder already running, or
#   --raw-bin       start one (on a free port, stopped at exit) with --cert/--key and
#                   --raw-threads I/O threads (default 2)
#
# Prints a table, the ratio medvault/raw of requests per second, and one parseable line:
#   WRK_COMPARE medvault_rps=... raw_rps=... ratio=... medvault_p50_ms=... ...
# Exits 1 when a run had socket errors or HTTP errors (the figures would be meaningless).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lua="$here/wrk_report.lua"

medvault_url="" token="${MEDVAULT_TOKEN:-}" raw_url="" raw_bin="" cert="" key=""
raw_threads=2 threads=2 connections=32 duration=10s rounds=3 warmup=2s

die() { echo "wrk_compare: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || die "missing value for $1"
  case "$1" in
    --medvault-url) medvault_url="$2" ;;
    --token) token="$2" ;;
    --raw-url) raw_url="$2" ;;
    --raw-bin) raw_bin="$2" ;;
    --cert) cert="$2" ;;
    --key) key="$2" ;;
    --raw-threads) raw_threads="$2" ;;
    --threads) threads="$2" ;;
    --connections) connections="$2" ;;
    --duration) duration="$2" ;;
    --rounds) rounds="$2" ;;
    --warmup) warmup="$2" ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
[[ -n "$medvault_url" ]] || die "--medvault-url is required"
[[ -n "$raw_url" || -n "$raw_bin" ]] || die "--raw-url or --raw-bin is required"
command -v wrk >/dev/null || die "wrk is not installed"

workdir="$(mktemp -d)"
raw_pid=""
# shellcheck disable=SC2317  # (called by the EXIT trap)
cleanup() {
  if [[ -n "$raw_pid" ]]; then kill "$raw_pid" 2>/dev/null || true; wait "$raw_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

if [[ -z "$raw_url" ]]; then
  [[ -n "$cert" && -n "$key" ]] || die "--raw-bin needs --cert and --key"
  "$raw_bin" --port 0 --threads "$raw_threads" --cert "$cert" --key "$key" \
    >"$workdir/raw.out" 2>&1 &
  raw_pid=$!
  for _ in $(seq 50); do
    raw_url="$(sed -n 's|^listening on \(https://[^ ]*\) .*|\1|p' "$workdir/raw.out")"
    [[ -n "$raw_url" ]] && break
    kill -0 "$raw_pid" 2>/dev/null || die "raw responder failed: $(cat "$workdir/raw.out")"
    sleep 0.1
  done
  [[ -n "$raw_url" ]] || die "raw responder did not start"
fi

# run SIDE DURATION: one wrk run; appends its WRK_REPORT fields to $workdir/SIDE.
run() {
  local side="$1" length="$2" url bearer=""
  if [[ "$side" == medvault ]]; then url="$medvault_url"; bearer="$token"; else url="$raw_url"; fi
  local out
  out="$(WRK_BEARER_TOKEN="$bearer" wrk -t "$threads" -c "$connections" -d "$length" \
    --latency -s "$lua" "$url")" || die "wrk failed against $url"
  local line
  line="$(grep '^WRK_REPORT ' <<<"$out")" || die "no WRK_REPORT line from wrk: $out"
  echo "${line#WRK_REPORT }" >>"$workdir/$side"
  echo "  $side: ${line#WRK_REPORT }" >&2
}

source "$here/wrk_figures.sh"

echo "warm-up ($warmup each, not counted)" >&2
run medvault "$warmup" && run raw "$warmup"
: >"$workdir/medvault"
: >"$workdir/raw"
for round in $(seq "$rounds"); do
  echo "round $round/$rounds" >&2
  if (( round % 2 )); then run medvault "$duration"; run raw "$duration"
  else run raw "$duration"; run medvault "$duration"; fi
done

echo
echo "wrk -t$threads -c$connections -d$duration, $rounds rounds alternating, medians"
echo "  medvault:  $medvault_url"
echo "  raw beast: $raw_url"
printf '%-10s %12s %9s %9s %9s %8s %8s\n' side req/s p50_ms p90_ms p99_ms errors non2xx
for side in medvault raw; do
  printf '%-10s %12s %9s %9s %9s %8s %8s\n' "$side" "$(median "$workdir/$side" rps)" \
    "$(median "$workdir/$side" p50_ms)" "$(median "$workdir/$side" p90_ms)" "$(median "$workdir/$side" p99_ms)" \
    "$(total "$workdir/$side" errors)" "$(total "$workdir/$side" non2xx)"
done
ratio="$(awk -v m="$(median "$workdir/medvault" rps)" -v r="$(median "$workdir/raw" rps)" \
  'BEGIN { if (r > 0) printf "%.3f", m / r; else print "nan" }')"
# Each round runs both sides back to back, so the ratio within a round is less exposed to
# the machine's slow drifts (other tenants) than the ratio of medians; print both.
paste -d' ' <(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' "$workdir/medvault") \
  <(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' "$workdir/raw") |
  awk '$2 > 0 { printf "rps=%.4f\n", $1 / $2 }' >"$workdir/ratios"
paired="$(median "$workdir/ratios" rps)"
paired="$(awk -v p="$paired" 'BEGIN { printf "%.3f", p }')"
echo "ratio medvault/raw (req/s): $ratio (median of the per-round ratios: $paired)"
echo "WRK_COMPARE medvault_rps=$(median "$workdir/medvault" rps) raw_rps=$(median "$workdir/raw" rps) ratio=$ratio" \
  "paired_ratio=$paired" \
  "medvault_p50_ms=$(median "$workdir/medvault" p50_ms) medvault_p90_ms=$(median "$workdir/medvault" p90_ms)" \
  "medvault_p99_ms=$(median "$workdir/medvault" p99_ms) raw_p50_ms=$(median "$workdir/raw" p50_ms)" \
  "raw_p90_ms=$(median "$workdir/raw" p90_ms) raw_p99_ms=$(median "$workdir/raw" p99_ms)"

bad=0
for side in medvault raw; do
  if (( $(total "$workdir/$side" errors) + $(total "$workdir/$side" non2xx) > 0 )); then
    echo "wrk_compare: $side had socket or HTTP errors; its figures are not a measurement" >&2
    bad=1
  fi
done
exit "$bad"
