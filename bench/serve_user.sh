# SPDX-License-Identifier: MIT
# Sourced by the benchmarks that start `mediabridge serve`.
# serve refuses to run as root (privilege separation: the worker drops
# to the owner of the data directory, docs/architecture.md). Benchmarks
# run as root (INN's innd needs it), so before each start a center's
# directory goes to nobody and its parents are made passable, as
# tests/lib/mbtest.py does for the tests. Not root: nothing to do.
serve_user() {	# serve_user DIR
	[ "$(id -u)" = 0 ] || return 0
	_p=$(dirname "$1")
	while [ "$_p" != / ] && [ "$_p" != /tmp ]; do
		chmod o+x "$_p"
		_p=$(dirname "$_p")
	done
	chown -R 65534:65534 "$1"
}
