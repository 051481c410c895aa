-- wrk script for bench/wrk_compare.sh: at the end of a run, prints one line that a
-- script can parse (latencies in milliseconds):
--   WRK_REPORT rps=12345.6 p50_ms=1.234 p90_ms=2.345 p99_ms=4.567 requests=123456 errors=0 non2xx=0
-- `errors` counts socket errors and timeouts; `non2xx` counts HTTP statuses >= 400,
-- which mean the run measured error responses (a bad token, say) and is worthless.
--
-- WRK_BEARER_TOKEN in the environment, when set, becomes `Authorization: Bearer …` (the
-- environment rather than -H keeps the token out of the process list).
-- WRK_PATHS, when set, names a file of paths (one per line): each request GETs one drawn
-- at random instead of the URL's path (bench/scale_latency.sh).
-- WRK_DELAY_MS, when set, makes each connection wait that long after each response
-- before its next request: N connections then send about N * 1000 / WRK_DELAY_MS
-- requests per second (bench/keepalive_soak.sh: many clients, paced, not flat out).

-- The user agent the benchmark's curl logs in with (bench/medvault_server.sh): medvault
-- binds a session to the client that opened it.
wrk.headers["User-Agent"] = "medvault-bench"

local token = os.getenv("WRK_BEARER_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local paths_file = os.getenv("WRK_PATHS")
if paths_file ~= nil and paths_file ~= "" then
  local paths = {}
  for line in io.lines(paths_file) do paths[#paths + 1] = line end
  request = function()
    return wrk.format("GET", paths[math.random(#paths)])
  end
end

-- WRK_REQUESTS, when set, names a file of "TOKEN PATH" lines: each request takes one at
-- random, its bearer token with its path (bench/read_many_accounts.sh: the load spread
-- over many accounts, each reading its own patients).
local requests_file = os.getenv("WRK_REQUESTS")
if requests_file ~= nil and requests_file ~= "" then
  local lines = {}
  for line in io.lines(requests_file) do
    local bearer, path = line:match("^(%S+) (%S+)$")
    if bearer ~= nil then lines[#lines + 1] = { bearer = bearer, path = path } end
  end
  request = function()
    local r = lines[math.random(#lines)]
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["Authorization"] = "Bearer " .. r.bearer
    return wrk.format("GET", r.path, headers)
  end
end

-- WRK_BODY_FILE, when set, names a file whose content each request POSTs to the URL as
-- FHIR JSON (bench/engine_benchmark.sh: a create per request).
local body_file = os.getenv("WRK_BODY_FILE")
if body_file ~= nil and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/fhir+json"
end

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "")
if delay_ms ~= nil and delay_ms > 0 then
  delay = function()
    return delay_ms
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "WRK_REPORT rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
