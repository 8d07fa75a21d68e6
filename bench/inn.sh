#!/bin/sh
# bench/inn: mediabridge beside INN (InterNetNews, Debian's inn2) on the
# same N articles, both on 127.0.0.1, in the same run:
#   (a) bulk intake: `mediabridge import` vs innxmit into a private innd;
#   (b) server to server: mediabridge HQ -> branch by the exchange vs
#       innd -> innd by innxmit's NNTP streaming feed (RFC 4644
#       CHECK/TAKETHIS), INN on CNFS and on tradspool (Debian's default).
#       The headline is end to end, until searchable (issue 23: an item
#       has arrived when a reader can find it): `sync --once` of a fresh
#       branch from HQ serving, which pulls, verifies every signature,
#       stores and indexes, timed to its exit. Beside it, the branch
#       serving: timed until all N are applied (verified, stored) and
#       until they are searchable too, by polling its /metrics;
#   (c) bytes on the wire per item, counted by bench/relay.py (TCP payload
#       both ways, at the application level) for the feed and the exchange
#       (`sync --once` of one more branch), in a separate pass.
# INN runs as private instances in a temporary directory, each with its own
# inn.conf (INNCONF); nothing under /etc/news is written. Every setting that
# differs from Debian's /etc/news is listed by `bench/inn.sh --settings`.
# Import is until searchable already: it indexes in the items' own
# transactions. Medians of RUNS (3) runs. The last line holds the ratios,
# the searchable ones first.
# usage: bench/inn.sh [N]   (default 20000)   |   bench/inn.sh --settings
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/serve_user.sh"
innbin=/usr/lib/news/bin

settings() {
	cat <<'EOF'
INN settings of the private instances (everything else is Debian's inn2
default, read from /etc/news and never written):
- inn.conf: domain: localdomain (the host name has no domain; innd
  refuses to start without one); pathhost: inn-<name>.localdomain;
  port: <free port>; bindaddress: 127.0.0.1; pathetc, pathdb, pathspool,
  patharticles, pathoverview, pathincoming, pathtmp, pathoutgoing,
  patharchive, pathlog, pathrun, pathhttp: under the temporary directory.
  pathnews, pathbin, pathcontrol, pathfilter stay Debian's (read only).
- storage.conf: tradspool (Debian's file, unchanged) or, for CNFS,
  `method cnfs { newsgroups: *; class: 1; options: BENCH }` with
  cycbuff.conf `cycbuff:ONE:<dir>/one:<size>` and
  `metacycbuff:BENCH:ONE`, the buffer preallocated (fallocate) at
  twice the articles' size.
- active: Debian's example plus the groups mb.bench.<lang>.
- history: `makedbz -i -o -s 300000`, as Debian's postinst makes it.
- newsfeeds of the sending instance: Debian's plus `inn-b:*:Tf,Wnm:`
  (the batch file innxmit reads). incoming.conf unchanged (peer ME =
  localhost, 127.0.0.1, which is where innxmit connects from).
- innd is started as root with `innd -f` and drops to user news itself;
  innxmit runs as news with its defaults (streaming, CHECK then
  TAKETHIS); its own "elapsed" figure is used, since it sleeps 1 s after
  QUIT.
EOF
}

if [ "${1:-}" = "--settings" ]; then
	settings
	exit 0
fi

n=${1:-20000}
runs=${RUNS:-3}
build=${BUILD:-$top/build}
mb=$build/mediabridge
export MB_LOG=${MB_LOG:-warn}

work=$(mktemp -d /tmp/mb-bench-inn.XXXXXX)
chmod 755 "$work"
bg_pids=""

stop_innd() { # DIR
	[ -f "$1/run/innd.pid" ] || return 0
	pid=$(cat "$1/run/innd.pid" 2>/dev/null || true)
	[ -n "$pid" ] || return 0
	INNCONF=$1/etc/inn.conf "$innbin/ctlinnd" -t 10 shutdown bench \
	    >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$1/run/innd.pid"
}

cleanup() {
	for d in "$work"/inn-*; do
		[ -d "$d" ] && stop_innd "$d"
	done
	for p in $bg_pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $bg_pids; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

median() { # numbers on stdin, one a line
	sort -g | awk '{v[NR] = $1} END {
	    if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

rate() { # N SECONDS
	echo "$1 $2" | awk '{ printf "%.0f\n", $1 / $2 }'
}

now() { date +%s.%N; }

relay_port() { # COUNTS: waits for the relay to listen
	i=0
	until [ -s "$1.port" ]; do
		i=$((i + 1))
		[ $i -le 200 ] || { echo "relay did not start" >&2; exit 1; }
		sleep 0.05
	done
}

relay_wait() { # COUNTS: waits for its connections to close
	i=0
	while [ "$(awk '{print $2}' "$1")" != 0 ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

as_news() {
	setpriv --reuid=news --regid=news --init-groups "$@"
}

# --- the articles -----------------------------------------------------------
/usr/bin/python3 "$top/bench/gen_items.py" "$n" "$work/items.ndjson"
/usr/bin/python3 "$top/bench/nntp_articles.py" "$work/items.ndjson" \
    "$work/articles" 2>"$work/articles.log"
item_bytes=$(($(stat -c %s "$work/items.ndjson") / n))
art_bytes=$(($(cat "$work"/articles/[0-9]* | wc -c) / n))

# --- INN ----------------------------------------------------------------------
inn_ok=yes
inn_why=""
if [ ! -x "$innbin/innd" ] || [ ! -d /etc/news ]; then
	inn_ok=no
	inn_why="inn2 is not installed (scripts/deps.sh bench installs it)"
elif [ "$(id -u)" -ne 0 ]; then
	inn_ok=no
	inn_why="INN's innd must be started as root (it drops to user news)"
fi
if [ $inn_ok = yes ] && command -v dpkg >/dev/null &&
    dpkg -V inn2 2>/dev/null | grep -q ' /etc/news/'; then
	echo "note: /etc/news differs from the package's files; the private" \
	    "instances start from it" >&2
fi

# inn_setup NAME STORAGE: a private INN in $work/inn-NAME, not started.
inn_setup() {
	d=$work/inn-$1
	mkdir -p "$d/etc" "$d/db" "$d/spool/articles" "$d/spool/overview" \
	    "$d/spool/incoming/tmp" "$d/spool/outgoing" "$d/spool/archive" \
	    "$d/log" "$d/run" "$d/http" "$d/cycbuffs"
	for f in /etc/news/*; do
		[ -f "$f" ] || continue
		case ${f##*/} in
		inn.conf | inn-secrets.conf | passwd.nntp | inn-radius.conf) ;;
		*) cp "$f" "$d/etc/" ;;
		esac
	done
	port=$(free_port)
	awk '!/^[ \t]*(domain|pathhost|port|bindaddress|bindaddress6|path[a-z]*)[ \t]*:/' \
	    /etc/news/inn.conf > "$d/etc/inn.conf"
	cat >> "$d/etc/inn.conf" <<EOF

# bench/inn.sh: a private instance (see bench/inn.sh --settings)
domain:       localdomain
pathhost:     inn-$1.localdomain
port:         $port
bindaddress:  127.0.0.1
pathnews:     /usr/lib/news
pathbin:      /usr/lib/news/bin
pathcontrol:  /usr/lib/news/bin/control
pathfilter:   /etc/news/filter
pathetc:      $d/etc
pathdb:       $d/db
pathspool:    $d/spool
patharticles: $d/spool/articles
pathoverview: $d/spool/overview
pathincoming: $d/spool/incoming
pathtmp:      $d/spool/incoming/tmp
pathoutgoing: $d/spool/outgoing
patharchive:  $d/spool/archive
pathlog:      $d/log
pathrun:      $d/run
pathhttp:     $d/http
EOF
	# Experiments only (not used by make bench): inn.conf lines that
	# replace the file's own, e.g. INN_CONF_EXTRA='enableoverview: false'.
	if [ -n "${INN_CONF_EXTRA:-}" ]; then
		printf '%s\n' "$INN_CONF_EXTRA" | awk -F: 'NR == FNR {
			k = $1; gsub(/[ \t]/, "", k); drop[k] = 1; next }
		{ k = $1; gsub(/[ \t]/, "", k) } !(k in drop)' - \
		    "$d/etc/inn.conf" > "$d/etc/inn.conf.new"
		printf '%s\n' "$INN_CONF_EXTRA" >> "$d/etc/inn.conf.new"
		mv "$d/etc/inn.conf.new" "$d/etc/inn.conf"
	fi
	echo "$port" > "$d/port"
	if [ "$2" = cnfs ]; then
		kb=$(((n * art_bytes * 2 / 1024) + 65536))
		fallocate -l "${kb}k" "$d/cycbuffs/one" 2>/dev/null ||
		    dd if=/dev/zero of="$d/cycbuffs/one" bs=1024 count="$kb" \
		    2>/dev/null
		printf 'cycbuff:ONE:%s:%s\nmetacycbuff:BENCH:ONE\n' \
		    "$d/cycbuffs/one" "$kb" > "$d/etc/cycbuff.conf"
		printf 'method cnfs {\n    newsgroups: *\n    class: 1\n    options: BENCH\n}\n' \
		    > "$d/etc/storage.conf"
	fi
	cp /usr/lib/news/examples/active "$d/db/active"
	cp /usr/lib/news/examples/newsgroups "$d/db/newsgroups"
	while read -r g; do
		echo "$g 0000000000 0000000001 y" >> "$d/db/active"
	done < "$work/articles/groups"
	touch "$d/db/history" "$d/db/active.times"
	chown -R news:news "$d"
	as_news env INNCONF="$d/etc/inn.conf" "$innbin/makedbz" -i -o \
	    -s 300000 >/dev/null
}

inn_start() { # NAME
	d=$work/inn-$1
	INNCONF=$d/etc/inn.conf "$innbin/innd" -f > "$d/log/innd.out" 2>&1 &
	i=0
	until INNCONF=$d/etc/inn.conf "$innbin/ctlinnd" -t 1 mode \
	    2>/dev/null | grep -q 'running'; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "inn: innd $1 did not start:" >&2
			cat "$d/log/innd.out" "$d/log/errlog" >&2 2>/dev/null
			exit 1
		fi
		sleep 0.1
	done
}

# innxmit_run CONF PORT BATCH: prints "ELAPSED ACCEPTED", checks all went.
innxmit_run() {
	xo=$(as_news env INNCONF="$1" "$innbin/innxmit" -v -P "$2" \
	    127.0.0.1 "$3" 2>&1) || true
	xa=$(echo "$xo" | sed -n 's/.* accepted \([0-9]*\) .*/\1/p')
	xe=$(echo "$xo" | sed -n 's/.* elapsed \([0-9.]*\).*/\1/p')
	if [ "${xa:-0}" != "$n" ] || [ -z "$xe" ]; then
		echo "inn: innxmit sent ${xa:-0} of $n:" >&2
		echo "$xo" >&2
		exit 1
	fi
	echo "$xe $xa"
}

# inn_round STORAGE R: fresh sender a and receiver b; bulk intake into a,
# then a's feed to b. Appends to $work/STORAGE.bulk and .feed (items/s).
inn_round() {
	ra=$2a-$1
	rb=$2b-$1
	inn_setup "$ra" "$1"
	inn_setup "$rb" "$1"
	printf '\ninn-b:*:Tf,Wnm:\n' >> "$work/inn-$ra/etc/newsfeeds"
	inn_start "$ra"
	inn_start "$rb"
	rd=$work/inn-$ra
	cp "$work/articles/batch" "$work/batch.$ra"
	chown news:news "$work/batch.$ra"
	xr=$(innxmit_run "$rd/etc/inn.conf" "$(cat "$rd/port")" "$work/batch.$ra")
	[ -n "${3:-}" ] || rate "$n" "${xr%% *}" >> "$work/$1.bulk"
	INNCONF=$rd/etc/inn.conf "$innbin/ctlinnd" -t 30 flush inn-b >/dev/null
	lines=$(wc -l < "$rd/spool/outgoing/inn-b")
	[ "$lines" -eq "$n" ] || {
		echo "inn: the feed batch has $lines of $n articles" >&2
		exit 1
	}
	cp "$rd/spool/outgoing/inn-b" "$work/feed.$ra"
	chown news:news "$work/feed.$ra"
	target=$(cat "$work/inn-$rb/port")
	if [ -n "${3:-}" ]; then # through the counting relay
		/usr/bin/python3 "$top/bench/relay.py" 0 "$target" \
		    "$work/relay.inn" &
		bg_pids="$bg_pids $!"
		relay_port "$work/relay.inn"
		target=$(cat "$work/relay.inn.port")
	fi
	xr=$(innxmit_run "$rd/etc/inn.conf" "$target" "$work/feed.$ra")
	if [ -n "${3:-}" ]; then
		relay_wait "$work/relay.inn"
	else
		rate "$n" "${xr%% *}" >> "$work/$1.feed"
	fi
	stop_innd "$rd"
	stop_innd "$work/inn-$rb"
	rm -rf "$rd" "$work/inn-$rb" "$work/batch.$ra" "$work/feed.$ra"
}

if [ $inn_ok = yes ]; then
	inn_round tradspool w # warm-up: the first run after idle is slow
	: > "$work/tradspool.bulk"
	: > "$work/tradspool.feed"
	r=1
	while [ $r -le "$runs" ]; do
		inn_round cnfs "$r"
		inn_round tradspool "$r"
		r=$((r + 1))
	done
	inn_round tradspool x relay
	inn_wire=$(awk '{print $3 + $4}' "$work/relay.inn")
	for s in cnfs tradspool; do
		eval "${s}_bulk=\$(median < \"\$work/$s.bulk\")"
		eval "${s}_feed=\$(median < \"\$work/$s.feed\")"
		eval "${s}_all=\"\$(tr '\n' ' ' < \"\$work/$s.feed\")\""
	done
fi

# --- mediabridge ------------------------------------------------------------
mb_ok=yes
mb_why=""
if [ ! -x "$mb" ]; then
	mb_ok=no
	mb_why="$mb is not built"
elif ! "$mb" sync --help >/dev/null 2>&1; then
	mb_ok=no
	mb_why="this build of mediabridge has no exchange (sync) yet"
fi

if [ $mb_ok = yes ]; then
	hq_port=$(free_port)
	m=$work/mb
	mkdir -p "$m"
	"$mb" init "$m/hq" --id hq --name HQ --country EG --languages ar,en \
	    --hq --listen "127.0.0.1:$hq_port" > /dev/null
	hq_key=$("$mb" key "$m/hq")
	for b in w 1 2 3 4 5 6 7 8 9 o1 o2 o3 o4 o5 o6 o7 o8 o9 x; do
		case $b in
		[0-9]) [ "$b" -le "$runs" ] || continue ;;
		o[0-9]) [ "${b#o}" -le "$runs" ] || continue ;;
		esac
		"$mb" init "$m/br$b" --id "br$b" --name "Branch $b" --country EG \
		    --languages ar,en --hq-url "http://127.0.0.1:$hq_port" \
		    --hq-key "$hq_key" --listen 127.0.0.1:1 > /dev/null
		"$mb" center add "$m/hq" --id "br$b" --url "http://127.0.0.1:1" \
		    --key "$("$mb" key "$m/br$b")" --country EG \
		    --name "Branch $b" --languages ar,en > /dev/null
	done
	# (a) import: fresh centers, the last one is HQ.
	: > "$work/mb.import"
	r=1
	while [ $r -le "$runs" ]; do
		c=$m/hq
		if [ $r -lt "$runs" ]; then
			c=$m/imp$r
			"$mb" init "$c" --id "imp$r" --name Imp --country EG \
			    --languages ar,en > /dev/null
		fi
		t0=$(now)
		"$mb" import --quiet "$c" "$work/items.ndjson" > /dev/null
		t1=$(now)
		echo "$n $t0 $t1" | awk '{printf "%.0f\n", $1 / ($3 - $2)}' \
		    >> "$work/mb.import"
		[ "$c" = "$m/hq" ] || rm -rf "$c"
		r=$((r + 1))
	done
	mb_import=$(median < "$work/mb.import")
	# Store bytes per byte imported (issue 23, target <= 1.5): HQ's
	# store after a checkpoint (its write-ahead log copied in), over the
	# NDJSON. HQ has no wire dictionary yet: envelopes are zstd alone.
	if command -v sqlite3 > /dev/null && [ -f "$m/hq/store.db" ]; then
		sqlite3 "$m/hq/store.db" "PRAGMA wal_checkpoint(TRUNCATE)" \
		    > /dev/null
	fi
	mb_store=$(cat "$m/hq/store.db" "$m/hq/store.db-wal" 2>/dev/null |
	    wc -c)

	# (b) the exchange: HQ serves, each fresh branch pulls everything once.
	serve_hq() { # PORT
		rm -f "$m/hq/serve.addr"
		serve_user "$m/hq"
		"$mb" serve "$m/hq" --listen "127.0.0.1:$1" > "$m/serve.log" 2>&1 &
		hq_pid=$!
		bg_pids="$bg_pids $hq_pid"
		i=0
		until [ -s "$m/hq/serve.addr" ]; do
			i=$((i + 1))
			[ $i -le 200 ] || { cat "$m/serve.log" >&2; exit 1; }
			sleep 0.05
		done
	}
	pull() { # BRANCH: `sync --once`, checks that all N came
		out=$("$mb" sync "$m/br$1" --once)
		got=$(echo "$out" | awk -F '\t' '$1 == "hq" {print $2 + 0}')
		if [ "$got" != "$n" ]; then
			echo "mediabridge: branch br$1 got ${got:-0} of $n: $out" >&2
			exit 1
		fi
	}
	# serve_pull BRANCH: the branch serves and pulls from HQ; prints
	# items/s until all N were applied (verified, stored, logged) and
	# until they were also indexed (the indexer runs beside the puller).
	serve_pull() {
		rm -f "$m/br$1/serve.addr"
		serve_user "$m/br$1"
		t0=$(now)
		"$mb" serve "$m/br$1" --listen "127.0.0.1:$(free_port)" \
		    > "$m/br$1.log" 2>&1 &
		bpid=$!
		bg_pids="$bg_pids $bpid"
		ts=$(/usr/bin/python3 "$top/bench/mb_wait.py" \
		    "$m/br$1/serve.addr" hq "$n" 600) || {
			cat "$m/br$1.log" >&2
			exit 1
		}
		kill "$bpid"
		wait "$bpid" 2>/dev/null || true
		echo "$n $t0 $ts" |
		    awk '{printf "%.0f %.0f\n", $1 / ($3 - $2), $1 / ($4 - $2)}'
	}
	serve_hq "$hq_port"
	serve_pull w > /dev/null # warm-up
	: > "$work/mb.sync"
	r=1
	while [ $r -le "$runs" ]; do
		serve_pull "$r" >> "$work/mb.sync"
		r=$((r + 1))
	done
	mb_sync=$(cut -d ' ' -f 1 "$work/mb.sync" | median)
	mb_sync_idx=$(cut -d ' ' -f 2 "$work/mb.sync" | median)
	mb_all=$(cut -d ' ' -f 1 "$work/mb.sync" | tr '\n' ' ')
	mb_idx_all=$(cut -d ' ' -f 2 "$work/mb.sync" | tr '\n' ' ')

	# End to end, until searchable: `sync --once` of a fresh branch
	# pulls, verifies, stores and indexes everything, then exits.
	: > "$work/mb.once"
	r=1
	while [ $r -le "$runs" ]; do
		t0=$(now)
		pull "o$r" > /dev/null
		t1=$(now)
		echo "$n $t0 $t1" | awk '{printf "%.0f\n", $1 / ($3 - $2)}' \
		    >> "$work/mb.once"
		rm -rf "$m/bro$r"
		r=$((r + 1))
	done
	mb_once=$(median < "$work/mb.once")
	mb_once_all=$(tr '\n' ' ' < "$work/mb.once")

	# (c) bytes: HQ moves to another port, the relay takes its address
	# (so the Host the branch signs is the one in its configuration).
	kill "$hq_pid"
	wait "$hq_pid" 2>/dev/null || true
	serve_hq "$(free_port)"
	real=$(cat "$m/hq/serve.addr")
	/usr/bin/python3 "$top/bench/relay.py" "$hq_port" "${real##*:}" \
	    "$work/relay.mb" &
	bg_pids="$bg_pids $!"
	relay_port "$work/relay.mb"
	pull x > /dev/null
	relay_wait "$work/relay.mb"
	mb_wire=$(awk '{print $3 + $4}' "$work/relay.mb")
fi

# --- report -------------------------------------------------------------------
echo "articles: $n from bench/gen_items.py, ${item_bytes} bytes each as ninjs" \
    "JSON, ${art_bytes} as Netnews articles (bench/nntp_articles.py)"
if [ $inn_ok = yes ]; then
	echo "INN $(dpkg-query -W -f='${Version}' inn2 2>/dev/null) bulk intake" \
	    "(innxmit from files): CNFS $cnfs_bulk articles/s," \
	    "tradspool $tradspool_bulk articles/s"
	echo "INN feed innd -> innd (innxmit, streaming): CNFS $cnfs_feed" \
	    "articles/s (runs: $cnfs_all), tradspool $tradspool_feed articles/s" \
	    "(runs: $tradspool_all)"
	echo "INN bytes on the wire per article (feed, TCP payload both ways," \
	    "bench/relay.py): $((inn_wire / n))"
else
	echo "INN: not measured: $inn_why"
fi
if [ $mb_ok = yes ]; then
	echo "mediabridge import until searchable (check, sign, store, index" \
	    "in the same transactions): $mb_import items/s"
	echo "$mb_store $(wc -c < "$work/items.ndjson")" | awk '{
	    printf "mediabridge store bytes per byte imported (HQ after a " \
	    "checkpoint, %d of %d): %.2fx (target <= 1.50)\n", $1, $2,
	    $1 / $2 }'
	echo "mediabridge exchange until searchable (sync --once of a fresh" \
	    "branch, end to end: signed pulls, every signature verified," \
	    "stored, indexed): $mb_once items/s (runs: $mb_once_all)"
	echo "mediabridge exchange HQ -> branch, both serving: applied" \
	    "(verified, stored) $mb_sync items/s (runs: $mb_all);" \
	    "searchable $mb_sync_idx items/s (runs: $mb_idx_all)"
	echo "mediabridge bytes on the wire per item (exchange, TCP payload" \
	    "both ways, bench/relay.py): $((mb_wire / n))"
else
	echo "mediabridge exchange: NOT AVAILABLE: $mb_why"
fi
if [ $inn_ok = yes ] && [ $mb_ok = yes ]; then
	echo "$mb_import $cnfs_bulk $tradspool_bulk" | awk '{
	    printf "import vs INN bulk intake: %.2fx CNFS, %.2fx tradspool\n",
	    $1 / $2, $1 / $3 }'
	echo "$mb_sync $mb_sync_idx $cnfs_feed $tradspool_feed" | awk '{
	    printf "exchange while serving vs INN feed: applied %.2fx CNFS, %.2fx tradspool; searchable %.2fx CNFS, %.2fx tradspool\n",
	    $1 / $3, $1 / $4, $2 / $3, $2 / $4 }'
	echo "$mb_once $cnfs_feed $mb_import $cnfs_bulk $mb_sync $mb_wire $inn_wire" | awk '{
	    printf "inn ratio: searchable exchange (sync --once, end to end) %.2fx INN feed on CNFS (target >= 0.50), import until searchable %.2fx INN bulk intake on CNFS (target >= 0.50); applied only %.2fx CNFS; bytes/item %.2fx INN (target <= 0.50)\n",
	    $1 / $2, $3 / $4, $5 / $2, $6 / $7 }'
elif [ $inn_ok = yes ]; then
	echo "inn ratio: not available (mediabridge: $mb_why); INN feed" \
	    "CNFS $cnfs_feed/s, tradspool $tradspool_feed/s"
else
	echo "inn ratio: not available ($inn_why)"
fi
