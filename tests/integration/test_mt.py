# SPDX-License-Identifier: MIT
"""Machine translation with real processes: `mediabridge engine` and
`translate-text` against Debian's Apertium APy (tests/lib/apy.py), and
against small servers for what Debian lacks or cannot do on purpose: a
LibreTranslate-compatible engine that checks every request as the API
documents it, an engine that hangs, and one that answers garbage."""

import json
import os
import socket
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mbtest import check, eq, main, run
import apy as apylib

APY = None  # the one APy every test uses (started below)


def skeleton(html):
    """The tags of an HTML text, as written, in order (text left out)."""
    out, i = [], 0
    while True:
        a = html.find("<", i)
        if a < 0:
            return out
        b = html.find(">", a)
        out.append(html[a:b + 1])
        i = b + 1


def with_engine(w, name="apy", url=None, extra=()):
    c = w.center("cairo")
    run(["engine", "add", c.dir, "--name", name, "--kind", "apertium-apy",
         "--url", url or APY.url] + list(extra))
    return c


def translate(c, html, frm, to, *extra, check_rc=0):
    return run(["translate-text", c.dir, "--from", frm, "--to", to] +
               list(extra), stdin=html, check_rc=check_rc)


# ---- a small HTTP server for engines Debian cannot give us ------------------

class Fake:
    """A server in a thread; handler(fake, req) answers each request."""

    def __init__(self, handler):
        fake = self
        self.requests = []

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                fake.requests.append(("GET", self.path, self.headers, b""))
                handler(fake, self)

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                fake.requests.append(("POST", self.path, self.headers, body))
                handler(fake, self)

        self.srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.srv.server_address[1]
        self.t = threading.Thread(target=self.srv.serve_forever, daemon=True)
        self.t.start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def reply(h, status, body, ctype="application/json"):
    data = body if isinstance(body, bytes) else body.encode()
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


APY_PAIRS = json.dumps({"responseData": [
    {"sourceLanguage": "eng", "targetLanguage": "spa"}],
    "responseDetails": None, "responseStatus": 200})


def upper_outside_tags(s):
    out, tag = [], False
    for ch in s:
        if ch == "<":
            tag = True
        elif ch == ">":
            tag = False
        out.append(ch if tag else ch.upper())
    return "".join(out)


# ---- the tests ----------------------------------------------------------------

ARTICLE = (
    "<h1>The <em>election</em> results</h1>\n"
    "<p>The <a href=\"https://example.org/commission\" title=\"The "
    "commission\">electoral commission</a> said on Monday that turnout was "
    "high.</p>\n"
    "<p>Run <code>make test</code> first; <span translate=\"no\">Moscow "
    "House</span> stays.</p>\n"
    "<ul><li>The first point.</li><li>The second point.</li></ul>\n"
    "<figure><img src=\"vote.jpg\" alt=\"The vote\"><figcaption>People "
    "wait to vote.</figcaption></figure>\n")


def test_engine_add_list_remove(w):
    c = with_engine(w)
    _, out, _ = run(["engine", "list", c.dir])
    first = out.splitlines()[0].split("\t")
    eq(first[:4], ["apy", "apertium-apy", APY.url, "up"], "engine line")
    # The pairs as the engine reports them, and in BCP 47.
    for pair in ("\teng|spa\ten|es", "\tfra|spa\tfr|es", "\tspa|por\tes|pt"):
        check(pair in out, "pair listed", pair, out)
    rc, _, err = run(["engine", "add", c.dir, "--name", "apy", "--kind",
                      "apertium-apy", "--url", APY.url], check_rc=1)
    check("already there" in err, "duplicate refused", err)
    rc, _, err = run(["engine", "add", c.dir, "--name", "x", "--kind",
                      "moses", "--url", APY.url], check_rc=2)
    check("apertium-apy, libretranslate or mediabridge" in err, "kind named",
          err)
    rc, _, err = run(["engine", "add", c.dir, "--name", "x", "--kind",
                      "apertium-apy", "--url", "ftp://h"], check_rc=1)
    check("http:// or https://" in err, "url refused", err)
    run(["engine", "remove", c.dir, "apy"])
    _, out, err = run(["engine", "list", c.dir])
    eq(out, "", "no engines left")
    check("no engines yet" in err, "says why empty", err)
    run(["engine", "remove", c.dir, "apy"], check_rc=1)
    # A version engines.conf could not hold as written: a new line added
    # a setting (the file then unreadable), ";" cut the rest as a comment.
    conf = os.path.join(c.dir, "engines.conf")
    with open(conf) as fh:
        before = fh.read()
    for v in ("1.0\nbogus = 1", "1.0 ; x", "1.0 # x", " 1.0"):
        _, _, err = run(["engine", "add", c.dir, "--name", "v", "--kind",
                         "apertium-apy", "--url", APY.url,
                         "--engine-version", v], check_rc=2)
        check("--engine-version" in err, "refused", v, err)
        with open(conf) as fh:
            eq(fh.read(), before, "nothing written for %r" % v)
    run(["engine", "add", c.dir, "--name", "v", "--kind", "apertium-apy",
         "--url", APY.url, "--engine-version", "apertium-eng-spa 0.8.1"])
    _, out, _ = run(["engine", "list", c.dir])
    check(out.startswith("v\t"), "listed", out)
    with open(conf) as fh:
        check("version = apertium-eng-spa 0.8.1\n" in fh.read(), "kept")


def test_translate_en_es(w):
    c = with_engine(w)
    _, out, _ = translate(c, ARTICLE, "en", "es")
    # Spanish, and the same tags, links and paragraphs.
    for want in ("comisión electoral", "elección", "personas"):
        check(want in out, "translated", want, out)
    eq(sorted(skeleton(out)), sorted(skeleton(ARTICLE)), "tags")
    eq(out.count("\n"), ARTICLE.count("\n"), "lines")
    check("<code>make test</code>" in out, "code untouched", out)
    check("<span translate=\"no\">Moscow House</span>" in out,
          "translate=no untouched", out)
    check("href=\"https://example.org/commission\" title=\"The commission\""
          in out, "attributes as they were", out)


def test_translate_fr_es(w):
    c = with_engine(w)
    _, out, _ = translate(c, "<p>Le président a parlé à la <b>presse</b> "
                          "hier.</p>", "fr", "es")
    check("presidente" in out and "<b>" in out and "</b>" in out,
          "French to Spanish", out)
    check(out.startswith("<p>") and out.endswith("</p>"), "paragraph", out)


def test_pivot_en_pt(w):
    c = with_engine(w)
    src = "<p>The president of the country spoke to the <b>press</b>.</p>"
    _, out, _ = translate(c, src, "en", "pt", "--json")
    j = json.loads(out)
    t = j["translation"]
    eq(t["by"], "machine", "by")
    eq(t["pivot"], "es", "pivot named in the provenance")
    eq(t["pair"], "en|pt", "pair")
    eq(t["engine"], "apy", "engine")
    check(t["engineVersion"] and "T" in t["at"], "version and time", t)
    eq(len(j["cacheKey"]), 64, "cache key")
    eq(j["requests"], 2, "two legs")
    # Exactly what en->es then es->pt gives.
    _, es, _ = translate(c, src, "en", "es")
    _, pt, _ = translate(c, es, "es", "pt")
    eq(j["text"], pt, "pivot = two steps")
    check(" o " in pt.lower() or "presidente" in pt, "Portuguese", pt)
    # The direct pair has no pivot.
    _, out, _ = translate(c, src, "en", "es", "--json")
    check("pivot" not in json.loads(out)["translation"], "direct", out)


def test_glossary(w):
    c = with_engine(w)
    g = os.path.join(w.root, "glossary.tsv")
    with open(g, "w") as f:
        f.write("# from\tto\tterm\ttranslation\n"
                "en\t*\tMoscow House\n"
                "en\tes\tmedia center\tcentro de medios\n"
                "en\tpt\tmedia center\tcentro de mídia\n")
    src = "<p>The media center of Moscow House opened in June.</p>"
    _, plain, _ = translate(c, src, "en", "es")
    check("Casa de Moscú" in plain, "without: the name is translated", plain)
    _, out, _ = translate(c, src, "en", "es", "--glossary", g)
    check("centro de medios " in out and "comunicación" not in out,
          "translated one way", out)
    check("Moscow House" in out and "Moscú" not in out, "kept", out)
    # Through the pivot too, with the pair's own entry.
    _, out, _ = translate(c, src, "en", "pt", "--glossary", g)
    check("centro de mídia" in out and "Moscow House" in out, "pivot", out)
    with open(g, "a") as f:
        f.write("en\t*\t \n")
    _, out, err = translate(c, src, "en", "es", "--glossary", g, check_rc=1)
    check(out == "" and "glossary.tsv" in err and "white space" in err,
          "a term of white space refused", out, err)
    with open(g, "w") as f:
        f.write("en\tonly two fields\n")
    _, _, err = translate(c, src, "en", "es", "--glossary", g, check_rc=1)
    check("glossary.tsv:1" in err, "bad line named", err)


def test_engine_down(w):
    port = apylib.free_port()   # nothing listens there
    c = with_engine(w, "down", "http://127.0.0.1:%d" % port,
                    ["--retries", "1"])
    _, out, err = translate(c, "<p>Hello.</p>", "en", "es", check_rc=1)
    eq(out, "", "nothing printed")
    check("engine down (http://127.0.0.1:%d), 2 tries: cannot connect" %
          port in err, "clear error", err)
    _, out, _ = run(["engine", "list", c.dir])
    check("\tdown\t" in out, "listed down", out)


def test_engine_hangs(w):
    # Accepts connections (the kernel does) and never answers.
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    try:
        c = with_engine(w, "stuck", "http://127.0.0.1:%d" %
                        s.getsockname()[1], ["--timeout", "2"])
        t0 = time.monotonic()
        _, out, err = translate(c, "<p>Hello.</p>", "en", "es", check_rc=1)
        took = time.monotonic() - t0
        eq(out, "", "nothing printed")
        check("no answer within 2 s" in err, "timeout named", err)
        # Not retried: a hung engine does not wake up in a second.
        check(1.5 < took < 6, "one timeout, no retries", took)
    finally:
        s.close()


def test_garbage_answers(w):
    mode = ["json-garbage"]

    def handler(fake, h):
        if h.path == "/listPairs":
            return reply(h, 200, APY_PAIRS)
        if mode[0] == "json-garbage":
            return reply(h, 200, "<html>Service Unavailable</html>",
                         "text/html")
        if mode[0] == "wrong-json":
            return reply(h, 200, json.dumps({"responseData": {"x": 1}}))
        if mode[0] == "genmark":
            # Apertium's mark for a word it could not generate, escaped
            # for its stream format: text, not a tag.
            return reply(h, 200, json.dumps({"responseData": {
                "translatedText": "Hola <a mb=\"0\">mundo</a> #\\<prn\\>."},
                "responseStatus": 200}))
        if mode[0] == "mangle":
            # A translation that loses the link's closing tag.
            return reply(h, 200, json.dumps({"responseData": {
                "translatedText": "Hola <a mb=\"0\">mundo."},
                "responseStatus": 200}))
        return reply(h, 500, json.dumps({"status": "error",
                                         "explanation": "boom"}))

    f = Fake(handler)
    try:
        c = with_engine(w, "bad", f.url, ["--retries", "1"])
        src = "<p>Hello <a href=\"/x\">world</a>.</p>"
        _, out, err = translate(c, src, "en", "es", check_rc=1)
        check("engine bad answered garbage" in err and out == "",
              "garbage", err)
        mode[0] = "wrong-json"
        _, out, err = translate(c, src, "en", "es", check_rc=1)
        check("no responseData.translatedText" in err, "wrong JSON", err)
        mode[0] = "genmark"
        _, out, err = translate(c, src, "en", "es")
        eq(out, "<p>Hola <a href=\"/x\">mundo</a> #&lt;prn&gt;.</p>",
           "generation mark kept as text")
        mode[0] = "mangle"
        _, out, err = translate(c, src, "en", "es", check_rc=1)
        check("mangled" in err and "</a>" in err and out == "",
              "mangled markup refused", err)
        mode[0] = "500"
        n = len(f.requests)
        _, out, err = translate(c, src, "en", "es", check_rc=1)
        check("HTTP 500: boom" in err, "engine error", err)
        eq(len([r for r in f.requests[n:] if r[1] == "/translate"]), 2,
           "retried once")
    finally:
        f.close()


def test_too_big(w):
    def handler(fake, h):
        reply(h, 200, APY_PAIRS)

    f = Fake(handler)
    try:
        c = with_engine(w, "fake", f.url)
        big = "<p>" + "a" * (1024 * 1024) + "</p>"
        _, out, err = translate(c, big, "en", "es", check_rc=1)
        check("over 1 MB" in err and out == "", "refused", err)
        eq([r for r in f.requests if r[1] == "/translate"], [],
           "no engine call")
    finally:
        f.close()


def test_bad_languages(w):
    c = with_engine(w)
    _, _, err = translate(c, "<p>x</p>", "en", "sw", check_rc=1)
    check("no engine translates en to sw" in err and "apy:" in err,
          "no pair, and what there is", err)
    # A variant of the same language: never through a pivot (APy has
    # en|es and es|en, which made en -> es -> en-GB).
    _, out, err = translate(c, "<p>Hello world</p>", "en", "en-GB",
                            "--json", check_rc=1)
    check(out == "" and "never translated through a pivot" in err,
          "no pivot between variants", out, err)
    _, _, err = translate(c, "<p>x</p>", "en", "e$", check_rc=1)
    check("not a language tag" in err, "bad tag", err)
    _, _, err = translate(c, "<p>x</p>", "en", "es", "--engine", "nope",
                          check_rc=1)
    check("no engine named" in err, "unknown engine", err)
    run(["translate-text", c.dir, "--from", "en"], stdin="", check_rc=2)


def test_libretranslate(w):
    """LibreTranslate has no Debian package: a compatible server that
    checks each request exactly as the API documents it."""
    key = "k-3f9a-secret"
    bad = []

    def handler(fake, h):
        if h.command == "GET" and h.path == "/languages":
            return reply(h, 200, json.dumps([
                {"code": "en", "name": "English", "targets": ["ar", "ru"]},
                {"code": "ar", "name": "Arabic", "targets": ["en"]}]))
        if h.command != "POST" or h.path != "/translate":
            bad.append("unexpected %s %s" % (h.command, h.path))
            return reply(h, 404, json.dumps({"error": "Not Found"}))
        body = fake.requests[-1][3]
        if h.headers.get("Content-Type") != "application/json":
            bad.append("content type " + str(h.headers.get("Content-Type")))
        try:
            j = json.loads(body)
        except ValueError:
            bad.append("body not JSON")
            return reply(h, 400, json.dumps({"error": "bad json"}))
        if set(j) != {"q", "source", "target", "format", "api_key"}:
            bad.append("fields %r" % sorted(j))
        if j.get("format") != "html":
            bad.append("format %r" % j.get("format"))
        if j.get("api_key") != key:
            return reply(h, 403, json.dumps({"error": "Invalid API key"}))
        q = j.get("q")
        if not (isinstance(q, str) or (isinstance(q, list) and q and
                                       all(isinstance(x, str) for x in q))):
            bad.append("q %r" % q)
            return reply(h, 400, json.dumps({"error": "Invalid request: "
                                             "missing q parameter"}))
        if (j.get("source"), j.get("target")) not in (("en", "ar"),
                                                       ("en", "ru")):
            return reply(h, 400, json.dumps({"error": "pair"}))
        if isinstance(q, list):
            out = [upper_outside_tags(x) for x in q]
        else:
            out = upper_outside_tags(q)
        return reply(h, 200, json.dumps({"translatedText": out}))

    f = Fake(handler)
    try:
        c = w.center("cairo")
        kf = os.path.join(w.root, "lt.key")
        with open(kf, "w") as fh:
            fh.write(key + "\n")
        _, out, err = run(["engine", "add", c.dir, "--name", "lt", "--kind",
                           "libretranslate", "--url", f.url + "/",
                           "--api-key-file", kf, "--max-chars", "200"])
        check("\tup\t" in out, "answers", out)
        stored = os.path.join(c.dir, "keys", "engine-lt.key")
        eq(stat.S_IMODE(os.stat(stored).st_mode), 0o600, "key mode")
        with open(os.path.join(c.dir, "engines.conf")) as fh:
            check(key not in fh.read(), "no key in engines.conf")
        _, lst, lerr = run(["engine", "list", c.dir])
        check("\ten|ar\ten|ar" in lst, "pairs", lst)
        html = ARTICLE * 3   # several batches of at most 200 bytes
        _, out, err = translate(c, html, "en", "ar")
        check("THE <em>ELECTION</em> RESULTS" in out, "translated", out)
        eq(skeleton(out), skeleton(html), "tags")
        eq(bad, [], "requests as the API documents them")
        sent = b"".join(r[3] for r in f.requests)
        check(b"example.org" not in sent and b"make test" not in sent,
              "attributes and code never sent")
        check(any(r[3].startswith(b'{"q": [') or b'"q":[' in r[3]
                  for r in f.requests), "batches as q lists")
        # The key is never printed.
        for s in (out, err, lst, lerr):
            check(key not in s, "key not printed")
        # A wrong key: the engine's refusal, named.
        with open(stored, "w") as fh:
            fh.write("wrong\n")
        _, _, err = translate(c, "<p>Hi.</p>", "en", "ar", check_rc=1)
        check("HTTP 403 (is its API key right?): Invalid API key" in err,
              "403", err)
        check(key not in err and "wrong" not in err, "key not printed")
        # A key file others may read is refused.
        os.chmod(stored, 0o644)
        _, _, err = translate(c, "<p>Hi.</p>", "en", "ar", check_rc=1)
        check("chmod 600" in err, "mode refused", err)
    finally:
        f.close()


if __name__ == "__main__":
    try:
        apylib.check_installed()
    except apylib.Unavailable as e:
        print("skipped: %s" % e)
        sys.exit(77)
    import tempfile
    work = tempfile.mkdtemp(prefix="mb-apy-")
    APY = apylib.Apy(work)
    try:
        APY.start()
        main(globals())
    finally:
        APY.stop()
        import shutil
        shutil.rmtree(work, ignore_errors=True)
