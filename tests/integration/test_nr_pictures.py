# SPDX-License-Identifier: MIT
"""Pictures, video and sound in items, as a journalist adds them in the
browser newsroom and a reader sees them: the upload form on the edit
page puts the file with its caption and credit into the item (a new
version) as its main picture or as a figure in the text; the caption is
required (it is the alt text); the reader's page shows captions and
credits, a <picture> whose srcsets repeat no width, players for video;
cards show the smallest fitting thumbnail."""

import os
import re
import shutil
import subprocess
import tempfile

from mbtest import check, eq, main
from nrform import Browser, png, post_multipart


def setup(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("jo", "journalist", "journo-pass-1")
    c.user_add("tr", "translator", "transl-pass-1")
    c.serve()
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    r = jo.post("/newsroom/new", {
        "headline": "Dam talks resume", "language": "en",
        "format": "markdown", "body": "Talks resumed.", "audience":
        "public", "profile": "article", "do": "save"})
    eq(r.status, 303, "item made")
    edit = r.headers["location"].split("?")[0]
    return c, jo, edit


def blob_files(c):
    out = set()
    for root, _, files in os.walk(os.path.join(c.dir, "blobs")):
        out |= set(files)
    return out


def version(b, edit):
    return re.search(r'name="version" value="(\d+)"',
                     b.page(edit).text).group(1)


def item(c, edit):
    center, local = edit.split("/")[-2:]
    ed = c.client(c.token_add("jo"))
    return ed.get("/api/v1/items/%s/%s" % (center, local)).json


def test_pictures(w):
    c, jo, edit = setup(w)
    pic = png(900, 600)
    # Bad input changes nothing: no caption, no file, not a picture.
    v = version(jo, edit)
    r = post_multipart(jo, edit + "/picture", {"version": v, "caption": " ",
                       "place": "main"}, "a.png", "image/png", pic)
    eq(r.status, 422, "caption required: %r" % r)
    check("caption" in r.text, "says why")
    r = post_multipart(jo, edit + "/picture", {"version": v, "caption": "x",
                       "place": "main"}, None, None, None)
    eq(r.status, 400, "no file")
    r = post_multipart(jo, edit + "/picture", {"version": v, "caption": "x",
                       "place": "main"}, "a.png", "image/png",
                       b"<html>not a picture</html>")
    eq(r.status, 415, "not media")
    eq(item(c, edit)["item"]["version"], v, "no new version")
    tr = Browser(c)
    tr.login("tr", "transl-pass-1")
    tr.page("/newsroom/account")
    r = post_multipart(tr, edit + "/picture", {"version": v, "caption": "x",
                       "place": "main"}, "a.png", "image/png", pic)
    eq(r.status, 403, "a translator adds no pictures")

    # The main picture, with caption and credit.
    r = post_multipart(jo, edit + "/picture", {
        "version": v, "caption": "The ministers at the table",
        "alt": "Four ministers seated at a long table with flags",
        "credit": "Photo: A. Said", "place": "main"}, "IMG_1.png",
        "image/png", pic)
    eq(r.status, 303, "added: %r" % r)
    env = item(c, edit)
    eq(env["item"]["version"], str(int(v) + 1), "a new version")
    a = env["item"]["associations"]
    eq(len(a), 1, "one association")
    eq((a[0]["type"], a[0]["rel"], a[0]["by"]),
       ("picture", "main", "Photo: A. Said"), "association")
    eq([(x["role"], x["value"]) for x in a[0]["descriptions"]],
       [("caption", "The ministers at the table"),
        ("alt", "Four ministers seated at a long table with flags")],
       "caption and the description of its own")
    check(len(a[0]["renditions"]) >= 2, "renditions")
    page = jo.page(edit).text
    check("The ministers at the table" in page and 'class="pictures"' in
          page, "listed on the edit page")

    # A stale form is refused (412) and adds nothing, not even files:
    # the version is checked before the upload is stored.
    before = blob_files(c)
    r = post_multipart(jo, edit + "/picture", {
        "version": v, "caption": "Late", "place": "main"}, "b.png",
        "image/png", png(700, 500))
    eq(r.status, 412, "stale version")
    eq(blob_files(c), before, "no files stored for a stale form")

    # One in the text: a figure at the end of the body, editable as
    # Markdown.
    v = version(jo, edit)
    r = post_multipart(jo, edit + "/picture", {
        "version": v, "caption": "The dam at dawn", "credit": "AFP",
        "place": "text"}, "dam.png", "image/png", png(700, 500))
    eq(r.status, 303, "in the text")
    body = item(c, edit)["item"]["bodies"][0]["value"]
    m = re.search(r'<figure><img src="(/media/[0-9a-f]{64})" alt="The dam '
                  r'at dawn"><figcaption>The dam at dawn <small>AFP</small>'
                  r'</figcaption></figure>', body)
    check(m, "figure in the body: %s" % body)
    md = jo.page(edit).text
    check('![The dam at dawn](%s &quot;AFP&quot;)' % m.group(1) in md or
          '![The dam at dawn](%s "AFP")' % m.group(1) in md,
          "the figure as Markdown")

    # Published, a reader sees both, each once: the main picture's alt is
    # its own description, the figure's its caption.
    ed_tok = None
    c.user_add("ed", "editor")
    ed_tok = c.token_add("ed")
    center, local = edit.split("/")[-2:]
    r = c.client(ed_tok).post("/api/v1/items/%s/%s/publish" % (center,
                                                              local))
    eq(r.status, 200, "published")
    html = c.client().get("/en/items/%s/%s" % (center, local)).text
    figs = re.findall(r"<figure>.*?</figure>", html, re.S)
    eq(len(figs), 2, "two figures: %r" % figs)
    check('alt="Four ministers seated at a long table with flags"' in
          figs[0], figs[0])
    check("<figcaption dir=\"auto\">The ministers at the table <small>"
          "Photo: A. Said</small></figcaption>" in figs[0], figs[0])
    check('<source type="image/webp"' in figs[0], "webp offered")
    for ss in re.findall(r'srcset="([^"]*)"', figs[0]):
        widths = [x.split()[-1] for x in ss.split(", ")]
        eq(len(widths), len(set(widths)), "no width twice: %s" % ss)
    check("Dam talks resume" not in figs[0].split("<figcaption")[0],
          "alt is not the headline")
    src = re.search(r'<img src="([^"]+)"', figs[0]).group(1)
    r = c.client().get(src)
    eq(r.status, 200, "the picture served")
    check(r.headers["content-type"].startswith("image/"), "an image")
    # The card on the front page: a thumbnail, the smallest that fits.
    front = c.client().get("/en/").text
    t = re.search(r'<img class="thumb" src="(/media/[0-9a-f]{64})" alt="'
                  r'Four ministers seated at a long table with flags" '
                  r'width="(\d+)"', front)
    check(t, "a thumbnail on the card")
    eq(t.group(2), "320", "the thumbnail size")


def test_long_fields(w):
    """A field too long is refused by name, nothing changed: an alt text
    over the form's 4096 bytes used to vanish (the picture was added
    without it), a caption or credit over 1,000 bytes was taken."""
    c, jo, edit = setup(w)
    pic = png(300, 200)
    v = version(jo, edit)
    for fields, status, name in (
            ({"caption": "ok", "alt": "a" * 5000}, 413, "alt"),
            ({"caption": "c" * 5000}, 413, "caption"),
            ({"caption": "c" * 1001}, 422, "caption"),
            ({"caption": "ok", "credit": "b" * 1001}, 422, "credit")):
        fields = dict(fields, version=v, place="main")
        r = post_multipart(jo, edit + "/picture", fields, "a.png",
                           "image/png", pic)
        eq(r.status, status, "%s too long: %r" % (name, r))
        check("The %s is too long" % name in r.text, "names " + name,
              r.text[:3000])
    eq(version(jo, edit), v, "nothing changed")
    eq(item(c, edit).get("associations", []), [], "no picture added")
    # The edit page's caption and alt fields are held to 1,000 bytes too.
    r = post_multipart(jo, edit + "/picture", {
        "version": v, "caption": "ok", "place": "main"}, "a.png",
        "image/png", pic)
    eq(r.status, 303, "picture added: %r" % r)
    v = version(jo, edit)
    for k in ("pcap", "palt"):
        r = jo.post(edit, {
            "headline": "Dam talks resume", "language": "en",
            "format": "markdown", "body": "Talks resumed.",
            "audience": "public", "profile": "article", "do": "save",
            "version": v, k + ".picture-1": "x" * 1001})
        eq(r.status, 422, "%s too long: %r" % (k, r))
        check("is too long" in r.text, "says so", r.text[:3000])
    eq(version(jo, edit), v, "nothing changed")


def test_video(w):
    if shutil.which("ffmpeg") is None:
        print("skipped: no ffmpeg")
        return
    c, jo, edit = setup(w)
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                        "testsrc=size=320x240:rate=10", "-t", "1",
                        "-pix_fmt", "yuv420p", d + "/v.mp4"], check=True)
        vid = open(d + "/v.mp4", "rb").read()
    v = version(jo, edit)
    r = post_multipart(jo, edit + "/picture", {
        "version": v, "caption": "The talks, filmed", "credit": "Cairo MC",
        "place": "text"}, "v.mp4", "video/mp4", vid)
    eq(r.status, 303, "video added: %r" % r)
    a = item(c, edit)["item"]["associations"][0]
    eq((a["type"], a["rel"]), ("video", "main"), "a video is not inline")
    c.user_add("ed", "editor")
    center, local = edit.split("/")[-2:]
    c.client(c.token_add("ed")).post("/api/v1/items/%s/%s/publish" % (
        center, local))
    html = c.client().get("/en/items/%s/%s" % (center, local)).text
    m = re.search(r'<video controls preload="none" src="(/media/[0-9a-f]+)"'
                  r' poster="(/media/[0-9a-f]+)"', html)
    check(m, "a player with its poster: %s" % html[-3000:])
    check("The talks, filmed <small>Cairo MC</small>" in html, "caption")


if __name__ == "__main__":
    main(globals())
