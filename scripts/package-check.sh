#!/bin/sh
# make package-check: builds the .deb from a clean copy of the tree, checks
# it with lintian, then on THIS machine installs it, makes and runs a
# center as the unit would, upgrades (a rebuilt, bumped version), and
# purges twice: once keeping the data (the default), once with debconf's
# mediabridge/purge_data. Each step is checked; the first failure stops.
# It changes the machine (a package, a user, /etc and /var/lib/mediabridge):
# run it as root on a machine meant for it, not in CI.
set -eu

[ "$(id -u)" -eq 0 ] || { echo "package-check: run as root" >&2; exit 1; }
if dpkg-query -W -f='${Status}' mediabridge 2>/dev/null |
    grep -q installed; then
	echo "package-check: mediabridge is installed already; purge it first" >&2
	exit 1
fi
if [ -e /var/lib/mediabridge ] || [ -e /etc/mediabridge ]; then
	echo "package-check: /var/lib/mediabridge or /etc/mediabridge exists;" \
	    "move it away first" >&2
	exit 1
fi

src=$(pwd)
work=$(mktemp -d /tmp/mb-package-check.XXXXXX)
step() { printf '\n== package-check: %s\n' "$*"; }
ok() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; exit 1; }
served=""
cleanup() {
	[ -n "$served" ] && kill "$served" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

build() {	# build VERSION: a .deb of the tree in $work/VERSION
	mkdir -p "$work/$1/src"
	(cd "$src" && git ls-files -co --exclude-standard -z |
	    xargs -0 tar -cf -) | tar -xf - -C "$work/$1/src"
	if [ "$1" != base ]; then
		(cd "$work/$1/src" && dch -b -v "$1" -D unstable \
		    "package-check: a bumped version" >/dev/null 2>&1 ||
		    sed -i "1s/(\([^)]*\))/($1)/" debian/changelog)
	fi
	(cd "$work/$1/src" && dpkg-buildpackage -us -uc -b \
	    >"$work/$1/build.log" 2>&1) ||
	    { tail -30 "$work/$1/build.log"; fail "dpkg-buildpackage ($1)"; }
	ls "$work/$1"/mediabridge_*_*.deb | grep -v dbgsym | head -1
}

step "build"
deb=$(build base)
ok "dpkg-buildpackage -us -uc -b: $(basename "$deb")"
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
for f in ./usr/bin/mediabridge ./lib/systemd/system/mediabridge@.service \
    ./usr/share/man/man1/mediabridge.1.gz \
    ./usr/share/man/man5/mediabridge.conf.5.gz \
    ./usr/share/mediabridge/templates/head.html \
    ./usr/share/mediabridge/static/site.css \
    ./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/mediabridge/mediabridge-codecs.so; do
	grep -qx "$f" "$work/contents" || fail "not in the package: $f"
done
ok "files in place (binary, codecs module, unit, man pages, templates, static)"
dpkg-deb -f "$deb" Depends | grep -q libsodium || fail "shlibs: no libsodium"
ok "Depends from dh_shlibdeps: $(dpkg-deb -f "$deb" Depends | cut -c1-70)..."

step "lintian"
lintian --pedantic -I "$deb" > "$work/lintian" 2>&1 || true
cat "$work/lintian"
grep -q '^E:' "$work/lintian" && fail "lintian errors"
ok "lintian: no errors ($(grep -c '^[WIP]:' "$work/lintian" || true) other tags)"

step "systemd-analyze"
dpkg-deb -x "$deb" "$work/root"
unit=$work/root/lib/systemd/system/mediabridge@.service
systemd-analyze verify --root="$work/root" "$unit" 2>&1 |
    grep -v "Command .* is not executable" | grep -v "man " |
    grep -v "sysinit.target not found" || true
systemd-analyze security --offline=yes --root="$work/root" \
    mediabridge@cairo.service 2>/dev/null | tail -1 || true

step "install"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null ||
    fail "apt-get install"
getent passwd mediabridge >/dev/null || fail "no mediabridge user"
[ "$(stat -c %U /var/lib/mediabridge)" = mediabridge ] ||
    fail "/var/lib/mediabridge not owned by mediabridge"
ok "installed; the mediabridge user and /var/lib/mediabridge"
man -w mediabridge >/dev/null && man -w mediabridge.conf >/dev/null ||
    fail "man pages"
ok "man mediabridge, man mediabridge.conf"

step "a center, as an operator makes it"
mediabridge init /var/lib/mediabridge/cairo --id cairo --name Cairo \
    --country EG --languages ar,en --hq --listen 127.0.0.1:0 ||
    fail "init"
[ -f /etc/mediabridge/cairo.conf ] || fail "no /etc/mediabridge/cairo.conf"
[ "$(stat -c %U:%a /var/lib/mediabridge/cairo/keys/center.key)" = \
    mediabridge:600 ] || fail "key owner/mode"
ok "/etc/mediabridge/cairo.conf; the data dir belongs to mediabridge"
if [ -d /run/systemd/system ]; then
	systemctl start mediabridge@cairo || fail "systemctl start"
	sleep 2
	systemctl is-active mediabridge@cairo || fail "not active"
	ok "systemctl start mediabridge@cairo"
else
	# No systemd here: run serve as the unit would (its user, its
	# command line); the sandboxing itself is systemd's.
	runuser -u mediabridge -- /usr/bin/mediabridge serve \
	    /var/lib/mediabridge/cairo >"$work/serve.log" 2>&1 &
	served=$!
	i=0
	while [ ! -s /var/lib/mediabridge/cairo/serve.addr ] && [ $i -lt 100 ]
	do sleep 0.1; i=$((i + 1)); done
	[ -s /var/lib/mediabridge/cairo/serve.addr ] ||
	    { cat "$work/serve.log"; fail "serve did not start"; }
	grep -q "site: dir=/usr/share/mediabridge" "$work/serve.log" ||
	    { cat "$work/serve.log"; fail "site not from /usr/share"; }
	ok "no systemd running: serve started as the unit's user"
fi
addr=$(cat /var/lib/mediabridge/cairo/serve.addr)
curl -fsS "http://$addr/healthz" >/dev/null || fail "healthz"
curl -fsSL "http://$addr/" > "$work/front.html" || fail "the site"
grep -qi "<html" "$work/front.html" || fail "the site: no page"
ok "http://$addr/healthz and / answer (templates from /usr/share)"
runuser -u mediabridge -- mediabridge doctor /var/lib/mediabridge/cairo \
    --offline || fail "doctor"
runuser -u mediabridge -- mediabridge backup /var/lib/mediabridge/cairo \
    -o /var/lib/mediabridge/cairo-backup.tar.zst || fail "backup"
ok "doctor and backup as mediabridge"

step "upgrade (a bumped version over a running center)"
deb2=$(build 0.1.0+check1)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb2" >/dev/null ||
    fail "upgrade"
[ "$(dpkg-query -W -f='${Version}' mediabridge)" = 0.1.0+check1 ] ||
    fail "version after upgrade"
[ -f /etc/mediabridge/cairo.conf ] && \
    [ -f /var/lib/mediabridge/cairo/keys/center.key ] || fail "data lost"
mediabridge verify /var/lib/mediabridge/cairo || fail "verify"
ok "upgraded to 0.1.0+check1; configuration and data intact"
if [ -n "$served" ]; then
	kill "$served"; wait "$served" 2>/dev/null || true; served=""
fi
[ -d /run/systemd/system ] && systemctl stop mediabridge@cairo

step "purge (default: keeps the data)"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mediabridge >/dev/null ||
    fail "purge"
[ -f /var/lib/mediabridge/cairo/keys/center.key ] &&
    [ -f /etc/mediabridge/cairo.conf ] || fail "purge lost the data"
ok "purged; /var/lib/mediabridge and /etc/mediabridge kept"

step "reinstall over the kept data, then purge with purge_data=true"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb2" >/dev/null ||
    fail "reinstall"
mediabridge verify /var/lib/mediabridge/cairo || fail "verify after reinstall"
echo "mediabridge mediabridge/purge_data boolean true" |
    debconf-set-selections
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mediabridge >/dev/null ||
    fail "purge"
[ ! -e /var/lib/mediabridge ] && [ ! -e /etc/mediabridge ] ||
    fail "asked to, purge did not remove the data"
! getent passwd mediabridge >/dev/null || fail "user left behind"
ok "purged with purge_data=true: data and user removed"

printf '\npackage-check: all steps passed\n'
