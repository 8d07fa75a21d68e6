# SPDX-License-Identifier: MIT
"""HTTP itself, on a real serve process: conditional GETs (ETag and
If-None-Match, 304), HEAD, Range on media (206, 416, If-Range), gzip and
Vary with an ETag per encoding, 405 with Allow for any method, the
security headers on every kind of answer, and malformed requests
answered 400 with the server still up."""

import gzip
import os
import socket
import struct
import zlib

from mbtest import SRCDIR, check, eq, main

ITEMS = os.path.join(SRCDIR, "tests", "site", "items.ndjson")
ITEM = "/api/v1/items/cairo/01jsite0ar000000000000000a"
PAGE = "/ar/items/cairo/01jsite0ar000000000000000a"


def cairo(w):
    c = w.center("cairo", languages="ar,en,fr,ru")
    c.cli("import", ITEMS)
    c.user_add("edi", "editor")
    c.serve()
    return c


def png(w=64, h=48):
    """A real (noisy) RGB PNG made here: no tool needed."""
    def chunk(t, data):
        return (struct.pack(">I", len(data)) + t + data +
                struct.pack(">I", zlib.crc32(t + data) & 0xffffffff))
    rows = b"".join(b"\0" + bytes((x * 7 + y * 13 + (x * y) % 251) & 255
                                  for x in range(w * 3)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def raw(c, data, timeout=10):
    """Sends bytes as they are on a new connection; the answer's bytes."""
    host, port = c.addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=timeout)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            if not b:
                break
            out += b
            if b"\r\n\r\n" in out:
                head, _, body = out.partition(b"\r\n\r\n")
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        if len(body) >= int(line.split(b":")[1]):
                            return out
        return out
    finally:
        s.close()


def status_of(answer):
    check(answer.startswith(b"HTTP/1."), "an HTTP answer", answer[:200])
    return int(answer.split(b" ", 2)[1])


def test_conditional_get(w):
    c = cairo(w)
    ed = c.client(c.token_add("edi"))
    cl = c.client()
    for path in (ITEM, PAGE, "/feeds/ar.atom", "/api/v1/items"):
        r = cl.get(path)
        eq(r.status, 200, path)
        tag = r.headers.get("etag")
        check(tag and tag.startswith('"') and tag.endswith('"'),
              "a strong ETag on " + path, r.headers)
        r2 = cl.get(path, headers={"If-None-Match": tag})
        eq(r2.status, 304, "If-None-Match on " + path)
        eq(r2.body, b"", "304 has no body")
        eq(r2.headers.get("etag"), tag, "304 repeats the ETag")
        # A list of tags, one of them ours, matches too (RFC 9110 13.1.2).
        r3 = cl.get(path, headers={"If-None-Match": '"nope", ' + tag})
        eq(r3.status, 304, "a list holding the tag on " + path)
        eq(cl.get(path, headers={"If-None-Match": '"nope"'}).status, 200,
           "another tag on " + path)
    # A new version: the old tag no longer matches, the new one does.
    old = cl.get(ITEM).headers["etag"]
    cur = cl.get(ITEM).json["item"]
    cur["headlines"][0]["value"] = "Edited headline"
    r = ed.put(ITEM, cur, headers={"If-Match": old})
    eq(r.status, 200, "an update with the ETag GET sent: %r" % r)
    r = cl.get(ITEM, headers={"If-None-Match": old})
    eq(r.status, 200, "stale tag after an edit")
    check(r.headers["etag"] != old, "a new ETag", r.headers)
    eq(r.json["item"]["headlines"][0]["value"], "Edited headline", "edit")
    # Signed-in answers are private and never 304 from the shared cache.
    r = ed.get(ITEM)
    check("private" in r.headers.get("cache-control", ""),
          "credentials: private", r.headers)


def test_head(w):
    c = cairo(w)
    cl = c.client()
    for path in (ITEM, PAGE, "/feeds/ar.json", "/healthz", "/ar/"):
        g = cl.get(path)
        h = cl.request("HEAD", path)
        eq(h.status, g.status, "HEAD status of " + path)
        eq(h.body, b"", "HEAD has no body: " + path)
        eq(h.headers.get("content-type"), g.headers.get("content-type"),
           "HEAD content-type of " + path)
        eq(h.headers.get("content-length"), str(len(g.body)),
           "HEAD Content-Length is GET's length: " + path)
        if "etag" in g.headers:
            eq(h.headers.get("etag"), g.headers["etag"], "HEAD ETag")
    eq(cl.request("HEAD", "/api/v1/items/cairo/nosuch").status, 404,
       "HEAD of nothing")
    # The connection is still good after HEADs (no body was expected).
    eq(cl.get("/healthz").status, 200, "keep-alive after HEAD")


def test_range_on_media(w):
    c = cairo(w)
    ed = c.client(c.token_add("edi"))
    r = ed.post("/api/v1/media", raw=png(),
                headers={"Content-Type": "application/octet-stream"})
    eq(r.status, 201, "upload: %r" % r)
    url = r.json["urls"][0]
    anon = c.client()
    whole = anon.get(url)
    eq(whole.status, 200, "whole")
    size = len(whole.body)
    check(size > 100, "a blob of some size", size)
    eq(whole.headers.get("accept-ranges"), "bytes", "Accept-Ranges")
    tag = whole.headers["etag"]
    cases = [("bytes=0-9", 0, 9), ("bytes=10-19", 10, 19),
             ("bytes=%d-" % (size - 5), size - 5, size - 1),
             ("bytes=-7", size - 7, size - 1),
             ("bytes=%d-%d" % (size - 3, size + 100), size - 3, size - 1),
             ("bytes=-%d" % (size + 50), 0, size - 1)]
    for rng, a, b in cases:
        g = anon.get(url, headers={"Range": rng})
        eq(g.status, 206, rng)
        eq(g.body, whole.body[a:b + 1], "bytes of " + rng)
        eq(g.headers.get("content-range"), "bytes %d-%d/%d" % (a, b, size),
           "Content-Range of " + rng)
        eq(g.headers.get("content-length"), str(b - a + 1), "length")
    for rng in ("bytes=%d-" % size, "bytes=%d-%d" % (size + 1, size + 9),
                "bytes=-0"):
        g = anon.get(url, headers={"Range": rng})
        eq(g.status, 416, rng)
        eq(g.headers.get("content-range"), "bytes */%d" % size,
           "416 names the size: " + rng)
    # Not bytes: the range is ignored and the whole is sent.
    g = anon.get(url, headers={"Range": "pages=1-2"})
    eq((g.status, g.body), (200, whole.body), "another unit: the whole")
    # If-Range: the range only while the tag still matches.
    g = anon.get(url, headers={"Range": "bytes=0-3", "If-Range": tag})
    eq((g.status, g.body), (206, whole.body[:4]), "If-Range matching")
    g = anon.get(url, headers={"Range": "bytes=0-3", "If-Range": '"other"'})
    eq((g.status, g.body), (200, whole.body), "If-Range not matching")
    g = anon.request("HEAD", url, headers={"Range": "bytes=0-3"})
    eq((g.status, g.body), (206, b""), "HEAD with a range")
    eq(anon.get(url, headers={"If-None-Match": tag}).status, 304,
       "media: 304")


def test_compression_and_vary(w):
    c = cairo(w)
    cl = c.client()
    for path in (PAGE, ITEM, "/feeds/ar.atom", "/static/site.css"):
        plain = cl.get(path)
        z = cl.get(path, headers={"Accept-Encoding": "gzip"})
        eq((plain.status, z.status), (200, 200), path)
        check("content-encoding" not in plain.headers,
              "identity unless asked: " + path)
        eq(z.headers.get("content-encoding"), "gzip", "gzip: " + path)
        check("accept-encoding" in z.headers.get("vary", "").lower(),
              "Vary: Accept-Encoding on " + path, z.headers)
        check("accept-encoding" in plain.headers.get("vary", "").lower(),
              "Vary on the identity answer too: " + path, plain.headers)
        eq(gzip.decompress(z.body), plain.body, "same bytes: " + path)
        if "etag" in plain.headers:
            check(z.headers["etag"] != plain.headers["etag"],
                  "an ETag per encoding: " + path)
            # Each encoding's tag revalidates its own encoding.
            eq(cl.get(path, headers={"Accept-Encoding": "gzip",
                                     "If-None-Match": z.headers["etag"]})
               .status, 304, "gzip 304: " + path)
    # q=0 refuses gzip, however it is spelt (only ";q=0" did), and a
    # coding that only contains the word is not gzip.
    for ae in ("gzip;q=0", "gzip; q=0", "gzip;Q=0", "gzip;q=0.000",
               "x-gzip;q=0", "gzipx", "br;q=1, gzip ;q=0"):
        r = cl.get(PAGE, headers={"Accept-Encoding": ae})
        check(r.headers.get("content-encoding") != "gzip", ae, r.headers)
    for ae in ("GZIP", "br, gzip;q=0.5", "*", "x-gzip"):
        r = cl.get(PAGE, headers={"Accept-Encoding": ae})
        eq(r.headers.get("content-encoding"), "gzip", ae)


def test_methods(w):
    c = cairo(w)
    cl = c.client()
    before = c.metric("mediabridge_log_seq")
    for method, path, allowed in (
            ("DELETE", "/healthz", {"GET"}),
            ("FROB", "/healthz", {"GET"}),
            ("PATCH", "/api/v1/items", {"GET", "POST"}),
            ("PUT", "/api/v1/items", {"GET", "POST"}),
            ("TRACE", "/healthz", {"GET"}),
            ("POST", "/feeds/ar.atom", {"GET"})):
        r = cl.request(method, path, raw=b"")
        eq(r.status, 405, method + " " + path)
        got = {m.strip() for m in r.headers.get("allow", "").split(",")}
        check(allowed <= got, "Allow on %s %s" % (method, path), got)
        eq(r.error_code(), "method_not_allowed", "JSON error code")
    eq(cl.request("DELETE", "/nowhere/at/all").status, 404, "no route: 404")
    eq(c.metric("mediabridge_log_seq"), before, "nothing written")


def test_security_headers(w):
    c = cairo(w)
    cl = c.client()
    answers = {"page": cl.get(PAGE), "api": cl.get(ITEM),
               "404 page": cl.get("/ar/nothing"),
               "404 api": cl.get("/api/v1/nothing"),
               "405": cl.request("DELETE", "/healthz"),
               "html": cl.get(ITEM + "/html"),
               "feed": cl.get("/feeds/ar.atom"),
               "redirect": cl.get("/")}
    for what, r in answers.items():
        eq(r.headers.get("x-content-type-options"), "nosniff",
           "nosniff on " + what)
        check("server" not in r.headers or "/" not in r.headers["server"],
              "no server version on " + what, r.headers.get("server"))
    for what in ("page", "404 page", "html"):
        csp = answers[what].headers.get("content-security-policy", "")
        check("default-src 'none'" in csp, "CSP on " + what, csp)
        check("script-src" not in csp or "'unsafe" not in csp,
              "no unsafe script on " + what, csp)
    csp = answers["page"].headers["content-security-policy"]
    check("frame-ancestors 'none'" in csp, "no framing", csp)
    check("base-uri 'none'" in csp, "no base", csp)
    eq(answers["page"].headers.get("referrer-policy"), "same-origin",
       "Referrer-Policy")


def test_malformed(w):
    c = cairo(w)
    before = c.metric("mediabridge_log_seq")
    bad = [
        b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\n\r\n",          # HTTP/1.1 needs Host
        b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    ]
    for data in bad:
        a = raw(c, data)
        eq(status_of(a), 400, "malformed: %r" % data[:60])
    # An answer that is JSON but broken, and JSON too deep.
    tok = c.token_add("edi")
    for body in (b"{{{{", b"[" * 100 + b"]" * 100, b'{"a":1,"a":2}',
                 b"\xff\xfe{}"):
        a = raw(c, b"POST /api/v1/items HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Bearer " + tok.encode() + b"\r\n"
                b"Content-Type: application/json\r\nContent-Length: " +
                str(len(body)).encode() + b"\r\n\r\n" + body)
        check(status_of(a) in (400, 413), "bad JSON %r" % body[:20],
              a[:200])
    # Line noise: answered or dropped, never a hang or a crash.
    raw(c, b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\0" * 64,
        timeout=5)
    raw(c, b"GARBAGE\r\n\r\n", timeout=5)
    eq(c.metric("mediabridge_log_seq"), before, "nothing written")
    check(c.proc.poll() is None, "serve still up")
    eq(c.client().get("/healthz").status, 200, "still answering")


if __name__ == "__main__":
    main(globals())
