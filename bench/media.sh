#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/media: picture renditions (mb_media_make: header check, large size
# by shrink-on-load, medium and thumbnail from it, each as JPEG and WebP,
# metadata stripped) for 12-megapixel JPEGs, beside the `vips thumbnail`
# command making the same six renditions of the same files in the same run
# (and beside one `vips thumbnail` to 1600 pixels per file, for scale).
# Reports renditions/s and peak memory (max RSS) of each. Last line: the
# ratio of renditions/s, mediabridge over vips thumbnail.
# usage: bench/media.sh [FILES] [ROUNDS]   (default 6 files, 1 round)
set -eu
n=${1:-6}
rounds=${2:-1}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
work=$(mktemp -d /tmp/mb-bench-media.XXXXXX)
trap 'rm -rf "$work"' EXIT

for t in vips /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench/media: $t missing" >&2; exit 1; }
done
ninja -C "$build" bench/media_bench >/dev/null

# 4000 x 3000 photos: blurred noise (so JPEG does work like on a photo),
# about 3-5 MB each at quality 90, each with GPS EXIF when exiftool is here.
files=""
i=0
while [ "$i" -lt "$n" ]; do
	f=$work/p$i
	vips gaussnoise "$f.v" 4000 3000 --sigma 60 --seed "$i"
	vips gaussblur "$f.v" "$f.b.v" 1.5
	vips cast "$f.b.v" "$f.c.v" uchar
	vips bandjoin "$f.c.v $f.c.v $f.c.v" "$f.d.v"
	vips copy "$f.d.v" "$f.jpg[Q=90]"
	rm -f "$f.v" "$f.b.v" "$f.c.v" "$f.d.v"
	if command -v exiftool >/dev/null; then
		exiftool -q -overwrite_original -GPSLatitude=30.04 \
		    -GPSLatitudeRef=N "$f.jpg"
	fi
	files="$files $f.jpg"
	i=$((i + 1))
done
bytes=$(cat $files | wc -c)
echo "files: $n JPEGs of 4000x3000 (12 MP), $((bytes / n / 1024)) KiB each, $rounds rounds"

now() { date +%s.%N; }

# mediabridge, in one process (what serve does per upload).
set -- $("/usr/bin/time" -f "%M" -o "$work/mb.rss" \
    "$build/bench/media_bench" "$rounds" $files)
mb_files=$1 mb_rends=$2 mb_secs=$3
mb_rss=$(cat "$work/mb.rss")
mb_rate=$(echo "$mb_rends $mb_secs" | awk '{printf "%.2f", $1 / $2}')
echo "mediabridge: $mb_files pictures, $mb_rends renditions in ${mb_secs}s: $mb_rate renditions/s, peak RSS $((mb_rss / 1024)) MiB"

# vips thumbnail: the same six renditions, one command each.
rss_max=0
t0=$(now)
k=0
cnt=0
while [ "$k" -lt "$rounds" ]; do
	for f in $files; do
		for s in 320 800 1600; do
			for fmt in "jpg[Q=82,strip,optimize_coding,interlace]" \
			    "webp[Q=75,strip]"; do
				"/usr/bin/time" -f "%M" -o "$work/v.rss" \
				    vips thumbnail "$f" "$work/o.$fmt" "$s"
				r=$(cat "$work/v.rss")
				[ "$r" -gt "$rss_max" ] && rss_max=$r
				cnt=$((cnt + 1))
			done
		done
	done
	k=$((k + 1))
done
t1=$(now)
v_secs=$(echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}')
v_rate=$(echo "$cnt $v_secs" | awk '{printf "%.2f", $1 / $2}')
echo "vips thumbnail: $cnt renditions in ${v_secs}s: $v_rate renditions/s, peak RSS $((rss_max / 1024)) MiB"

# One vips thumbnail to 1600 per file, for scale.
t0=$(now)
for f in $files; do
	vips thumbnail "$f" "$work/one.jpg" 1600
done
t1=$(now)
one=$(echo "$t0 $t1 $n" | awk '{printf "%.3f", ($2 - $1) / $3}')
echo "vips thumbnail to 1600 only: ${one}s per picture"

echo "$mb_rate $v_rate $mb_rss $rss_max" | awk '{printf "media: %.2fx the renditions/s of vips thumbnail (%.2f vs %.2f), peak RSS %d vs %d MiB\n", $1 / $2, $1, $2, $3 / 1024, $4 / 1024}'
