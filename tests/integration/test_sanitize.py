# SPDX-License-Identifier: MIT
"""Hostile HTML in every field a page, a feed or the API's HTML view
renders (headline, byline, summary, place, topics, body, picture URLs
and captions), entered through the API: what comes out has no script,
no event handler, no javascript:/data:/vbscript: URL, no SVG or MathML,
no style, no frame, wherever it is shown. The envelope itself stays as
signed (readers of the JSON get the author's bytes: by design)."""

import html.parser
import json
import re
import xml.etree.ElementTree as ET

from mbtest import check, eq, main, wait_for

ATTACKS = [
    '<script>alert("s1")</script>',
    '<img src=x onerror=alert("s2")>',
    '<a href="javascript:alert(\'s3\')">s3</a>',
    '<a href=" jav&#x09;ascript:alert(\'s4\')">s4</a>',
    '<svg onload=alert("s5")><script>alert("s5b")</script></svg>',
    '<math><mi xlink:href="javascript:alert(\'s6\')">s6</mi></math>',
    '<style>*{background:url("javascript:alert(\'s7\')")}</style>',
    '<p style="background:url(javascript:alert(\'s8\'))">s8</p>',
    '<iframe src="javascript:alert(\'s9\')"></iframe>',
    '"><script>alert("s10")</script>',
    "' onmouseover='alert(\"s11\")' x='",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">'
    's12</a>',
    '<img src="vbscript:msgbox(\'s13\')">',
    '<object data="javascript:alert(\'s14\')"></object>',
    '<form action="javascript:alert(\'s15\')"><button formaction='
    '"javascript:alert(\'s15b\')">s15</button></form>',
    '<body onload=alert("s16")>',
    '<noscript><p title="</noscript><img src=x onerror=alert(\'s17\')>">',
    '<a href="&#106;avascript:alert(\'s18\')">s18</a>',
    '<table><td background="javascript:alert(\'s19\')">s19</td></table>',
    '<!--<img src="--><img src=x onerror=alert("s20")//">',
]
HOSTILE = "".join(ATTACKS)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:")
URL_ATTRS = ("href", "src", "action", "formaction", "cite", "background",
             "poster", "data", "xlink:href", "srcset", "longdesc", "ping")
BAD_TAGS = ("script", "svg", "math", "style", "iframe", "frame", "object",
            "embed", "applet", "base", "form", "button", "noscript",
            "template", "meta")


class Checker(html.parser.HTMLParser):
    """Collects what a browser would run or load from an HTML text."""

    def __init__(self, own_style=False):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.own_style = own_style

    def handle_starttag(self, tag, attrs):
        # A page's own search form and meta tags are its own; a form
        # that came from a body would still be caught by its action.
        # So is the newsroom's one script, from the site's own files.
        own_js = tag == "script" and (dict(attrs).get("src") or
                                      "").startswith("/static/nr.js?")
        if tag in BAD_TAGS and not (self.own_style and (tag in (
                "meta", "form", "button") or own_js)):
            self.bad.append("<%s>" % tag)
        for name, value in attrs:
            name = name.lower()
            v = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
            if name.startswith("on"):
                self.bad.append("%s=%r on <%s>" % (name, value, tag))
            if name == "style":
                self.bad.append("style on <%s>" % tag)
            if name in URL_ATTRS and (v.startswith(BAD_SCHEMES) or any(
                    s in v for s in (",javascript:", " javascript:"))):
                self.bad.append("%s=%r on <%s>" % (name, value, tag))

    handle_startendtag = handle_starttag


def hostile_in_html(text, page=False):
    p = Checker(own_style=page)
    p.feed(text)
    p.close()
    return p.bad


def hostile_in_atom(body):
    bad = []
    root = ET.fromstring(body)
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        if tag in BAD_TAGS:
            bad.append("element " + tag)
        for k, v in el.attrib.items():
            if k.split("}")[-1].startswith("on"):
                bad.append("attribute " + k)
        if el.get("type") == "html" and el.text:
            bad += [tag + ": " + b for b in hostile_in_html(el.text)]
        if el.get("type") == "xhtml":
            for x in el.iter():
                if x.tag.split("}")[-1] in BAD_TAGS:
                    bad.append("xhtml " + x.tag)
    return bad


def hostile_item():
    return {
        "type": "text", "language": "en",
        "headlines": [{"value": "Harbour report " + HOSTILE}],
        "descriptions": [{"value": "<p>Summary</p>" + HOSTILE,
                          "contentType": "text/html"}],
        "bodies": [{"value": "<p>Harbour news.</p>" + HOSTILE,
                    "contentType": "text/html"}],
        "by": "Reporter " + HOSTILE,
        "located": "Port " + ATTACKS[1],
        "places": [{"name": "Alexandria " + ATTACKS[9]}],
        "subjects": [{"name": "Ports " + ATTACKS[0], "uri":
                      "http://cv.iptc.org/newscodes/mediatopic/04000000"},
                     {"name": "<img src=x onerror=alert('t')>",
                      "uri": "javascript:alert('topic')"}],
        "renditions": [
            {"name": "a", "href": "javascript:alert('r1')",
             "contentType": "image/png", "width": 10, "height": 10},
            {"name": "b", "href": "JavaScript:alert('r2')",
             "contentType": "image/jpeg", "width": 20, "height": 20},
            {"name": "c", "href": "data:image/png;base64,iVBORw0KGgo=",
             "contentType": "image/png", "width": 30, "height": 30},
            {"name": "d", "href": "vbscript:msgbox('r4')",
             "contentType": "image/png", "width": 40, "height": 40}],
        "associations": [{"name": "pic", "type": "picture",
                          "uri": "urn:mediabridge:cairo:pic1",
                          "headlines": [{"value": ATTACKS[9]}],
                          "descriptions": [{"value": ATTACKS[10]}],
                          "renditions": [{"name": "p", "href":
                                          "javascript:alert('a1')",
                                          "contentType": "image/png"}]}],
    }


def test_hostile_fields_everywhere(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("edi", "editor")
    c.serve()
    ed = c.client(c.token_add("edi"))
    anon = c.client()
    r = ed.post("/api/v1/items", {"item": hostile_item(),
                                  "meta": {"workflow": "published"}})
    eq(r.status, 201, "a hostile item is accepted (bodies are stored as "
       "signed): %r" % r)
    env = r.json
    _, _, center, local = env["item"]["uri"].split(":")
    # The envelope is the author's bytes, as signed.
    got = anon.get("/api/v1/items/%s/%s" % (center, local))
    eq(got.status, 200, "API read")
    eq(got.json["item"]["bodies"][0]["value"],
       hostile_item()["bodies"][0]["value"], "the envelope as signed")
    eq(got.headers["content-type"], "application/json", "JSON, not HTML")
    # A translation and a search hit show its text too.
    wait_for(lambda: "Harbour" in anon.get(
        "/en/search", query={"q": "harbour"}).text, 30,
        "the item indexed")

    pages = {
        "item page": "/en/items/%s/%s" % (center, local),
        "item page (ar)": "/ar/items/%s/%s" % (center, local),
        "front page": "/en/",
        "center page": "/en/centers/cairo",
        "topic page": "/en/topics/04000000",
        "search": "/en/search?q=harbour",
        "API html": "/api/v1/items/%s/%s/html" % (center, local),
    }
    for what, path in pages.items():
        r = anon.get(path)
        eq(r.status, 200, what)
        check("Harbour" in r.text, what + " shows the item")
        bad = hostile_in_html(r.text, page=True)
        eq(bad, [], what + " is clean")
        # The text of the attacks is there, escaped, not executed.
        check("alert" not in r.text or "&lt;" in r.text or
              "&quot;" in r.text, what + ": text escaped")
    r = anon.get(pages["item page"])
    check("Harbour news." in r.text, "the body's own text stays")
    check("Reporter" in r.text, "the byline's text stays")
    for what, path in (("Atom", "/feeds/en.atom"),
                       ("topic Atom", "/feeds/topics/04000000.atom"),
                       ("center Atom", "/feeds/centers/cairo.atom")):
        r = anon.get(path)
        eq(r.status, 200, what)
        check(b"Harbour" in r.body, what + " has the item")
        eq(hostile_in_atom(r.body), [], what + " is clean")
    r = anon.get("/feeds/en.json")
    feed = json.loads(r.body)
    entries = [i for i in feed["items"] if "Harbour" in i.get("title", "")]
    eq(len(entries), 1, "JSON Feed has the item")
    for k in ("content_html", "summary_html"):
        if k in entries[0]:
            eq(hostile_in_html(entries[0][k]), [], "JSON Feed " + k)
    for k in ("image", "banner_image", "url", "external_url"):
        v = entries[0].get(k, "")
        check(not re.sub(r"[\x00-\x20]", "", v).lower().startswith(
            BAD_SCHEMES), "JSON Feed %s: %r" % (k, v))
    # The newsroom shows it to the editor through the same sanitizer.
    r = ed.get("/newsroom/items/%s/%s" % (center, local))
    if r.status == 200:
        eq(hostile_in_html(r.text, page=True), [], "newsroom is clean")


PLAIN = ('Use <b>bold</b> & a <a href="https://evil.example/">link</a>\n'
         'second line')
PLAIN_HTML = ('<p>Use &lt;b&gt;bold&lt;/b&gt; &amp; a &lt;a href="https://'
              'evil.example/"&gt;link&lt;/a&gt;</p><p>second line</p>')
G2 = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_plain_text_bodies(w):
    """A body whose contentType is text/plain is text wherever it leaves
    as HTML: escaped, one paragraph a line, as the site, Atom and JSON
    Feed show it. NewsML-G2 (the feed and Accept on the item) and the
    API's HTML view read it as HTML: a live <b> and link, the two lines
    run together. The HTML view also says the direction of the item's
    whole language tag (pa-Arab is right to left)."""
    c = w.center("cairo", languages="ar,en")
    base = {"type": "text", "versionCreated": "2026-11-20T10:00:00Z",
            "firstCreated": "2026-11-20T10:00:00Z"}
    items = [dict(base, uri="urn:mediabridge:cairo:01jplain00000000000000000" +
                  k, language=lang, headlines=[{"value": head}],
                  bodies=[body])
             for k, lang, head, body in (
                 ("1", "en", "Plain body", {"value": PLAIN,
                                            "contentType": "text/plain"}),
                 ("2", "pa-Arab", "Punjabi", {"value": "<p>x</p>"}),
                 ("3", "ar", "Arabic", {"value": "<p>x</p>"}),
                 ("4", "pa", "Gurmukhi", {"value": "<p>x</p>"}))]
    path = c.world.root + "/plain.ndjson"
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(i) + "\n" for i in items))
    c.cli("import", path)
    c.serve()
    cl = c.client()
    item = "/api/v1/items/cairo/01jplain000000000000000001"

    def body_of(news_item, what):
        html = news_item.find(".//" + G2 + "inlineXML/" + XHTML + "html")
        check(html is not None, what + ": an XHTML body")
        body = html.find(XHTML + "body")
        tags = [e.tag.replace(XHTML, "") for e in body.iter()][1:]
        eq(tags, ["p", "p"], what + ": a paragraph a line, no markup")
        eq([e.text for e in body], [PLAIN.split("\n")[0], "second line"],
           what + ": the text as written")

    r = cl.get("/en/items/cairo/01jplain000000000000000001")
    check(PLAIN_HTML in r.text, "the site escapes it (as before)")
    r = cl.get(item + "/html")
    eq(r.status, 200, "API html")
    check(PLAIN_HTML in r.text, "API html escapes it", r.text)
    check("<b>" not in r.text and "<a " not in r.text, "no live markup")
    r = cl.get(item, headers={"Accept": "application/vnd.iptc.g2."
                              "newsitem+xml"})
    eq(r.status, 200, "NewsML-G2 item")
    body_of(ET.fromstring(r.body), "NewsML-G2 item")
    r = cl.get("/feeds/en.newsml")
    eq(r.status, 200, "NewsML-G2 feed")
    got = [n for n in ET.fromstring(r.body).iter(G2 + "newsItem")
           if n.get("guid").endswith("01jplain000000000000000001")]
    eq(len(got), 1, "the item in the NewsML-G2 feed")
    body_of(got[0], "NewsML-G2 feed")
    for k, lang, d in (("2", "pa-Arab", "rtl"), ("3", "ar", "rtl"),
                       ("4", "pa", "ltr"), ("1", "en", "ltr")):
        r = cl.get("/api/v1/items/cairo/01jplain00000000000000000%s/html" % k)
        check('<html lang="%s" dir="%s">' % (lang, d) in r.text,
              "API html of a %s item is %s" % (lang, d), r.text[:120])


def test_checker_catches(w):
    """The checker itself finds what it looks for (a test that cannot
    fail is a defect): each attack unsanitized is caught."""
    for a in ATTACKS:
        if a.startswith("'") or a.startswith("<!--") or "noscript" in a:
            continue
        check(hostile_in_html(a) != [], "checker misses %r" % a)
    check(hostile_in_atom(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content '
        b'type="html">&lt;img src=x onerror=alert(1)&gt;</content>'
        b'</entry></feed>') != [], "Atom checker")


if __name__ == "__main__":
    main(globals())
