# SPDX-License-Identifier: MIT
"""A picture's words per language (issue 15, point 2), over real HTTP:
publishing is refused while a picture has neither alt text nor a caption
in the item's language (the API's create, PUT and publish: 422 no_alt
naming the picture; the newsroom's button: the same in the interface's
language), nothing changed; a person's translation takes the original's
pictures along, with fields for their caption and alt text beside the
original's, and a picture left untranslated holds the translation back
until its words are written on the edit page; a machine draft translates
the pictures' words through the engine, as does a reader's on-demand
translation; the reader's page shows each version's own words; the picture form's refusals in Russian."""

import html
import json
import os
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mbtest import check, eq, main, run
from nrform import Browser, error, field, multipart, png, post_multipart

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def api(uri):
    _, _, center, local = uri.split(":")
    return "/api/v1/items/%s/%s" % (center, local)


def edit_url(uri):
    _, _, center, local = uri.split(":")
    return "/newsroom/items/%s/%s" % (center, local)


def setup(w, languages="ar,en,es"):
    c = w.center("cairo", languages=languages)
    c.user_add("jo", "journalist", "journo-pass-1")
    c.user_add("tr", "translator", "transl-pass-1")
    c.user_add("ed", "editor", "editor-pass-1")
    return c


def picture_item(c, jo, headline="Dam talks resume"):
    """A journalist's item with a main picture (caption, alt, credit)."""
    r = jo.post("/newsroom/new", {
        "headline": headline, "language": "en", "format": "markdown",
        "body": "Talks resumed.", "audience": "public",
        "profile": "article", "do": "save"})
    eq(r.status, 303, "item made")
    edit = r.headers["location"].split("?")[0]
    v = re.search(r'name="version" value="(\d+)"', jo.page(edit).text)
    r = post_multipart(jo, edit + "/picture", {
        "version": v.group(1), "caption": "The ministers at the table",
        "alt": "Four ministers seated at a long table",
        "credit": "Photo: A. Said", "place": "main"}, "a.png", "image/png",
        png(640, 480))
    eq(r.status, 303, "picture added: %r" % r)
    return "urn:mediabridge:%s:%s" % (edit.split("/")[-2],
                                      edit.split("/")[-1])


def count(c):
    return len([x for x in run(["export", c.dir])[1].splitlines()
                if x.strip()])


def test_gate_api(w):
    c = setup(w)
    c.serve()
    ed = c.client(c.token_add("ed"))
    bare = {"name": "pic-1", "type": "picture", "rel": "main",
            "uri": "urn:mediabridge:cairo:pic-x"}
    item = {"type": "text", "language": "en",
            "headlines": [{"value": "A picture with no words"}],
            "bodies": [{"value": "<p>Text.</p>"}],
            "associations": [bare]}
    n = count(c)
    r = ed.post("/api/v1/items", {"item": item,
                                  "meta": {"workflow": "published"}})
    eq(r.status, 422, "created published with a bare picture: %r" % r)
    eq(r.json["error"]["code"] if isinstance(r.json.get("error"), dict)
       else r.json.get("code", r.json.get("error")), "no_alt",
       "the code: %r" % r.json)
    check("pic-1" in r.text and "alt text" in r.text, r.text)
    eq(count(c), n, "nothing made")

    # A draft may lack them; publishing it may not.
    r = ed.post("/api/v1/items", {"item": item})
    eq(r.status, 201, "a draft: %r" % r)
    uri = r.json["item"]["uri"]
    r = ed.post(api(uri) + "/publish")
    eq(r.status, 422, "published with a bare picture: %r" % r)
    check("pic-1" in r.text, r.text)
    eq(ed.get(api(uri)).json["item"]["version"], "1", "nothing changed")

    # The edit page offers the picture's fields (it has no words), and
    # what is written there makes it publishable; then back to a draft
    # with a bare picture for what follows.
    edb = Browser(c)
    edb.login("ed", "editor-pass-1")
    page = edb.page(edit_url(uri)).text
    eq(field(page, "pcap.pic-1"), "", "an empty caption field")
    r = edb.post(edit_url(uri), {
        "headline": "A picture with no words", "language": "en",
        "format": "html", "body": "<p>Text.</p>", "audience": "public",
        "profile": "article", "do": "save", "version": "1",
        "pcap.pic-1": "", "palt.pic-1": "A dry river bed"})
    eq(r.status, 303, "saved: %r" % r)
    a = ed.get(api(uri)).json["item"]["associations"][0]
    eq(a["descriptions"], [{"role": "alt", "value": "A dry river bed"}],
       "the alt text written on the edit page")
    page = edb.page(edit_url(uri)).text
    check("pcap.pic-1" not in page, "no fields once it has words")
    it = ed.get(api(uri)).json["item"]
    it["associations"] = [bare]
    for k in ("version", "versionCreated"):
        it.pop(k, None)
    r = ed.put(api(uri), {"item": it}, headers={"If-Match": '"2"'})
    eq(r.status, 200, "bare again: %r" % r)

    # Words in another language than the item's do not count.
    it = ed.get(api(uri)).json["item"]
    it["associations"][0]["descriptions"] = [
        {"role": "caption", "value": "Les ministres"}]
    it["associations"][0]["language"] = "fr"
    for k in ("version", "versionCreated"):
        it.pop(k, None)
    r = ed.put(api(uri), {"item": it}, headers={"If-Match": '"3"'})
    eq(r.status, 200, "saved as a draft: %r" % r)
    r = ed.post(api(uri) + "/publish")
    eq(r.status, 422, "the caption is French, the item English: %r" % r)
    check("in en" in r.text, r.text)

    # A caption in the item's language: published.
    it["associations"][0]["descriptions"] = [
        {"role": "caption", "value": "The ministers"}]
    del it["associations"][0]["language"]
    r = ed.put(api(uri), {"item": it}, headers={"If-Match": '"4"'})
    eq(r.status, 200, "saved: %r" % r)
    r = ed.post(api(uri) + "/publish")
    eq(r.status, 200, "published: %r" % r)

    # An edit of the published item that takes the words away: refused.
    it = r.json["item"]
    it["associations"][0]["descriptions"] = [{"role": "alt", "value": " "}]
    for k in ("version", "versionCreated"):
        it.pop(k, None)
    r = ed.put(api(uri), {"item": it}, headers={"If-Match": '"6"'})
    eq(r.status, 422, "published with the words gone: %r" % r)
    eq(ed.get(api(uri)).json["item"]["version"], "6", "nothing changed")


def test_translation_form(w):
    c = setup(w)
    c.serve()
    jo, tr, edb = Browser(c), Browser(c), Browser(c)
    jo.login("jo", "journo-pass-1")
    tr.login("tr", "transl-pass-1")
    edb.login("ed", "editor-pass-1")
    ed = c.client(c.token_add("ed"))
    uri = picture_item(c, jo)
    r = ed.post(api(uri) + "/publish")
    eq(r.status, 200, "the original published: %r" % r)
    orig = r.json["item"]["associations"][0]

    # The form: the original's words beside fields that start from them.
    page = tr.page("/newsroom/new?of=" + urllib.parse.quote(uri)).text
    eq(field(page, "pcap.picture-1"), "The ministers at the table",
       "the caption field starts from the original's")
    eq(field(page, "palt.picture-1"), "Four ministers seated at a long "
       "table", "the alt field too")
    check('class="pt-orig"' in page and "The ministers at the table" in
          page.split('class="pt-orig"')[1][:300], "the original beside")
    check("still in the original" in page, "marked as not yet translated")

    # Translated into Arabic: the picture comes along with its new words.
    r = tr.post("/newsroom/new", {
        "of": uri, "headline": "استئناف محادثات السد", "language": "ar",
        "format": "markdown", "body": "استؤنفت المحادثات.",
        "audience": "public", "profile": "article", "do": "save",
        "pcap.picture-1": "الوزراء حول الطاولة",
        "palt.picture-1": "أربعة وزراء يجلسون إلى طاولة طويلة"})
    eq(r.status, 303, "translation made: %r" % r)
    ar_edit = r.headers["location"].split("?")[0]
    ar_uri = "urn:mediabridge:%s:%s" % tuple(ar_edit.split("/")[-2:])
    a = ed.get(api(ar_uri)).json["item"]["associations"]
    eq(len(a), 1, "the picture came along")
    eq([(x["role"], x["value"]) for x in a[0]["descriptions"]],
       [("caption", "الوزراء حول الطاولة"),
        ("alt", "أربعة وزراء يجلسون إلى طاولة طويلة")], "its Arabic words")
    check("language" not in a[0], "in the item's language: %r" % a[0])
    eq([x["href"] for x in a[0]["renditions"]],
       [x["href"] for x in orig["renditions"]], "the same files, not "
       "uploaded again")
    eq(a[0]["by"], "Photo: A. Said", "the credit")
    r = ed.post(api(ar_uri) + "/publish")
    eq(r.status, 200, "published: %r" % r)
    _, _, center, local = ar_uri.split(":")
    page = c.client().get("/ar/items/%s/%s" % (center, local)).text
    check('alt="أربعة وزراء يجلسون إلى طاولة طويلة"' in page,
          "the reader's alt in Arabic")
    check("الوزراء حول الطاولة" in page, "the caption in Arabic")
    check("Four ministers" not in page, "no English alt on the Arabic page")

    # Into Spanish with the words left blank: the original's stay, marked
    # as English, and the translation is not published.
    r = tr.post("/newsroom/new", {
        "of": uri, "headline": "Se reanudan las conversaciones",
        "language": "es", "format": "markdown",
        "body": "Se reanudaron.", "audience": "public",
        "profile": "article", "do": "save",
        "pcap.picture-1": "", "palt.picture-1": ""})
    eq(r.status, 303, "translation made: %r" % r)
    es_edit = r.headers["location"].split("?")[0]
    es_uri = "urn:mediabridge:%s:%s" % tuple(es_edit.split("/")[-2:])
    a = ed.get(api(es_uri)).json["item"]["associations"][0]
    eq(a.get("language"), "en", "marked as still English")
    r = ed.post(api(es_uri) + "/publish")
    eq(r.status, 422, "refused: %r" % r)
    check("picture-1" in r.text and "in es" in r.text, r.text)
    v = ed.get(api(es_uri)).json["item"]["version"]
    # The newsroom's button, in the interface's language (Russian).
    edb.page(es_edit)
    r = edb.cl.post(es_edit + "/publish", raw=urllib.parse.urlencode({
        "csrf": edb.csrf, "version": v}).encode(), headers=edb._h({
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "ru"}), auth=False)
    eq(r.status, 422, "refused in the newsroom: %r" % r)
    msg = error(r.text) or ""
    check("У изображения picture-1" in msg, msg)
    r = edb.post(es_edit + "/publish", {"version": v})
    eq(r.status, 422, "refused in English too")
    check("The picture picture-1 has neither" in (error(r.text) or ""),
          error(r.text))
    eq(ed.get(api(es_uri)).json["item"]["version"], v, "nothing changed")

    # The translator writes them on the edit page, beside the original's.
    page = tr.page(es_edit).text
    check("still in the original" in page, "the edit page says so")
    eq(field(page, "pcap.picture-1"), "The ministers at the table",
       "the field holds what there is")
    form = {"headline": "Se reanudan las conversaciones", "language": "es",
            "format": "markdown", "body": "Se reanudaron.",
            "audience": "public", "profile": "article", "do": "save",
            "of": uri, "version": v,
            "pcap.picture-1": "Los ministros en la mesa",
            "palt.picture-1": "Cuatro ministros sentados a una mesa larga"}
    r = tr.post(es_edit, form)
    eq(r.status, 303, "saved: %r" % r)
    a = ed.get(api(es_uri)).json["item"]["associations"][0]
    check("language" not in a, "now in Spanish: %r" % a)
    r = ed.post(api(es_uri) + "/publish")
    eq(r.status, 200, "published: %r" % r)
    page = c.client().get("/es/items/%s/%s" % tuple(
        es_uri.split(":")[2:])).text
    check('alt="Cuatro ministros sentados a una mesa larga"' in page,
          "the reader's alt in Spanish")
    check("Los ministros en la mesa" in page, "the caption in Spanish")


def test_translation_inline(w):
    """A picture in the original's text: in the translation's text when
    the translator puts it there, else shown as a main picture."""
    c = setup(w)
    c.serve()
    jo, tr = Browser(c), Browser(c)
    jo.login("jo", "journo-pass-1")
    tr.login("tr", "transl-pass-1")
    r = jo.post("/newsroom/new", {
        "headline": "The dam", "language": "en", "format": "markdown",
        "body": "Text.", "audience": "public", "profile": "article",
        "do": "save"})
    edit = r.headers["location"].split("?")[0]
    v = re.search(r'name="version" value="(\d+)"', jo.page(edit).text)
    r = post_multipart(jo, edit + "/picture", {
        "version": v.group(1), "caption": "The dam at dawn",
        "credit": "AFP", "place": "text"}, "d.png", "image/png",
        png(500, 400))
    eq(r.status, 303, "in the text: %r" % r)
    uri = "urn:mediabridge:%s:%s" % tuple(edit.split("/")[-2:])
    ed = c.client(c.token_add("ed"))
    env = ed.post(api(uri) + "/publish").json
    src = re.search(r'<img src="(/media/[0-9a-f]{64})"',
                    env["item"]["bodies"][0]["value"]).group(1)
    out = {}
    for lang, body in (("ar", "نص."), ("es", "Texto.\n\n![La presa al "
                                              "alba](%s \"AFP\")" % src)):
        r = tr.post("/newsroom/new", {
            "of": uri, "headline": "x-" + lang, "language": lang,
            "format": "markdown", "body": body, "audience": "public",
            "profile": "article", "do": "save",
            "pcap.picture-1": "caption-" + lang})
        eq(r.status, 303, "translated into %s: %r" % (lang, r))
        t = "urn:mediabridge:%s:%s" % tuple(
            r.headers["location"].split("?")[0].split("/")[-2:])
        out[lang] = ed.get(api(t)).json["item"]["associations"][0]["rel"]
    eq(out, {"ar": "main", "es": "inline"}, "where each shows it")


def test_refusals_russian(w):
    c = setup(w, languages="ar,en")
    c.serve()
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    r = jo.post("/newsroom/new", {
        "headline": "Talks", "language": "en", "format": "markdown",
        "body": "Text.", "audience": "public", "profile": "article",
        "do": "save"})
    edit = r.headers["location"].split("?")[0]
    v = re.search(r'name="version" value="(\d+)"', jo.page(edit).text)
    v = v.group(1)

    def post(fields, fname, ctype, data, lang):
        f = dict(fields, csrf=jo.csrf, version=v, place="main")
        body, ct = multipart(f, "file" if data is not None else None,
                             fname, ctype, data or b"")
        return jo.cl.post(edit + "/picture", raw=body, headers=jo._h({
            "Content-Type": ct, "Accept-Language": lang}), auth=False)

    for lang, nocap, nofile, notmedia in (
            ("ru", "Подпись: опишите изображение", "Файл: выберите",
             "добавить можно только изображение"),
            ("en", "Caption: describe the picture", "File: choose",
             "only a picture, a video or a sound file can be added"),
            ("es", "Pie de foto: describa", "Archivo: elija",
             "solo se puede añadir")):
        r = post({"caption": " "}, "a.png", "image/png", png(40, 30), lang)
        eq(r.status, 422, "no caption (%s)" % lang)
        check(nocap in (error(r.text) or ""), error(r.text))
        r = post({"caption": "x"}, None, None, None, lang)
        eq(r.status, 400, "no file (%s)" % lang)
        check(nofile in (error(r.text) or ""), error(r.text))
        r = post({"caption": "x"}, "a.png", "image/png",
                 b"<html>not a picture</html>", lang)
        eq(r.status, 415, "not media (%s)" % lang)
        check(notmedia in (error(r.text) or ""), error(r.text))
    ed = c.client(c.token_add("jo"))
    eq(ed.get("/api/v1/items/%s/%s" % tuple(edit.split("/")[-2:])).json[
        "item"]["version"], v, "nothing changed")


# ---- a machine draft, with a LibreTranslate-compatible engine ----------

def upper_outside_tags(s):
    return re.sub(r"(^|>)([^<]*)", lambda m: m.group(1) + m.group(2).upper(),
                  s)


class FakeLT:
    """LibreTranslate's API, answering with the text in capitals."""

    def __init__(self):
        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def reply(self, status, body):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.reply(200, json.dumps([
                    {"code": "en", "name": "English", "targets": ["ar"]},
                    {"code": "ar", "name": "Arabic", "targets": ["en"]}]))

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                j = json.loads(self.rfile.read(n))
                q = j["q"]
                out = ([upper_outside_tags(x) for x in q]
                       if isinstance(q, list) else upper_outside_tags(q))
                self.reply(200, json.dumps({"translatedText": out}))

        self.srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.url = "http://127.0.0.1:%d/" % self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def test_machine_draft(w):
    lt = FakeLT()
    try:
        c = setup(w)
        kf = os.path.join(w.root, "lt.key")
        with open(kf, "w") as fh:
            fh.write("k-1\n")
        run(["engine", "add", c.dir, "--name", "lt", "--kind",
             "libretranslate", "--url", lt.url, "--api-key-file", kf,
             "--readers"])
        c.serve()
        jo = Browser(c)
        jo.login("jo", "journo-pass-1")
        uri = picture_item(c, jo)
        e = edit_url(uri)
        v = re.search(r'name="version" value="(\d+)"', jo.page(e).text)
        r = post_multipart(jo, e + "/picture", {
            "version": v.group(1), "caption": "The dam at dawn",
            "alt": 'A concrete dam, "the wall"', "credit": "AFP",
            "place": "text"}, "d.png", "image/png", png(500, 400))
        eq(r.status, 303, "a picture in the text: %r" % r)
        ed = c.client(c.token_add("ed"))
        trc = c.client(c.token_add("tr"))
        eq(ed.post(api(uri) + "/publish").status, 200, "original published")
        r = trc.post(api(uri) + "/translate", {"language": "ar"})
        eq(r.status, 201, "a machine draft: %r" % r)
        a = r.json["item"]["associations"][0]
        eq([(x["role"], x["value"]) for x in a["descriptions"]],
           [("caption", "THE MINISTERS AT THE TABLE"),
            ("alt", "FOUR MINISTERS SEATED AT A LONG TABLE")],
           "the picture's words through the engine")
        check("language" not in a, "in the draft's language: %r" % a)
        body = r.json["item"]["bodies"][0]["value"]
        check('alt="A CONCRETE DAM, &quot;THE WALL&quot;"' in body,
              "the alt of the picture in the text too: %s" % body)
        check("THE DAM AT DAWN" in body, "its figcaption: %s" % body)
        eq(a["by"], "Photo: A. Said", "the credit as it was")
        draft = r.json["item"]["uri"]
        # The translator's edit page shows them beside the original's.
        tr = Browser(c)
        tr.login("tr", "transl-pass-1")
        page = tr.page(edit_url(draft)).text
        eq(field(page, "pcap.picture-1"), "THE MINISTERS AT THE TABLE",
           "the draft's caption to review")
        check("The ministers at the table" in html.unescape(page),
              "the original's beside it")
        # A reader's on-demand translation (no Arabic version published
        # yet) shows the picture's words in Arabic too.
        _, _, center, local = uri.split(":")
        r = c.client().get("/ar/items/%s/%s/mt" % (center, local))
        eq(r.status, 200, "on-demand page: %r" % r)
        check('alt="FOUR MINISTERS SEATED AT A LONG TABLE"' in r.text,
              "the alt through the engine")
        check("THE MINISTERS AT THE TABLE" in r.text, "the caption too")
        check("Four ministers" not in r.text, "not the English alt")
        check("THE DAM AT DAWN" in r.text and "A CONCRETE DAM, &quot;THE "
              "WALL&quot;" in r.text, "the picture in the text: its "
              "caption and alt")
        r = ed.post(api(draft) + "/publish")
        eq(r.status, 200, "published: %r" % r)
    finally:
        lt.close()


if __name__ == "__main__":
    main(globals())
