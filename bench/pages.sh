#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/pages: the site's page weight per page type (bytes, plain and
# gzip) and server time per page, on a store of N items (default 1000000).
#
# Imports N generated items (bench/gen_items.py: real news text in 9
# languages, ~3.4 KB each) plus the site's sample items, serves them, and
# fetches each page type: front, item, search, center, topic, events, and
# the Atom feed. Server time is the median of 30 fetches that miss the
# response cache (a throwaway query parameter), measured by the client on
# 127.0.0.1. The anchor is the design's budget: an article page under
# 50 KB compressed; the LAST line is item-page gzip bytes / 50 KB.
#
#   bench/pages.sh [N]          (env: BUILD=build, KEEP=1 keeps the dir)
set -eu
N=${1:-1000000}
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
MB=${MEDIABRIDGE:-$BUILD/mediabridge}
T=$(mktemp -d /tmp/mb-bench-pages.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

"$MB" init "$T/c" --id cairo --name "Cairo Media Center" --country EG \
    --languages ar,en,fr,ru --hq >/dev/null 2>&1
t0=$(date +%s)
python3 "$top/bench/gen_items.py" "$N" "$T/items.ndjson" 2>/dev/null
"$MB" import "$T/c" "$T/items.ndjson" >/dev/null 2>&1
"$MB" import "$T/c" "$top/tests/site/items.ndjson" >/dev/null 2>&1
rm -f "$T/items.ndjson"
t1=$(date +%s)
echo "store: $N generated items + 6 sample items, built in $((t1 - t0)) s" \
    "($(du -sh "$T/c" | cut -f 1))"
"$MB" serve "$T/c" --listen 127.0.0.1:0 2>"$T/serve.log" &
PID=$!
i=0
while [ ! -s "$T/c/serve.addr" ]; do
	i=$((i + 1)); [ $i -gt 600 ] && { echo "serve did not start" >&2; exit 1; }
	sleep 0.1
done
python3 - "http://$(cat "$T/c/serve.addr")" <<'PY'
import gzip, statistics, sys, time, urllib.request
base = sys.argv[1]
pages = [
    ("front (ar)", "/ar/"),
    ("front (en)", "/en/"),
    ("item (ar, 4 translations)", "/ar/items/cairo/01jsite0ar000000000000000a"),
    ("search (ru)", "/ru/search?q=%D0%BF%D0%BB%D0%B0%D0%BD"),
    ("search (en, common word)", "/en/search?q=minister"),
    ("center", "/en/centers/cairo"),
    ("topic", "/en/topics/11000000"),
    ("events", "/ar/events"),
    ("Atom feed (en)", "/feeds/en.atom"),
    ("stylesheet", "/static/site.css"),
]
def get(path, gz):
    h = {"Accept-Encoding": "gzip"} if gz else {}
    req = urllib.request.Request(base + path, headers=h)
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        b = r.read()
    return b, (time.perf_counter() - t) * 1000
print("%-28s %10s %10s %10s %10s" % ("page", "bytes", "gzip", "ms p50",
                                     "ms max"))
item_gz = 0
for name, path in pages:
    plain, _ = get(path, False)
    gz, _ = get(path, True)
    times = []
    for i in range(30):
        sep = "&" if "?" in path else "?"
        _, ms = get(path + sep + "nocache=%d" % i, True)
        times.append(ms)
    if name.startswith("item"):
        item_gz = len(gz)
    print("%-28s %10d %10d %10.2f %10.2f" % (name, len(plain), len(gz),
          statistics.median(times), max(times)))
print("ratio %.3f (item page gzip %d bytes / budget 51200 bytes; lower is "
      "better)" % (item_gz / 51200, item_gz))
PY
