#!/usr/bin/env bash
# A provider's backlog replayed through the real Kannel (issue 13, item 5). After an outage between
# Kannel and kharuul, Kannel holds every mobile-originated message it took in meanwhile and replays
# them at once when the link is back. This script measures that replay, with Debian's Kannel
# (bearerbox + smsbox, store-type = file, an HTTP SMSC of system-type kannel, as the integration
# tests run it):
#   1. bearerbox runs with smsbox DOWN; BACKLOG_MESSAGES distinct MOs are injected through the
#      SMSC's HTTP port (curl --parallel): bearerbox answers "Sent." once each is in its store, and
#      with no smsbox they stay queued (no get-url is tried, so smsbox's http-request-retry cannot
#      run out and drop any);
#   2. `kharuul serve` runs on a fresh store (config/demo.toml, its kannel channel, plus 500
#      generated reporters);
#   3. smsbox starts: it drains the queue into kharuul's /channels/kannel/receive through get-url
#      (with id=%I, Kannel's message id, so a redelivery is recognised), and bearerbox sends each
#      reply to the SMSC's send-url (a bare_server answering 202 "Sent.").
# Measured: the time from smsbox's start to the last message committed (polled with sqlite3 on the
# store), and then that every message is stored exactly once, that no get-url request failed at
# Kannel (gwlib logs "Couldn't fetch" for each timeout or connection error) and how many 503s
# kharuul answered (each one a retry at Kannel).
#
# The messages: NIL reports with a unique tail ("NIL ALT # bl1234"), 91% from 500 registered
# reporters (+97699000300..799, each at one of the demo sites, the report naming it), 9% from 50
# unregistered numbers (+97699000800..849: stored as `unregistered`, not processed). Every text is
# distinct, so the 10-minute duplicate rule cannot fold two messages into one: a message stored
# twice shows as the same text twice (doubled), a message never stored as a missing text (lost).
#
# Environment: BENCH_DIR (the binaries; default build-release), BACKLOG_MESSAGES (default 100000),
# BACKLOG_PARALLEL (curl's --parallel-max while filling; default 32), BACKLOG_TIMEOUT (seconds the
# drain may take at most; default 600), KANNEL_LOG_LEVEL (default 1), BENCH_KEEP=1 keeps the
# temporary folder (configurations, logs, stores). The smsbox settings are an operator's (see
# docs/operators-guide.md, "after an outage"): SMSBOX_MAX_PENDING (max-pending-requests, default
# 512, Kannel's default), SMSBOX_RETRY (http-request-retry, default 10), SMSBOX_QUEUE_DELAY
# (http-queue-delay, default 10), SMSBOX_HTTP_TIMEOUT (http-timeout, default 30).
#
# The last line is, for bench/http.sh to parse:
#   backlog: messages=N drained_s=S rate=R stored=N distinct=N doubled=0 lost=0 kannel_timeouts=0 kharuul_503=0
# Exit 0 when stored == distinct == messages and doubled == lost == kannel_timeouts == 0; 1 when a
# check fails; 2 when it cannot run.
set -euo pipefail

cd "$(dirname "$0")/.."

dir=${BENCH_DIR:-build-release}
messages=${BACKLOG_MESSAGES:-100000}
parallel=${BACKLOG_PARALLEL:-32}
drain_timeout=${BACKLOG_TIMEOUT:-600}
kannel_log_level=${KANNEL_LOG_LEVEL:-1}
max_pending=${SMSBOX_MAX_PENDING:-512}
retry=${SMSBOX_RETRY:-10}
queue_delay=${SMSBOX_QUEUE_DELAY:-10}
http_timeout=${SMSBOX_HTTP_TIMEOUT:-30}
kharuul=$dir/kharuul
bare=$dir/bare_server
bearerbox=/usr/sbin/bearerbox
smsbox=/usr/sbin/smsbox

for f in "$kharuul" "$bare"; do
    if [[ ! -x $f ]]; then
        echo "bench/kannel_backlog.sh: $f not found; build it with 'make bench-http'" >&2
        exit 2
    fi
done
for f in curl sqlite3 awk "$bearerbox" "$smsbox"; do
    if ! command -v "$f" >/dev/null; then
        echo "bench/kannel_backlog.sh: $f not found (make deps)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d /tmp/kharuul-bench-backlog.XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
    done
    # stderr: the last line on stdout stays the backlog line
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

commands=()
run() { # prints and records a command, then runs it
    echo "+ $*" >&2
    commands+=("$*")
    "$@"
}
note() { # records a command run in the background or through a redirection
    echo "+ $*" >&2
    commands+=("$*")
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
            echo "bench/kannel_backlog.sh: $what exited while starting; see $tmp" >&2
            BENCH_KEEP=1
            exit 2
        fi
        sleep 0.05
    done
    echo "bench/kannel_backlog.sh: $what not ready within 10 s; see $tmp" >&2
    BENCH_KEEP=1
    exit 2
}

stop_pid() { # SIGTERM and wait (5 s, then SIGKILL)
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
    kill -KILL "$1" 2>/dev/null || true
}

now() { date +%s.%N; }
cpu_s() { # CPU seconds (user + system) a process has used so far
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null ||
        echo 0
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "load before the benchmark: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# ---- the phone network's MT side: bearerbox sends each reply here ----
"$bare" --status 202 --body "Sent." >"$tmp/sink.out" 2>"$tmp/sink.err" &
sink_pid=$!
pids+=("$sink_pid")
note "$bare --status 202 --body Sent.  # the SMSC's send-url; prints the port it picked"
wait_for "bare_server" "$sink_pid" grep -q '^listening on' "$tmp/sink.out"
sink_port=$(awk '/^listening on/ { print $3 }' "$tmp/sink.out")

# ---- Kannel's configuration (/work/shared/kannel/loop.conf, ports and paths filled in) ----
gport=$(free_port)
admin_port=$(free_port); smsbox_port=$(free_port); smsc_port=$(free_port); sendsms_port=$(free_port)
mkdir -p "$tmp/kannel"
get_url="http://127.0.0.1:$gport/channels/kannel/receive?secret=demo-kannel-secret"
get_url+="&from=%p&to=%P&text=%a&id=%I&time=%t&coding=%c&charset=%C&smsc=%i"
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
access-log = "$tmp/kannel/smsbox-access.log"
mo-recode = true
max-pending-requests = $max_pending
http-request-retry = $retry
http-queue-delay = $queue_delay
http-timeout = $http_timeout

group = sms-service
keyword = default
get-url = "$get_url"
max-messages = 1
omit-empty = true
accept-x-kannel-headers = true

group = sendsms-user
username = kharuul
password = demo-password
EOF

admin_status() { curl -s "http://127.0.0.1:$admin_port/status.txt?password=adm"; }
# "SMS: received 12 (3 queued), sent ..." -> the number queued for smsbox
queued_mo() { admin_status | awk '/^SMS: received/ { gsub(/\(/, "", $4); print $4; exit }'; }

# ---- 1. the backlog: bearerbox alone takes in every message ----
"$bearerbox" -v 4 "$tmp/kannel/kannel.conf" >"$tmp/kannel/bearerbox.stderr" 2>&1 &
bearerbox_pid=$!
pids+=("$bearerbox_pid")
note "$bearerbox -v 4 $tmp/kannel/kannel.conf"
wait_for bearerbox "$bearerbox_pid" bash -c "curl -s 'http://127.0.0.1:$admin_port/status.txt?password=adm' |
    grep -q '(online' && (exec 3<>/dev/tcp/127.0.0.1/$smsc_port)"

# One curl config line per message: sender, site and a unique tail (see the header).
awk -v n="$messages" -v port="$smsc_port" 'BEGIN {
    split("ALT ULT TSD DKH NLK NRT", sites, " ")
    for (i = 1; i <= n; i++) {
        k = i % 550                                  # 0..499 registered, 500..549 not
        site = sites[k % 6 + 1]
        printf "url = \"http://127.0.0.1:%d/?username=u&password=p&from=%%2B97699000%03d&to=500&text=NIL+%s+%%23+bl%d\"\noutput = \"/dev/null\"\n",
            port, 300 + k, site, i
    }
}' >"$tmp/fill.curl"
fill_start=$(now)
run curl --no-progress-meter --parallel --parallel-max "$parallel" --config "$tmp/fill.curl" \
    --write-out '%{http_code}\n' --stderr "$tmp/fill.err" >"$tmp/fill.codes" || true
fill_end=$(now)
filled=$(grep -c '^202$' "$tmp/fill.codes" || true)
queued=$(queued_mo)
fill_s=$(elapsed "$fill_start" "$fill_end")
echo "filled: $filled of $messages accepted by bearerbox in $fill_s s" \
     "($(awk -v n="$filled" -v s="$fill_s" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')/s); $queued queued for smsbox"
if [[ $filled != "$messages" || $queued != "$messages" ]]; then
    echo "bench/kannel_backlog.sh: the backlog is not complete (see $tmp/fill.err)" >&2
    BENCH_KEEP=1
    exit 2
fi

# ---- 2. kharuul: demo.toml on a fresh store, 500 more reporters ----
db=$tmp/gateway/kharuul.db
sed -e "s|^listen = .*|listen = \"127.0.0.1:$gport\"|" -e "s|^path = .*|path = \"$db\"|" \
    -e "s|^send_url = \"http://127.0.0.1:13013/cgi-bin/sendsms\"|send_url = \"http://127.0.0.1:$sendsms_port/cgi-bin/sendsms\"|" \
    config/demo.toml >"$tmp/gateway.toml"
if ! grep -q "^listen = \"127.0.0.1:$gport\"" "$tmp/gateway.toml" ||
    ! grep -q "^path = \"$db\"" "$tmp/gateway.toml"; then
    echo "bench/kannel_backlog.sh: config/demo.toml no longer has 'listen =' and 'path =' at line starts" >&2
    exit 2
fi
awk 'BEGIN {
    split("ALT ULT TSD DKH NLK NRT", sites, " ")
    for (k = 0; k < 500; k++)
        printf "\n[[reporters]]\nphone = \"+97699000%03d\"\nname = \"Backlog volunteer %d\"\nsites = [\"%s\"]\n",
            300 + k, k, sites[k % 6 + 1]
}' >>"$tmp/gateway.toml"
"$kharuul" serve --config "$tmp/gateway.toml" 2>"$tmp/gateway.log" &
gateway_pid=$!
pids+=("$gateway_pid")
note "$kharuul serve --config $tmp/gateway.toml 2>$tmp/gateway.log  # demo.toml, listen and store.path set, 500 reporters added"
wait_for "kharuul serve" "$gateway_pid" curl -sf "http://127.0.0.1:$gport/healthz"

# ---- 3. the replay: smsbox starts, the clock runs until every message is committed ----
count_stored() {
    sqlite3 -readonly -cmd ".timeout 5000" "$db" "SELECT count(*) FROM messages WHERE channel = 'kannel'" 2>/dev/null ||
        echo 0
}
bb_cpu0=$(cpu_s "$bearerbox_pid"); gw_cpu0=$(cpu_s "$gateway_pid"); sink_cpu0=$(cpu_s "$sink_pid")
drain_start=$(now)
"$smsbox" -v 4 "$tmp/kannel/kannel.conf" >"$tmp/kannel/smsbox.stderr" 2>&1 &
smsbox_pid=$!
pids+=("$smsbox_pid")
note "$smsbox -v 4 $tmp/kannel/kannel.conf  # the clock starts"
stored=0
progress_at=$drain_start
last_report=$drain_start
while :; do
    sleep 0.1
    n=$(count_stored)
    t=$(now)
    if ((n >= messages)); then stored=$n; break; fi
    if ((n > stored)); then stored=$n; fi
    if ! kill -0 "$smsbox_pid" 2>/dev/null || ! kill -0 "$gateway_pid" 2>/dev/null ||
        ! kill -0 "$bearerbox_pid" 2>/dev/null; then
        echo "bench/kannel_backlog.sh: a process exited during the drain; see $tmp" >&2
        BENCH_KEEP=1
        break
    fi
    if awk -v a="$drain_start" -v b="$t" -v m="$drain_timeout" 'BEGIN { exit !(b - a > m) }'; then
        echo "bench/kannel_backlog.sh: not drained within $drain_timeout s" >&2
        break
    fi
    if awk -v a="$last_report" -v b="$t" 'BEGIN { exit !(b - a >= 5) }'; then
        echo "  $(elapsed "$drain_start" "$t") s: $n stored" >&2
        last_report=$t
    fi
done
drain_end=$(now)
drained_s=$(elapsed "$drain_start" "$drain_end")
# Where the drain's time went: CPU seconds each process used from smsbox's start to the last commit.
cpu_line="bearerbox $(elapsed "$bb_cpu0" "$(cpu_s "$bearerbox_pid")") s, smsbox $(cpu_s "$smsbox_pid") s,"
cpu_line+=" kharuul $(elapsed "$gw_cpu0" "$(cpu_s "$gateway_pid")") s, send-url sink $(elapsed "$sink_cpu0" "$(cpu_s "$sink_pid")") s"

# Let Kannel finish what follows the last commit (smsbox's answers, bearerbox's replies to the
# phones) so that its logs are complete: every request has an access-log line, nothing is queued.
for _ in $(seq 300); do
    logged=$(grep -c 'SMS HTTP-request' "$tmp/kannel/smsbox-access.log" 2>/dev/null || true)
    left=$(queued_mo || echo "?")
    [[ $logged -ge $messages && $left == 0 ]] && break
    sleep 0.1
done
status_after=$(admin_status | grep '^SMS: received' || true)

metrics=$(curl -s "http://127.0.0.1:$gport/metrics")
kharuul_503=$(awk '/^kharuul_store_failures_total / { s += $2 }
                   /^kharuul_http_responses_total\{.*status="503"/ { s += $2 }
                   END { printf "%d", s }' <<<"$metrics")
kharuul_4xx=$(awk '/^kharuul_(unauthorized|bad_requests)_total\{/ { s += $2 } END { printf "%d", s }' <<<"$metrics")
batch_avg=$(awk '/^kharuul_store_batch_size_sum/ { s = $2 } /^kharuul_store_batch_size_count/ { c = $2 }
                 END { printf "%.1f", c ? s / c : 0 }' <<<"$metrics")
commit_avg_ms=$(awk '/^kharuul_store_commit_seconds_sum/ { s = $2 }
                     /^kharuul_store_commit_seconds_count/ { c = $2 }
                     END { printf "%.2f", c ? s / c * 1000 : 0 }' <<<"$metrics")
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$gateway_pid/status")
stop_pid "$smsbox_pid"
stop_pid "$bearerbox_pid"
stop_pid "$gateway_pid"
stop_pid "$sink_pid"

# ---- the checks, on the store ----
q() { sqlite3 -readonly "$db" "$1"; }
stored=$(q "SELECT count(*) FROM messages WHERE channel = 'kannel'")
distinct=$(q "SELECT count(DISTINCT provider_id) FROM messages WHERE channel = 'kannel'")
no_id=$(q "SELECT count(*) FROM messages WHERE channel = 'kannel' AND provider_id IS NULL")
texts=$(q "SELECT count(DISTINCT text) FROM messages WHERE channel = 'kannel' AND text LIKE 'NIL % # bl%'")
doubled=$((stored - texts))
lost=$((messages - texts))
statuses=$(q "SELECT status || ' ' || count(*) FROM messages WHERE channel = 'kannel' GROUP BY status ORDER BY 1" |
    paste -sd, - | sed 's/,/, /g')
repeats=$(grep -c 'provider retry, answered as before' "$tmp/gateway.log" || true)
# Kannel's side: every failed get-url attempt (timeout, refused, reset) is a "Couldn't fetch";
# the access log has one line per message with the final answer's status.
kannel_timeouts=$(grep -c "Couldn't fetch" "$tmp/kannel/smsbox.log" || true)
kannel_final_failed=$(grep 'SMS HTTP-request' "$tmp/kannel/smsbox-access.log" | grep -vc "reply: 200 " || true)
kannel_answered=$(grep -c 'SMS HTTP-request' "$tmp/kannel/smsbox-access.log" || true)
mt_sent=$(awk '/^SMS: received/ { print $7 }' <<<"$status_after")
rate=$(awk -v n="$stored" -v s="$drained_s" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')

echo
echo "drain: $stored of $messages stored in $drained_s s from smsbox's start ($rate/s);" \
     "group commit: $batch_avg messages per commit, $commit_avg_ms ms per commit on average;" \
     "kharuul peak RSS $(awk -v k="$hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }') MB"
echo "CPU during the drain: $cpu_line (2 cores: $(awk -v s="$drained_s" 'BEGIN { printf "%.0f", 2 * s }') s available)"
echo "store: $distinct distinct Kannel ids ($no_id without one), $texts distinct texts; by status: $statuses"
echo "kannel: $kannel_answered requests answered (access log), $kannel_final_failed not with 200;" \
     "$kannel_timeouts failed attempts (gwlib \"Couldn't fetch\": timeouts, refusals); $mt_sent replies sent to the phones;" \
     "bearerbox after: ${status_after:-?}"
echo "kharuul: $kharuul_503 answered 503, $kharuul_4xx answered 4xx, $repeats redeliveries recognised by id"
echo "smsbox: max-pending-requests $max_pending, http-request-retry $retry, http-queue-delay $queue_delay s," \
     "http-timeout $http_timeout s"
echo
echo "load after the benchmark: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commands:"
for c in "${commands[@]}"; do echo "  $c"; done
echo "backlog: messages=$messages drained_s=$drained_s rate=$rate stored=$stored distinct=$distinct" \
     "doubled=$doubled lost=$lost kannel_timeouts=$kannel_timeouts kharuul_503=$kharuul_503"

[[ $stored == "$messages" && $distinct == "$messages" && $doubled == 0 && $lost == 0 && $kannel_timeouts == 0 ]]
