#!/bin/sh
# Installs the Debian 12 packages mediabridge needs to build, test and run.
# As root it runs apt-get; otherwise it prints the exact command to run.
# Usage: scripts/deps.sh [build|test|bench]
set -eu

what=${1:-build}

build_pkgs="gcc pkg-config meson ninja-build libjansson-dev libyajl-dev libsodium-dev
libsqlite3-dev libmicrohttpd-dev libcurl4-openssl-dev libinih-dev
libutf8proc-dev libstemmer-dev libexttextcat-dev libexttextcat-data
libgumbo-dev zlib1g-dev libdeflate-dev libzstd-dev libcmocka-dev libxml2-dev
libcmark-dev libicu-dev iso-codes
libvips-dev libmagic-dev libavformat-dev libavcodec-dev libavutil-dev
libswscale-dev libpq-dev libqrencode-dev libsystemd-dev libarchive-dev
libseccomp-dev libloc-dev
scdoc"
test_pkgs="clang libclang-rt-14-dev python3 python3-jsonschema sqlite3 curl
procps postgresql apertium-apy apertium-eng-spa apertium-fr-es apertium-es-pt
libvips-tools ffmpeg libimage-exiftool-perl
libxml2-utils python3-icalendar chromium nodejs npm fonts-noto-core
zbar-tools python3-nacl libloc-database python3-aiosmtpd
python3-feedparser newsboat
debhelper dpkg-dev fakeroot lintian adduser systemd"
bench_pkgs="wrk nginx-light inn2 hyperfine"

# inn2's postinst fails on a host whose name has no domain ("hostname does
# not resolve or domain not set"): it runs innconfval, which reads the
# inn.conf named by INNCONF. So apt-get runs with INNCONF naming a copy of
# the packaged inn.conf (from inn2-inews) plus `domain: localdomain`; the
# package then configures and /etc/news stays exactly as shipped.
# bench/inn.sh runs its own private instances and never uses the system's.
apt_inn2() {
	t=$(mktemp -d)
	chmod 755 "$t"
	if [ -f /etc/news/inn.conf ]; then
		cp /etc/news/inn.conf "$t/inn.conf"
	else
		(cd "$t" && apt-get download -qq inn2-inews >&2 2>/dev/null)
		dpkg-deb --fsys-tarfile "$t"/inn2-inews_*.deb |
		    tar -xO ./etc/news/inn.conf > "$t/inn.conf"
	fi
	printf '\ndomain: localdomain\n' >> "$t/inn.conf"
	rc=0
	INNCONF=$t/inn.conf apt-get install -y -qq --no-install-recommends \
	    "$@" >&2 || rc=$?
	rm -rf "$t"
	return $rc
}

case "$what" in
build) pkgs=$build_pkgs ;;
test) pkgs="$build_pkgs $test_pkgs" ;;
bench) pkgs="$build_pkgs $test_pkgs $bench_pkgs" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	# A Node.js installed some other way (nodesource's nodejs bundles npm
	# and conflicts with Debian's npm package) serves the browser tests.
	case "$p" in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "mediabridge: installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	case " $missing " in
	*" inn2 "*)
		# shellcheck disable=SC2086
		apt_inn2 $missing ;;
	*)
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >&2 ;;
	esac
else
	echo "mediabridge: missing Debian packages. Run:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
