#!/usr/bin/env bash
# The HTTP benchmark (built by `make bench-http`; this script builds nothing). Measures in one run:
#   (a) bare:    bench/bare_server, the gateway's own HTTP listener with a handler that does no
#                work: the limit of the HTTP stack;
#   (b) gateway: `kharuul serve` on a fresh store, generic channel, every request a new message
#                (bench/http/post.lua) answered only once it is durable: messages/s and latency;
#   (d) p99 at half of (b)'s rate, from bench/loadgen (constant rate, latency from each request's
#                due time, so no coordinated omission);
#   (e) the gateway's peak RSS (VmHWM) after (b) and (d);
#   (c) kannel:  Debian's Kannel (bearerbox + smsbox, store-type = file) accepting `sendsms`
#                requests, its HTTP SMSC sending to a bare_server that answers 202 "Sent.".
#                Not like for like: bearerbox writes its store file without fsync (strace shows
#                no fsync/fdatasync), the gateway answers after an fsync'd commit;
# and prints a table with PASS/FAIL against the goals: gateway/bare >= 0.5, gateway/kannel >= 5,
# p99 at half the peak < 10 ms, peak RSS < 64 MB; then the exact commands. (a)-(c) use the same
# wrk command line. The load generators share the machine's cores with the servers.
# Exit 0 when every goal passes, 1 when one fails, 2 when it cannot run.
#
# Environment: BENCH_DIR (the binaries; default build-release), BENCH_DURATION (seconds per run;
# default 10), BENCH_THREADS/BENCH_CONNECTIONS (wrk's -t/-c; default 2/64), BENCH_LOADGEN_CONNECTIONS
# (default: wrk's -c, the same concurrency as the peak was measured with), KANNEL_LOG_LEVEL (default
# 1, as /work/shared/kannel/loop.conf), BENCH_KEEP=1 keeps the temporary folder (configurations,
# logs, stores, raw outputs).
set -euo pipefail

cd "$(dirname "$0")/.."

dir=${BENCH_DIR:-build-release}
duration=${BENCH_DURATION:-10}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
loadgen_connections=${BENCH_LOADGEN_CONNECTIONS:-$connections}
kannel_log_level=${KANNEL_LOG_LEVEL:-1}
kharuul=$dir/kharuul
bare=$dir/bare_server
loadgen=$dir/loadgen
lua=bench/http/post.lua
bearerbox=/usr/sbin/bearerbox
smsbox=/usr/sbin/smsbox

for f in "$kharuul" "$bare" "$loadgen"; do
    if [[ ! -x $f ]]; then
        echo "bench/http.sh: $f not found; build it with 'make bench-http'" >&2
        exit 2
    fi
done
for f in wrk curl sqlite3 "$bearerbox" "$smsbox"; do
    if ! command -v "$f" >/dev/null; then
        echo "bench/http.sh: $f not found (make deps)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d /tmp/kharuul-bench-http.XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
    done
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

commands=()
run() { # prints and records a command, then runs it
    echo "+ $*" >&2
    commands+=("$*")
    "$@"
}

# A port nothing listens on, below the ephemeral range, not handed out before in this run.
taken=" "
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 10000))
        [[ $taken == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            taken+="$p "
            echo "$p"
            return
        fi
    done
}

# wait_for DESCRIPTION PID COMMAND...: until COMMAND succeeds (10 s), or fail when PID died.
wait_for() {
    local what=$1 pid=$2
    shift 2
    for _ in $(seq 200); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench/http.sh: $what exited while starting; see $tmp" >&2
            BENCH_KEEP=1
            exit 2
        fi
        sleep 0.05
    done
    echo "bench/http.sh: $what not ready within 10 s; see $tmp" >&2
    BENCH_KEEP=1
    exit 2
}

# start_bare NAME ARGS...: a bare_server on a free port; sets bare_pid and bare_port.
start_bare() {
    local name=$1
    shift
    "$bare" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    bare_pid=$!
    commands+=("$bare $*  # prints the port it picked")
    pids+=("$bare_pid")
    wait_for "$name" "$bare_pid" grep -q '^listening on' "$tmp/$name.out"
    bare_port=$(awk '/^listening on/ { print $3 }' "$tmp/$name.out")
}

stop_pid() { # SIGTERM and wait (5 s, then SIGKILL)
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
    kill -KILL "$1" 2>/dev/null || true
}

# Reads wrk --latency output; prints "requests duration non2xx socket_errors rps p50 p90 p99 max" with
# latencies in ms. rps counts 2xx answers only.
parse_wrk() {
    awk '
    function ms(v) {
        if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
        if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
        if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
        if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
        return v + 0
    }
    /^ +Latency / && !max { max = ms($4) }
    /^ +50% / { p50 = ms($2) }
    /^ +90% / { p90 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    / requests in / { req = $1; d = $4; sub(/,$/, "", d); dur = ms(d) / 1000 }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors:/ { gsub(/,/, ""); errs = $4 + $6 + $8 + $10 }
    END {
        printf "%d %.2f %d %d %.1f %.3f %.3f %.3f %.3f\n", req, dur, bad, errs, (req - bad) / dur, p50, p90, p99, max
    }
    ' "$1"
}

wrk_cmd=(wrk "-t$threads" "-c$connections" "-d${duration}s" --latency)

echo "load before the benchmark: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo

# ---- (a) bare ----
start_bare bare
run "${wrk_cmd[@]}" "http://127.0.0.1:$bare_port/" >"$tmp/bare.wrk"
read -r a_req a_dur a_bad a_err a_rps a_p50 a_p90 a_p99 a_max < <(parse_wrk "$tmp/bare.wrk")
stop_pid "$bare_pid"

# ---- (b) gateway ----
gport=$(free_port)
db=$tmp/gateway/kharuul.db
sed -e "s|^listen = .*|listen = \"127.0.0.1:$gport\"|" -e "s|^path = .*|path = \"$db\"|" config/demo.toml \
    >"$tmp/gateway.toml"
if ! grep -q "^listen = \"127.0.0.1:$gport\"" "$tmp/gateway.toml" ||
    ! grep -q "^path = \"$db\"" "$tmp/gateway.toml"; then
    echo "bench/http.sh: config/demo.toml no longer has 'listen =' and 'path =' at line starts" >&2
    exit 2
fi
"$kharuul" serve --config "$tmp/gateway.toml" 2>"$tmp/gateway.log" &
gateway_pid=$!
pids+=("$gateway_pid")
commands+=("$kharuul serve --config $tmp/gateway.toml 2>$tmp/gateway.log  # demo.toml, listen and store.path set")
wait_for "kharuul serve" "$gateway_pid" curl -sf "http://127.0.0.1:$gport/healthz"
gateway_url="http://127.0.0.1:$gport/channels/generic/receive?secret=demo-secret"
run "${wrk_cmd[@]}" -s "$lua" "$gateway_url" >"$tmp/gateway.wrk"
read -r b_req b_dur b_bad b_err b_rps b_p50 b_p90 b_p99 b_max < <(parse_wrk "$tmp/gateway.wrk")
hwm_after_wrk=$(awk '/^VmHWM:/ { print $2 }' "/proc/$gateway_pid/status")

# ---- (d) p99 at half the peak rate, same gateway and store ----
half=$(awk -v r="$b_rps" 'BEGIN { printf "%d", r / 2 }')
run "$loadgen" --port "$gport" --rate "$half" --duration "$duration" --connections "$loadgen_connections" \
    --target "/channels/generic/receive?secret=demo-secret" \
    --body 'from=%2B97699000001&to=500&text=NIL%20ALT%20%23%20lg{n}&id=lg{n}' >"$tmp/loadgen.json"
json_num() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" "$tmp/loadgen.json"; }
d_p50=$(json_num p50); d_p90=$(json_num p90); d_p99=$(json_num p99); d_max=$(json_num max)
d_ok=$(json_num ok); d_sent=$(json_num sent); d_rate=$(json_num achieved_rate)
d_errors=$(( $(json_num errors) + $(json_num non_2xx) + $(json_num late_unsent) ))
d_detail="$(json_num errors) connection errors, $(json_num non_2xx) non-2xx,"
d_detail+=" $(json_num late_unsent) not sent (over 5 s late)"

# ---- (e) memory ----
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$gateway_pid/status")
metrics=$(curl -s "http://127.0.0.1:$gport/metrics")
stop_pid "$gateway_pid"
stored=$(sqlite3 "$db" "SELECT count(*) FROM messages")
batch_avg=$(awk '/^kharuul_store_batch_size_sum/ { s = $2 } /^kharuul_store_batch_size_count/ { c = $2 }
                 END { printf "%.1f", c ? s / c : 0 }' <<<"$metrics")
commit_avg_ms=$(awk '/^kharuul_store_commit_seconds_sum/ { s = $2 }
                     /^kharuul_store_commit_seconds_count/ { c = $2 }
                     END { printf "%.2f", c ? s / c * 1000 : 0 }' <<<"$metrics")
commits=$(awk '/^kharuul_store_commit_seconds_count/ { print $2 }' <<<"$metrics")

# ---- (c) kannel ----
start_bare smsc-sink --status 202 --body "Sent."
sink_port=$bare_port
sink_pid=$bare_pid
admin_port=$(free_port); smsbox_port=$(free_port); smsc_port=$(free_port); sendsms_port=$(free_port)
mkdir -p "$tmp/kannel"
# /work/shared/kannel/loop.conf with its ports and paths filled in.
cat >"$tmp/kannel/kannel.conf" <<EOF
group = core
admin-port = $admin_port
admin-interface = 127.0.0.1
admin-password = adm
admin-allow-ip = 127.0.0.1
smsbox-port = $smsbox_port
smsbox-interface = 127.0.0.1
log-file = "$tmp/kannel/bearerbox.log"
log-level = $kannel_log_level
box-allow-ip = 127.0.0.1
store-type = file
store-location = "$tmp/kannel/kannel.store"

group = smsc
smsc = http
smsc-id = fake
system-type = kannel
port = $smsc_port
send-url = "http://127.0.0.1:$sink_port/mt"
smsc-username = u
smsc-password = p
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $smsbox_port
sendsms-port = $sendsms_port
sendsms-interface = 127.0.0.1
log-file = "$tmp/kannel/smsbox.log"
log-level = $kannel_log_level

group = sms-service
keyword = default
get-url = "http://127.0.0.1:$sink_port/mo?from=%p&to=%P&text=%a&id=%I"
max-messages = 1

group = sendsms-user
username = k
password = k
EOF
"$bearerbox" -v 4 "$tmp/kannel/kannel.conf" >"$tmp/kannel/bearerbox.stderr" 2>&1 &
bearerbox_pid=$!
pids+=("$bearerbox_pid")
commands+=("$bearerbox -v 4 $tmp/kannel/kannel.conf")
wait_for bearerbox "$bearerbox_pid" \
    bash -c "curl -s 'http://127.0.0.1:$admin_port/status.txt?password=adm' | grep -q '(online'"
"$smsbox" -v 4 "$tmp/kannel/kannel.conf" >"$tmp/kannel/smsbox.stderr" 2>&1 &
smsbox_pid=$!
pids+=("$smsbox_pid")
commands+=("$smsbox -v 4 $tmp/kannel/kannel.conf")
wait_for smsbox "$smsbox_pid" \
    bash -c "curl -s 'http://127.0.0.1:$admin_port/status.txt?password=adm' | grep -q 'smsbox:' &&
             curl -s -o /dev/null 'http://127.0.0.1:$sendsms_port/'"
sendsms_url="http://127.0.0.1:$sendsms_port/cgi-bin/sendsms?username=k&password=k&from=500"
sendsms_url+="&to=%2B97699000001&text=NIL+ALT+bench"
run "${wrk_cmd[@]}" "$sendsms_url" >"$tmp/kannel.wrk"
read -r c_req c_dur c_bad c_err c_rps c_p50 c_p90 c_p99 c_max < <(parse_wrk "$tmp/kannel.wrk")
kannel_answer=$(curl -s "$sendsms_url")
stop_pid "$smsbox_pid"
stop_pid "$bearerbox_pid"
stop_pid "$sink_pid"

# ---- the table ----
verdict() { # VALUE OP GOAL, OP ">=" or "<"
    awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { ok = op == ">=" ? v >= g : v < g; print ok ? "PASS" : "FAIL" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
g_bare=$(ratio "$b_rps" "$a_rps")
g_kannel=$(ratio "$b_rps" "$c_rps")
rss_mb=$(awk -v k="$hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }')
v1=$(verdict "$g_bare" ">=" 0.5)
v2=$(verdict "$g_kannel" ">=" 5)
v3=$(verdict "$d_p99" "<" 10)
v4=$(verdict "$rss_mb" "<" 64)

echo
row() { printf "%-44s %12s %9s %9s %9s %9s %8s\n" "$@"; }
row "run (wrk -t$threads -c$connections -d${duration}s)" "answers/s" "p50 ms" "p90 ms" "p99 ms" "max ms" "failed"
row "(a) bare: HTTP stack, no work" "$a_rps" "$a_p50" "$a_p90" "$a_p99" "$a_max" "$((a_bad + a_err))"
row "(b) gateway: durable inbound messages" "$b_rps" "$b_p50" "$b_p90" "$b_p99" "$b_max" "$((b_bad + b_err))"
row "(c) kannel: sendsms accepted (store file)" "$c_rps" "$c_p50" "$c_p90" "$c_p99" "$c_max" "$((c_bad + c_err))"
row "(d) gateway at half of (b), constant rate" "$d_rate" "$d_p50" "$d_p90" "$d_p99" "$d_max" "$d_errors"
echo
echo "(b) store: $stored messages stored for $((b_req - b_bad)) answered by wrk + $d_ok by loadgen" \
     "(wrk does not count the requests in flight when it stops); group commit: $commits commits," \
     "$batch_avg messages per commit, $commit_avg_ms ms per commit on average"
echo "(c) kannel answered: $kannel_answer"
echo "(d) loadgen: $d_sent sent at $half/s for ${duration} s over $loadgen_connections connections," \
     "latency from each request's due time; $d_detail"
echo
printf "%-44s %12s %12s  %s\n" "goal" "measured" "target" "verdict"
printf "%-44s %12s %12s  %s\n" "gateway / bare" "$g_bare" ">= 0.5" "$v1"
printf "%-44s %12s %12s  %s\n" "gateway / kannel" "$g_kannel" ">= 5" "$v2"
printf "%-44s %12s %12s  %s\n" "p99 at half the peak rate (ms)" "$d_p99" "< 10" "$v3"
printf "%-44s %12s %12s  %s\n" "gateway peak RSS, VmHWM (MB)" "$rss_mb" "< 64" "$v4"
echo "(peak RSS after (b) alone: $(awk -v k="$hwm_after_wrk" 'BEGIN { printf "%.1f", k / 1024 }') MB)"
echo
echo "load after the benchmark: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commands:"
for c in "${commands[@]}"; do echo "  $c"; done

[[ $v1 == PASS && $v2 == PASS && $v3 == PASS && $v4 == PASS ]]
