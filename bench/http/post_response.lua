-- wrk script: POST /api/v1/responses with a client_id unique to the run, thread and request,
-- so every request is a real insert (not an idempotent replay).
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

function init(args)
  run_tag = args[1] or tostring(os.time())
  counter = 0
end

function request()
  counter = counter + 1
  local window = string.format("W%02d", counter % 20 + 1)
  local body = string.format(
    '{"window":"%s","attitude":5,"efficiency":4,"result":5,"channel":"kiosk","client_id":"bench-%s-%d-%d"}',
    window, run_tag, thread_id, counter)
  return wrk.format("POST", "/api/v1/responses", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
