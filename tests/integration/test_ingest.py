# SPDX-License-Identifier: MIT
"""Feed ingest against a real HTTP server on 127.0.0.1: the corpus of
real-world feeds (tests/data/feeds) each ingested with its number of
entries; dedupe and updates as new versions; conditional GET (ETag, and
the body's hash when the server gives no validator); the address guard;
the caps (10 MB, a gzip bomb, a redirect loop, the billion laughs,
100,000 entries), each a clear error on its source while the others go
on; back-off and recovery; a permanent redirect; polling inside serve;
NewsML-G2 out (the API, export, the feed per language), validated
against the IPTC schema with xmllint when ../shared has it."""

import gzip
import http.server
import json
import os
import shutil
import subprocess
import threading
import time

from mbtest import BIN, SRCDIR, check, eq, main, run, wait_for

DATA = os.path.join(SRCDIR, "tests", "data", "feeds")
G2DATA = os.path.join(SRCDIR, "tests", "data", "newsml-g2")
SCHEMA = None
for d in ("/work/shared/schemas/newsml-g2",
          os.path.join(SRCDIR, "..", "shared", "schemas", "newsml-g2")):
    if os.path.exists(os.path.join(d, "NewsML-G2_2.35-spec-All-Power.xsd")):
        SCHEMA = os.path.join(d, "NewsML-G2_2.35-spec-All-Power.xsd")
        break

CORPUS = {
    "feedjira__TypePadNews.xml": 10, "feedjira__a10.xml": 5,
    "feedparser__undeclared_namespace.xml": 0,
    "feedreader__AtomSpecialCharacters.xml": 1,
    "feedreader__Rss10OrfAt.xml": 50, "feedreader__Rss20FinanzenNet.xml": 15,
    "feedreader__Rss20TheMirror.xml": 25, "feedrs__atom_example_7.xml": 1,
    "feedrs__atom_mediarss_youtube_1.xml": 1, "feedrs__atom_xml_base.xml": 1,
    "feedrs__rss_1.0_biorxiv.xml": 1, "feedrs__rss_2.0_bbc.xml": 1,
    "feedrs__rss_2.0_relurl_1.xml": 2, "feedrs__rss_2.0_wirecutter.xml": 1,
    "gofeed__issue_305_bare_ampersand.xml": 0,
    "miniflux__encoding_ISO-8859-1.xml": 40,
    "miniflux__encoding_WINDOWS-1251.xml": 50, "miniflux__urdu_UTF8.xml": 26,
    "rsparser__3960.json": 20, "rsparser__DaringFireball.json": 48,
    "rsparser__aktuality.rss": 30, "rsparser__kc0011.rss": 20,
    "rsparser__livemint.xml": 25, "rsparser__rubenerd.rss": 10,
    "rsparser__theomnishow.rss": 4, "rssparser__heraldsun.rss": 2,
    "rssparser__uolNoticias.rss": 15, "simplepie__feed-utf16le.xml": 1,
    "simplepie__feed-with-whitespace-before-xml-declaration.xml": 0,
}


class Feeds:
    """A real HTTP server on 127.0.0.1 whose answers a test sets per path:
    routes[path] = (status, headers, body bytes) or a callable taking the
    request handler and returning that. Counts requests per path."""

    def __init__(self):
        self.routes = {}
        self.hits = {}
        self.seen_headers = {}
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                outer.seen_headers[self.path] = dict(self.headers)
                r = outer.routes.get(self.path)
                if callable(r):
                    r = r(self)
                if r is None:
                    r = (404, {}, b"not here")
                status, headers, body = r
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *a):
                pass

        class S(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hangs up at a cap: expected

        self.srv = S(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def rss(items, ttl=None):
    body = "".join(
        "<item><guid isPermaLink=\"false\">%s</guid><title>%s</title>"
        "<link>/p/%s</link><description>&lt;p&gt;%s&lt;/p&gt;"
        "</description><pubDate>Sat, 05 Dec 2026 08:00:00 GMT</pubDate>"
        "</item>" % (g, t, g, b) for g, t, b in items)
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\">"
            "<channel><title>Member</title><link>https://m.example/</link>"
            "%s%s</channel></rss>" % (
                "<ttl>%d</ttl>" % ttl if ttl else "", body)).encode()


def fcli(c, sub, *args, check_rc=0):
    """`mediabridge feed SUB DIR ARGS...`: (rc, stdout, stderr)."""
    return run(["feed", sub, c.dir] + list(args), check_rc=check_rc)


def add(c, url, *extra):
    out = fcli(c, "add", "--url", url, "--allow-private", *extra)[1]
    return out.split()[1].rstrip(":")


def poll(c, fid, check_rc=0, media=False):
    """Entries' media stay links unless media: the corpus' pictures are
    on the Internet, and tests stay on this machine."""
    rc, out, err = run(["feed", "poll", c.dir, fid], check_rc=check_rc,
                       env=None if media else {"MB_FEEDS_MEDIA": "links"})
    return out + err


def source(c, fid):
    out = fcli(c, "list")[1]
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.split()[0] == fid:
            s = dict(kv.split("=", 1) for kv in line.split()[2:]
                     if "=" in kv and not kv.startswith("title"))
            s["url"] = line.split()[1]
            s["error"] = ""
            if i + 1 < len(lines) and lines[i + 1].startswith("  error: "):
                s["error"] = lines[i + 1][9:]
            return s
    raise AssertionError("no source %s in %s" % (fid, out))


def envelopes(c):
    return [json.loads(line) for line in c.cli("export")[1].splitlines()]


def test_corpus(w):
    """Every real-world feed, served over HTTP, gives its entries."""
    c = w.center("cairo")
    f = Feeds()
    try:
        for name in CORPUS:
            with open(os.path.join(DATA, name), "rb") as fh:
                f.routes["/" + name] = (200, {"Content-Type":
                                              "application/xml"}, fh.read())
        total = 0
        for name, want in sorted(CORPUS.items()):
            fid = add(c, f.url("/" + name))
            out = poll(c, fid)
            check("added=%d " % want in out, name, out)
            total += want
        eq(len(envelopes(c)), total, "items from the corpus")
        # Each names its source and is signed by this center.
        for e in envelopes(c)[:40]:
            eq(e["item"]["uri"].split(":")[2], "cairo", "uri")
            check(e["item"]["infoSources"][0]["uri"].startswith(
                "http://127.0.0.1:%d/" % f.port), "infoSources",
                e["item"]["infoSources"])
        run(["verify", c.dir])
    finally:
        f.close()


def test_dedupe_and_updates(w):
    """An unchanged feed adds nothing; a changed entry is version 2 of the
    same item; a new entry a new item; a feed with no validators is
    compared by its body's hash."""
    c = w.center("cairo")
    f = Feeds()
    try:
        f.routes["/a.xml"] = (200, {}, rss([("g1", "One", "first"),
                                            ("g2", "Two", "second")]))
        fid = add(c, f.url("/a.xml"), "--workflow", "publish",
                  "--topics", "members,wire", "--language", "ar")
        check("added=2 " in poll(c, fid), "first poll")
        out = poll(c, fid)
        check("added=0 updated=0" in out and "not-modified" in out,
              "same body", out)
        eq(len(envelopes(c)), 2, "versions after an unchanged poll")
        f.routes["/a.xml"] = (200, {}, rss([("g1", "One, corrected",
                                             "first"),
                                            ("g2", "Two", "second"),
                                            ("g3", "Three", "third")]))
        out = poll(c, fid)
        check("added=1 updated=1 unchanged=1" in out, "update", out)
        es = envelopes(c)
        eq(len(es), 4, "versions")
        g1 = [e["item"] for e in es if e["item"]["headlines"][0]["value"]
              .startswith("One")]
        eq(len(g1), 2, "two versions of g1")
        eq(g1[0]["uri"], g1[1]["uri"], "same uri")
        eq(sorted(i["version"] for i in g1), ["1", "2"], "versions")
        it = es[-1]["item"]
        eq(it["language"], "ar", "--language")
        check({"members", "wire"} <= {s["name"] for s in it["subjects"]},
              "topics", it.get("subjects"))
        eq(es[-1]["meta"].get("workflow", "published"), "published",
           "workflow")
        eq(it["altIds"][0]["value"], f.url("/p/g3"), "link resolved")
        check("added=0 updated=0" in poll(c, fid), "again nothing")
        eq(len(envelopes(c)), 4, "still 4")
        s = source(c, fid)
        eq(s["entries"], "3", "entries")
        eq(s["updates"], "1", "updates")
    finally:
        f.close()


def test_undated_update_keeps_first_created(w):
    """An entry without a date is dated when it arrives; a change to it
    is a new versionCreated, while firstCreated stays the first
    version's (it was each version's own)."""
    c = w.center("cairo")
    f = Feeds()

    def doc(title):
        return ("<rss version=\"2.0\"><channel><title>F</title><item>"
                "<guid>u1</guid><title>%s</title><description>x"
                "</description></item></channel></rss>" % title).encode()
    try:
        f.routes["/u.xml"] = (200, {}, doc("Undated"))
        fid = add(c, f.url("/u.xml"))
        check("added=1 " in poll(c, fid), "first")
        time.sleep(1.2)
        f.routes["/u.xml"] = (200, {}, doc("Undated, corrected"))
        check("updated=1 " in poll(c, fid), "update")
        v1, v2 = [e["item"] for e in envelopes(c)]
        eq(v2["firstCreated"], v1["firstCreated"], "firstCreated kept")
        check(v2["versionCreated"] > v1["versionCreated"],
              "a new versionCreated", (v1, v2))
    finally:
        f.close()


def test_concurrent_polls(w):
    """Two polls of one source at once (feed poll beside serve's poller,
    or two feed polls) store each new entry once: the entry is claimed
    before its item is stored (before, each poll minted its own item)."""
    c = w.center("cairo")
    f = Feeds()
    body = rss([("c%d" % i, "Story %d" % i, "body %d" % i)
                for i in range(30)])

    def slow(h):
        time.sleep(1.0)  # both polls hold the document at once
        return (200, {}, body)
    f.routes["/c.xml"] = slow
    try:
        fid = add(c, f.url("/c.xml"))
        env = dict(os.environ, MB_FEEDS_MEDIA="links")
        ps = [subprocess.Popen([BIN, "feed", "poll", c.dir, fid], env=env,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
              for _ in range(4)]
        outs = [p.communicate(timeout=120)[0] for p in ps]
        es = envelopes(c)
        uris = {}
        for e in es:
            uris.setdefault(e["item"]["headlines"][0]["value"],
                            set()).add(e["item"]["uri"])
        eq(len(uris), 30, "every entry stored")
        check(all(len(u) == 1 for u in uris.values()),
              "one item per entry", (uris, outs))
        eq(len(es), 30, "one version each: %s" % outs)
        f.routes["/c.xml"] = (200, {}, body)
        check("added=0 updated=0" in poll(c, fid), "then nothing new")
    finally:
        f.close()


def test_topics_with_spaces_and_slashes(w):
    """An ingested category with a space is a topic page and a feed (its
    link encodes it as %20; both were 404); one with a '/' cannot be one
    path segment, so it is shown without a link."""
    c = w.center("cairo")
    f = Feeds()
    f.routes["/t.xml"] = (200, {}, (
        "<rss version=\"2.0\"><channel><title>F</title><item><guid>t1"
        "</guid><title>Topical</title><description>x</description>"
        "<category>New York</category><category>A/B</category>"
        "<pubDate>Sat, 05 Dec 2026 08:00:00 GMT</pubDate></item></channel>"
        "</rss>").encode())
    try:
        fid = add(c, f.url("/t.xml"), "--workflow", "publish",
                  "--language", "en")
        poll(c, fid)
        _, _, cen, loc = envelopes(c)[0]["item"]["uri"].split(":")
        c.serve()
        cl = c.client()
        r = cl.get("/en/items/%s/%s" % (cen, loc))
        eq(r.status, 200, "item page")
        check('href="/en/topics/New%20York"' in r.text, "linked", r.text)
        check("/topics/A%2FB" not in r.text and "A/B" in r.text,
              "A/B shown, not linked", r.text)
        r = cl.get("/en/topics/New%20York")
        eq(r.status, 200, "topic page")
        check("Topical" in r.text, "the item on it")
        r = cl.get("/feeds/topics/New%20York.atom")
        eq(r.status, 200, "topic feed")
        check(b"Topical" in r.body and b"/topics/New%20York" in r.body,
              "the item and the page's link", r.body[:1500])
        eq(cl.get("/en/topics/%20x").status, 404, "a padded topic")
        c.stop()
    finally:
        f.close()


def item_path(uri):
    _, _, cen, loc = uri.split(":")
    return "/api/v1/items/%s/%s" % (cen, loc)


def test_desk_versions_kept(w):
    """The source's change to an item the newsroom has edited or canceled
    is held: nothing is signed over the desk's version (the old poller
    signed it as the desk's own version number, a duplicate dropped yet
    counted updated, and the change after that republished the item from
    the feed alone); it is counted held, not updated, logged, and not
    looked at again. An item the desk left alone is updated as before."""
    c = w.center("cairo")
    c.user_add("edi", "editor")
    f = Feeds()

    def doc(n):
        sfx = ", corrected %d" % n if n else ""
        return rss([("g1", "One" + sfx, "first"), ("g2", "Two" + sfx,
                    "second"), ("g3", "Three" + sfx, "third")])
    try:
        f.routes["/a.xml"] = (200, {}, doc(0))
        fid = add(c, f.url("/a.xml"), "--workflow", "publish")
        check("added=3 " in poll(c, fid), "first poll")
        uris = {e["item"]["headlines"][0]["value"]: e["item"]["uri"]
                for e in envelopes(c)}
        c.serve()
        ed = c.client(c.token_add("edi"))
        it = ed.get(item_path(uris["One"])).json["item"]
        it["headlines"] = [{"value": "One, the desk's"}]
        r = ed.put(item_path(uris["One"]), it, headers={"If-Match": '"1"'})
        eq(r.status, 200, "the desk's edit: %s" % r.text[:200])
        r = ed.post(item_path(uris["Two"]) + "/cancel", {})
        eq(r.status, 200, "the desk's cancel: %s" % r.text[:200])
        for n in (1, 2):
            f.routes["/a.xml"] = (200, {}, doc(n))
            out = poll(c, fid)
            check("updated=1 unchanged=0 refused=0 held=2" in out,
                  "poll %d" % n, out)
            eq(out.count("held: "), 2, "each logged: %s" % out)
        # The document changes elsewhere: held changes are not looked at
        # again (their hashes are recorded).
        f.routes["/a.xml"] = (200, {}, rss([
            ("g1", "One, corrected 2", "first"),
            ("g2", "Two, corrected 2", "second"),
            ("g3", "Three, corrected 2", "third")], ttl=30))
        out = poll(c, fid)
        check("updated=0 unchanged=3 refused=0 held=0" in out, "again", out)
        vs = {}
        for e in envelopes(c):
            vs.setdefault(e["item"]["uri"], []).append(e["item"])
        one, two, three = (vs[uris[k]] for k in ("One", "Two", "Three"))
        eq([i["version"] for i in one], ["1", "2"], "One's versions")
        eq(one[-1]["headlines"][0]["value"], "One, the desk's",
           "the desk's edit is current")
        eq([i["version"] for i in two], ["1", "2"], "Two's versions")
        eq(two[-1].get("pubStatus"), "canceled", "still canceled")
        eq([i["version"] for i in three], ["1", "2", "3"], "Three's")
        eq(three[-1]["headlines"][0]["value"], "Three, corrected 2",
           "an item the desk left alone follows its source")
        rd = c.client()
        cen_loc = uris["Two"].split(":")[2:]
        check(rd.get("/en/items/%s/%s" % tuple(cen_loc)).status != 200,
              "a canceled item stays down for readers")
        eq(ed.get(item_path(uris["One"])).json["item"]["headlines"][0]
           ["value"], "One, the desk's", "the API's current version")
        s = source(c, fid)
        eq(s["updates"], "2", "updates: Three's two only")
        c.stop()
    finally:
        f.close()


def test_duplicate_keys(w):
    """Two entries under one guid in one document: the first is taken,
    the other dropped and logged, so a document that changes elsewhere
    signs nothing new (before, each replaced the other's hash, and every
    poll of a changed document signed two new versions)."""
    c = w.center("cairo")
    f = Feeds()
    items = [("g1", "One", "first"), ("g1", "One again", "other"),
             ("g2", "Two", "second")]
    try:
        f.routes["/a.xml"] = (200, {}, rss(items))
        fid = add(c, f.url("/a.xml"), "--workflow", "publish")
        out = poll(c, fid)
        check("added=2 updated=0 " in out, "first poll", out)
        check("repeat a key" in out and '"g1"' in out, "logged", out)
        for ttl in (30, 60):
            f.routes["/a.xml"] = (200, {}, rss(items, ttl=ttl))
            out = poll(c, fid)
            check("added=0 updated=0 unchanged=2 " in out,
                  "the document changed elsewhere (ttl=%d)" % ttl, out)
        es = envelopes(c)
        eq(len(es), 2, "versions")
        eq(sorted(e["item"]["headlines"][0]["value"] for e in es),
           ["One", "Two"], "the first entry under g1 is kept")
    finally:
        f.close()


def test_conditional_get(w):
    """ETag and Last-Modified are sent back; a 304 keeps them."""
    c = w.center("cairo")
    f = Feeds()
    body = rss([("g1", "One", "x")])

    def etagged(h):
        if h.headers.get("If-None-Match") == '"v1"':
            return (304, {"ETag": '"v1"', "Cache-Control": "max-age=7200"},
                    b"")
        return (200, {"ETag": '"v1"', "Last-Modified":
                      "Sat, 05 Dec 2026 08:00:00 GMT",
                      "Cache-Control": "max-age=7200"}, body)
    f.routes["/e.xml"] = etagged
    try:
        fid = add(c, f.url("/e.xml"))
        check("added=1" in poll(c, fid), "first")
        out = poll(c, fid)
        check("not-modified" in out, "304", out)
        h = f.seen_headers["/e.xml"]
        eq(h.get("If-None-Match"), '"v1"', "If-None-Match")
        eq(h.get("If-Modified-Since"), "Sat, 05 Dec 2026 08:00:00 GMT",
           "If-Modified-Since")
        check("gzip" in h.get("Accept-Encoding", ""), "gzip asked for")
        # max-age 2 h stretches the 15 min period: never more often.
        s = source(c, fid)
        eq(s["error"], "", "no error")
        nxt = s["next"]
        check(nxt > time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                  time.gmtime(time.time() + 7000)),
              "next poll after max-age", nxt)
    finally:
        f.close()


def test_private_refused(w):
    """A source on 127.0.0.1 without --allow-private is refused, with the
    reason kept on the source."""
    c = w.center("cairo")
    f = Feeds()
    f.routes["/a.xml"] = (200, {}, rss([("g1", "One", "x")]))
    try:
        out = fcli(c, "add", "--url", f.url("/a.xml"))[1]
        fid = out.split()[1].rstrip(":")
        out = poll(c, fid, check_rc=1)
        check("not a public address" in out, "refused", out)
        eq(f.hits.get("/a.xml", 0), 0, "never connected")
        eq(len(envelopes(c)), 0, "nothing ingested")
        check("not a public address" in source(c, fid)["error"],
              "error on the source")
        # Bad input at add: named, nothing stored.
        for args, what in ((["--url", "ftp://x/"], "url"),
                           (["--url", "http://x/", "--audience", "all"],
                            "audience"),
                           (["--url", "http://x/", "--workflow", "live"],
                            "workflow"),
                           (["--url", "http://x/", "--language", "a b"],
                            "language")):
            rc, o, e = run(["feed", "add", c.dir] + args, check_rc=1)
            check(what in e, what, e)
        rc, o, e = run(["feed", "add", c.dir, "--url", "http://x/",
                        "--every", "soon"], check_rc=2)
        check("every" in e, "every", e)
        eq(len(fcli(c, "list")[1].splitlines()), 2, "one source")
    finally:
        f.close()


def test_caps(w):
    """Each abuse stops at its cap with a clear error on its source, and
    the other sources keep polling."""
    c = w.center("cairo")
    f = Feeds()
    bomb = gzip.compress(b"<rss><channel>" + b" " * (16 << 20), 6)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b''.join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)
                         if i > 1 else b"&lol;") * 10) for i in range(1, 10))
              + b']><rss><channel><title>&lol9;</title></channel></rss>')
    many = (b"<rss><channel>" + b"".join(b"<item><title>%d</title></item>"
                                         % i for i in range(100000)) +
            b"</channel></rss>")
    f.routes.update({
        "/big.xml": (200, {}, b"<rss><channel>" + b" " * (11 << 20)),
        "/bomb.xml": (200, {"Content-Encoding": "gzip"}, bomb),
        "/loop1": (302, {"Location": "/loop2"}, b""),
        "/loop2": (302, {"Location": "/loop1"}, b""),
        "/laughs.xml": (200, {}, laughs),
        "/xxe.xml": (200, {}, b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY'
                     b' x SYSTEM "file:///etc/passwd">]><rss><channel>'
                     b'<title>&x;</title></channel></rss>'),
        "/many.xml": (200, {}, many),
        "/ok.xml": (200, {}, rss([("g1", "Fine", "x")])),
        "/gone.xml": (500, {}, b"oops"),
    })
    want = {"/big.xml": "over 10 MB", "/bomb.xml": "over 10 MB",
            "/loop1": "redirect", "/laughs.xml": "ENTITY",
            "/xxe.xml": "ENTITY", "/many.xml": "more than 5000 entries",
            "/gone.xml": "HTTP 500"}
    try:
        ids = {p: add(c, f.url(p)) for p in list(want) + ["/ok.xml"]}
        rc, out, err = run(["feed", "poll", c.dir], check_rc=1)
        check("%s added=1 " % ids["/ok.xml"] in out, "the good one", out,
              err)
        for p, why in want.items():
            s = source(c, ids[p])
            check(why.lower() in s["error"].lower(), p, s)
            eq(s["failures"], "1", p + " failures")
        eq(len(envelopes(c)), 1, "only the good feed's item")
        check(f.hits["/loop1"] <= 4, "loop stopped", f.hits)
    finally:
        f.close()


def test_backoff_and_recovery(w):
    """Errors back off (doubling, capped at 24 h) and are cleared once the
    feed works again; a permanent redirect moves the source."""
    c = w.center("cairo")
    f = Feeds()
    f.routes["/down.xml"] = (503, {"Retry-After": "3600"}, b"busy")
    try:
        fid = add(c, f.url("/down.xml"), "--every", "10m")
        nexts = []
        for i in range(3):
            poll(c, fid, check_rc=1)
            nexts.append(source(c, fid)["next"])
        s = source(c, fid)
        eq(s["failures"], "3", "failures")
        check("HTTP 503" in s["error"], "error", s)
        # Retry-After 1 h, then 10 min x 4 = 40 min < 1 h: at least 1 h.
        check(nexts[0] > time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(
            time.time() + 3500)), "Retry-After honoured", nexts)
        for i in range(10):
            poll(c, fid, check_rc=1)
        s = source(c, fid)
        check(s["next"] <= time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(
            time.time() + 86400 + 60)), "capped at 24 h", s)
        check(s["next"] > time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(
            time.time() + 86400 - 120)), "reaches 24 h", s)
        # It recovers, moved permanently: error cleared, url updated.
        f.routes["/down.xml"] = (301, {"Location": "/new.xml"}, b"")
        f.routes["/new.xml"] = (200, {}, rss([("g1", "Back", "x")]))
        check("added=1" in poll(c, fid), "recovered")
        s = source(c, fid)
        eq(s["error"], "", "error cleared")
        eq(s["failures"], "0", "failures cleared")
        eq(s["url"], f.url("/new.xml"), "moved permanently")
        # A temporary redirect does not move it.
        f.routes["/new.xml"] = (302, {"Location": "/tmp.xml"}, b"")
        f.routes["/tmp.xml"] = (200, {}, rss([("g1", "Back", "x")]))
        poll(c, fid)
        eq(source(c, fid)["url"], f.url("/new.xml"), "302 keeps the url")
        fcli(c, "remove", fid)
        eq(fcli(c, "list")[1], "", "removed")
        eq(len(envelopes(c)), 1, "its items stay")
    finally:
        f.close()


def test_serve_polls(w):
    """serve polls by itself: a new source's entries arrive, and a broken
    source next to it does not stop them."""
    c = w.center("cairo")
    f = Feeds()
    f.routes["/a.xml"] = (200, {}, rss([("g1", "Live one", "x")]))
    f.routes["/bad.xml"] = (200, {}, b"<html>not a feed</html>")
    try:
        add(c, f.url("/bad.xml"))
        add(c, f.url("/a.xml"), "--workflow", "publish")
        c.serve(env={"MB_FEEDS_POLL_MS": "200"})
        cl = c.client()

        def arrived():
            r = cl.get("/api/v1/items")
            return r.status == 200 and [
                e["item"] for e in r.json["items"]
                if e["item"]["headlines"][0]["value"].startswith("Live")]
        items = wait_for(arrived, 20, "the feed's item through serve")
        eq(items[0]["headlines"][0]["value"], "Live one", "headline")
        wait_for(lambda: "not a feed" in (source(c, "1")["error"] or ""),
                 20, "bad one's error")
        c.stop()
    finally:
        f.close()


def test_newsml_in(w):
    """A NewsML-G2 file served over HTTP: its guid is the identity, its
    version an update."""
    c = w.center("cairo")
    f = Feeds()
    with open(os.path.join(G2DATA, "LISTING_1_A_NewsML-G2_News_Item.xml"),
              "rb") as fh:
        doc = fh.read()
    f.routes["/g2.xml"] = (200, {"Content-Type":
                                 "application/vnd.iptc.g2.newsitem+xml"}, doc)
    try:
        fid = add(c, f.url("/g2.xml"))
        check("added=1" in poll(c, fid), "item")
        it = envelopes(c)[0]["item"]
        eq(it["headlines"][0]["value"], 'Fed to halt QE to avert "bubble"',
           "headline")
        eq(it["language"], "en-GB", "language")
        f.routes["/g2.xml"] = (200, {}, doc.replace(b'version="11"',
                                                    b'version="12"'))
        check("updated=1" in poll(c, fid), "a new G2 version")
        es = envelopes(c)
        eq(es[0]["item"]["uri"], es[1]["item"]["uri"], "same item")
    finally:
        f.close()


def g2_message(items):
    """A newsMessage of (guid, version, headline, itemMeta extra)."""
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><newsMessage xmlns="
            "\"http://iptc.org/std/nar/2006-10-01/\"><header><sent>"
            "2026-12-07T10:00:00Z</sent></header><itemSet>" + "".join(
                "<newsItem guid=\"%s\" version=\"%d\" standard=\"NewsML-G2\" "
                "standardversion=\"2.35\" xml:lang=\"en\"><itemMeta>"
                "<itemClass qcode=\"ninat:text\"/><provider literal=\"a\"/>"
                "<versionCreated>2026-12-07T1%d:00:00Z</versionCreated>%s"
                "</itemMeta><contentMeta><headline>%s</headline></contentMeta>"
                "<contentSet><inlineXML contenttype=\"application/xhtml+xml\">"
                "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>x"
                "</title></head><body><p>%s</p></body></html></inlineXML>"
                "</contentSet></newsItem>" % (g, v, v, extra, h, h)
                for g, v, h, extra in items) +
            "</itemSet></newsMessage>").encode()


def test_newsml_status(w):
    """An agency's embargoed, withheld and canceled items are not shown
    publicly (they were published as usable); a later canceled version
    of a guid cancels the item."""
    c = w.center("cairo")
    f = Feeds()
    ok = ("urn:x:OK", 1, "Usable story", "<pubStatus qcode=\"stat:usable\"/>")
    f.routes["/m.xml"] = (200, {}, g2_message([
        ok,
        ("urn:x:EMB", 1, "Embargoed story", "<embargoed>2030-01-01T00:00:00Z"
         "</embargoed><pubStatus qcode=\"stat:usable\"/>"),
        ("urn:x:HOLD", 1, "Withheld story",
         "<pubStatus qcode=\"stat:withheld\"/>"),
        ("urn:x:KILL", 2, "Canceled story", "<pubStatus uri=\"http://cv."
         "iptc.org/newscodes/pubstatusg2/canceled\"/>")]))
    try:
        fid = add(c, f.url("/m.xml"), "--workflow", "publish")
        check("added=4" in poll(c, fid), "four items")
        by = {e["item"]["headlines"][0]["value"]: e["item"]
              for e in envelopes(c)}
        eq(by["Embargoed story"].get("embargoedUntil"),
           "2030-01-01T00:00:00Z", "embargo read")
        eq(by["Withheld story"].get("pubStatus"), "withheld", "withheld")
        eq(by["Canceled story"].get("pubStatus"), "canceled", "canceled")
        c.serve()
        cl = c.client()

        def public():
            r = cl.get("/api/v1/items")
            eq(r.status, 200, "list")
            return sorted(e["item"]["headlines"][0]["value"]
                          for e in r.json["items"])
        eq(public(), ["Usable story"], "only the usable item is public")
        f.routes["/m.xml"] = (200, {}, g2_message([
            ("urn:x:OK", 2, "Usable story",
             "<pubStatus qcode=\"stat:canceled\"/>")]))
        check("updated=1" in poll(c, fid), "the canceled version")
        eq(public(), [], "the canceled item is gone")
        c.stop()
    finally:
        f.close()


def test_newsml_versions(w):
    """A newsMessage with several versions of one guid (our own export
    writes every version, in log order): the highest version is taken,
    wherever it stands in the message."""
    c = w.center("cairo")
    f = Feeds()
    f.routes["/m.xml"] = (200, {}, g2_message([
        ("urn:x:A", 2, "A second", ""), ("urn:x:A", 3, "A third", ""),
        ("urn:x:A", 1, "A first", ""), ("urn:x:B", 1, "B first", "")]))
    try:
        fid = add(c, f.url("/m.xml"))
        out = poll(c, fid)
        check("added=2 " in out, "two items", out)
        eq(sorted(e["item"]["headlines"][0]["value"] for e in envelopes(c)),
           ["A third", "B first"], "the highest version of A is kept")
    finally:
        f.close()


def test_dates_out_of_range(w):
    """9999-12-31 is dated now, not pinned to the top forever, and stays
    one version when polled again; 0000-01-01 is no date, and export to
    NewsML-G2 takes the item."""
    c = w.center("cairo")
    f = Feeds()
    body = ("<rss version=\"2.0\"><channel><title>F</title>"
            "<item><guid>f1</guid><title>Far future</title><pubDate>"
            "Fri, 31 Dec 9999 23:59:59 GMT</pubDate><description>x"
            "</description></item><item><guid>f0</guid><title>Year zero"
            "</title><pubDate>0000-01-01T00:00:00Z</pubDate><description>y"
            "</description></item></channel></rss>")
    f.routes["/d.xml"] = (200, {"ETag": "\"1\""}, body.encode())
    try:
        fid = add(c, f.url("/d.xml"))
        t0 = time.time()
        check("added=2 " in poll(c, fid), "both")
        for e in envelopes(c):
            it = e["item"]
            for k in ("firstCreated", "versionCreated"):
                y = int(it[k][:4])
                check(time.gmtime(t0 - 86400).tm_year <= y <=
                      time.gmtime(t0 + 86400).tm_year, "%s %s" % (k, it[k]))
        f.routes["/d.xml"] = (200, {"ETag": "\"2\""}, body.encode())
        check("added=0 updated=0 unchanged=2" in poll(c, fid),
              "polled again: nothing new")
        out = run(["export", c.dir, "--format", "newsml-g2"])[1]
        check(out.count("<newsItem ") == 2, "export", out[:500])
    finally:
        f.close()


def xmllint_valid(path):
    """Validates path against the IPTC schema when ../shared has it."""
    if SCHEMA is None or shutil.which("xmllint") is None:
        return
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", SCHEMA,
                        path], capture_output=True, text=True)
    check(p.returncode == 0, "valid NewsML-G2: " + path, p.stderr[-2000:])


def test_newsml_out(w):
    """Ingested items go out as NewsML-G2: the API on Accept, the feed per
    language, export --format newsml-g2; all valid against the schema."""
    c = w.center("cairo")
    f = Feeds()
    body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\">"
            "<channel><title>Member</title><language>ar</language><item>"
            "<guid>a1</guid><title>خبر عاجل &amp; مهم</title><description>"
            "&lt;p&gt;نص &lt;b&gt;الخبر&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;"
            "&lt;/p&gt;</description><category>سياسة</category><pubDate>"
            "Sat, 05 Dec 2026 08:00:00 GMT</pubDate></item></channel></rss>")
    f.routes["/ar.xml"] = (200, {}, body.encode())
    try:
        fid = add(c, f.url("/ar.xml"), "--workflow", "publish")
        poll(c, fid)
        uri = envelopes(c)[0]["item"]["uri"]
        _, center, local = uri.rsplit(":", 2)
        c.serve()
        cl = c.client()
        r = cl.get("/api/v1/items/%s/%s" % (center, local),
                   headers={"Accept": "application/vnd.iptc.g2.newsitem+xml"})
        eq(r.status, 200, "newsItem")
        check(r.headers["content-type"].startswith(
            "application/vnd.iptc.g2.newsitem+xml"), "type", r.headers)
        x = r.body.decode()
        check("<headline>خبر عاجل &amp; مهم</headline>" in x, "headline", x)
        check("script" not in x, "sanitized", x)
        check('guid="%s"' % uri in x, "guid", x)
        path = os.path.join(w.root, "item.xml")
        with open(path, "wb") as fh:
            fh.write(r.body)
        xmllint_valid(path)
        # The JSON answer is still the envelope.
        r = cl.get("/api/v1/items/%s/%s" % (center, local))
        eq(r.json["item"]["uri"], uri, "JSON by default")
        r = cl.get("/feeds/ar.newsml")
        eq(r.status, 200, "feed")
        check(b"<newsMessage" in r.body and uri.encode() in r.body,
              "message", r.body[:500])
        path = os.path.join(w.root, "feed.xml")
        with open(path, "wb") as fh:
            fh.write(r.body)
        xmllint_valid(path)
        c.stop()
        out = run(["export", c.dir, "--format", "newsml-g2"])[1]
        check(out.count("<newsItem ") == 1, "export", out[:500])
        path = os.path.join(w.root, "export.xml")
        with open(path, "w") as fh:
            fh.write(out)
        xmllint_valid(path)
        run(["export", c.dir, "--format", "nitf"], check_rc=2)
    finally:
        f.close()


def test_api(w):
    """Editors manage the sources over the API; others may not; only the
    operator allows a private address."""
    c = w.center("cairo")
    c.user_add("ed", "editor")
    c.user_add("jo", "journalist")
    c.serve()
    ed = c.client(c.token_add("ed"))
    jo = c.client(c.token_add("jo"))
    eq(c.client().get("/api/v1/feeds").status, 401, "anonymous")
    eq(jo.get("/api/v1/feeds").status, 403, "journalist")
    r = ed.post("/api/v1/feeds", {"url": "https://m.example/rss",
                                  "language": "ar", "topics": "members",
                                  "every": "30m"})
    eq(r.status, 201, "added: %s" % r.body)
    fid = r.json["id"]
    eq(ed.post("/api/v1/feeds", {"url": "https://m.example/rss"}).status,
       409, "twice")
    eq(ed.post("/api/v1/feeds", {"url": "http://127.0.0.1/x",
                                 "allow_private": True}).status, 403,
       "allow_private")
    r = ed.post("/api/v1/feeds", {"url": "https://u:secret@m.example/4"})
    eq(r.status, 400, "credentials in the URL: %s" % r.body)
    check("user name or password" in r.text and "secret" not in r.text,
          "named", r.text)
    rc, out, err = fcli(c, "add", "--url", "http://u:secret@m.example/5",
                        check_rc=1)
    check("user name or password" in err, "feed add refuses them", err)
    r = ed.post("/api/v1/feeds", {"url": "https://m.example/2",
                                  "audience": "everyone"})
    eq(r.status, 400, "bad audience")
    check("audience" in r.text, "named", r.text)
    eq(jo.post("/api/v1/feeds", {"url": "https://m.example/3"}).status, 403,
       "journalist may not add")
    r = ed.get("/api/v1/feeds")
    eq([f["url"] for f in r.json["feeds"]], ["https://m.example/rss"], "list")
    f = r.json["feeds"][0]
    eq((f["every_s"], f["language"], f["allow_private"]), (1800, "ar", False),
       "fields")
    eq(ed.request("DELETE", "/api/v1/feeds/%d" % fid).status, 204, "removed")
    eq(ed.request("DELETE", "/api/v1/feeds/%d" % fid).status, 404, "gone")
    c.stop()


def test_newsroom_sources(w):
    """The newsroom's sources page: every source with its state, add one
    by the form (a private address refused), poll now (serve's poller
    woken), the error shown and cleared when the feed recovers, remove;
    editors only."""
    import urllib.parse
    c = w.center("cairo")
    c.user_add("ed", "editor")
    c.user_add("jo", "journalist")
    f = Feeds()
    f.routes["/a.xml"] = (200, {}, rss([("g1", "Page one", "x")]))
    f.routes["/b.xml"] = (200, {}, b"<html>not a feed</html>")
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def post(cl, path, fields):
        return cl.post(path, headers=form,
                       raw=urllib.parse.urlencode(fields).encode())
    try:
        a = add(c, f.url("/a.xml"), "--every", "1d")
        b = add(c, f.url("/b.xml"), "--every", "1d")
        # The poller's own period is an hour: only a kick polls again.
        c.serve(env={"MB_FEEDS_POLL_MS": "3600000"})
        ed = c.client(c.token_add("ed"))
        jo = c.client(c.token_add("jo"))
        eq(jo.get("/newsroom/sources").status, 403, "a journalist")

        def row(fid):
            r = ed.get("/newsroom/sources")
            eq(r.status, 200, r.text)
            return r.text.split('id="source-%s"' % fid)[1].split("</tr>")[0]
        wait_for(lambda: '<span class="entries">1</span>' in row(a), 20,
                 "the first poll at start")
        check(f.url("/a.xml") in row(a) and "Member" in row(a),
              "url and title")
        # The poller takes the sources one after another: b's poll may
        # still be under way when a's entry is counted.
        wait_for(lambda: "not a feed" in row(b), 20, "the broken one's error")
        # Poll now: the new entry arrives without waiting for the hour.
        f.routes["/a.xml"] = (200, {}, rss([("g1", "Page one", "x"),
                                             ("g2", "Page two", "y")]))
        r = post(ed, "/newsroom/sources/%s" % a, {"do": "poll"})
        eq(r.status, 303, r.text)
        check("done=polling" in r.headers["location"], "back, polling")
        wait_for(lambda: '<span class="entries">2</span>' in row(a), 15,
                 "polled now")
        # The broken one recovers: its error is gone.
        f.routes["/b.xml"] = (200, {}, rss([("h1", "Back", "z")]))
        eq(post(ed, "/newsroom/sources/%s" % b, {"do": "poll"}).status, 303)
        wait_for(lambda: "not a feed" not in row(b) and
                 '<dd class="ok">' in row(b), 15, "the error cleared")
        # Add by the form: a private address is the operator's decision,
        # so a form's source there is refused when it is polled.
        r = post(ed, "/newsroom/sources", {"url": f.url("/p.xml"),
                                            "language": "ar"})
        eq(r.status, 303, r.text)
        r = ed.get("/newsroom/sources")
        p = r.text.split(f.url("/p.xml"))[0].rsplit('id="source-', 1)[1]
        p = p.split('"')[0]
        wait_for(lambda: "not a public address" in row(p), 15,
                 "the private one refused on the page")
        eq(f.hits.get("/p.xml", 0), 0, "never connected")
        r = post(ed, "/newsroom/sources", {"url": "ftp://x/y"})
        eq(r.status, 400, r.text)
        check("url" in r.text and 'value="ftp://x/y"' in r.text,
              "the refusal named, the form kept", r.text)
        r = post(ed, "/newsroom/sources", {"url": "https://m.example/rss",
                                            "language": "ar",
                                            "every": "30m",
                                            "workflow": "draft",
                                            "audience": "public"})
        eq(r.status, 303, r.text)
        r = ed.get("/newsroom/sources")
        check("https://m.example/rss" in r.text and "30 min" in r.text,
              "listed", r.text)
        r = post(ed, "/newsroom/sources", {"url": "https://m.example/rss"})
        eq(r.status, 409, "twice")
        eq(post(ed, "/newsroom/sources", {"url": "https://m.example/2",
                                          "every": "often"}).status, 400)
        # Remove: gone from the page, its items stay.
        eq(post(ed, "/newsroom/sources/%s" % a, {"do": "remove"}).status,
           303)
        check('id="source-%s"' % a not in ed.get("/newsroom/sources").text,
              "removed")
        eq(post(ed, "/newsroom/sources/999", {"do": "poll"}).status, 404)
        check(any(e["item"]["headlines"][0]["value"] == "Page two"
                  for e in ed.get("/api/v1/items?limit=50").json["items"]),
              "the items stay")
        c.stop()
    finally:
        f.close()


def png_with_text(secret, w=64, h=48):
    """A real PNG (a gradient) carrying secret in a tEXt chunk, made with
    the standard library only."""
    import struct
    import zlib

    def chunk(t, data):
        return (struct.pack(">I", len(data)) + t + data +
                struct.pack(">I", zlib.crc32(t + data) & 0xffffffff))
    raw = b"".join(b"\0" + bytes((x * 4 + y) & 255 for x in range(w))
                   for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"tEXt", b"Author\0" + secret.encode()) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_media_fetched(w):
    """An enclosure and a Media RSS picture become this center's media
    through the media pipeline (renditions, metadata stripped), fetched
    once; one that cannot be fetched stays a link, and the entry is
    ingested all the same."""
    secret = "Safehouse-Garden-City"
    c = w.center("cairo")
    f = Feeds()
    pic = png_with_text(secret)
    f.routes["/pic.png"] = (200, {"Content-Type": "image/png"}, pic)
    f.routes["/m.png"] = (200, {"Content-Type": "image/png"},
                          png_with_text(secret, 80, 60))
    f.routes["/feed.xml"] = (200, {}, (
        "<?xml version=\"1.0\"?><rss version=\"2.0\" "
        "xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>"
        "<title>Member</title><link>https://m.example/</link>"
        "<item><guid>e1</guid><title>With enclosure</title>"
        "<description>one</description><enclosure url=\"%s\" "
        "type=\"image/png\" length=\"%d\"/></item>"
        "<item><guid>e2</guid><title>With Media RSS</title>"
        "<description>two</description><media:content url=\"%s\" "
        "medium=\"image\" type=\"image/png\"/></item>"
        "<item><guid>e3</guid><title>Broken picture</title>"
        "<description>three</description><enclosure url=\"%s\" "
        "type=\"image/jpeg\" length=\"9\"/></item>"
        "</channel></rss>" % (f.url("/pic.png"), len(pic), f.url("/m.png"),
                              f.url("/gone.jpg"))).encode())
    try:
        fid = add(c, f.url("/feed.xml"))
        out = poll(c, fid, media=True)
        check("3" in out, "three entries", out)
        items = {e["item"]["headlines"][0]["value"]: e["item"]
                 for e in envelopes(c)}
        eq(len(items), 3, "three items: %r" % list(items))
        for head in ("With enclosure", "With Media RSS"):
            a = items[head]["associations"][0]
            check(a["uri"].startswith("ni:///sha-256;"), "local media: %r" % a)
            check(any(r.get("width") for r in a["renditions"]),
                  "renditions with sizes: %r" % a)
            check(a["altIds"][0]["value"].startswith(f.url("/")),
                  "the source's URL kept: %r" % a)
        broken = items["Broken picture"]["associations"][0]
        eq(broken["uri"], f.url("/gone.jpg"), "a link stays a link")
        # Metadata stripped: no blob carries the secret.
        blobs = []
        for root, _, files in os.walk(os.path.join(c.dir, "blobs")):
            blobs += [os.path.join(root, x) for x in files]
        check(len(blobs) >= 2, "blobs saved: %r" % blobs)
        for b in blobs:
            with open(b, "rb") as fh:
                check(secret.encode() not in fh.read(), "stripped: " + b)
        # Served by the center, like an upload's.
        c.serve()
        import base64
        import hashlib
        h = items["With enclosure"]["associations"][0]["renditions"][0]
        b64 = h["href"].split("ni:///sha-256;")[1].split("?")[0]
        hexh = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)).hex()
        r = c.client().get("/media/" + hexh)
        eq(r.status, 200, "served at /media/")
        eq(hashlib.sha256(r.body).hexdigest(), hexh, "the bytes named")
        c.stop()
        # Polled again, unchanged: nothing fetched again.
        hits = f.hits.get("/pic.png", 0)
        eq(hits, 1, "fetched once")
        poll(c, fid, media=True)
        eq(f.hits.get("/pic.png", 0), hits, "not fetched again")
    finally:
        f.close()


def test_serve_fetches_media(w):
    """Inside serve, an entry's picture goes through serve's media sandbox
    and the item names this center's copy."""
    c = w.center("cairo")
    f = Feeds()
    f.routes["/p.png"] = (200, {"Content-Type": "image/png"},
                          png_with_text("x", 40, 30))
    f.routes["/f.xml"] = (200, {}, (
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
        "<title>Member</title><link>https://m.example/</link><item>"
        "<guid>s1</guid><title>Served picture</title><description>d"
        "</description><enclosure url=\"%s\" type=\"image/png\" "
        "length=\"1\"/></item></channel></rss>" % f.url("/p.png")).encode())
    try:
        add(c, f.url("/f.xml"), "--workflow", "publish")
        c.serve(env={"MB_FEEDS_POLL_MS": "200"})
        cl = c.client()

        def arrived():
            r = cl.get("/api/v1/items")
            got = [e["item"] for e in r.json["items"]
                   if e["item"]["headlines"][0]["value"] ==
                   "Served picture"] if r.status == 200 else []
            return got[0] if got else None
        item = wait_for(arrived, 20, "the entry through serve")
        a = item["associations"][0]
        check(a["uri"].startswith("ni:///sha-256;"), "local: %r" % a)
        eq(f.hits.get("/p.png", 0), 1, "fetched once")
        c.stop()
    finally:
        f.close()


def test_media_kind_checked(w):
    """An enclosure is made this center's media only when its bytes are
    the kind it says: a PDF sent as "image/jpeg" (the upload allowlist
    holds PDF) and a picture sent as sound stay links, nothing is saved,
    and a true picture beside them is still taken."""
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj"
           b"<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>"
           b"\n%%EOF\n")
    c = w.center("cairo")
    f = Feeds()
    f.routes["/pdf.jpg"] = (200, {"Content-Type": "image/jpeg"}, pdf)
    f.routes["/pic.mp3"] = (200, {"Content-Type": "audio/mpeg"},
                            png_with_text("x", 40, 30))
    f.routes["/pic.png"] = (200, {"Content-Type": "image/png"},
                            png_with_text("y", 40, 30))

    def item(guid, url, typ):
        return ("<item><guid>%s</guid><title>%s</title><description>d"
                "</description><enclosure url=\"%s\" type=\"%s\" "
                "length=\"10\"/></item>" % (guid, guid, f.url(url), typ))
    f.routes["/f.xml"] = (200, {}, (
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
        "<title>Member</title><link>https://m.example/</link>%s%s%s"
        "</channel></rss>" % (item("pdf", "/pdf.jpg", "image/jpeg"),
                              item("snd", "/pic.mp3", "audio/mpeg"),
                              item("png", "/pic.png", "image/png"))).encode())
    try:
        fid = add(c, f.url("/f.xml"))
        out = poll(c, fid, media=True)
        check("added=3 " in out, "three entries", out)
        items = {e["item"]["headlines"][0]["value"]: e["item"]
                 for e in envelopes(c)}
        eq(items["pdf"]["associations"][0]["uri"], f.url("/pdf.jpg"),
           "a PDF as a picture stays a link")
        eq(items["snd"]["associations"][0]["uri"], f.url("/pic.mp3"),
           "a picture as sound stays a link")
        check("are a document" in out, "the log says why", out)
        a = items["png"]["associations"][0]
        check(a["uri"].startswith("ni:///sha-256;"), "a picture: %r" % a)
        blobs = []
        for root, _, files in os.walk(os.path.join(c.dir, "blobs")):
            for x in files:
                with open(os.path.join(root, x), "rb") as fh:
                    blobs.append(fh.read())
        check(blobs and not any(b.startswith(b"%PDF") for b in blobs),
              "no PDF saved")
        eq(f.hits.get("/pic.png"), 1, "the picture fetched")
    finally:
        f.close()


def test_media_budget(w):
    """A source whose files trickle (just above the low-speed cap) cannot
    hold the poller: past the poll's media budget (MB_FEEDS_MEDIA_BUDGET_MS
    here 2 s, 2 minutes by default) the rest of its media stay links and
    the poll ends; before, 12 files took 30 s each."""
    import socketserver

    class Drip(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):
            if self.path == "/f.xml":
                body = ("<?xml version=\"1.0\"?><rss version=\"2.0\">"
                        "<channel><title>t</title><link>http://x/</link>%s"
                        "</channel></rss>" % "".join(
                            "<item><guid>g%d</guid><title>T%d</title>"
                            "<description>d</description>%s</item>" % (
                                i, i, "".join(
                                    "<enclosure url=\"http://127.0.0.1:%d/"
                                    "p%d_%d.jpg\" type=\"image/jpeg\" "
                                    "length=\"10\"/>" % (port, i, j)
                                    for j in range(4)))
                            for i in range(3))).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", "10000000")
            self.end_headers()
            try:
                for _ in range(120):
                    self.wfile.write(b"\xff" * 1100)
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass

        def log_message(self, *a):
            pass

    class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass
    srv = S(("127.0.0.1", 0), Drip)
    port = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    c = w.center("cairo")
    try:
        fid = add(c, "http://127.0.0.1:%d/f.xml" % port)
        t0 = time.monotonic()
        try:
            _, out, err = run(["feed", "poll", c.dir, fid], timeout=60,
                              env={"MB_FEEDS_MEDIA_BUDGET_MS": "2000"})
        except subprocess.TimeoutExpired:
            raise AssertionError("the poll still ran after 60 s")
        took = time.monotonic() - t0
        check(took < 20, "the poll ended soon after its budget: %.1f s"
              % took)
        check("added=3 " in out, "every entry ingested", out + err)
        check("media budget" in err, "the log says why", err)
        for e in envelopes(c):
            for a in e["item"]["associations"]:
                check(a["uri"].startswith("http://127.0.0.1:%d/" % port),
                      "kept as a link: %r" % a)
    finally:
        srv.shutdown()
        srv.server_close()


if __name__ == "__main__":
    main(globals())
