#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Offline bundles (issue 22, 1): centers with no link exchange by file.
HQ and a branch converge through bundles carried "by hand" to the same
(uri, version) set; acks make the next bundle hold only what is missing;
a branch that never had a link starts from a bundle alone (the registry
travels in it); media travel by policy; internal items never do. A
truncated, reordered, tampered, padded or foreign bundle is refused
before anything is stored."""
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import zlib

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import mb  # noqa: E402
from mbtest import check, eq, main  # noqa: E402

SECRET = "Zanzibar-internal-7731"


def items(center, n, lang="en", word="forum", **extra):
    out = []
    for i in range(n):
        it = {"uri": "urn:mediabridge:%s:%s-%d" % (center, word, i),
              "type": "text", "language": lang,
              "headlines": [{"value": "%s %s %d" % (center, word, i)}],
              "bodies": [{"value": "<p>%s story %d</p>" % (word, i)}]}
        it.update(extra)
        out.append(it)
    return out


def imp(w, c, its, *opts):
    path = os.path.join(w.root, "in-%d.ndjson" % len(os.listdir(w.root)))
    with open(path, "w", encoding="utf-8") as f:
        for it in its:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    mb("import", c.dir, *opts, path)


def versions(c):
    """Every (uri, version) the center stores, internal ones aside."""
    out = set()
    for line in mb("export", c.dir).splitlines():
        e = json.loads(line)
        if e["meta"].get("audience") != "internal":
            out.add((e["item"]["uri"], e["item"]["version"]))
    return out


def count(c):
    out = mb("verify", c.dir)
    return int(out.split("verify: ", 1)[1].split(" ", 1)[0])


def members(path):
    """The bundle's members, in order: [(name, bytes)]."""
    raw = subprocess.run(["zstd", "-dc", path], check=True,
                         capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        return [(m.name, t.extractfile(m).read() if m.isfile() else b"")
                for m in t.getmembers()]


def repack(path, mems, extra=None):
    """Writes mems [(name, bytes)] as a tar + zstd at path; extra(tar)
    may add odd members."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in mems:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
        if extra:
            extra(t)
    subprocess.run(["zstd", "-q", "-f", "-o", path], input=buf.getvalue(),
                   check=True)


def manifest(path):
    return json.loads(members(path)[0][1])["bundle"]


def center(w, cid, country, langs, hq=None):
    """A center that need not serve: its address is the configured one."""
    c = fedlib.Center(w.root, cid, country, langs, hq=hq)
    for line in open(os.path.join(c.dir, "mediabridge.conf")):
        k, _, v = line.partition("=")
        if k.strip() == "listen":
            c.addr = v.strip()
    return c


def network(w):
    hq = center(w, "moscow", "RU", "ru,en")
    cairo = center(w, "cairo", "EG", "ar,en", hq=hq)
    fedlib.admit(hq, cairo)
    imp(w, hq, items("moscow", 3) + items("moscow", 2, "ru", "sport"))
    imp(w, hq, [{"uri": "urn:mediabridge:moscow:internal-1",
                 "type": "text", "language": "en",
                 "headlines": [{"value": "Board minutes " + SECRET}],
                 "bodies": [{"value": "<p>%s</p>" % SECRET}]}],
        "--audience", "internal")
    imp(w, cairo, items("cairo", 2, "ar", "news"))
    return hq, cairo


def bundle(w, name):
    return os.path.join(w.root, name)


def test_round_trip_and_acks(w):
    hq, cairo = network(w)
    b1 = bundle(w, "b1.mbb")
    out = mb("bundle", "export", hq.dir, "--for", "cairo", "-o", b1)
    eq(out.strip(), b1, "prints the file")
    names = [n for n, _ in members(b1)]
    eq(names, ["manifest.json", "registry.json", "log.ndjson"], "members")
    man = manifest(b1)
    eq((man["exporter"], man["for"], man["log"]["after"]),
       ("moscow", "cairo", 0), "manifest")
    eq(len(man["envelopes"]), 5, "five public versions")
    eq(man["origins"]["moscow"]["versions"], 5, "per origin")
    raw = subprocess.run(["zstd", "-dc", b1], capture_output=True).stdout
    check(SECRET.encode() not in raw, "the internal item never travels")

    out = mb("bundle", "import", cairo.dir, b1)
    check("5 applied" in out, "applied", out)
    found = mb("search", cairo.dir, "forum")
    check("urn:mediabridge:moscow:forum-0" in found, "searchable", found)

    # Cairo's own items back to HQ by the same road.
    b2 = bundle(w, "b2.mbb")
    mb("bundle", "export", cairo.dir, "--for", "moscow", "-o", b2)
    eq(len(manifest(b2)["envelopes"]), 2, "HQ's own left out (split "
       "horizon): only Cairo's two")
    check("2 applied" in mb("bundle", "import", hq.dir, b2), "at HQ")
    eq(versions(hq), versions(cairo), "the same (uri, version) set")

    # The ack: the next bundle holds only what is missing.
    ack = bundle(w, "ack.json")
    mb("bundle", "ack", cairo.dir, "--for", "moscow", "-o", ack)
    a = json.load(open(ack))["ack"]
    eq((a["from"], a["for"]), ("cairo", "moscow"), "ack")
    imp(w, hq, items("moscow", 1, "en", "late"))
    b3 = bundle(w, "b3.mbb")
    mb("bundle", "export", hq.dir, "--ack", ack, "-o", b3)
    m3 = manifest(b3)
    eq([e["uri"] for e in m3["envelopes"]],
       ["urn:mediabridge:moscow:late-0"], "only the new one")
    eq(m3["log"]["after"], a["through"], "starts at the ack")
    check("1 applied" in mb("bundle", "import", cairo.dir, b3), "applied")
    # Again: nothing new, nothing changes.
    check("0 applied, 5 already here" in mb("bundle", "import", cairo.dir,
                                            b1), "duplicates")
    eq(versions(hq), versions(cairo), "converged")
    eq(mb("verify", cairo.dir, full=True).returncode, 0, "verify")

    # An ack forged by another key is refused.
    forged = json.load(open(ack))
    forged["ack"]["through"] = 0
    bad = bundle(w, "forged-ack.json")
    json.dump(forged, open(bad, "w"))
    p = mb("bundle", "export", hq.dir, "--ack", bad, "-o",
           bundle(w, "x.mbb"), check=False, full=True)
    eq(p.returncode, 1, "forged ack")
    check("bad signature" in p.stderr, "says so", p.stderr)
    check(not os.path.exists(bundle(w, "x.mbb")), "nothing written")

    # Cairo's own ack, once HQ has revoked Cairo: its key no longer
    # speaks for it.
    mb("center", "revoke", hq.dir, "cairo")
    p = mb("bundle", "export", hq.dir, "--ack", ack, "-o",
           bundle(w, "x.mbb"), check=False, full=True)
    eq(p.returncode, 1, "a revoked center's ack")
    check("revoked" in p.stderr, "says so", p.stderr)
    check(not os.path.exists(bundle(w, "x.mbb")), "nothing written")


def test_gaps_and_volumes(w):
    hq, cairo = network(w)
    b = bundle(w, "vol.mbb")
    out = mb("bundle", "export", hq.dir, "--for", "cairo", "--max-size",
             "1k", "-o", b).split()
    check(len(out) >= 3, "several volumes: %s" % out)
    eq(out[1], b + ".2", "named FILE.2")
    mans = [manifest(f) for f in out]
    for prev, cur in zip(mans, mans[1:]):
        eq(cur["log"]["after"], prev["log"]["through"], "contiguous")
    # A volume before its predecessor: refused, nothing stored.
    before = count(cairo)
    p = mb("bundle", "import", cairo.dir, out[1], check=False, full=True)
    eq(p.returncode, 1, "volume 2 first")
    check("import the one before it first" in p.stderr, "says why",
          p.stderr)
    eq(count(cairo), before, "nothing stored")
    mb("bundle", "import", cairo.dir, *out)
    eq(count(cairo), before + 5, "all volumes in order")


def test_new_branch_from_a_bundle_alone(w):
    hq, cairo = network(w)
    b2 = bundle(w, "cairo.mbb")
    mb("bundle", "export", cairo.dir, "-o", b2)
    mb("bundle", "import", hq.dir, b2)
    # Manama never had a link: it knows HQ's key, nothing else.
    manama = center(w, "manama", "BH", "ar,en", hq=hq)
    fedlib.admit(hq, manama)
    b = bundle(w, "hq.mbb")
    mb("bundle", "export", hq.dir, "--for", "manama", "-o", b)
    out = mb("bundle", "import", manama.dir, b)
    check("a newer registry" in out, "the registry came with it", out)
    got = versions(manama)
    eq(got, versions(hq), "HQ's and Cairo's items, origins known from "
       "the bundle's registry")
    check(any(u.startswith("urn:mediabridge:cairo:") for u, _ in got),
          "Cairo's items too")
    eq(mb("verify", manama.dir, full=True).returncode, 0, "verify")


def test_revoked_origin_skipped(w):
    """Once a center is revoked, HQ's bundles still carry the versions it
    signed before (the log keeps them): an importer skips those, as a
    pull does, counts them refused, takes the rest and moves its mark
    on, so that the next bundle starts after them."""
    hq, cairo = network(w)
    b = bundle(w, "cairo.mbb")
    mb("bundle", "export", cairo.dir, "-o", b)
    check("2 applied" in mb("bundle", "import", hq.dir, b), "at HQ")
    mb("center", "revoke", hq.dir, "cairo")
    manama = center(w, "manama", "BH", "ar,en", hq=hq)
    fedlib.admit(hq, manama)
    b1 = bundle(w, "hq1.mbb")
    mb("bundle", "export", hq.dir, "--for", "manama", "-o", b1)
    p = mb("bundle", "import", manama.dir, b1, check=False, full=True)
    eq(p.returncode, 0, "taken: %s" % p.stderr)
    check("5 applied" in p.stdout and "2 refused" in p.stdout,
          "HQ's five, Cairo's two refused", p.stdout)
    check("revoked" in p.stderr, "says why", p.stderr)
    got = versions(manama)
    check(not any(u.startswith("urn:mediabridge:cairo:") for u, _ in got),
          "nothing of Cairo's")
    eq(len(got), 5, "HQ's five")
    # The mark moved on: the next bundle follows on from this one.
    imp(w, hq, items("moscow", 1, "en", "late"))
    b2 = bundle(w, "hq2.mbb")
    mb("bundle", "export", hq.dir, "--for", "manama", "-o", b2)
    eq(manifest(b2)["log"]["after"], manifest(b1)["log"]["through"],
       "follows on")
    check("1 applied" in mb("bundle", "import", manama.dir, b2), "next")
    eq(mb("verify", manama.dir, full=True).returncode, 0, "verify")


def test_start_past_the_log(w):
    """A starting point past the end of the exporter's log (--since, or
    an ack's through) is refused and recorded nowhere: taken as the
    mark, every later export for that center would start there and
    leave out what the log gains meanwhile."""
    import base64
    import nacl.signing
    hq, cairo = network(w)
    x = bundle(w, "x.mbb")
    p = mb("bundle", "export", hq.dir, "--for", "cairo", "--since",
           "1000", "-o", x, check=False, full=True)
    eq(p.returncode, 1, "--since past the end")
    check("--since 1000" in p.stderr and "ends at seq" in p.stderr,
          "says why", p.stderr)
    check(not os.path.exists(x), "nothing written")

    # An ack Cairo really signed, whose through is past HQ's log.
    b1 = bundle(w, "b1.mbb")
    mb("bundle", "export", hq.dir, "--for", "cairo", "-o", b1)
    mb("bundle", "import", cairo.dir, b1)
    ack = bundle(w, "ack.json")
    mb("bundle", "ack", cairo.dir, "--for", "moscow", "-o", ack)
    a = json.load(open(ack))["ack"]
    a["through"] = 1000
    key = open(os.path.join(cairo.dir, "keys", "center.key")).read()
    sk = nacl.signing.SigningKey(base64.b64decode(
        key.strip().split(":", 1)[1]))
    sig = sk.sign(jcs({"ack": a})).signature
    far = bundle(w, "far-ack.json")
    open(far, "wb").write(jcs({"ack": a, "signature":
                               base64.b64encode(sig).decode()}))
    p = mb("bundle", "export", hq.dir, "--ack", far, "-o", x, check=False,
           full=True)
    eq(p.returncode, 1, "an ack past the end")
    check("through 1000" in p.stderr and "ends at seq" in p.stderr,
          "says why", p.stderr)
    check(not os.path.exists(x), "nothing written")

    # Neither moved the mark: the next bundle follows on from b1.
    imp(w, hq, items("moscow", 1, "en", "late"))
    b2 = bundle(w, "b2.mbb")
    mb("bundle", "export", hq.dir, "--for", "cairo", "-o", b2)
    eq([e["uri"] for e in manifest(b2)["envelopes"]],
       ["urn:mediabridge:moscow:late-0"], "the new one")
    check("1 applied" in mb("bundle", "import", cairo.dir, b2), "taken")


def tiny_png(w_, h_):
    def chunk(t, data):
        return (struct.pack(">I", len(data)) + t + data +
                struct.pack(">I", zlib.crc32(t + data) & 0xffffffff))
    rows = b"".join(b"\0" + bytes((x * 7 + y * 3) % 256 for x in range(
        w_ * 3)) for y in range(h_))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w_, h_, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_media_by_policy(w):
    hq, cairo = network(w)
    hq.start()
    try:
        mb("user", "add", hq.dir, "edi", "--role", "editor")
        tok = mb("token", "add", hq.dir, "edi").strip()
        from mbtest import Client
        cc = Client(hq.addr)
        cc.token = tok
        pic = cc.post("/api/v1/media", raw=tiny_png(900, 600)).json
        r = cc.post("/api/v1/items", {
            "type": "picture", "language": "en",
            "headlines": [{"value": "A picture from Moscow"}],
            "renditions": pic["renditions"]})
        eq(r.status, 201, "item: %r" % r)
        _, _, center, local = r.json["item"]["uri"].split(":")
        eq(cc.post("/api/v1/items/%s/%s/publish" % (center, local)).status,
           200, "publish")
    finally:
        hq.stop()
    hashes = {u.rsplit("/", 1)[1]: rd for u, rd in zip(pic["urls"],
                                                       pic["renditions"])}
    for media, want in (("none", set()),
                        ("thumbnails", {h for h, rd in hashes.items()
                                        if rd["sizeInBytes"] <= 131072}),
                        ("all", set(hashes))):
        b = bundle(w, "m-%s.mbb" % media)
        mb("bundle", "export", hq.dir, "--since", "0", "--media", media,
           "-o", b)
        got = {n[len("blobs/"):] for n, _ in members(b)
               if n.startswith("blobs/")}
        eq(got, want, "--media %s" % media)
    check(0 < len({h for h, rd in hashes.items()
                   if rd["sizeInBytes"] <= 131072}) < len(hashes),
          "thumbnails is a real subset")
    out = mb("bundle", "import", cairo.dir, bundle(w, "m-all.mbb"))
    check("%d blobs" % len(hashes) in out, "blobs placed", out)
    for h in hashes:
        p = os.path.join(cairo.dir, "blobs", h[:2], h)
        check(os.path.exists(p), "blob %s at Cairo" % h)
        eq(os.stat(p).st_mode & 0o777, 0o644, "readable as every blob is "
           "(serve may run as another user)")
        import hashlib
        eq(hashlib.sha256(open(p, "rb").read()).hexdigest(), h, "its bytes")
    # Again: the blobs are here already, none is added.
    out = mb("bundle", "import", cairo.dir, bundle(w, "m-all.mbb"))
    check(" 0 blobs" in out, "none counted twice", out)


def refused(w, c, path, why):
    before = count(c)
    blobs_before = sorted(os.listdir(os.path.join(c.dir, "blobs"))) \
        if os.path.isdir(os.path.join(c.dir, "blobs")) else []
    p = mb("bundle", "import", c.dir, path, check=False, full=True)
    eq(p.returncode, 1, "refused: %s (%s)" % (why, p.stdout))
    check(why in p.stderr, "names why (%s)" % why, p.stderr)
    eq(count(c), before, "nothing stored (%s)" % why)
    after = sorted(os.listdir(os.path.join(c.dir, "blobs"))) \
        if os.path.isdir(os.path.join(c.dir, "blobs")) else []
    eq(after, blobs_before, "no file left (%s)" % why)


def test_bad_bundles(w):
    hq, cairo = network(w)
    good = bundle(w, "good.mbb")
    mb("bundle", "export", hq.dir, "--for", "cairo", "-o", good)
    mems = members(good)
    raw = open(good, "rb").read()
    bad = bundle(w, "bad.mbb")

    open(bad, "wb").write(raw[:len(raw) // 2])
    refused(w, cairo, bad, "bad.mbb")

    def log_edit(f):
        return [(n, f(d) if n == "log.ndjson" else d) for n, d in mems]
    repack(bad, log_edit(lambda d: d.replace(b"forum story 1",
                                             b"forum story 9")))
    refused(w, cairo, bad, "log.ndjson: its SHA-256 is not the manifest's")

    repack(bad, [mems[0], mems[2], mems[1]])
    refused(w, cairo, bad, "member log.ndjson where registry.json was due")

    repack(bad, mems[:2])
    refused(w, cairo, bad, "truncated: log.ndjson is missing")

    repack(bad, mems + [("blobs/extra", b"x")])
    refused(w, cairo, bad, "member blobs/extra is not in the manifest")

    repack(bad, mems[:1] + [("../registry.json", mems[1][1])] + mems[2:])
    refused(w, cairo, bad, "member ../registry.json where registry.json "
            "was due")

    def symlink(t):
        ti = tarfile.TarInfo("blobs/" + "0" * 64)
        ti.type = tarfile.SYMTYPE
        ti.linkname = "/etc/passwd"
        t.addfile(ti)
    repack(bad, mems, symlink)
    refused(w, cairo, bad, "not in the manifest")

    # A zstd bomb: the log replaced by 200 MB of zeros, tiny compressed.
    repack(bad, mems[:2] + [("log.ndjson", b"\0" * (200 << 20))])
    check(os.path.getsize(bad) < 1 << 20, "compressed small")
    refused(w, cairo, bad, "not the size the manifest says")

    # The manifest changed after signing.
    m = json.loads(mems[0][1])
    m["bundle"]["log"]["through"] += 1
    repack(bad, [("manifest.json", jcs(m))] + mems[1:])
    refused(w, cairo, bad, "bad signature")
    # Signed, but not laid out as a manifest is written (JCS): its
    # signature is checked on its bytes, before any parse.
    m["bundle"]["log"]["through"] -= 1
    check(jcs(m) == mems[0][1], "the test's JCS is the exporter's")
    repack(bad, [("manifest.json", json.dumps(m, indent=1).encode())] +
           mems[1:])
    refused(w, cairo, bad, "as one is written")

    # From another network: its registry is not signed by our HQ.
    stranger = center(w, "stranger", "ZZ", "en")
    imp(w, stranger, items("stranger", 1))
    s = bundle(w, "stranger.mbb")
    mb("bundle", "export", stranger.dir, "-o", s)
    refused(w, cairo, s, "registry: not signed by the pinned HQ key")
    # From a center of ours HQ never admitted (it holds no registry).
    lone = center(w, "lone", "ZZ", "en", hq=hq)
    imp(w, lone, items("lone", 1))
    s = bundle(w, "lone.mbb")
    mb("bundle", "export", lone.dir, "-o", s)
    refused(w, cairo, s, "a center this one does not know")

    # And the good one still goes in.
    check("5 applied" in mb("bundle", "import", cairo.dir, good), "good")

    # From a revoked center.
    b2 = bundle(w, "cairo.mbb")
    mb("bundle", "export", cairo.dir, "--for", "moscow", "-o", b2)
    mb("center", "revoke", hq.dir, "cairo")
    refused(w, hq, b2, "revoked")
    # Nor does HQ write one for it, as the network answers it nothing.
    p = mb("bundle", "export", hq.dir, "--for", "cairo", "-o",
           bundle(w, "for-revoked.mbb"), check=False, full=True)
    eq(p.returncode, 1, "--for a revoked center")
    check("revoked here, and a center not active is sent nothing" in
          p.stderr, "says why", p.stderr)
    check(not os.path.exists(bundle(w, "for-revoked.mbb")), "no file")


def jcs(o):
    """RFC 8785 for what manifests hold (ASCII keys, no floats)."""
    return json.dumps(o, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def sha(b):
    import hashlib
    return hashlib.sha256(b).hexdigest()


def resign(c, path, body, registry, log, blobs=()):
    """A bundle at path signed by c's own key, as a hostile center that
    the registry lists could write one: body is the manifest's bundle
    object (members and envelopes' hashes recomputed), blobs
    [(name's hash, mime, bytes)]."""
    import base64
    import nacl.signing
    key = open(os.path.join(c.dir, "keys", "center.key")).read()
    sk = nacl.signing.SigningKey(base64.b64decode(
        key.strip().split(":", 1)[1]))
    mems = []
    if registry is not None:
        mems.append({"name": "registry.json", "sha256": sha(registry),
                     "size": len(registry)})
    mems.append({"name": "log.ndjson", "sha256": sha(log),
                 "size": len(log)})
    for h, mime, data in blobs:
        mems.append({"name": "blobs/" + h, "sha256": h, "size": len(data),
                     "mime": mime})
    body = dict(body, members=mems)
    lines = log.split(b"\n")[:-1]
    body["envelopes"] = [dict(e, sha256=sha(ln), size=len(ln))
                         for ln, e in zip(lines, body["envelopes"])]
    sig = sk.sign(jcs({"bundle": body})).signature
    files = [("manifest.json", jcs({"bundle": body, "signature":
                                    base64.b64encode(sig).decode()}))]
    if registry is not None:
        files.append(("registry.json", registry))
    files.append(("log.ndjson", log))
    files += [("blobs/" + h, data) for h, _, data in blobs]
    repack(path, files)


def test_signed_but_wrong(w):
    """Bundles the exporter really signed, that must still change
    nothing: made for another center, a version refused, an origin
    nobody knows, a blob twice, a media type that is not one."""
    hq, cairo = network(w)
    manama = center(w, "manama", "BH", "ar,en", hq=hq)
    fedlib.admit(hq, manama)
    good = bundle(w, "good.mbb")
    mb("bundle", "export", hq.dir, "--for", "cairo", "-o", good)
    m = dict(members(good))
    body = json.loads(m["manifest.json"])["bundle"]
    reg, log = m["registry.json"], m["log.ndjson"]
    bad = bundle(w, "bad.mbb")
    centers = mb("center", "list", cairo.dir, check=False, full=True).stdout

    # Re-signed unchanged: taken (the helper writes what the exporter does).
    same = bundle(w, "same.mbb")
    resign(hq, same, body, reg, log)
    eq(manifest(same), body, "the same manifest")

    # Made for Manama: it leaves out what Manama sent or signed, so Cairo
    # taking it would lose those versions for good.
    other = bundle(w, "manama.mbb")
    mb("bundle", "export", hq.dir, "--for", "manama", "-o", other)
    refused(w, cairo, other, "made for manama, not for cairo")

    # One version changed after its origin signed it: the whole bundle
    # is refused, the registry it brings included.
    forged = log.replace(b"moscow forum 1", b"moscow FORGED 1")
    check(forged != log, "forged")
    resign(hq, bad, body, reg, forged)
    refused(w, cairo, bad, "refused")
    check("nothing imported" in mb("bundle", "import", cairo.dir, bad,
                                   check=False, full=True).stderr, "says so")
    eq(mb("center", "list", cairo.dir, check=False, full=True).stdout,
       centers, "the registry it brought is not applied either")

    # A version from an origin neither Cairo nor the registry knows.
    ghost = log.replace(b"urn:mediabridge:moscow:forum-1",
                        b"urn:mediabridge:ghost:forum-1", 1)
    resign(hq, bad, body, reg, ghost)
    refused(w, cairo, bad, "ghost")
    eq(mb("center", "list", cairo.dir, check=False, full=True).stdout,
       centers, "nor here")

    # The same blob twice, and a media type with a header in it.
    blob = b"not really a picture"
    resign(hq, bad, body, reg, log, [(sha(blob), "image/png", blob)] * 2)
    refused(w, cairo, bad, "listed twice")
    resign(hq, bad, body, reg, log,
           [(sha(blob), "text/html\r\nX-Evil: 1", blob)])
    refused(w, cairo, bad, "is not one a bundle has")

    # Nothing of the above left a mark: the good bundle takes all five.
    check("5 applied" in mb("bundle", "import", cairo.dir, same), "good")


def test_usage(w):
    hq = center(w, "moscow", "RU", "ru,en")
    for args, why in (
            (["export", hq.dir], "-o FILE"),
            (["export", hq.dir, "--media", "some", "-o", "x"], "--media"),
            (["export", hq.dir, "--max-size", "lots", "-o", "x"],
             "--max-size"),
            (["export", hq.dir, "--since", "1", "--ack", "a", "-o", "x"],
             "not both"),
            (["import", hq.dir], "FILE"),
            (["ack", hq.dir, "-o", "x"], "--for"),
            (["send", hq.dir], "export, import or ack")):
        p = mb("bundle", *args, check=False, full=True)
        eq(p.returncode, 2, "usage: %s" % args)
        check(why in p.stderr, "names it (%s)" % why, p.stderr)
    p = mb("bundle", "export", hq.dir, "--for", "nowhere", "-o",
           bundle(w, "x.mbb"), check=False, full=True)
    eq(p.returncode, 1, "unknown --for")
    check("nowhere" in p.stderr, "named", p.stderr)


if __name__ == "__main__":
    main(globals())
