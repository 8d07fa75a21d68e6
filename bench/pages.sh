#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/pages: the site's page weight per page type (bytes, plain and
# gzip) and server time per page, on a store of N items (default 1000000).
#
# Imports N generated items (bench/gen_items.py: real news text in 9
# languages, ~3.4 KB each) plus the site's sample items, serves them, and
# fetches each page type: front, item, search, center, topic, country,
# events, and the Atom feed. Server time is the median of 30 fetches that
# miss the response cache (a throwaway query parameter), measured by the
# client on 127.0.0.1; "cpu ms" is the server process's CPU time (user +
# system, from /proc) per fetch, which a loaded machine inflates less
# than wall time. The anchor is the design's budget: an article page
# under 50 KB compressed; the LAST line is item-page gzip bytes / 50 KB.
#
# STORE=PATH starts from a COPY of a prebuilt SQLite store instead of
# importing N items (importing 1M takes hours on a loaded machine): e.g.
# the search benchmark's 1M-item store (bench/search_bench.c; minimal
# envelopes, center "bench", older than the rest); then REAL generated
# items (default 2000) and the sample items are imported on top, so the
# pages show real items while every query runs against the whole store.
#
#   bench/pages.sh [N]          (env: BUILD=build, KEEP=1 keeps the dir,
#                                STORE=PATH, REAL=2000)
set -eu
N=${1:-1000000}
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
MB=${MEDIABRIDGE:-$BUILD/mediabridge}
. "$(dirname "$0")/serve_user.sh"
T=$(mktemp -d /tmp/mb-bench-pages.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null || true
	wait 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

t0=$(date +%s)
if [ -n "${STORE:-}" ]; then
	cp "$STORE" "$T/base.db"
	N=${REAL:-2000}
	"$MB" init "$T/c" --id cairo --name "Cairo Media Center" \
	    --country EG --languages ar,en,fr,ru --hq \
	    --database "sqlite:$T/base.db" >/dev/null 2>&1
else
	"$MB" init "$T/c" --id cairo --name "Cairo Media Center" \
	    --country EG --languages ar,en,fr,ru --hq >/dev/null 2>&1
fi
python3 "$top/bench/gen_items.py" "$N" "$T/items.ndjson" 2>/dev/null
"$MB" import "$T/c" "$T/items.ndjson" >/dev/null 2>&1
"$MB" import "$T/c" "$top/tests/site/items.ndjson" >/dev/null 2>&1
rm -f "$T/items.ndjson"
t1=$(date +%s)
echo "store: ${STORE:+a copy of $STORE + }$N generated items + 6 sample" \
    "items, built in $((t1 - t0)) s ($(du -sh "$T" | cut -f 1))"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)" \
    "($(nproc) CPUs)"
serve_user "$T/c"
"$MB" serve "$T/c" --listen 127.0.0.1:0 2>"$T/serve.log" &
PID=$!
i=0
while [ ! -s "$T/c/serve.addr" ]; do
	i=$((i + 1)); [ $i -gt 600 ] && { echo "serve did not start" >&2; exit 1; }
	sleep 0.1
done
python3 - "http://$(cat "$T/c/serve.addr")" "$PID" <<'PY'
import gzip, os, statistics, sys, time, urllib.request
base = sys.argv[1]
tick = os.sysconf("SC_CLK_TCK")
def cpu_ms():
    with open("/proc/%s/stat" % sys.argv[2]) as f:
        st = f.read().rsplit(")", 1)[1].split()
    return (int(st[11]) + int(st[12])) * 1000.0 / tick
pages = [
    ("front (ar)", "/ar/"),
    ("front (en)", "/en/"),
    ("item (ar, 4 translations)", "/ar/items/cairo/01jsite0ar000000000000000a"),
    ("search (ru)", "/ru/search?q=%D0%BF%D0%BB%D0%B0%D0%BD"),
    ("search (en, common word)", "/en/search?q=minister"),
    ("center", "/en/centers/cairo"),
    ("topic", "/en/topics/11000000"),
    ("country", "/en/countries/EG"),
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
print("%-28s %9s %9s %9s %9s %9s" % ("page", "bytes", "gzip", "ms p50",
                                     "ms max", "cpu ms"))
item_gz = 0
for name, path in pages:
    plain, _ = get(path, False)
    gz, _ = get(path, True)
    times = []
    c0 = cpu_ms()
    for i in range(30):
        sep = "&" if "?" in path else "?"
        _, ms = get(path + sep + "nocache=%d" % i, True)
        times.append(ms)
    cpu = (cpu_ms() - c0) / 30
    if name.startswith("item"):
        item_gz = len(gz)
    print("%-28s %9d %9d %9.2f %9.2f %9.2f" % (name, len(plain), len(gz),
          statistics.median(times), max(times), cpu))
with open("/proc/loadavg") as f:
    print("load average after: %s" % " ".join(f.read().split()[:3]))
print("ratio %.3f (item page gzip %d bytes / budget 51200 bytes; lower is "
      "better)" % (item_gz / 51200, item_gz))
PY
