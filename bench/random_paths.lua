-- wrk script for bench/scale_latency.sh: each request GETs a path drawn at random from
-- the file named by WRK_PATHS (one path per line), with WRK_BEARER_TOKEN as the bearer
-- token; prints the same WRK_REPORT line as wrk_report.lua at the end.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WRK_BEARER_TOKEN") or "") }

request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
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
