#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Errors and limits: each error status with its JSON body, oversized and
malformed requests, slow clients; the log is unchanged after each one."""
import html.parser
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
from mbtest import check, eq, main  # noqa: E402


def item(h):
    return {"type": "text", "headlines": [{"value": h}],
            "bodies": [{"value": "<p>%s</p>" % h}]}


def setup(w, conf_extra=""):
    c = w.center("cairo")
    if conf_extra:
        p = os.path.join(c.dir, "mediabridge.conf")
        lines = open(p).read().splitlines()
        for kv in conf_extra.strip().splitlines():
            k = kv.split("=")[0].strip()
            lines = [ln for ln in lines if ln.split("=")[0].strip() != k]
            lines.insert(lines.index("[server]") + 1, kv)
        open(p, "w").write("\n".join(lines) + "\n")
    c.user_add("edi", "editor")
    c.serve()
    return c, c.client(c.token_add("edi"))


def raw(c, data, timeout=5):
    host, port = c.addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return out


def test_error_statuses(w):
    c, ed = setup(w, "max_body = 65536\n")
    first = ed.post("/api/v1/items", item("first"))
    eq(first.status, 201, "create")
    seq = c.metric("mediabridge_log_seq")
    cases = [
        ("bad JSON", 400, "bad_json",
         dict(method="POST", path="/api/v1/items", raw=b'{"type": ',
              headers={"Content-Type": "application/json"})),
        ("duplicate keys", 400, "bad_json",
         dict(method="POST", path="/api/v1/items",
              raw=b'{"type":"text","type":"text"}',
              headers={"Content-Type": "application/json"})),
        ("invalid UTF-8", 400, "bad_json",
         dict(method="POST", path="/api/v1/items",
              raw=b'{"headlines":[{"value":"\xff"}]}',
              headers={"Content-Type": "application/json"})),
        ("not ninjs", 400, "invalid",
         dict(method="POST", path="/api/v1/items",
              body={"colour": "red"})),
        ("not an object", 400, "invalid",
         dict(method="POST", path="/api/v1/items", body=[1, 2])),
        ("signed envelope", 400, "invalid",
         dict(method="POST", path="/api/v1/items", body=first.json)),
        ("other center's uri", 400, "invalid",
         dict(method="POST", path="/api/v1/items",
              body=dict(item("x"), uri="urn:mediabridge:lagos:abc"))),
        ("existing uri", 409, "exists",
         dict(method="POST", path="/api/v1/items",
              body=dict(item("x"), uri=first.json["item"]["uri"]))),
        ("deep JSON", 413, "too_large",
         dict(method="POST", path="/api/v1/items",
              raw=b"[" * 100 + b"]" * 100,
              headers={"Content-Type": "application/json"})),
        ("oversized body", 413, "too_large",
         dict(method="POST", path="/api/v1/items",
              raw=b'{"x":"' + b"a" * 70000 + b'"}',
              headers={"Content-Type": "application/json"})),
        ("wrong media type", 415, "unsupported_media_type",
         dict(method="POST", path="/api/v1/items", raw=b"hello",
              headers={"Content-Type": "text/plain"})),
        ("unknown path", 404, "not_found", dict(method="GET",
                                                path="/api/v1/nope")),
        ("unknown item", 404, "not_found",
         dict(method="GET", path="/api/v1/items/cairo/nothere")),
        ("bad item id", 404, "not_found",
         dict(method="GET", path="/api/v1/items/NOT%20VALID/x")),
        ("wrong method", 405, "method_not_allowed",
         dict(method="DELETE", path="/api/v1/items")),
        ("no If-Match", 428, "precondition_required",
         dict(method="PUT", path="/api/v1/items/cairo/" +
              first.json["item"]["uri"].split(":")[3], body=item("y"))),
        ("stale If-Match", 412, "stale_version",
         dict(method="PUT", path="/api/v1/items/cairo/" +
              first.json["item"]["uri"].split(":")[3], body=item("y"),
              headers={"If-Match": "5"})),
        ("bad token", 401, "unauthorized",
         dict(method="POST", path="/api/v1/items", body=item("z"),
              headers={"Authorization": "Bearer nope"})),
    ]
    for what, status, code, kw in cases:
        r = ed.request(**kw)
        eq(r.status, status, what + ": " + r.text[:200])
        eq(r.error_code(), code, what + " code")
        check(r.json["error"]["message"], what + " message")
        if status == 405:
            check("GET" in r.headers.get("allow", ""), "Allow header")
        eq(c.metric("mediabridge_log_seq"), seq, what + ": log unchanged")
    r = c.client().post("/api/v1/items", item("anon"))
    eq(r.status, 401, "anonymous create")
    check("bearer" in r.headers.get("www-authenticate", "").lower(),
          "WWW-Authenticate")
    eq(c.metric("mediabridge_items"), 1, "one item after all refusals")


def test_malformed_and_huge_requests(w):
    c, ed = setup(w)
    seq = c.metric("mediabridge_log_seq")
    out = raw(c, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
              b"a" * 100000 + b"\r\n\r\n")
    check(out == b"" or out.startswith(b"HTTP/1.1 4"), "huge header refused",
          out[:80])
    out = raw(c, b"NONSENSE\r\n\r\n")
    check(out == b"" or out.startswith(b"HTTP/1.1 4"), "junk request",
          out[:80])
    out = raw(c, b"GET /" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check(out == b"" or out.startswith(b"HTTP/1.1 4"), "huge URL refused",
          out[:80])
    out = raw(c, b"POST /api/v1/items HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\nContent-Length: "
              b"99999999999\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 413"), "huge Content-Length", out[:80])
    eq(ed.get("/healthz").status, 200, "still serving")
    eq(c.metric("mediabridge_log_seq"), seq, "log unchanged")


def test_slow_client_timeout(w):
    c, ed = setup(w, "timeout = 2\n")
    host, port = c.addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")   # never finished
    t0 = time.monotonic()
    eq(ed.get("/healthz").status, 200, "others served meanwhile")
    s.settimeout(10)
    try:
        data = s.recv(100)
    except (ConnectionResetError, socket.timeout):
        data = b""
    el = time.monotonic() - t0
    check(data == b"" or data.startswith(b"HTTP/1.1 408"),
          "slow client dropped", data)
    check(el < 6, "dropped after the timeout", el)
    s.close()


class Audit(html.parser.HTMLParser):
    """Finds what must never reach a page: active elements, event
    handlers, script URLs, style."""
    BAD_TAGS = {"script", "iframe", "object", "embed", "svg", "math",
                "style", "form", "meta", "base", "link", "frame",
                "frameset", "applet", "template", "noscript", "input",
                "button", "textarea", "select"}
    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href",
                 "background", "poster", "srcset", "data", "lowsrc"}

    def run(self, text):
        self.found = []
        self.feed(text)
        self.close()
        return self.found

    def handle_starttag(self, tag, attrs):
        if tag in self.BAD_TAGS:
            self.found.append("<%s>" % tag)
        for k, v in attrs:
            v = "".join(ch for ch in (v or "") if ch > " ").lower()
            if k.startswith("on") or k in ("style", "srcdoc"):
                self.found.append("%s=" % k)
            if k in self.URL_ATTRS and (v.startswith("javascript:") or
                                        v.startswith("vbscript:") or
                                        v.startswith("data:text")):
                self.found.append("%s=%s" % (k, v[:20]))

    handle_startendtag = handle_starttag


def test_sanitized_html(w):
    c, ed = setup(w)
    path = os.path.join(os.environ.get("MB_SRCDIR", "."), "tests", "unit",
                        "http", "xss_vectors.txt")
    vectors = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        v = line.replace("\\n", "\n").replace("\\t", "\t")
        if "\\x" in v or "\\0" in v:
            continue      # byte escapes: the unit test covers those
        vectors.append(v)
    check(len(vectors) > 200, "vectors loaded", len(vectors))
    anon = c.client()
    bad = ["<script", "javascript:", "onerror", "onload", "onclick",
           "<iframe", "<object", "<embed", "<svg", "<math", "<style",
           "vbscript:", "srcdoc", "<form", "<meta", "<base", "<link",
           "formaction", "expression("]
    for i, v in enumerate(vectors):
        r = ed.post("/api/v1/items", {"item": {
            "type": "text", "language": "en",
            "headlines": [{"value": "v%d" % i}],
            "bodies": [{"value": v}]}, "meta": {"workflow": "published"}})
        eq(r.status, 201, "vector %d stored" % i)
        eq(r.json["item"]["bodies"][0]["value"], v, "stored as signed")
        p = "/api/v1/items/cairo/%s/html" % r.json["item"]["uri"].split(
            ":")[3]
        h = anon.get(p)
        eq(h.status, 200, "html %d" % i)
        check("default-src 'none'" in h.headers.get(
            "content-security-policy", ""), "CSP")
        inner = h.text.split('<div class="body">', 1)[1]
        found = Audit().run(inner)
        check(not found, "vector %d: %s survived" % (i, found), repr(v),
              inner[:300])
    # The stored envelope still verifies: bodies were never rewritten.
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 0, "verify: " + out + err)


if __name__ == "__main__":
    main(globals())
