#!/bin/sh
# bench/search: the store's ranked search (mb_store_search: stemmed index,
# bounded candidates, bm25 + recency, snippets) beside a plain FTS5 table
# (unicode61) with bm25 top-20 over the same rows, in the same run; index
# size beside text size; recall@10 with and without stemming on the
# corpus. Last line: the ratio and the target.
# usage: bench/search.sh [N]   (default 1000000 items)
set -eu
n=${1:-1000000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
work=$(mktemp -d /tmp/mb-bench-search.XXXXXX)
trap 'rm -rf "$work"' EXIT

corpus=-
for d in "${MB_CORPUS:-}" "$top/../shared/corpus" "$top/../../shared/corpus"; do
	if [ -n "$d" ] && [ -f "$d/ntrex128.eng_Latn.txt" ]; then
		corpus=$d
		break
	fi
done
[ "$corpus" = - ] && echo "no corpus: generated English-like text"

ninja -C "$build" bench/search_bench >/dev/null
# Items are loaded through the store API (mb_store_put with text), not
# `mediabridge import`: the import's signing and checks are measured by
# bench/ingest, and 1M items through it would take most of an hour.
MB_LOG=warn "$build/bench/search_bench" "$n" "$corpus" "$work"
