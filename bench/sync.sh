#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/sync: the exchange over loopback.
#
#  1. Propagation: HQ and two branches, empty; single items published one
#     by one through the API on one branch (Cairo) until each is readable
#     on the other (Manama), through HQ: p50, p99.
#  2. Throughput: N items (default 100000, ~3.4 KB each) imported at HQ
#     (not timed), then a new branch pulls them all: items/s (verified,
#     stored, cursor advanced; the search index follows in its thread),
#     bytes on the wire per item beside the raw and gzip sizes of the same
#     items.
#
# Targets (issue 4): p99 < 1 s; throughput >= 0.5 x INN's server-to-server
# feed (ANCHORS.md: 35,500 articles/s, no signature checks); wire bytes <=
# half the raw size. LAST line: the ratio to INN's figure (bench/inn.sh
# measures INN itself in the same run when bench/run.sh runs both).
#
#   bench/sync.sh [N]     (env: BUILD=build, SINGLES=100, INN_FEED=35500)
set -eu

N=${1:-100000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
MB=${MEDIABRIDGE:-$BUILD/mediabridge}
. "$(dirname "$0")/serve_user.sh"
SINGLES=${SINGLES:-100}
# Where the INN figure comes from: bench/inn.sh in the same run (bench/run.sh
# passes it on), else the anchor measured on a quiet machine.
if [ -n "${INN_FEED:-}" ]; then
	INN_SRC="measured by bench/inn.sh in this run"
else
	INN_FEED=35500
	INN_SRC="ANCHORS.md"
fi
PORT=${PORT:-$((20000 + $$ % 20000))}

T=$(mktemp -d /tmp/mb-bench-sync.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

export MB_LOG=warn
serve() {	# serve NAME: starts DIR/NAME, waits for its address
	rm -f "$T/$1/serve.addr"
	serve_user "$T/$1"
	"$MB" serve "$T/$1" >>"$T/$1.log" 2>&1 &
	eval "PID_$1=$!"
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$T/$1/serve.addr" ]; do
		i=$((i + 1)); [ $i -lt 300 ] || { cat "$T/$1.log"; exit 1; }
		sleep 0.05
	done
}
stop() {	# stop NAME
	eval "p=\$PID_$1"
	kill "$p"; wait "$p" 2>/dev/null || true
}
init() {	# init NAME PORT [branch]
	if [ $# -eq 2 ]; then
		"$MB" init "$T/$1" --id "$1" --name "$1" --country RU \
		    --languages ru,en --listen "127.0.0.1:$2" --hq >/dev/null
	else
		"$MB" init "$T/$1" --id "$1" --name "$1" --country EG \
		    --languages ar,en --listen "127.0.0.1:$2" \
		    --hq-url "http://127.0.0.1:$PORT" \
		    --hq-key "$("$MB" key "$T/hq")" >/dev/null
		"$MB" center add "$T/hq" --id "$1" --url "http://127.0.0.1:$2" \
		    --key "$("$MB" key "$T/$1")" --country EG --name "$1" \
		    --languages ar,en >/dev/null
	fi
}
metric() {	# metric PORT NAME: a value from /metrics
	curl -s "http://127.0.0.1:$1/metrics" |
	    awk -v m="$2" '$1 == m { print $2; exit }'
}

init hq "$PORT"
init cairo $((PORT + 1)) branch
init manama $((PORT + 2)) branch
"$MB" user add "$T/cairo" bench --role editor >/dev/null
TOKEN=$("$MB" token add "$T/cairo" bench)
serve hq; serve cairo; serve manama

# 1. Propagation of single items, Cairo -> HQ -> Manama.
/usr/bin/python3 - "$PORT" "$TOKEN" "$SINGLES" >"$T/lat.out" <<'EOF'
import http.client, json, sys, time
port, token, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
cairo = http.client.HTTPConnection("127.0.0.1", port + 1, timeout=10)
manama = http.client.HTTPConnection("127.0.0.1", port + 2, timeout=10)
def visible(path):
    manama.request("GET", path)
    r = manama.getresponse(); r.read()
    return r.status == 200
# Let both branches fetch the registry and park their long-polls first.
deadline = time.monotonic() + 30
lat = []
for i in range(n + 3):
    body = json.dumps({"item": {"type": "text", "language": "en",
        "headlines": [{"value": "Single item %d" % i}],
        "bodies": [{"value": "<p>Propagation probe %d.</p>" % i}]},
        "meta": {"workflow": "published"}})
    t0 = time.monotonic()
    cairo.request("POST", "/api/v1/items", body,
                  {"Authorization": "Bearer " + token,
                   "Content-Type": "application/json"})
    r = cairo.getresponse(); r.read()
    if r.status != 201:
        sys.exit("POST: HTTP %d" % r.status)
    path = "/api/v1" + r.getheader("Location").split("/api/v1", 1)[-1]
    limit = t0 + (30 if i < 3 else 10)
    while not visible(path):
        if time.monotonic() > limit:
            sys.exit("item %d not visible on manama after 10 s" % i)
        time.sleep(0.002)
    if i >= 3:		# the first ones wait for registries and peers
        lat.append(time.monotonic() - t0)
    time.sleep(0.05)
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print("%.0f %.0f %.0f" % (p(0.50), p(0.99), lat[-1] * 1000))
EOF
read P50 P99 PMAX <"$T/lat.out"
stop cairo; stop manama

# 2. Throughput HQ -> a new branch.
/usr/bin/python3 "$TOP/bench/gen_items.py" "$N" "$T/items.ndjson" 2>/dev/null
echo "importing $N items at HQ (not timed)..." >&2
"$MB" import --quiet "$T/hq" "$T/items.ndjson" >/dev/null
TOTAL=$(metric "$PORT" mediabridge_versions)
"$MB" export "$T/hq" >"$T/export.ndjson"
RAW=$(stat -c %s "$T/export.ndjson")
GZ=$(gzip -6 <"$T/export.ndjson" | wc -c)
init bulk $((PORT + 3)) branch
serve bulk
# The clock starts with the first batch applied (start-up and the registry
# fetch are not the exchange's rate). One Python process polls /metrics on
# a kept-alive connection every 50 ms: a curl and an awk per poll took
# CPU from the two processes being measured on a 2-core machine, and each
# scrape counts the store's rows.
/usr/bin/python3 - $((PORT + 3)) "$TOTAL" >"$T/times.out" <<'EOF2'
import http.client, sys, time
port, total = int(sys.argv[1]), int(sys.argv[2])
key = 'mediabridge_peer_cursor{peer="hq"}'
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
def cursor():
    conn.request("GET", "/metrics")
    for line in conn.getresponse().read().decode().splitlines():
        if line.startswith(key + " "):
            return int(line.split()[1])
    return 0
deadline = time.monotonic() + 900
while (c0 := cursor()) <= 0:
    if time.monotonic() > deadline:
        sys.exit("no batch applied")
    time.sleep(0.005)
start = time.time()
while cursor() < total:
    if time.monotonic() > deadline:
        sys.exit("not all pulled")
    time.sleep(0.05)
print(c0, "%.3f" % start, "%.3f" % time.time())
EOF2
read C0 START END <"$T/times.out"
GOT=$(metric $((PORT + 3)) mediabridge_versions)
WIRE=$(metric $((PORT + 3)) mediabridge_peer_wire_bytes_total\{peer=\"hq\"\})
BODY=$(metric $((PORT + 3)) mediabridge_peer_raw_bytes_total\{peer=\"hq\"\})

echo "$N $TOTAL $GOT $START $END $RAW $GZ $WIRE $BODY $P50 $P99 $PMAX \
    $INN_FEED $SINGLES $C0" | awk -v src="$INN_SRC" '{
	n = $3; secs = $5 - $4; rate = ($3 - $15) / secs
	printf "items: %d pulled by a new branch (%d at HQ), %.0f bytes each as stored envelopes\n", n, $2, $6 / $2
	printf "throughput HQ -> branch: %.0f items/s (%.1f s; every signature verified, stored, cursor in the same transaction) -- target >= %.0f\n", rate, secs, $13 / 2
	printf "bytes per item: wire %.0f (zstd), log body %.0f, raw envelope %.0f, gzip -6 %.0f; wire/raw %.2f -- target <= 0.50\n", $8 / n, $9 / n, $6 / $2, $7 / $2, ($8 / n) / ($6 / $2)
	printf "propagation branch -> HQ -> branch, %d single items via the API: p50 %d ms, p99 %d ms, max %d ms -- target p99 < 1000 ms\n", $14, $10, $11, $12
	printf "sync ratio: %.2f of INN server-to-server feed (%d articles/s, %s) (target >= 0.50)\n", rate / $13, $13, src
}'
