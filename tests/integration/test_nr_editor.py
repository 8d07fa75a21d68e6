# SPDX-License-Identifier: MIT
"""The newsroom's editor as a journalist uses it, over real HTTP with
plain forms: text typed as Markdown (one line, one paragraph) is stored
as sanitized HTML, typed HTML stays text, a picture on its own line
becomes a figure with caption and credit; the item opens again as the
same Markdown; a body Markdown cannot say opens as HTML and stays so."""

import html
import re

from mbtest import check, eq, main
from nrform import Browser

TEXT = """Talks on the dam resumed in Cairo.
The ministers met for *three* hours.
## What was agreed
- a timetable
- a **joint** committee

> We are close, said one.
![The ministers at the table](/media/ab12.jpg "Photo: A. Said")
<script>alert(1)</script> and [the statement](https://example.org/s)."""


def textarea(text):
    m = re.search(r'<textarea id="body"[^>]*>(.*?)</textarea>', text, re.S)
    return html.unescape(m.group(1)) if m else None


def checked(text):
    m = re.search(r'name="format" value="(\w+)" checked', text)
    return m.group(1) if m else None


def test_markdown_in_and_back(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("jo", "journalist", "journo-pass-1")
    c.serve()
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    api = c.client(c.token_add("jo"))
    r = jo.page("/newsroom/new")
    eq(checked(r.text), "markdown", "Markdown by default")
    check('id="body" name="body" rows="16" dir="auto"' in r.text,
          "the text follows its own direction")
    check('id="headline" name="headline" dir="auto"' in r.text, "headline")

    # Preview: the same HTML readers will get, nothing stored.
    form = {"headline": "Dam talks resume", "language": "en",
            "format": "markdown", "body": TEXT, "audience": "public",
            "profile": "article"}
    r = jo.post("/newsroom/new", dict(form, do="preview"))
    eq(r.status, 200, "preview")
    check("<em>three</em>" in r.text and "<h2>What was agreed</h2>" in
          r.text, "preview rendered")
    eq(len(api.get("/api/v1/items").json["items"]), 0, "nothing stored")

    r = jo.post("/newsroom/new", dict(form, do="save"))
    eq(r.status, 303, "saved: %r" % r)
    edit = r.headers["location"].split("?")[0]
    center, local = edit.split("/")[-2:]
    body = api.get("/api/v1/items/%s/%s" % (center, local)).json[
        "item"]["bodies"][0]["value"]
    for want in ("<p>Talks on the dam resumed in Cairo.</p>",
                 "<p>The ministers met for <em>three</em> hours.</p>",
                 "<h2>What was agreed</h2>",
                 "<li>a <strong>joint</strong> committee</li>",
                 "<blockquote>", "&lt;script&gt;alert(1)&lt;/script&gt;",
                 '<figure><img src="/media/ab12.jpg" alt="The ministers '
                 'at the table"><figcaption>The ministers at the table '
                 '<small>Photo: A. Said</small></figcaption></figure>',
                 'href="https://example.org/s"'):
        check(want in body, "stored body has %r:\n%s" % (want, body))
    check("<script" not in body, "no script")

    # It opens again as Markdown that says the same.
    r = jo.page(edit)
    eq(checked(r.text), "markdown", "opens as Markdown")
    md = textarea(r.text)
    check("The ministers met for *three* hours." in md, md)
    check('![The ministers at the table](/media/ab12.jpg "Photo: A. '
          'Said")' in md, md)
    ver = re.search(r'name="version" value="(\d+)"', r.text).group(1)
    r = jo.post(edit, dict(form, body=md, version=ver, do="save"))
    eq(r.status, 303, "saved again")
    body2 = api.get("/api/v1/items/%s/%s" % (center, local)).json[
        "item"]["bodies"][0]["value"]
    eq(body2, body, "the same body after a round trip")

    # Bad input: an empty text is refused beside the field.
    r = jo.post("/newsroom/new", dict(form, body="   \n ", do="save"))
    eq(r.status, 422, "empty body")
    check('id="err-body"' in r.text, "message beside the text")


def test_html_items_stay_html(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("jo", "journalist", "journo-pass-1")
    c.serve()
    api = c.client(c.token_add("jo"))
    table = "<p>Results:</p><table><tr><td>1</td></tr></table>"
    r = api.post("/api/v1/items", {
        "type": "text", "language": "en",
        "headlines": [{"value": "Results"}],
        "bodies": [{"value": table}]})
    eq(r.status, 201, "made over the API")
    center, local = r.json["item"]["uri"].split(":")[2:]
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    edit = "/newsroom/items/%s/%s" % (center, local)
    r = jo.page(edit)
    eq(checked(r.text), "html", "a table opens as HTML")
    eq(textarea(r.text), table, "the HTML as stored")
    ver = re.search(r'name="version" value="(\d+)"', r.text).group(1)
    r = jo.post(edit, {"headline": "Results", "language": "en",
                       "format": "html", "body": table + "<p>More.</p>",
                       "audience": "public", "profile": "article",
                       "version": ver, "do": "save"})
    eq(r.status, 303, "saved as HTML")
    body = api.get("/api/v1/items/%s/%s" % (center, local)).json[
        "item"]["bodies"][0]["value"]
    check("<table>" in body and "<p>More.</p>" in body, body)
    # A simple HTML body opens as Markdown.
    r = api.post("/api/v1/items", {
        "type": "text", "language": "ar",
        "headlines": [{"value": "خبر"}],
        "bodies": [{"value": "<p>نص <b>عريض</b></p><p>فقرة ثانية</p>"}]})
    center, local = r.json["item"]["uri"].split(":")[2:]
    r = jo.page("/newsroom/items/%s/%s" % (center, local))
    eq(checked(r.text), "markdown", "simple HTML opens as Markdown")
    eq(textarea(r.text), "نص **عريض**\n\nفقرة ثانية", "as Markdown")


def test_send_back_with_note(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("jo", "journalist", "journo-pass-1")
    c.user_add("ed", "editor", "editor-pass-1")
    c.serve()
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    r = jo.post("/newsroom/new", {"headline": "Budget", "language": "en",
                                  "format": "markdown", "body": "Text.",
                                  "audience": "public", "do": "save"})
    edit = r.headers["location"].split("?")[0]
    ver = re.search(r'name="version" value="(\d+)"', jo.page(edit).text)
    eq(jo.post(edit + "/submit", {"version": ver.group(1)}).status, 303,
       "submitted")
    ed = Browser(c)
    ed.login("ed", "editor-pass-1")
    page = ed.page(edit).text
    check("/return" in page, "an editor may send it back")
    v = re.search(r'name="version" value="(\d+)"', page).group(1)
    # A note past 4,000 bytes is refused beside the field, and kept.
    long_note = "Too long. " * 401
    r = ed.post(edit + "/return", {"version": v, "note": long_note})
    eq(r.status, 400, "a note past 4,000 bytes: %r" % r)
    check('id="err-note"' in r.text, "the refusal beside the note")
    check(long_note.strip() in html.unescape(r.text.split(
        'id="note"')[1].split("</textarea>")[0]), "the note is kept")
    r = ed.post(edit + "/return", {"version": v,
                                   "note": "Check the minister's name."})
    eq(r.status, 303, "sent back: %r" % r)
    page = jo.page(edit).text
    check("Check the minister&#39;s name." in page or
          "Check the minister's name." in page, "the writer sees the note")
    check('st-draft' in page, "a draft again")
    r = ed.post(edit + "/return", {"version": str(int(v) + 1),
                                   "note": "again"})
    eq(r.status, 409, "only a submitted item goes back")
    # Submitted again, then published: the note never reaches readers.
    v = re.search(r'name="version" value="(\d+)"', jo.page(edit).text)
    eq(jo.post(edit + "/submit", {"version": v.group(1)}).status, 303,
       "resubmitted")
    v = re.search(r'name="version" value="(\d+)"', ed.page(edit).text)
    eq(ed.post(edit + "/publish", {"version": v.group(1)}).status, 303,
       "published")
    center, local = edit.split("/")[-2:]
    got = c.client().get("/api/v1/items/%s/%s" % (center, local)).json
    check("edNote" not in got["item"], "no note for readers")


def test_translation_shows_the_original(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("jo", "journalist", "journo-pass-1")
    c.serve()
    api = c.client(c.token_add("jo"))
    r = api.post("/api/v1/items", {
        "type": "text", "language": "en",
        "headlines": [{"value": "Water talks in Cairo"}],
        "bodies": [{"value": "<p>The ministers met <b>today</b>.</p>"
                             "<script>x()</script>"}]})
    uri = r.json["item"]["uri"]
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    page = jo.page("/newsroom/new?of=" + uri).text
    check(">Water talks in Cairo</a>" in page, "the original's headline")
    check("The ministers met <b>today</b>." in page, "and its text")
    check("<script>x()" not in page, "sanitized")
    check(uri not in page.split('name="of"')[1][40:], "no bare urn shown")
    # The language: one the original lacks (Cairo writes ar and en).
    check('<option value="ar" selected>' in page, "defaults to Arabic")

    # With an Arabic translation: it is listed, and the default moves on.
    c.user_add("ed", "editor", "editor-pass-1")
    ed = c.client(c.token_add("ed"))
    r = ed.post("/api/v1/items", {
        "item": {"type": "text", "language": "ar",
                 "headlines": [{"value": "محادثات المياه في القاهرة"}],
                 "bodies": [{"value": "<p>التقى الوزراء اليوم.</p>"}]},
        "meta": {"translation": {"of": uri, "by": "human"},
                 "workflow": "published"}})
    eq(r.status, 201, "a translation: %r" % r)
    tr = r.json["item"]["uri"]
    tc, tl = tr.split(":")[2:]
    page = jo.page("/newsroom/new?of=" + uri).text
    check('id="of-versions"' in page and "محادثات المياه في القاهرة" in
          page and "/newsroom/items/%s/%s" % (tc, tl) in page,
          "the item's other versions are listed")
    check('<option value="ar" selected>' not in page and
          '<option value="en" selected>' not in page,
          "neither Arabic nor English by default now")
    # A person's translation is not called a machine's on its page.
    page = jo.page("/newsroom/items/%s/%s" % (tc, tl)).text
    check('<h2 id="mt-h">Translation</h2>' in page and
          "Machine translation" not in page, "a human translation's panel")

    # The reader's switcher goes to the translation.
    oc, ol = uri.split(":")[2:]
    v = api.get("/api/v1/items/%s/%s" % (oc, ol)).headers["etag"]
    eq(ed.post("/api/v1/items/%s/%s/publish" % (oc, ol), {},
               headers={"If-Match": v}).status, 200, "original published")
    reader = c.client()
    page = reader.get("/en/items/%s/%s" % (oc, ol)).text
    want = "/language?set=ar&amp;next=%%2Far%%2Fitems%%2F%s%%2F%s" % (tc, tl)
    check(want in page, "Arabic in the switcher is the translation")
    page = reader.get("/ar/items/%s/%s" % (tc, tl)).text
    want = "/language?set=en&amp;next=%%2Fen%%2Fitems%%2F%s%%2F%s" % (oc, ol)
    check(want in page, "and English is the original")
    check("/language?set=fr&amp;next=%%2Ffr%%2Fitems%%2F%s%%2F%s" % (tc, tl)
          in page, "French, with no translation, the same item")


def test_stale_form_is_not_saved_over(w):
    """Two people edit one item: a form shown again (a preview, a
    refusal) keeps the version it was made from, so saving it after
    someone else's save is refused (412) with what changed shown and the
    writer's text kept; saving over it is a second, explicit choice."""
    c = w.center("cairo", languages="ar,en")
    c.user_add("ed", "editor", "editor-pass-1")
    c.user_add("ad", "admin", "admin-pass-1")
    c.serve()
    api = c.client(c.token_add("ed"))
    r = api.post("/api/v1/items", {
        "type": "text", "language": "en",
        "headlines": [{"value": "Original headline"}],
        "bodies": [{"value": "<p>Original text.</p>"}]})
    eq(r.status, 201, "created: %r" % r)
    center, local = r.json["item"]["uri"].split(":")[2:]
    edit = "/newsroom/items/%s/%s" % (center, local)
    get = "/api/v1/items/%s/%s" % (center, local)

    def version(text):
        return re.search(r'name="version" value="(\d*)"', text).group(1)

    def headline():
        return api.get(get).json["item"]["headlines"][0]["value"]

    def form(h, body, v, do):
        return {"headline": h, "language": "en", "body": body,
                "format": "markdown", "audience": "public", "version": v,
                "do": do}

    a = Browser(c)
    a.login("ed", "editor-pass-1")
    b = Browser(c)
    b.login("ad", "admin-pass-1")
    va = version(a.page(edit).text)
    eq(va, "1", "A's form is made from version 1")
    r = b.post(edit, form("B's correction", "B's text.",
                          version(b.page(edit).text), "save"))
    eq(r.status, 303, "B saved: %r" % r)
    eq(headline(), "B's correction", "B's version is current")

    # A previews the stale form: it keeps version 1 and says what changed.
    r = a.post(edit, form("A's headline", "A's text.", va, "preview"))
    eq(r.status, 200, "preview")
    eq(version(r.text), "1", "the previewed form keeps its version")
    check('id="changed"' in r.text, "the page says the item changed")
    changed = r.text.split('id="changed"')[1].split("</section>")[0]
    check("correction" in changed and "/diff?from=1&amp;to=2" in changed,
          "and shows what B changed: %s" % changed)
    r = a.post(edit, form("A's headline", "A's text.", version(r.text),
                          "save"))
    eq(r.status, 412, "saving the previewed stale form: %r" % r)
    eq(headline(), "B's correction", "B's edit is not lost")
    check('value="A&#39;s headline"' in r.text or
          'value="A\'s headline"' in r.text, "A's text is kept")
    check('id="err-form"' in r.text and 'id="changed"' in r.text,
          "the writer is told the item changed")
    eq(version(r.text), "1", "still the version A's form was made from")

    # Saving over the change is a choice made seeing it.
    cur = re.search(r'name="current" value="(\d+)"', r.text)
    check(cur is not None and cur.group(1) == "2", "the current version")
    f = form("A's headline", "A's text.", version(r.text), "overwrite")
    f["current"] = cur.group(1)
    r = a.post(edit, f)
    eq(r.status, 303, "saved over version 2: %r" % r)
    eq(headline(), "A's headline", "A's text is current")

    # A refused form (422) shown again keeps its version as well.
    va = version(a.page(edit).text)
    eq(va, "3", "A opens version 3")
    r = b.post(edit, form("B again", "B's second text.",
                          version(b.page(edit).text), "save"))
    eq(r.status, 303, "B saved again")
    r = a.post(edit, form("A's second", "", va, "save"))
    eq(r.status, 422, "an empty text is refused")
    eq(version(r.text), "3", "the refused form keeps its version")
    r = a.post(edit, form("A's second", "Fixed text.", version(r.text),
                          "save"))
    eq(r.status, 412, "the fixed stale form is refused: %r" % r)
    eq(headline(), "B again", "B's second edit is not lost")
    # An overwrite that is itself overtaken is refused again.
    f = form("A's second", "Fixed text.", "3", "overwrite")
    f["current"] = "3"
    eq(a.post(edit, f).status, 412, "over a version no longer current")
    eq(headline(), "B again", "still B's")


def test_event_save_keeps_what_the_form_does_not_show(w):
    """The form shows an event's dates and place: saving it replaces
    those and keeps the rest of eventDetails (its status, organiser,
    recurrence), so a canceled event is not quietly un-canceled."""
    c = w.center("cairo", languages="ar,en")
    c.user_add("ed", "editor", "editor-pass-1")
    c.serve()
    api = c.client(c.token_add("ed"))
    canceled = "http://cv.iptc.org/newscodes/eventstatus/canceled"
    rules = [{"frequency": "weekly", "interval": 1, "count": 10}]
    r = api.post("/api/v1/items", {"item": {
        "type": "event", "profile": "event", "language": "en",
        "headlines": [{"value": "Weekly briefing"}],
        "bodies": [{"value": "<p>Press briefing.</p>"}],
        "eventDetails": {
            "dates": {"startDate": "2027-03-01T10:00:00Z",
                      "endDate": "2027-03-01T11:00:00Z",
                      "recurrence": {"recurrenceRules": rules}},
            "eventStatus": canceled,
            "organiser": {"name": "Press Office"}}}})
    eq(r.status, 201, "made over the API: %r" % r)
    center, local = r.json["item"]["uri"].split(":")[2:]
    ed = Browser(c)
    ed.login("ed", "editor-pass-1")
    edit = "/newsroom/items/%s/%s" % (center, local)
    page = ed.page(edit).text
    ver = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = ed.post(edit, {"headline": "Weekly briefing", "language": "en",
                       "format": checked(page), "body": textarea(page),
                       "audience": "public", "profile": "event",
                       "start": "2027-03-08T10:00", "end": "",
                       "version": ver, "do": "save"})
    eq(r.status, 303, "saved: %r" % r)
    ev = api.get("/api/v1/items/%s/%s" % (center, local)).json[
        "item"]["eventDetails"]
    eq(ev.get("eventStatus"), canceled, "still canceled: %r" % ev)
    eq(ev.get("organiser"), {"name": "Press Office"}, "organiser kept")
    eq(ev["dates"].get("recurrence"), {"recurrenceRules": rules},
       "recurrence kept")
    eq(ev["dates"].get("startDate"), "2027-03-08T10:00:00Z", "new start")
    check("endDate" not in ev["dates"], "the end the form cleared: %r" % ev)


def test_plain_text_item_edited_as_text(w):
    """An item made over the API with a text/plain body and a
    subheadline: the editor opens the text as text (its "<b>" letters,
    not bold), and saving keeps it so and keeps the subheadline."""
    c = w.center("cairo", languages="ar,en")
    c.user_add("ed", "editor", "editor-pass-1")
    c.serve()
    api = c.client(c.token_add("ed"))
    text = ('Prices rose 3% when x < 5 and y > 2.\n'
            'Quote: "<b>never</b>" said the minister.')
    r = api.post("/api/v1/items", {"item": {
        "type": "text", "language": "en",
        "headlines": [{"value": "Wire copy"},
                      {"value": "Ministers agree on a timetable",
                       "role": "subheadline"}],
        "bodies": [{"value": text, "contentType": "text/plain"}]},
        "meta": {"workflow": "published"}})
    eq(r.status, 201, "made over the API: %r" % r)
    center, local = r.json["item"]["uri"].split(":")[2:]
    reader = c.client()
    page = "/en/items/%s/%s" % (center, local)
    before = reader.get(page).text
    check("&lt;b&gt;never&lt;/b&gt;" in before, "readers see the letters")
    ed = Browser(c)
    ed.login("ed", "editor-pass-1")
    edit = "/newsroom/items/%s/%s" % (center, local)
    form = ed.page(edit).text
    body = textarea(form)
    # As Markdown its "<" may come escaped ("\\<"): letters either way.
    check("never" in body and "**never**" not in body,
          "the text, its markup as letters: %r" % body)
    ver = re.search(r'name="version" value="(\d+)"', form).group(1)
    r = ed.post(edit, {"headline": "Wire copy (corrected)",
                       "language": "en", "format": checked(form),
                       "body": body, "audience": "public",
                       "profile": "article", "version": ver, "do": "save"})
    eq(r.status, 303, "saved: %r" % r)
    after = reader.get(page).text
    check("&lt;b&gt;never&lt;/b&gt;" in after and
          "<b>never</b>" not in after, "still letters, not bold")
    check("x &lt; 5 and y &gt; 2" in after, "the comparison kept")
    item = api.get("/api/v1/items/%s/%s" % (center, local)).json["item"]
    eq(item["headlines"], [{"value": "Wire copy (corrected)"},
                           {"value": "Ministers agree on a timetable",
                            "role": "subheadline"}],
       "the headline changed, the subheadline kept")


def test_bad_bytes_are_refused_by_name(w):
    """A %00 in the body would cut it there and bytes that are not UTF-8
    would drop the headline, the save said to succeed: the form is
    refused (422) naming the field, and nothing is stored."""
    c = w.center("cairo", languages="ar,en")
    c.user_add("ed", "editor", "editor-pass-1")
    c.serve()
    api = c.client(c.token_add("ed"))
    ed = Browser(c)
    ed.login("ed", "editor-pass-1")
    ed.page("/newsroom/new")

    def post(path, raw):
        return ed.cl.post(path, raw=b"csrf=" + ed.csrf.encode() + raw,
                          headers=ed._h({"Content-Type":
                                         "application/x-www-form-urlencoded"}),
                          auth=False)

    base = b"&language=en&format=markdown&audience=public&do=save"
    for field, raw in (
            ("body", b"&headline=Talks&body=First.%00Second." + base),
            ("headline", b"&headline=Bad%FFhead&body=Text." + base),
            ("byline", b"&headline=Ok&byline=%C0%AF&body=Text." + base)):
        r = post("/newsroom/new", raw)
        eq(r.status, 422, "%s refused: %r" % (field, r))
        check("%s: holds a NUL byte" % field in r.text, "named: %s" % field)
    eq(api.get("/api/v1/items").json["items"], [], "nothing stored")

    r = post("/newsroom/new", b"&headline=Talks&body=Text." + base)
    eq(r.status, 303, "a good form saves: %r" % r)
    edit = r.headers["location"].split("?")[0]
    center, local = edit.split("/")[-2:]
    ver = re.search(r'name="version" value="(\d+)"', ed.page(edit).text)
    r = post(edit, b"&headline=Talks&body=Cut%00here&version=" +
             ver.group(1).encode() + base)
    eq(r.status, 422, "a save refused: %r" % r)
    check('id="err-body"' in r.text, "beside the body")
    got = api.get("/api/v1/items/%s/%s" % (center, local)).json["item"]
    eq(got["version"], "1", "no new version")


if __name__ == "__main__":
    main(globals())
