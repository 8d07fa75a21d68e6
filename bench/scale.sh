#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/scale: reads per second with 1, 2 and 4 serve processes on one
# PostgreSQL, beside SQLite with one process, in the same run; and log
# appends per second with 1 and 4 concurrent writers on each backend.
#
# A center gets ITEMS items (bench/gen_items.py), is copied to a private
# PostgreSQL (tests/lib/pgtest.sh; `mediabridge migrate`), and serves with
# the response cache off, so that every read reaches the database. wrk
# reads random items (a Lua script over their paths); with N processes, N
# wrk runs at once, one per process, CONNS/N connections each, their
# requests/s summed. The LAST line is the ratio of reads/s with 4
# PostgreSQL processes to reads/s with SQLite and one.
#
#   bench/scale.sh [ITEMS]     (env: BUILD=build SECONDS_EACH=5 CONNS=64
#                               THREADS=2 WRITE_SECONDS=3)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
MB=${MEDIABRIDGE:-$BUILD/mediabridge}
. "$(dirname "$0")/serve_user.sh"
ITEMS=${1:-2000}
SECS=${SECONDS_EACH:-5}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
WSECS=${WRITE_SECONDS:-3}

[ -x "$MB" ] || { echo "bench/scale: no $MB" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/scale: no wrk" >&2; exit 1; }
ninja -C "$BUILD" bench/scale_bench >/dev/null
WB=$BUILD/bench/scale_bench

T=$(mktemp -d /tmp/mb-bench-scale.XXXXXX)
chmod 711 "$T"	# the server runs as postgres (tests/lib/pgtest.sh)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	"$top/tests/lib/pgtest.sh" stop "$T/pg" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$T/pg"
PG=$("$top/tests/lib/pgtest.sh" start "$T/pg")
newdb() {	# NAME -> URL
	"$top/tests/lib/pgtest.sh" createdb "$PG" "$1"
}

# The center, on SQLite, with the response cache off.
"$MB" init "$T/s" --id bench --name Bench --country EG --languages en \
    --hq >/dev/null 2>&1
sed -i 's/^cache_mb = .*/cache_mb = 0/' "$T/s/mediabridge.conf"
grep -q '^cache_mb = 0' "$T/s/mediabridge.conf" ||
    sed -i 's/^\[server\]$/[server]\ncache_mb = 0/' "$T/s/mediabridge.conf"
/usr/bin/python3 "$top/bench/gen_items.py" "$ITEMS" "$T/items.ndjson" \
    >/dev/null
"$MB" import "$T/s" "$T/items.ndjson" >/dev/null 2>&1
"$MB" export "$T/s" | sed -n \
    's/.*"uri":"urn:mediabridge:\([^:]*\):\([^"]*\)".*/\/api\/v1\/items\/\1\/\2/p' \
    >"$T/paths"
n=$(wc -l <"$T/paths")
[ "$n" -gt 0 ] || { echo "bench/scale: no items" >&2; exit 1; }

# The same center on PostgreSQL.
cp -a "$T/s" "$T/p"
"$MB" migrate "$T/p" --to "$(newdb bench)" >/dev/null 2>"$T/migrate.log" ||
    { cat "$T/migrate.log" >&2; exit 1; }

{
	echo 'local paths = {}'
	while read -r p; do echo "paths[#paths + 1] = \"$p\""; done <"$T/paths"
	echo 'math.randomseed(os.time())'
	echo 'request = function()'
	echo '  return wrk.format("GET", paths[math.random(#paths)])'
	echo 'end'
} >"$T/rand.lua"

# Starts COUNT serve processes on DIR; their addresses in $T/addrs.
start() {	# DIR COUNT
	: >"$T/addrs"
	i=0
	while [ $i -lt "$2" ]; do
		i=$((i + 1))
		rm -f "$1/serve.addr"
		serve_user "$1"
		"$MB" serve "$1" --listen 127.0.0.1:0 2>>"$T/serve.log" &
		PIDS="$PIDS $!"
		k=0
		while [ ! -s "$1/serve.addr" ]; do
			k=$((k + 1))
			[ $k -gt 400 ] && { echo "serve did not start" >&2; exit 1; }
			sleep 0.05
		done
		cat "$1/serve.addr" >>"$T/addrs"
	done
}

stop() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	PIDS=""
}

# Reads/s over the processes in $T/addrs: one wrk each, all at once.
reads() {
	np=$(wc -l <"$T/addrs")
	c=$((CONNS / np))
	for a in $(cat "$T/addrs"); do
		wrk -t1 -c"$c" -d1s -s "$T/rand.lua" "http://$a" >/dev/null 2>&1 &
	done
	wait
	j=0
	for a in $(cat "$T/addrs"); do
		j=$((j + 1))
		wrk -t"$THREADS" -c"$c" -d"${SECS}s" -s "$T/rand.lua" \
		    "http://$a" >"$T/wrk.$j" 2>&1 &
	done
	wait
	cat "$T"/wrk.* | awk '/Requests\/sec/ { s += $2 }
	    /Non-2xx/ { bad = 1 }
	    END { if (bad) s = 0; printf "%.0f\n", s }'
	rm -f "$T"/wrk.*
}

start "$T/s" 1
S1=$(reads)
stop
start "$T/p" 1
P1=$(reads)
stop
start "$T/p" 2
P2=$(reads)
stop
start "$T/p" 4
P4=$(reads)
stop

# Log appends with concurrent writers (each its own connection).
W_S1=$("$WB" "$T/w1.db" 1 "$WSECS" | sed 's/.*per_s=//')
W_S4=$("$WB" "$T/w4.db" 4 "$WSECS" | sed 's/.*per_s=//')
W_P1=$("$WB" "$(newdb w1)" 1 "$WSECS" | sed 's/.*per_s=//')
W_P4=$("$WB" "$(newdb w4)" 4 "$WSECS" | sed 's/.*per_s=//')

printf "%s items, random item reads, response cache off; wrk -c%s -d%ss; %s cores\n" \
    "$n" "$CONNS" "$SECS" "$(nproc)"
printf "%-34s %10s reads/s\n" "SQLite, 1 process" "$S1"
printf "%-34s %10s reads/s\n" "PostgreSQL, 1 process" "$P1"
printf "%-34s %10s reads/s\n" "PostgreSQL, 2 processes" "$P2"
printf "%-34s %10s reads/s\n" "PostgreSQL, 4 processes" "$P4"
printf "%-34s %10s appends/s\n" "SQLite, 1 writer" "$W_S1"
printf "%-34s %10s appends/s\n" "SQLite, 4 writers" "$W_S4"
printf "%-34s %10s appends/s\n" "PostgreSQL, 1 writer" "$W_P1"
printf "%-34s %10s appends/s\n" "PostgreSQL, 4 writers" "$W_P4"
awk -v a="$P4" -v b="$S1" 'BEGIN { printf "ratio PostgreSQL 4 processes/SQLite 1 process (reads): %.2f\n", b ? a / b : 0 }'
