#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The items API and the publishing workflow over real HTTP: versions,
If-Match races, embargo, the response cache, metrics, long-polls, the
request log, and a clean stop on SIGTERM."""
import base64
import json
import os
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
from mbtest import check, eq, main, pg_backend, wait_for  # noqa: E402


def item(headline, **kw):
    it = {"type": "text", "language": "en",
          "headlines": [{"value": headline}],
          "bodies": [{"value": "<p>%s: the story.</p>" % headline}]}
    it.update(kw)
    return it


def path_of(env):
    _, _, center, local = env["item"]["uri"].split(":")
    return "/api/v1/items/%s/%s" % (center, local)


def newsroom(w):
    c = w.center("cairo")
    c.user_add("edi", "editor")
    c.user_add("ed2", "editor")
    c.user_add("jou", "journalist")
    c.serve()
    return (c, c.client(c.token_add("edi")), c.client(c.token_add("ed2")),
            c.client(c.token_add("jou")), c.client())


def test_workflow_end_to_end(w):
    c, ed, _, jo, anon = newsroom(w)
    r = jo.post("/api/v1/items", item("Floods in the delta"))
    eq(r.status, 201, "create")
    env = r.json
    p = path_of(env)
    eq(r.headers["location"], p, "Location")
    eq(env["item"]["version"], "1", "version")
    eq(env["meta"]["workflow"], "draft", "workflow")
    eq(env["meta"]["origin"], "cairo", "origin")
    check(len(base64.b64decode(env["signature"])) == 64, "signed")
    eq(anon.get(p).status, 404, "reader: draft hidden")
    eq(c.metric("mediabridge_log_seq"), 1, "log after create")

    r = jo.post(p + "/submit")
    eq(r.status, 200, "submit")
    eq(r.json["item"]["version"], "2", "submit is a new version")
    eq(r.json["meta"]["workflow"], "submitted", "submitted")
    eq(jo.post(p + "/submit").status, 409, "submit twice")
    eq(jo.post(p + "/publish").status, 403, "journalist cannot publish")

    r = ed.post(p + "/publish")
    eq(r.status, 200, "publish")
    eq(r.json["item"]["version"], "3", "publish version")
    check("workflow" not in r.json["meta"], "published meta", r.json)
    eq(r.json["item"]["pubStatus"], "usable", "pubStatus")
    r = anon.get(p)
    eq(r.status, 200, "reader sees it")
    eq(r.json["item"]["version"], "3", "reader version")
    eq(json.loads(r.body), r.json, "body is the envelope")
    eq(anon.get(p, query={"version": 1}).status, 404, "old draft hidden")
    eq(ed.get(p, query={"version": 1}).json["item"]["version"], "1",
       "editor reads version 1")
    eq(ed.post(p + "/publish").status, 409, "publish twice")

    r = ed.post(p + "/withhold")
    eq(r.status, 200, "withhold")
    eq(anon.get(p).status, 404, "withheld hidden")
    eq(ed.post(p + "/publish").json["item"]["pubStatus"], "usable",
       "republish")
    eq(anon.get(p).status, 200, "visible again")
    r = ed.post(p + "/cancel")
    eq(r.status, 200, "cancel")
    eq(r.json["item"]["pubStatus"], "canceled", "canceled")
    eq(anon.get(p).status, 404, "canceled hidden")
    before = c.metric("mediabridge_log_seq")
    for a in ("publish", "withhold", "submit"):
        r = ed.post(p + "/" + a)
        eq(r.status, 409, a + " after cancel")
    eq(ed.put(p, item("x"), headers={"If-Match": r and "6"}).status, 409,
       "edit after cancel")
    eq(c.metric("mediabridge_log_seq"), before, "nothing after refusals")
    eq(c.metric("mediabridge_log_seq"), 6, "six versions in the log")
    eq(ed.post(p + "/frobnicate").status, 404, "unknown action")


def test_if_match_and_race(w):
    c, ed, ed2, jo, anon = newsroom(w)
    env = ed.post("/api/v1/items", {"item": item("Race"), "meta": {
        "workflow": "published"}}).json
    p = path_of(env)
    before = c.metric("mediabridge_log_seq")
    r = ed.put(p, item("no precondition"))
    eq(r.status, 428, "PUT without If-Match")
    r = ed.put(p, item("junk"), headers={"If-Match": "abc"})
    eq(r.status, 400, "bad If-Match")
    r = ed.put(p, item("stale"), headers={"If-Match": "7"})
    eq(r.status, 412, "stale If-Match")
    eq(r.error_code(), "stale_version", "412 code")
    eq(r.headers.get("x-current-version"), "1", "current version header")
    r = ed.put(p, dict(item("other uri"), uri="urn:mediabridge:cairo:zz"),
               headers={"If-Match": "1"})
    eq(r.status, 400, "uri mismatch")
    eq(c.metric("mediabridge_log_seq"), before, "refusals changed nothing")
    r = ed.put(p, item("Race, updated"), headers={"If-Match": "1"})
    eq(r.status, 200, "PUT")
    eq(r.json["item"]["version"], "2", "version 2")
    eq(r.json["item"]["firstCreated"], env["item"]["firstCreated"],
       "firstCreated kept")
    eq(anon.get(p).json["item"]["headlines"][0]["value"], "Race, updated",
       "readers see the edit")
    # Two editors race on the same version: exactly one wins, each round.
    for rnd in range(10):
        cur = int(ed.get(p).json["item"]["version"])
        results = []
        barrier = threading.Barrier(2)

        def go(cl, who):
            barrier.wait()
            results.append(cl.put(p, item("by %s %d" % (who, rnd)),
                                  headers={"If-Match": str(cur)}).status)
        ts = [threading.Thread(target=go, args=(ed, "a")),
              threading.Thread(target=go, args=(ed2, "b"))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        eq(sorted(results), [200, 412], "round %d" % rnd)
        eq(ed.get(p).json["item"]["version"], str(cur + 1), "one version")
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 0, "verify after races: " + out + err)


def test_etag_echo(w):
    """A client that sends back the ETag GET gave it can update the item
    (RFC 9110 13.1.1), gzip-coded or not; a stale tag is 412, weak never
    matches, no tag is 428."""
    c, ed, _, jo, anon = newsroom(w)
    env = ed.post("/api/v1/items", {"item": item("Echo"), "meta": {
        "workflow": "published"}}).json
    p = path_of(env)
    plain = ed.get(p, headers={"Accept-Encoding": "identity"})
    eq(plain.status, 200, "GET")
    tag = plain.headers.get("etag")
    eq(tag, '"1"', "the ETag names the version")
    r = ed.put(p, item("Echo 2"), headers={"If-Match": tag})
    eq(r.status, 200, "PUT with the echoed ETag")
    eq(r.headers.get("etag"), '"2"', "the new version's ETag")
    gz = ed.get(p, headers={"Accept-Encoding": "gzip"})
    gtag = gz.headers.get("etag")
    eq(gz.headers.get("content-encoding"), "gzip", "gzip-coded")
    eq(gtag, '"2-gzip"', "a gzip-coded answer has its own strong tag")
    r = ed.put(p, item("Echo 3"), headers={"If-Match": gtag})
    eq(r.status, 200, "PUT with the echoed gzip ETag")
    r = ed.put(p, item("stale"), headers={"If-Match": tag})
    eq(r.status, 412, "the old ETag is stale")
    eq(r.error_code(), "stale_version", "412 code")
    eq(r.headers.get("etag"), '"3"', "412 says the current ETag")
    r = ed.put(p, item("weak"), headers={"If-Match": 'W/"3"'})
    eq(r.status, 412, "a weak tag never matches")
    r = ed.put(p, item("list"), headers={"If-Match": '"9", "3"'})
    eq(r.status, 200, "a list matches when one tag does")
    r = ed.post(p + "/withhold", headers={"If-Match": '"1"'})
    eq(r.status, 412, "actions take If-Match too")
    r = ed.post(p + "/withhold", headers={"If-Match": '"4"'})
    eq(r.status, 200, "withhold with the current ETag")
    r = ed.put(p, item("any"), headers={"If-Match": "*"})
    eq(r.status, 200, "* matches any current version")
    r = ed.put(p, item("none"))
    eq(r.status, 428, "no If-Match")
    r = ed.put(p, item("bad"), headers={"If-Match": '"5'})
    eq(r.status, 400, "unterminated tag")


def test_envelope_limit(w):
    """An item whose signed envelope would pass 4 MiB is refused at the
    door with 413 naming the limit, and nothing is stored (it would be
    refused by every peer, by verify and by the index afterwards)."""
    c, ed, _, jo, anon = newsroom(w)
    before = c.metric("mediabridge_log_seq")
    big = item("Huge")
    big["bodies"][0]["value"] = "<p>" + "a" * (4 * 1024 * 1024) + "</p>"
    r = ed.post("/api/v1/items", big)
    eq(r.status, 413, "over the envelope limit")
    check("4 MiB" in r.text or "4194304" in r.text, "names the limit",
          r.text[:300])
    eq(c.metric("mediabridge_log_seq"), before, "nothing stored")
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 0, "verify still passes: " + out + err)


def test_embargo(w):
    c, ed, _, jo, anon = newsroom(w)
    env = ed.post("/api/v1/items", {"item": item("Embargoed"), "meta": {
        "workflow": "published"}}).json
    p = path_of(env)
    eq(anon.get(p).status, 200, "visible before the embargo")
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                          time.gmtime(time.time() + 3))
    r = ed.post(p + "/embargo", {"until": until})
    eq(r.status, 200, "embargo")
    eq(r.json["item"]["embargoedUntil"], until, "embargoedUntil")
    eq(anon.get(p).status, 404, "hidden under embargo")
    uris = lambda: [e["item"]["uri"] for e in  # noqa: E731
                    anon.get("/api/v1/items").json["items"]]
    check(env["item"]["uri"] not in uris(), "not listed under embargo")
    eq(ed.get(p).status, 200, "editor sees it")
    eq(ed.post(p + "/embargo", {"until": "tomorrow"}).status, 400,
       "bad time")
    eq(jo.post(p + "/embargo", {"until": until}).status, 404,
       "journalist cannot even see it")
    wait_for(lambda: anon.get(p).status == 200, 10, "embargo to pass")
    wait_for(lambda: env["item"]["uri"] in uris(), 5, "listed after")
    # Lifting an embargo.
    env2 = ed.post("/api/v1/items", {"item": item("Lift"), "meta": {
        "workflow": "published"}}).json
    p2 = path_of(env2)
    ed.post(p2 + "/embargo", {"until": "2099-01-01T00:00:00Z"})
    eq(anon.get(p2).status, 404, "far embargo")
    r = ed.post(p2 + "/embargo", {"until": None})
    check("embargoedUntil" not in r.json["item"], "lifted")
    eq(anon.get(p2).status, 200, "visible after lifting")


def test_embargo_needs_a_date_or_null(w):
    """A date at or before 1970 is no embargo's end: it is refused (400
    naming until) and nothing changes; it was read as "lift it" and the
    embargo went. null lifts; the newsroom's form does the same."""
    c = w.center("cairo")
    c.user_add("edi", "editor", "editor-pass-1")
    c.serve()
    ed, anon = c.client(c.token_add("edi")), c.client()
    env = ed.post("/api/v1/items", {"item": item("Held"), "meta": {
        "workflow": "published"}}).json
    p = path_of(env)
    eq(ed.post(p + "/embargo", {"until": "2099-01-01T00:00:00Z"}).status,
       200, "embargoed")
    seq = c.metric("mediabridge_log_seq")
    for until in ("1960-01-01T00:00:00Z", "1970-01-01T00:00:00Z"):
        r = ed.post(p + "/embargo", {"until": until})
        eq(r.status, 400, "%s refused: %r" % (until, r))
        check("until" in r.text, "names the field", r.text[:300])
        eq(anon.get(p).status, 404, "still under embargo after " + until)
    eq(ed.get(p).json["item"]["embargoedUntil"], "2099-01-01T00:00:00Z",
       "the embargo kept")
    eq(c.metric("mediabridge_log_seq"), seq, "nothing stored")
    # The newsroom's form: a date is refused the same way.
    from nrform import Browser
    b = Browser(c)
    b.login("edi", "editor-pass-1")
    _, _, center, local = env["item"]["uri"].split(":")
    edit = "/newsroom/items/%s/%s" % (center, local)
    v = ed.get(p).headers["etag"].strip('"')
    b.page(edit)
    r = b.post(edit + "/embargo", {"version": v,
                                   "until": "1960-01-01T00:00"})
    eq(r.status, 400, "the form's 1960 refused: %r" % r)
    check('id="err-until"' in r.text, "beside the field")
    eq(anon.get(p).status, 404, "still under embargo (form)")
    eq(c.metric("mediabridge_log_seq"), seq, "nothing stored (form)")
    r = ed.post(p + "/embargo", {"until": None})
    eq(r.status, 200, "null lifts it")
    check("embargoedUntil" not in r.json["item"], "lifted")
    eq(anon.get(p).status, 200, "visible after lifting")


def test_send_back_keeps_the_note(w):
    """POST .../return takes {"note"} as the newsroom's form does: the
    new draft's edNote (docs/permissions.md), at most 4,000 bytes (400
    past it, nothing stored); no body or no note: no note."""
    c, ed, _, jo, anon = newsroom(w)
    env = jo.post("/api/v1/items", item("Budget")).json
    p = path_of(env)
    eq(jo.post(p + "/submit").status, 200, "submitted")
    r = ed.post(p + "/return", {"note": "Check the minister's name."})
    eq(r.status, 200, "sent back: %r" % r)
    eq(r.json["meta"]["workflow"], "draft", "a draft again")
    eq(r.json["item"].get("edNote"), "Check the minister's name.",
       "the note is the draft's edNote")
    eq(jo.get(p).json["item"].get("edNote"),
       "Check the minister's name.", "the writer reads it")
    eq(jo.post(p + "/submit").status, 200, "submitted again")
    seq = c.metric("mediabridge_log_seq")
    r = ed.post(p + "/return", {"note": "n" * 4001})
    eq(r.status, 400, "a note past 4,000 bytes: %r" % r)
    check("note" in r.text and "4000" in r.text, "says why", r.text[:300])
    eq(ed.post(p + "/return", {"note": 7}).status, 400, "not a string")
    eq(c.metric("mediabridge_log_seq"), seq, "nothing stored")
    eq(ed.get(p).json["meta"]["workflow"], "submitted", "still submitted")
    r = ed.post(p + "/return", {"note": "n" * 4000})
    eq(r.status, 200, "4,000 bytes is a note")
    eq(jo.post(p + "/submit").status, 200, "submitted once more")
    r = ed.post(p + "/return")
    eq(r.status, 200, "no body: %r" % r)
    check("edNote" not in r.json["item"], "no note")


def test_list_filters_and_paging(w):
    c, ed, _, jo, anon = newsroom(w)
    made = []
    for i in range(7):
        lang = "fr" if i % 2 else "en"
        it = item("Item %d" % i, language=lang,
                  subjects=[{"uri": "http://cv.iptc.org/newscodes/"
                             "mediatopic/%s" % ("04000000" if i < 3
                                                else "11000000"),
                             "name": "economy" if i < 3 else "politics"}])
        if i == 6:
            it["type"] = "picture"
            del it["bodies"]
        made.append(ed.post("/api/v1/items", {"item": it, "meta": {
            "workflow": "published"}}).json)
        time.sleep(0.005)
    got = anon.get("/api/v1/items").json
    eq([e["item"]["uri"] for e in got["items"]],
       [e["item"]["uri"] for e in reversed(made)], "newest first")
    eq(got["next"], None, "one page")
    eq(len(anon.get("/api/v1/items", query={"lang": "fr"}).json["items"]),
       3, "lang=fr")
    eq(len(anon.get("/api/v1/items", query={"type": "picture"})
           .json["items"]), 1, "type")
    eq(len(anon.get("/api/v1/items", query={"topic": "economy"})
           .json["items"]), 3, "topic by name")
    eq(len(anon.get("/api/v1/items", query={"topic": "11000000"})
           .json["items"]), 4, "topic by code")
    eq(len(anon.get("/api/v1/items", query={"center": "cairo"})
           .json["items"]), 7, "center")
    eq(len(anon.get("/api/v1/items", query={"center": "lagos"})
           .json["items"]), 0, "other center")
    eq(len(anon.get("/api/v1/items", query={"country": "EG"})
           .json["items"]), 7, "country")
    seen, nxt, pages = [], None, 0
    while True:
        q = {"limit": 3}
        if nxt:
            q["cursor"] = nxt
        page = anon.get("/api/v1/items", query=q).json
        seen += [e["item"]["uri"] for e in page["items"]]
        pages += 1
        nxt = page["next"]
        if not nxt:
            break
    eq(seen, [e["item"]["uri"] for e in reversed(made)], "paged")
    eq(pages, 3, "pages")
    fc = made[3]["item"]["firstCreated"]
    eq(len(anon.get("/api/v1/items", query={"before": fc}).json["items"]),
       3, "before")
    for bad in ({"limit": 0}, {"limit": 1000}, {"before": "yesterday"},
                {"cursor": "x"}):
        r = anon.get("/api/v1/items", query=bad)
        eq(r.status, 400, "bad filter %r" % bad)


def test_cache_etag_304(w):
    c, ed, _, jo, anon = newsroom(w)
    env = ed.post("/api/v1/items", {"item": item("Cached"), "meta": {
        "workflow": "published"}}).json
    p = path_of(env)
    # A response is cached on its second miss, not its first (a page
    # asked for once, as a crawler asks for each, does not take room).
    hits0 = c.metric("mediabridge_http_cache_hits_total") or 0
    r1 = anon.get(p)
    anon.get(p)
    eq((c.metric("mediabridge_http_cache_hits_total") or 0) - hits0, 0,
       "no hit before the second miss")
    hits0 = c.metric("mediabridge_http_cache_hits_total") or 0
    r2 = anon.get(p)
    etag = r1.headers["etag"]
    eq(r2.headers["etag"], etag, "same ETag")
    eq(r2.body, r1.body, "same body")
    check("public" in r1.headers["cache-control"], "public cache-control")
    r = anon.get(p, headers={"If-None-Match": etag})
    eq(r.status, 304, "If-None-Match")
    eq(r.body, b"", "304 has no body")
    # Both from the cache, except on PostgreSQL where the POST's own store
    # notice arrives asynchronously and may empty the cache once between.
    hits = (c.metric("mediabridge_http_cache_hits_total") or 0) - hits0
    check(hits >= (1 if pg_backend() else 2), "cache hits",
          hits)
    # A new log entry invalidates the cache: the new version shows at once.
    ed.put(p, item("Cached, v2"), headers={"If-Match": "1"})
    r = anon.get(p, headers={"If-None-Match": etag})
    eq(r.status, 200, "changed after update")
    eq(r.json["item"]["version"], "2", "fresh version")
    check(r.headers["etag"] != etag, "new ETag")
    # Signed-in responses are private and never served to readers.
    r = ed.get(p)
    check("private" in r.headers["cache-control"], "private for users")
    lst = anon.get("/api/v1/items")
    eq(anon.get("/api/v1/items", headers={
        "If-None-Match": lst.headers["etag"]}).status, 304, "list 304")


def test_metrics_and_log(w):
    c, ed, _, jo, anon = newsroom(w)
    ed.post("/api/v1/items", {"item": item("M"), "meta": {
        "workflow": "published"}})
    anon.get("/api/v1/items")
    anon.get("/nope")
    # A request is counted and logged after its answer is sent, on its
    # connection's thread: ed's may not be counted yet.
    wait_for(lambda: 'route="items.create",status="201"} 1' in
             anon.get("/metrics").text, 10, "the create counted")
    m = anon.get("/metrics")
    eq(m.status, 200, "metrics")
    check(m.headers["content-type"].startswith("text/plain"), "type")
    t = m.text
    for want in ('mediabridge_http_requests_total{route="items.create",'
                 'status="201"} 1',
                 'mediabridge_http_requests_total{route="none",'
                 'status="404"} 1',
                 'mediabridge_http_request_seconds_bucket{le="+Inf"}',
                 "mediabridge_http_request_seconds_count",
                 "mediabridge_items 1", "mediabridge_log_seq 1"):
        check(want in t, "metrics has " + want, t[:2000])
    eq(anon.get("/healthz").json["status"], "ok", "healthz")
    wait_for(lambda: "user=edi" in c.log(), 10, "ed's request logged")
    log = c.log()
    check("http: method=GET path=/api/v1/items route=items.list "
          "status=200" in log, "request log line", log[-2000:])
    check("user=edi" in log, "user in log")
    for tok in (ed.token, jo.token):
        check(tok not in log, "token not logged")
    check("the story" not in log, "bodies not logged")


def test_long_poll(w):
    c, ed, _, jo, anon = newsroom(w)
    seq = ed.get("/api/v1/changes").json["seq"]
    t0 = time.monotonic()
    r = ed.get("/api/v1/changes", query={"after": seq, "wait": 1})
    el = time.monotonic() - t0
    eq(r.json["changed"], False, "no change")
    check(0.9 <= el < 3, "waited about a second", el)
    out = {}
    poller = c.client(ed.token)

    def poll():
        t = time.monotonic()
        out["r"] = poller.get("/api/v1/changes",
                              query={"after": seq, "wait": 20})
        out["t"] = time.monotonic() - t
    th = threading.Thread(target=poll)
    th.start()
    time.sleep(0.3)
    # Parked polls hold no thread: other requests go on meanwhile.
    eq(anon.get("/healthz").status, 200, "served while a poll waits")
    ed.post("/api/v1/items", item("Wake up"))
    th.join(10)
    check("r" in out, "poll answered")
    eq(out["r"].json["changed"], True, "changed")
    check(out["t"] < 2, "woken at once by the commit", out["t"])
    # Many parked polls at once on a 2-thread server.
    res = []

    def many():
        cl = c.client(ed.token)
        res.append(cl.get("/api/v1/changes",
                          query={"after": seq + 1, "wait": 20}).status)
    ths = [threading.Thread(target=many) for _ in range(20)]
    for t in ths:
        t.start()
    time.sleep(0.5)
    eq(anon.get("/healthz").status, 200, "served while 20 polls wait")
    ed.post("/api/v1/items", item("Wake all"))
    for t in ths:
        t.join(10)
    eq(res, [200] * 20, "all woken")


def test_sigterm_finishes_in_flight(w):
    c, ed, _, jo, anon = newsroom(w)
    out = {}

    def poll():
        out["r"] = c.client(ed.token).get("/api/v1/changes", query={
            "after": 99, "wait": 30})
    th = threading.Thread(target=poll)
    th.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    rc = c.stop(signal.SIGTERM)
    el = time.monotonic() - t0
    th.join(5)
    eq(rc, 0, "exit status")
    check(el < 5, "stopped promptly", el)
    eq(out["r"].status, 200, "the in-flight poll was answered")
    check(not os.path.exists(os.path.join(c.dir, "serve.addr")),
          "serve.addr removed")
    host, port = c.addr.rsplit(":", 1)
    s = socket.socket()
    check(s.connect_ex((host, int(port))) != 0, "no longer listening")
    s.close()
    # SIGINT too; and a restart serves the same data.
    c.serve()
    eq(c.stop(signal.SIGINT), 0, "SIGINT exit status")


if __name__ == "__main__":
    main(globals())
