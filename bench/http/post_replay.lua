-- wrk script: the same client_id again and again: every request goes through the group-
-- commit writer but finds the response already stored, so commits write no pages.
wrk.method = "POST"
wrk.body = '{"window":"W01","attitude":5,"efficiency":4,"result":5,"channel":"kiosk","client_id":"bench-replay-0001"}'
wrk.headers["Content-Type"] = "application/json"
