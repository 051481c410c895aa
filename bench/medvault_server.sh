# Sourced by the benchmark scripts (after setting `bin` to the medvault binary): a work
# directory removed on exit, a server on an ephemeral port, and the API calls to log in.
#   start_server DATA [serve options]   sets url, ca and server_pid
#   api METHOD PATH [BODY]              prints the body (headers in $work/headers)
#   json_field NAME                     reads a JSON object on stdin, prints NAME
#   login USER PASSWORD TOTP_SECRET     sets token (password, then a code from oathtool)

work="$(mktemp -d /tmp/medvault-bench-XXXXXX)"
server_pid=""
token=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {
  local data="$1"
  shift
  "$bin" serve --data "$data" --listen 127.0.0.1:0 "$@" > "$work/serve.txt" 2> "$work/server.log" &
  server_pid=$!
  url=""
  for _ in $(seq 1 100); do
    url="$(grep -o 'https://[0-9.]*:[0-9]*' "$work/serve.txt" || true)"
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "$(basename "$0"): server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
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
