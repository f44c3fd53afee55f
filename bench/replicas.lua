-- wrk script for bench/replicas.sh: a mix of requests over the pages listed in the
-- file named by the REPLICAS_URLS environment variable (one site path a line, such
-- as `/modules-and-features/settings`): for every page its HTML, its Markdown twin
-- and an ask on the twin, the asks rotating over the questions below, every third
-- one new (a counter appended) so that the engine, not only its cache, answers.
-- At the end it prints one line:
--   RESULT <requests> <requests/s> <p50 µs> <p99 µs> <max µs> <non-2xx/3xx> <connect> <read> <write> <timeout>

local questions = {
  "how do I create an API token", "what happens when a token expires",
  "how do I copy a token", "can I disable a token without deleting it",
  "which modules can a token access", "how do I delete a token",
  "what are the token states", "how do I edit the token name",
  "where do I see when a token was last used", "what logo formats are allowed",
}

local paths = {}
local urls_file = os.getenv("REPLICAS_URLS")
if urls_file then
  for line in io.lines(urls_file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end
if #paths == 0 then paths = { "/" } end

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function twin(path)
  if path == "/" then return "/index.md" end
  return path .. ".md"
end

local n = 0
request = function()
  n = n + 1
  local path = paths[math.floor(n / 3) % #paths + 1]
  local kind = n % 3
  if kind == 0 then
    -- A page's HTML is at its path with a trailing slash (without, it is a 308).
    if path ~= "/" then path = path .. "/" end
    return wrk.format("GET", path)
  elseif kind == 1 then
    return wrk.format("GET", twin(path))
  end
  local q = questions[math.floor(n / 3) % #questions + 1]
  if math.floor(n / 3) % 3 == 0 then
    q = q .. " " .. tostring(n)
  end
  return wrk.format("GET", twin(path) .. "?ask=" .. encode(q))
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.1f %d %d %d %d %d %d %d %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
