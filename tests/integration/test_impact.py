#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Impact figures without tracking (docs/impact.md): views counted in the
server as daily aggregates, uniques by a keyed hash that is never stored,
X-Forwarded-For only from trusted proxies, bots and opt-outs dropped, the
stats API bounded, and nothing that identifies a reader in the store."""
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
from mbtest import check, eq, main, run, wait_for  # noqa: E402

FIREFOX = ("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 "
           "Firefox/120.0")
CHROME = ("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like "
          "Gecko) Chrome/119.0 Mobile Safari/537.36")
LONG_UA = "Mozilla/5.0 " + "x" * 10000
FORGED = "203.0.113.77"
REAL = "8.8.8.8"


def configure(c, extra=""):
    with open(os.path.join(c.dir, "mediabridge.conf"), "a") as f:
        f.write("\n[impact]\nflush_s = 1\nreport_s = 3600\n" + extra)


def publish(c, ed, headline):
    r = ed.post("/api/v1/items", {"item": {
        "type": "text", "language": "en",
        "headlines": [{"value": headline}],
        "bodies": [{"value": "<p>%s.</p>" % headline}]},
        "meta": {"workflow": "published"}})
    eq(r.status, 201, "create: %s" % r.text)
    _, _, center, local = r.json["item"]["uri"].split(":")
    return center, local


def stats(ed, **q):
    r = ed.get("/api/v1/stats", query=q)
    eq(r.status, 200, "stats %r: %s" % (q, r.text))
    return r.json["rows"]


def total(rows):
    return sum(r["views"] for r in rows)


def store_bytes(c):
    """The store's files, byte for byte (database, WAL), as text: what
    anyone who copies the data directory could read."""
    out = b""
    for name in ("store.db", "store.db-wal"):
        p = os.path.join(c.dir, name)
        if os.path.exists(p):
            with open(p, "rb") as f:
                out += f.read()
    check(len(out) > 0, "the store's files")
    return out.decode("latin-1")


def test_counting(w):
    c = w.center("cairo")
    configure(c, "\n[server]\ntrusted_proxies = 10.9.9.9\n")
    c.user_add("edi", "editor")
    c.serve()
    ed = c.client(c.token_add("edi"))
    center, local = publish(c, ed, "Nile festival")
    page = "/en/items/%s/%s" % (center, local)
    rd = c.client()

    # One reader, five times: five views, one unique.
    for _ in range(5):
        eq(rd.get(page, headers={"User-Agent": FIREFOX}).status, 200)
    # Another browser, from a campaign link and a referrer.
    eq(rd.get(page, headers={
        "User-Agent": CHROME,
        "Referer": "https://www.News.Example.org:8443/a/b?c=d"},
        query={"utm_campaign": "spring-tour", "utm_source": "newsletter",
               "utm_medium": "email"}).status, 200)
    # Not counted: bots, no user agent, DNT and Sec-GPC.
    eq(rd.get(page, headers={"User-Agent": "Googlebot/2.1"}).status, 200)
    eq(rd.get(page).status, 200)
    eq(rd.get(page, headers={"User-Agent": FIREFOX, "DNT": "1"}).status, 200)
    eq(rd.get(page, headers={"User-Agent": FIREFOX,
                             "Sec-GPC": "1"}).status, 200)
    # Nor a browser's prefetch or prerender: nobody has read it.
    eq(rd.get(page, headers={"User-Agent": FIREFOX,
                             "Sec-Purpose": "prefetch;prerender"}).status,
       200)
    eq(rd.get(page, headers={"User-Agent": FIREFOX,
                             "Purpose": "prefetch"}).status, 200)
    # Counted, handled: a 10 KB user agent, a malformed referrer, and a
    # forged X-Forwarded-For from a peer that is no trusted proxy (the
    # connection's address counts, so it is this reader again).
    eq(rd.get(page, headers={"User-Agent": LONG_UA,
                             "Referer": "ht!tp://[::1"}).status, 200)
    eq(rd.get(page, headers={"User-Agent": FIREFOX,
                             "X-Forwarded-For": FORGED}).status, 200)
    # A listing and a feed count too, each as what it is.
    eq(rd.get("/en/", headers={"User-Agent": FIREFOX}).status, 200)
    eq(rd.get("/feeds/en.atom", headers={"User-Agent": FIREFOX}).status, 200)
    # Not counted: the newsroom's own staff reading the site (not
    # readers; and an internal item's uri would go out in the report).
    eq(ed.get(page, headers={"User-Agent": FIREFOX}).status, 200)

    def flushed():
        rows = stats(ed, by="item")
        return rows if total(rows) >= 10 else None
    rows = wait_for(flushed, 10, "the counts flushed")
    items = {(r["kind"], r["key"]): r for r in rows}
    it = items[("item", "%s/%s" % (center, local))]
    eq(it["views"], 8, "item views: %r" % rows)
    # Firefox (3 rows: plain, forged XFF same reader), Chrome, long UA.
    eq(it["uniques"], 3, "item uniques: %r" % rows)
    check(("page", "/") in items, "the front page counted", rows)
    check(("feed", "/feeds/en.atom") in items, "the feed counted", rows)

    refs = {r["referrer"]: r["views"] for r in stats(ed, by="referrer")}
    eq(refs.get("news.example.org"), 1, "referrer host: %r" % refs)
    camps = {r["campaign"]: r["views"] for r in stats(ed, by="campaign")}
    eq(camps.get("spring-tour"), 1, "campaign: %r" % camps)
    srcs = stats(ed, by="source")
    check(any(r["source"] == "newsletter" and r["medium"] == "email"
              for r in srcs), "utm_source, utm_medium", srcs)
    langs = {r["language"]: r["views"] for r in stats(ed, by="language")}
    eq(langs.get("en"), 10, "languages: %r" % langs)
    countries = {r["country"] for r in stats(ed, by="country")}
    check(FORGED not in str(countries), "no address as a country")
    days = stats(ed, by="day")
    eq(len(days), 1, "one day: %r" % days)

    # CSV export: a header and the same figures.
    r = ed.get("/api/v1/stats", query={"by": "language", "format": "csv"})
    eq(r.status, 200, r.text)
    check(r.headers["content-type"].startswith("text/csv"), "csv type")
    check(r.text.startswith("language,views,uniques\r\n"), "csv header",
          r.text)
    check("en,10," in r.text, "csv row", r.text)

    # The newsroom's impact view: an accessible SVG chart with a table of
    # the same figures beside each, and the CSV of each.
    r = ed.get("/newsroom/impact")
    eq(r.status, 200, r.text)
    for sid in ("days", "countries", "languages", "items", "referrers",
                "campaigns"):
        check('aria-labelledby="%s-t"' % sid in r.text and
              '<title id="%s-t">' % sid in r.text, "chart %s" % sid)
        check("format=csv&amp;limit=1000&amp;by=" in r.text, "csv link")
    check(r.text.count('<table class="rows">') == 6, "a table per chart")
    check("Nile festival" in r.text, "top items by headline")
    check("news.example.org" in r.text and "spring-tour" in r.text,
          "referrers and campaigns")
    check("<td>10</td>" in r.text, "the language's views in the table")
    check("<script" not in r.text, "no script")
    # Any period; a wrong one is refused, naming what is wrong.
    r = ed.get("/newsroom/impact", query={"from": "2020-01-01",
                                          "to": "2020-01-31"})
    eq(r.status, 200, r.text)
    check("No views in this period" in r.text, "an empty period")
    r = ed.get("/newsroom/impact", query={"from": "2016-01-01",
                                          "to": "2026-01-01"})
    eq(r.status, 400, r.text)
    check("at most 800" in r.text, "the period's limit named", r.text)
    eq(rd.get("/newsroom/impact").status, 303, "a reader is sent away")
    r = ed.get("/newsroom/impact/network")
    eq(r.status, 200, r.text)
    check('<title id="centers-t">' in r.text, "the network's chart")

    # Nothing in the store identifies a reader (127.0.0.1 is also the
    # center's own URL: test_trusted_proxy looks for readers' addresses).
    c.stop()
    text = store_bytes(c)
    for secret in (FORGED, "Firefox", "Chrome", "Mozilla",
                   "xxxxxxxxxx", "Googlebot"):
        check(secret not in text, "the store holds %r" % secret)


def test_one_reader_one_unique(w):
    """A reader is one unique of an item that day whatever link brought
    them: the referrer and utm_* are theirs to choose (5 sources and 3
    referrers were 8 uniques). The unique goes to their first view's
    aggregate, so each breakdown's uniques add up to the item's."""
    c = w.center("cairo")
    configure(c)
    c.user_add("edi", "editor")
    c.serve()
    ed = c.client(c.token_add("edi"))
    center, local = publish(c, ed, "Nile festival")
    page = "/en/items/%s/%s" % (center, local)
    rd = c.client()
    for i in range(5):
        eq(rd.get(page, headers={"User-Agent": FIREFOX},
                  query={"utm_source": "s%d" % i}).status, 200)
    for i in range(3):
        eq(rd.get(page, headers={
            "User-Agent": FIREFOX,
            "Referer": "https://r%d.example.com/" % i}).status, 200)
    eq(rd.get(page, headers={"User-Agent": CHROME,
                             "Referer": "https://r2.example.com/"}).status,
       200)
    rows = wait_for(lambda: (lambda r: r if total(r) >= 9 else None)(
        stats(ed, by="item")), 10, "the counts flushed")
    eq(rows[0]["views"], 9, "views: %r" % rows)
    eq(rows[0]["uniques"], 2, "uniques: %r" % rows)
    srcs = {r["source"]: r["uniques"] for r in stats(ed, by="source")}
    eq(srcs, {"s0": 1, "s1": 0, "s2": 0, "s3": 0, "s4": 0, "": 1},
       "uniques by source")
    refs = {r["referrer"]: (r["views"], r["uniques"])
            for r in stats(ed, by="referrer")}
    eq(refs, {"": (5, 1), "r0.example.com": (1, 0),
              "r1.example.com": (1, 0), "r2.example.com": (2, 1)},
       "by referrer")


def test_trusted_proxy(w):
    c = w.center("cairo")
    configure(c, "\n[server]\ntrusted_proxies = 127.0.0.0/8, ::1\n")
    c.user_add("edi", "editor")
    c.serve()
    ed = c.client(c.token_add("edi"))
    center, local = publish(c, ed, "Proxy")
    page = "/ar/items/%s/%s" % (center, local)
    rd = c.client()
    # Two readers behind the proxy: two uniques; a chain whose right-most
    # untrusted hop is the reader; a flood from one: one unique.
    for _ in range(20):
        rd.get(page, headers={"User-Agent": FIREFOX,
                              "X-Forwarded-For": REAL})
    rd.get(page, headers={"User-Agent": FIREFOX,
                          "X-Forwarded-For": "1.1.1.1"})
    rd.get(page, headers={"User-Agent": FIREFOX,
                          "X-Forwarded-For": "garbage, " + REAL +
                          ", 127.0.0.5"})
    rows = wait_for(lambda: (lambda r: r if total(r) >= 22 else None)(
        stats(ed, by="item")), 10, "the counts flushed")
    eq(rows[0]["views"], 22, "views: %r" % rows)
    eq(rows[0]["uniques"], 2, "uniques: %r" % rows)
    langs = {r["language"] for r in stats(ed, by="language")}
    eq(langs, {"ar"}, "the page's language")
    countries = {r["country"]: r["views"] for r in stats(ed, by="country")}
    if os.path.exists("/var/lib/location/database.db"):
        eq(countries.get("US"), 21, "countries (libloc): %r" % countries)
        eq(countries.get("AU"), 1, "countries (libloc): %r" % countries)
    else:
        eq(set(countries), {"unknown"}, "no database: %r" % countries)
    c.stop()
    text = store_bytes(c)
    for secret in (REAL, "1.1.1.1", "Firefox"):
        check(secret not in text, "the store holds %r" % secret)


def test_stats_bad_input(w):
    c = w.center("cairo")
    configure(c)
    c.user_add("edi", "editor")
    c.user_add("mem", "member")
    c.serve()
    ed = c.client(c.token_add("edi"))
    eq(c.client().get("/api/v1/stats").status, 401, "a reader")
    eq(c.client(c.token_add("mem")).get("/api/v1/stats").status, 403,
       "a member")
    for q, what in (({"by": "everything"}, "by"),
                    ({"from": "2016-01-01", "to": "2026-01-01"}, "days"),
                    ({"from": "2026-13-01"}, "from"),
                    ({"from": "2026-02-30"}, "from"),
                    ({"from": "2026-03-02", "to": "2026-03-01"}, "after"),
                    ({"limit": "0"}, "limit"),
                    ({"limit": "100000"}, "limit"),
                    ({"kind": "cookie"}, "kind"),
                    ({"format": "xml"}, "format")):
        r = ed.get("/api/v1/stats", query=q)
        eq(r.status, 400, "%r: %s" % (q, r.text))
        check(what in r.json["error"]["message"], "names %s" % what,
              r.text)
    # Ten years by every dimension: each refused at once, not computed.
    for by in ("item", "language", "country", "referrer", "campaign",
               "center"):
        t0 = time.monotonic()
        r = ed.get("/api/v1/stats", query={"from": "2016-01-01",
                                           "to": "2025-12-31", "by": by})
        eq(r.status, 400, r.text)
        check(time.monotonic() - t0 < 2, "answered at once")
    # The most a query may cover answers, bounded.
    r = ed.get("/api/v1/stats", query={"from": "2024-01-01",
                                       "to": "2026-03-09", "by": "item",
                                       "limit": "1000"})
    eq(r.status, 200, r.text)


def day(n=0):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + n * 86400))


def test_campaigns(w):
    c = w.center("cairo")
    configure(c)
    c.user_add("edi", "editor")
    c.user_add("tra", "translator")
    c.serve()
    ed = c.client(c.token_add("edi"))
    center, local = publish(c, ed, "Nile cruise")
    uri = "urn:mediabridge:%s:%s" % (center, local)
    made = {}
    # Today is during A, after B (it ended yesterday), before C.
    for tag, starts, ends in (("nile-a", day(0), ""),
                              ("nile-b", day(-1), day(-1)),
                              ("nile-c", day(1), day(2))):
        r = ed.post("/api/v1/campaigns", {
            "name": "Nile " + tag, "utm_campaign": tag,
            "topics": "tourism", "items": uri, "starts": starts,
            "ends": ends})
        eq(r.status, 201, r.text)
        made[tag] = r.json["campaign"]["id"]
    # Bad input: named, nothing stored.
    for body, what in (({"name": "x", "utm_campaign": "bad tag",
                         "starts": day()}, "utm_campaign"),
                       ({"name": "x", "utm_campaign": "ok", "starts": day(),
                         "ends": day(-5)}, "ends"),
                       ({"name": "x", "utm_campaign": "ok2",
                         "starts": day(), "items": "http://x/y"}, "items"),
                       ({"utm_campaign": "ok3", "starts": day()}, "name"),
                       # Arrays were taken as "not given": stored without.
                       ({"name": "x", "utm_campaign": "ok4", "starts": day(),
                         "items": [uri]}, "items"),
                       ({"name": "x", "utm_campaign": "ok5", "starts": day(),
                         "topics": ["tourism"]}, "topics")):
        r = ed.post("/api/v1/campaigns", body)
        eq(r.status, 400, r.text)
        check(what in r.json["error"]["message"], "names %s" % what, r.text)
    r = ed.post("/api/v1/campaigns", {"name": "again", "utm_campaign":
                                      "nile-a", "starts": day()})
    eq(r.status, 409, r.text)
    tr = c.client(c.token_add("tra"))
    r = tr.post("/api/v1/campaigns", {"name": "t", "utm_campaign": "tt",
                                      "starts": day()})
    eq(r.status, 403, "a translator adds no campaign: %s" % r.text)
    eq(len(tr.get("/api/v1/campaigns").json["campaigns"]), 3, "listed")
    eq(c.client().get("/api/v1/campaigns").status, 401, "a reader")

    rd = c.client()
    page = "/en/items/%s/%s" % (center, local)
    for _ in range(3):
        rd.get(page, headers={"User-Agent": FIREFOX})
    rd.get(page, headers={"User-Agent": FIREFOX},
           query={"utm_campaign": "nile-a"})
    rd.get("/en/", headers={"User-Agent": CHROME},
           query={"utm_campaign": "nile-a"})
    wait_for(lambda: total(stats(ed, by="day")) >= 5, 10, "flushed")

    def reach(tag):
        r = ed.get("/api/v1/campaigns/%d" % made[tag])
        eq(r.status, 200, r.text)
        return r.json["campaign"]["reach"]
    a = reach("nile-a")
    # Its item's 4 views and the front page reached by its link; the
    # item view under its link counted once.
    eq(a["during"]["views"], 5, "A during: %r" % a)
    eq({x["language"]: x["views"] for x in a["during"]["languages"]},
       {"en": 5}, "A by language")
    eq(sum(x["views"] for x in a["during"]["countries"]), 5, "A countries")
    eq(a["before"]["views"], 0, "A before")
    check(a["after"]["empty"], "A: after has not begun", a)
    b = reach("nile-b")
    eq(b["after"]["views"], 4, "B after: %r" % b)
    eq(b["during"]["views"], 0, "B during")
    cc = reach("nile-c")
    eq(cc["before"]["views"], 4, "C before: %r" % cc)
    check(cc["during"]["empty"], "C: not begun", cc)
    eq(ed.get("/api/v1/campaigns/999").status, 404, "no such campaign")
    # The command line says the same.
    _, out, _ = run(["campaign", "show", c.dir, str(made["nile-a"])])
    check("during %s..%s views=5" % (day(), day()) in out, "cli show", out)
    check("language en views=5" in out, "cli by language", out)

    # The newsroom's pages: the list, the form, each campaign's reach.
    r = ed.get("/newsroom/campaigns")
    eq(r.status, 200, r.text)
    check("Nile nile-b" in r.text and 'action="/newsroom/campaigns"' in
          r.text, "the list and the form")
    r = ed.get("/newsroom/campaigns/%d" % made["nile-a"])
    eq(r.status, 200, r.text)
    for sid in ("during-countries", "during-languages", "before-countries"):
        check('<title id="%s-t">' % sid in r.text, "chart %s" % sid)
    check('id="sum-during"' in r.text and "<td>5</td>" in r.text,
          "the summary", r.text)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = ed.post("/newsroom/campaigns", headers=form, raw=urllib.parse.
                urlencode({"name": "Form", "utm": "no way",
                           "starts": day()}).encode())
    eq(r.status, 400, r.text)
    check("utm_campaign" in r.text and 'value="Form"' in r.text,
          "the form again with the reason", r.text)
    r = ed.post("/newsroom/campaigns", headers=form, raw=urllib.parse.
                urlencode({"name": "Form", "utm": "form-1",
                           "starts": day()}).encode())
    eq(r.status, 303, r.text)
    check(r.headers["location"].startswith("/newsroom/campaigns/"),
          "to its page")
    eq(ed.get("/newsroom/campaigns/999").status, 404, "no such page")


if __name__ == "__main__":
    main(globals())
