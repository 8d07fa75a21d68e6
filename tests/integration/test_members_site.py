# SPDX-License-Identifier: MIT
"""The members' and the agenda's pages on the site, over real HTTP
(docs/members.md, "Pages").

HQ Moscow and branch Cairo run as real processes. The directory at
/<lang>/members shows profiles of both centers, filtered by category,
country, language and center: a reader sees public profiles, a signed-in
member network ones too; every value is escaped; no contact field is on
any page; a suspended member leaves the pages. A public network proposal
from Moscow: readers see its state, each center's signed tally and the
total; a member at Cairo signs in, votes with the form (a second vote is
refused), comments, and three members' reports hide a comment until a
moderator looks; serve closes the proposal at its closing date and it is
accepted onto its event's agenda, at HQ and at Cairo.
"""

import html
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mbtest import check, eq, main  # noqa: E402
from fedlib import ENV, Center, admit, mb, wait_for  # noqa: E402
from nrform import multipart, png  # noqa: E402

PW = "member-pass-1"
EMAILS = ["zeinab.secret@example.org", "adel.secret@example.org",
          "olga.secret@example.org", "+20 100 555 0199"]


class Browser:
    """A browser without JavaScript: cookie, forms with the CSRF token."""

    def __init__(self, c):
        self.addr = c.addr
        self.cookie = None
        self.csrf = None

    def req(self, method, path, form=None, raw=None, ctype=None):
        host, port = self.addr.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        h = {}
        if self.cookie:
            h["Cookie"] = self.cookie
        data = None
        if raw is not None:
            data = raw
            h["Content-Type"] = ctype
        elif form is not None:
            form = dict(form)
            if self.csrf and "csrf" not in form:
                form["csrf"] = self.csrf
            data = urllib.parse.urlencode(form).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        body = r.read().decode()
        hd = {k.lower(): v for k, v in r.getheaders()}
        conn.close()
        if hd.get("set-cookie", "").startswith("mb_session="):
            self.cookie = hd["set-cookie"].split(";", 1)[0]
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        if m:
            self.csrf = m.group(1)
        return r.status, hd, body

    def get(self, path):
        return self.req("GET", path)

    def upload(self, path, fields, filename, ctype, data):
        f = dict(fields)
        f.setdefault("csrf", self.csrf)
        body, ct = multipart(f, "file", filename, ctype, data)
        return self.req("POST", path, raw=body, ctype=ct)

    def raw_get(self, path):
        host, port = self.addr.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", path)
        r = conn.getresponse()
        b = r.read()
        conn.close()
        return r.status, r.getheader("Content-Type"), b

    def post(self, path, form):
        return self.req("POST", path, form)

    def login(self, name, at="/en/login"):
        st, hd, _ = self.post(at, {"name": name, "password": PW,
                                   "next": "/en/members"})
        eq(st, 303, "%s signs in" % name)


def add_user(c, name, role="member"):
    subprocess.run([os.environ.get("MEDIABRIDGE", "build/mediabridge"),
                    "user", "add", c.dir, name, "--role", role,
                    "--password-stdin"], input=PW + "\n", text=True,
                   check=True, env=ENV, capture_output=True)


def member_add(c, name, category, country, langs, email, **kw):
    args = ["member", "add", c.dir, "--name", name, "--category", category,
            "--country", country, "--languages", langs, "--email", email]
    for k, v in kw.items():
        args += ["--" + k, v]
    mid, uri = mb(*args).strip().split("\t")
    return mid, uri


def names(page):
    return [html.unescape(n) for n in
            re.findall(r'<h2 dir="auto"><a href="[^"]*">([^<]*)</a>', page)]


def path_of(uri, kind, lang="en"):
    _, _, c, l = uri.split(":")
    return "/%s/%s/%s/%s" % (lang, kind, c, l)


def no_contacts(what, text):
    for e in EMAILS + ["secret@example.org"]:
        check(e not in text and html.escape(e) not in text,
              "a contact field on " + what, e)


def test_pages(w):
    hq = Center(w.root, "moscow", "RU", "ru,en")
    env = dict(ENV, MB_AGENDA_POLL_MS="300", MB_AGENDA_GRACE_MS="1000")
    hq.start(env=env)
    cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    procs = [hq]
    try:
        cairo.start(env=env)
        procs.append(cairo)
        admit(hq, cairo)
        run_pages(w, hq, cairo)
    finally:
        for c in procs:
            c.stop()


def run_pages(w, hq, cairo):
    for name in ("zeinab", "m0", "m1", "m2"):
        add_user(cairo, name)
    add_user(hq, "olga")
    z_id, z_uri = member_add(cairo, "Zeinab Haddad", "diplomat", "EG",
                             "ar,en", EMAILS[0], phone=EMAILS[3],
                             user="zeinab", bio="en=Former ambassador")
    a_name = 'Adel & "Co" O\'Neil'
    a_id, a_uri = member_add(cairo, a_name, "academic", "EG", "ar",
                             EMAILS[1], audience="public",
                             affiliation="Cairo University",
                             bio="ar=أستاذ الهيدرولوجيا")
    for i in range(3):
        member_add(cairo, "Member %d" % i, "other", "EG", "ar",
                   "m%d.secret@example.org" % i, user="m%d" % i)
    o_id, o_uri = member_add(hq, "Olga Petrova", "journalist", "RU",
                             "ru,en", EMAILS[2], user="olga",
                             audience="public")
    wait_for("Cairo's profiles at HQ", lambda: {z_uri, a_uri} <= {
        json.loads(l)["uri"] for l in mb("member", "directory", hq.dir,
                                         "--json").splitlines()},
             timeout=30)

    # A reader at HQ: public profiles of both centers, escaped.
    reader = Browser(hq)
    st, hd, page = reader.get("/en/members")
    eq(st, 200, "the directory")
    eq(sorted(names(page)), sorted([a_name, "Olga Petrova"]),
       "a reader sees the public profiles of every center")
    check("Adel &amp; &quot;Co&quot; O&#39;Neil" in page or
          "Adel &amp; &quot;Co&quot; O&#x27;Neil" in page,
          "the name escaped", page[:3000])
    check('href="/en/members/cairo/' in page, "a profile's link")
    no_contacts("the directory", page)
    st, _, page = reader.get(path_of(a_uri, "members"))
    eq(st, 200, "a public profile")
    check("Cairo University" in page and "أستاذ الهيدرولوجيا" in page,
          "its affiliation and bio", page[-3000:])
    no_contacts("a profile", page)
    st, _, _ = reader.get(path_of(z_uri, "members"))
    eq(st, 404, "a network profile is not for readers")
    st, _, _ = reader.get("/en/members/cairo/nothing-here")
    eq(st, 404, "an unknown member")

    # A photo through Cairo's media pipeline reaches HQ with the profile.
    add_user(cairo, "ada", "admin")
    ada = Browser(cairo)
    ada.login("ada", "/newsroom/login")
    st, _, page = ada.get("/newsroom/members")
    check('<tr id="member-%s">' % a_id in page, "Adel's row", page[-3000:])
    st, hd, _ = ada.upload("/newsroom/members/%s/photo" % a_id,
                           {"caption": "Adel at his desk"}, "adel.png",
                           "image/png", png(320, 240))
    eq(st, 303, "a photo uploaded")

    def photo_at(c):
        page = Browser(c).get(path_of(a_uri, "members"))[2]
        m = re.search(r'<img src="(/media/[0-9a-f]{64})"[^>]*alt="Adel '
                      r'at his desk"', page)
        return m.group(1) if m else None
    wait_for("the photo at HQ", lambda: photo_at(hq) and Browser(hq).raw_get(
        photo_at(hq))[0] == 200, timeout=60)
    st, ct, body = Browser(hq).raw_get(photo_at(hq))
    check(ct.startswith("image/") and len(body) > 100, "HQ serves the "
          "photo's blob, fetched from Cairo", ct)
    check('class="thumb"' in Browser(hq).get("/en/members")[2],
          "a thumbnail in the directory")

    # A member signed in at HQ sees the network's profiles; filters.
    olga = Browser(hq)
    olga.login("olga")
    st, hd, page = olga.get("/en/members")
    eq(st, 200, "the directory, signed in")
    check("private" in hd.get("cache-control", ""), "a member's page is "
          "private", hd)
    eq(sorted(names(page)), sorted([a_name, "Olga Petrova", "Zeinab Haddad",
                                    "Member 0", "Member 1", "Member 2"]),
       "a member sees network profiles too")
    for q, want in (("center=cairo", {a_name, "Zeinab Haddad", "Member 0",
                                      "Member 1", "Member 2"}),
                    ("category=academic", {a_name}),
                    ("country=RU", {"Olga Petrova"}),
                    ("language=en", {"Zeinab Haddad", "Olga Petrova"}),
                    ("category=diplomat&center=cairo", {"Zeinab Haddad"}),
                    ("category=politician", set())):
        st, _, page = olga.get("/en/members?" + q)
        eq(set(names(page)), want, "filter " + q)
    st, _, page = olga.get("/en/members?center=cairo")
    check('<option value="cairo" selected>' in page, "the filter kept",
          page[:4000])
    st, _, page = olga.get(path_of(z_uri, "members"))
    eq(st, 200, "a network profile to a member")
    check("Former ambassador" in page, "the bio")
    no_contacts("a member's view", page)
    st, _, page = olga.get(path_of(z_uri, "members", "ar"))
    eq(st, 200, "in Arabic")
    check('dir="rtl"' in page and "دبلوماسي" in page, "the Arabic page")

    # A public network proposal from Moscow, closing in 40 s.
    closes = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                           time.gmtime(time.time() + 40))
    p = mb("agenda", "propose", hq.dir, "--member", o_id, "--title",
           "Water & rivers coverage",
           "--text", "Shared coverage.\n\nBy every center.", "--language",
           "en", "--closes", closes, "--threshold", "2", "--event",
           "Network conference 2027", "--scope", "public",
           "--topics", "water,rivers").strip()
    st, _, _ = reader.get(path_of(p, "proposals"))
    eq(st, 404, "a draft is not on the site")
    mb("agenda", "admit", hq.dir, p)
    wait_for("the proposal at Cairo", lambda: Browser(cairo).get(
        path_of(p, "proposals"))[0] == 200, timeout=30)
    anon = Browser(cairo)
    st, _, page = anon.get("/en/proposals")
    check(st == 200 and "Water &amp; rivers coverage" in page,
          "the list at Cairo", page[-2000:])
    st, _, page = anon.get(path_of(p, "proposals"))
    check("Open for support" in page, "its state", page)
    check('name="choice"' not in page, "no vote form for a reader")
    check("/en/login?next=" in page, "a sign-in link")
    check("Network conference 2027" not in page or "On the agenda" not in
          page, "not on the agenda yet")
    st, _, _ = anon.post(path_of(p, "proposals") + "/vote",
                         {"choice": "yes"})
    eq(st, 401, "a reader does not vote")

    # A member at Cairo votes with the form; once.
    z = Browser(cairo)
    z.login("zeinab")
    st, _, page = z.get(path_of(p, "proposals"))
    check('name="choice" value="yes"' in page, "the vote form", page)
    st, hd, _ = z.post(path_of(p, "proposals") + "/vote", {"choice": "yes"})
    eq(st, 303, "the vote")
    check(hd["location"].endswith("?done=voted"), "back to the page", hd)
    st, _, page = z.get(hd["location"])
    check('id="voted"' in page and 'name="choice"' not in page,
          "voted: no form", page[-2000:])
    check(re.search(r'id="tally-cairo".*?<td>1</td>', page, re.S),
          "Cairo's open tally on the page", page)
    st, _, page = z.post(path_of(p, "proposals") + "/vote", {"choice": "no"})
    eq(st, 409, "a second vote")
    check("already voted" in page, "says why", page[:2000])
    st, _, page = z.post(path_of(p, "proposals") + "/vote",
                         {"choice": "yes", "csrf": "forged"})
    eq(st, 403, "a forged CSRF token")

    # The debate: a comment, refused script, three reports hide it.
    st, hd, _ = z.post(path_of(p, "proposals") + "/comment",
                       {"text": "Rivers & seas, \"both\"."})
    eq(st, 303, "a comment")
    st, _, page = anon.get(path_of(p, "proposals"))
    check("Rivers &amp; seas, &quot;both&quot;." in page, "shown, escaped",
          page[-3000:])
    cid = re.search(r'<li id="comment-(\d+)"', page).group(1)
    st, _, page = z.post(path_of(p, "proposals") + "/comment",
                         {"text": "<script>alert(1)</script>"})
    eq(st, 400, "script in a comment")
    check("<script>alert" not in page, "never echoed unescaped")
    for i in range(3):
        b = Browser(cairo)
        b.login("m%d" % i)
        b.get(path_of(p, "proposals"))
        st, hd, _ = b.post(path_of(p, "proposals") + "/report",
                           {"comment": cid})
        eq(st, 303, "report %d" % (i + 1))
        check(hd["location"].endswith("done=hidden" if i == 2 else
                                      "done=reported"), "said", hd)
    st, _, page = anon.get(path_of(p, "proposals"))
    check("Rivers &amp; seas" not in page, "hidden after three reports")
    mb("agenda", "moderate", cairo.dir, "comment:" + cid, "--show")
    st, _, page = anon.get(path_of(p, "proposals"))
    check("Rivers &amp; seas" in page, "a moderator shows it again")

    # Moscow's member votes; HQ shows Cairo's signed tally and the total.
    mb("agenda", "vote", hq.dir, p, "--member", o_id)
    wait_for("Cairo's tally at HQ", lambda: re.search(
        r'id="tally-cairo".*?<td>1</td>', reader.get(
            path_of(p, "proposals"))[2], re.S), timeout=30)
    st, _, page = reader.get(path_of(p, "proposals"))
    check(re.search(r'id="total"><th[^>]*>Total</th><td>2</td>', page),
          "the total at HQ", page)
    check("counted, signed by its center" in page, "each tally's status")
    no_contacts("a proposal", page)

    # serve closes it at its closing date: accepted onto the agenda.
    wait_for("the close at HQ", lambda: 'id="agenda"' in reader.get(
        path_of(p, "proposals"))[2], timeout=90)
    st, _, page = reader.get(path_of(p, "proposals"))
    check("Accepted" in page and "Network conference 2027" in page,
          "accepted onto the event's agenda", page)
    # The poller logs the close after its commit.
    wait_for("serve's log saying it closed it", lambda: "proposal=%s" % p
             in open(os.path.join(hq.dir, "serve.log")).read(), timeout=15)
    wait_for("the close at Cairo", lambda: "Accepted" in anon.get(
        path_of(p, "proposals"))[2], timeout=30)
    st, _, page = z.get(path_of(p, "proposals"))
    check('name="choice"' not in page, "no vote after the close")
    m0 = Browser(cairo)
    m0.login("m0")
    m0.get(path_of(p, "proposals"))
    st, _, page = m0.post(path_of(p, "proposals") + "/vote",
                          {"choice": "yes"})
    eq(st, 409, "a vote after the close")
    check("closed for votes" in page, "says why", page[:3000])
    mb("agenda", "answer", hq.dir, p, "--text", "First on the programme.")
    wait_for("the answer at Cairo", lambda: "First on the programme." in
             anon.get(path_of(p, "proposals"))[2], timeout=30)
    # The result and the answer are items in the feeds too.
    for c in (hq, cairo):
        st, _, feed = Browser(c).get("/feeds/en.json")
        check(st == 200 and "Water & rivers coverage" in feed,
              "the proposal in %s's feed" % c.id, feed[:2000])

    # A suspended member leaves the pages everywhere.
    mb("member", "suspend", cairo.dir, a_id)
    wait_for("the withdrawal at HQ", lambda: a_name not in names(
        reader.get("/en/members")[2]), timeout=30)
    st, _, _ = reader.get(path_of(a_uri, "members"))
    eq(st, 404, "a suspended member's profile")
    st, _, page = anon.get("/en/members")
    check(a_name not in names(page), "gone at home too")
    for c in (hq, cairo):
        for path in ("/en/members", "/ar/members", "/en/proposals",
                     path_of(p, "proposals"), path_of(o_uri, "members")):
            no_contacts("%s %s" % (c.id, path), Browser(c).get(path)[2])


def error(page):
    m = re.search(r'role="alert"[^>]*>([^<]*)<', page)
    return html.unescape(m.group(1)) if m else None


def test_newsroom(w):
    """The newsroom's pages: members for admins, proposals for editors."""
    c = Center(w.root, "cairo", "EG", "ar,en")
    add_user(c, "ada", "admin")
    add_user(c, "ed", "editor")
    add_user(c, "jo", "journalist")
    for name in ("samira", "m0", "m1", "m2"):
        add_user(c, name)
    c.start()
    try:
        run_newsroom(c)
    finally:
        c.stop()


def run_newsroom(c):
    ada = Browser(c)
    ada.login("ada", "/newsroom/login")
    st, _, page = ada.get("/newsroom/members")
    eq(st, 200, "the admin's members page")
    check('href="/newsroom/members"' in page, "in the newsroom's menu")
    form = {"name": "Samira Nabil", "category": "expert", "country": "EG",
            "languages": "ar,en", "affiliation": "Cairo University",
            "bio_lang": "en", "bio": "Hydrologist", "audience": "public",
            "email": "samira.secret@example.org", "user": "samira"}
    st, hd, _ = ada.post("/newsroom/members", form)
    eq(st, 303, "an admin adds a member")
    st, _, page = ada.get("/newsroom/members")
    check("Samira Nabil" in page and "samira.secret@example.org" in page,
          "the record, its contact at home", page[-3000:])
    mid = re.search(r'<tr id="member-(\d+)">', page).group(1)
    bad = dict(form, name="X", user="", email="",
               bio="<script>alert(1)</script>")
    st, _, page = ada.post("/newsroom/members", bad)
    eq(st, 400, "script in a bio")
    check("bio.en" in (error(page) or ""), "names the field", error(page))
    check("<script>alert" not in page, "never echoed unescaped")
    uris = [json.loads(l)["uri"] for l in mb("member", "directory", c.dir,
                                              "--json").splitlines()]
    eq(len(uris), 1, "one profile published")
    st, _, page = Browser(c).get("/en/members")
    check("Samira Nabil" in page, "on the site")
    check("samira.secret" not in page, "the contact is not on the site")
    st, hd, _ = ada.post("/newsroom/members/" + mid, {"do": "suspend"})
    eq(st, 303, "suspended")
    st, _, page = ada.get("/newsroom/members")
    check('value="reinstate"' in page, "reinstate offered", page[-3000:])
    check("Samira Nabil" not in Browser(c).get("/en/members")[2],
          "a suspended member leaves the site")
    st, _, page = ada.post("/newsroom/members/" + mid, {"do": "dance"})
    eq(st, 400, "an unknown action")
    ada.post("/newsroom/members/" + mid, {"do": "reinstate"})
    check("Samira Nabil" in Browser(c).get("/en/members")[2],
          "reinstated")
    st, _, page = ada.upload("/newsroom/members/%s/photo" % mid, {},
                             "s.png", "image/png", png(64, 64))
    eq(st, 422, "a photo without its caption")
    # A caption longer than a form field holds was dropped, and the
    # answer said the caption was missing: now it names the field.
    st, _, page = ada.upload("/newsroom/members/%s/photo" % mid,
                             {"caption": "x" * 5000}, "s.png", "image/png",
                             png(64, 64))
    check(st == 413 and "caption: too long" in (error(page) or ""),
          "an over-long caption", st, error(page))
    st, _, page = ada.upload("/newsroom/members/%s/photo" % mid,
                             {"caption": "x"}, "s.txt", "text/plain",
                             b"not a picture at all")
    check(st in (400, 415), "a file that is no picture", st, error(page))
    st, _, page = ada.upload("/newsroom/members/%s/photo" % mid,
                             {"caption": "Samira"}, "s.png", "image/png",
                             png(200, 200))
    eq(st, 303, "a photo")
    st, _, page = Browser(c).get("/en/members")
    check(re.search(r'<img class="thumb" src="/media/[0-9a-f]{64}" '
                    r'alt="Samira"', page), "the thumbnail", page[-2000:])
    for i in range(3):
        member_add(c, "Member %d" % i, "other", "EG", "ar",
                   "m%d.secret@example.org" % i, user="m%d" % i)

    # The member's own page: what is shown and to whom (consent).
    eq(Browser(c).get("/en/members/me")[0], 303, "a reader signs in first")
    me = Browser(c)
    me.login("samira")
    st, _, page = me.get("/en/members/me")
    check(st == 200 and 'value="Samira Nabil"' in page and
          "samira.secret@example.org" in page, "her own record", page[-3000:])
    st, hd, _ = me.post("/en/members/me", {
        "name": "Samira Nabil", "languages": "ar,en", "affiliation":
        "Nile Institute", "bio_lang": "en", "bio": "Water & rivers",
        "audience": "network", "email": "samira.secret@example.org",
        "phone": ""})
    eq(st, 303, "she saves her profile")
    check("Samira Nabil" not in Browser(c).get("/en/members")[2],
          "network only now: readers no longer see her")
    st, _, page = me.get("/en/members")
    check("Samira Nabil" in page and "Nile Institute" in page,
          "members do")
    before = mb("export", c.dir)
    st, _, page = me.post("/en/members/me", {
        "name": "Samira Nabil", "languages": "ar,en", "bio_lang": "en",
        "bio": "<script>alert(1)</script>", "audience": "public"})
    eq(st, 400, "script in her bio")
    check("bio.en" in (error(page) or ""), "names the field", error(page))
    eq(mb("export", c.dir), before, "nothing changed")
    st, _, _ = me.post("/en/members/me", {"name": "Samira Nabil",
                                          "audience": "everyone"})
    eq(st, 400, "an audience that is none")
    me.get("/en/members/me")
    st, _, _ = me.upload("/en/members/me/photo", {"caption": "Samira, 2026"},
                         "me.png", "image/png", png(120, 90))
    eq(st, 303, "her own photo")
    st, _, page = me.upload("/en/members/me/photo", {"caption": "y" * 5000},
                            "me.png", "image/png", png(120, 90))
    check(st == 413 and "caption: too long" in (error(page) or ""),
          "her over-long caption", st, error(page))
    me.get("/en/members/me")
    check('alt="Samira, 2026"' in me.get(path_of(uris[0], "members"))[2],
          "on her profile")
    st, _, page = me.post("/en/members/me", {"name": "Samira Nabil",
                                             "audience": "public"})
    eq(st, 303, "public again")
    # She drafts a proposal on the site; it waits for a moderator.
    st, _, page = me.get("/en/proposals")
    check('action="/en/proposals"' in page, "the propose form", page[-3000:])
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400 * 30))
    form = {"title": "Solar for rural clinics", "text": "Cover them.",
            "language": "en", "topics": "energy,health", "scope": "public",
            "closes": day, "threshold": "3", "event": "Forum 2027",
            "poll": "secret"}
    st, hd, _ = me.post("/en/proposals", form)
    eq(st, 303, "a member proposes")
    check(hd["location"].endswith("done=proposed"), "said", hd)
    st, _, page = me.get("/en/proposals")
    check("Solar for rural clinics" in page and "st-draft" in page,
          "her draft, to her", page[-3000:])
    check("Solar for rural clinics" not in Browser(c).get(
        "/en/proposals")[2], "not to readers")
    st, _, page = me.post("/en/proposals", dict(form, text="x" * 30000))
    eq(st, 413, "a text over 20,000 bytes")
    check("longer than" in page, "says the limit")
    st, _, _ = me.post("/en/proposals", dict(form, closes="2020-01-01"))
    eq(st, 400, "a closing date in the past")
    st, _, _ = Browser(c).post("/en/proposals", form)
    eq(st, 401, "a reader proposes nothing")

    # Who may: a member and a journalist are refused these pages.
    for who in ("samira", "jo"):
        b = Browser(c)
        b.login(who, "/newsroom/login" if who == "jo" else "/en/login")
        eq(b.get("/newsroom/proposals")[0], 403, who + ": proposals")
        eq(b.get("/newsroom/members")[0], 403, who + ": members")
        if who == "jo":
            eq(b.get("/en/members/me")[0], 403, "no profile: not a member")
    ed = Browser(c)
    ed.login("ed", "/newsroom/login")
    eq(ed.get("/newsroom/members")[0], 403, "an editor: members")
    st, hd, _ = ed.post("/newsroom/members/" + mid, {"do": "suspend"})
    eq(st, 403, "an editor does not suspend")

    # An editor moderates: admit, hidden comments, answer, close.
    closes = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                           time.gmtime(time.time() + 3600))
    p = mb("agenda", "propose", c.dir, "--member", "samira", "--title",
           "Cover the Nile", "--text", "Every week.", "--language", "en",
           "--closes", closes, "--threshold", "5", "--scope",
           "public").strip()
    loc = "/newsroom/proposals/cairo/" + p.split(":")[3]
    site = path_of(p, "proposals")
    st, _, page = ed.get("/newsroom/proposals")
    check("Cover the Nile" in page and 'value="admit"' in page,
          "a draft to admit", page[-3000:])
    check("Solar for rural clinics" in page, "the draft made on the site")
    eq(Browser(c).get(site)[0], 404, "a draft is not on the site")
    st, hd, _ = ed.post(loc, {"do": "admit"})
    eq(st, 303, "admitted")
    eq(Browser(c).get(site)[0], 200, "open on the site")
    st, _, page = ed.post(loc, {"do": "admit"})
    eq(st, 409, "admitted twice")
    check("not a draft" in (error(page) or ""), "says why", error(page))
    mb("agenda", "vote", c.dir, p, "--member", "samira")
    cid = mb("agenda", "comment", c.dir, p, "--member", "samira", "--text",
             "Weekly, in Arabic too.").strip().split(":")[1]
    for i in range(3):
        mb("agenda", "report", c.dir, "comment:" + cid, "--member",
           "m%d" % i)
    check("Weekly, in Arabic" not in Browser(c).get(site)[2], "hidden")
    st, _, page = ed.get("/newsroom/proposals")
    check('id="hidden-comment-%s"' % cid in page, "listed for a moderator",
          page[-3000:])
    st, hd, _ = ed.post(loc, {"do": "show", "comment": cid})
    eq(st, 303, "shown again")
    check("Weekly, in Arabic" in Browser(c).get(site)[2], "back on the site")
    st, _, page = ed.get("/newsroom/proposals")
    check('id="hidden-comment-%s"' % cid not in page, "no longer listed")
    st, hd, _ = ed.post(loc, {"do": "answer", "text":
                              "We will, from March."})
    eq(st, 303, "answered")
    st, _, page = ed.post(loc, {"do": "answer", "text": "<b>x</b>"})
    eq(st, 400, "script in an answer")
    st, hd, _ = ed.post(loc, {"do": "close"})
    eq(st, 303, "closed")
    st, _, page = Browser(c).get(site)
    check("Rejected" in page and "We will, from March." in page,
          "rejected (1 of 5 supports), with the answer", page[-3000:])
    eq(ed.post(loc, {"do": "hide"})[0], 303, "a moderator hides it")
    eq(Browser(c).get(site)[0], 404, "hidden from the site")
    st, _, _ = ed.post(loc, {"do": "show", "csrf": "forged"})
    eq(st, 403, "a forged CSRF token")


def test_comment_authors(w):
    """A comment's author is named only to whom may see their profile:
    the old binary named an internal-profile member to anonymous readers
    of a public proposal's page."""
    c = Center(w.root, "cairo", "EG", "ar,en")
    for name in ("carol", "zed", "m0"):
        add_user(c, name)
    member_add(c, "Carol Secretname", "expert", "EG", "en",
               "carol@example.org", user="carol", audience="internal")
    member_add(c, "Zed Networkname", "expert", "EG", "en",
               "zed@example.org", user="zed", audience="network")
    member_add(c, "Mona Publicname", "expert", "EG", "en",
               "m0@example.org", user="m0", audience="public")
    p = mb("agenda", "propose", c.dir, "--member", "m0", "--title", "Open",
           "--text", "A public debate.", "--language", "en", "--closes",
           "2031-01-01T00:00:00Z", "--threshold", "1", "--scope",
           "public").strip()
    mb("agenda", "admit", c.dir, p)
    for who in ("carol", "zed", "m0"):
        mb("agenda", "comment", c.dir, p, "--member", who, "--text",
           "Said by %s." % who)
    c.start()
    try:
        st, _, page = Browser(c).get(path_of(p, "proposals"))
        eq(st, 200, "the public proposal")
        check("Said by carol." in page, "the comment is shown")
        check("Carol Secretname" not in page, "no internal profile's name "
              "to a reader")
        check("Zed Networkname" not in page, "nor a network profile's")
        check("Mona Publicname" in page, "a public profile's name")
        eq(page.count("A member"), 2, "the others: a member")
        b = Browser(c)
        b.login("zed")
        _, _, page = b.get(path_of(p, "proposals"))
        check("Zed Networkname" in page and "Carol Secretname" not in page,
              "a member sees network names, not internal ones")
        b = Browser(c)
        b.login("carol")
        _, _, page = b.get(path_of(p, "proposals"))
        check("Carol Secretname" in page, "the author sees their own name")
    finally:
        c.stop()


def test_proposal_authors(w):
    """A proposal names its author only to whom may see their profile:
    the old binary signed the name into the item and showed a
    network-only profile's name to anonymous readers (the page, the
    proposals API, the items API)."""
    c = Center(w.root, "cairo", "EG", "ar,en")
    for name in ("zed", "ivan", "m0"):
        add_user(c, name)
    member_add(c, "Zed Networkname", "expert", "EG", "en",
               "zed@example.org", user="zed", audience="network")
    member_add(c, "Ivan Laterinternal", "expert", "EG", "en",
               "ivan@example.org", user="ivan", audience="public")
    member_add(c, "Mona Publicname", "expert", "EG", "en",
               "m0@example.org", user="m0", audience="public")
    props = {}
    for who in ("zed", "ivan"):
        props[who] = mb("agenda", "propose", c.dir, "--member", who,
                        "--title", "By " + who, "--text", "A debate.",
                        "--language", "en", "--closes",
                        "2031-01-01T00:00:00Z", "--threshold", "1",
                        "--scope", "public").strip()
        mb("agenda", "admit", c.dir, props[who])
    # A profile made internal after the proposal: its next version (the
    # answer) names nobody either.
    mb("member", "edit", c.dir, "ivan", "--audience", "internal")
    mb("agenda", "answer", c.dir, props["ivan"], "--text", "Answered.")
    secret = ("Zed Networkname", "Ivan Laterinternal")
    c.start()
    try:
        anon = Browser(c)
        for who, p in props.items():
            st, _, page = anon.get(path_of(p, "proposals"))
            eq(st, 200, "the public proposal")
            check(not any(n in page for n in secret), "no name of a "
                  "network or internal profile to a reader")
            check("A member" in page, "a member proposed it")
        for path in ("/api/v1/proposals", "/api/v1/items?limit=50", "/en/"):
            st, _, page = anon.get(path)
            eq(st, 200, path)
            check(not any(n in page for n in secret), "no name in " + path)
        b = Browser(c)
        b.login("m0")
        _, _, page = b.get(path_of(props["zed"], "proposals"))
        check("Zed Networkname" in page, "a member sees a network "
              "profile's name")
        _, _, page = b.get(path_of(props["ivan"], "proposals"))
        check("Ivan Laterinternal" not in page, "not an internal one")
        b = Browser(c)
        b.login("ivan")
        _, _, page = b.get(path_of(props["ivan"], "proposals"))
        check("Ivan Laterinternal" in page, "the author sees their name")
    finally:
        c.stop()


def test_hidden_proposal_item(w):
    """A hidden proposal is hidden on every page of one item: the old
    binary left it on /en/items/C/L and /api/v1/items/C/L."""
    c = Center(w.root, "cairo", "EG", "ar,en")
    add_user(c, "m0")
    add_user(c, "ed", "editor")
    member_add(c, "Mona Publicname", "expert", "EG", "en",
               "m0@example.org", user="m0", audience="public")
    p = mb("agenda", "propose", c.dir, "--member", "m0", "--title",
           "Hidden title", "--text", "Offensive body.", "--language", "en",
           "--closes", "2031-01-01T00:00:00Z", "--threshold", "1",
           "--scope", "public").strip()
    mb("agenda", "admit", c.dir, p)
    mb("agenda", "moderate", c.dir, p, "--hide")
    _, cc, l = p.rsplit(":", 2)
    pages = ("/en/items/%s/%s" % (cc, l), "/ar/items/%s/%s" % (cc, l),
             "/api/v1/items/%s/%s" % (cc, l), path_of(p, "proposals"))
    # Its card in lists, search and feeds (the binary before this check
    # left it on all of them: only the item's own doors were closed).
    lists = ("/en/", "/en/centers/%s" % cc, "/api/v1/items",
             "/api/v1/items?profile=proposal",
             "/api/v1/search?q=Hidden", "/en/search?q=Hidden",
             "/feeds/en.atom", "/feeds/en.json")
    c.start()
    try:
        for path in pages:
            eq(Browser(c).get(path)[0], 404, "hidden: " + path)
        for path in lists:
            st, _, body = Browser(c).get(path)
            eq(st, 200, path)
            check(l not in body and "Hidden title" not in body,
                  "a hidden proposal is listed on " + path)
        m = Browser(c)
        m.login("m0")
        eq(m.get(pages[0])[0], 404, "hidden from a member too")
        check(l not in m.get("/api/v1/items")[2],
              "listed to its author on /api/v1/items")
        ed = Browser(c)
        ed.login("ed")
        eq(ed.get(pages[0])[0], 200, "a moderator still reads it")
        check(l in ed.get("/api/v1/items")[2],
              "a moderator still lists it")
    finally:
        c.stop()
    mb("agenda", "moderate", c.dir, p, "--show")
    c.start()
    try:
        for path in pages:
            eq(Browser(c).get(path)[0], 200, "shown again: " + path)
        for path in lists:
            check(l in Browser(c).get(path)[2], "listed again: " + path)
    finally:
        c.stop()


if __name__ == "__main__":
    main(globals())
