-- wrk script: every request as one of many people (bench/people.py writes the files).
-- PEOPLE_FILE holds one credential a line (an API key, a session cookie), sent in
-- PEOPLE_HEADER after PEOPLE_PREFIX; PATHS_FILE, one path a line (else the URL's path).
-- Each request picks a person and a path at random (math.random, seeded by thread so runs
-- compare), or with PICK=in_turn the next person (a pass over all, as a warm-up). E.g.:
--   PEOPLE_FILE=keys.txt PEOPLE_HEADER=X-API-Key \
--     wrk -t2 -c8 -d10s --latency -s bench/people.lua http://127.0.0.1:8000/api/v1/inference
local function lines(name)
  local list = {}
  if name then
    for line in io.lines(name) do list[#list + 1] = line end
  end
  return list
end
local people = lines(os.getenv("PEOPLE_FILE"))
local paths = lines(os.getenv("PATHS_FILE"))
local header = os.getenv("PEOPLE_HEADER")
local prefix = os.getenv("PEOPLE_PREFIX") or ""
local in_turn = os.getenv("PICK") == "in_turn"
local threads, turn = 0, 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init()
  math.randomseed(seed)
end

function request()
  if #people > 0 then
    turn = in_turn and turn % #people + 1 or math.random(#people)
    wrk.headers[header] = prefix .. people[turn]
  end
  return wrk.format(nil, #paths > 0 and paths[math.random(#paths)] or nil)
end
