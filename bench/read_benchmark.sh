#!/usr/bin/env bash
# The read benchmark of docs/PERFORMANCE.md: authenticated GET /fhir/Patient/{id} on a
# real medvault (release build, TLS, session check, Policy, decryption, durable audit
# entry per request) against the raw Beast responder, in one run, with wrk.
#
# usage: bench/read_benchmark.sh [wrk_compare options, e.g. --connections 64 --rounds 5]
# Needs `make build` (build/release). Prints wrk_compare's table and WRK_COMPARE line.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/build/release/medvault"
raw="$root/build/release/bench/raw_beast_responder"
[[ -x "$bin" && -x "$raw" ]] || { echo "read_benchmark: run 'make build' first" >&2; exit 2; }

source "$root/bench/medvault_server.sh"

data="$work/data"
"$bin" init --data "$data" > "$work/init.txt"
admin_password="$(awk '$1 == "admin" && $2 == "admin" { print $3 }' "$work/init.txt")"
# The TOTP secret printed under the admin line.
admin_secret="$(awk '$1 == "admin" && $2 == "admin" { admin = 1; next }
                     admin && $1 == "TOTP" && $2 == "secret" { print $3; exit }' "$work/init.txt")"

start_server "$data" ${MEDVAULT_THREADS:+--threads "$MEDVAULT_THREADS"}

login admin "$admin_password" "$admin_secret"
# init's passwords are one-time: the admin chooses its own before anything else.
api POST /auth/password "{\"current\":\"$admin_password\",\"new\":\"benchmark admin passphrase\"}" > /dev/null
org="$(api POST /fhir/Organization '{"resourceType":"Organization","name":"Cabinet du banc d essai"}' | json_field id)"
practitioner="$(api POST /fhir/Practitioner '{"resourceType":"Practitioner","name":[{"family":"Banc","given":["Essai"]}]}' | json_field id)"
doctor_password="benchmark doctor passphrase"
doctor_secret="$(echo "$doctor_password" | "$bin" user add --data "$data" --username dr.bench \
  --role physician --organization "$org" --practitioner "$practitioner" --password-stdin \
  --enroll-totp | json_field totp_secret)"
login dr.bench "$doctor_password" "$doctor_secret"

# A realistic administrative file (~1.3 KB): identity, identifiers, contact, comment.
patient='{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"2850975123456"},{"system":"urn:oid:1.2.250.1.71.4.2.7","value":"123456789012"}],"active":true,"name":[{"use":"official","family":"Lefèvre-Dumas","given":["Marie-Hélène","Claire"]},{"use":"maiden","family":"Dumas"}],"telecom":[{"system":"phone","value":"06 12 34 56 78","use":"mobile"},{"system":"email","value":"mh.lefevre@example.fr"}],"gender":"female","birthDate":"1985-09-14","address":[{"use":"home","line":["12 rue des Acacias","Bâtiment B"],"city":"Montreuil","postalCode":"93100","country":"FR"}],"maritalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"M"}]},"contact":[{"relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0131","code":"N"}]}],"name":{"family":"Lefèvre","given":["Paul"]},"telecom":[{"system":"phone","value":"06 98 76 54 32"}]}],"managingOrganization":{"reference":"Organization/'"$org"'"},"extension":[{"url":"https://medvault.example/fhir/StructureDefinition/administrative-comment","valueString":"Préfère les rendez-vous le matin. Tiers payant. Mutuelle à mettre à jour."}]}'
patient_id="$(api POST /fhir/Patient "$patient" | json_field id)"
echo "read_benchmark: medvault at $url, Patient/$patient_id, $(nproc) cores"

MEDVAULT_TOKEN="$token" "$root/bench/wrk_compare.sh" \
  --medvault-url "$url/fhir/Patient/$patient_id" \
  --raw-bin "$raw" --cert "$ca" --key "$data/tls/server.key" "$@"
