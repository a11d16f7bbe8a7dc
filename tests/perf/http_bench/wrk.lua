-- wrk script of tests/perf/http_bench.py, one script for every server and workload.
--   HTTP_BENCH_BODY=FILE   send POST requests with FILE's bytes as an application/json body
--                          (without it, wrk sends its default GET)
--   HTTP_BENCH_EXPECT=FILE check every response: status 200 and FILE's bytes as the body, and
--                          print "check: responses N wrong M" at the end. Only for the warm-up:
--                          a response() callback makes wrk parse every body in Lua, which would
--                          slow the measured runs.
--   HTTP_BENCH_PIPELINE=N  write N requests at a time on each connection (HTTP/1.1
--                          pipelining), so that wrk's cost per request falls; the latency of a
--                          response then counts from the write of its batch.
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local body_path = os.getenv("HTTP_BENCH_BODY")
if body_path then
  wrk.method = "POST"
  wrk.body = slurp(body_path)
  wrk.headers["Content-Type"] = "application/json"
end

local depth = tonumber(os.getenv("HTTP_BENCH_PIPELINE") or "1")
if depth > 1 then
  local batch
  function init(args)
    batch = string.rep(wrk.format(), depth)  -- wrk.method, wrk.path, wrk.headers, wrk.body
  end
  function request()
    return batch
  end
end

local expect_path = os.getenv("HTTP_BENCH_EXPECT")
if expect_path then
  local expected = slurp(expect_path)
  local threads = {}
  responses, wrong = 0, 0

  function setup(thread)
    table.insert(threads, thread)
  end

  function response(status, headers, body)
    responses = responses + 1
    if status ~= 200 or body ~= expected then
      wrong = wrong + 1
    end
  end

  function done(summary, latency, requests)
    local n, bad = 0, 0
    for _, thread in ipairs(threads) do
      n = n + thread:get("responses")
      bad = bad + thread:get("wrong")
    end
    io.write(string.format("check: responses %d wrong %d\n", n, bad))
  end
end
