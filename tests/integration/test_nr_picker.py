# SPDX-License-Identifier: MIT
"""The center's media in the newsroom (issue 15, point 2): the media
picker lists the center's pictures as a plain page (thumbnails, search by
caption, pages of 24) and puts the chosen one into another item without
uploading it again; the focal point (crop point) is set with the upload
or later with two numbers from 0 to 1, stored as ninjs rendition "poi",
refused out of range with nothing changed, and used by the site's cards
(a class that keeps it in view when the thumbnail is cropped)."""

import html
import re
import urllib.parse

from mbtest import check, eq, main
from nrform import Browser, error, png, post_multipart


def setup(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("jo", "journalist", "journo-pass-1")
    c.user_add("tr", "translator", "transl-pass-1")
    c.serve()
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    return c, jo


def new_item(jo, headline):
    r = jo.post("/newsroom/new", {
        "headline": headline, "language": "en", "format": "markdown",
        "body": "Text.", "audience": "public", "profile": "article",
        "do": "save"})
    eq(r.status, 303, "item made")
    return r.headers["location"].split("?")[0]


def version(b, edit):
    return re.search(r'name="version" value="(\d+)"',
                     b.page(edit).text).group(1)


def item(c, edit):
    center, local = edit.split("/")[-2:]
    cl = c.client(c.token_add("jo"))
    return cl.get("/api/v1/items/%s/%s" % (center, local)).json["item"]


def pois(assoc):
    return [(r["width"], r["height"], r.get("poi"))
            for r in assoc["renditions"] if r.get("width")]


def test_focus_and_picker(w):
    c, jo = setup(w)
    a = new_item(jo, "Skyline story")
    # The focal point comes with the upload: poi on every sized rendition.
    r = post_multipart(jo, a + "/picture", {
        "version": version(jo, a), "caption": "Cairo skyline at dusk",
        "alt": "Towers against an orange sky", "credit": "Photo: M. Adel",
        "place": "main", "focus_x": "0.25", "focus_y": "0,75"},
        "sky.png", "image/png", png(900, 600))
    eq(r.status, 303, "added with a focal point: %r" % r)
    pic = item(c, a)["associations"][0]
    for wd, ht, poi in pois(pic):
        eq(poi, {"x": round(0.25 * (wd - 1)), "y": round(0.75 * (ht - 1))},
           "poi of the %dx%d rendition" % (wd, ht))
    page = jo.page(a).text
    check('name="focus_x" type="number" min="0" max="1" step="0.01" '
          'inputmode="decimal" value="0.25"' in page, "x on the edit page")

    # Out of range, not a number, half given, no such picture: refused
    # with a clear message, and no new version.
    v = version(jo, a)
    for x, y in [("1.5", "0.5"), ("-0.1", "0.5"), ("0.5", "abc"),
                 ("0.5", ""), ("", ""), ("nan", "0.5"), ("1e-1", "0.5"),
                 ("0x1", "0.5")]:
        r = jo.post(a + "/focus", {"version": v, "name": pic["name"],
                                   "focus_x": x, "focus_y": y})
        eq(r.status, 422, "focus %r,%r refused: %r" % (x, y, r))
        check("from 0 to 1" in (error(r.text) or ""), error(r.text))
    r = jo.post(a + "/focus", {"version": v, "name": "picture-9",
                               "focus_x": "0.5", "focus_y": "0.5"})
    eq(r.status, 422, "no such picture")
    check("no such picture" in error(r.text), error(r.text))
    eq(item(c, a)["version"], v, "nothing changed")
    # In the interface's language (here Russian, from Accept-Language).
    r = jo.cl.post(a + "/focus", raw=urllib.parse.urlencode({
        "csrf": jo.csrf, "version": v, "name": pic["name"],
        "focus_x": "2", "focus_y": "0"}).encode(), headers=jo._h({
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "ru"}), auth=False)
    eq(r.status, 422, "refused in Russian too")
    check("числа от 0 до 1" in (error(r.text) or ""), error(r.text))
    tr = Browser(c)
    tr.login("tr", "transl-pass-1")
    r = tr.post(a + "/focus", {"version": v, "name": pic["name"],
                               "focus_x": "0.5", "focus_y": "0.5"})
    eq(r.status, 403, "a translator sets no focal point")

    # Moved later: a new version, every rendition's poi.
    r = jo.post(a + "/focus", {"version": v, "name": pic["name"],
                               "focus_x": "0.8", "focus_y": "0.2"})
    eq(r.status, 303, "focal point moved: %r" % r)
    check("done=focus" in r.headers["location"], r.headers["location"])
    check("Focal point saved." in jo.page(r.headers["location"]).text,
          "said so")
    pic = item(c, a)["associations"][0]
    eq(item(c, a)["version"], str(int(v) + 1), "a new version")
    for wd, ht, poi in pois(pic):
        eq(poi, {"x": round(0.8 * (wd - 1)), "y": round(0.2 * (ht - 1))},
           "moved poi")
    # A stale form changes nothing (412).
    r = jo.post(a + "/focus", {"version": v, "name": pic["name"],
                               "focus_x": "0.1", "focus_y": "0.1"})
    eq(r.status, 412, "stale")

    # The reader's card crops the thumbnail around it (x 0.8 -> 75 %,
    # y 0.2 -> 25 %: class fp31 in site.css).
    c.user_add("ed", "editor")
    center, local = a.split("/")[-2:]
    r = c.client(c.token_add("ed")).post("/api/v1/items/%s/%s/publish" % (
        center, local))
    eq(r.status, 200, "published")
    front = c.client().get("/en/").text
    check(re.search(r'<img class="thumb fp31" src="/media/[0-9a-f]{64}"',
                    front), "the card's thumbnail keeps its focal point")
    css = c.client().get("/static/site.css").text
    check(".fp31{object-position:75% 25%}" in css, "the class in site.css")

    # The picker: another item chooses the skyline without an upload.
    b = new_item(jo, "Another story")
    r = jo.page(b)
    check('href="%s/media"' % b in r.text, "the edit page links the picker")
    r = jo.page(b + "/media")
    check(len(r.body) < 50 * 1024, "picker page under 50 KB")
    check("Cairo skyline at dusk" in r.text, "the skyline is offered")
    check(re.search(r'<img class="pthumb fp31" src="/media/[0-9a-f]{64}" '
                    r'alt="Towers against an orange sky"', r.text),
          "a thumbnail, cropped around its focal point")
    pick = html.unescape(re.search(r'name="pick" value="([^"]+)"',
                                   r.text).group(1))
    frm = re.search(r'name="from" value="([^"]+)"', r.text).group(1)
    eq(frm, "%s/%s" % (center, local), "from the skyline story")
    check(pick.startswith("ni:///sha-256;"), pick)
    r = jo.page(b + "/media?q=SKYLINE")
    check("Cairo skyline at dusk" in r.text, "found by caption, any case")
    r = jo.page(b + "/media?q=M.+Adel")
    check("Cairo skyline at dusk" in r.text, "found by credit")
    r = jo.page(b + "/media?q=elephant")
    check("Cairo skyline at dusk" not in r.text and
          "No picture of this center matches." in r.text, "none found")

    vb = version(jo, b)
    r = post_multipart(jo, b + "/picture", {
        "version": vb, "pick": "ni:///sha-256;AAAA?ct=image/jpeg",
        "from": frm, "caption": "x", "place": "main"}, None, None, None)
    eq(r.status, 404, "a picture that is not there: %r" % r)
    r = post_multipart(jo, b + "/picture", {
        "version": vb, "pick": pick, "from": "cairo/nosuchitem",
        "caption": "x", "place": "main"}, None, None, None)
    eq(r.status, 404, "from an item that is not there")
    eq(item(c, b).get("associations"), None, "nothing added")
    r = post_multipart(jo, b + "/picture", {
        "version": vb, "pick": pick, "from": frm,
        "caption": "The skyline again", "alt": "Towers at dusk",
        "credit": "Photo: M. Adel", "place": "text"}, None, None, None)
    eq(r.status, 303, "chosen: %r" % r)
    got = item(c, b)
    chosen = got["associations"][0]
    eq([x["href"] for x in chosen["renditions"]],
       [x["href"] for x in pic["renditions"]], "the same files, no upload")
    eq(pois(chosen), pois(pic), "with its focal point")
    eq((chosen["type"], chosen["rel"], chosen["by"]),
       ("picture", "inline", "Photo: M. Adel"), "placed in the text")
    eq([d["value"] for d in chosen["descriptions"]],
       ["The skyline again", "Towers at dusk"], "its own caption and alt")
    check("<figure><img src=\"/media/" in got["bodies"][0]["value"],
          "a figure in the text")

    # Pages of 24: 25 more pictures (in a draft) make a second page.
    d = new_item(jo, "Streets")
    for i in range(25):
        r = post_multipart(jo, d + "/picture", {
            "version": version(jo, d), "caption": "Street %02d" % i,
            "place": "main"}, "s.png", "image/png", png(40 + i, 30))
        eq(r.status, 303, "picture %d" % i)
    p1 = jo.page(b + "/media").text
    eq(len(re.findall(r'name="pick"', p1)), 24, "24 on the first page")
    check("Pictures found: 26" in p1, "the total")
    nxt = html.unescape(re.search(r'href="([^"]+)" rel="next"', p1).group(1))
    p2 = jo.page(nxt).text
    eq(len(re.findall(r'name="pick"', p2)), 2, "the rest on the second")
    check('rel="prev"' in p2 and 'rel="next"' not in p2, "its links")
    r = jo.page(b + "/media?q=street+07")
    eq(len(re.findall(r'name="pick"', r.text)), 1, "search narrows")

    # A translator may look but not choose; anonymous readers are sent to
    # sign in.
    r = tr.page(a + "/media")
    check("Cairo skyline at dusk" in r.text and 'name="pick"' not in r.text,
          "a translator sees, without forms")
    r = c.client().get(b + "/media")
    eq(r.status, 303, "anonymous: sign in")


if __name__ == "__main__":
    main(globals())
