#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Offline bundles and media files. A bundle carries the blobs that the
envelopes it exports refer to, not those of the item's current version:
a published picture edited since into an internal version with new
renditions travels with its published renditions, and the internal
ones stay at home. gc removes what an interrupted bundle import left
in DIR/blobs (.bundle-* staging files) once past the grace period."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import mb  # noqa: E402
from mbtest import Client, check, eq, main  # noqa: E402
# The helpers only: importing test_* names would run them here too.
from test_bundle import (bundle, center, imp, manifest, members,  # noqa: E402
                         resign, sha, tiny_png)

DRAFT = "Kestrel-draft-4410"


def hashes(upload):
    """The blob hashes of an upload's renditions."""
    return {u.rsplit("/", 1)[1] for u in upload["urls"]}


def blobs(path):
    return {n[len("blobs/"):] for n, _ in members(path)
            if n.startswith("blobs/")}


def test_published_version_media_only(w):
    hq = center(w, "moscow", "RU", "ru,en")
    cairo = center(w, "cairo", "EG", "ar,en", hq=hq)
    fedlib.admit(hq, cairo)
    hq.start()
    try:
        mb("user", "add", hq.dir, "edi", "--role", "editor")
        cc = Client(hq.addr)
        cc.token = mb("token", "add", hq.dir, "edi").strip()
        pic1 = cc.post("/api/v1/media", raw=tiny_png(40, 30)).json
        r = cc.post("/api/v1/items", {
            "type": "picture", "language": "en",
            "headlines": [{"value": "A published picture"}],
            "renditions": pic1["renditions"]})
        eq(r.status, 201, "item: %r" % r)
        _, _, c, loc = r.json["item"]["uri"].split(":")
        path = "/api/v1/items/%s/%s" % (c, loc)
        eq(cc.post(path + "/publish").status, 200, "publish")
        # A story whose picture is an association: its blobs go too.
        pic3 = cc.post("/api/v1/media", raw=tiny_png(42, 32)).json
        r = cc.post("/api/v1/items", {
            "type": "text", "language": "en",
            "headlines": [{"value": "A story with a picture"}],
            "bodies": [{"value": "<p>Words.</p>"}],
            "associations": [{"name": "main", "rel": "main",
                              "uri": "urn:mediabridge:moscow:pic-3",
                              "type": "picture",
                              "descriptions": [{"role": "caption",
                                                "value": "A square"}],
                              "renditions": pic3["renditions"]}]})
        eq(r.status, 201, "story: %r" % r)
        _, _, c3, l3 = r.json["item"]["uri"].split(":")
        r = cc.post("/api/v1/items/%s/%s/publish" % (c3, l3))
        eq(r.status, 200, "publish the story: %r" % r)
        # Then an internal edit of the picture with new renditions: the
        # item's current version, which no other center may see.
        pic2 = cc.post("/api/v1/media", raw=tiny_png(41, 31)).json
        g = cc.get(path)
        it = dict(g.json["item"])
        it["headlines"] = [{"value": DRAFT}]
        it["renditions"] = pic2["renditions"]
        r = cc.put(path, {"item": it, "meta": {"audience": "internal"}},
                   headers={"If-Match": g.headers.get("etag")})
        check(r.status in (200, 201), "internal edit: %r" % r)
    finally:
        hq.stop()
    p1, p2, p3 = hashes(pic1), hashes(pic2), hashes(pic3)
    check(p1 and p2 and p3 and not (p1 & p2) and not (p2 & p3),
          "three sets of blobs", (p1, p2, p3))
    b = bundle(w, "all.mbb")
    mb("bundle", "export", hq.dir, "--for", "cairo", "--media", "all",
       "-o", b)
    got = blobs(b)
    eq(got & p2, set(), "no blob of the internal version")
    eq(got & p1, p1, "the published version's blobs")
    eq(got & p3, p3, "the association's blobs")
    log = dict(members(b))["log.ndjson"]
    check(DRAFT.encode() not in log, "nor the internal version itself")
    # Every blob the manifest lists is one the exported lines refer to.
    eq(got, p1 | p3, "nothing else")
    out = mb("bundle", "import", cairo.dir, b)
    check("%d blobs" % len(p1 | p3) in out, "placed at Cairo", out)
    for h in p2:
        check(not os.path.exists(os.path.join(cairo.dir, "blobs", h[:2],
                                              h)), "%s not at Cairo" % h)


def test_blobs_referred_to_and_typed(w):
    """An importer takes only the blobs the bundle's envelopes refer to,
    and records each under the type a network fetch would: the claimed
    one when allowlisted and the bytes begin as it does, else bytes
    (application/octet-stream). A bundle cannot have a center serve
    HTML under image/png."""
    hq = center(w, "moscow", "RU", "ru,en")
    cairo = center(w, "cairo", "EG", "ar,en", hq=hq)
    fedlib.admit(hq, cairo)
    html = b"<html><script>alert(1)</script></html>"
    png = tiny_png(8, 8)
    stray = b"<html>nobody refers to me</html>"
    imp(w, hq, [{"uri": "urn:mediabridge:moscow:pic-%d" % i,
                 "type": "picture", "language": "en",
                 "headlines": [{"value": "Picture %d" % i}],
                 "renditions": [{"name": "original",
                                 "href": "https://moscow.example/media/" +
                                 sha(data),
                                 "contentType": "image/png",
                                 "sizeInBytes": len(data)}]}
                for i, data in enumerate((html, png))])
    good = bundle(w, "good.mbb")
    mb("bundle", "export", hq.dir, "--for", "cairo", "-o", good)
    m = dict(members(good))
    b = bundle(w, "blobs.mbb")
    resign(hq, b, manifest(good), m["registry.json"], m["log.ndjson"],
           [(sha(html), "image/png", html), (sha(png), "image/png", png),
            (sha(stray), "image/png", stray)])
    out = mb("bundle", "import", cairo.dir, b)
    check("2 applied" in out and " 2 blobs" in out, "two blobs", out)
    stored = os.path.join(cairo.dir, "blobs", sha(stray)[:2], sha(stray))
    check(not os.path.exists(stored), "the stray blob is not taken")
    cairo.start()
    try:
        c = Client(cairo.addr)
        r = c.get("/media/" + sha(stray))
        eq(r.status, 404, "nor served")
        r = c.get("/media/" + sha(html))
        eq(r.status, 200, "the HTML blob is served")
        eq(r.headers.get("content-type"), "application/octet-stream",
           "as bytes, not as the image/png claimed")
        r = c.get("/media/" + sha(png))
        eq(r.headers.get("content-type"), "image/png", "a real PNG as one")
    finally:
        cairo.stop()


def test_missing_blob_file_left_out(w):
    """A blob the store has but whose file is gone (removed by hand, a
    disk restored in part) is left out of the bundle with a warning:
    the importer fetches it later. The export goes on."""
    hq = center(w, "moscow", "RU", "ru,en")
    cairo = center(w, "cairo", "EG", "ar,en", hq=hq)
    fedlib.admit(hq, cairo)
    hq.start()
    try:
        mb("user", "add", hq.dir, "edi", "--role", "editor")
        cc = Client(hq.addr)
        cc.token = mb("token", "add", hq.dir, "edi").strip()
        pic = cc.post("/api/v1/media", raw=tiny_png(40, 30)).json
        r = cc.post("/api/v1/items", {
            "type": "picture", "language": "en",
            "headlines": [{"value": "A picture"}],
            "renditions": pic["renditions"]})
        eq(r.status, 201, "item: %r" % r)
        _, _, c, loc = r.json["item"]["uri"].split(":")
        eq(cc.post("/api/v1/items/%s/%s/publish" % (c, loc)).status, 200,
           "publish")
    finally:
        hq.stop()
    hs = sorted(hashes(pic))
    check(len(hs) >= 2, "several blobs", hs)
    gone = hs[0]
    os.remove(os.path.join(hq.dir, "blobs", gone[:2], gone))
    b = bundle(w, "all.mbb")
    p = mb("bundle", "export", hq.dir, "--for", "cairo", "--media", "all",
           "-o", b, check=False, full=True)
    eq(p.returncode, 0, "exported: %s" % p.stderr)
    check(gone[:12] in p.stderr and "missing" in p.stderr, "warns",
          p.stderr)
    eq(blobs(b), set(hs[1:]), "the others travel")
    out = mb("bundle", "import", cairo.dir, b)
    check("1 applied" in out and " %d blob" % (len(hs) - 1) in out,
          "taken", out)


def test_gc_removes_stale_bundle_staging(w):
    hq = center(w, "moscow", "RU", "ru,en")
    top = os.path.join(hq.dir, "blobs")
    os.makedirs(top, exist_ok=True)
    old = os.path.join(top, ".bundle-a1B2c3")
    fresh = os.path.join(top, ".bundle-d4E5f6")
    other = os.path.join(top, ".keep-me")
    for p in (old, fresh, other):
        with open(p, "wb") as f:
            f.write(b"x" * 1000)
    # Older than gc's default grace period (a day), as a killed import
    # leaves it; the fresh one may be an import running right now.
    past = time.time() - 2 * 86400
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    out = mb("gc", hq.dir, "--dry-run")
    check(os.path.exists(old), "--dry-run removes nothing", out)
    check("would remove 1 blobs (1000 bytes)" in out, "but counts it", out)
    out = mb("gc", hq.dir)
    check(not os.path.exists(old), "the stale staging file is gone", out)
    check(os.path.exists(fresh), "the fresh one is kept", out)
    check(os.path.exists(other), "other dotfiles are not gc's", out)
    check("removed 1 blobs (1000 bytes)" in out, "counted", out)
    # A shorter grace period takes the fresh one as well.
    os.utime(fresh, (time.time() - 120, time.time() - 120))
    mb("gc", hq.dir, "--grace", "60")
    check(not os.path.exists(fresh), "past --grace 60")


if __name__ == "__main__":
    main(globals())
