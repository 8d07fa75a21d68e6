#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/rss: serve's memory holding a large store under a mixed reader
# load (item pages, fronts, search, feeds), from /proc/PID/smaps_rollup
# (bench/rss_load.py): Rss and Pss at the start, every 10 s and at the
# end, split into anonymous and file-backed pages, for the worker that
# answers requests and for its signer parent. The LAST line is the
# worker's Rss at the end against the target (issue 23: 64 MiB).
#
# The store: STORE=PATH starts from a COPY of a prebuilt SQLite store
# (the search benchmark's 1M-item store, as bench/pages.sh does), then
# imports REAL generated items (default 2000) and the sample items on
# top; without STORE, N generated items (default 20000) are imported.
# CENTER=DIR reuses a center built by an earlier run (KEEP=1 keeps it).
# CONF_ADD="[store] memory_mb = 16" appends settings to the center's
# mediabridge.conf ("[section] key = value", one a line) to compare them.
#
#   bench/rss.sh   (env: BUILD=build STORE=PATH REAL=2000 N=20000
#                   SECONDS_LOAD=60 CLIENTS=4 CENTER=DIR KEEP=0 CONF_ADD=)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
MB=${MEDIABRIDGE:-$BUILD/mediabridge}
SECS=${SECONDS_LOAD:-60}
CLIENTS=${CLIENTS:-4}
. "$(dirname "$0")/serve_user.sh"
T=$(mktemp -d /tmp/mb-bench-rss.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] && { echo "kept $T"; return; }
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

if [ -n "${CENTER:-}" ]; then
	C=$CENTER
	echo "store: reusing $C"
else
	C=$T/c
	t0=$(date +%s)
	if [ -n "${STORE:-}" ]; then
		cp "$STORE" "$T/base.db"
		N=${REAL:-2000}
		"$MB" init "$C" --id cairo --name "Cairo Media Center" \
		    --country EG --languages ar,en,fr,ru --hq \
		    --database "sqlite:$T/base.db" >/dev/null 2>&1
	else
		N=${N:-20000}
		"$MB" init "$C" --id cairo --name "Cairo Media Center" \
		    --country EG --languages ar,en,fr,ru --hq >/dev/null 2>&1
	fi
	python3 "$top/bench/gen_items.py" "$N" "$T/items.ndjson" 2>/dev/null
	"$MB" import "$C" "$T/items.ndjson" >/dev/null 2>&1
	"$MB" import "$C" "$top/tests/site/items.ndjson" >/dev/null 2>&1
	rm -f "$T/items.ndjson"
	echo "store: ${STORE:+a copy of $STORE + }$N generated items + 6" \
	    "sample items, built in $(($(date +%s) - t0)) s"
fi
if [ -n "${CONF_ADD:-}" ]; then
	printf '%s\n' "$CONF_ADD" | sed 's/^\(\[[a-z]*\]\) */\1\n/' \
	    >>"$C/mediabridge.conf"
	echo "settings added: $(printf '%s' "$CONF_ADD" | tr '\n' ';')"
fi
DB=$(sed -n 's/^database *= *sqlite://p' "$C/mediabridge.conf" 2>/dev/null || true)
case "$DB" in
"") DB=$C/store.db ;;
/*) ;;
*) DB=$C/$DB ;;
esac
# Item pages: every item of the store in a random order would be the
# crawler's worst case; 200,000 of them (or all) is enough to keep the
# response cache full for a minute.
sqlite3 -readonly "$DB" "SELECT uri FROM items WHERE workflow = 'published'
    ORDER BY random() LIMIT 200000" >"$T/uris"
echo "items in the store: $(sqlite3 -readonly "$DB" 'SELECT count(*) FROM items');" \
    "item pages drawn from $(wc -l <"$T/uris") of them"
# Search words: 3,000 words of 5 letters or more from the NTREX corpus
# (the 1M store's text) in four languages, so that searches miss the
# response cache and walk the index as readers' varied queries do.
WORDS=-
for d in "${MB_CORPUS:-}" "$top/../shared/corpus" "$top/../../shared/corpus"; do
	if [ -n "$d" ] && [ -f "$d/ntrex128.eng_Latn.txt" ]; then
		cat "$d"/ntrex128.eng_Latn.txt "$d"/ntrex128.fra_Latn.txt \
		    "$d"/ntrex128.rus_Cyrl.txt "$d"/ntrex128.arb_Arab.txt |
		    tr -s '[:space:][:punct:]' '\n' | awk 'length($0) >= 5' |
		    sort -u | shuf -n 3000 --random-source=/dev/zero >"$T/words"
		WORDS=$T/words
		chmod o+r "$WORDS"
		break
	fi
done
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg) ($(nproc) CPUs)"
serve_user "$C"
# The store may lie outside the center's directory (STORE=): the same.
[ "$(id -u)" = 0 ] && chown 65534:65534 "$DB" "$DB"-wal "$DB"-shm 2>/dev/null
chmod o+r "$T/uris"
rm -f "$C/serve.addr"
"$MB" serve "$C" --listen 127.0.0.1:0 2>"$T/serve.log" &
PID=$!
i=0
while [ ! -s "$C/serve.addr" ]; do
	i=$((i + 1)); [ $i -gt 1200 ] && { echo "serve did not start" >&2; exit 1; }
	sleep 0.1
done
sleep 1
WORKER=$(cat /proc/$PID/task/*/children 2>/dev/null | tr ' ' '\n' |
    grep -m1 . || true)
echo "serve: signer parent $PID, worker ${WORKER:-?}; $CLIENTS clients," \
    "$SECS s"
python3 "$top/bench/rss_load.py" "http://$(cat "$C/serve.addr")" "$SECS" \
    "$CLIENTS" "$T/uris" "$WORDS" ${WORKER:-} "$PID" | tee "$T/out"
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
awk '/^end/ { for (i = 1; i <= NF; i++) if ($i == "Rss") { print $(i + 1); exit } }' \
    "$T/out" | { read -r rss; echo "rss: serve worker ${rss:-?} MiB after" \
    "${SECS} s of mixed reads (target <= 64 MiB)"; }
