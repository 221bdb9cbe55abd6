-- wrk script: a submission for a window that does not exist, answered 422 at once after
-- decoding and validation: the cost of the request path without any storage.
wrk.method = "POST"
wrk.body = '{"window":"W-NONE","attitude":5,"efficiency":4,"result":5,"channel":"kiosk","client_id":"bench-rejected-0001"}'
wrk.headers["Content-Type"] = "application/json"
