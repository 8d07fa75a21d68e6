#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/run.sh (`make bench`): runs every benchmark present under bench/
# with sizes that finish in under 15 minutes on 2 cores, then rewrites the
# results table at the top of docs/benchmarks.md (between the markers
# <!-- results:begin --> and <!-- results:end -->), leaving the sections
# the benchmarks' owners write below it alone.
#
# A benchmark is an executable bench/NAME.sh (or bench/NAME/run.sh; a .sh
# without the execute bit, such as serve_user.sh, is a helper the
# benchmarks source, not one to run); it prints its
# figures beside its anchor's figures from the same run, and its ratio as
# its LAST line. The known ones run in the order of ORDER; any other is run
# after them with no argument. bench/inn's INN CNFS feed figure is exported
# as INN_FEED to the benchmarks after it (bench/sync compares with it).
#
# env: BUILD (build)     the build directory the benchmarks use
#      BENCH_ONLY        names to run, e.g. "inn ingest" (default: all)
#      BENCH_ARGS_<name> the arguments for one, e.g. BENCH_ARGS_search=1000000
#      BENCH_TIMEOUT     seconds one benchmark may take (default 600)
#      BENCH_DOC         the file to write (default docs/benchmarks.md;
#                        "-" writes nothing)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
export BUILD
doc=${BENCH_DOC:-docs/benchmarks.md}
limit=${BENCH_TIMEOUT:-600}

ORDER="ingest http inn sync search pages media scale mt"

# Sizes for `make bench` (about 15 minutes in all on 2 cores); each
# script's own default is the full-size run.
default_args() {
	case $1 in
	ingest) echo 50000 ;;
	http) echo "$BUILD" ;;
	search) echo 200000 ;;
	inn) echo 20000 ;;
	sync) echo 20000 ;;
	pages) echo 20000 ;;
	mt) echo 500 ;;
	*) echo "" ;;
	esac
}

script_of() {
	if [ -x "bench/$1.sh" ] || [ -f "bench/$1.sh" ]; then
		echo "bench/$1.sh"
	elif [ -f "bench/$1/run.sh" ]; then
		echo "bench/$1/run.sh"
	fi
}

names=""
for b in $ORDER; do
	[ -n "$(script_of "$b")" ] && names="$names $b"
done
for f in bench/*.sh bench/*/run.sh; do
	[ -f "$f" ] || continue
	case $f in bench/run.sh) continue ;; esac
	case $f in bench/*/run.sh) ;; *) [ -x "$f" ] || continue ;; esac
	b=${f#bench/}
	b=${b%.sh}
	b=${b%/run}
	case " $ORDER " in *" $b "*) continue ;; esac
	names="$names $b"
done
if [ -n "${BENCH_ONLY:-}" ]; then
	sel=""
	for b in $names; do
		case " $BENCH_ONLY " in *" $b "*) sel="$sel $b" ;; esac
	done
	names=$sel
fi

out=$(mktemp -d /tmp/mb-bench-run.XXXXXX)
trap 'rm -rf "$out"' EXIT
trap 'exit 130' INT TERM

# The machine, once.
cores=$(nproc)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
cpu=$(sed -n 's/^model name[ \t]*: *//p' /proc/cpuinfo | head -n 1)
flags=""
for fl in avx2 avx512f sha_ni aes; do
	grep -qw "$fl" /proc/cpuinfo && flags="$flags $fl"
done
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")
fs=$(df -T /tmp 2>/dev/null | awk 'NR == 2 {print $2}')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | head -n 1)
[ -n "$dirty" ] && commit="$commit (with uncommitted changes)"
{
	echo "date $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "machine $cores cores, $mem, $cpu,${flags:- (no flags)}; $os;" \
	    "kernel $(uname -r); /tmp on ${fs:-?}"
	echo "commit $commit"
} > "$out/machine"
cat "$out/machine"

total0=$(date +%s)
for b in $names; do
	s=$(script_of "$b")
	eval "args=\${BENCH_ARGS_$b-\$(default_args $b)}"
	load=$(cut -d ' ' -f 1 /proc/loadavg)
	echo
	echo "=== $b: $s $args (load average $load)"
	t0=$(date +%s)
	rc=0
	# shellcheck disable=SC2086
	timeout "$limit" sh "$s" $args > "$out/$b.out" 2> "$out/$b.err" || rc=$?
	t1=$(date +%s)
	cat "$out/$b.out"
	if [ $rc -ne 0 ]; then
		echo "--- $b failed (exit $rc$([ $rc -eq 124 ] && echo ", over ${limit} s")):"
		tail -n 15 "$out/$b.err"
	fi
	if [ "$b" = inn ] && [ $rc -eq 0 ]; then
		# bench/sync compares with INN's CNFS feed: the one measured here.
		f=$(sed -n 's/^INN feed .*: CNFS \([0-9]*\) articles.*/\1/p' \
		    "$out/inn.out")
		[ -n "$f" ] && export INN_FEED="$f" &&
		    echo "(INN_FEED=$f for the benchmarks that follow)"
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$b" "$rc" "$((t1 - t0))" "$load" \
	    "$s${args:+ $args}" >> "$out/index"
done
echo
echo "all benchmarks: $(($(date +%s) - total0)) s"

[ "$doc" = "-" ] && exit 0
[ -f "$out/index" ] || { echo "no benchmark found under bench/" >&2; exit 1; }

/usr/bin/python3 - "$out" "$doc" <<'EOF'
import os
import sys

out, doc = sys.argv[1], sys.argv[2]
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def read(p):
    try:
        with open(p, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


machine = dict(l.split(" ", 1) for l in read(os.path.join(out, "machine"))
               .splitlines() if " " in l)
rows = [l.split("\t") for l in read(os.path.join(out, "index")).splitlines()]

g = []
g.append(BEGIN)
g.append("<!-- written by bench/run.sh (`make bench`); edits here are lost -->")
g.append("## Results of the last `make bench`")
g.append("")
g.append("%s, commit %s. Machine: %s." % (machine.get("date", "?"),
                                         machine.get("commit", "?"),
                                         machine.get("machine", "?")))
g.append("Each benchmark runs its anchor in the same run; compare ratios, "
         "not absolute figures, across runs.")
g.append("")
g.append("| benchmark | ratio (its last line) | time | load avg at start |")
g.append("|---|---|---|---|")
for name, rc, secs, load, cmd in rows:
    lines = [l for l in read(os.path.join(out, name + ".out")).splitlines()
             if l.strip()]
    if rc != "0":
        last = "**failed** (exit %s%s)" % (
            rc, ", over the time limit" if rc == "124" else "")
    else:
        last = (lines[-1] if lines else "(no output)").replace("|", "\\|")
    g.append("| %s | %s | %s s | %s |" % (name, last, secs, load))
g.append("")
for name, rc, secs, load, cmd in rows:
    g.append("### %s" % name)
    g.append("")
    g.append("Rerun: `BUILD=build %s` (or `BENCH_ONLY=%s make bench`)."
             % (cmd.replace(os.environ.get("BUILD", "\0"), "build"), name))
    g.append("")
    g.append("```")
    body = read(os.path.join(out, name + ".out")).rstrip("\n")
    g.append(body if body else "(no output)")
    if rc != "0":
        err = read(os.path.join(out, name + ".err")).rstrip("\n").splitlines()
        g.append("--- failed (exit %s); stderr, last lines:" % rc)
        g.extend(err[-15:])
    g.append("```")
    g.append("")
g.append(END)
block = "\n".join(g)

text = read(doc)
if BEGIN in text and END in text:
    a = text.index(BEGIN)
    b = text.index(END) + len(END)
    text = text[:a] + block + text[b:]
elif text:
    # After the title and its first paragraph.
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].startswith("# "):
        i += 1
    i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines) and lines[i].strip():
        i += 1
    text = "\n".join(lines[:i]) + "\n\n" + block + "\n" + "\n".join(lines[i:])
else:
    text = ("# Benchmarks\n\nEach benchmark under `bench/` prints its figures "
            "beside its anchor's (../shared/ANCHORS.md), measured in the same "
            "run, and its ratio last. `make bench` runs them all and writes "
            "the table below.\n\n" + block + "\n")
tmp = doc + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    f.write(text)
os.replace(tmp, doc)
print("wrote", doc)
EOF
