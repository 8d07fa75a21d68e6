#!/bin/sh
# SPDX-License-Identifier: MIT
# Starts and stops a private PostgreSQL server for the test suite.
#
#   tests/lib/pgtest.sh start DIR   prints the server's URL on stdout
#   tests/lib/pgtest.sh stop DIR    stops it and removes DIR
#   tests/lib/pgtest.sh createdb URL NAME   prints the new database's URL
#
# DIR is a fresh directory of the caller's (mktemp -d). initdb refuses to
# run as root, and CI runs as root: then the server runs as the
# unprivileged user "postgres" (runuser), which must own DIR. It listens
# on 127.0.0.1 only, on a free port, with fsync off (a test server holds
# nothing worth a sync); the cluster is C.UTF-8 so that text search lower-
# cases and splits every script. Nothing here touches a system cluster.
set -eu

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_server() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

cmd=${1:-}
dir=${2:-}
case "$cmd" in
start)
	[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || {
		echo "pgtest: no PostgreSQL server (apt-get install postgresql)" >&2
		exit 1
	}
	[ -d "$dir" ] || { echo "pgtest: $dir: no such directory" >&2; exit 1; }
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || {
			echo "pgtest: running as root and there is no user postgres" >&2
			exit 1
		}
		chown postgres "$dir"
	fi
	as_server "$bindir/initdb" -D "$dir/data" -U mb -A trust -E UTF8 \
	    --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1 || {
		echo "pgtest: initdb failed:" >&2
		tail -n 20 "$dir/initdb.log" >&2
		exit 1
	}
	# A port chosen free can be taken before the server binds it: retry.
	tries=0
	while :; do
		port=$(free_port)
		if as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
		    -w -t 30 -o "-c listen_addresses=127.0.0.1 -p $port \
		    -c unix_socket_directories='$dir' -c fsync=off \
		    -c synchronous_commit=off -c full_page_writes=off \
		    -c max_connections=300 -c shared_buffers=64MB" \
		    start >"$dir/pg_ctl.log" 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 3 ]; then
			echo "pgtest: the server did not start:" >&2
			tail -n 20 "$dir/server.log" >&2
			exit 1
		fi
	done
	echo "$port" >"$dir/port"
	url="postgresql://mb@127.0.0.1:$port/postgres"
	echo "$url" >"$dir/url"
	echo "$url"
	;;
stop)
	[ -d "$dir/data" ] || exit 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w \
		    stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
createdb)
	url=$2
	name=$3
	psql -X -q -v ON_ERROR_STOP=1 "$url" -c \
	    "CREATE DATABASE \"$name\" TEMPLATE template0 ENCODING 'UTF8'" \
	    >/dev/null
	echo "${url%/*}/$name"
	;;
*)
	echo "usage: $0 start DIR | stop DIR | createdb URL NAME" >&2
	exit 2
	;;
esac
