-- wrk script for bench/http.sh: POSTs generic-channel form bodies from the registered demo number
-- +97699000001, each with its own provider `id` and its own text (so that neither the provider-id
-- retry rule nor the 10-minute duplicate rule answers from memory: every request is a new message
-- that the gateway must store durably). Each wrk thread has its own Lua state and counter, so the
-- thread's number is mixed into both. The message is a NIL report ("nothing seen at ALT"), the
-- commonest form; ID reports would also open a case each and fill the 5-digit case serials.
--
--   wrk -t2 -c64 -d10s --latency -s bench/http/post.lua \
--       'http://127.0.0.1:PORT/channels/generic/receive?secret=demo-secret'
--
-- BENCH_TAG (environment) prefixes the ids, for runs against a store that is not fresh.

local threads = 0

function setup(thread)
    thread:set("tid", threads)
    threads = threads + 1
end

function init(args)
    counter = 0
    tag = os.getenv("BENCH_TAG") or "w"
    headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
end

function request()
    counter = counter + 1
    local n = tag .. tid .. "-" .. counter
    local body = "from=%2B97699000001&to=500&text=NIL%20ALT%20%23%20" .. n .. "&id=" .. n
    return wrk.format("POST", nil, headers, body)
end
