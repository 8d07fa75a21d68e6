#!/bin/sh
# SPDX-License-Identifier: MIT
# Browser tests: starts one center with sample items and two newsroom users,
# then drives Debian's chromium with playwright-core (site.test.mjs).
# Exit 77 (skipped) when chromium or npm is missing, or npm cannot install.
# Screenshots go to tests/browser/artifacts/ (git-ignored).
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=${MEDIABRIDGE:-$src/build/mediabridge}
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
	echo "SKIP: no chromium at $chromium (Debian: apt-get install chromium)"
	exit 77
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1
then
	echo "SKIP: node and npm are needed (Debian: apt-get install nodejs npm)"
	exit 77
fi
cd "$here" || exit 1
if [ ! -f node_modules/playwright-core/package.json ]; then
	# The lock file pins playwright-core; no browser is downloaded.
	if ! PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
	    --loglevel=error; then
		echo "SKIP: npm ci failed (offline?): playwright-core missing"
		exit 77
	fi
fi

tmp=$(mktemp -d /tmp/mb-browser.XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ "${MB_KEEP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

dir=$tmp/cairo
"$bin" init "$dir" --id cairo --name "Cairo Media Center" --country EG \
    --languages ar,en,fr,ru --hq >/dev/null || exit 1
"$bin" import "$dir" "$src/tests/site/items.ndjson" >/dev/null 2>&1 ||
    exit 1
printf 'journo-pass-1\n' | "$bin" user add "$dir" jo --role journalist \
    --password-stdin >/dev/null || exit 1
printf 'editor-pass-1\n' | "$bin" user add "$dir" ed --role editor \
    --password-stdin >/dev/null || exit 1
printf 'translator-pass-1\n' | "$bin" user add "$dir" tr --role translator \
    --password-stdin >/dev/null || exit 1
printf 'admin-pass-1\n' | "$bin" user add "$dir" ad --role admin \
    --password-stdin >/dev/null || exit 1
# serve refuses to run as root (privilege separation, docs/architecture.md):
# as root (CI), the center's directory goes to nobody, whom the worker
# becomes, as tests/lib/mbtest.py does for the integration tests.
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$tmp"
	chown -R 65534:65534 "$dir" || exit 1
fi
"$bin" serve "$dir" --listen 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$dir/serve.addr" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$dir/serve.addr" ]; then
	echo "serve did not start:"; cat "$tmp/serve.log"
	exit 1
fi
addr=$(cat "$dir/serve.addr")
mkdir -p "$here/artifacts"
# MB_BROWSER_TEST: which test file (meson.build runs each with its own).
BASE="http://$addr" CHROMIUM="$chromium" ARTIFACTS="$here/artifacts" \
    node "$here/${MB_BROWSER_TEST:-site.test.mjs}"
rc=$?
[ $rc -ne 0 ] && tail -20 "$tmp/serve.log"
exit $rc
