#!/bin/sh
# Runs the whole suite: every test in the normal build, then the unit tests
# and fuzz-corpus replays again under AddressSanitizer + UBSan; prints one
# closing line "N passed, N failed, N skipped" and fails if anything did.
set -u
build=${1:-build}
asan=${2:-build-asan}
py=/usr/bin/python3

ninja -C "$build" || exit 1
ninja -C "$asan" || exit 1

# A private PostgreSQL for the store's second backend (tests/lib/pgtest.sh);
# without one the PostgreSQL variants skip and say so.
pgdir=$(mktemp -d /tmp/mb-pgtest-XXXXXX)
trap 'tests/lib/pgtest.sh stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
if MB_TEST_PG=$(tests/lib/pgtest.sh start "$pgdir"); then
	export MB_TEST_PG
else
	echo "tests: PostgreSQL did not start; its variants are skipped" >&2
	unset MB_TEST_PG
fi

# Tests at once: the cores, at least 2 (most tests wait on servers and
# timers) and at most 4 (each integration test runs several centers;
# the whole suite was run 4 at a time on 2 busy cores without a failure).
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -ge 2 ] 2>/dev/null || jobs=2
[ "$jobs" -le 4 ] || jobs=4

status=0
meson test -C "$build" --print-errorlogs --num-processes "$jobs" || status=1
cp "$build/meson-logs/testlog.json" "$build/meson-logs/testlog-main.json"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C "$asan" --suite unit --suite fuzz --print-errorlogs \
    --num-processes "$jobs" || status=1

"$py" - "$build/meson-logs/testlog-main.json" \
    "$asan/meson-logs/testlog.json" <<'PY' || status=1
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            r = json.loads(line).get("result")
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
total = passed + failed
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or total == 0 else 0)
PY
exit $status
