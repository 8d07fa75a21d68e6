# SPDX-License-Identifier: MIT
"""The site and its feeds over real HTTP: pages per language, headers,
weight, caching, the sanitizer, CSRF, and feeds that validate."""

import gzip
import json
import os
import shutil
import subprocess
import tempfile

from mbtest import SRCDIR, check, eq, main

ITEMS = os.path.join(SRCDIR, "tests", "site", "items.ndjson")
AR = "/ar/items/cairo/01jsite0ar000000000000000a"


def cairo(w):
    c = w.center("cairo", languages="ar,en,fr,ru")
    c.cli("import", ITEMS)
    c.serve()
    return c


def test_pages(w):
    c = cairo(w)
    cl = c.client()
    r = cl.get("/", headers={"Accept-Language": "ru,en;q=0.5"})
    eq(r.status, 302, "/")
    eq(r.headers["location"], "/ru/", "negotiated")
    # A browser naming no language the site speaks: the center's own first
    # language (Cairo: Arabic), not English.
    r = cl.get("/", headers={"Accept-Language": "de,nl;q=0.5"})
    eq(r.headers["location"], "/ar/", "center's language when none match")
    r = cl.get("/items/cairo/01jsite0ar000000000000000a",
               headers={"Accept-Language": "de"})
    eq(r.headers["location"], AR, "unprefixed path into the center's language")
    for path in ("/ar/", "/en/", "/fr/", "/ru/", AR, "/ar/events",
                 "/ar/centers/cairo", "/ar/topics/06000000",
                 "/ar/countries/EG", "/ru/search?q=%D0%BF%D0%BB%D0%B0%D0%BD",
                 "/ar/search"):
        r = cl.get(path)
        eq(r.status, 200, path)
        check(r.headers["content-type"].startswith("text/html"), path)
        check("etag" in r.headers, "ETag on " + path)
        check("cache-control" in r.headers, "Cache-Control on " + path)
        check("<main" in r.text and "lang=" in r.text, path)
    r = cl.get(AR)
    check('<html lang="ar" dir="rtl">' in r.text, "rtl item page")
    for want in ("Русский", "English", "Français", "srcset=", "نوفمبر"):
        check(want in r.text, "item page has " + want)
    # Every body goes through the sanitizer.
    for bad in ("<script", "onerror", "javascript:"):
        check(bad not in r.text, "item page leaks " + bad)
    # 304 on a matching ETag.
    r2 = cl.get(AR, headers={"If-None-Match": r.headers["etag"]})
    eq(r2.status, 304, "conditional GET")
    # Unknown pages: a readable 404 in the path's language.
    r = cl.get("/ar/nothing/here")
    eq(r.status, 404, "404")
    check("الصفحة غير موجودة" in r.text, "Arabic 404 page")
    eq(cl.get("/ar/items/cairo/nosuchitem").status, 404, "no item")
    eq(cl.get("/api/v1/nothing").error_code(), "not_found", "API 404 JSON")
    # The switcher remembers the choice in a cookie.
    r = cl.get("/language?set=fr&next=/fr/")
    eq(r.status, 303, "switch")
    check("mb_lang=fr" in r.headers.get("set-cookie", ""), "cookie")
    r = cl.get("/", headers={"Cookie": "mb_lang=fr",
                             "Accept-Language": "ar"})
    eq(r.headers["location"], "/fr/", "the choice wins")
    r = cl.get("/language?set=fr&next=//evil.example/")
    eq(r.headers["location"], "/fr/", "no open redirect")


def test_weight_and_compression(w):
    c = cairo(w)
    cl = c.client()
    r = cl.get(AR, headers={"Accept-Encoding": "gzip"})
    eq(r.headers.get("content-encoding"), "gzip", "compressed")
    check("accept-encoding" in r.headers.get("vary", "").lower(), "Vary")
    html = gzip.decompress(r.body)
    check(len(r.body) < 50 * 1024, "item page under 50 KB compressed: %d"
          % len(r.body))
    css = cl.get("/static/site.css", headers={"Accept-Encoding": "gzip"})
    eq(css.status, 200, "css")
    check(len(r.body) + len(css.body) < 50 * 1024, "page + css < 50 KB")
    check(b"<script" not in html, "no JavaScript on a reading page")
    # The stylesheet URL carries its hash: cached for a year.
    import re
    href = re.search(rb'href="(/static/site.css\?v=[0-9a-f]+)"', html)
    check(href is not None, "css link")
    r = cl.get(href.group(1).decode())
    check("immutable" in r.headers.get("cache-control", ""), "immutable css")


def test_feeds_validate(w):
    c = cairo(w)
    cl = c.client()
    rng = os.path.join(SRCDIR, "tests", "schemas", "atom.rng")
    tmp = tempfile.mkdtemp()
    try:
        for path in ("/feeds/ar.atom", "/feeds/en.atom",
                     "/feeds/topics/06000000.atom",
                     "/feeds/centers/cairo.atom"):
            r = cl.get(path)
            eq(r.status, 200, path)
            check(r.headers["content-type"].startswith(
                "application/atom+xml"), path)
            f = os.path.join(tmp, "f.atom")
            with open(f, "wb") as fh:
                fh.write(r.body)
            if shutil.which("xmllint"):
                p = subprocess.run(["xmllint", "--noout", "--relaxng", rng,
                                    f], capture_output=True, text=True)
                eq(p.returncode, 0, path + " validates: " + p.stderr)
            check(b"<script" not in r.body, path + " sanitized")
        check(b"<entry" in cl.get("/feeds/topics/06000000.atom").body,
              "topic feed has the item")
        r = cl.get("/feeds/ru.json")
        j = json.loads(r.body)
        eq(j["version"], "https://jsonfeed.org/version/1.1", "JSON Feed")
        check(all("id" in i for i in j["items"]) and j["items"], "items")
        r = cl.get("/events.ics")
        eq(r.status, 200, "ics")
        check(r.body.startswith(b"BEGIN:VCALENDAR\r\n"), "ics start")
        for line in r.body.split(b"\r\n"):
            check(len(line) <= 75, "folded at 75 octets")
        check(b"DTSTART:20261205T090000Z" in r.body, "event start")
        try:
            import icalendar  # noqa: F401 - Debian python3-icalendar
            cal = icalendar.Calendar.from_ical(r.body)
            eq(len(list(cal.walk("VEVENT"))), 1, "one event")
        except ImportError:
            pass
        eq(cl.get("/feeds/nope.txt").status, 404, "bad feed name")
    finally:
        shutil.rmtree(tmp)


def test_newsroom_forms(w):
    c = cairo(w)
    c.user_add("jo", "journalist", "journo-pass-1")
    cl = c.client()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = cl.post("/newsroom/login", raw=b"name=jo&password=wrong-pass",
                headers=form)
    eq(r.status, 401, "wrong password")
    check('id="err-password"' in r.text, "error next to the field")
    r = cl.post("/newsroom/login", raw=b"name=jo&password=journo-pass-1",
                headers=form)
    eq(r.status, 303, "login")
    cookie = r.headers["set-cookie"].split(";", 1)[0]
    check("HttpOnly" in r.headers["set-cookie"], "HttpOnly")
    h = dict(form, Cookie=cookie)
    r = cl.get("/newsroom/", headers={"Cookie": cookie})
    eq(r.status, 200, "desk")
    check("private" in r.headers.get("cache-control", ""), "desk private")
    import re
    csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    last = c.metric("mediabridge_log_seq")
    body = "headline=x&language=en&body=%3Cp%3Ey%3C%2Fp%3E&do=save"
    r = cl.post("/newsroom/new", raw=body.encode(), headers=h)
    eq(r.status, 403, "no CSRF token: refused")
    eq(c.metric("mediabridge_log_seq"), last, "nothing written")
    r = cl.post("/newsroom/new", raw=(body + "&csrf=" + csrf).encode(),
                headers=h)
    eq(r.status, 303, "created")
    check("/newsroom/items/cairo/" in r.headers["location"], "to the item")
    r = cl.post("/newsroom/new", raw=("headline=&language=en&body=&do=save"
                                      "&csrf=" + csrf).encode(), headers=h)
    eq(r.status, 422, "blank fields")
    check('id="err-headline"' in r.text and 'id="err-body"' in r.text,
          "each error by its field")



def test_newsroom_edit(w):
    """The editor page, a save, a stale save and a workflow action go
    through the newsroom service as the API does: the page shows the
    item's version, a save from it makes the next one, a save from an old
    page is refused (412) and writes nothing, and a draft is no one
    else's to open."""
    import re
    c = cairo(w)
    c.user_add("jo", "journalist", "journo-pass-1")
    c.user_add("jo2", "journalist", "journo-pass-2")
    cl = c.client()
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def login(name, pw):
        r = cl.post("/newsroom/login", raw=("name=%s&password=%s" % (
            name, pw)).encode(), headers=form)
        eq(r.status, 303, "login " + name)
        cookie = r.headers["set-cookie"].split(";", 1)[0]
        r = cl.get("/newsroom/", headers={"Cookie": cookie})
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
        return cookie, csrf

    cookie, csrf = login("jo", "journo-pass-1")
    h = dict(form, Cookie=cookie)
    body = "language=en&body=%3Cp%3Ey%3C%2Fp%3E&do=save&csrf=" + csrf
    r = cl.post("/newsroom/new", raw=("headline=First+take&" + body).encode(),
                headers=h)
    eq(r.status, 303, "created")
    page = r.headers["location"].split("?", 1)[0]
    r = cl.get(page, headers={"Cookie": cookie})
    eq(r.status, 200, "the editor page")
    check('value="First take"' in r.text, "the headline in the form")
    check('name="version" value="1"' in r.text, "the version it was made from")
    last = c.metric("mediabridge_log_seq")
    r = cl.post(page, raw=("headline=Second+take&version=1&" + body).encode(),
                headers=h)
    eq(r.status, 303, "saved: " + r.text[:300])
    check("done=saved" in r.headers["location"], "back to the item")
    eq(c.metric("mediabridge_log_seq"), last + 1, "one new version")
    r = cl.get(page, headers={"Cookie": cookie})
    check('value="Second take"' in r.text and
          'name="version" value="2"' in r.text, "the page shows version 2")
    # A page opened before that save is stale: refused, nothing written.
    r = cl.post(page, raw=("headline=Lost+update&version=1&" + body).encode(),
                headers=h)
    eq(r.status, 412, "a stale save")
    eq(c.metric("mediabridge_log_seq"), last + 1, "nothing written")
    # Another journalist's draft is not there for them.
    cookie2, csrf2 = login("jo2", "journo-pass-2")
    eq(cl.get(page, headers={"Cookie": cookie2}).status, 404,
       "someone else's draft")
    r = cl.post(page + "/submit", raw=("version=2&csrf=" + csrf2).encode(),
                headers=dict(form, Cookie=cookie2))
    eq(r.status, 404, "nor theirs to submit: " + r.text[:300])
    eq(c.metric("mediabridge_log_seq"), last + 1, "nothing written")
    # The author submits it; a journalist may not publish.
    r = cl.post(page + "/submit", raw=("version=2&csrf=" + csrf).encode(),
                headers=h)
    eq(r.status, 303, "submitted: " + r.text[:300])
    check("done=submit" in r.headers["location"], "back to the item")
    r = cl.post(page + "/publish", raw=("version=3&csrf=" + csrf).encode(),
                headers=h)
    eq(r.status, 403, "a journalist may not publish")
    eq(c.metric("mediabridge_log_seq"), last + 2, "only the submit written")


def test_search_direction(w):
    """A search hit's direction is its item's whole language tag, as on
    the item's page: hit_cb looked at the primary subtag only, so a
    pa-Arab (Punjabi in Arabic script) hit was laid out left to right."""
    import re
    c = w.center("cairo", languages="ar,en")
    base = {"type": "text", "versionCreated": "2026-11-20T10:00:00Z",
            "firstCreated": "2026-11-20T10:00:00Z"}
    items = [dict(base, uri="urn:mediabridge:cairo:01jdir00000000000000000" +
                  k, language=lang, headlines=[{"value": head}],
                  bodies=[{"value": "<p>%s water</p>" % head}])
             for k, lang, head in (("01", "pa-Arab", "پنجابی"),
                                   ("02", "pa", "ਪੰਜਾਬੀ"),
                                   ("03", "ar", "عربي"),
                                   ("04", "en", "English"))]
    path = os.path.join(w.root, "dir.ndjson")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(i) + "\n" for i in items))
    c.cli("import", path)
    c.serve()
    cl = c.client()
    r = cl.get("/en/search?q=water")
    eq(r.status, 200, "search")
    hits = {k: d for d, k in re.findall(
        r'<article lang="[^"]*" dir="([^"]*)">\s*<h2><a href="/en/items/'
        r'cairo/01jdir0+(\d+)"', r.text)}
    eq(hits, {"1": "rtl", "2": "ltr", "3": "rtl", "4": "ltr"},
       "each hit's direction (pa-Arab, pa, ar, en)")
    page = cl.get("/en/items/cairo/01jdir0000000000000000001").text
    check('dir="rtl"' in page, "the pa-Arab item's page is rtl too")
    # lang= is the whole tag too (a browser picks the script's fonts by
    # it): the item's page, its card and its hit said lang="pa".
    check('<article class="item" lang="pa-Arab"' in page,
          "the item's lang= is pa-Arab")
    langs = {k: l for l, k in re.findall(
        r'<article lang="([^"]*)" dir="[^"]*">\s*<h2><a href="/en/items/'
        r'cairo/01jdir0+(\d+)"', r.text)}
    eq(langs, {"1": "pa-Arab", "2": "pa", "3": "ar", "4": "en"},
       "each hit's lang=")
    card = cl.get("/en/centers/cairo").text
    check('<article lang="pa-Arab"' in card, "the card's lang=")


def test_search_deep_pages(w):
    """A search page past the store's ranked candidates (page 25 to 40,
    offset over 480) showed the failure message and "0 results"; it is
    now the last page the store allows. (And the API's in= filter.)"""
    c = w.center("cairo", languages="ar,en")
    it = {"type": "text", "versionCreated": "2026-11-20T10:00:00Z",
          "firstCreated": "2026-11-20T10:00:00Z", "language": "en",
          "uri": "urn:mediabridge:cairo:01jdeep0000000000000000001",
          "headlines": [{"value": "Deep water"}],
          "bodies": [{"value": "<p>water</p>"}]}
    path = os.path.join(w.root, "deep.ndjson")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(it) + "\n")
    c.cli("import", path)
    c.serve()
    cl = c.client()
    # A language tag is case-insensitive (RFC 5646 2.1.1): in=EN found
    # nothing.
    for tag in ("en", "EN", "En"):
        r = cl.get("/api/v1/search?q=water&in=" + tag)
        eq((r.status, json.loads(r.text)["total"]), (200, 1), "in=" + tag)
    # Too long a query is a bad query parameter (400 naming the limit),
    # not too large a request (413).
    for q, limit in ((" ".join("w%d" % i for i in range(33)), "32"),
                     ("a" * 2049, "2048")):
        r = cl.get("/api/v1/search?q=" + q.replace(" ", "+"))
        eq(r.status, 400, "a long query")
        check(limit in r.text, "the limit named: " + r.text)
    for page in ("24", "25", "30", "40", "41", "99999"):
        r = cl.get("/en/search?q=water&page=" + page)
        eq(r.status, 200, "page " + page)
        check("could not be done" not in r.text, "no failure, page " + page)
        check("1 result" in r.text, "the count, page " + page)


def test_headline_controls(w):
    """C0 control bytes in a headline became <mark> highlighting in search
    (\\u0002, \\u0003 are the highlighter's marks) and raw control
    characters in the item page's <h1>; they now reach neither."""
    c = w.center("cairo", languages="ar,en")
    it = {"type": "text", "versionCreated": "2026-11-20T10:00:00Z",
          "firstCreated": "2026-11-20T10:00:00Z", "language": "en",
          "uri": "urn:mediabridge:cairo:01jctl00000000000000000001",
          "headlines": [{"value": "Alpha \u0002beta\u0003 gamma\u0001 "
                                  "water"}],
          "bodies": [{"value": "<p>water</p>"}]}
    path = os.path.join(w.root, "ctl.ndjson")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(it) + "\n")
    c.cli("import", path)
    c.serve()
    cl = c.client()
    r = cl.get("/en/search?q=water")
    eq(r.status, 200, "search")
    check("1 result" in r.text, "found")
    check("<mark>beta" not in r.text, "no mark from a control byte")
    check(not any(ch in r.text for ch in "\x01\x02\x03"),
          "no control byte in the hits")
    r = cl.get("/en/items/cairo/01jctl00000000000000000001")
    eq(r.status, 200, "the item's page")
    check(not any(ch in r.text for ch in "\x01\x02\x03"),
          "no control byte in the item's page")


def test_event_times(w):
    """An event's page gives the hour it ends as it gives the hour it
    starts: the end was a date only ("Ends: 5 December 2026")."""
    import re
    c = cairo(w)
    r = c.client().get("/en/items/cairo/01jsite0ev000000000000000e")
    eq(r.status, 200, "the event's page")
    times = re.findall(r'<time datetime="2026-12-05T(09|12):00:00Z">'
                       r'([^<]*)</time>', r.text)
    eq(len(times), 2, "start and end")
    for hour, text in times:
        check(hour + ":00" in text, "the hour in %r" % text)


def test_event_links_to_its_page(w):
    """An event's card, search hit, feed entries and calendar link to
    its event page (programme, registration form), and its item page
    links there too: every link went to /<lang>/items/C/L, a page with
    the dates only and no way to register."""
    c = cairo(w)
    cl = c.client()
    ev = "cairo/01jsite0ev000000000000000e"
    eq(cl.get("/en/events/" + ev).status, 200, "the event page")
    for path in ("/en/events", "/en/centers/cairo",
                 "/en/search?q=%D9%85%D8%A4%D8%AA%D9%85%D8%B1"):
        body = cl.get(path).text
        check('href="/en/events/%s"' % ev in body, path + " links the "
              "event page", body[-3000:])
        check('href="/en/items/%s"' % ev not in body, path + ": not the "
              "item page")
    for path in ("/feeds/ar.atom", "/feeds/ar.json", "/events.ics"):
        body = cl.get(path).body.replace(b"\r\n ", b"")
        check(("/ar/events/" + ev).encode() in body or
              ("/en/events/" + ev).encode() in body, path + " links the "
              "event page", body[-2000:])
        check(("/items/" + ev).encode() not in body, path + ": not the "
              "item page")
    body = cl.get("/en/items/" + ev).text
    check('href="/en/events/%s"' % ev in body, "the item page links its "
          "event page")


def test_summary_is_text_for_readers(w):
    """A card's and a feed entry's summary is a plain-text (or HTML, as
    text) description with no data role: a member profile's first
    description, its data as application/json (role mb:member), was shown
    as the summary, raw JSON on the front page and in the feeds."""
    c = w.center("cairo", languages="en")
    base = {"type": "text", "language": "en",
            "versionCreated": "2026-11-20T10:00:00Z",
            "firstCreated": "2026-11-20T10:00:00Z"}
    items = [dict(base, uri="urn:mediabridge:cairo:01jsum000000000000000001",
                  headlines=[{"value": "A member"}],
                  descriptions=[{"role": "mb:member", "contentType":
                                 "application/json",
                                 "value": '{"secretish":"data"}'}],
                  bodies=[{"value": "<p>Profile body words.</p>"}]),
             dict(base, uri="urn:mediabridge:cairo:01jsum000000000000000002",
                  headlines=[{"value": "An HTML summary"}],
                  descriptions=[{"contentType": "text/html",
                                 "value": "<p>Marked <b>up</b> text.</p>"}],
                  bodies=[{"value": "<p>Other body.</p>"}])]
    path = os.path.join(w.root, "sum.ndjson")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(i) + "\n" for i in items))
    c.cli("import", path)
    c.serve()
    cl = c.client()
    for path in ("/en/", "/en/centers/cairo", "/feeds/en.atom",
                 "/feeds/en.json"):
        body = cl.get(path).text
        check("secretish" not in body, path + ": no raw JSON", body)
        check("Profile body words." in body, path + ": the body's text "
              "instead", body)
        check("Marked up text." in body, path + ": an HTML description "
              "as text", body)
        check("&lt;b&gt;" not in body and "<b>up" not in body, path +
              ": not its markup", body)


def test_bad_links(w):
    """A cut ?after= on a list, or /language?set= with no language of
    the site: a page in the reader's language, status 400; both answered
    the API's English JSON error."""
    c = cairo(w)
    cl = c.client()
    for path, hdrs, lang, want in (
            ("/ar/?after=zzz", {}, "ar", "رابط «مواد أقدم»"),
            ("/en/topics/06000000?after=1", {}, "en", "“Older items”"),
            ("/fr/events?after=1.0", {}, "fr", "« Articles plus anciens »"),
            ("/language?set=xx&next=/ru/", {"Accept-Language": "ru"}, "ru",
             "Этого языка нет"),
            ("/language", {"Cookie": "mb_lang=fr"}, "fr",
             "Cette langue n’est pas")):
        r = cl.get(path, headers=hdrs)
        eq(r.status, 400, path)
        check(r.headers.get("content-type", "").startswith("text/html"),
              path + ": a page, not JSON")
        check('<html lang="%s"' % lang in r.text, path + ": in " + lang)
        check(want in r.text, path + ": says why")
        check("set-cookie" not in r.headers, path + ": no cookie")


def test_control_characters_in_path(w):
    """A path with CR/LF (decoded %0d%0a) in it: the language redirect
    answered 302 Found with no Location (libmicrohttpd refuses such a
    value silently; no header was injected, but the redirect was
    broken). No page has such a path: 404, the events redirect (which
    takes the center from the path) too."""
    c = cairo(w)
    cl = c.client()
    for path in ("/xx/items/a%0d%0aSet-Cookie:%20pwn=1",
                 "/items/a%0d%0aSet-Cookie:%20pwn=1",
                 "/items/cairo/01jsite0ar00000000000%0d0a",
                 "/de/search%0a", "/search%09x%01"):
        r = cl.get(path)
        eq(r.status, 404, path)
        check("location" not in r.headers and "set-cookie" not in
              r.headers, path + ": no Location, no cookie", r.headers)
    # The same paths without the controls still redirect.
    r = cl.get("/xx/items/a", headers={"Accept-Language": "en"})
    eq((r.status, r.headers.get("location")), (302, "/en/items/a"),
       "a language redirect")
    r = cl.get("/events/x%0d%0aSet-Cookie:%20pwn=1/"
               "01jsite0ar000000000000000a")
    eq(r.status, 404, "an events path whose center is no center id")
    check("location" not in r.headers and "set-cookie" not in r.headers,
          "no Location, no cookie", r.headers)
    check("header=Location refused" not in c.log(), "nothing refused")
    r = cl.get("/events/cairo/01jsite0ar000000000000000a",
               headers={"Accept-Language": "en"})
    eq((r.status, r.headers.get("location")),
       (302, "/en/events/cairo/01jsite0ar000000000000000a"),
       "the events redirect")


if __name__ == "__main__":
    main(globals())
