#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Per-link policy (issue 22, 2): `peer set` at a branch decides what
crosses its link to HQ. Text always; thumbnails after the text; the
originals only as --media says (never, in the window, or when a reader
asks); --max-rate caps the link (two readers' fetches, and the puller's
batches, share it); --quota counts the bytes, shown by
`peer list` and /metrics, and once used up only text crosses. Bad
arguments are refused and change nothing."""
import os
import random
import re
import string
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import mb  # noqa: E402
from mbtest import Client, check, eq, main  # noqa: E402
from test_bundle import tiny_png  # noqa: E402

ENV = dict(fedlib.ENV, MB_MEDIA_FETCH_MS="200")


def items(n, word):
    return [{"uri": "urn:mediabridge:moscow:%s-%d" % (word, i),
             "type": "text", "language": "en",
             "headlines": [{"value": "%s %d" % (word, i)}],
             "bodies": [{"value": "<p>%s story %d %s</p>" % (
                 word, i, "lorem ipsum " * 20)}]} for i in range(n)]


def editor(hq):
    mb("user", "add", hq.dir, "edi", "--role", "editor")
    cl = Client(hq.addr)
    cl.token = mb("token", "add", hq.dir, "edi").strip()
    return cl


def picture(cl, title, w_=900, h_=600, png=None):
    """Publishes a picture item at HQ: {hash: rendition}."""
    pic = cl.post("/api/v1/media", raw=png or tiny_png(w_, h_)).json
    r = cl.post("/api/v1/items", {
        "type": "picture", "language": "en",
        "headlines": [{"value": title}], "renditions": pic["renditions"]})
    eq(r.status, 201, "item: %r" % r)
    _, _, center, local = r.json["item"]["uri"].split(":")
    eq(cl.post("/api/v1/items/%s/%s/publish" % (center, local)).status, 200,
       "publish")
    return {u.rsplit("/", 1)[1]: rd for u, rd in zip(pic["urls"],
                                                     pic["renditions"])}


def here(c, h):
    return os.path.exists(os.path.join(c.dir, "blobs", h[:2], h))


def uris(c):
    return {u for u, _ in c.versions()}


def network(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    hq.start(env=ENV)
    cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    cairo.start(env=ENV)
    fedlib.admit(hq, cairo)
    return hq, cairo


def split(pic):
    thumbs = {h for h, rd in pic.items() if rd["name"].startswith(
        "thumbnail") or rd.get("width", 10 ** 6) <= 320}
    return thumbs, set(pic) - thumbs


def link(c):
    """The peer list's line for HQ as a dict."""
    return c.peers().get("moscow", {})


def test_thumbnails_then_on_demand(w):
    hq, cairo = network(w)
    try:
        mb("peer", "set", cairo.dir, "moscow", "--media", "thumbnails",
           "--quota", "500M/month")
        hq.publish(items(30, "text"))
        pic = picture(editor(hq), "A picture")
        thumbs, originals = split(pic)
        check(thumbs and originals, "both kinds", pic)
        fedlib.wait_for("the text and the thumbnails", lambda: len(
            uris(cairo)) == 31 and all(here(cairo, h) for h in thumbs), 30)
        time.sleep(2)   # ten rounds of the fetcher
        eq([h for h in originals if here(cairo, h)], [],
           "no original fetched ahead")
        # A reader asks for one: the link allows it on demand.
        big = max(originals, key=lambda h: pic[h]["sizeInBytes"])
        cl = Client(cairo.addr)
        r = cl.get("/media/" + big, auth=False)
        eq(r.status, 200, "on demand: %r" % r)
        eq(len(r.body), pic[big]["sizeInBytes"], "its bytes")
        # The bytes were counted, shown in peer list and /metrics.
        used = int(link(cairo)["used"])
        check(used > pic[big]["sizeInBytes"], "used counted", link(cairo))
        eq(link(cairo)["quota"], "500M/month", "quota shown")
        m = cl.get("/metrics", auth=False).text
        got = re.search(r'mediabridge_peer_link_used_bytes\{peer="moscow"\}'
                        r' (\d+)', m)
        check(got and int(got.group(1)) >= used, "metrics used", m[-800:])
        check('mediabridge_peer_link_quota_bytes{peer="moscow"} 500000000'
              in m, "metrics quota")
    finally:
        cairo.stop()
        hq.stop()


def test_none_window_all_and_quota(w):
    hq, cairo = network(w)
    try:
        cl = editor(hq)
        reader = Client(cairo.addr)
        # none: text only; not even a reader's request crosses.
        mb("peer", "set", cairo.dir, "moscow", "--media", "none")
        hq.publish(items(5, "plain"))
        p1 = picture(cl, "First")
        fedlib.wait_for("the text", lambda: len(uris(cairo)) == 6, 30)
        time.sleep(1.5)
        eq([h for h in p1 if here(cairo, h)], [], "media none: nothing")
        r = reader.get("/media/" + next(iter(p1)), auth=False)
        eq(r.status, 503, "media none: not on demand either")
        # window, now outside it: thumbnails come, originals do not.
        now = time.localtime()
        m = now.tm_hour * 60 + now.tm_min
        out_of = "%02d:%02d-%02d:%02d" % ((m + 120) // 60 % 24, m % 60,
                                          (m + 180) // 60 % 24, m % 60)
        mb("peer", "set", cairo.dir, "moscow", "--media", "window",
           "--window", out_of)
        t1, o1 = split(p1)
        fedlib.wait_for("thumbnails", lambda: all(here(cairo, h)
                                                  for h in t1), 20)
        time.sleep(1.5)
        eq([h for h in o1 if here(cairo, h)], [], "outside the window")
        # ... and inside it: the originals follow.
        inside = "%02d:%02d-%02d:%02d" % ((m + 1440 - 60) // 60 % 24,
                                          m % 60, (m + 60) // 60 % 24,
                                          m % 60)
        mb("peer", "set", cairo.dir, "moscow", "--window", inside)
        fedlib.wait_for("originals in the window", lambda: all(
            here(cairo, h) for h in o1), 20)
        # all, with a quota already used up: text only again.
        mb("peer", "set", cairo.dir, "moscow", "--media", "all", "--quota",
           "1k/month")
        check(int(link(cairo)["used"]) > 1000, "over", link(cairo))
        p2 = picture(cl, "Second", 880, 590)
        check(not set(p2) & set(p1), "other blobs")
        fedlib.wait_for("its text", lambda: len(uris(cairo)) == 7, 30)
        time.sleep(1.5)
        eq([h for h in p2 if here(cairo, h)], [], "quota used up")
        r = reader.get("/media/" + next(iter(p2)), auth=False)
        eq(r.status, 503, "over quota: not on demand")
        check("quota" in r.text, "says why", r.text)
        m_ = reader.get("/metrics", auth=False).text
        check('mediabridge_peer_link_over_quota{peer="moscow"} 1' in m_,
              "metrics over quota")
        # A larger quota: the rest follows.
        mb("peer", "set", cairo.dir, "moscow", "--quota", "1G/month")
        fedlib.wait_for("the rest", lambda: all(here(cairo, h)
                                                for h in p2), 20)
    finally:
        cairo.stop()
        hq.stop()


def part_of(c, h):
    """Where c keeps the bytes of blob h that came so far."""
    return os.path.join(c.dir, "blobs", h[:2], h) + ".part"


def fetching(c, hashes):
    """Those of hashes whose fetch has started at c (a .part with bytes)."""
    return [h for h in hashes if os.path.exists(part_of(c, h)) and
            os.path.getsize(part_of(c, h)) > 0]


def capped_picture(hq, cairo, media, rate):
    """Cairo's link to HQ set to --media and --max-rate, then a big
    picture published at HQ, and its thumbnails come: (pic, thumbnails,
    originals)."""
    mb("peer", "set", cairo.dir, "moscow", "--media", media,
       "--max-rate", rate)
    pic = picture(editor(hq), "Big")
    thumbs, originals = split(pic)
    fedlib.wait_for("the thumbnails", lambda: all(here(cairo, h)
                                                  for h in thumbs), 60)
    return pic, thumbs, originals


def fetcher_on_original(hq, cairo):
    """Cairo's link to HQ at --media all and 80k (10,000 bytes/s), a big
    picture published, and the background fetcher on one of its
    originals: (pic, originals)."""
    pic, _, originals = capped_picture(hq, cairo, "all", "80k")
    fedlib.wait_for("the fetcher on an original",
                    lambda: fetching(cairo, originals), 60)
    return pic, originals


def big_original(hq, cairo):
    """Cairo's link to HQ at --media thumbnails and 160k (20,000
    bytes/s), a big picture published and its thumbnails come: (pic,
    originals, the largest original, its size)."""
    pic, _, originals = capped_picture(hq, cairo, "thumbnails", "160k")
    big = max(originals, key=lambda h: pic[h]["sizeInBytes"])
    size = pic[big]["sizeInBytes"]
    check(size > 60000, "a blob worth timing", size)
    return pic, originals, big, size


def test_rate_cap(w):
    hq, cairo = network(w)
    try:
        pic, originals, big, size = big_original(hq, cairo)
        eq([h for h in originals if here(cairo, h)], [], "not here yet")
        t0 = time.monotonic()
        r = Client(cairo.addr, timeout=120).get("/media/" + big, auth=False)
        took = time.monotonic() - t0
        eq(r.status, 200, "fetched: %r" % r)
        check(took >= size / 20000.0 * 0.8, "capped: %d bytes in %.2f s" % (
            size, took))
        eq(link(cairo)["max_rate"], "160k", "shown")
        # Two readers at once: the cap is the link's, so their fetches
        # share it (neither waits for the other's; together no more
        # than 160k) rather than each taking 160k.
        two = sorted((h for h in originals if h != big),
                     key=lambda h: -pic[h]["sizeInBytes"])[:2]
        sizes = [pic[h]["sizeInBytes"] for h in two]
        check(len(two) == 2 and min(sizes) > 20000, "two more to fetch",
              sizes)
        got, done = {}, {}

        def fetch(h):
            got[h] = Client(cairo.addr, timeout=120).get("/media/" + h,
                                                         auth=False)
            done[h] = time.monotonic()
        ts = [threading.Thread(target=fetch, args=(h,)) for h in two]
        t0 = time.monotonic()
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        took = time.monotonic() - t0
        for h in two:
            eq(got[h].status, 200, "fetched: %r" % got[h])
            eq(len(got[h].body), pic[h]["sizeInBytes"], "its bytes")
        check(took >= sum(sizes) / 20000.0 * 0.8, "together capped: %r bytes "
              "in %.2f s" % (sizes, took))
        # Shared, the first finishes near twice its own time alone; in
        # turns it would finish in its own time.
        first = min(done.values()) - t0
        check(first >= 1.5 * min(sizes) / 20000.0, "shared, not in turns: "
              "the first of %r done in %.2f s" % (sizes, first))
    finally:
        cairo.stop()
        hq.stop()


def noise_items(n, size, seed):
    """n text items of about size bytes of words zstd cannot shrink much,
    so that their bytes on the wire are known roughly in advance."""
    rnd = random.Random(seed)
    chars = string.ascii_letters + string.digits
    return [{"uri": "urn:mediabridge:moscow:noise-%d-%d" % (seed, i),
             "type": "text", "language": "en",
             "headlines": [{"value": "Noise %d" % i}],
             "bodies": [{"value": "<p>%s</p>" % " ".join(
                 "".join(rnd.choice(chars) for _ in range(7))
                 for _ in range(size // 8))}]} for i in range(n)]


def test_text_and_media_share(w):
    """The puller's batches and a reader's fetch over one capped link
    book their bytes on the same line: together no more than the cap,
    not the cap each."""
    hq, cairo = network(w)
    try:
        pic, originals, big, size = big_original(hq, cairo)
        # About as many bytes of text as the picture has.
        texts = noise_items(max(20, size // 2000), 2000, 11)
        n0 = len(uris(cairo))
        before = int(link(cairo)["used"])
        got = {}

        def read():
            got["r"] = Client(cairo.addr, timeout=120).get("/media/" + big,
                                                          auth=False)
            got["at"] = time.monotonic()
        t0 = time.monotonic()
        reader = threading.Thread(target=read)
        reader.start()
        hq.publish(texts)
        fedlib.wait_for("the text", lambda: len(uris(cairo)) ==
                        n0 + len(texts), 120)
        text_at = time.monotonic()
        reader.join(120)
        eq(got["r"].status, 200, "fetched: %r" % got["r"])
        eq(len(got["r"].body), size, "its bytes")
        took = max(text_at, got["at"]) - t0
        # The puller counts a round's bytes on the link after its commit.
        fedlib.wait_for("the text's bytes counted", lambda: int(
            link(cairo)["used"]) - before > size * 1.6, 10)
        used = int(link(cairo)["used"]) - before
        check(used > size * 1.6, "the text's bytes and the picture's "
              "counted: %d for a %d-byte picture" % (used, size))
        # Each capped alone they would overlap at twice the cap: the
        # whole in about half the time.
        check(took >= used / 20000.0 * 0.8, "together capped: %d bytes in "
              "%.2f s (the text in %.2f s)" % (used, took, text_at - t0))
    finally:
        cairo.stop()
        hq.stop()


def test_reader_before_fetcher(w):
    """Over a capped link the background fetcher's original gives way to
    a reader's: the reader's video does not wait for a picture nobody
    asked for, and the paused one keeps its .part to resume from. serve
    stops at once, though a transfer over the slow link is under way."""
    hq, cairo = network(w)
    try:
        pic, originals = fetcher_on_original(hq, cairo)

        def part(h):
            return part_of(cairo, h)
        a = fetching(cairo, originals)[0]
        b = min((h for h in originals if h != a and not here(cairo, h)),
                key=lambda h: pic[h]["sizeInBytes"])
        r = Client(cairo.addr, timeout=120).get("/media/" + b, auth=False)
        eq(r.status, 200, "the reader's, at once: %r" % r)
        eq(len(r.body), pic[b]["sizeInBytes"], "its bytes")
        check(not here(cairo, a), "the fetcher's original gave way: it is "
              "not here before the reader's")
        check(os.path.exists(part(a)), "its .part kept, to resume from")
        with open(os.path.join(cairo.dir, "serve.log")) as f:
            check("paused for a reader's fetch" in f.read(), "said in the log")
        # serve's stop does not wait for a transfer over the slow link
        # (the originals left would take half a minute at this rate).
        left = [h for h in originals if not here(cairo, h)]
        check(len(left) >= 2, "originals still to come: %r" % left)
        fedlib.wait_for("the fetcher on one again", lambda: any(
            os.path.exists(part(h)) for h in left), 30)
        t0 = time.monotonic()
        cairo.stop()
        took = time.monotonic() - t0
        check(took < 8, "serve stopped in %.1f s, mid-transfer" % took)
        check(any(os.path.exists(part(h)) for h in left) or
              any(here(cairo, h) for h in left), "what came is kept")
    finally:
        cairo.stop()
        hq.stop()


def text_wire(c):
    """The bytes of the log's answers that came from HQ (/metrics)."""
    m = Client(c.addr).get("/metrics", auth=False).text
    got = re.search(r'mediabridge_peer_wire_bytes_total\{peer="moscow"\} '
                    r'(\d+)', m)
    check(got, "wire bytes in /metrics", m[-600:])
    return int(got.group(1))


def test_text_before_fetcher(w):
    """Text goes first: a batch of the log coming over a capped link
    stops the background fetcher's original (its .part kept) and has the
    link to itself, instead of sharing it; the original resumes after."""
    hq, cairo = network(w)
    try:
        pic, originals = fetcher_on_original(hq, cairo)

        def part(h):
            return part_of(cairo, h)
        texts = noise_items(60, 2000, 12)
        n0 = len(uris(cairo))
        wire0 = text_wire(cairo)
        t0 = time.monotonic()
        hq.publish(texts)
        fedlib.wait_for("the text", lambda: len(uris(cairo)) ==
                        n0 + len(texts), 60)
        took = time.monotonic() - t0
        # The puller adds a round's wire bytes after its commit.
        fedlib.wait_for("the batch counted", lambda: text_wire(cairo) -
                        wire0 > 80000, 10)
        wire = text_wire(cairo) - wire0
        check(wire > 80000, "a batch worth timing: %d bytes" % wire)
        # Sharing the link with the original, it would take twice its
        # bytes' time at the cap.
        check(took < 1.6 * wire / 10000.0, "the text had the link: %d "
              "bytes in %.2f s" % (wire, took))
        with open(os.path.join(cairo.dir, "serve.log")) as f:
            check("paused for the text coming" in f.read(), "said in the log")
        left = [h for h in originals if not here(cairo, h)]
        check(left and any(os.path.exists(part(h)) for h in left),
              "a .part kept to resume from")
        # ... and the fetcher goes on after the text.
        sizes = {h: os.path.getsize(part(h)) for h in left
                 if os.path.exists(part(h))}
        fedlib.wait_for("the original resumed", lambda: any(
            here(cairo, h) or (os.path.exists(part(h)) and
                               os.path.getsize(part(h)) > sizes.get(h, 0))
            for h in left), 30)
    finally:
        cairo.stop()
        hq.stop()


def test_bad_arguments(w):
    c = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    mb("peer", "set", c.dir, "cairo", "--media", "thumbnails")
    before = mb("peer", "list", c.dir)
    for args, why in ((["--media", "some"], "--media"),
                      (["--window", "25:00-01:00"], "window"),
                      (["--window", "10:00-10:00"], "empty"),
                      (["--max-rate", "fast"], "max-rate"),
                      (["--max-rate", "100"], "at least 800"),
                      (["--quota", "5G/year"], "quota"),
                      (["--quota", "-5M/day"], "quota"),
                      (["--media", "window"], "--window")):
        p = mb("peer", "set", c.dir, "cairo", *args, check=False, full=True)
        check(p.returncode != 0, "refused: %s" % args)
        check(why in p.stderr, "names %s: %s" % (why, p.stderr))
    p = mb("peer", "set", c.dir, "Not An Id", check=False, full=True)
    check(p.returncode != 0 and "CENTER" in p.stderr, "bad id", p.stderr)
    p = mb("peer", "set", c.dir, "moscow", check=False, full=True)
    check(p.returncode != 0 and "this center" in p.stderr, "itself",
          p.stderr)
    eq(mb("peer", "list", c.dir), before, "nothing changed")


if __name__ == "__main__":
    main(globals())
