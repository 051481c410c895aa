#!/usr/bin/env bash
# Read and directory-search latency against the size of the population: N synthetic
# patients with their history imported into a fresh data directory, then wrk at low
# concurrency on GET /fhir/Patient/{id} and GET /fhir/Patient?family=…&birthdate=… for
# patients drawn at random. Run it for two sizes and compare the lines it prints:
#   SCALE patients=N read_p50_ms=… read_p99_ms=… search_p50_ms=… search_p99_ms=…
# usage: bench/scale_latency.sh [--patients N] [--connections C] [--duration D]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
patients=10000 connections=4 duration=10s
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="$root/build/release/medvault"
gen="$root/build/release/bench/population_bench"
[[ -x "$bin" && -x "$gen" ]] || { echo "scale_latency: run 'make build' first" >&2; exit 2; }
source "$root/bench/medvault_server.sh"

data="$work/data"
"$gen" "$patients" 1.0 1 "$work/population.ndjson" > /dev/null 2>&1
"$bin" init --data "$data" > /dev/null
# This measures latency, not detection: one physician reads 2,000 patients and runs 2,000
# directory searches, far past an honest day's budgets.
sed -i -e 's/^physician_patients_per_hour = .*/physician_patients_per_hour = 100000/' \
  -e 's/^physician_patients_per_day = .*/physician_patients_per_day = 1000000/' \
  -e 's/^physician_directory_searches_per_hour = .*/physician_directory_searches_per_hour = 100000/' \
  "$data/medvault.toml"
"$bin" import --data "$data" --batch 10000 "$work/population.ndjson" 2> /dev/null
# The benchmark physician is the GP with the most patients in active care (reads of
# anyone else's patients are refused): 2,000 reads drawn from that list, and 2,000
# directory searches (name + birth date) over the whole population.
python3 - "$work" <<'PY'
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
secret="$(echo "scale benchmark passphrase" | "$bin" user add --data "$data" --username dr.scale \
  --role physician --organization "$(cat "$work/org.txt")" \
  --practitioner "$(cat "$work/practitioner.txt")" --password-stdin --enroll-totp |
  json_field totp_secret)"
start_server "$data"
login dr.scale "scale benchmark passphrase" "$secret"
run() {  # run PATHS_FILE → the WRK_REPORT line
  WRK_PATHS="$1" WRK_BEARER_TOKEN="$token" wrk -t1 -c"$connections" -d"$duration" \
    -s "$root/bench/wrk_report.lua" "$url/" | grep WRK_REPORT
}
reads="$(run "$work/reads.txt")"
searches="$(run "$work/searches.txt")"
echo "reads:    $reads"
echo "searches: $searches"
get() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<< "$2"; }
for line in "$reads" "$searches"; do
  [[ "$(get non2xx "$line")" == 0 && "$(get errors "$line")" == 0 ]] ||
    { echo "scale_latency: errors in the run: $line" >&2; exit 1; }
done
echo "SCALE patients=$patients read_p50_ms=$(get p50_ms "$reads") read_p99_ms=$(get p99_ms "$reads") search_p50_ms=$(get p50_ms "$searches") search_p99_ms=$(get p99_ms "$searches")"
