#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A branch on a bad link (issue 22, 4): HQ is reached through a shaping
relay (tests/lib/shaper.py: 64 kbit/s, 600 ms round trips, a reset of
every connection every 30 s, the first at a random moment, and stalls).
With a policy on the link (media all, 64k) the text of every item
arrives before any picture's original, thumbnails before originals, with
nothing doubled and nothing lost; and a center with no link that gets a
bundle from HQ ends with the same (uri, version) set as the pull gave."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import mb  # noqa: E402
from mbtest import check, eq, main  # noqa: E402
from shaper import Shaper  # noqa: E402
from test_bundle import center, versions  # noqa: E402
from test_link_policy import editor, here, picture, split  # noqa: E402

TEXT = int(os.environ.get("MB_SHAPED_ITEMS", "1000"))
PICTURES = 2
ENV = dict(fedlib.ENV, MB_MEDIA_FETCH_MS="200", MB_SYNC_BACKOFF_MAX_MS="2000")
STAMP = re.compile(r"^(\S+Z) ")


def items(n):
    return [{"uri": "urn:mediabridge:moscow:wire-%d" % i, "type": "text",
             "language": "en",
             "headlines": [{"value": "Wire story %d" % i}],
             "bodies": [{"value": "<p>Story %d: the council met on %d "
                         "March and agreed the budget.</p>" % (i, i % 28)}]}
            for i in range(n)]


def flat_png(w_, h_, shade):
    """A picture of four flat quarters: small in every format, so that
    the 64 kbit/s link carries it in seconds."""
    import struct
    import zlib

    def chunk(t, data):
        return (struct.pack(">I", len(data)) + t + data +
                struct.pack(">I", zlib.crc32(t + data) & 0xffffffff))
    rows = b"".join(b"\0" + b"".join(bytes(((x * 2 // w_) * 90 + shade,
                                             (y * 2 // h_) * 90 + 40, 120))
                                      for x in range(w_))
                   for y in range(h_))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w_, h_, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def stamp(line):
    m = STAMP.match(line)
    return m.group(1) if m else None


def test_text_first_over_a_bad_link(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    known = hq_addr = None
    for line in open(os.path.join(hq.dir, "mediabridge.conf")):
        k, _, v = line.partition("=")
        if k.strip() == "listen":
            known = v.strip()
    # HQ serves elsewhere; the link sits at the address everyone knows.
    real = fedlib.free_port()
    hq.start(env=ENV, listen="127.0.0.1:%d" % real)
    hq_addr = hq.addr
    hq.addr = known
    link = Shaper(int(known.rsplit(":", 1)[1]), real, rate=8000, rtt=0.6,
                  reset_every=30, stall_every=15, stall_s=2, seed=22)
    cairo = None
    try:
        # What Cairo will want, all at HQ before Cairo starts: the
        # pictures first in HQ's log, so that only the policy keeps
        # their originals behind the text.
        hq.addr = hq_addr
        cl = editor(hq)
        pics = [picture(cl, "Picture %d" % i, png=flat_png(640, 480, 10 * i))
                for i in range(PICTURES)]
        print("pictures: %s bytes" % sorted(rd["sizeInBytes"] for p in pics
                                            for rd in p.values()))
        hq.publish(items(TEXT))
        hq.addr = known
        cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        mb("peer", "set", cairo.dir, "moscow", "--media", "all",
           "--max-rate", "64k")
        cairo.start(env=ENV)
        fedlib.admit(hq, cairo)
        want = TEXT + PICTURES
        thumbs = set().union(*(split(p)[0] for p in pics))
        originals = set().union(*(split(p)[1] for p in pics))
        t0 = time.monotonic()
        fedlib.wait_for("everything over the link", lambda: int(
            cairo.peers().get("moscow", {}).get("received", 0)) >= want and
            all(here(cairo, h) for h in thumbs | originals), 85)
        took = time.monotonic() - t0

        def from_log():
            """From Cairo's log: when the text was complete, when each
            blob came."""
            got, text_done, fetched = 0, None, {}
            for line in open(os.path.join(cairo.dir, "serve.log")):
                m = re.search(r"sync: pulled peer=moscow applied=(\d+)",
                              line)
                if m:
                    got += int(m.group(1))
                    if got >= want and text_done is None:
                        text_done = stamp(line)
                m = re.search(r"media: fetched blob=([0-9a-f]{12})", line)
                if m:
                    fetched.setdefault(m.group(1), stamp(line))
            return got, text_done, fetched

        # A blob's file appears before its record is written and its line
        # logged, and a batch's line follows its commit: wait for them.
        fedlib.wait_for("every batch and blob in the log", lambda: (
            lambda g, t, f: t is not None and
            all(h[:12] in f for h in thumbs | originals))(*from_log()), 20)
        got, text_done, fetched = from_log()
        check(text_done is not None, "the text completed", got)
        firsts = {h[:12]: fetched.get(h[:12]) for h in originals}
        check(all(firsts.values()), "every original fetched", firsts)
        check(min(firsts.values()) > text_done, "text before originals: "
              "text done %s, first original %s" % (text_done,
                                                   min(firsts.values())))
        last_thumb = max(fetched[h[:12]] for h in thumbs)
        check(last_thumb <= min(firsts.values()), "thumbnails first")
        # Nothing lost, nothing doubled.
        mine = [(u, v) for u, v in cairo.versions()]
        eq(len(mine), len(set(mine)), "no duplicates")
        # HQ's drafts (a picture item's version 1) stay at HQ.
        current = {}
        for u, v in versions(hq):
            current[u] = max(current.get(u, v), v, key=int)
        lost = set(current.items()) - set(mine)
        extra = set(mine) - versions(hq)
        check(not lost and not extra, "nothing lost or made up: %d lost "
              "%s, %d extra %s" % (len(lost), sorted(lost)[:3], len(extra),
                                   sorted(extra)[:3]))
        check(link.resets >= 1, "the link was reset (%d)" % link.resets)
        print("shaped: %d items, %d blobs in %.1f s; %d bytes down, %d "
              "up, %d resets, %d stalls, %d connections" % (
                  want, len(thumbs | originals), took, link.down, link.up,
                  link.resets, link.stalls, link.connections))
        # A center with no link at all, by bundle: the same set.
        cairo.stop()
        alex = center(w, "alexandria", "EG", "ar,en", hq=hq)
        fedlib.admit(hq, alex)
        b = os.path.join(w.root, "alex.mbb")
        vols = mb("bundle", "export", hq.dir, "--for", "alexandria", "-o",
                  b).split()
        mb("bundle", "import", alex.dir, *vols)
        got = versions(alex)
        check(got == set(mine), "bundle == pull: %d only by bundle %s, %d "
              "only by pull %s" % (len(got - set(mine)),
                                   sorted(got - set(mine))[:3],
                                   len(set(mine) - got),
                                   sorted(set(mine) - got)[:3]))
    finally:
        link.close()
        if cairo is not None:
            cairo.stop()
        hq.addr = hq_addr
        hq.stop()


if __name__ == "__main__":
    main(globals())
