#!/bin/sh
# bench/impact: what counting readers costs (docs/impact.md): the same
# cached item page under wrk with [impact] count = on and off, alternated
# in one run on one center (a browser's User-Agent, so every request is
# counted). Prints the overhead in percent as the LAST line.
# Usage: bench/impact.sh [BUILD] (env: SECS, THREADS, CONNS, ROUNDS)
set -eu
B=${1:-build}
MB=$B/mediabridge
SECS=${SECS:-5}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-3}
UA="Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
command -v wrk >/dev/null || { echo "bench/impact: missing wrk" >&2; exit 1; }

T=$(mktemp -d /tmp/mb-bench-impact.XXXXXX)
chmod 755 "$T"
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

"$MB" init "$T/c" --id bench --name Bench --country EG --languages en \
    --hq >/dev/null 2>&1
"$MB" user add "$T/c" ed --role editor 2>/dev/null
TOKEN=$("$MB" token add "$T/c" ed 2>/dev/null)
cp "$T/c/mediabridge.conf" "$T/base.conf"

start() {	# $1: on|off
	cp "$T/base.conf" "$T/c/mediabridge.conf"
	printf '\n[server]\naccess_log = off\n[impact]\ncount = %s\n' "$1" \
	    >>"$T/c/mediabridge.conf"
	rm -f "$T/c/serve.addr"
	# As root, serve runs as the directory's owner (privilege separation).
	[ "$(id -u)" = 0 ] && chown -R nobody "$T/c"
	"$MB" serve "$T/c" --listen 127.0.0.1:0 2>>"$T/serve.log" &
	PID=$!
	i=0
	while [ ! -s "$T/c/serve.addr" ]; do
		i=$((i + 1)); [ $i -gt 200 ] && { echo "no serve" >&2; exit 1; }
		sleep 0.05
	done
	ADDR=$(cat "$T/c/serve.addr")
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

start off
curl -fsS -o "$T/item.json" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"item":{"type":"text","language":"en","headlines":[{"value":"Story"}],"bodies":[{"value":"<p>A story of about a line.</p>"}]},"meta":{"workflow":"published"}}' \
    "http://$ADDR/api/v1/items"
LOC=$(sed 's/.*"uri":"urn:mediabridge:\([^:]*\):\([^"]*\)".*/\1\/\2/' \
    "$T/item.json")
PAGE="/en/items/$LOC"
stop

# The CPU time (clock ticks) serve's processes have used: the signer
# parent and its worker. Under load from other programs, throughput
# wanders; the CPU each request costs serve does much less.
cpu_ticks() {
	t=0
	for p in $PID $(cat /proc/$PID/task/*/children 2>/dev/null); do
		t=$((t + $(awk '{ print $14 + $15 }' /proc/$p/stat 2>/dev/null \
		    || echo 0)))
	done
	echo $t
}

rate() {	# one wrk run on the page: "req/s cpu-us-per-request"
	wrk -t"$THREADS" -c"$CONNS" -d1s -H "User-Agent: $UA" \
	    "http://$ADDR$PAGE" >/dev/null 2>&1
	c0=$(cpu_ticks)
	wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" -H "User-Agent: $UA" \
	    "http://$ADDR$PAGE" >"$T/wrk.out" 2>&1
	c1=$(cpu_ticks)
	awk -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" '
	    / requests in / { n = $1 }
	    /Requests\/sec/ { r = $2 }
	    END { printf "%s %.2f\n", r, n ? c * 1e6 / hz / n : 0 }' \
	    "$T/wrk.out"
}

# Each round: off then on, back to back; the figures are the medians of
# the rounds, and the median of each round's own difference, so that a
# round disturbed by other programs on the machine weighs little.
: >"$T/rounds"
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	start off; set -- $(rate); a=$1 ca=$2; stop
	start on; set -- $(rate); b=$1 cb=$2; stop
	printf "round %d: count=off %s req/s %s us CPU/req, count=on %s req/s %s us CPU/req\n" \
	    "$r" "$a" "$ca" "$b" "$cb"
	echo "$a $ca $b $cb" >>"$T/rounds"
done
med() {	# the median of column $1 of the rounds, or of an expression
	awk "{ print $1 }" "$T/rounds" | sort -g | awk '{ v[NR] = $1 }
	    END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
printf "cached item page (medians of %d rounds): count=off %.0f req/s %.2f us CPU/req, count=on %.0f req/s %.2f us CPU/req\n" \
    "$ROUNDS" "$(med '$1')" "$(med '$2')" "$(med '$3')" "$(med '$4')"
printf "CPU per request: +%.1f%% (median of the rounds' own)\n" \
    "$(med '($4 - $2) * 100 / $2')"
printf "counting overhead: %.1f%% (median of the rounds' own)\n" \
    "$(med '($1 - $3) * 100 / $1')"
