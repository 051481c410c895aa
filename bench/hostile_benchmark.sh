#!/usr/bin/env bash
# Hostile clients against honest ones (docs/RELIABILITY.md, "Hostile clients"): the real
# medvault over TLS, a physician reading a Patient on a few paced keep-alive connections
# and on fresh connections, first alone, then while 500 slow-loris connections,
# never-finished handshakes and header floods attack. Prints the honest latencies of
# both phases, their ratio, the server's RSS and descriptors, and one parseable line:
#   HOSTILE p99_ratio_keep_alive=… p99_ratio_new_connection=… honest_errors_under_attack=…
#
# usage: bench/hostile_benchmark.sh [hostile_clients.py options, e.g. --seconds 60
#        --slowloris 250 --no-handshake 200 --floods 50]
# Needs `make build` (build/release).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/release/medvault"
[[ -x "$bin" ]] || { echo "hostile_benchmark: run 'make build' first" >&2; exit 2; }
source "$root/bench/medvault_server.sh"

start_practice
echo "hostile_benchmark: medvault at $url (pid $server_pid), $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), open files limit $(ulimit -n)"
MEDVAULT_TOKEN="$token" python3 "$root/bench/hostile_clients.py" --url "$url" \
  --path "/fhir/Patient/$patient_id" --ca "$ca" --pid "$server_pid" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server log lines: $(wc -l < "$work/server.log")"
