#!/usr/bin/env bash
# Read and directory-search latency against the size of the population: N synthetic
# patients with their history imported into a fresh data directory, then wrk at low
# concurrency on GET /fhir/Patient/{id} and GET /fhir/Patient?family=…&birthdate=… for
# patients drawn at random. Run it for two sizes and compare the lines it prints:
#   SCALE patients=N read_p50_ms=… read_p99_ms=… search_p50_ms=… search_p99_ms=…
# usage: bench/scale_latency.sh [--patients N] [--history H] [--connections C]
#                                [--duration D] [--keep DIR]
#   --history H  clinical history per patient (population_bench's scale, default 1.0)
#   --keep DIR   build the data directory in DIR and keep it; run again with the same DIR
#                to measure again without generating and importing (a million patients
#                take most of an hour to import). The NDJSON is not kept.
# MEDVAULT_BIN and POPULATION_BENCH override the binaries (e.g. copies, so that a
# rebuild during a long import does not replace them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
patients=10000 history=1.0 connections=4 duration=10s keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients="$2"; shift 2 ;;
    --history) history="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="${MEDVAULT_BIN:-$root/build/release/medvault}"
gen="${POPULATION_BENCH:-$root/build/release/bench/population_bench}"
[[ -x "$bin" && -x "$gen" ]] || { echo "scale_latency: run 'make build' first" >&2; exit 2; }
source "$root/bench/medvault_server.sh"

# What a kept directory holds besides the data: the draws below and the benchmark
# account's TOTP secret, written last ("ready") so that an interrupted build is redone.
setup="$work"
[[ -n "$keep" ]] && setup="$keep"
data="$setup/data"
if [[ -n "$keep" && -f "$keep/ready" ]]; then
  read -r patients history < "$keep/ready"
  echo "scale_latency: reusing $keep ($patients patients, history $history)" >&2
  # The last run's login may have used this 30-second step's code, which the server
  # does not take twice: wait for the next one.
  sleep $((31 - $(date +%s) % 30))
else
  [[ -n "$keep" ]] && { rm -rf "$keep"; mkdir -p "$keep"; }
  echo "scale_latency: generating and importing $patients patients (history $history)" >&2
  "$gen" "$patients" "$history" 1 "$setup/population.ndjson" > /dev/null 2>&1
  "$bin" init --data "$data" > /dev/null
  # This measures latency, not detection: one physician reads 2,000 patients and runs
  # 2,000 directory searches, far past an honest day's budgets and without writing, which
  # the risk scorer would contain within minutes (the budgets stay, raised).
  # Nor start-up: the check before listening reads every page (a minute or more for a
  # million patients), which the wait for the server's URL does not allow for.
  sed -i -e 's/^risk_scoring = true/risk_scoring = false/' \
    -e 's/^check_at_start = true/check_at_start = false/' \
    -e 's/^physician_patients_per_10_minutes = .*/physician_patients_per_10_minutes = 100000/' \
    -e 's/^physician_patients_per_hour = .*/physician_patients_per_hour = 100000/' \
    -e 's/^physician_patients_per_day = .*/physician_patients_per_day = 1000000/' \
    -e 's/^physician_directory_searches_per_hour = .*/physician_directory_searches_per_hour = 100000/' \
    "$data/medvault.toml"
  "$bin" import --data "$data" --batch 10000 "$setup/population.ndjson" 2> /dev/null
  # The benchmark physician is the GP with the most patients in active care (reads of
  # anyone else's patients are refused): 2,000 reads drawn from that list, and 2,000
  # directory searches (name + birth date) over the whole population.
  python3 - "$setup" <<'PY'
import collections, json, random, sys, urllib.parse
work = sys.argv[1]
random.seed(7)
patients, org_of, cared = [], {}, collections.defaultdict(list)
with open(work + "/population.ndjson", encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if r["resourceType"] == "Patient":
            patients.append((r["id"], r["name"][0]["family"], r["birthDate"]))
        elif r["resourceType"] == "CareTeam" and r.get("status") == "active":
            org = r["managingOrganization"][0]["reference"].split("/")[1]
            for p in r["participant"]:
                ref = p["member"]["reference"]
                if ref.startswith("Practitioner/"):
                    gp = ref.split("/")[1]
                    org_of[gp] = org
                    cared[gp].append(r["subject"]["reference"].split("/")[1])
gp = max(cared, key=lambda k: len(cared[k]))
reads = random.sample(cared[gp], min(2000, len(cared[gp])))
searches = random.sample(patients, min(2000, len(patients)))
with open(work + "/reads.txt", "w") as f:
    for pid in reads: f.write("/fhir/Patient/%s\n" % pid)
with open(work + "/searches.txt", "w") as f:
    for _, family, birth in searches:
        f.write("/fhir/Patient?family=%s&birthdate=%s\n" % (urllib.parse.quote(family), birth))
with open(work + "/org.txt", "w") as f: f.write(org_of[gp])
with open(work + "/practitioner.txt", "w") as f: f.write(gp)
PY
  rm "$setup/population.ndjson"
  echo "scale benchmark passphrase" | "$bin" user add --data "$data" --username dr.scale \
    --role physician --organization "$(cat "$setup/org.txt")" \
    --practitioner "$(cat "$setup/practitioner.txt")" --password-stdin --enroll-totp |
    json_field totp_secret > "$setup/totp_secret.txt"
  [[ -n "$keep" ]] && echo "$patients $history" > "$keep/ready"
fi
secret="$(cat "$setup/totp_secret.txt")"
start_server "$data"
login dr.scale "scale benchmark passphrase" "$secret"
run() {  # run PATHS_FILE → the WRK_REPORT line
  WRK_PATHS="$1" WRK_BEARER_TOKEN="$token" wrk -t1 -c"$connections" -d"$duration" \
    -s "$root/bench/wrk_report.lua" "$url/" | grep WRK_REPORT
}
reads="$(run "$setup/reads.txt")"
searches="$(run "$setup/searches.txt")"
echo "reads:    $reads"
echo "searches: $searches"
get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$2"; }
for line in "$reads" "$searches"; do
  [[ "$(get non2xx "$line")" == 0 && "$(get errors "$line")" == 0 ]] ||
    { echo "scale_latency: errors in the run: $line" >&2; exit 1; }
done
db_bytes=$(du -cb "$data/medvault.db"* | tail -1 | cut -f1)
echo "SCALE patients=$patients history=$history db_gb=$(awk "BEGIN{printf \"%.1f\", $db_bytes/1e9}") read_p50_ms=$(get p50_ms "$reads") read_p99_ms=$(get p99_ms "$reads") search_p50_ms=$(get p50_ms "$searches") search_p99_ms=$(get p99_ms "$searches")"
