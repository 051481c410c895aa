#!/usr/bin/env bash
# Many keep-alive clients for a long time (docs/RELIABILITY.md, "Hostile clients"): wrk
# holds --connections TLS connections open against the real medvault, each sending an
# authenticated GET /fhir/Patient/{id} every --delay-ms after its previous answer, for
# --duration. The server's RSS, descriptors and threads are sampled from /proc every
# --sample seconds. Prints wrk's figures, the RSS after the warm-up and at the end, and:
#   SOAK connections=… seconds=… requests=… errors=… non2xx=… rss_warm_kib=… rss_end_kib=… growth_pct=…
# Exits 1 on any socket or HTTP error.
#
# usage: bench/keepalive_soak.sh [--connections 1000] [--duration 600] [--warmup 60]
#        [--delay-ms 1000] [--threads 2] [--sample 5]
# The server needs a descriptor per connection: the script raises its own soft open-files
# limit (ulimit -n) to --connections + 512 when the hard limit allows. Needs `make build`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/release/medvault"
[[ -x "$bin" ]] || { echo "keepalive_soak: run 'make build' first" >&2; exit 2; }
connections=1000 duration=600 warmup=60 delay_ms=1000 threads=2 sample=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections="$2" ;;
    --duration) duration="$2" ;;
    --warmup) warmup="$2" ;;
    --delay-ms) delay_ms="$2" ;;
    --threads) threads="$2" ;;
    --sample) sample="$2" ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) echo "keepalive_soak: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
ulimit -n "$((connections + 512))" 2>/dev/null || echo "keepalive_soak: ulimit -n stays $(ulimit -n)" >&2
source "$root/bench/medvault_server.sh"

# Every connection comes from 127.0.0.1: its share of connections must hold them all.
config_sed="s/^max_connections_per_address = .*/max_connections_per_address = $connections/"
start_practice
echo "keepalive_soak: medvault at $url (pid $server_pid), $(nproc) cores, ulimit -n $(ulimit -n)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# sample: one line per --sample seconds, "SECONDS RSS_KIB FDS THREADS".
(
  start=$SECONDS
  while kill -0 "$server_pid" 2>/dev/null; do
    rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || true)"
    threads_now="$(awk '/^Threads:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || true)"
    fds="$(ls "/proc/$server_pid/fd" 2>/dev/null | wc -l)"
    echo "$((SECONDS - start)) $rss $fds $threads_now"
    sleep "$sample"
  done
) > "$work/samples" &
sampler=$!

WRK_BEARER_TOKEN="$token" WRK_DELAY_MS="$delay_ms" \
  wrk -t "$threads" -c "$connections" -d "$((warmup + duration))s" --timeout 10s --latency \
  -s "$root/bench/wrk_report.lua" "$url/fhir/Patient/$patient_id" > "$work/wrk.txt" || true
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
cat "$work/wrk.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

report="$(grep '^WRK_REPORT ' "$work/wrk.txt")" || { echo "keepalive_soak: wrk printed no report" >&2; exit 1; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<" ${report#WRK_REPORT }"; }
echo
echo "server samples (seconds since wrk started, RSS KiB, descriptors, threads), every ${sample} s:"
awk '{ printf "%s%s", (NR > 1 ? (NR % 8 == 1 ? "\n" : "  ") : ""), $1 "s " $2 " " $3 " " $4 } END { print "" }' "$work/samples"
python3 - "$work/samples" "$warmup" <<'PY'
import sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 4]
warmup = int(sys.argv[2])
after = [r for r in rows if r[0] >= warmup]
warm, end = after[0], after[-1]
peak = max(r[1] for r in after)
print(f"RSS after warm-up ({warm[0]} s): {warm[1] / 1024:.1f} MiB; at the end ({end[0]} s):"
      f" {end[1] / 1024:.1f} MiB; growth {100 * (end[1] - warm[1]) / warm[1]:+.1f} %;"
      f" peak after warm-up {peak / 1024:.1f} MiB; descriptors {min(r[2] for r in after)}-"
      f"{max(r[2] for r in after)}; threads {max(r[3] for r in after)}")
open(sys.argv[1] + ".summary", "w").write(
    f"rss_warm_kib={warm[1]} rss_end_kib={end[1]} rss_peak_kib={peak}"
    f" growth_pct={100 * (end[1] - warm[1]) / warm[1]:.2f}")
PY
echo "SOAK connections=$connections seconds=$duration requests=$(field requests) rps=$(field rps)" \
  "p50_ms=$(field p50_ms) p99_ms=$(field p99_ms) errors=$(field errors) non2xx=$(field non2xx)" \
  "$(cat "$work/samples.summary")"
du -cb "$data"/medvault.db* | tail -1 | awk '{ printf "database and WAL at the end: %.1f MiB\n", $1 / 1048576 }'
{ grep -ciE '\b(error|critical)\b' "$work/server.log" || true; } | xargs echo "server log lines with error:"
(( $(field errors) + $(field non2xx) == 0 )) || { echo "keepalive_soak: errors" >&2; exit 1; }
