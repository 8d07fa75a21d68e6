#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/http: mediabridge serve vs nginx serving the same bytes, with wrk.
#
# Starts a center with sample items and a private nginx (a config in a temp
# dir, on 127.0.0.1; /etc/nginx is never touched) serving the same item
# envelope and list page as static files, then runs wrk on: a cached item,
# the list endpoint. Prints requests/s and p99 latency for each, and the
# ratio mediabridge/nginx for a cached item as the LAST line. nginx gets
# its production tuning (sendfile, tcp_nopush, open_file_cache);
# NGINX_UNTUNED=1 runs it without, for comparison.
#
# Both servers keep an access log, as each does by default in production:
# serve its line per request (stderr, to a file here), nginx its combined
# log to a file, each one write(2) per request. ACCESS_LOG=0 turns both
# off ([server] access_log = off, nginx access_log off), for comparison.
#
# IDLE=N (e.g. 10000) measures something else (issue 23): the cached
# item's p99 for CONNS active clients while N idle keep-alive connections
# are open (bench/idle_conns.py: one request each, then silence), against
# the same without them, for serve and nginx in the same run, and serve's
# worker Rss with them open; the LAST line is then serve's p99 ratio with
# and without the idle connections (target <= 2), nginx's beside it.
#
#   bench/http.sh [BUILD_DIR]      (env: SECONDS_EACH=10 CONNS=64 THREADS=2
#                                   NGINX_UNTUNED=0 IDLE=0 ACCESS_LOG=1)
set -eu

BUILD=${1:-build}
MB=${MEDIABRIDGE:-$BUILD/mediabridge}
. "$(dirname "$0")/serve_user.sh"
SECS=${SECONDS_EACH:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
NGINX=${NGINX:-/usr/sbin/nginx}

for t in "$MB" "$NGINX" "$(command -v wrk || true)"; do
	[ -n "$t" ] && [ -x "$t" ] || { echo "bench/http: missing $t" >&2; exit 1; }
done

T=$(mktemp -d /tmp/mb-bench-http.XXXXXX)
chmod 755 "$T"	# nginx workers may run as another user
MBPID= NGPID=
cleanup() {
	[ -n "$MBPID" ] && kill "$MBPID" 2>/dev/null || true
	[ -n "$NGPID" ] && kill "$NGPID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

"$MB" init "$T/c" --id bench --name Bench --country EG --languages en \
    --hq >/dev/null 2>&1
IDLE=${IDLE:-0}
ACCESS_LOG=${ACCESS_LOG:-1}
if [ "$ACCESS_LOG" = 0 ]; then
	sed -i 's/^\[server\]$/[server]\naccess_log = off/' "$T/c/mediabridge.conf"
	NG_LOG=off
else
	NG_LOG="$T/ng/access.log"
fi
if [ "$IDLE" -gt 0 ]; then
	# Idle connections must outlive the run on both servers: 120 s
	# (serve's default idle timeout is 30 s, nginx's keep-alive 75 s).
	sed -i 's/^\[server\]$/[server]\ntimeout = 120/' "$T/c/mediabridge.conf"
	[ -n "${CONNECTION_KB:-}" ] &&
	    sed -i "s/^\\[server\\]\$/[server]\\nconnection_kb = $CONNECTION_KB/" \
	    "$T/c/mediabridge.conf"
	NG_CONNS=20000 NG_IDLE='keepalive_timeout 120s;'
else
	NG_CONNS=4096 NG_IDLE=
fi
"$MB" user add "$T/c" ed --role editor 2>/dev/null
TOKEN=$("$MB" token add "$T/c" ed 2>/dev/null)
serve_user "$T/c"
"$MB" serve "$T/c" --listen 127.0.0.1:0 2>"$T/serve.log" &
MBPID=$!
i=0
while [ ! -s "$T/c/serve.addr" ]; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "serve did not start" >&2; exit 1; }
	sleep 0.05
done
ADDR=$(cat "$T/c/serve.addr")

# Sample items: 50 published stories of about 2 KB each.
BODY=$(head -c 1500 /dev/zero | tr '\0' 'x')
n=0
while [ $n -lt 50 ]; do
	n=$((n + 1))
	curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" \
	    -H 'Content-Type: application/json' \
	    -d "{\"item\":{\"type\":\"text\",\"language\":\"en\",\"headlines\":[{\"value\":\"Story $n\"}],\"bodies\":[{\"value\":\"<p>$BODY</p>\"}]},\"meta\":{\"workflow\":\"published\"}}" \
	    "http://$ADDR/api/v1/items"
done
LOC=$(curl -fsS "http://$ADDR/api/v1/items?limit=1" |
    sed 's/.*"uri":"urn:mediabridge:\([^:]*\):\([^"]*\)".*/\1\/\2/')
ITEM="/api/v1/items/$LOC"
LIST="/api/v1/items?limit=20"

# nginx serves the very same bytes as static files.
mkdir -p "$T/www/items" "$T/ng"
curl -fsS "http://$ADDR$ITEM" >"$T/www/item.json"
curl -fsS "http://$ADDR$LIST" >"$T/www/list.json"
NGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
NGINX_TUNING='    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_min_uses 1;
    open_file_cache_errors on;'
[ "${NGINX_UNTUNED:-0}" = 1 ] && NGINX_TUNING='    # untuned (NGINX_UNTUNED=1)'
cat >"$T/ng/nginx.conf" <<CONF
daemon off;
worker_processes $THREADS;
pid $T/ng/nginx.pid;
error_log $T/ng/error.log;
worker_rlimit_nofile $((NG_CONNS * 2));
events { worker_connections $NG_CONNS; }
http {
    access_log $NG_LOG;
    client_body_temp_path $T/ng/body;
    proxy_temp_path $T/ng/proxy;
    fastcgi_temp_path $T/ng/fcgi;
    uwsgi_temp_path $T/ng/uwsgi;
    scgi_temp_path $T/ng/scgi;
    default_type application/json;
    etag on;
    keepalive_requests 1000000;
    $NG_IDLE
    # Production tuning, as nginx's users configure it (issue 23): file
    # descriptors and stat() results cached, the body sent by sendfile(2)
    # with the headers in the same segment (tcp_nopush, TCP_CORK), then
    # pushed at once (tcp_nodelay). NGINX_UNTUNED=1 leaves them out.
$NGINX_TUNING
    server {
        listen 127.0.0.1:$NGPORT;
        root $T/www;
        location = /item { try_files /item.json =404; }
        location = /list { try_files /list.json =404; }
    }
}
CONF
"$NGINX" -p "$T/ng" -c "$T/ng/nginx.conf" &
NGPID=$!
sleep 0.5

# CPU time (user + system, clock ticks) of the processes named, all threads.
cpu_ticks() {	# PID... -> ticks
	for _p in "$@"; do
		# Fields 14 and 15 after the command name in parentheses.
		sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null |
		    awk '{ print $12 + $13 }'
	done | awk '{ t += $1 } END { print t + 0 }'
}
TICK=$(getconf CLK_TCK)

# URL [PID...] -> "req/s p99_ms cpu_us_per_request" (the CPU the PIDs used
# per request answered: on 2 cores shared with wrk and other work, a
# steadier figure than requests/s; "-" without PIDs)
bench() {
	_url=$1; shift
	wrk -t"$THREADS" -c"$CONNS" -d1s "$_url" >/dev/null 2>&1	# warm-up
	_t0=$(cpu_ticks "$@")
	wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "$_url" >"$T/wrk.out" 2>&1
	_t1=$(cpu_ticks "$@")
	awk -v dt=$((_t1 - _t0)) -v tick="$TICK" -v pids="$#" '
	    / requests in / { n = $1 }
	    /Requests\/sec/ { rps = $2 }
	        / 99% / { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+/, "", v);
	            ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
	        /Non-2xx/ { bad = 1 }
	        END { if (bad) rps = 0
	            cpu = (pids > 0 && n > 0) ? sprintf("%.1f", dt * 1e6 / tick / n) : "-"
	            printf "%.0f %.2f %s\n", rps, ms, cpu }' "$T/wrk.out"
}

# The worker that answers requests (serve's signer parent forks it).
worker_rss() {	# -> "Rss MiB"
	_w=$(cat /proc/$MBPID/task/*/children 2>/dev/null | tr ' ' '\n' | grep -m1 . || true)
	awk '/^Rss:/ { printf "%d", $2 / 1024 }' "/proc/${_w:-$MBPID}/smaps_rollup"
}
if [ "$IDLE" -gt 0 ]; then
	idle_run() {	# NAME HOST PORT PATH -> "r0 p99_0 r1 p99_1 rss0 rss1 still open"
		_n=$1 _url="http://$2:$3$4" _h=$2 _port=$3 _path=$4
		_rss0=$( [ "$_n" = mediabridge ] && worker_rss || echo -)
		set -- $(bench "$_url"); _r0=$1 _p0=$2
		rm -f "$T/idle.in"
		mkfifo "$T/idle.in"
		python3 "$(dirname "$0")/idle_conns.py" "$_h" "$_port" "$IDLE" \
		    "$_path" <"$T/idle.in" >"$T/idle.out" &
		_ip=$!
		exec 9>"$T/idle.in"
		while ! grep -q '^open' "$T/idle.out"; do sleep 0.2; done
		_open=$(awk '/^open/ { print $2 }' "$T/idle.out")
		_rss1=$( [ "$_n" = mediabridge ] && worker_rss || echo -)
		set -- $(bench "$_url"); _r1=$1 _p1=$2
		exec 9>&-
		wait "$_ip" || true
		_still=$(awk '/^still/ { print $NF }' "$T/idle.out")
		echo "$_r0 $_p0 $_r1 $_p1 $_rss0 $_rss1 ${_still:-?} $_open"
	}
	set -- $(idle_run mediabridge "${ADDR%:*}" "${ADDR##*:}" "$ITEM")
	MR0=$1 MP0=$2 MR1=$3 MP1=$4 MRSS0=$5 MRSS1=$6 MSTILL=$7 MOPEN=$8
	set -- $(idle_run nginx 127.0.0.1 "$NGPORT" /item)
	NR0=$1 NP0=$2 NR1=$3 NP1=$4 NSTILL=$7 NOPEN=$8
	printf "cached item, wrk -t%s -c%s -d%ss, with and without %s idle keep-alive connections\n" \
	    "$THREADS" "$CONNS" "$SECS" "$IDLE"
	printf "load average: %s\n" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
	printf "%-36s %10s req/s  p99 %s ms\n" "mediabridge, no idle" "$MR0" "$MP0"
	printf "%-36s %10s req/s  p99 %s ms  (%s idle open, %s still open after)\n" \
	    "mediabridge, $IDLE idle" "$MR1" "$MP1" "$MOPEN" "$MSTILL"
	printf "%-36s %10s req/s  p99 %s ms\n" "nginx, no idle" "$NR0" "$NP0"
	printf "%-36s %10s req/s  p99 %s ms  (%s idle open, %s still open after)\n" \
	    "nginx, $IDLE idle" "$NR1" "$NP1" "$NOPEN" "$NSTILL"
	echo "mediabridge worker Rss: $MRSS0 MiB without, $MRSS1 MiB with the idle connections open"
	awk -v a="$MP1" -v b="$MP0" -v c="$NP1" -v e="$NP0" -v n="$IDLE" 'BEGIN {
	    printf "idle ratio: cached-item p99 with %d idle / without: mediabridge %.2f, nginx %.2f (target <= 2)\n",
	    n, b ? a / b : 0, e ? c / e : 0 }'
	exit 0
fi

# serve's processes (the signer, the worker, its sandbox); nginx's. Each
# once: a process counted twice would double its CPU.
children() { for _p in "$@"; do cat /proc/$_p/task/*/children 2>/dev/null; done; }
MB_PIDS=$( (echo "$MBPID"; children "$MBPID";
    children $(children "$MBPID")) | tr ' ' '\n' | grep . | sort -u)
NG_PIDS=$( (echo "$NGPID"; children "$NGPID") | tr ' ' '\n' | grep . | sort -u)
set -- $(bench "http://$ADDR$ITEM" $MB_PIDS); MB_ITEM=$1 MB_ITEM_P99=$2 MB_ITEM_CPU=$3
set -- $(bench "http://127.0.0.1:$NGPORT/item" $NG_PIDS); NG_ITEM=$1 NG_ITEM_P99=$2 NG_ITEM_CPU=$3
set -- $(bench "http://$ADDR$LIST" $MB_PIDS); MB_LIST=$1 MB_LIST_P99=$2 MB_LIST_CPU=$3
set -- $(bench "http://127.0.0.1:$NGPORT/list" $NG_PIDS); NG_LIST=$1 NG_LIST_P99=$2 NG_LIST_CPU=$3

printf "item %s bytes, list %s bytes; wrk -t%s -c%s -d%ss; nginx %s; access logs %s\n" \
    "$(wc -c <"$T/www/item.json")" "$(wc -c <"$T/www/list.json")" \
    "$THREADS" "$CONNS" "$SECS" \
    "$([ "${NGINX_UNTUNED:-0}" = 1 ] && echo untuned ||
        echo 'tuned (sendfile, tcp_nopush, tcp_nodelay, open_file_cache)')" \
    "$([ "$ACCESS_LOG" = 0 ] && echo 'off on both' || echo 'on on both')"
printf "load average: %s\n" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
printf "%-28s %10s req/s  p99 %s ms  CPU %s us/req\n" "mediabridge cached item" "$MB_ITEM" "$MB_ITEM_P99" "$MB_ITEM_CPU"
printf "%-28s %10s req/s  p99 %s ms  CPU %s us/req\n" "nginx static item" "$NG_ITEM" "$NG_ITEM_P99" "$NG_ITEM_CPU"
printf "%-28s %10s req/s  p99 %s ms  CPU %s us/req\n" "mediabridge list (cached)" "$MB_LIST" "$MB_LIST_P99" "$MB_LIST_CPU"
printf "%-28s %10s req/s  p99 %s ms  CPU %s us/req\n" "nginx static list" "$NG_LIST" "$NG_LIST_P99" "$NG_LIST_CPU"
awk -v a="$MB_ITEM_CPU" -v b="$NG_ITEM_CPU" 'BEGIN { if (a + 0 > 0) printf "CPU per cached item, nginx/mediabridge: %.2f\n", b / a }'
awk -v a="$MB_LIST" -v b="$NG_LIST" 'BEGIN { printf "list ratio mediabridge/nginx: %.2f\n", b ? a / b : 0 }'
# The target is both halves: requests/s >= nginx's, p99 no worse (issue 23).
awk -v a="$MB_ITEM" -v b="$NG_ITEM" -v p="$MB_ITEM_P99" -v q="$NG_ITEM_P99" 'BEGIN {
	printf "ratio mediabridge/nginx (cached item): %.2f, p99 %s vs %s ms\n", b ? a / b : 0, p, q }'
