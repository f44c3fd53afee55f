-- wrk script for bench/load.sh. Arguments (after `--`):
--   fixed           request the URL given to wrk, unchanged
--   ask PATH        GET PATH?ask=<question>, rotating over the questions below
--   ask-new PATH    the same, with a counter appended so that every question is new
-- At the end it prints one line: RESULT <requests/s> <p50 µs> <p99 µs> <non-2xx> <errors>

local questions = {
  "how do I configure the cache", "what is the default timeout for a request",
  "how do I build the index", "how does the router handle a request",
  "where is the configuration file", "how do I render a template",
  "what does the parser return on error", "how do I enable a feature flag",
  "how do I install the package", "what is the maximum buffer size",
  "how do I search the documents", "how do I add a new page",
  "what happens when the server restarts", "how do I update the version",
  "how are links resolved", "how do I stream the output",
  "what is a token", "how do I list all options",
  "how do I change the theme", "where are the logs written",
  "how do I run the command", "what does the handler do with headers",
  "how do I parse a markdown file", "how are errors reported",
  "what is the release process", "how do I set a key value",
  "how do I debug a failing build", "how are tables rendered",
  "how do I write a module", "what types does the library export",
  "how do I create a client", "how is the response cached",
  "how do I read the source", "what is the target folder",
  "how do I upgrade to the new release", "how do I filter results",
  "how does the builder order pages", "how do I remove a field",
  "what is the difference between a block and a section",
  "how do I check the configuration", "how do I use the query string",
  "how do I map a route to a handler", "what is stored in the index",
  "how do I format code blocks", "how do I validate input",
  "how big can a document be", "how do I group items in a list",
  "what does the flag do", "how do I deploy the output",
  "why is the build slow",
}

local mode, path = "fixed", nil
local counter = 0

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  mode = args[1] or "fixed"
  path = args[2]
  counter = math.random(0, 1000000)
end

function request()
  if mode == "fixed" then
    return wrk.format("GET")
  end
  counter = counter + 1
  local q = questions[(counter % #questions) + 1]
  if mode == "ask-new" then
    q = q .. " " .. counter
  end
  return wrk.format("GET", path .. "?ask=" .. encode(q))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.1f %d %d %d %d\n", summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), summary.errors.status, errors))
end
