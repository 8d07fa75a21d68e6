# SPDX-License-Identifier: MIT
"""The feeds on a live server, checked by independent readers: Atom
parsed with xml.etree and validated by xmllint against
tests/schemas/atom.rng (RFC 4287), JSON Feed 1.1 by its required fields,
and both through python3-feedparser where it is installed. Per language
(Arabic right to left, Russian, French, English, and Persian, a language
the site has no catalog for), per topic and per center: the right items,
only public and published ones, text intact, links absolute to the
center's URL. There is no RSS 2.0 output (docs/site.md): its paths 404."""

import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from mbtest import SRCDIR, check, eq, main, wait_for

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RNG = os.path.join(SRCDIR, "tests", "schemas", "atom.rng")
TOPIC = "http://cv.iptc.org/newscodes/mediatopic/"

HEADLINES = {
    "ar": ["سدّ النهضة: جولة مفاوضات جديدة", "مهرجان الكتاب في الإسكندرية"],
    "ru": ["Новый мост через Неву открыт"],
    "fr": ["Les pêcheurs de Dakar face à la sécheresse"],
    "en": ["Rail link reaches the port", "Clinic opens in the delta"],
    "fa": ["نمایشگاه کتاب تهران گشایش یافت"],
}


def items():
    out = []
    for lang, heads in HEADLINES.items():
        for i, h in enumerate(heads):
            out.append({
                "type": "text", "language": lang,
                "headlines": [{"value": h}],
                "descriptions": [{"value": "«%s» — %s" % (h, lang)}],
                "bodies": [{"value": "<p>%s</p><p dir=\"auto\">%s &amp; "
                            "1&lt;2</p>" % (h, h), "contentType":
                            "text/html"}],
                "subjects": [{"name": "Economy", "uri": TOPIC +
                              ("04000000" if i == 0 else "01000000")}]})
    return out


def write_items(c, name, values):
    p = os.path.join(c.world.root, name)
    with open(p, "w", encoding="utf-8") as f:
        for v in values:
            f.write(json.dumps(v, ensure_ascii=False) + "\n")
    return p


def setup(w):
    c = w.center("cairo", languages="ar,en,fr,ru")
    c.cli("import", write_items(c, "public.ndjson", items()))
    hidden = [{"type": "text", "language": lang, "headlines": [{
        "value": "HIDDEN network item " + lang}], "bodies": [{
            "value": "<p>members only</p>"}]} for lang in HEADLINES]
    c.cli("import", "--audience", "network",
          write_items(c, "network.ndjson", hidden))
    c.serve()
    return c


def xmllint_ok(body):
    """None when xmllint is missing, else (ok, message)."""
    if not shutil.which("xmllint"):
        return None
    d = tempfile.mkdtemp()
    try:
        f = os.path.join(d, "feed.atom")
        with open(f, "wb") as fh:
            fh.write(body)
        p = subprocess.run(["xmllint", "--noout", "--relaxng", RNG, f],
                           capture_output=True, text=True)
        return p.returncode == 0, p.stderr
    finally:
        shutil.rmtree(d)


def feedparser():
    try:
        import feedparser as fp  # Debian python3-feedparser
        return fp
    except ImportError:
        return None


def newsboat_unread(url):
    """How many articles newsboat (Debian's newsboat, a reader people
    use on slow links) finds in the feed at url, or None without it."""
    if shutil.which("newsboat") is None:
        return None
    d = tempfile.mkdtemp(prefix="mb-newsboat-")
    try:
        urls = os.path.join(d, "urls")
        with open(urls, "w") as f:
            f.write(url + "\n")
        p = subprocess.run(["newsboat", "-u", urls, "-c",
                            os.path.join(d, "cache.db"), "-C", "/dev/null",
                            "-x", "reload", "print-unread"],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, HOME=d))
        check(p.returncode == 0, "newsboat ran", p.stdout, p.stderr)
        return int(p.stdout.split()[0])
    finally:
        shutil.rmtree(d)


def check_atom(c, body, lang, want_titles, what):
    root = ET.fromstring(body)
    eq(root.tag, ATOM + "feed", what + ": an Atom feed")
    if lang is not None:
        eq(root.get(XML_LANG), lang, what + ": xml:lang")
    for k in ("id", "title", "updated"):
        check(root.find(ATOM + k) is not None, what + ": feed " + k)
    entries = root.findall(ATOM + "entry")
    titles = [e.find(ATOM + "title").text for e in entries]
    eq(sorted(titles), sorted(want_titles), what + ": entries")
    ids = [e.find(ATOM + "id").text for e in entries]
    eq(len(set(ids)), len(ids), what + ": ids unique")
    base = "http://" + c.addr
    for e in entries:
        check(e.find(ATOM + "id").text.startswith("urn:mediabridge:cairo:"),
              what + ": the item's uri as id")
        link = e.find(ATOM + "link[@rel='alternate']")
        check(link is not None, what + ": alternate link")
        href = link.get("href")
        conf_url = center_url(c)
        check(href.startswith(conf_url + "/"), what + ": link from the "
              "center's URL", href, conf_url, base)
        content = e.find(ATOM + "content")
        eq(content.get("type"), "html", what + ": html content")
        title = e.find(ATOM + "title").text
        if any(title in h for h in HEADLINES.values()):
            check(title in content.text, what + ": content has its text")
            check("1&lt;2" in content.text,
                  what + ": escaped once, not twice")
        else:
            check(content.text, what + ": content")
        if lang is not None:
            eq(e.get(XML_LANG, root.get(XML_LANG)), lang,
               what + ": entry language")
    v = xmllint_ok(body)
    if v is not None:
        check(v[0], what + ": valid against atom.rng", v[1])
    fp = feedparser()
    if fp is not None:
        d = fp.parse(body)
        check(not d.bozo, what + ": feedparser: well formed",
              d.get("bozo_exception"))
        eq(sorted(x.title for x in d.entries), sorted(want_titles),
           what + ": feedparser titles")
        if lang is not None:
            eq(d.feed.get("language"), lang, what + ": feedparser language")
    return entries


def center_url(c):
    with open(os.path.join(c.dir, "mediabridge.conf")) as f:
        for line in f:
            k, _, v = line.partition("=")
            if k.strip() == "url":
                return v.strip().rstrip("/")
    return "http://" + c.addr


def check_json_feed(c, body, lang, want_titles, what):
    j = json.loads(body)
    eq(j["version"], "https://jsonfeed.org/version/1.1", what + ": version")
    check(isinstance(j.get("title"), str) and j["title"], what + ": title")
    if lang is not None:
        eq(j.get("language"), lang, what + ": language")
    eq(sorted(i["title"] for i in j["items"]), sorted(want_titles),
       what + ": items")
    for i in j["items"]:
        check(isinstance(i.get("id"), str) and i["id"], what + ": item id")
        check(i.get("content_html") or i.get("content_text"),
              what + ": content")
        check(i["url"].startswith(center_url(c) + "/"), what + ": url")
        if lang is not None:
            eq(i.get("language"), lang, what + ": item language")
    fp = feedparser()
    if fp is not None and hasattr(fp, "parse"):
        d = fp.parse(body)
        if d.get("version", "").startswith("json"):
            eq(sorted(x.title for x in d.entries), sorted(want_titles),
               what + ": feedparser JSON Feed titles")


def test_language_feeds(w):
    c = setup(w)
    cl = c.client()
    for lang, heads in HEADLINES.items():
        r = cl.get("/feeds/%s.atom" % lang)
        eq(r.status, 200, lang + " Atom")
        check(r.headers["content-type"].startswith("application/atom+xml"),
              "Atom content type", r.headers["content-type"])
        check(b"HIDDEN" not in r.body, lang + ": no network item")
        check_atom(c, r.body, lang, heads, lang + ".atom")
        r = cl.get("/feeds/%s.json" % lang)
        eq(r.status, 200, lang + " JSON Feed")
        check(r.headers["content-type"].startswith("application/feed+json")
              or r.headers["content-type"].startswith("application/json"),
              "JSON Feed content type", r.headers["content-type"])
        check(b"HIDDEN" not in r.body, lang + ": no network item (json)")
        check_json_feed(c, r.body, lang, heads, lang + ".json")
    # A feed reader's own parser takes every entry of each (Atom only:
    # Debian 12's newsboat, 2.21, reads no JSON Feed).
    for lang, heads in HEADLINES.items():
        n = newsboat_unread("http://%s/feeds/%s.atom" % (c.addr, lang))
        if n is not None:
            eq(n, len(heads), "newsboat: %s.atom" % lang)
    # A language with nothing yet: an empty feed that still validates.
    r = cl.get("/feeds/de.atom")
    eq(r.status, 200, "empty feed")
    check_atom(c, r.body, "de", [], "de.atom")
    check_json_feed(c, cl.get("/feeds/de.json").body, "de", [], "de.json")
    # No RSS, and no path tricks.
    for path in ("/feeds/en.rss", "/feeds/en.xml", "/feeds/en",
                 "/feeds/topics/..%2f..%2fmediabridge.conf.atom"):
        check(cl.get(path).status in (400, 404), "refused: " + path)


def test_right_to_left(w):
    c = setup(w)
    cl = c.client()
    for lang in ("ar", "fa"):
        root = ET.fromstring(cl.get("/feeds/%s.atom" % lang).body)
        for e in root.findall(ATOM + "entry"):
            title = e.find(ATOM + "title").text
            check(title in HEADLINES[lang], "%s title intact: %r" %
                  (lang, title))
            href = e.find(ATOM + "link[@rel='alternate']").get("href")
            path = "/" + href.split("/", 3)[3]
            # Every link of a feed leads to a page, also for a language
            # the site has no interface catalog for (fa: English pages).
            page = cl.get(path)
            eq(page.status, 200, "the entry's page " + path)
            check(path.startswith("/%s/" % ("ar" if lang == "ar" else
                                            "en")), "page language", path)
            check('lang="%s" dir="rtl"' % lang in page.text,
                  "the %s page is laid out right to left" % lang)
    # An Arabic item in the English feed of its topic keeps its own
    # language on the entry, and the English page it links to lays the
    # item out right to left inside a left-to-right page.
    body = cl.get("/feeds/topics/04000000.atom").body
    root = ET.fromstring(body)
    by_lang = {e.get(XML_LANG): e for e in root.findall(ATOM + "entry")}
    eq(sorted(by_lang), sorted(HEADLINES), "one per language in the topic")
    v = xmllint_ok(body)
    if v is not None:
        check(v[0], "topic feed valid", v[1])
    href = by_lang["ar"].find(ATOM + "link[@rel='alternate']").get("href")
    page = cl.get("/" + href.split("/", 3)[3].replace("ar/", "en/", 1))
    check('dir="rtl"' in page.text and 'dir="ltr"' in page.text,
          "rtl item on an ltr page")


def test_topic_center_and_updates(w):
    c = setup(w)
    cl = c.client()
    firsts = [h[0] for h in HEADLINES.values()]
    everyone = [x for h in HEADLINES.values() for x in h]
    check_atom(c, cl.get("/feeds/topics/04000000.atom").body, None, firsts,
               "topic 04000000")
    check_atom(c, cl.get("/feeds/topics/04000000.atom?lang=ar").body, "ar",
               firsts[:1], "topic 04000000 in ar")
    check_json_feed(c, cl.get("/feeds/topics/01000000.json").body, None,
                    [x for x in everyone if x not in firsts], "topic 01")
    check_atom(c, cl.get("/feeds/centers/cairo.atom").body, None, everyone,
               "center cairo")
    eq(cl.get("/feeds/centers/nosuch.atom").status, 404, "unknown center")
    # A new item appears in its feeds (the response cache lets go).
    c.user_add("edi", "editor")
    ed = c.client(c.token_add("edi"))
    r = ed.post("/api/v1/items", {"item": {
        "type": "text", "language": "ru", "headlines": [
            {"value": "Срочно: паводок отступает"}],
        "bodies": [{"value": "<p>Вода уходит.</p>"}]},
        "meta": {"workflow": "published"}})
    eq(r.status, 201, "publish")
    want = HEADLINES["ru"] + ["Срочно: паводок отступает"]
    wait_for(lambda: sorted(e.find(ATOM + "title").text for e in
                            ET.fromstring(cl.get("/feeds/ru.atom").body)
                            .findall(ATOM + "entry")) == sorted(want), 15,
             "the new item in the Russian feed")
    check_atom(c, cl.get("/feeds/ru.atom").body, "ru", want, "ru after")


def test_forbidden_characters(w):
    """U+FFFF and U+FFFE, raw in a headline, a byline and a topic, or as
    &#xFFFF; in an HTML body the summary is made from: XML 1.0 cannot
    carry them, and one of them made /feeds/<lang>.atom and the topic
    feed not well formed (xmllint: "Char 0xFFFF out of allowed range"),
    so a reader refused every item in it. They are dropped (raw) or
    U+FFFD (references) and the feeds parse; the NewsML-G2 feed too."""
    c = w.center("cairo", languages="ar,en")
    odd = [{
        "type": "text", "language": "en",
        "headlines": [{"value": "FFFF\uffff FFFE\ufffe ctl\u0001 end"}],
        "by": "By\uffff line",
        "bodies": [{"value": "<p>Price list &#xFFFF; and &#xfffe; ok "
                    "\uffff</p>", "contentType": "text/html"}],
        "subjects": [{"name": "Sub\uffff", "uri": TOPIC + "04000000"}]},
        {"type": "text", "language": "en",
         "headlines": [{"value": "Reference only"}],
         "bodies": [{"value": "<p>Only &#65535; here</p>",
                     "contentType": "text/html"}],
         "subjects": [{"name": "Economy", "uri": TOPIC + "04000000"}]}]
    c.cli("import", write_items(c, "odd.ndjson", odd))
    c.serve()
    cl = c.client()
    want = ["FFFF FFFE ctl end", "Reference only"]
    for path, lang in (("/feeds/en.atom", "en"),
                       ("/feeds/topics/04000000.atom", None)):
        r = cl.get(path)
        eq(r.status, 200, path)
        for bad in (b"\xef\xbf\xbf", b"\xef\xbf\xbe", b"&#xFFFF;",
                    b"&#65535;", b"\x01"):
            check(bad not in r.body, path + ": no %r" % bad)
        # ET (expat), xmllint with atom.rng and feedparser, all strict.
        entries = check_atom(c, r.body, lang, want, path)
        sums = [e.find(ATOM + "summary").text for e in entries]
        check(any("Price list \ufffd and \ufffd ok" in x for x in sums),
              path + ": references are U+FFFD in the summary", sums)
        check(any("Only \ufffd here" in x for x in sums),
              path + ": &#65535; too", sums)
    r = cl.get("/feeds/en.json")
    eq(r.status, 200, "JSON Feed")
    json.loads(r.body)
    r = cl.get("/feeds/en.newsml")
    eq(r.status, 200, "NewsML-G2 feed")
    ET.fromstring(r.body)
    if shutil.which("xmllint"):
        d = tempfile.mkdtemp()
        try:
            f = os.path.join(d, "feed.xml")
            with open(f, "wb") as fh:
                fh.write(r.body)
            p = subprocess.run(["xmllint", "--noout", f],
                               capture_output=True, text=True)
            eq(p.returncode, 0, "NewsML-G2 feed well formed: " + p.stderr)
        finally:
            shutil.rmtree(d)


def ics_lines_ok(body, what):
    """RFC 5545 at the byte level: CRLF lines of 75 octets at most, no
    control but TAB in any (§3.1, §3.3.11)."""
    check(body.endswith(b"\r\n"), what + ": CRLF at the end")
    for line in body[:-2].split(b"\r\n"):
        check(len(line) <= 75, what + ": a line of %d octets" % len(line),
              line)
        check(not any((b < 0x20 and b != 9) or b == 0x7f for b in line),
              what + ": a control character", line)


def test_icalendar(w):
    """The calendars of an event whose headline, place and session carry
    control characters (BEL, VT, DEL, SOH), on a center with a long URL:
    TEXT values had them raw (SUMMARY, LOCATION, X-WR-CALNAME) and the
    URL line was written unfolded, past 75 octets. python3-icalendar
    reads both back; TAB, which TEXT allows, stays."""
    c = w.center("cairo", languages="ar,en", extra=[
        "--url", "https://newsroom.cairo-media-center.example.org"])
    local = "01jical0000000000000000001"
    ev = {"uri": "urn:mediabridge:cairo:" + local, "type": "event",
          "profile": "event", "language": "en",
          "headlines": [{"value": "Press day\u0007 \u007f\tall; day"}],
          "places": [{"name": "Hall\u000bB"}],
          "firstCreated": "2026-11-20T10:00:00Z",
          "versionCreated": "2026-11-20T10:00:00Z",
          "eventDetails": {"dates": {"startDate": "2030-12-05T08:30:00Z"}},
          "associations": [{"name": "s1", "rel": "session",
                            "uri": "urn:x:s1", "language": "en",
                            "headlines": [{"value": "Sess\u0001ion"}],
                            "eventDetails": {"dates": {
                                "startDate": "2030-12-05T09:30:00Z"}},
                            "places": [{"name": "R\u000bm 2"}]}]}
    c.cli("import", write_items(c, "event.ndjson", [ev]))
    c.serve()
    cl = c.client()
    for path in ("/events/cairo/%s.ics" % local, "/events.ics"):
        r = cl.get(path)
        eq(r.status, 200, path)
        ics_lines_ok(r.body, path)
        unfolded = r.body.replace(b"\r\n ", b"")
        # /events.ics writes the event's sessions as its own .ics does.
        check(b"SUMMARY:Session\r\n" in unfolded, path + ": session")
        if path.endswith(local + ".ics"):
            check(b"Press day \tall\\; day" in unfolded, path + ": TEXT "
                  "escaped, TAB kept", unfolded)
            check(b"\r\nURL:https://newsroom.cairo-media-center.example."
                  b"org/" in unfolded, path + ": URL", unfolded)
            check(b"LOCATION:Rm 2\\, HallB\r\n" in unfolded,
                  path + ": LOCATION", unfolded)
        try:
            import icalendar
        except ImportError:
            continue
        cal = icalendar.Calendar.from_ical(r.body)
        evs = list(cal.walk("VEVENT"))
        check(evs, path + ": python3-icalendar reads the events")
        check(any("Press day" in str(e.get("SUMMARY", "")) or
                  str(e.get("SUMMARY", "")) == "Session" for e in evs),
              path + ": its SUMMARY", [str(e.get("SUMMARY")) for e in evs])


if __name__ == "__main__":
    main(globals())
