#!/usr/bin/env bash
# The read benchmark with the load spread over many clinician accounts (docs/DETECTION.md,
# "Overhead"): N physicians, each with K patients of their own (each in their care, as
# they registered them), every request a GET of one of its own patients by one of them,
# drawn at random, against the raw Beast responder in the same run (wrk_compare.sh).
# Each account stays within honest behaviour: K distinct patients, under every budget.
# Detection runs as configured by default (budgets, risk scoring), so the ratio shows
# what the detector costs when it keeps state for N active accounts at once. The same
# run first measures one account reading one patient, with wrk's plain request and then
# through the same per-request script as the spread load (a Lua request function costs
# wrk CPU, which it takes from the server on a small machine): compare the last two.
#
# usage: bench/read_many_accounts.sh [--accounts N] [--patients-each K] [--no-risk-scoring]
#                                    [wrk_compare options]
#   --no-risk-scoring: [detection] risk_scoring = false (the budgets stay), to tell the
#   scorer's share from the rest
#   defaults: 100 accounts, 5 patients each; e.g. --accounts 200 --rounds 5 --duration 8s
# Needs `make build` (build/release). Setup takes about a second per account (password
# hashing for the account and its login).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/release/medvault"
raw="$root/build/release/bench/raw_beast_responder"
[[ -x "$bin" && -x "$raw" ]] || { echo "read_many_accounts: run 'make build' first" >&2; exit 2; }

accounts=100 patients_each=5
compare_args=()
while (($#)); do
  case "$1" in
    --accounts) accounts="$2"; shift 2 ;;
    --patients-each) patients_each="$2"; shift 2 ;;
    --no-risk-scoring) config_sed='s/^risk_scoring = true/risk_scoring = false/'; shift ;;
    -h|--help) sed -n 2,18p "$0"; exit 0 ;;
    *) compare_args+=("$1"); shift ;;
  esac
done
[[ "$accounts" =~ ^[1-9][0-9]*$ && "$patients_each" =~ ^[1-9][0-9]*$ && "$patients_each" -le 15 ]] ||
  { echo "read_many_accounts: --accounts N >= 1, --patients-each K from 1 to 15 (the 10-minute budget)" >&2; exit 2; }

source "$root/bench/medvault_server.sh"
start_practice
echo "read_many_accounts: medvault at $url, $accounts accounts x $patients_each patients, $(nproc) cores"

requests="$work/requests"
: > "$requests"
started=$SECONDS
for i in $(seq "$accounts"); do
  token="$admin_token"
  practitioner="$(api POST /fhir/Practitioner \
    "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Charge$i\",\"given\":[\"Medecin\"]}]}" | json_field id)"
  password="benchmark physician $i passphrase"
  secret="$(echo "$password" | "$bin" user add --data "$data" --username "dr.load$i" \
    --role physician --organization "$practice_org" --practitioner "$practitioner" --password-stdin \
    --enroll-totp | json_field totp_secret)"
  login "dr.load$i" "$password" "$secret"
  for k in $(seq "$patients_each"); do
    id="$(api POST /fhir/Patient "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Charge$i\",\"given\":[\"Patient$k\"]}],\"gender\":\"female\",\"birthDate\":\"1970-01-0$(( k % 9 + 1 ))\",\"managingOrganization\":{\"reference\":\"Organization/$practice_org\"}}" | json_field id)"
    echo "$token /fhir/Patient/$id" >> "$requests"
  done
  (( i % 20 == 0 )) && echo "  $i accounts ready ($((SECONDS - started)) s)" >&2
done
echo "setup: $accounts accounts, $(wc -l < "$requests") patients, $((SECONDS - started)) s"

echo
echo "== one account, one patient"
token="$(head -1 "$requests" | cut -d' ' -f1)"
first_path="$(head -1 "$requests" | cut -d' ' -f2)"
MEDVAULT_TOKEN="$token" "$root/bench/wrk_compare.sh" --medvault-url "$url$first_path" \
  --raw-bin "$raw" --cert "$ca" --key "$data/tls/server.key" "${compare_args[@]}"

echo
echo "== one account, one patient, through the per-request script (the control for the next)"
first_line="$(head -1 "$requests")"
for _ in $(seq "$(wc -l < "$requests")"); do echo "$first_line"; done > "$work/one_account_requests"
WRK_REQUESTS="$work/one_account_requests" MEDVAULT_TOKEN="" "$root/bench/wrk_compare.sh" \
  --medvault-url "$url$first_path" --raw-bin "$raw" --cert "$ca" --key "$data/tls/server.key" \
  "${compare_args[@]}"

echo
echo "== $accounts accounts, each reading its own $patients_each patients"
WRK_REQUESTS="$requests" MEDVAULT_TOKEN="" "$root/bench/wrk_compare.sh" \
  --medvault-url "$url$first_path" --raw-bin "$raw" --cert "$ca" --key "$data/tls/server.key" \
  "${compare_args[@]}"

echo
echo "server after the runs: RSS $(awk '/^VmRSS:/ { print $2 " " $3 }' "/proc/$server_pid/status")," \
  "log lines $(wc -l < "$work/server.log")"
grep -c 'step-up\|throttl\|suspend' "$work/server.log" | sed 's/^/server log lines about step-up, throttle or suspension: /' || true
