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
  with_comment = args[2] == "comment"
  counter = 0
end

function request()
  counter = counter + 1
  local window = string.format("W%02d", counter % 20 + 1)
  local comment = ""
  if with_comment then
    comment = string.format(',"comment":"第%d位办事群众：工作人员态度很好，材料一次讲清楚，效率高"', counter % 997)
  end
  local body = string.format(
    '{"window":"%s","attitude":5,"efficiency":4,"result":5,"channel":"kiosk","client_id":"bench-%s-%d-%d"%s}',
    window, run_tag, thread_id, counter, comment)
  return wrk.format("POST", "/api/v1/responses", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("non2xx=%d\n", summary.errors.status))
end
