# SPDX-License-Identifier: MIT
"""An item's versions in the newsroom and over the API, over real HTTP:
the history says who made each version, when and in what state; two
versions compare word by word and line by line (the texts escaped, so
an item's markup never runs); an old version comes back as a new one,
keeping the item's state; stale and senseless restores are refused with
nothing changed; readers and anonymous callers get no history."""

import re

from mbtest import check, eq, main
from nrform import Browser, error

V1 = "Line one.\nThe cat sat.\n<script>alert(1)</script> end."
V2 = "Line one.\nThe dog sat.\n<script>alert(1)</script> end.\nAdded line."


def version_of(page):
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_history_diff_restore(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("jo", "journalist", "journo-pass-1")
    c.user_add("ed", "editor", "editor-pass-1")
    c.serve()
    jo = Browser(c)
    jo.login("jo", "journo-pass-1")
    form = {"headline": "Talks in Cairo", "language": "en",
            "format": "markdown", "body": V1, "audience": "public",
            "profile": "article", "do": "save"}
    r = jo.post("/newsroom/new", form)
    eq(r.status, 303, "v1: %r" % r)
    edit = r.headers["location"].split("?")[0]
    center, local = edit.split("/")[-2:]
    page = jo.page(edit).text
    check(edit + "/versions" in page, "the edit page links the history")
    r = jo.post(edit, dict(form, headline="Talks end in Cairo", body=V2,
                           version=version_of(page)))
    eq(r.status, 303, "v2")
    ed = Browser(c)
    ed.login("ed", "editor-pass-1")
    r = ed.post(edit + "/submit", {"version": version_of(ed.page(edit).text)})
    eq(r.status, 303, "v3: submitted by the editor")

    # The history: newest first, who, state.
    page = jo.page(edit + "/versions").text
    rows = re.findall(r'<tr id="v(\d+)">(.*?)</tr>', page, re.S)
    eq([v for v, _ in rows], ["3", "2", "1"], "three versions, newest first")
    check(">ed<" in rows[0][1] and "st-submitted" in rows[0][1],
          "v3: the editor, submitted: %s" % rows[0][1])
    check(">jo<" in rows[1][1] and "st-draft" in rows[1][1], rows[1][1])
    check(">jo<" in rows[2][1] and "Talks in Cairo" in rows[2][1],
          rows[2][1])
    check('name="from" value="2" checked' in page and
          'name="to" value="3" checked' in page, "compare: v2 against v3")

    # The comparison: words and lines, escaped.
    page = jo.page(edit + "/diff?from=1&to=2").text
    check("Talks <ins>end </ins>in Cairo" in page, "headline words")
    check("The <del>cat</del><ins>dog</ins> sat." in page, "a word changed")
    check('<p class="ins"><ins>Added line.</ins></p>' in page, "a line added")
    check("<p>Line one.</p>" in page, "a line kept")
    check("<script>alert" not in page and
          "&lt;script&gt;alert(1)&lt;/script&gt;" in page, "escaped")
    page = jo.page(edit + "/diff?from=2&to=3").text
    check("Versions are the same" in page or "say the same" in page,
          "v2 and v3 differ only in state")
    r = jo.get(edit + "/diff?from=1&to=x")
    eq(r.status, 400, "a bad version")
    eq(jo.get(edit + "/diff?from=1&to=9").status, 404, "no version 9")

    # Restore v1 as v4: its content, the item's state.
    page = jo.page(edit + "/versions").text
    r = jo.post(edit + "/restore", {"restore": "1", "version": "3"})
    eq(r.status, 303, "restored: %r" % r)
    check("done=restored" in r.headers["location"], r.headers["location"])
    api = c.client(c.token_add("ed"))
    got = api.get("/api/v1/items/%s/%s" % (center, local))
    item = got.json["item"]
    eq(item["version"], "4", "a new version")
    eq(item["headlines"][0]["value"], "Talks in Cairo", "v1's headline")
    check("The cat sat." in item["bodies"][0]["value"], "v1's text")
    eq(got.json["meta"]["workflow"], "submitted", "the state kept")
    check("restored" in jo.page(edit + "?done=restored").text.lower(),
          "flash")

    # Refusals change nothing.
    r = jo.post(edit + "/restore", {"restore": "2", "version": "3"})
    eq(r.status, 412, "stale: %r" % r)
    r = jo.post(edit + "/restore", {"restore": "4", "version": "4"})
    eq(r.status, 400, "the current version: %r" % r)
    check("current" in (error(r.text) or ""), error(r.text))
    r = jo.post(edit + "/restore", {"restore": "x", "version": "4"})
    eq(r.status, 422, "no version")
    eq(api.get("/api/v1/items/%s/%s" % (center, local)).json["item"][
        "version"], "4", "still version 4")

    # The API: history, diff, restore with If-Match.
    h = api.get("/api/v1/items/%s/%s/versions" % (center, local))
    eq(h.status, 200, "history over the API: %r" % h)
    vs = h.json["versions"]
    eq([v["version"] for v in vs], [4, 3, 2, 1], "versions")
    eq(vs[0]["by"]["name"], "jo", "v4 by jo")
    eq(vs[1]["by"]["name"], "ed", "v3 by ed")
    check(vs[0]["current"] and not vs[1]["current"], "current flagged")
    d = api.get("/api/v1/items/%s/%s/diff" % (center, local),
                query={"from": "1", "to": "4"})
    eq(d.status, 200, "diff: %r" % d)
    eq((d.json["added"], d.json["removed"]), (0, 0), "v4 is v1 again")
    d = api.get("/api/v1/items/%s/%s/diff" % (center, local),
                query={"from": "4", "to": "2"})
    check("<del>cat</del><ins>dog</ins>" in d.json["body"], d.json["body"])
    eq(d.json["added"], 2, "two lines added (one changed, one new)")
    r = api.post("/api/v1/items/%s/%s/restore" % (center, local),
                 {"version": 2}, headers={"If-Match": '"4"'})
    eq(r.status, 200, "restored over the API: %r" % r)
    eq(r.json["item"]["headlines"][0]["value"], "Talks end in Cairo", "v2")
    eq(r.headers.get("etag"), '"5"', "the new version's tag")
    r = api.post("/api/v1/items/%s/%s/restore" % (center, local),
                 {"version": 2})
    eq(r.status, 428, "If-Match required")
    r = api.post("/api/v1/items/%s/%s/restore" % (center, local),
                 {"version": "two"}, headers={"If-Match": '"5"'})
    eq(r.status, 400, "a bad version")

    # Nobody outside the newsroom reads the history.
    anon = c.client()
    eq(anon.get("/api/v1/items/%s/%s/versions" % (center, local)).status,
       401, "anonymous")
    c.user_add("mo", "member", "member-pass-1")
    eq(c.client(c.token_add("mo")).get(
        "/api/v1/items/%s/%s/versions" % (center, local)).status, 403,
       "a member")


if __name__ == "__main__":
    main(globals())
