#!/usr/bin/env bash
# The report benchmark (built by `make bench-report`; this script builds nothing): `kharuul report`
# for a year over a generated store (bench/gen_store: BENCH_CASES cases, BENCH_MESSAGES messages,
# the demo registry), against the issue's goals: under 2 s on one core and under 256 MB. Runs,
# interleaved, BENCH_ROUNDS rounds of
#   (a) baseline: sqlite3 counting the case history and the period's messages, the floor of only
#       reaching the rows the report reads (index-only counts: it reads no message text);
#   (b) report:   taskset -c BENCH_CPU kharuul report --format json > /dev/null;
# each timed with /usr/bin/time (wall seconds, max RSS), and prints the medians beside the goals
# with PASS/FAIL, then one --format text run (its headline), the date, the load and every command.
# The store is generated once and kept in BENCH_DIR/bench-report/, named by its parameters and the
# gen_store binary's hash. Everything runs on this machine; each run is bounded by BENCH_TIMEOUT.
# Exit 0 when both goals pass, 1 when one fails, 2 when it cannot run.
#
# Environment: BENCH_DIR (the binaries; default build-release), BENCH_CASES (default 80000),
# BENCH_MESSAGES (default 1000000), BENCH_SEED (default 1), BENCH_ROUNDS (default 5), BENCH_CPU
# (default 0), BENCH_TIMEOUT (seconds per run; default 120), BENCH_FROM/BENCH_UNTIL (the period;
# default 2026-01-01/2027-01-01, the generated year).
set -euo pipefail

cd "$(dirname "$0")/.."

dir=${BENCH_DIR:-build-release}
n_cases=${BENCH_CASES:-80000}
n_messages=${BENCH_MESSAGES:-1000000}
seed=${BENCH_SEED:-1}
rounds=${BENCH_ROUNDS:-5}
cpu=${BENCH_CPU:-0}
limit=${BENCH_TIMEOUT:-120}
from=${BENCH_FROM:-2026-01-01}
until=${BENCH_UNTIL:-2027-01-01}
kharuul=$dir/kharuul
gen=$dir/gen_store
goal_s=2
goal_mb=256

for f in "$kharuul" "$gen"; do
    if [[ ! -x $f ]]; then
        echo "bench/report.sh: $f not found; build it with 'make bench-report'" >&2
        exit 2
    fi
done
for f in sqlite3 taskset timeout /usr/bin/time; do
    if ! command -v "$f" >/dev/null; then
        echo "bench/report.sh: $f not found (make bench-report installs it)" >&2
        exit 2
    fi
done

commands=()
note() { # records a command as run
    echo "+ $*" >&2
    commands+=("$*")
}

# ---- the store, generated once per parameters and generator build ----
cache=$dir/bench-report
mkdir -p "$cache"
gen_hash=$(sha1sum "$gen" | cut -c1-10)
store=$cache/store-c$n_cases-m$n_messages-s$seed-$from-$gen_hash.db
gen_cmd=("$gen" --out "$store" --cases "$n_cases" --messages "$n_messages" --seed "$seed" --from "$from" --days 365)
if [[ -f $store ]]; then
    echo "store: $store (cached)"
    commands+=("${gen_cmd[*]}  # cached from an earlier run")
else
    note "${gen_cmd[@]}"
    /usr/bin/time -f "%e %M" -o "$cache/gen.time" timeout "$((limit * 5))" "${gen_cmd[@]}" | tee "$cache/gen.out"
    read -r gen_s gen_kb <"$cache/gen.time"
    echo "generated in $gen_s s (max RSS $((gen_kb / 1024)) MB)"
fi
echo "store: $(du -m "$store" | cut -f1) MB, $(sqlite3 "$store" "SELECT COUNT(*) FROM cases") cases," \
     "$(sqlite3 "$store" "SELECT COUNT(*) FROM messages") messages," \
     "$(sqlite3 "$store" "SELECT COUNT(*) FROM case_history") history rows"

# A copy of demo.toml whose store.path is the generated store.
cfg=$cache/report.toml
sed -e "s|^path = .*|path = \"$PWD/$store\"|" config/demo.toml >"$cfg"
if ! grep -q "^path = \"$PWD/$store\"" "$cfg"; then
    echo "bench/report.sh: config/demo.toml no longer has 'path =' at a line start" >&2
    exit 2
fi

# The period's bounds in unix ms at the demo's offset (+08:00), for the baseline's query.
from_ms=$(($(date -d "${from}T00:00:00+08:00" +%s) * 1000))
until_ms=$(($(date -d "${until}T00:00:00+08:00" +%s) * 1000))
baseline_sql="SELECT COUNT(*) FROM case_history; SELECT COUNT(*) FROM messages WHERE received_at >= $from_ms AND received_at < $until_ms;"
baseline=(taskset -c "$cpu" sqlite3 "$store" "$baseline_sql")
report=(taskset -c "$cpu" "$kharuul" report --config "$cfg" --from "$from" --until "$until")
commands+=("/usr/bin/time -f '%e %M %U %S' ${baseline[*]:0:5} \"$baseline_sql\" > /dev/null")
commands+=("/usr/bin/time -f '%e %M %U %S' ${report[*]} --format json > /dev/null")

# timed OUT_TIMES COMMAND...: appends "wall_s max_rss_kB user_s sys_s" to OUT_TIMES; exits on a failure.
timed() {
    local out=$1
    shift
    local t=$cache/run.time
    if ! /usr/bin/time -f "%e %M %U %S" -o "$t" timeout "$limit" "$@" >/dev/null 2>"$cache/run.err"; then
        echo "bench/report.sh: failed: $*" >&2
        cat "$cache/run.err" "$t" >&2
        exit 2
    fi
    cat "$t" >>"$out"
}

echo "load before the benchmark: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
a_times=$cache/a.times
b_times=$cache/b.times
: >"$a_times"
: >"$b_times"
for r in $(seq "$rounds"); do
    timed "$a_times" "${baseline[@]}"
    timed "$b_times" "${report[@]}" --format json
    echo "round $r: (a) $(tail -1 "$a_times")  (b) $(tail -1 "$b_times")   (wall s, max RSS kB, user s, sys s)"
done

# The text form once: its time and its headline (the table by sex).
text_out=$cache/report.txt
/usr/bin/time -f "%e %M %U %S" -o "$cache/text.time" timeout "$limit" "${report[@]}" --format text >"$text_out"
commands+=("/usr/bin/time -f '%e %M %U %S' ${report[*]} --format text > $text_out")
read -r text_s text_kb text_user text_sys <"$cache/text.time"

median() { # FILE COLUMN
    sort -n -k"$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
cpu_median() { # FILE: the median of user + sys
    awk '{ printf "%.2f\n", $3 + $4 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v < g) ? "PASS" : "FAIL" }'; }
a_s=$(median "$a_times" 1); a_mb=$(mb "$(median "$a_times" 2)"); a_cpu=$(cpu_median "$a_times")
b_s=$(median "$b_times" 1); b_mb=$(mb "$(median "$b_times" 2)"); b_cpu=$(cpu_median "$b_times")
v_time=$(verdict "$b_s" "$goal_s")
v_mem=$(verdict "$b_mb" "$goal_mb")

echo
echo "kharuul report $from to $until over $n_cases cases and $n_messages messages; median of $rounds rounds," \
     "pinned to CPU $cpu; $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores"
printf "%-52s %10s %12s %14s\n" "run" "wall s" "CPU s" "max RSS MB"
printf "%-52s %10s %12s %14s\n" "(a) baseline: sqlite3 counts the rows (index only)" "$a_s" "$a_cpu" "$a_mb"
printf "%-52s %10s %12s %14s\n" "(b) kharuul report --format json" "$b_s" "$b_cpu" "$b_mb"
printf "%-52s %10s %12s %14s\n" "    kharuul report --format text (one run)" "$text_s" \
    "$(awk -v u="$text_user" -v s="$text_sys" 'BEGIN { printf "%.2f", u + s }')" "$(mb "$text_kb")"
echo "(CPU s: user + sys. Wall time is the goal's measure; on a machine shared with other work it is"
echo " longer than the CPU time by the time the pinned core ran something else.)"
echo
printf "%-52s %10s %14s  %s\n" "goal" "measured" "target" "verdict"
printf "%-52s %10s %14s  %s\n" "(b) wall time on one core (s)" "$b_s" "< $goal_s" "$v_time"
printf "%-52s %10s %14s  %s\n" "(b) max RSS (MB)" "$b_mb" "< $goal_mb" "$v_mem"
echo
echo "the text form's headline:"
sed -n '4,11p' "$text_out" | sed 's/^/  /'
echo
echo "load after the benchmark: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commands:"
for c in "${commands[@]}"; do echo "  $c"; done

[[ $v_time == PASS && $v_mem == PASS ]]
