# SPDX-License-Identifier: MIT
"""Engines shared through the registry (issue 16, point 6), with Debian's
Apertium APy (tests/lib/apy.py): HQ shares its engine and announces its
pairs in the registry it signs; Cairo, with no engine of its own and none
configured, finds HQ there and translates HQ's item into Spanish, the
provenance naming HQ as the serving center. Cairo's internal items and
drafts are not sent to HQ's engine: refused, saying why. Cairo announces over a signed
POST /federation/v1/announce and HQ puts its pairs in the registry; a
center that is not a member is refused, and bad announcements (an
unknown language, too many pairs, one language twice) are refused with
a clear error and the registry left as it was."""

import json
import os
import sys
import tempfile
import types

from mbtest import Client, check, eq, main, run, wait_for
from nrform import Browser, error
import apy as apylib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402

APY = None
ENV = dict(fedlib.ENV, MB_MT_ANNOUNCE_MS="1000")
# Cairo's serve announces once at start only: what the test announces by
# hand is not replaced by its engines' (none) a second later.
SLOW = dict(fedlib.ENV, MB_MT_ANNOUNCE_MS="3600000")

BODY = ('<p>The <a href="https://example.org/x">minister</a> said that '
        'the new school opens <b>next week</b>.</p>')


def show(c, cid):
    out = {}
    for line in fedlib.mb("center", "show", c.dir, cid).splitlines():
        k, _, v = line.partition("\t")
        out[k] = v
    return out


def registry_version(c):
    url = c.url + "/federation/v1/registry"
    hdrs = dict(line.split(": ", 1) for line in fedlib.mb(
        "sync", c.dir, "--sign-get", url).splitlines())
    st, body = fedlib.http_get(url, hdrs)
    eq(st, 200, "registry from " + c.id)
    return json.loads(body)


def api(uri):
    _, _, center, local = uri.split(":")
    return "/api/v1/items/%s/%s" % (center, local)


def lent(hq):
    """HQ's log lines for translations it made for another center."""
    with open(os.path.join(hq.dir, "serve.log")) as f:
        return [line for line in f if "mt: lent" in line]


def stays_here(w, hq, cairo):
    """An internal item and a draft at Cairo, which has no engine of its
    own, are machine-translated by an editor there: HQ lends en|es, but
    their text never leaves Cairo (DESIGN 9, docs/translation.md), so
    each is refused with 422 no_pair saying why, and HQ's engine is not
    asked. Cairo's published public item still goes to HQ."""
    run(["user", "add", cairo.dir, "ced", "--role", "editor",
         "--password-stdin"], stdin="editor-pass-1\n", env=fedlib.ENV)
    ed = Client(cairo.addr)
    ed.token = fedlib.mb("token", "add", cairo.dir, "ced").strip()
    w.clients.append(ed)
    b = Browser(types.SimpleNamespace(addr=cairo.addr, world=w))
    b.login("ced", "editor-pass-1")

    def item(word, meta):
        return ed.post("/api/v1/items", {"item": {
            "type": "text", "language": "en",
            "headlines": [{"value": "The %s school opens" % word}],
            "bodies": [{"value": BODY.replace("new", word),
                        "contentType": "text/html"}]},
            "meta": meta}).json["item"]["uri"]

    internal = item("secret", {"workflow": "published",
                               "audience": "internal"})
    draft = item("unannounced", {"workflow": "draft", "audience": "public"})
    before = len(lent(hq))
    for uri, why in [(internal, "is internal"), (draft, "is not published")]:
        r = ed.post(api(uri) + "/translate", {"language": "es"})
        eq((r.status, r.error_code()), (422, "no_pair"), r.text)
        check(why in r.text and "not sent to another center" in r.text,
              "the refusal says why", r.text)
        # The newsroom's "Machine translate" button: the same rule.
        page = "/newsroom/items/%s/%s" % tuple(uri.split(":")[2:4])
        b.page(page)
        r = b.post(page + "/mt", {"language": "es"})
        eq(r.status, 422, "the newsroom's button: %s" % r.text[-500:])
        check(why in (error(r.text) or ""), "says why", error(r.text))
    eq(len(lent(hq)), before, "HQ's engine was not asked")
    check(not any(s in open(os.path.join(hq.dir, "serve.log")).read()
                  for s in ("secret", "unannounced")), "nor heard of them")

    public = item("public", {"workflow": "published", "audience": "public"})
    r = ed.post(api(public) + "/translate", {"language": "es"})
    eq(r.status, 201, "a published public item: %s" % r.text)
    eq(r.json["meta"]["translation"]["via"], "moscow", "served by HQ")
    check(len(lent(hq)) > before, "HQ lent its engine for it")


def test_registry_lenders(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    fedlib.mb("engine", "add", hq.dir, "--name", "apy", "--kind",
              "apertium-apy", "--url", APY.url, "--share")
    started = []
    try:
        hq.start(env=ENV)
        started.append(hq)
        # HQ's serve announces its own shared pairs in the registry.
        wait_for(lambda: "en|es" in show(hq, "moscow").get("mt_pairs", ""),
                 30, "HQ's pairs in its registry")
        doc = registry_version(hq)
        entry = [c for c in doc["registry"]["centers"]
                 if c["id"] == "moscow"][0]
        check("en|es" in entry["mt_pairs"] and "fr|es" in
              entry["mt_pairs"], "signed, in HQ's entry", entry)
        check(not any(k in json.dumps(entry) for k in ("apy", APY.url)),
              "the registry names no engine nor its address", entry)

        cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en,es", hq=hq)
        cairo.start(env=SLOW)
        started.append(cairo)
        fedlib.admit(hq, cairo)
        wait_for(lambda: "en|es" in show(cairo, "moscow").get(
            "mt_pairs", ""), 30, "Cairo stores HQ's pairs")
        out = fedlib.mb("engine", "list", cairo.dir)
        check("moscow\tnetwork\t" + hq.url in out and
              "\ten|es\tfrom moscow" in out, "engine list shows the "
              "network's pairs and who lends them", out)

        fedlib.mb("user", "add", hq.dir, "edi", "--role", "editor")
        ed = Client(hq.addr)
        ed.token = fedlib.mb("token", "add", hq.dir, "edi").strip()
        fedlib.mb("user", "add", cairo.dir, "tr", "--role", "translator")
        tr = Client(cairo.addr)
        tr.token = fedlib.mb("token", "add", cairo.dir, "tr").strip()
        w.clients += [ed, tr]
        orig = ed.post("/api/v1/items", {"item": {
            "type": "text", "language": "en",
            "headlines": [{"value": "The new school opens"}],
            "bodies": [{"value": BODY, "contentType": "text/html"}]},
            "meta": {"workflow": "published"}}).json
        uri = orig["item"]["uri"]
        wait_for(lambda: tr.get(api(uri)).status == 200, 30,
                 "HQ's item at Cairo")
        r = tr.post(api(uri) + "/translate", {"language": "es"})
        eq(r.status, 201, "Cairo's machine draft: %s" % r.text)
        t = r.json["meta"]["translation"]
        eq((t["of"], t["via"], t["pair"], t["by"]),
           (uri, "moscow", "en|es", "machine"), "provenance names HQ")
        check("escuela" in r.json["item"]["headlines"][0]["value"],
              "Spanish", r.json["item"]["headlines"])
        check("mt: lent caller=cairo from=en to=es" in
              open(os.path.join(hq.dir, "serve.log")).read(),
              "HQ's log says it lent its engine")
        # A pair nobody lends: 422, nothing made.
        r = tr.post(api(uri) + "/translate", {"language": "sw"})
        eq((r.status, r.error_code()), (422, "no_pair"), r.text)
        # A long article (its signed request past the 8 KiB an anonymous
        # body may be): HQ's engine still takes it.
        long_body = BODY * 120
        check(len(long_body) > 12000, "long: %d" % len(long_body))
        orig2 = ed.post("/api/v1/items", {"item": {
            "type": "text", "language": "en",
            "headlines": [{"value": "The new school opens again"}],
            "bodies": [{"value": long_body, "contentType": "text/html"}]},
            "meta": {"workflow": "published"}}).json
        uri2 = orig2["item"]["uri"]
        wait_for(lambda: tr.get(api(uri2)).status == 200, 30,
                 "the long item at Cairo")
        r = tr.post(api(uri2) + "/translate", {"language": "es"})
        eq(r.status, 201, "the long article through HQ: %s" % r.text[:300])
        check(r.json["item"]["bodies"][0]["value"].count("escuela") >= 120,
              "every paragraph translated")

        stays_here(w, hq, cairo)

        # Cairo announces (a signed POST to HQ): HQ records it.
        v0 = registry_version(hq)["registry"]["version"]
        out = fedlib.mb("engine", "announce", cairo.dir, "--pairs",
                        "ar|en,en|ar")
        check("announced to HQ" in out, "Cairo announced", out)
        eq(show(hq, "cairo")["mt_pairs"], "ar|en,en|ar", "HQ recorded it")
        v1 = registry_version(hq)["registry"]["version"]
        check(v1 > v0, "a new registry signed")
        wait_for(lambda: show(cairo, "cairo").get("mt_pairs") ==
                 "ar|en,en|ar", 30, "the registry brings it back")
        # Bad announcements: refused, naming why; nothing changed.
        for pairs, why in [("en|es,en|klingon", "klingon"),
                           ("es|es", "both es"),
                           ("en-es", "from|to"),
                           (",".join("en|es" for _ in range(65)),
                            "at most 64")]:
            p = fedlib.mb("engine", "announce", cairo.dir, "--pairs", pairs,
                          check=False, full=True)
            check(p.returncode != 0 and why in p.stderr,
                  "refused %r: %s" % (pairs[:30], p.stderr.strip()))
        eq(show(hq, "cairo")["mt_pairs"], "ar|en,en|ar", "nothing changed")
        eq(registry_version(hq)["registry"]["version"], v1,
           "no new registry")

        # Rate-limited per caller (60 a minute, bursts of 20): Cairo is
        # told to wait, HQ's registry is not signed again and again.
        # (Until told: a slow machine refills a token a second meanwhile.)
        said = []
        for _ in range(150):
            p = fedlib.mb("engine", "announce", cairo.dir, "--pairs",
                          "ar|en,en|ar", check=False, full=True)
            said.append((p.returncode, p.stderr))
            if p.returncode != 0:
                break
        check(said[-1][0] != 0 and "429" in said[-1][1] and
              len(said) > 5, "rate-limited: %r" % said[-1:])
        eq(registry_version(hq)["registry"]["version"], v1,
           "the same pairs again sign nothing")

        # A center that is not a member: refused.
        dakar = fedlib.Center(w.root, "dakar", "SN", "fr,en", hq=hq)
        p = fedlib.mb("engine", "announce", dakar.dir, "--pairs", "fr|en",
                      check=False, full=True)
        check(p.returncode != 0 and "401" in p.stderr,
              "a non-member is refused: " + p.stderr.strip())
        check("dakar" not in json.dumps(registry_version(hq)),
              "and not in the registry")
        # A suspended member neither.
        fedlib.mb("center", "suspend", hq.dir, "cairo")
        p = fedlib.mb("engine", "announce", cairo.dir, "--pairs", "",
                      check=False, full=True)
        check(p.returncode != 0 and "suspended" in p.stderr,
              "a suspended center is refused: " + p.stderr.strip())
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
