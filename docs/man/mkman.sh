#!/bin/sh
# Writes mediabridge.1.scd: the hand-written page (IN) with @COMMANDS@
# replaced by every command's own --help, so that the man page and --help
# cannot say different things. Usage: mkman.sh BIN IN OUT
set -eu
bin=$1 in=$2 out=$3
cmds=$("$bin" --help | awk '/^commands:/ { f = 1; next }
    f && /^  [a-z]/ { print $1 }')
tmp=$out.tmp
{
	sed -n '1,/^@COMMANDS@$/p' "$in" | sed '$d'
	for c in $cmds; do
		summary=$("$bin" --help | awk -v c="$c" '$1 == c {
		    $1 = ""; sub(/^ +/, ""); print }')
		printf '## %s\n\n%s.\n\n```\n' "$c" "$summary"
		"$bin" "$c" --help
		printf '```\n\n'
	done
	sed -n '/^@COMMANDS@$/,$p' "$in" | sed '1d'
} > "$tmp"
mv "$tmp" "$out"
