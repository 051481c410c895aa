#!/usr/bin/env bash
# The read benchmark of docs/PERFORMANCE.md: authenticated GET /fhir/Patient/{id} on a
# real medvault (release build, TLS, session check, Policy, decryption, durable audit
# entry per request) against the raw Beast responder, in one run, with wrk.
#
# usage: bench/read_benchmark.sh [wrk_compare options, e.g. --connections 64 --rounds 5]
# Needs `make build` (build/release); MEDVAULT_BIN=PATH measures another medvault binary
# (an A/B of two builds: alternate runs). Prints wrk_compare's table and WRK_COMPARE line.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${MEDVAULT_BIN:-$root/build/release/medvault}"
raw="$root/build/release/bench/raw_beast_responder"
[[ -x "$bin" && -x "$raw" ]] || { echo "read_benchmark: run 'make build' first" >&2; exit 2; }

source "$root/bench/medvault_server.sh"

start_practice ${MEDVAULT_THREADS:+--threads "$MEDVAULT_THREADS"}
echo "read_benchmark: medvault at $url, Patient/$patient_id, $(nproc) cores"

MEDVAULT_TOKEN="$token" "$root/bench/wrk_compare.sh" \
  --medvault-url "$url/fhir/Patient/$patient_id" \
  --raw-bin "$raw" --cert "$ca" --key "$data/tls/server.key" "$@"
