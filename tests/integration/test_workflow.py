# SPDX-License-Identifier: MIT
"""The publishing workflow as the newsroom lives it, over real HTTP: a
journalist's draft, a translator's translation linked to it, an editor's
review, publication, a correction and a withdrawal, each seen (or not)
by readers on the API, the pages and the feeds; and an embargo that
holds at the origin and at a peer the item travelled to, until its time
passes (a short embargo with wide margins: the checks poll)."""

import os
import sys
import time

from mbtest import Client, check, eq, main, run, wait_for

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402


def item(headline, lang="en", **kw):
    it = {"type": "text", "language": lang,
          "headlines": [{"value": headline}],
          "bodies": [{"value": "<p>%s: the story.</p>" % headline}]}
    it.update(kw)
    return it


def local_of(env):
    return env["item"]["uri"].split(":", 3)[3]


def api(env):
    _, _, center, local = env["item"]["uri"].split(":")
    return "/api/v1/items/%s/%s" % (center, local)


def page(env, lang="en"):
    _, _, center, local = env["item"]["uri"].split(":")
    return "/%s/items/%s/%s" % (lang, center, local)


def in_feed(cl, env, lang="en"):
    r = cl.get("/feeds/%s.json" % lang)
    eq(r.status, 200, "feed")
    return any(env["item"]["uri"] in (i.get("id", "") + i.get("url", ""))
               or local_of(env) in i.get("url", "")
               for i in r.json["items"])


def listed(cl, env):
    return env["item"]["uri"] in [e["item"]["uri"] for e in
                                  cl.get("/api/v1/items").json["items"]]


def seen_by_readers(cl, env, lang="en"):
    """(API status, page status, listed, in the feed) for a reader."""
    return (cl.get(api(env)).status, cl.get(page(env, lang)).status,
            listed(cl, env), in_feed(cl, env, lang))


HIDDEN = (404, 404, False, False)
SHOWN = (200, 200, True, True)


def test_draft_review_publish_correct_withdraw(w):
    c = w.center("cairo", languages="ar,en")
    for name, role in (("jou", "journalist"), ("tra", "translator"),
                       ("edi", "editor"), ("mem", "member")):
        c.user_add(name, role)
    c.serve()
    jo, tr, ed, mem = (c.client(c.token_add(n)) for n in
                       ("jou", "tra", "edi", "mem"))
    anon = c.client()

    # A journalist's draft: hers and the editor's to see, nobody else's.
    r = jo.post("/api/v1/items", item("Dam talks resume"))
    eq(r.status, 201, "draft: %r" % r)
    env = r.json
    eq(env["meta"]["workflow"], "draft", "a draft")
    eq(seen_by_readers(anon, env), HIDDEN, "reader: draft")
    eq(mem.get(api(env)).status, 404, "member: draft")
    eq(tr.get(api(env)).status, 404, "translator: another's draft")
    eq(ed.get(api(env)).status, 200, "editor: every draft")
    # She edits it with the ETag she was sent, and submits it.
    tag = jo.get(api(env)).headers["etag"]
    r = jo.put(api(env), item("Dam talks resume in Cairo"),
               headers={"If-Match": tag})
    eq(r.status, 200, "edit own draft: %r" % r)
    eq(jo.put(api(env), item("x"), headers={"If-Match": tag}).status, 412,
       "the old ETag is stale")
    eq(jo.post(api(env) + "/submit").status, 200, "submit")
    eq(jo.post(api(env) + "/publish").status, 403, "journalist: no publish")
    eq(seen_by_readers(anon, env), HIDDEN, "reader: submitted")

    # A translator writes the Arabic, linked to the original.
    tr_item = item("استئناف محادثات السد في القاهرة", "ar")
    bad = tr.post("/api/v1/items", tr_item)
    eq(bad.status, 403, "translator: only translations")
    before = c.metric("mediabridge_log_seq")
    bad = tr.post("/api/v1/items", {"item": tr_item, "meta": {
        "translation": {"of": "urn:mediabridge:cairo:nosuchitem",
                        "by": "human"}}})
    eq(bad.status, 400, "translation of nothing")
    # Another journalist's draft answers the same: not there.
    hidden = jo.post("/api/v1/items", item("A draft of hers")).json
    bad2 = tr.post("/api/v1/items", {"item": tr_item, "meta": {
        "translation": {"of": hidden["item"]["uri"], "by": "human"}}})
    eq((bad2.status, bad2.json["error"]["message"]),
       (bad.status, bad.json["error"]["message"]),
       "a draft the translator cannot see: as if not there")
    eq(c.metric("mediabridge_log_seq"), before + 1, "refusals write "
       "nothing (the draft is the one new version)")
    r = tr.post("/api/v1/items", {"item": tr_item, "meta": {
        "translation": {"of": env["item"]["uri"], "by": "human"}}})
    eq(r.status, 201, "translation: %r" % r)
    ar = r.json
    eq(ar["meta"]["translation"]["of"], env["item"]["uri"], "linked")
    eq(tr.post(api(ar) + "/submit").status, 200, "translator submits")
    eq(tr.post(api(ar) + "/publish").status, 403, "translator: no publish")

    # The editor publishes both: readers see them everywhere.
    for e in (env, ar):
        r = ed.post(api(e) + "/publish")
        eq(r.status, 200, "publish")
        check("workflow" not in r.json["meta"], "published", r.json)
    wait_for(lambda: seen_by_readers(anon, env) == SHOWN, 15,
             "the original published everywhere")
    wait_for(lambda: seen_by_readers(anon, ar, "ar") == SHOWN, 15,
             "the translation published everywhere")
    eq(mem.get(api(env)).status, 200, "member reads it")
    en_page = anon.get(page(env)).text
    check('hreflang="ar"' in en_page and local_of(ar) in en_page,
          "the original's page links its translation")
    ar_page = anon.get(page(ar, "ar")).text
    check('dir="rtl"' in ar_page, "the translation's page is rtl")
    check(local_of(env) in ar_page, "and links the original")

    # A correction: the editor's edit of a published item is published
    # at once, as a new version; a journalist may not touch it.
    cur = anon.get(api(env))
    v = int(cur.json["item"]["version"])
    eq(jo.put(api(env), item("Journalist's fix"),
              headers={"If-Match": cur.headers["etag"]}).status, 403,
       "journalist: no edit of a published item")
    r = ed.put(api(env), item("Dam talks resume in Cairo (corrected)"),
               headers={"If-Match": cur.headers["etag"]})
    eq(r.status, 200, "correction: %r" % r)
    eq(int(r.json["item"]["version"]), v + 1, "a new version")
    wait_for(lambda: "(corrected)" in anon.get(page(env)).text, 15,
             "readers see the correction")
    eq(anon.get(api(env)).json["item"]["headlines"][0]["value"],
       "Dam talks resume in Cairo (corrected)", "API: the correction")
    eq(anon.get(api(env), query={"version": v}).json["item"]["version"],
       str(v), "the earlier published version stays readable")

    # Withdrawn: withheld hides it everywhere; published again, back;
    # canceled, gone for good.
    eq(jo.post(api(env) + "/withhold").status, 403, "journalist: no withhold")
    eq(ed.post(api(env) + "/withhold").status, 200, "withhold")
    wait_for(lambda: seen_by_readers(anon, env) == HIDDEN, 15,
             "withheld: hidden everywhere")
    eq(ed.post(api(env) + "/publish").status, 200, "publish again")
    wait_for(lambda: seen_by_readers(anon, env) == SHOWN, 15, "back")
    eq(ed.post(api(env) + "/cancel").status, 200, "cancel")
    wait_for(lambda: seen_by_readers(anon, env) == HIDDEN, 15, "canceled")
    before = c.metric("mediabridge_log_seq")
    for action in ("publish", "submit", "withhold"):
        eq(ed.post(api(env) + "/" + action).status, 409,
           action + " after cancel")
    eq(c.metric("mediabridge_log_seq"), before, "nothing after cancel")
    # The translation stands on its own.
    eq(anon.get(api(ar)).status, 200, "translation still published")


def test_embargo_at_origin_and_peer(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    started = []
    try:
        hq.start()
        started.append(hq)
        cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        cairo.start()
        started.append(cairo)
        fedlib.admit(hq, cairo)
        fedlib.mb("user", "add", hq.dir, "edi", "--role", "editor")
        tok = fedlib.mb("token", "add", hq.dir, "edi").strip()
        fedlib.mb("user", "add", cairo.dir, "edc", "--role", "editor")
        ctok = fedlib.mb("token", "add", cairo.dir, "edc").strip()
        ed = Client(hq.addr)
        ed.token = tok
        ced = Client(cairo.addr)
        ced.token = ctok
        anon_hq, anon_cairo = Client(hq.addr), Client(cairo.addr)
        w.clients += [ed, ced, anon_hq, anon_cairo]

        # A control item, published now, shows the exchange is moving.
        ctl = ed.post("/api/v1/items", {"item": item("Control"), "meta": {
            "workflow": "published"}}).json
        wait_for(lambda: ced.get(api(ctl)).status == 200, 30,
                 "the control item at the peer")
        embargo = 20
        until_t = int(time.time()) + embargo
        until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(until_t))
        r = ed.post("/api/v1/items", {"item": item(
            "Budget figures", embargoedUntil=until), "meta": {
            "workflow": "published"}})
        eq(r.status, 201, "an embargoed item: %r" % r)
        env = r.json
        eq(env["item"]["embargoedUntil"], until, "embargoedUntil")
        eq(ed.get(api(env)).status, 200, "the editor sees it")
        checked_peer = False
        eq(seen_by_readers(anon_hq, env), HIDDEN, "origin: hidden")
        # It travels (embargoed items do), and stays hidden there too.
        wait_for(lambda: ced.get(api(env)).status == 200, 30,
                 "the embargoed item at the peer")
        if time.time() < until_t - 2:
            eq(seen_by_readers(anon_cairo, env), HIDDEN, "peer: hidden")
            checked_peer = True
        if time.time() < until_t - 1:
            eq(seen_by_readers(anon_hq, env), HIDDEN, "origin: still")
        check(checked_peer, "the exchange took over %ds on this machine; "
              "the peer's embargo could not be checked" % (embargo - 2))
        # The time passes: readers see it at both, with no new version.
        wait_for(lambda: time.time() > until_t, embargo + 5, "the time")
        for cl in (anon_hq, anon_cairo):
            wait_for(lambda: seen_by_readers(cl, env) == SHOWN, 20,
                     "visible after the embargo at " + cl.addr)
            eq(cl.get(api(env)).json["item"]["version"],
               env["item"]["version"], "the same version")
    finally:
        for c in started:
            c.stop()


def test_pickup_keeps_what_travels(w):
    """Cairo picks up HQ's items: the draft keeps the original's audience
    (a network item is not made public), its embargo and its rights
    (copyrightHolder, copyrightNotice, usageTerms), as a machine
    translation does; a withheld item is refused (409), nothing made; a
    person's translation form starts from the original's audience."""
    from nrform import Browser
    import re

    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    started = []
    try:
        hq.start()
        started.append(hq)
        cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        cairo.start()
        started.append(cairo)
        fedlib.admit(hq, cairo)
        fedlib.mb("user", "add", hq.dir, "edi", "--role", "editor")
        ed = Client(hq.addr)
        ed.token = fedlib.mb("token", "add", hq.dir, "edi").strip()
        run(["user", "add", cairo.dir, "edc", "--role", "editor",
             "--password-stdin"], stdin="editor-pass-1\n")
        ced = Client(cairo.addr)
        ced.token = fedlib.mb("token", "add", cairo.dir, "edc").strip()
        anon = Client(cairo.addr)
        w.clients += [ed, ced, anon]

        class At:
            addr = cairo.addr
            world = w
        b = Browser(At)
        b.login("edc", "editor-pass-1")

        rights = {"copyrightHolder": "Moscow House",
                  "copyrightNotice": "(c) 2026 Moscow House",
                  "usageTerms": "Credit Moscow House"}

        def publish(headline, audience="public", **kw):
            r = ed.post("/api/v1/items", {"item": item(
                headline, **dict(rights, **kw)), "meta": {
                "workflow": "published", "audience": audience}})
            eq(r.status, 201, "%s: %r" % (headline, r))
            return r.json

        net = publish("For the network", audience="network")
        emb = publish("Under embargo", embargoedUntil="2099-01-01T00:00:00Z")
        wd = publish("Taken back")
        for e in (net, emb, wd):
            wait_for(lambda: ced.get(api(e)).status == 200, 30,
                     "%s at Cairo" % e["item"]["uri"])
        eq(ed.post(api(wd) + "/withhold").status, 200, "withheld at HQ")
        wait_for(lambda: ced.get(api(wd)).json["item"].get("pubStatus") ==
                 "withheld", 30, "the withholding at Cairo")

        def pickup(env):
            _, _, c, l = env["item"]["uri"].split(":")
            b.page("/newsroom/items/%s/%s" % (c, l))
            return b.post("/newsroom/items/%s/%s/pickup" % (c, l), {})

        def made(r):
            eq(r.status, 303, "picked up: %r" % r)
            c, l = r.headers["location"].split("?")[0].split("/")[3:5]
            return ced.get("/api/v1/items/%s/%s" % (c, l)).json

        got = made(pickup(net))
        eq(got["meta"]["audience"], "network", "the network item's audience")
        eq(got["meta"]["workflow"], "draft", "a draft of Cairo")
        for k, v in rights.items():
            eq(got["item"].get(k), v, k)
        check({"uri": net["item"]["uri"], "rel": "source"}.items() <=
              got["item"]["associations"][-1].items(), "credits the source",
              got["item"].get("associations"))

        got = made(pickup(emb))
        eq(got["item"].get("embargoedUntil"), "2099-01-01T00:00:00Z",
           "the embargo comes along")
        eq(got["meta"]["audience"], "public", "a public item stays public")
        r = ced.post(api(got) + "/publish")
        eq(r.status, 200, "published at Cairo: %r" % r)
        eq(anon.get(api(got)).status, 404, "still under embargo for readers")

        before = len(cairo.versions())
        r = pickup(wd)
        eq(r.status, 409, "a withheld item is not picked up: %r" % r)
        check("published" in r.text, "says why", r.text[:400])
        eq(len(cairo.versions()), before, "nothing made")

        # A person's translation of the network item starts as network.
        page = b.page("/newsroom/new?of=" + net["item"]["uri"]).text
        check(re.search(r'<option value="network" selected>', page),
              "the translation form preselects the original's audience")
    finally:
        for c in reversed(started):
            c.stop()


def test_first_created_is_not_in_the_future(w):
    """firstCreated orders listings and feeds: an item created here with
    one in the future (2099) would stay first for years. It is refused
    (400 naming the field, nothing stored); a date in the past (an
    archive's story) is kept."""
    c = w.center("cairo", languages="ar,en")
    c.user_add("jou", "journalist")
    c.user_add("edi", "editor")
    c.serve()
    jo, ed = (c.client(c.token_add(n)) for n in ("jou", "edi"))

    def item(first):
        return {"firstCreated": first, "language": "en",
                "headlines": [{"value": "Dated %s" % first}],
                "bodies": [{"value": "<p>b</p>"}]}

    r = jo.post("/api/v1/items", {"item": item("2099-01-01T00:00:00Z")})
    eq(r.status, 400, "a future firstCreated: %r" % r)
    check("firstCreated" in r.text, "the field is named: %s" % r.text)
    r = ed.post("/api/v1/items", {"item": item("2099-01-01T00:00:00Z"),
                                  "meta": {"workflow": "published"}})
    eq(r.status, 400, "for an editor too: %r" % r)
    eq(ed.get("/api/v1/items").json["items"], [], "nothing stored")
    r = jo.post("/api/v1/items", {"item": item("2020-01-01T00:00:00Z")})
    eq(r.status, 201, "a past one: %r" % r)
    eq(r.json["item"]["firstCreated"], "2020-01-01T00:00:00Z", "kept")


def test_translator_reads_what_they_may_translate(w):
    """A translator may translate an item submitted for review
    (docs/permissions.md), so they may read it: over the API, as HTML
    and beside the newsroom's translation form. Someone else's draft
    stays hidden (404), and a member still sees no submitted item."""
    from nrform import Browser
    c = w.center("cairo", languages="ar,en")
    c.user_add("jou", "journalist")
    c.user_add("tra", "translator", "translator-pass-1")
    c.user_add("mem", "member")
    c.serve()
    jo, tr, mem = (c.client(c.token_add(n)) for n in ("jou", "tra", "mem"))

    def made(h):
        r = jo.post("/api/v1/items", {"language": "en",
                                      "headlines": [{"value": h}],
                                      "bodies": [{"value": "<p>%s text</p>"
                                                  % h}]})
        eq(r.status, 201, "made: %r" % r)
        return r.json["item"]["uri"], "/api/v1/items/%s/%s" % tuple(
            r.json["item"]["uri"].split(":")[2:])

    sub, subp = made("Submitted story")
    eq(jo.post(subp + "/submit", {}).status, 200, "submitted")
    draft, draftp = made("Draft story")
    eq(tr.get(subp).status, 200, "the translator reads the submitted item")
    r = tr.get(subp + "/html")
    eq(r.status, 200, "and its HTML")
    check("Submitted story text" in r.text, r.text)
    eq(tr.get(draftp).status, 404, "not someone else's draft")
    eq(tr.get(draftp + "/html").status, 404, "nor its HTML")
    eq(mem.get(subp).status, 404, "a member does not read it")
    b = Browser(c)
    b.login("tra", "translator-pass-1")
    page = b.page("/newsroom/new?of=" + sub).text
    check(">Submitted story</a>" in page and "Submitted story text" in page,
          "the original beside the form")
    page = b.page("/newsroom/new?of=" + draft).text
    check("Draft story" not in page, "a draft's is not shown")


def test_create_at_a_hidden_uri_does_not_tell(w):
    """POST /api/v1/items with the uri of an item the caller may not see
    (someone else's draft, an embargoed story) answers 404 as reading it
    does, never 409 "already exists"; one they may see is 409."""
    c = w.center("cairo", languages="ar,en")
    c.user_add("jou", "journalist")
    c.user_add("jo2", "journalist")
    c.user_add("edi", "editor")
    c.serve()
    jo, jo2, ed = (c.client(c.token_add(n)) for n in ("jou", "jo2", "edi"))

    def body(uri):
        it = {"language": "en", "headlines": [{"value": "Mine"}],
              "bodies": [{"value": "<p>b</p>"}]}
        if uri:
            it["uri"] = uri
        return it

    theirs = jo2.post("/api/v1/items", body(None)).json["item"]["uri"]
    emb = ed.post("/api/v1/items", {"item": body(None), "meta": {
        "workflow": "published"}}).json
    eu = emb["item"]["uri"]
    r = ed.post("/api/v1/items/%s/%s/embargo" % tuple(eu.split(":")[2:]),
                {"until": "2099-01-01T00:00:00Z"})
    eq(r.status, 200, "embargoed: %r" % r)
    for uri in (theirs, eu):
        r = jo.post("/api/v1/items", body(uri))
        eq(r.status, 404, "a hidden uri: %r" % r)
        check("exist" not in r.text, "nothing said of it: %s" % r.text)
        eq(r.status, jo.get("/api/v1/items/%s/%s" % tuple(
            uri.split(":")[2:])).status, "as reading it answers")
    mine = jo.post("/api/v1/items", body(None)).json["item"]["uri"]
    eq(jo.post("/api/v1/items", body(mine)).status, 409, "one's own: 409")
    eq(ed.post("/api/v1/items", body(theirs)).status, 409,
       "an editor sees it: 409")


def test_no_editors_note_in_a_published_version(w):
    """edNote is for the newsroom: a version that is published, made so
    by a PUT on a published item or a create straight to published,
    never carries it; a draft keeps its note."""
    c = w.center("cairo", languages="ar,en")
    c.user_add("edi", "editor")
    c.serve()
    ed = c.client(c.token_add("edi"))
    anon = c.client()
    note = "internal: the source is the minister's aide"

    def item(h):
        return {"language": "en", "headlines": [{"value": h}],
                "bodies": [{"value": "<p>b</p>"}], "edNote": note}

    r = ed.post("/api/v1/items", {"item": item("Straight out"),
                                  "meta": {"workflow": "published"}})
    eq(r.status, 201, "published: %r" % r)
    check("edNote" not in r.json["item"], "no note when created published")
    p = "/api/v1/items/%s/%s" % tuple(r.json["item"]["uri"].split(":")[2:])
    g = ed.get(p)
    it = dict(g.json["item"], edNote=note)
    r = ed.put(p, {"item": it}, headers={"If-Match": g.headers["etag"]})
    eq(r.status, 200, "a published item edited: %r" % r)
    check("edNote" not in ed.get(p).json["item"], "no note stored")
    check("minister" not in anon.get(p).text, "readers never get it")
    r = ed.post("/api/v1/items", {"item": item("Draft")})
    eq(r.json["item"].get("edNote"), note, "a draft keeps its note")


if __name__ == "__main__":
    main(globals())
