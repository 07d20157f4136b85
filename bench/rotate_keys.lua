-- wrk script: each request carries the next of many API keys (one per line in KEYS_FILE),
-- in KEY_HEADER with KEY_PREFIX, to WRK_PATH. E.g. the access endpoint on 1,000 distinct keys:
--   KEYS_FILE=keys.txt KEY_HEADER=X-API-Key WRK_PATH=/api/v1/gateway/access \
--     wrk -t2 -c8 -d10s --latency -s bench/rotate_keys.lua http://127.0.0.1:8000
local keys = {}
for line in io.lines(os.getenv("KEYS_FILE")) do keys[#keys + 1] = line end
local header = os.getenv("KEY_HEADER")
local prefix = os.getenv("KEY_PREFIX") or ""
local path = os.getenv("WRK_PATH")
local i = 0
request = function()
  i = i % #keys + 1
  return wrk.format("GET", path, {[header] = prefix .. keys[i]})
end
