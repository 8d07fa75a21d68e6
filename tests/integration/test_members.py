# SPDX-License-Identifier: MIT
"""Members and the agenda across three real centers (docs/members.md).

HQ Moscow and branches Cairo and Manama run as real processes. Members
at each; a network proposal from Moscow in a secret poll; members at
Cairo and Manama vote at home; each center publishes its signed tally;
HQ shows them per center and the total, refuses a forged and an
inflated tally, and the proposal closes onto an event's agenda. The
directory travels as signed profiles; a suspended member leaves every
directory. Then everything that leaves a center (exports, feeds,
federation log answers, API answers) is searched for the contact
fields. A profile made internal is withdrawn from the network once, and
what its record gets afterwards (bio, affiliation, photo) stays home.
Also: one vote out of 200 concurrent attempts, bad input.
"""

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mbtest import check, eq, main  # noqa: E402
from fedlib import (MB, Center, ENV, admit, free_port, http_get,  # noqa
                    mb, wait_for)
from nrform import png  # noqa: E402
from test_members_site import Browser, add_user  # noqa: E402

CLOSES = "2031-01-01T00:00:00Z"


def member_add(c, name, category, country, langs, email, phone=None,
               audience=None, user=None, bio=None):
    args = ["member", "add", c.dir, "--name", name, "--category", category,
            "--country", country, "--languages", langs, "--email", email]
    if phone:
        args += ["--phone", phone]
    if audience:
        args += ["--audience", audience]
    if user:
        args += ["--user", user]
    if bio:
        args += ["--bio", bio]
    mid, uri = mb(*args).strip().split("\t")
    return mid, uri


def show(c, uri):
    return json.loads(mb("agenda", "show", c.dir, uri, "--json"))


def directory(c, *args):
    return [json.loads(l) for l in
            mb("member", "directory", c.dir, "--json", *args).splitlines()
            if l.strip()]


def has(c, uri):
    return any(l.strip() and json.loads(l)["item"]["uri"] == uri
               for l in mb("export", c.dir).splitlines())


def tallies(p):
    return {t["center"]: t for t in p["tallies"]}


def network(w):
    hq = Center(w.root, "moscow", "RU", "ru,en")
    hq.start()
    w.procs.append(hq)
    cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    manama = Center(w.root, "manama", "BH", "ar,en", hq=hq)
    for b in (cairo, manama):
        b.start()
        w.procs.append(b)
        admit(hq, b)
    return hq, cairo, manama


def stop_all(w):
    for c in w.procs:
        c.stop()


def test_network_vote(w):
    w.procs = []
    try:
        run_network_vote(w)
    finally:
        stop_all(w)


CONTACTS = ["zeinab.private@example.org", "+20 100 555 0101",
            "adel.private@example.org", "khalid.private@example.org",
            "+973 3900 0202", "hidden.member@example.org",
            "olga.private@example.org"]


def run_network_vote(w):
    hq, cairo, manama = network(w)
    # Members at home. Contact fields are given everywhere: they must
    # never be seen outside their center.
    mb("user", "add", cairo.dir, "zeinab", "--role", "member")
    z_id, z_uri = member_add(cairo, "Zeinab Haddad", "diplomat", "EG",
                             "ar,en", CONTACTS[0], CONTACTS[1],
                             user="zeinab", bio="en=Former ambassador")
    a_id, a_uri = member_add(cairo, "Adel Mansour", "academic", "EG", "ar",
                             CONTACTS[2], audience="public")
    k_id, k_uri = member_add(manama, "Khalid Al-Said", "youth-representative",
                             "BH", "ar,en", CONTACTS[3], CONTACTS[4])
    h_id, h_uri = member_add(manama, "Hidden Member", "expert", "BH", "ar",
                             CONTACTS[5], audience="internal")
    o_id, o_uri = member_add(hq, "Olga Petrova", "journalist", "RU", "ru,en",
                             CONTACTS[6])
    # The directory travels: HQ and each branch show the network's.
    for c in (hq, cairo, manama):
        wait_for("the directory at " + c.id, lambda: {
            p["uri"] for p in directory(c)} >= {z_uri, a_uri, k_uri, o_uri},
            timeout=30)
        check(h_uri not in {p["uri"] for p in directory(c)},
              "an internal profile is in no directory (%s)" % c.id)
    d = {p["uri"]: p for p in directory(hq)}
    eq(d[z_uri]["center"], "cairo", "the home center")
    eq(d[z_uri]["bio"], {"en": "Former ambassador"}, "the bio")
    eq(d[k_uri]["category"], "youth-representative", "the category")
    eq([p["uri"] for p in directory(hq, "--country", "BH")], [k_uri],
       "filter by country")
    eq([p["uri"] for p in directory(hq, "--category", "academic")],
       [a_uri], "filter by category")
    eq(sorted(p["uri"] for p in directory(hq, "--language", "en")),
       sorted([z_uri, k_uri, o_uri]), "filter by language")
    eq(sorted(p["uri"] for p in directory(hq, "--center", "cairo")),
       sorted([z_uri, a_uri]), "filter by center")

    # A network proposal from Moscow, a secret poll.
    p = mb("agenda", "propose", hq.dir, "--member", o_id, "--title",
           "Joint coverage of water security", "--text",
           "Coverage shared by every center.", "--language", "en",
           "--closes", CLOSES, "--threshold", "3", "--event",
           "Network conference 2027", "--poll", "secret",
           "--topics", "water,environment").strip()
    # A draft stays home; nobody votes on it.
    r = mb("agenda", "vote", hq.dir, p, "--member", o_id, full=True,
           check=False)
    eq(r.returncode, 1, "a vote on a draft is refused")
    mb("agenda", "admit", hq.dir, p)
    for c in (cairo, manama):
        wait_for("the proposal at " + c.id, lambda: has(c, p), timeout=30)
    # Votes at home: two at Cairo, one at Manama; a second is refused.
    mb("agenda", "vote", cairo.dir, p, "--member", z_id)
    mb("agenda", "vote", cairo.dir, p, "--member", a_id, "--choice", "yes")
    r = mb("agenda", "vote", cairo.dir, p, "--member", z_id, "--choice",
           "no", full=True, check=False)
    eq(r.returncode, 1, "a second vote is refused")
    check("already voted" in r.stderr, "says why", r.stderr)
    mb("agenda", "vote", manama.dir, p, "--member", k_id)
    # An internal member cannot be counted by the network: refused.
    r = mb("agenda", "vote", manama.dir, p, "--member", h_id, full=True,
           check=False)
    eq(r.returncode, 1, "an uncountable member's network vote")
    # A member of another center does not vote here.
    r = mb("agenda", "vote", manama.dir, p, "--member", z_uri, full=True,
           check=False)
    eq(r.returncode, 1, "a member votes at home only")
    # The secret ballots hold no member and no time.
    db = os.path.join(cairo.dir, "store.db")
    if os.path.exists(db):
        import sqlite3
        con = sqlite3.connect(db)
        cols = [r[1] for r in con.execute("PRAGMA table_info("
                                          "agenda_ballots)")]
        eq(sorted(cols), ["choice", "id", "proposal"], "ballot columns")
        eq(con.execute("SELECT count(*) FROM agenda_voted WHERE choice IS "
                       "NOT NULL OR created_ms IS NOT NULL").fetchone()[0],
           0, "who voted, without choice or time")
        eq(con.execute("SELECT count(*) FROM agenda_ballots").fetchone()[0],
           2, "two ballots")
        con.close()
    # Secret: no tally until one is published; then each center's.
    eq(show(cairo, p)["total"]["voters"], 0, "nothing tallied yet")
    mb("agenda", "tally", cairo.dir, p)
    mb("agenda", "tally", manama.dir, p)
    wait_for("both tallies at HQ", lambda: set(tallies(show(hq, p))) >=
             {"cairo", "manama"}, timeout=30)
    res = show(hq, p)
    t = tallies(res)
    eq((t["cairo"]["yes"], t["cairo"]["voters"], t["cairo"]["status"]),
       (2, 2, "counted"), "Cairo's tally at HQ")
    eq((t["manama"]["yes"], t["manama"]["voters"], t["manama"]["status"]),
       (1, 1, "counted"), "Manama's tally at HQ")
    eq(res["total"], {"yes": 3, "no": 0, "abstain": 0, "voters": 3},
       "HQ's total")

    # An inflated tally, signed by Manama itself: 50 voters, 1 member
    # published. Stored (it is Manama's), refused from the result.
    turi = t["manama"]["uri"]
    infl = {"uri": turi, "version": "9", "type": "text", "profile": "tally",
            "language": "en", "headlines": [{"value": "inflated"}],
            "descriptions": [{"role": "mb:tally", "contentType":
                              "application/json", "value": json.dumps({
                                  "proposal": p, "center": "manama",
                                  "yes": 50, "no": 0, "abstain": 0,
                                  "voters": 50})}]}
    path = os.path.join(w.root, "inflated.ndjson")
    with open(path, "w") as f:
        f.write(json.dumps(infl) + "\n")
    mb("import", manama.dir, "--audience", "network", path)
    wait_for("the inflated tally at HQ", lambda: tallies(show(hq, p))
             ["manama"]["version"] == 9, timeout=30)
    res = show(hq, p)
    t = tallies(res)
    eq(t["manama"]["status"], "refused", "an inflated tally")
    check("50 voters" in t["manama"]["reason"], "says why",
          t["manama"]["reason"])
    eq(res["total"]["yes"], 2, "the total without it")
    # A forged tally: Cairo's uri, signed by Manama: never stored.
    env = json.loads(mb("export", manama.dir).splitlines()[-1])
    check(env["item"]["uri"] == turi, "the last export line is the tally")
    forged = dict(env)
    forged["item"] = dict(env["item"], uri=t["cairo"]["uri"],
                          version="7")
    forged["meta"] = dict(env["meta"], origin="cairo")
    path = os.path.join(w.root, "forged.ndjson")
    with open(path, "w") as f:
        f.write(json.dumps(forged) + "\n")
    r = mb("import", hq.dir, path, full=True, check=False)
    check(r.returncode != 0, "a forged tally is refused", r.stdout)
    eq(tallies(show(hq, p))["cairo"]["version"], t["cairo"]["version"],
       "Cairo's tally unchanged")
    # Manama publishes an honest tally again (its counts are its own).
    mb("agenda", "tally", manama.dir, p)

    # Moscow's own members vote too; close: accepted onto the agenda.
    mb("agenda", "vote", hq.dir, p, "--member", o_id)
    wait_for("Manama's honest tally again", lambda: tallies(show(hq, p))
             ["manama"]["status"] == "counted", timeout=30)
    mb("agenda", "close", hq.dir, p)
    res = show(hq, p)
    eq(res["state"], "accepted", "three supports or more")
    eq(res["agenda"], "Network conference 2027", "on the event's agenda")
    eq(res["total"]["yes"], 4, "Moscow, Cairo and Manama")
    r = mb("agenda", "vote", manama.dir, p, "--member", k_id, full=True,
           check=False)
    eq(r.returncode, 1, "closed here too once the close arrives, or voted")
    mb("agenda", "answer", hq.dir, p, "--text",
       "The organisers put it first on the programme.")
    wait_for("the answer at Cairo", lambda: show(cairo, p).get("answer") ==
             "The organisers put it first on the programme.", timeout=30)
    eq(show(cairo, p)["state"], "accepted", "the result travels")

    # A suspended member leaves every directory; a removed one too.
    mb("member", "suspend", cairo.dir, z_id)
    mb("member", "remove", manama.dir, k_id)
    for c in (hq, cairo, manama):
        wait_for("withdrawals at " + c.id, lambda: not ({z_uri, k_uri} &
                 {x["uri"] for x in directory(c)}), timeout=30)
    r = mb("agenda", "vote", cairo.dir, p, "--member", z_id, full=True,
           check=False)
    check(r.returncode == 1 and "suspended" in r.stderr,
          "a suspended member does not vote", r.stderr)
    mb("member", "reinstate", cairo.dir, z_id)
    wait_for("reinstated at HQ", lambda: z_uri in
             {x["uri"] for x in directory(hq)}, timeout=30)

    # Everything that leaves a center, searched for the contact fields.
    leaving = []
    for c in (hq, cairo, manama):
        leaving.append(("export " + c.id, mb("export", c.dir)))
        for path in ("/feeds/en.atom", "/feeds/en.json", "/feeds/ar.atom",
                     "/feeds/ru.json", "/api/v1/items?limit=100",
                     "/api/v1/items?profile=member&limit=100",
                     "/federation/v1/center"):
            st, body = http_get(c.url + path)
            leaving.append(("%s %s" % (c.id, path), body.decode()))
        for peer in (hq, cairo, manama):
            if peer is c:
                continue
            log = c.url + "/federation/v1/log?after=0&limit=1000&wait=0"
            hdrs = dict(l.split(": ", 1) for l in mb(
                "sync", peer.dir, "--sign-get", log).splitlines())
            st, body = http_get(log, hdrs)
            eq(st, 200, "a signed log request")
            leaving.append(("%s log to %s" % (c.id, peer.id),
                            body.decode()))
    # Offline bundles, every member of the tar read (the media too).
    for c in (hq, cairo, manama):
        for peer in (hq, cairo, manama):
            if peer is c:
                continue
            out = os.path.join(w.root, "%s-for-%s.mbundle" % (c.id, peer.id))
            mb("bundle", "export", c.dir, "--for", peer.id, "--media",
               "all", "-o", out)
            leaving.append(("%s bundle for %s" % (c.id, peer.id),
                            bundle_text(out)))
    check(any(z_uri in text for _, text in leaving),
          "the profiles did leave (the search looks at real answers)")
    check(any(z_uri in t for w_, t in leaving if "bundle" in w_),
          "the bundles carry the profiles")
    for what, text in leaving:
        for secret in CONTACTS + ["private@example.org"]:
            check(secret not in text, "a contact field in " + what, secret)
    # The record at home keeps them.
    rec = json.loads(mb("member", "show", cairo.dir, z_id, "--json"))
    eq((rec["email"], rec["phone"]), (CONTACTS[0], CONTACTS[1]),
       "the record at home")
    for c in (hq, cairo, manama):
        mb("verify", c.dir)


# Given to a record made internal: never to be seen outside its center.
INTERNAL = "INTERNAL_ONLY_8f3a61"


def blob_hashes(c):
    """The hashes of the blobs c holds, each as a file name (hex) and as
    an item's href writes it (ni:///sha-256;base64url)."""
    import base64
    out = set()
    for _, _, files in os.walk(os.path.join(c.dir, "blobs")):
        for f in files:
            if len(f) == 64 and not f.startswith("."):
                out.add(f)
                out.add(base64.urlsafe_b64encode(bytes.fromhex(f)).decode()
                        .rstrip("="))
    return out


def profile_versions(c, uri):
    """The items of uri's versions that c holds, oldest first."""
    return [e["item"] for e in (json.loads(l) for l in
            mb("export", c.dir).splitlines() if l.strip())
            if e["item"]["uri"] == uri]


def test_internal_profile(w):
    w.procs = []
    try:
        run_internal_profile(w)
    finally:
        stop_all(w)


def run_internal_profile(w):
    hq = Center(w.root, "moscow", "RU", "ru,en")
    hq.start()
    w.procs.append(hq)
    cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    cairo.start()
    w.procs.append(cairo)
    admit(hq, cairo)
    add_user(cairo, "ada", "admin")
    ada = Browser(cairo)
    ada.login("ada", "/newsroom/login")
    ada.get("/newsroom/members")    # its CSRF token

    def photo(name, caption, size):
        st, _, page = ada.upload("/newsroom/members/%s/photo" % z_id,
                                 {"caption": caption}, name, "image/png",
                                 png(size, size))
        check(st == 303, "a photo uploaded", st, page[-2000:])

    def dir_uris():
        return {p["uri"] for p in directory(hq)}

    z_id, z_uri = member_add(cairo, "Zeinab Haddad", "diplomat", "EG",
                             "ar,en", CONTACTS[0], bio="en=Former ambassador")
    photo("z1.png", "Zeinab in 2025", 96)
    wait_for("the profile at HQ", lambda: any(
        p["uri"] == z_uri and "photo" in p for p in directory(hq)),
        timeout=30)
    # Made internal: one withdrawal, and the profile leaves HQ's directory.
    mb("member", "edit", cairo.dir, z_id, "--audience", "internal")
    wait_for("withdrawn at HQ", lambda: z_uri not in dir_uris(), timeout=30)
    signed = profile_versions(cairo, z_uri)
    # What the record gets now is for this center only.
    before = blob_hashes(cairo)
    mb("member", "edit", cairo.dir, z_id, "--bio", "en=" + INTERNAL,
       "--affiliation", INTERNAL)
    photo("z2.png", INTERNAL, 128)
    fresh = blob_hashes(cairo) - before
    check(fresh, "the new photo's blobs are stored at home")
    mb("member", "edit", cairo.dir, z_id, "--phone", "+20 100 555 0303")
    mb("member", "suspend", cairo.dir, z_id)
    mb("member", "reinstate", cairo.dir, z_id)
    rec = json.loads(mb("member", "show", cairo.dir, z_id, "--json"))
    eq((rec["bio"], rec["affiliation"], rec["audience"]),
       ({"en": INTERNAL}, INTERNAL, "internal"), "the record at home")
    st, _, page = ada.get("/newsroom/members")
    check('<tr id="member-%s">' % z_id in page, "staff still see the "
          "record", page[-3000:])
    # Whatever leaves Cairo for HQ, and what HQ holds once synced.
    log = cairo.url + "/federation/v1/log?after=0&limit=1000&wait=0"
    hdrs = dict(l.split(": ", 1) for l in mb(
        "sync", hq.dir, "--sign-get", log).splitlines())
    st, body = http_get(log, hdrs)
    eq(st, 200, "a signed log request")
    out = os.path.join(w.root, "cairo-for-moscow.mbundle")
    mb("bundle", "export", cairo.dir, "--for", "moscow", "--media", "all",
       "-o", out)
    last = profile_versions(cairo, z_uri)[-1]["version"]
    wait_for("HQ has Cairo's last version", lambda: any(
        i["version"] == last for i in profile_versions(hq, z_uri)),
        timeout=30)
    leaving = [("cairo log to moscow", body.decode()),
               ("cairo bundle for moscow", bundle_text(out)),
               ("export moscow", mb("export", hq.dir)),
               ("moscow directory", mb("member", "directory", hq.dir,
                                       "--json"))]
    check(z_uri in leaving[0][1], "the log does carry the profile")
    for what, text in leaving:
        check(INTERNAL not in text, "an internal bio or affiliation in " +
              what)
        for h in fresh:
            check(h not in text, "an internal photo in " + what, h)
    # HQ sees it withdrawn, and nothing more of it.
    at_hq = profile_versions(hq, z_uri)[-1]
    eq(at_hq["pubStatus"], "withheld", "withdrawn at HQ")
    eq(sorted(at_hq), sorted(["uri", "type", "profile", "language",
                              "pubStatus", "headlines", "version",
                              "versionCreated", "firstCreated"]),
       "a withdrawal carries no more than its name")
    eq(at_hq["headlines"], [{"value": "A member's profile, withdrawn"}],
       "the withdrawal's headline")
    # Signed once: the edits, the photo, a suspension signed nothing.
    eq(profile_versions(cairo, z_uri), signed, "one withdrawal, once")
    eq(len(signed), 3, "added, its photo, withdrawn")
    # Back on the network: the whole profile again, as it is now.
    mb("member", "edit", cairo.dir, z_id, "--audience", "network")
    wait_for("the profile back at HQ", lambda: any(
        p["uri"] == z_uri and p["bio"] == {"en": INTERNAL} and
        any(h in json.dumps(p.get("photo")) for h in fresh)
        for p in directory(hq)), timeout=30)
    eq(profile_versions(cairo, z_uri)[-1]["pubStatus"], "usable",
       "published again")
    # Internal from the start: nothing signed, whatever it gets.
    h_id, h_uri = member_add(cairo, "Hidden Member", "expert", "EG", "ar",
                             CONTACTS[5], audience="internal")
    mb("member", "edit", cairo.dir, h_id, "--bio", "en=" + INTERNAL)
    mb("member", "suspend", cairo.dir, h_id)
    eq(profile_versions(cairo, h_uri), [], "never published")
    for c in (hq, cairo):
        mb("verify", c.dir)


def bundle_text(path):
    """Every member of a bundle (tar + zstd), as one text to search."""
    import io
    import tarfile
    raw = subprocess.run(["zstd", "-dc", path], check=True,
                         capture_output=True).stdout
    parts = []
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        for m in t.getmembers():
            if m.isfile():
                parts.append(m.name)
                parts.append(t.extractfile(m).read().decode("utf-8",
                                                            "replace"))
    return "\n".join(parts)


def api(c, method, path, body=None, token=None):
    """One request to c's API: (status, JSON or None)."""
    import http.client
    conn = http.client.HTTPConnection(c.addr, timeout=60)
    hdrs = {"Content-Type": "application/json"}
    if token:
        hdrs["Authorization"] = "Bearer " + token
    conn.request(method, path, json.dumps(body) if body is not None
                 else None, hdrs)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    try:
        return r.status, json.loads(data) if data else None
    except ValueError:
        return r.status, None


def test_api_one_member_one_vote(w):
    """The API; 200 concurrent votes by one member: one counts."""
    c = Center(w.root, "cairo", "EG", "ar,en")
    mb("user", "add", c.dir, "samira", "--role", "member")
    mb("user", "add", c.dir, "boss", "--role", "admin")
    mb("user", "add", c.dir, "ed", "--role", "editor")
    mb("user", "add", c.dir, "reader", "--role", "member")
    tok = mb("token", "add", c.dir, "samira").strip()
    admin = mb("token", "add", c.dir, "boss").strip()
    ed = mb("token", "add", c.dir, "ed").strip()
    other = mb("token", "add", c.dir, "reader").strip()
    c.start()
    try:
        # An admin adds a member over the API; a member may not.
        st, rec = api(c, "POST", "/api/v1/members", {
            "name": "Samira Nabil", "category": "expert", "country": "EG",
            "languages": "ar,en", "email": "samira.private@example.org",
            "user": "samira", "bio": {"en": "Hydrologist"}}, admin)
        eq(st, 201, "an admin adds a member")
        eq(rec["email"], "samira.private@example.org", "the record")
        st, _ = api(c, "POST", "/api/v1/members", {"name": "X"}, tok)
        eq(st, 403, "a member adds no member")
        st, _ = api(c, "POST", "/api/v1/members", {
            "name": "X", "category": "expert", "country": "EG",
            "languages": "ar", "bio": {"en": "<script>x</script>"}}, admin)
        eq(st, 400, "script in a bio")
        st, body = api(c, "GET", "/api/v1/members?lang=en")
        eq((st, body["members"]), (200, []), "a network profile is not "
           "public")
        st, body = api(c, "GET", "/api/v1/members?lang=en", token=other)
        eq([m["name"] for m in body["members"]], ["Samira Nabil"],
           "the directory by language, to a member")
        check("samira.private" not in json.dumps(body), "no contact field")
        loc = rec["uri"].split(":")
        path = "/api/v1/members/%s/%s" % (loc[2], loc[3])
        st, prof = api(c, "GET", path, token=other)
        eq((st, prof["bio"]), (200, {"en": "Hydrologist"}), "a profile")
        # The member edits their own profile, not their category.
        st, _ = api(c, "PUT", path, {"affiliation": "Cairo University"},
                    tok)
        eq(st, 200, "a member edits their profile")
        st, _ = api(c, "PUT", path, {"category": "politician"}, tok)
        eq(st, 403, "but not their category")
        st, _ = api(c, "PUT", path, {"affiliation": "Elsewhere"}, other)
        eq(st, 403, "nor someone else's profile")
        # A proposal by the member; admitted by an editor.
        st, body = api(c, "POST", "/api/v1/proposals", {
            "title": "Rivers", "text": "Cover the rivers.", "language":
            "en", "closes": CLOSES, "threshold": 1, "poll": "open"}, tok)
        eq(st, 201, "a member proposes")
        p = body["uri"]
        pl = p.split(":")
        ppath = "/api/v1/proposals/%s/%s" % (pl[2], pl[3])
        st, _ = api(c, "GET", ppath)
        eq(st, 404, "a draft is not public")
        st, _ = api(c, "POST", ppath + "/admit", None, tok)
        eq(st, 403, "a member does not admit")
        st, _ = api(c, "POST", ppath + "/admit", None, ed)
        eq(st, 204, "an editor admits")
        st, _ = api(c, "POST", ppath + "/vote", {"choice": "yes"})
        eq(st, 401, "a reader does not vote")
        st, _ = api(c, "POST", ppath + "/vote", {"choice": "yes"}, ed)
        eq(st, 403, "staff without a member record do not vote")
        st, _ = api(c, "POST", "/api/v1/proposals", {
            "title": "Big", "text": "x" * (5 * 1024 * 1024), "language":
            "en", "closes": CLOSES, "threshold": 1}, tok)
        eq(st, 413, "a 5 MB proposal")
        # A field of the wrong type is refused, naming it, not defaulted
        # (the old binary made a network proposal in an open poll).
        for field, value in (("scope", ["center"]), ("poll", True),
                             ("title", 7), ("threshold", "2")):
            body = {"title": "Typed", "text": "x", "language": "en",
                    "closes": CLOSES, "threshold": 1, "poll": "secret"}
            body[field] = value
            st, res = api(c, "POST", "/api/v1/proposals", body, tok)
            check(st == 400 and res["error"]["message"].startswith(field),
                  "a %s of the wrong type" % field, st, res)
        # A malformed vote is refused, never cast as a yes (the old binary
        # counted it, and the member's real vote was then 409).
        for what, body in (("no body", None), ("a null choice",
                           {"choice": None}), ("another key",
                           {"Choice": "no"}), ("a number", {"choice": 1})):
            st, res = api(c, "POST", ppath + "/vote", body, tok)
            check(st == 400 and "choice" in res["error"]["message"],
                  "a vote with " + what, st, res)

        def attempt(i):
            return api(c, "POST", ppath + "/vote",
                       {"choice": ("yes", "no")[i % 2]}, tok)
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=50) as ex:
            results = list(ex.map(attempt, range(200)))
        codes = sorted(st for st, _ in results)
        eq(codes.count(204), 1, "one attempt counts")
        eq(codes.count(409), 199, "the others: already voted")
        check(all(b["error"]["code"] == "already_voted"
                  for st, b in results if st == 409), "coded")
        st, res = api(c, "GET", ppath, token=tok)
        eq(res["total"]["voters"], 1, "one voter")
        eq(res["total"]["yes"] + res["total"]["no"], 1, "one vote")
        eq(tallies(res)["cairo"]["status"], "counted", "the open tally")
        print("200 concurrent votes in %.1fs" % (time.monotonic() - t0))
        # The same through the CLI, beside the server: refused.
        r = mb("agenda", "vote", c.dir, p, "--member", "samira", full=True,
               check=False)
        check(r.returncode == 1 and "already voted" in r.stderr,
              "a vote from another door", r.stderr)
        # Comments, three reports hide one, a moderator shows it again.
        st, body = api(c, "POST", ppath + "/comment", {"text": "Yes!"}, tok)
        eq(st, 200, "a comment")
        target = "comment:%d" % body["id"]
        mids = []
        for i in range(3):
            mb("user", "add", c.dir, "m%d" % i, "--role", "member")
            member_add(c, "M%d" % i, "other", "EG", "ar",
                       "m%d@example.org" % i, user="m%d" % i)
            mids.append(mb("token", "add", c.dir, "m%d" % i).strip())
        for i, t in enumerate(mids):
            r = mb("agenda", "report", c.dir, target, "--member", "m%d" % i)
            eq(r.strip(), "hidden" if i == 2 else "reported",
               "report %d" % (i + 1))
        r = mb("agenda", "report", c.dir, target, "--member", "m0",
               full=True, check=False)
        eq(r.returncode, 1, "one report per member")
        # Nothing is reported or moderated that is not there (the old
        # binary said "reported" and 204).
        for bad in ("comment:9999", "comment:abc", "comment:0%d" %
                    body["id"], "urn:mediabridge:cairo:nope"):
            r = mb("agenda", "report", c.dir, bad, "--member", "m1",
                   full=True, check=False)
            check(r.returncode == 1 and "no such" in r.stderr,
                  "a report of " + bad, r.stdout, r.stderr)
            r = mb("agenda", "moderate", c.dir, bad, "--hide", full=True,
                   check=False)
            check(r.returncode == 1 and "no such" in r.stderr,
                  "a moderation of " + bad, r.stdout, r.stderr)
        st, _ = api(c, "POST", "/api/v1/proposals/cairo/nope/hide", None, ed)
        eq(st, 404, "hiding an unknown proposal")
        st, _ = api(c, "POST", "/api/v1/proposals/cairo/nope/report", None,
                    tok)
        eq(st, 404, "reporting an unknown proposal")
        # An account already another member's is not linked again (the
        # old binary answered 500, the CLI SQLite's words).
        st, res = api(c, "PUT", path, {"user": "m0"}, admin)
        check(st == 409 and res["error"]["message"] ==
              "user: m0 is already a member's account", "a taken account",
              st, res)
        r = mb("member", "edit", c.dir, "samira", "--user", "m1", full=True,
               check=False)
        check(r.returncode == 1 and "user: m1 is already a member's "
              "account" in r.stderr, "a taken account, CLI", r.stderr)
        st, _ = api(c, "PUT", path, {"user": "samira"}, admin)
        eq(st, 200, "the member's own account stays theirs")
        st, _ = api(c, "POST", ppath + "/show", None, tok)
        eq(st, 403, "a member does not moderate")
        st, _ = api(c, "POST", ppath + "/show", None, ed)
        eq(st, 204, "a moderator does")
        # Suspended: no vote.
        mb("member", "suspend", c.dir, "m0")
        st, body = api(c, "POST", ppath + "/vote", {"choice": "no"}, mids[0])
        eq(st, 403, "a suspended member votes not")
    finally:
        c.stop()


def test_center_secret_poll(w):
    """A center proposal in a secret poll shows no count until it
    closes: a count that moves after each vote, beside the moments the
    members voted, says who voted what (the old binary showed yes and no
    change vote by vote). An open poll's count follows each vote; the
    close counts the secret one once, and from then on it is shown."""
    c = Center(w.root, "cairo", "EG", "ar,en")
    ids = [member_add(c, "Member %d" % i, "expert", "EG", "ar",
                      "m%d@example.org" % i)[0] for i in range(3)]

    def propose(poll):
        p = mb("agenda", "propose", c.dir, "--member", ids[0], "--title",
               "Local %s" % poll, "--text", "At this center.", "--language",
               "en", "--closes", CLOSES, "--threshold", "2", "--scope",
               "center", "--poll", poll).strip()
        mb("agenda", "admit", c.dir, p)
        return p

    secret, open_ = propose("secret"), propose("open")
    for i, choice in enumerate(("yes", "no", "yes")):
        for p in (secret, open_):
            mb("agenda", "vote", c.dir, p, "--member", ids[i], "--choice",
               choice)
        s = show(c, secret)
        eq((s["total"], s["tallies"]), ({"yes": 0, "no": 0, "abstain": 0,
                                         "voters": 0}, []),
           "no count of a secret poll after vote %d" % (i + 1))
        o = show(c, open_)
        eq(o["total"]["voters"], i + 1, "an open poll's count follows")
    mb("agenda", "close", c.dir, secret)
    s = show(c, secret)
    eq(s["state"], "accepted", "two supports of two")
    eq(s["total"], {"yes": 2, "no": 1, "abstain": 0, "voters": 3},
       "counted at the close")
    eq(s["result"], s["total"], "the result signed with the close")
    eq(tallies(s)["cairo"]["voters"], 3, "this center's count, closed")


def test_withdrawn_voter(w):
    """A voter withdrawn after voting (profile made internal, suspended)
    takes their open vote out of the next tally and nothing else: the
    old binary counted every vote row, so its own tally claimed more
    voters than its published members and was refused in full. A secret
    ballot, which nothing ties to its voter, stays counted, and the check
    counts withdrawn profiles among the members the network knows."""
    c = Center(w.root, "moscow", "RU", "ru,en")
    ids = [member_add(c, "Voter %d" % i, "expert", "RU", "en",
                      "v%d@example.org" % i)[0] for i in range(2)]

    def propose(poll):
        p = mb("agenda", "propose", c.dir, "--member", ids[0], "--title",
               "Network %s" % poll, "--text", "For the network.",
               "--language", "en", "--closes", CLOSES, "--threshold", "2",
               "--poll", poll).strip()
        mb("agenda", "admit", c.dir, p)
        for i in ids:
            mb("agenda", "vote", c.dir, p, "--member", i, "--choice", "yes")
        return p

    open_, secret = propose("open"), propose("secret")
    mb("agenda", "tally", c.dir, secret)
    eq(show(c, open_)["total"]["yes"], 2, "two open supports")
    mb("member", "edit", c.dir, ids[1], "--audience", "internal")
    s = show(c, open_)
    eq(tallies(s)["moscow"]["status"], "counted",
       "the tally signed before the withdrawal still counts")
    mb("agenda", "tally", c.dir, open_)
    s = show(c, open_)
    eq((tallies(s)["moscow"]["status"], s["total"]),
       ("counted", {"yes": 1, "no": 0, "abstain": 0, "voters": 1}),
       "the withdrawn voter's open vote drops out, only it")
    mb("agenda", "close", c.dir, open_)
    s = show(c, open_)
    eq((s["state"], s["result"]["yes"]), ("rejected", 1),
       "one support of two")
    mb("member", "suspend", c.dir, ids[1])
    mb("agenda", "close", c.dir, secret)
    s = show(c, secret)
    eq((tallies(s)["moscow"]["status"], s["total"]["voters"], s["state"]),
       ("counted", 2, "accepted"), "a cast secret ballot stays counted")


def test_bad_input(w):
    c = Center(w.root, "cairo", "EG", "ar,en")
    m_id, _ = member_add(c, "Samira", "expert", "EG", "ar", "s@example.org")
    before = mb("export", c.dir)

    def refused(what, *args):
        r = mb(*args, full=True, check=False)
        check(r.returncode != 0, what + " refused", r.stdout)
        check(r.stderr.startswith("mediabridge: "), what + ": a clear error",
              r.stderr)
        return r.stderr

    err = refused("script in a bio", "member", "add", c.dir, "--name", "X",
                  "--category", "expert", "--country", "EG", "--languages",
                  "ar", "--bio", "en=<script>alert(1)</script>")
    check("bio.en" in err, "names the field", err)
    refused("a category", "member", "add", c.dir, "--name", "X",
            "--category", "king", "--country", "EG", "--languages", "ar")
    refused("a country", "member", "add", c.dir, "--name", "X",
            "--category", "expert", "--country", "Egypt", "--languages",
            "ar")
    refused("an audience", "member", "add", c.dir, "--name", "X",
            "--category", "expert", "--country", "EG", "--languages", "ar",
            "--audience", "everyone")
    refused("an account that is not a member's", "member", "add", c.dir,
            "--name", "X", "--category", "expert", "--country", "EG",
            "--languages", "ar", "--user", "nobody")
    big = os.path.join(w.root, "big.txt")
    with open(big, "w") as f:
        f.write("x" * (5 * 1024 * 1024))
    # A 5 MB body, passed as an argument would exceed the argument limit:
    # the limit is checked the same way at any size above 20,000 bytes.
    err = refused("a large body", "agenda", "propose", c.dir, "--member",
                  m_id, "--title", "T", "--text", "x" * 100000,
                  "--language", "en", "--closes", CLOSES, "--threshold",
                  "1")
    check("longer than" in err, "says the limit", err)
    refused("a closing date in the past", "agenda", "propose", c.dir,
            "--member", m_id, "--title", "T", "--text", "x", "--language",
            "en", "--closes", "2020-01-01T00:00:00Z", "--threshold", "1")
    refused("no threshold", "agenda", "propose", c.dir, "--member", m_id,
            "--title", "T", "--text", "x", "--language", "en", "--closes",
            CLOSES, "--threshold", "0")
    refused("an unknown proposal", "agenda", "vote", c.dir,
            "urn:mediabridge:cairo:nothing", "--member", m_id)
    eq(mb("export", c.dir), before, "nothing changed")


def test_gc_keeps_suspended_photo(w):
    w.procs = []
    try:
        run_gc_keeps_suspended_photo(w)
    finally:
        stop_all(w)


def run_gc_keeps_suspended_photo(w):
    """A suspended member's profile carries no photo, but the record
    keeps it for the profile reinstating makes: gc keeps its blobs."""
    c = Center(w.root, "cairo", "EG", "ar,en")
    c.start()
    w.procs.append(c)
    add_user(c, "ada", "admin")
    ada = Browser(c)
    ada.login("ada", "/newsroom/login")
    ada.get("/newsroom/members")    # its CSRF token
    mid, uri = member_add(c, "Zeinab Haddad", "diplomat", "EG", "ar,en",
                          CONTACTS[0])
    st, _, page = ada.upload("/newsroom/members/%s/photo" % mid,
                             {"caption": "Zeinab"}, "z.png", "image/png",
                             png(96, 96))
    eq(st, 303, "a photo uploaded")
    files = {f for f in blob_hashes(c) if len(f) == 64}
    check(files, "the photo's blobs")
    mb("member", "suspend", c.dir, mid)
    out = mb("gc", c.dir, "--grace", "0")
    check("removed 0 blobs" in out, "gc removed none", out)
    eq({f for f in blob_hashes(c) if len(f) == 64}, files, "blobs kept")
    mb("member", "reinstate", c.dir, mid)
    hrefs = [r["href"] for a in profile_versions(c, uri)[-1]
             .get("associations", [])
             for r in a.get("renditions", [])]
    check(hrefs, "the reinstated profile's photo")
    for h in hrefs:
        check(any(x in h for x in blob_hashes(c)), "its blob here", h)
    for f in files:
        st, _ = http_get(c.url + "/media/" + f)
        eq(st, 200, "served: " + f)


def test_secret_poll_close(w):
    """A secret poll's ballots cast at another center count at the close:
    the old binary signed no tally of them (a secret poll's waits for a
    moderator), and HQ closed at the closing date without them
    (rejected, 0 voters). Now Cairo signs its final count when the date
    passes, and HQ closes MB_AGENDA_GRACE_MS later, with it."""
    env = dict(ENV, MB_AGENDA_POLL_MS="300", MB_AGENDA_GRACE_MS="3000")
    hq = Center(w.root, "moscow", "RU", "ru,en")
    w.procs = [hq]
    try:
        hq.start(env=env)
        cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        cairo.start(env=env)
        w.procs.append(cairo)
        admit(hq, cairo)
        o_id, _ = member_add(hq, "Olga Petrova", "journalist", "RU", "ru",
                             "olga@example.org")
        z_id, z_uri = member_add(cairo, "Zeinab Haddad", "diplomat", "EG",
                                 "ar", "zeinab@example.org")
        wait_for("Zeinab's profile at HQ", lambda: z_uri in {
            p["uri"] for p in directory(hq)}, timeout=30)
        closes = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                               time.gmtime(time.time() + 12))
        p = mb("agenda", "propose", hq.dir, "--member", o_id, "--title",
               "Secret", "--text", "A secret poll.", "--language", "en",
               "--closes", closes, "--threshold", "1", "--poll",
               "secret").strip()
        mb("agenda", "admit", hq.dir, p)
        wait_for("the proposal at Cairo", lambda: has(cairo, p), timeout=10)
        mb("agenda", "vote", cairo.dir, p, "--member", z_id, "--choice",
           "yes")
        wait_for("the close at HQ", lambda: show(hq, p)["state"] != "open",
                 timeout=40)
        res = show(hq, p)
        eq(res["state"], "accepted", "Cairo's ballot counted")
        eq(res["result"]["voters"], 1, "the signed result")
        eq(tallies(res)["cairo"]["status"], "counted", "Cairo's tally")
    finally:
        stop_all(w)


def test_tally_after_close(w):
    """No tally after the close, and a closed proposal's total is its
    signed result: the old binary let Cairo sign a tally of a closed
    proposal, and HQ's total then showed votes its result did not
    count."""
    hq = Center(w.root, "moscow", "RU", "ru,en")
    w.procs = [hq]
    try:
        hq.start()
        cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        cairo.start()
        w.procs.append(cairo)
        admit(hq, cairo)
        o_id, _ = member_add(hq, "Olga Petrova", "journalist", "RU", "ru",
                             "olga@example.org")
        z_id, z_uri = member_add(cairo, "Zeinab Haddad", "diplomat", "EG",
                                 "ar", "zeinab@example.org")
        wait_for("Zeinab's profile at HQ", lambda: z_uri in {
            p["uri"] for p in directory(hq)}, timeout=30)
        p = mb("agenda", "propose", hq.dir, "--member", o_id, "--title",
               "Secret", "--text", "A secret poll.", "--language", "en",
               "--closes", CLOSES, "--threshold", "1", "--poll",
               "secret").strip()
        mb("agenda", "admit", hq.dir, p)
        wait_for("the proposal at Cairo", lambda: has(cairo, p), timeout=30)
        mb("agenda", "vote", cairo.dir, p, "--member", z_id, "--choice",
           "yes")
        # A moderator closes early, while Cairo is away: Cairo, which
        # has not heard of the close, signs its tally after it.
        cairo.stop()
        mb("agenda", "close", hq.dir, p)
        eq(show(hq, p)["state"], "rejected", "closed without Cairo's")
        mb("agenda", "tally", cairo.dir, p)
        cairo.start()
        wait_for("Cairo's late tally at HQ", lambda: "cairo" in tallies(
            show(hq, p)), timeout=30)
        res = show(hq, p)
        eq(tallies(res)["cairo"]["voters"], 1, "the late tally is listed")
        eq(res["total"], res["result"], "the total is the signed result")
        wait_for("the close at Cairo", lambda: show(cairo, p)["state"] ==
                 "rejected", timeout=30)
        r = mb("agenda", "tally", cairo.dir, p, full=True, check=False)
        eq(r.returncode, 1, "a tally after the close is refused")
        check("closed" in r.stderr, "says why", r.stderr)
        eq(res["total"]["voters"], 0, "no vote after the close counts")
    finally:
        stop_all(w)


if __name__ == "__main__":
    main(globals())
