#!/bin/sh
# bench/ingest: items/s of `mediabridge import` (parse, check, sign, store,
# index) beside the raw rate of inserting the same rows into a plain SQLite
# table with an FTS5 unicode61 index, in the same run. Last line: the ratio.
# usage: bench/ingest.sh [N]   (default 100000)
set -eu
n=${1:-100000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
mb=$build/mediabridge
work=$(mktemp -d /tmp/mb-bench-ingest.XXXXXX)
trap 'rm -rf "$work"' EXIT

ninja -C "$build" mediabridge bench/raw_sqlite >/dev/null
/usr/bin/python3 "$top/bench/gen_items.py" "$n" "$work/items.ndjson"
bytes=$(stat -c %s "$work/items.ndjson")

# Warm the page cache and the CPU once (ANCHORS.md: the first run is slow).
head -n 2000 "$work/items.ndjson" > "$work/warm.ndjson"
"$build/bench/raw_sqlite" "$work/warm.ndjson" "$work/warm.db" >/dev/null

raw=$("$build/bench/raw_sqlite" "$work/items.ndjson" "$work/raw.db")
raw_rate=$(echo "$raw" | awk '{print $2}')

MB_LOG=warn "$mb" init "$work/center" --id bench --name Bench --country EG \
    --languages ar,en >/dev/null
start=$(date +%s.%N)
MB_LOG=warn "$mb" import --quiet "$work/center" "$work/items.ndjson" \
    > "$work/import.out"
end=$(date +%s.%N)
mb_rate=$(echo "$n $start $end" | awk '{printf "%.0f", $1 / ($3 - $2)}')
db_bytes=$(du -cb "$work/center"/store.db* | tail -1 | cut -f1)
raw_bytes=$(du -cb "$work"/raw.db* | tail -1 | cut -f1)

echo "items: $n ($(($bytes / $n)) bytes each as ninjs JSON)"
echo "anchor  raw SQLite + FTS5 unicode61 insert: $raw_rate rows/s"
echo "mediabridge import (check, sign, store, stemmed index): $mb_rate items/s"
echo "store size: mediabridge $(($db_bytes / 1048576)) MiB, raw $(($raw_bytes / 1048576)) MiB"
echo "$mb_rate $raw_rate" | awk '{printf "ingest ratio: %.2f of raw SQLite+FTS5 (target >= 0.50)\n", $1 / $2}'
