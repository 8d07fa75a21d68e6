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

rate() {	# one wrk run on the page: requests per second
	wrk -t"$THREADS" -c"$CONNS" -d1s -H "User-Agent: $UA" \
	    "http://$ADDR$PAGE" >/dev/null 2>&1
	wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" -H "User-Agent: $UA" \
	    "http://$ADDR$PAGE" 2>&1 | awk '/Requests\/sec/ { print $2 }'
}

ON=0 OFF=0 r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	start off; a=$(rate); stop
	start on; b=$(rate); stop
	printf "round %d: count=off %s req/s, count=on %s req/s\n" "$r" "$a" "$b"
	OFF=$(awk -v x="$OFF" -v y="$a" 'BEGIN { print x + y }')
	ON=$(awk -v x="$ON" -v y="$b" 'BEGIN { print x + y }')
done
awk -v on="$ON" -v off="$OFF" -v n="$ROUNDS" 'BEGIN {
	printf "cached item page: count=off %.0f req/s, count=on %.0f req/s\n",
	    off / n, on / n
	printf "counting overhead: %.1f%%\n", off ? (off - on) * 100 / off : 0 }'
