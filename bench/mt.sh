#!/bin/sh
# bench/mt: machine translation through mediabridge (segments, markup,
# checks, reassembly: `mediabridge translate-text`) beside the same
# Apertium APy called directly, on NTREX-128 en->es and fr->es, in the same
# run: chrF against the reference, words/s both ways, and the time for an
# item of 600 words. Last line: the ratios and the targets.
# usage: bench/mt.sh [N]   (default 500 lines; needs ../shared/corpus)
set -eu
n=${1:-500}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}

corpus=-
for d in "${MB_CORPUS:-}" "$top/../shared/corpus" "$top/../../shared/corpus"; do
	if [ -n "$d" ] && [ -f "$d/ntrex128.eng_Latn.txt" ] &&
	    [ -f "$d/ntrex128.fra_Latn.txt" ] &&
	    [ -f "$d/ntrex128.spa_Latn.txt" ]; then
		corpus=$d
		break
	fi
done
if [ "$corpus" = - ]; then
	echo "mt: skipped: no NTREX-128 corpus (../shared/corpus); chrF needs" \
	    "the reference translations"
	exit 0
fi

work=$(mktemp -d /tmp/mb-bench-mt.XXXXXX)
stop() {
	/usr/bin/python3 "$top/tests/lib/apy.py" stop "$work" || true
	rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

rc=0
url=$(/usr/bin/python3 "$top/tests/lib/apy.py" start "$work") || rc=$?
if [ $rc -eq 77 ]; then
	echo "mt: skipped: Apertium APy or its pairs are not installed" \
	    "(scripts/deps.sh test)"
	exit 0
elif [ $rc -ne 0 ]; then
	exit $rc
fi
ninja -C "$build" mediabridge >/dev/null
MB_LOG=warn /usr/bin/python3 "$top/bench/mt_bench.py" \
    --mediabridge "$build/mediabridge" --apy "$url" --corpus "$corpus" \
    --lines "$n"
