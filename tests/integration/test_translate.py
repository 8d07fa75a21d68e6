# SPDX-License-Identifier: MIT
"""Translation as a workflow step, with real processes and Debian's
Apertium APy (tests/lib/apy.py): a translator's machine draft of an item
over the API and the CLI, linked to its original with signed provenance;
the translator's edit, the editor's review and publication; the original
moving on makes the translation stale, listed as needing an update, and
making it again brings it up to date from the cache where the text did
not change; the glossary; and every bad input refused with nothing
made."""

import json
import os
import re
import sys
import tempfile

from mbtest import Client, check, eq, main, run, wait_for
from nrform import Browser, error
import apy as apylib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402

APY = None  # the one APy every test uses (started below)

BODY = ('<p>The <a href="https://example.org/x" title="t">minister</a> '
        'said that the new school opens <b>next week</b>.</p>'
        '<ul><li>The children are happy.</li><li>The teachers are '
        'ready.</li></ul>')


def skeleton(html):
    out, i = [], 0
    while True:
        a = html.find("<", i)
        if a < 0:
            return out
        b = html.find(">", a)
        out.append(html[a:b + 1])
        i = b + 1


def api(uri):
    _, _, center, local = uri.split(":")
    return "/api/v1/items/%s/%s" % (center, local)


def setup(w, engine_url=None, serve=True):
    """Cairo with APy, an editor, a translator and a member; one English
    item published by import. Returns (center, uri, clients)."""
    c = w.center("cairo", languages="ar,en,es")
    run(["engine", "add", c.dir, "--name", "apy", "--kind", "apertium-apy",
         "--url", engine_url or APY.url])
    path = os.path.join(w.root, "in.ndjson")
    with open(path, "w") as f:
        f.write(json.dumps({
            "uri": "urn:mediabridge:cairo:school-1", "type": "text",
            "language": "en",
            "headlines": [{"value": "A new school opens in the city"}],
            "bodies": [{"value": BODY, "contentType": "text/html"}]}) +
            "\n")
    run(["import", c.dir, path])
    for name, role in (("ed", "editor"), ("tr", "translator"),
                       ("mem", "member")):
        c.user_add(name, role)
    if serve:
        c.serve()
    cl = {n: c.client(c.token_add(n)) for n in ("ed", "tr", "mem")}
    cl["anon"] = c.client()
    return c, "urn:mediabridge:cairo:school-1", cl


def count_items(c):
    return len([x for x in run(["export", c.dir])[1].splitlines()
                if x.strip()])


def test_machine_draft_review_publish_stale(w):
    c, uri, cl = setup(w)
    r = cl["tr"].post(api(uri) + "/translate", {"language": "es"})
    eq(r.status, 201, "translate: %s" % r.text)
    env = r.json
    tr = env["meta"]["translation"]
    eq(tr["of"], uri, "of")
    eq(tr["ofVersion"], 1, "ofVersion")
    eq(tr["by"], "machine", "by")
    eq(tr["engine"], "apy", "engine")
    eq(tr["pair"], "en|es", "pair")
    check(tr["engineVersion"].startswith("apertium-apy/"), "engineVersion",
          tr)
    check("at" in tr and "pivot" not in tr, "at, no pivot", tr)
    eq(env["meta"]["workflow"], "draft", "a draft")
    it = env["item"]
    eq(it["language"], "es", "language")
    check(it["uri"] != uri and it["uri"].startswith(
        "urn:mediabridge:cairo:"), "a new item", it["uri"])
    eq(r.headers.get("location"), api(it["uri"]), "Location")
    head = it["headlines"][0]["value"]
    check("escuela" in head.lower(), "the headline in Spanish", head)
    body = it["bodies"][0]["value"]
    eq(skeleton(body), skeleton(BODY), "the same tags, links, paragraphs")
    check("escuela" in body and "minister" not in body, "body in Spanish",
          body)

    t = cl["tr"].get(api(it["uri"]) + "/translation").json
    eq((t["stale"], t["of"], t["ofCurrent"]), (False, uri, 1), "fresh")
    # Readers do not see a draft; the original lists it for staff.
    eq(cl["anon"].get(api(it["uri"])).status, 404, "draft hidden")

    # The translator edits: machine + human.
    it2 = dict(it)
    it2["headlines"] = [{"value": head + " (revisado)"}]
    r = cl["tr"].put(api(it["uri"]), {"item": it2},
                     headers={"If-Match": '"1"'})
    eq(r.status, 200, "edit: %s" % r.text)
    eq(r.json["meta"]["translation"]["by"], "machine+human", "edited")
    eq(r.json["meta"]["translation"]["engine"], "apy", "engine kept")
    eq(cl["tr"].post(api(it["uri"]) + "/submit").status, 200, "submit")
    r = cl["ed"].post(api(it["uri"]) + "/publish")
    eq(r.status, 200, "publish: %s" % r.text)
    tr = r.json["meta"]["translation"]
    eq((tr["by"], tr["reviewedBy"]), ("machine+human", "ed"), "reviewed")
    check("reviewedAt" in tr, "reviewedAt", tr)
    eq(cl["anon"].get(api(it["uri"])).status, 200, "published")

    # The original moves on: the translation is stale, listed.
    orig = cl["ed"].get(api(uri)).json["item"]
    orig["headlines"] = [{"value": "A new school opens in the old city"}]
    r = cl["ed"].put(api(uri), {"item": orig}, headers={"If-Match": '"1"'})
    eq(r.status, 200, "update original: %s" % r.text)
    t = cl["tr"].get(api(it["uri"]) + "/translation").json
    eq((t["stale"], t["ofVersion"], t["ofCurrent"]), (True, 1, 2), "stale")
    s = cl["tr"].get("/api/v1/translations/stale")
    eq(s.status, 200, "stale list")
    eq([(x["uri"], x["ofVersion"], x["ofCurrent"], x["language"])
        for x in s.json["stale"]], [(it["uri"], 1, 2, "es")], "listed")
    eq(cl["mem"].get("/api/v1/translations/stale").status, 403, "member")
    # Readers see the labels on the page, in the site's languages.
    page = "/%s/items/cairo/" + it["uri"].split(":")[3]
    r = cl["anon"].get(page % "en")
    eq(r.status, 200, "the translation's page")
    for want in ("This is a machine translation.", "A person has reviewed",
                 "The original has been updated", 'href="/en/items/cairo/'
                 'school-1"', 'lang="es"'):
        check(want in r.text, "page says %r" % want, r.text[-3000:])
    r = cl["anon"].get(page % "ru")
    check("Это машинный перевод" in r.text and "Оригинал изменён" in r.text,
          "labels in Russian", r.text[-2000:])
    r = cl["anon"].get("/en/items/cairo/school-1")
    check('hreflang="es"' in r.text and 'rel="alternate"' in r.text,
          "the original links its Spanish version", r.text[:2000])

    # Made again: the same draft, a new version, up to date; the body
    # did not change, so it comes from the cache.
    r = cl["ed"].post(api(uri) + "/translate", {"language": "es"})
    eq(r.status, 200, "again: %s" % r.text)
    eq(r.json["item"]["uri"], it["uri"], "the same draft")
    eq(r.json["item"]["version"], "5", "a new version")
    tr = r.json["meta"]["translation"]
    eq((tr["ofVersion"], tr["by"], r.json["meta"]["workflow"]),
       (2, "machine", "draft"), "made again")
    check("reviewedBy" not in tr, "not reviewed yet", tr)
    check("vieja" in r.json["item"]["headlines"][0]["value"] or
          "viejo" in r.json["item"]["headlines"][0]["value"],
          "the new headline", r.json["item"]["headlines"])
    eq(cl["tr"].get("/api/v1/translations/stale").json["stale"], [],
       "none stale")
    check("made=1 cached=1" in c.log(), "body from the cache", c.log()[-800:])
    # The translator's version stays in the history.
    old = cl["ed"].get(api(it["uri"]), query={"version": "2"})
    eq(old.json["item"]["headlines"][0]["value"], head + " (revisado)",
       "edits kept in the history")


def test_newsroom_button_stale_and_diff(w):
    """The newsroom's pages: the Machine translate button makes the
    linked draft; the original moving on shows a "needs update" badge on
    the desk and in the needs-update list; making it again shows the
    translator what they had changed in the previous machine text."""
    c, uri, _ = setup(w, serve=False)
    c.user_add("trp", "translator", "transl-pass-1")
    c.user_add("edp", "editor", "editor-pass-1")
    c.serve()
    api_tr = c.client(c.token_add("trp"))
    ed = c.client(c.token_add("ed"))
    b = Browser(c)
    b.login("trp", "transl-pass-1")
    page = b.page("/newsroom/items/cairo/school-1").text
    check("Machine translate</button>" in page, "the button", page[-3000:])
    sel = page.split('id="mt-lang"')[1].split("</select>")[0]
    check('value="es"' in sel and 'value="en"' not in sel,
          "target languages, not the item's own", sel)
    n = count_items(c)

    # Refusals: nothing made, the reason shown with the way back.
    r = b.post("/newsroom/items/cairo/school-1/mt", {"language": "sw"})
    eq(r.status, 422, "no pair: %s" % r.text[-500:])
    check("sw" in (error(r.text) or ""), "names the pair", error(r.text))
    r = b.post("/newsroom/items/cairo/school-1/mt", {"language": "!!"})
    eq(r.status, 400, "a bad tag")
    check("language" in (error(r.text) or ""), "names the field",
          error(r.text))
    eq(count_items(c), n, "nothing made")

    r = b.post("/newsroom/items/cairo/school-1/mt", {"language": "es"})
    eq(r.status, 303, "translate: %s" % r.text[-500:])
    loc = r.headers["location"]
    check(loc.endswith("?done=translated"), "to the draft", loc)
    local = loc.split("/")[4].split("?")[0]
    duri = "urn:mediabridge:cairo:" + local
    page = b.page(loc).text
    check("Machine draft made" in page, "flash", page[:3000])
    check("escuela" in page and "<strong>machine</strong>" in page and
          "engine apy" in page, "the draft and its provenance", page)
    check("Your edits" not in page, "no diff yet")
    eq(count_items(c), n + 1, "one draft")

    # The translator edits; an editor publishes; the original moves on.
    it = api_tr.get(api(duri)).json["item"]
    head = it["headlines"][0]["value"]
    it["headlines"] = [{"value": head + " (revisado)"}]
    eq(api_tr.put(api(duri), {"item": it}, headers={"If-Match": '"1"'})
       .status, 200, "edit")
    eq(ed.post(api(duri) + "/publish").status, 200, "publish")
    orig = ed.get(api(uri)).json["item"]
    orig["headlines"] = [{"value": "A new school opens in the old city"}]
    eq(ed.put(api(uri), {"item": orig}, headers={"If-Match": '"1"'})
       .status, 200, "original updated")

    desk = b.page("/newsroom/").text
    row = [x for x in desk.split("<tr>") if local in x]
    check(row and "needs update" in row[0], "the desk's badge", desk)
    lst = b.page("/newsroom/translations").text
    check(local in lst and "1 → 2" in lst, "listed as needing an update",
          lst[-2000:])
    page = b.page("/newsroom/items/cairo/" + local).text
    check("needs update" in page and "its version is now 2" in page,
          "the draft's badge", page[-3000:])
    # Published: an editor's to make again, not this translator's.
    check(">Translate again</button>" not in page and
          ">Translate again</button>" not in lst,
          "no button for the translator")
    r = b.post("/newsroom/items/cairo/school-1/mt", {"language": "es"})
    eq(r.status, 403, "refused")
    check("published" in (error(r.text) or ""), "says why", error(r.text))

    # The editor makes it again from the list: the translator sees what
    # they had changed, as a diff.
    eb = Browser(c)
    eb.login("edp", "editor-pass-1")
    lst = eb.page("/newsroom/translations").text
    check(">Translate again</button>" in lst, "the editor's button",
          lst[-2000:])
    r = eb.post("/newsroom/items/cairo/school-1/mt", {"language": "es"})
    eq(r.status, 303, "again: %s" % r.text[-500:])
    check(r.headers["location"].endswith("/%s?done=retranslated" % local),
          "the same draft", r.headers["location"])
    check("Made again" in eb.page(r.headers["location"]).text, "flash")
    page = b.page("/newsroom/items/cairo/" + local).text
    check("Your edits" in page, "the diff",
          page[-4000:])
    check("(revisado)</ins>" in page, "the translator's words marked",
          page[-4000:])
    check("vieja" in page or "viejo" in page, "the new machine text")
    check("needs update" not in page.split("<main")[1], "up to date")
    lst = b.page("/newsroom/translations").text
    check("Every translation is up to date" in lst, "nothing stale")
    eq(api_tr.get("/api/v1/translations/stale").json["stale"], [],
       "none stale")
    eq(api_tr.get(api(duri)).json["meta"]["translation"]["ofVersion"], 2,
       "the same draft, from version 2")


def test_newsroom_glossary(w):
    """The glossary's newsroom page: editors add and remove terms, a
    translator reads them; a kept term stays in the machine draft."""
    c, uri, _ = setup(w, serve=False)
    c.user_add("trp", "translator", "transl-pass-1")
    c.user_add("edp", "editor", "editor-pass-1")
    c.serve()
    eb, tb = Browser(c), Browser(c)
    eb.login("edp", "editor-pass-1")
    tb.login("trp", "transl-pass-1")
    page = eb.page("/newsroom/glossary").text
    check('action="/newsroom/glossary"' in page, "the editor's form")
    r = eb.post("/newsroom/glossary", {"from": "en", "to": "",
                                       "term": "school"})
    eq(r.status, 303, "added: %s" % r.text[-500:])
    r = eb.post("/newsroom/glossary", {"from": "en", "to": "",
                                       "term": "school"})
    eq(r.status, 409, "twice")
    check("already" in (error(r.text) or ""), "says so", error(r.text))
    r = eb.post("/newsroom/glossary", {"from": "e s", "term": "x"})
    eq(r.status, 400, "a bad tag")
    check((error(r.text) or "").startswith("from:"), "names the field",
          error(r.text))
    r = eb.post("/newsroom/glossary", {"from": "en", "term": " "})
    eq(r.status, 400, "a term of white space")
    check("white space" in (error(r.text) or ""), "says why", error(r.text))
    page = tb.page("/newsroom/glossary").text
    check(">school</td>" in page and "kept as it is" in page,
          "the translator reads it", page[-2000:])
    check('action="/newsroom/glossary"' not in page and "/remove" not in
          page, "no form for a translator")
    r = tb.post("/newsroom/glossary", {"from": "en", "term": "city"})
    eq(r.status, 403, "a translator may not add")
    r = tb.post("/newsroom/items/cairo/school-1/mt", {"language": "es"})
    eq(r.status, 303, "translate: %s" % r.text[-500:])
    page = tb.page(r.headers["location"]).text
    check("school" in page.split('id="headline"')[1][:300],
          "the term kept in the draft", page[-3000:])
    m = re.search(r'action="(/newsroom/glossary/\d+/remove)"',
                  eb.page("/newsroom/glossary").text)
    check(m is not None, "a remove button")
    eq(tb.post(m.group(1), {}).status, 403, "a translator may not remove")
    eq(eb.post(m.group(1), {}).status, 303, "removed")
    check(">school</td>" not in eb.page("/newsroom/glossary").text,
          "gone")
    # The same button again, on a page left open: a new term never
    # takes the removed one's id, so it removes nothing.
    eq(eb.post("/newsroom/glossary", {"from": "en", "term": "city"}).status,
       303, "another term")
    r = eb.post(m.group(1), {})
    check(r.status != 303, "a stale remove removes nothing", r.status)
    check(">city</td>" in eb.page("/newsroom/glossary").text, "kept")


def test_readers_on_demand(w):
    """A Spanish item read in French, where no French version exists: an
    on-demand machine translation, offered only when the center's
    engines allow it (readers = yes), labelled, linked to the original,
    alternates in the head, not indexed; a reader in the item's own
    language is sent to the item."""
    c = w.center("cairo", languages="ar,en,es,fr")
    run(["engine", "add", c.dir, "--name", "apy", "--kind", "apertium-apy",
         "--url", APY.url])
    path = os.path.join(w.root, "in.ndjson")
    with open(path, "w") as f:
        for uri, lang, head, body in (
                ("escuela-1", "es", "La escuela nueva abre en la ciudad",
                 '<p>El <a href="https://example.org/m">ministro</a> dijo '
                 'que la escuela abre <b>la semana próxima</b>.</p>'),
                ("ecole-1", "fr", "L'école ouvre", "<p>Elle ouvre.</p>")):
            f.write(json.dumps({
                "uri": "urn:mediabridge:cairo:" + uri, "type": "text",
                "language": lang, "headlines": [{"value": head}],
                "bodies": [{"value": body, "contentType": "text/html"}]}) +
                "\n")
    run(["import", c.dir, path])
    c.serve()
    anon = c.client()
    # Not allowed: no offer, no page.
    r = anon.get("/fr/items/cairo/escuela-1")
    eq(r.status, 200, "the item")
    check("/mt\"" not in r.text, "no offer without readers = yes")
    eq(anon.get("/fr/items/cairo/escuela-1/mt").status, 404, "no page")
    c.stop()
    run(["engine", "remove", c.dir, "apy"])
    run(["engine", "add", c.dir, "--name", "apy", "--kind", "apertium-apy",
         "--url", APY.url, "--readers"])
    c.serve()
    anon = c.client()
    r = anon.get("/fr/items/cairo/escuela-1")
    check('href="/fr/items/cairo/escuela-1/mt"' in r.text and
          'rel="nofollow"' in r.text, "the offer", r.text[-2500:])
    r = anon.get("/fr/items/cairo/escuela-1/mt")
    eq(r.status, 200, "on demand: %s" % r.text[-1500:])
    t = r.text
    check('<article class="item" lang="fr"' in t, "in French", t[:3000])
    check("école" in t.lower(), "translated", t[-3000:])
    check('href="https://example.org/m"' in t and "<b>" in t,
          "markup kept", t[-3000:])
    for want in ("traduction automatique", "personne ne l",
                 "Traduit par le moteur <bdi>apy</bdi>",
                 'href="/fr/items/cairo/escuela-1"',
                 '<link rel="alternate" hreflang="es" '
                 'href="/fr/items/cairo/escuela-1">',
                 '<meta name="robots" content="noindex">'):
        check(want in t, "the page says %r" % want, t[:4000])
    eq(anon.get("/fr/items/cairo/escuela-1/mt").text, t, "the same again")
    eq(c.log().count("on-demand translation uri="), 1,
       "translated once, then cached")
    # In the reader's language already: the item itself, no offer.
    r = anon.get("/fr/items/cairo/ecole-1")
    check("/mt\"" not in r.text, "no offer in its own language")
    r = anon.get("/fr/items/cairo/ecole-1/mt")
    eq((r.status, r.headers.get("location")), (303, "/fr/items/cairo/ecole-1"),
       "to the item")
    # A pair no engine has (es -> ar): said so, nothing made.
    r = anon.get("/ar/items/cairo/escuela-1/mt")
    eq(r.status, 404, "no pair")
    check('href="/ar/items/cairo/escuela-1"' in r.text, "the original")
    eq(anon.get("/fr/items/cairo/nope/mt").status, 404, "no item")


def test_bad_input_changes_nothing(w):
    c, uri, cl = setup(w)
    n = count_items(c)
    cases = [
        (cl["anon"], uri, {"language": "es"}, 401, "unauthorized"),
        (cl["mem"], uri, {"language": "es"}, 403, "forbidden"),
        (cl["tr"], uri, {"language": "e s!"}, 400, "invalid"),
        (cl["tr"], uri, {"lang": "es"}, 400, "invalid"),
        (cl["tr"], uri, {"language": "en"}, 400, "invalid"),
        (cl["tr"], uri, {"language": "en-GB"}, 400, "invalid"),
        (cl["tr"], uri, {"language": "sw"}, 422, "no_pair"),
        (cl["tr"], "urn:mediabridge:cairo:nope", {"language": "es"}, 404,
         "not_found"),
    ]
    for who, u, body, status, code in cases:
        r = who.post(api(u) + "/translate", body)
        eq((r.status, r.error_code()), (status, code), "%s: %s" % (body,
                                                                 r.text))
    r = cl["tr"].post(api(uri) + "/translate", {"language": "sw"})
    check("en" in r.text and "sw" in r.text, "names the pair", r.text)
    r = cl["tr"].post(api(uri) + "/translate", {"language": "en-GB"})
    check("already in en" in r.text, "a variant of its own language", r.text)
    eq(count_items(c), n, "nothing made")


def test_engine_down_changes_nothing(w):
    c, uri, cl = setup(w, engine_url="http://127.0.0.1:%d" %
                       apylib.free_port())
    n = count_items(c)
    r = cl["tr"].post(api(uri) + "/translate", {"language": "es"})
    eq(r.status, 503, "down: %s" % r.text)
    check("apy" in r.text, "names the engine", r.text)
    eq(count_items(c), n, "nothing made")


def test_cli_and_glossary(w):
    c, uri, cl = setup(w)
    # Editors edit the glossary; translators read it.
    g = {"from": "en", "to": "*", "term": "school"}
    eq(cl["tr"].post("/api/v1/mt/glossary", g).status, 403, "translator")
    r = cl["ed"].post("/api/v1/mt/glossary", g)
    eq(r.status, 201, "added: %s" % r.text)
    eq(cl["ed"].post("/api/v1/mt/glossary", g).status, 409, "twice")
    eq(cl["ed"].post("/api/v1/mt/glossary", {"from": "e s", "term": "x"})
       .status, 400, "bad tag")
    # A field of another type is refused, not read as absent ("to": 5
    # was every target, "translation": 7 kept the term).
    for bad in ({"from": "en", "to": 5, "term": "city"},
                {"from": "en", "term": "city", "translation": 7},
                {"from": "en", "term": ["city"]}):
        r = cl["ed"].post("/api/v1/mt/glossary", bad)
        eq(r.status, 400, "%s: %s" % (bad, r.text))
        field = [k for k, v in bad.items() if not isinstance(v, str)][0]
        check("%s: must be a string" % field in r.text, "names it", r.text)
    # White space would make every space of every text a placeholder.
    for bad in ({"from": "en", "term": " "}, {"from": "en", "term": "--"},
                {"from": "en", "term": "school "},
                {"from": "en", "term": "city", "translation": " "}):
        r = cl["ed"].post("/api/v1/mt/glossary", bad)
        eq(r.status, 400, "%s: %s" % (bad, r.text))
        check("white space" in r.text or "letter or digit" in r.text,
              "says why", r.text)
    terms = cl["tr"].get("/api/v1/mt/glossary").json["terms"]
    eq([(t["from"], t["to"], t["term"]) for t in terms],
       [("en", "*", "school")], "listed")
    c.stop()
    _, out, _ = run(["translate", c.dir, uri, "--to", "es"])
    check("machine draft made" in out, "printed", out)
    draft = out.split()[0]
    _, _, err = run(["translate", c.dir, uri, "--to", "es", "--as", "tr"],
                    check_rc=1)
    check("not yours" in err and draft in err, "another's draft", err)
    _, out, _ = run(["translate", c.dir, uri, "--to", "es", "--as", "ed",
                     "--json"])
    env = json.loads(out)
    eq(env["item"]["uri"], draft, "made again, as ed")
    check("school" in env["item"]["headlines"][0]["value"],
          "the term kept", env["item"]["headlines"])
    _, _, err = run(["translate", c.dir, uri, "--to", "es", "--as", "nobody"],
                    check_rc=1)
    check("nobody" in err, "unknown user", err)
    _, _, err = run(["translate", c.dir, uri, "--to", "es", "--as", "mem"],
                    check_rc=1)
    check("member" in err, "a member may not", err)
    c.serve()
    r = c.client(cl["ed"].token).request("DELETE", "/api/v1/mt/glossary/%d" % terms[0]["id"])
    eq(r.status, 204, "removed")


def test_cairo_borrows_moscow_engine(w):
    """Cairo has no engine of its own: it borrows Moscow's through a
    signed POST /federation/v1/translate, and the provenance says so."""
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    fedlib.mb("engine", "add", hq.dir, "--name", "apy", "--kind",
              "apertium-apy", "--url", APY.url, "--share")
    fedlib.mb("engine", "add", hq.dir, "--name", "private", "--kind",
              "apertium-apy", "--url", APY.url)
    started = []
    try:
        hq.start()
        started.append(hq)
        cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en,es", hq=hq)
        out = fedlib.mb("engine", "add", cairo.dir, "--name", "moscow",
                        "--kind", "mediabridge", "--url", hq.url)
        check("moscow" in out, "engine add says", out)
        cairo.start()
        started.append(cairo)
        # Not yet a member: Moscow refuses to lend.
        out = fedlib.mb("engine", "list", cairo.dir)
        check("\tdown\t" in out and "401" in out, "not a member", out)
        fedlib.admit(hq, cairo)
        out = fedlib.mb("engine", "list", cairo.dir)
        check("\tup\t" in out and "\ten|es\t" in out, "Moscow's pairs", out)
        check("es|pt" in out and "fr|es" in out, "shared pairs", out)
        # Only the shared engine's pairs, once each (both have them); the
        # registry's lines ("from moscow") come after, once HQ announced.
        eq(out.count("\ten|es\ten|es"), 1, "listed once")

        fedlib.mb("user", "add", hq.dir, "edi", "--role", "editor")
        ed = Client(hq.addr)
        ed.token = fedlib.mb("token", "add", hq.dir, "edi").strip()
        fedlib.mb("user", "add", cairo.dir, "tr", "--role", "translator")
        tr = Client(cairo.addr)
        tr.token = fedlib.mb("token", "add", cairo.dir, "tr").strip()
        anon = Client(hq.addr)
        w.clients += [ed, tr, anon]
        orig = ed.post("/api/v1/items", {"item": {
            "type": "text", "language": "en",
            "headlines": [{"value": "The new school opens"}],
            "bodies": [{"value": BODY, "contentType": "text/html"}]},
            "meta": {"workflow": "published"}}).json
        uri = orig["item"]["uri"]
        wait_for(lambda: tr.get(api(uri)).status == 200, 30,
                 "Moscow's item at Cairo")
        r = tr.post(api(uri) + "/translate", {"language": "es"})
        eq(r.status, 201, "Cairo's machine draft: %s" % r.text)
        t = r.json["meta"]["translation"]
        eq((t["of"], t["engine"], t["via"], t["pair"]),
           (uri, "moscow", "moscow", "en|es"), "provenance")
        check(r.json["item"]["uri"].startswith("urn:mediabridge:cairo:"),
              "a Cairo item", r.json["item"]["uri"])
        eq(skeleton(r.json["item"]["bodies"][0]["value"]), skeleton(BODY),
           "markup kept across centers")
        check("escuela" in r.json["item"]["headlines"][0]["value"],
              "Spanish", r.json["item"]["headlines"])
        check("mt: lent caller=cairo from=en to=es" in
              open(os.path.join(hq.dir, "serve.log")).read(),
              "Moscow's log says it lent its engine")
        # Anyone else: no signature, no translation.
        st, body = fedlib.http_get(hq.url + "/federation/v1/translate")
        eq(st, 401, "unsigned pairs: %r" % body)
        r = anon.post("/federation/v1/translate", {
            "from": "en", "to": "es", "segments": ["Hello"]})
        eq(r.status, 401, "unsigned translate: %s" % r.text)
        # A pair Moscow does not share: 422 through Cairo, nothing made.
        r = tr.post(api(uri) + "/translate", {"language": "sw"})
        eq((r.status, r.error_code()), (422, "no_pair"), r.text)
    finally:
        for c in started:
            c.stop()


if __name__ == "__main__":
    try:
        apylib.check_installed()
    except apylib.Unavailable as e:
        print("skipped: %s" % e)
        sys.exit(77)
    work = tempfile.mkdtemp(prefix="mb-apy-")
    APY = apylib.Apy(work)
    try:
        APY.start()
        main(globals())
    finally:
        APY.stop()
        import shutil
        shutil.rmtree(work, ignore_errors=True)
