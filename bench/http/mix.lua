-- wrk script for bench/http.sh's realistic mix: POSTs the generic-channel form bodies of the file
-- named by BENCH_BODIES (one template a line, as `loadgen --bodies` takes them; bench/mix.sh writes
-- it, already shuffled), each thread cycling through the lines from its own starting point. Every
-- "{n}" becomes a number unique in the run (BENCH_TAG, the thread, a counter), so that each request
-- is a new message with its own provider id and its own note.
--
--   BENCH_BODIES=mix.bodies wrk -t2 -c64 -d10s --latency -s bench/http/mix.lua \
--       'http://127.0.0.1:PORT/channels/generic/receive?secret=demo-secret'

local threads = 0

function setup(thread)
    thread:set("tid", threads)
    threads = threads + 1
end

function init(args)
    counter = 0
    tag = os.getenv("BENCH_TAG") or "x"
    headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
    lines = {}
    local path = os.getenv("BENCH_BODIES")
    local f = assert(io.open(path, "r"), "mix.lua: BENCH_BODIES must name a readable file")
    for line in f:lines() do
        if #line > 0 then lines[#lines + 1] = line end
    end
    f:close()
    assert(#lines > 0, "mix.lua: no body in " .. path)
    first = (tid * 7919) % #lines
end

function request()
    counter = counter + 1
    local n = tag .. tid .. "n" .. counter
    local body = lines[(first + counter) % #lines + 1]:gsub("{n}", n)
    return wrk.format("POST", nil, headers, body)
end
