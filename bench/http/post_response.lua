-- wrk script: POST /api/v1/responses with a client_id unique to the run, thread and request,
-- so every request is a real insert (not an idempotent replay).
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

-- With a second argument "comment", each submission carries a 30-character Chinese comment,
-- which the comment search index (FTS5, trigram) adds to every insert.
function init(args)
  run_tag = args[1] or tostring(os.time())
  -- Every n-th request is a 差评 (attitude 2, with a reason), which also opens its case;
  -- 0 sends none. "comment" as the third argument adds a comment to every request.
  negative_every = tonumber(args[2] or "0") or 0
  with_comment = args[3] == "comment"
  -- A fourth argument names a file of "W01 <device token>" lines: each request then carries
  -- its window's paired kiosk token in X-Device-Token, as a kiosk program sends it.
  devices = {}
  if args[4] then
    for line in io.lines(args[4]) do
      local window, token = line:match("^(%S+)%s+(%S+)$")
      if window then devices[window] = token end
    end
  end
  counter = 0
end

function request()
  counter = counter + 1
  local window = string.format("W%02d", counter % 20 + 1)
  local comment = ""
  if with_comment then
    comment = string.format(',"comment":"第%d位办事群众：工作人员态度很好，材料一次讲清楚，效率高"', counter % 997)
  end
  local body
  if negative_every > 0 and counter % negative_every == 0 then
    body = string.format(
      '{"window":"%s","attitude":2,"efficiency":4,"result":5,"reasons":["等候时间长"],"channel":"kiosk","client_id":"bench-%s-%d-%d"%s}',
      window, run_tag, thread_id, counter, comment)
  else
    body = string.format(
      '{"window":"%s","attitude":5,"efficiency":4,"result":5,"channel":"kiosk","client_id":"bench-%s-%d-%d"%s}',
      window, run_tag, thread_id, counter, comment)
  end
  local headers = { ["Content-Type"] = "application/json" }
  if devices[window] then headers["X-Device-Token"] = devices[window] end
  return wrk.format("POST", "/api/v1/responses", headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
