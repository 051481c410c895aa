# Sourced by the benchmark scripts (after setting `bin` to the medvault binary): a work
# directory removed on exit, a server on an ephemeral port, and the API calls to log in.
#   start_server DATA [serve options]   sets url, ca and server_pid
#   api METHOD PATH [BODY]              prints the body (headers in $work/headers)
#   json_field NAME                     reads a JSON object on stdin, prints NAME
#   login USER PASSWORD TOTP_SECRET     sets token (password, then a code from oathtool)
#   start_practice [serve options]      init, serve, a physician logged in, one Patient
#                                       (also sets practice_org, admin_token)
#                                       (config_sed=SCRIPT: sed applied to medvault.toml;
#                                       practice_data=DIR: where, instead of $work/data;
#                                       init_database=URI: init --database URI)
# Every server started is stopped at exit, and a PostgreSQL cluster of
# bench/postgres_cluster.sh too.

work="$(mktemp -d /tmp/medvault-bench-XXXXXX)"
server_pid=""
server_pids=()
token=""
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if declare -F stop_postgres > /dev/null; then stop_postgres; fi
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {
  local data="$1"
  shift
  # The first server's output is $work/serve.txt and $work/server.log; a second one's
  # $work/serve2.txt and $work/server2.log, and so on.
  local n="${#server_pids[@]}" suffix=""
  [[ "$n" -gt 0 ]] && suffix="$((n + 1))"
  "$bin" serve --data "$data" --listen 127.0.0.1:0 "$@" > "$work/serve$suffix.txt" 2> "$work/server$suffix.log" &
  server_pid=$!
  server_pids+=("$server_pid")
  url=""
  for _ in $(seq 1 100); do
    url="$(grep -o 'https://[0-9.]*:[0-9]*' "$work/serve$suffix.txt" || true)"
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "$(basename "$0"): server did not start" >&2; cat "$work/server$suffix.log" >&2; exit 1; }
  ca="$data/tls/server.crt"
}

api() {
  local method="$1" path="$2" body="${3:-}"
  # One user agent for curl and wrk: a session works only from the client that opened it.
  curl -sS --cacert "$ca" -X "$method" "$url$path" -D "$work/headers" -A "medvault-bench" \
    -H "Content-Type: application/fhir+json" ${token:+-H "Authorization: Bearer $token"} \
    ${body:+--data-binary "$body"}
}

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

login() {
  token=""
  local challenge
  challenge="$(api POST /auth/login "{\"username\":\"$1\",\"password\":\"$2\"}" | json_field challenge)"
  token="$(api POST /auth/mfa "{\"challenge\":\"$challenge\",\"code\":\"$(oathtool --totp -b "$3")\"}" |
    json_field access_token)"
}

# start_practice [serve options]: a fresh data directory ($data), the server on it, an
# organization, a physician logged in ($token) and one realistic Patient ($patient_id).
start_practice() {
  data="${practice_data:-$work/data}"
  "$bin" init --data "$data" ${init_database:+--database "$init_database"} > "$work/init.txt"
  # config_sed: a sed script applied to medvault.toml before the server starts.
  if [[ -n "${config_sed:-}" ]]; then sed -i "$config_sed" "$data/medvault.toml"; fi
  local admin_password admin_secret org practitioner doctor_password doctor_secret patient
  admin_password="$(awk '$1 == "admin" && $2 == "admin" { print $3 }' "$work/init.txt")"
  # The TOTP secret printed under the admin line.
  admin_secret="$(awk '$1 == "admin" && $2 == "admin" { admin = 1; next }
                       admin && $1 == "TOTP" && $2 == "secret" { print $3; exit }' "$work/init.txt")"

  start_server "$data" "$@"

  login admin "$admin_password" "$admin_secret"
  # init's passwords are one-time: the admin chooses its own before anything else.
  api POST /auth/password "{\"current\":\"$admin_password\",\"new\":\"benchmark admin passphrase\"}" > /dev/null
  org="$(api POST /fhir/Organization '{"resourceType":"Organization","name":"Cabinet du banc d essai"}' | json_field id)"
  practitioner="$(api POST /fhir/Practitioner '{"resourceType":"Practitioner","name":[{"family":"Banc","given":["Essai"]}]}' | json_field id)"
  # For scripts that add accounts after this (the admin's session lasts while it is used).
  admin_token="$token" practice_org="$org"
  doctor_password="benchmark doctor passphrase"
  doctor_secret="$(echo "$doctor_password" | "$bin" user add --data "$data" --username dr.bench \
    --role physician --organization "$org" --practitioner "$practitioner" --password-stdin \
    --enroll-totp | json_field totp_secret)"
  login dr.bench "$doctor_password" "$doctor_secret"

  # A realistic administrative file (~1.3 KB): identity, identifiers, contact, comment.
  patient='{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"2850975123456"},{"system":"urn:oid:1.2.250.1.71.4.2.7","value":"123456789012"}],"active":true,"name":[{"use":"official","family":"Lefèvre-Dumas","given":["Marie-Hélène","Claire"]},{"use":"maiden","family":"Dumas"}],"telecom":[{"system":"phone","value":"06 12 34 56 78","use":"mobile"},{"system":"email","value":"mh.lefevre@example.fr"}],"gender":"female","birthDate":"1985-09-14","address":[{"use":"home","line":["12 rue des Acacias","Bâtiment B"],"city":"Montreuil","postalCode":"93100","country":"FR"}],"maritalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"M"}]},"contact":[{"relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0131","code":"N"}]}],"name":{"family":"Lefèvre","given":["Paul"]},"telecom":[{"system":"phone","value":"06 98 76 54 32"}]}],"managingOrganization":{"reference":"Organization/'"$org"'"},"extension":[{"url":"https://medvault.example/fhir/StructureDefinition/administrative-comment","valueString":"Préfère les rendez-vous le matin. Tiers payant. Mutuelle à mettre à jour."}]}'
  patient_id="$(api POST /fhir/Patient "$patient" | json_field id)"
}
