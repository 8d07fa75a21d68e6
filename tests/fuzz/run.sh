#!/bin/sh
# make fuzz: builds the libFuzzer targets with clang and runs each for a
# bounded time (seconds per target, default 60), growing corpus/<name>/.
# A crash leaves crash-* in build-fuzz/ and fails; copy the input into
# tests/fuzz/corpus/<name>/ with the fix so make test replays it forever.
set -eu
secs=${1:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true \
	    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C build-fuzz
for bin in build-fuzz/tests/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	mkdir -p "build-fuzz/corpus-$name"
	echo "fuzz: $name for ${secs}s"
	(cd build-fuzz && "../$bin" -max_total_time="$secs" -max_len=65536 \
	    -print_final_stats=1 "corpus-$name" "$top/tests/fuzz/corpus/$name")
done
echo "fuzz: no crashes"
