#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Accounts and roles: every cell of docs/permissions.md against a real
serve process, plus sessions, CSRF, login throttling and the CLI."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
from mbtest import check, eq, main, pg_backend  # noqa: E402

ROLES = ["reader", "member", "translator", "journalist", "editor", "admin"]
USERS = {"member": "mem", "translator": "tra", "journalist": "jou",
         "editor": "edi", "admin": "adm"}


def read_table():
    path = os.path.join(os.environ.get("MB_SRCDIR", "."), "docs",
                        "permissions.md")
    rows = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 8 and cells[0] not in ("case", "---") and \
                    not cells[0].startswith("-"):
                rows[cells[0]] = dict(zip(ROLES, cells[2:]))
    check(len(rows) >= 25, "docs/permissions.md: table not found")
    return rows


def item(headline):
    return {"type": "text", "language": "en",
            "headlines": [{"value": headline}],
            "bodies": [{"value": "<p>%s, a story.</p>" % headline}]}


class Fix:
    """Fixtures made by the editor and a second journalist, fresh per cell."""

    def __init__(self, c):
        self.c = c
        self.ed = c.client(c.token_add("edi"))
        self.jo2 = c.client(c.token_add("jo2"))
        self.n = 0

    def path(self, env):
        _, _, center, local = env["item"]["uri"].split(":")
        return "/api/v1/items/%s/%s" % (center, local)

    def create(self, client, meta=None, name="x"):
        self.n += 1
        body = item("%s %d" % (name, self.n))
        if meta:
            body = {"item": body, "meta": meta}
        r = client.post("/api/v1/items", body)
        eq(r.status, 201, "fixture create: %s" % r.text)
        return r.json

    def published(self, audience="public"):
        return self.create(self.ed, {"workflow": "published",
                                     "audience": audience}, "pub")

    def act(self, client, env, action, body=None):
        r = client.post(self.path(env) + "/" + action, body)
        check(r.status == 200, "fixture %s" % action, r.status, r.text)
        return r.json

    def own(self, client, role):
        if role == "translator":
            src = self.published()
            return self.create(client, {"translation": {
                "of": src["item"]["uri"], "by": "human"}}, "tr")
        return self.create(client, None, "own")


def seq(c):
    return c.metric("mediabridge_log_seq")


def cell(case, role, f, cl, name):
    """Makes the case's fixture, returns (method, path, body, headers)."""
    pub = lambda a="public": f.published(a)  # noqa: E731
    if case == "read-public":
        return "GET", f.path(pub()), None, None
    if case == "read-network":
        return "GET", f.path(pub("network")), None, None
    if case == "read-internal":
        return "GET", f.path(pub("internal")), None, None
    if case == "read-draft-other":
        return "GET", f.path(f.create(f.jo2)), None, None
    if case == "read-draft-own":
        return "GET", f.path(f.own(cl, role)), None, None
    if case == "read-submitted-other":
        return "GET", f.path(f.act(f.jo2, f.create(f.jo2), "submit")), \
            None, None
    if case == "read-embargoed":
        e = pub()
        f.act(f.ed, e, "embargo", {"until": "2099-01-01T00:00:00Z"})
        return "GET", f.path(e), None, None
    if case == "read-withheld":
        e = pub()
        f.act(f.ed, e, "withhold")
        return "GET", f.path(e), None, None
    if case == "list":
        return "GET", "/api/v1/items", None, None
    if case == "create-draft":
        return "POST", "/api/v1/items", item("new"), None
    if case == "create-translation":
        src = pub()
        return "POST", "/api/v1/items", {"item": item("tr"), "meta": {
            "translation": {"of": src["item"]["uri"], "by": "human"}}}, None
    if case == "create-published":
        return "POST", "/api/v1/items", {"item": item("p"), "meta": {
            "workflow": "published"}}, None
    if case == "edit-own-draft":
        e = f.own(cl, role)
        return "PUT", f.path(e), item("edited"), {"If-Match": "1"}
    if case == "edit-other-draft":
        return "PUT", f.path(f.create(f.jo2)), item("edited"), \
            {"If-Match": "1"}
    if case == "edit-published":
        return "PUT", f.path(pub()), item("edited"), {"If-Match": "1"}
    if case == "submit-own":
        return "POST", f.path(f.own(cl, role)) + "/submit", None, None
    if case == "submit-other":
        return "POST", f.path(f.create(f.jo2)) + "/submit", None, None
    if case == "publish-own":
        e = f.own(cl, role)
        e = f.act(cl, e, "submit")
        return "POST", f.path(e) + "/publish", None, None
    if case == "publish-other":
        e = f.act(f.jo2, f.create(f.jo2), "submit")
        return "POST", f.path(e) + "/publish", None, None
    if case in ("withhold", "cancel"):
        return "POST", f.path(pub()) + "/" + case, None, None
    if case == "embargo":
        return "POST", f.path(pub()) + "/embargo", \
            {"until": "2099-01-01T00:00:00Z"}, None
    if case == "users-add":
        f.n += 1
        return "POST", "/api/v1/users", {"name": "new%d" % f.n,
                                         "role": "member"}, None
    if case == "users-list":
        return "GET", "/api/v1/users", None, None
    if case == "users-get":
        return "GET", "/api/v1/users/jo2", None, None
    if case == "token-own":
        return "POST", "/api/v1/users/%s/tokens" % (name or "nobody"), \
            None, None
    if case == "token-other":
        return "POST", "/api/v1/users/jo2/tokens", None, None
    if case == "tokens-list-own":
        return "GET", "/api/v1/tokens", None, None
    if case == "tokens-list-other":
        return "GET", "/api/v1/tokens?user=jo2", None, None
    if case == "token-revoke-own":
        # A second token of one's own, not the one the client uses.
        r = cl.post("/api/v1/users/%s/tokens" % name)
        eq(r.status, 201, "fixture token: %s" % r.text)
        return "DELETE", "/api/v1/tokens/" + r.json["id"], None, None
    if case == "token-revoke-other":
        r = f.jo2.post("/api/v1/users/jo2/tokens")
        eq(r.status, 201, "fixture token: %s" % r.text)
        return "DELETE", "/api/v1/tokens/" + r.json["id"], None, None
    if case in ("users-disable", "users-role", "users-password"):
        f.n += 1
        f.c.user_add("vic%d" % f.n, "journalist")
        body = {"users-disable": {"disabled": True},
                "users-role": {"role": "editor"},
                "users-password": {"password": "a new secret"}}[case]
        return "PUT", "/api/v1/users/vic%d" % f.n, body, None
    if case == "me":
        return "GET", "/api/v1/me", None, None
    if case == "changes":
        return "GET", "/api/v1/changes", None, None
    if case == "healthz":
        return "GET", "/healthz", None, None
    if case == "metrics":
        return "GET", "/metrics", None, None
    raise AssertionError("no fixture for case %s" % case)


def test_permission_table(w):
    c = w.center("cairo")
    for role, name in USERS.items():
        c.user_add(name, role)
    c.user_add("jo2", "journalist")
    c.serve()
    f = Fix(c)
    clients = {"reader": c.client()}
    for role, name in USERS.items():
        clients[role] = c.client(c.token_add(name))
    table = read_table()
    cells = 0
    for case, want in table.items():
        for role in ROLES:
            if want[role] in ("—", "-"):
                continue
            cl = clients[role]
            method, path, body, hdrs = cell(case, role, f, cl,
                                            USERS.get(role))
            before = seq(c)
            r = cl.request(method, path, body=body, headers=hdrs)
            check(str(r.status) == want[role], "%s as %s" % (case, role),
                  "got", r.status, "want", want[role], r.text[:300])
            if r.status >= 400:
                eq(seq(c), before, "%s as %s: log after refusal" % (case,
                                                                   role))
                check(r.error_code() is not None, "%s as %s: error body" %
                      (case, role), r.text)
            cells += 1
    check(cells >= 150, "cells tested", cells)


def test_list_visibility(w):
    c = w.center("cairo")
    for role, name in USERS.items():
        c.user_add(name, role)
    c.user_add("jo2", "journalist")
    c.serve()
    f = Fix(c)
    pub = f.published()
    net = f.published("network")
    draft = f.create(f.jo2)
    uris = lambda cl: {e["item"]["uri"] for e in  # noqa: E731
                       cl.get("/api/v1/items", query={"limit": 100})
                       .json["items"]}
    anon = uris(c.client())
    check(pub["item"]["uri"] in anon and net["item"]["uri"] not in anon and
          draft["item"]["uri"] not in anon, "reader's list", anon)
    mem = uris(c.client(c.token_add("mem")))
    check(net["item"]["uri"] in mem and draft["item"]["uri"] not in mem,
          "member's list")
    eds = uris(f.ed)
    check(draft["item"]["uri"] in eds, "editor's list has drafts")
    check(draft["item"]["uri"] in uris(f.jo2), "author's list has own draft")


def test_sessions_csrf_throttle(w):
    c = w.center("cairo")
    c.user_add("jou", "journalist", password="correct horse")
    c.serve()
    cl = c.client()
    r = cl.login("jou", "wrong password")
    eq(r.status, 401, "wrong password")
    r = cl.login("jou", "correct horse")
    eq(r.status, 200, "login")
    sc = r.headers["set-cookie"]
    check("HttpOnly" in sc and "SameSite=Strict" in sc, "cookie flags", sc)
    eq(cl.get("/api/v1/me").json["name"], "jou", "me")
    # A cookie without the CSRF token cannot change anything.
    before = seq(c)
    r = cl.request("POST", "/api/v1/items", body=item("x"),
                   headers={"X-CSRF-Token": None})
    eq(r.status, 403, "POST without CSRF")
    eq(r.error_code(), "csrf", "csrf error code")
    r = cl.request("POST", "/api/v1/items", body=item("x"),
                   headers={"X-CSRF-Token": "A" * 43})
    eq(r.status, 403, "POST with a wrong CSRF token")
    eq(seq(c), before, "log after CSRF refusals")
    r = cl.post("/api/v1/items", item("with csrf"))
    eq(r.status, 201, "POST with CSRF")
    # Logout ends the session.
    eq(cl.post("/api/v1/logout").status, 204, "logout")
    r = cl.get("/api/v1/me")
    eq(r.status, 401, "me after logout")
    # Throttling: 5 failures, then 429 even with the right password.
    t = c.client()
    for i in range(5):
        eq(t.login("jou", "nope %d" % i).status, 401, "failure %d" % i)
    r = t.login("jou", "correct horse")
    eq(r.status, 429, "throttled")
    check(int(r.headers.get("retry-after", "0")) > 0, "Retry-After")
    # Form login works too (the newsroom's pages post forms).
    r = t.request("POST", "/api/v1/login",
                  raw=b"name=other&password=whatever1",
                  headers={"Content-Type":
                           "application/x-www-form-urlencoded"})
    eq(r.status, 401, "form login, unknown user")
    log = c.log()
    check("correct horse" not in log and "whatever1" not in log,
          "passwords never logged")


def test_cli_user_token(w):
    c = w.center("cairo")
    c.user_add("adm", "admin")
    rc, out, err = c.cli("user", check_rc=2)
    rc, out, err = w_run(["user", "add", c.dir, "bad name!", "--role",
                          "editor"], 1)
    check("name" in err, "bad name refused", err)
    rc, out, err = w_run(["user", "add", c.dir, "x", "--role", "king"], 1)
    check("role" in err, "bad role refused", err)
    rc, out, err = w_run(["user", "add", c.dir, "adm", "--role", "admin"], 1)
    check("exists" in err, "duplicate refused", err)
    rc, out, err = w_run(["token", "add", c.dir, "ghost"], 1)
    tok = c.token_add("adm")
    eq(len(tok), 43, "token length")
    check(tok != c.token_add("adm"), "tokens differ")
    c.serve()
    eq(c.client(tok).get("/api/v1/me").json["role"], "admin", "token works")
    r = c.client("A" * 43).get("/api/v1/me")
    eq(r.status, 401, "unknown token")
    r = c.client().get("/api/v1/me",
                       headers={"Authorization": "Basic eDp5"})
    eq(r.status, 401, "basic auth refused")
    check(tok.encode() not in store_bytes(c), "token stored only as a hash")
    # Passwords from a file (not on the command line, not in history).
    pw = os.path.join(w.root, "pw.txt")
    with open(pw, "w") as f:
        f.write("from a file\n")
    w_run(["user", "add", c.dir, "fil", "--role", "member",
           "--password-file", pw], 0)
    eq(c.client().login("fil", "from a file").status, 200,
       "a password from a file, its end of line dropped")
    rc, out, err = w_run(["user", "passwd", c.dir, "fil", "--password-file",
                          pw + ".none"], 1)
    check("pw.txt.none" in err, "a missing file is named", err)
    open(pw, "w").close()
    rc, out, err = w_run(["user", "passwd", c.dir, "fil", "--password-file",
                          pw], 1)
    check("no password" in err, "an empty file", err)
    with open(pw, "w") as f:
        f.write("short\n")
    rc, out, err = w_run(["user", "passwd", c.dir, "fil", "--password-file",
                          pw], 1)
    check("8" in err, "a short password names the limit", err)
    eq(c.client().login("fil", "from a file").status, 200,
       "the password unchanged after each refusal")


def test_revocation(w):
    """Disabling a user or changing their password ends every session and
    token at once, while the server runs; tokens are listed by id and
    revoked one by one, from the CLI and the API."""
    c = w.center("cairo")
    c.user_add("adm", "admin")
    c.user_add("jou", "journalist", password="correct horse")
    c.serve()
    adm = c.client(c.token_add("adm"))
    t1, t2 = c.token_add("jou"), c.token_add("jou")
    tok1, tok2 = c.client(t1), c.client(t2)
    web = c.client()
    eq(web.login("jou", "correct horse").status, 200, "login")
    for cl, what in ((tok1, "token 1"), (tok2, "token 2"), (web, "session")):
        eq(cl.get("/api/v1/me").status, 200, what + " works")
    # The CLI lists tokens by id, never the secret, and revokes one.
    rc, out, err = mb(["token", "list", c.dir, "jou"])
    lines = out.strip().splitlines()
    eq(len(lines), 2, "two tokens listed: " + out)
    check(t1 not in out and t2 not in out, "no secret in the list")
    ids = [ln.split("\t")[0] for ln in lines]
    check(all(len(i) == 12 for i in ids), "ids", ids)
    r = tok1.get("/api/v1/tokens")
    eq(r.status, 200, "own tokens over the API")
    eq(sorted(t["id"] for t in r.json["tokens"]), sorted(ids), "same ids")
    r = tok1.get("/api/v1/tokens", query={"user": "adm"})
    eq(r.status, 403, "someone else's tokens")
    # Which id is t1's? Revoke one, see which stops.
    mb(["token", "revoke", c.dir, ids[0]])
    alive = [cl.get("/api/v1/me").status for cl in (tok1, tok2)]
    eq(sorted(alive), [200, 401], "exactly one token revoked: %r" % alive)
    rc, out, err = mb(["token", "revoke", c.dir, ids[0]], check_rc=1)
    check("no such token" in err, "revoking twice", err)
    rc, out, err = mb(["token", "revoke", c.dir, "xyz"], check_rc=1)
    check("hex" in err, "a malformed id", err)
    live = tok1 if alive[0] == 200 else tok2
    # The API revokes too: the user's own, with DELETE.
    t3 = c.token_add("jou")
    tok3 = c.client(t3)
    r = tok3.get("/api/v1/tokens")
    mine = [t["id"] for t in r.json["tokens"]]
    other = [i for i in mine if i not in ids][0]
    eq(tok3.request("DELETE", "/api/v1/tokens/" + other).status, 204,
       "DELETE own token")
    eq(tok3.get("/api/v1/me").status, 401, "a revoked token stops at once")
    # Disabling ends the session and every token at once.
    r = adm.put("/api/v1/users/jou", {"disabled": True})
    eq(r.status, 204, "disable")
    eq(live.get("/api/v1/me").status, 401, "token after disable")
    eq(web.get("/api/v1/me").status, 401, "session after disable")
    eq(c.client().login("jou", "correct horse").status, 401,
       "a disabled user cannot sign in")
    users = {u["name"]: u for u in adm.get("/api/v1/users").json["users"]}
    eq(users["jou"]["disabled"], True, "listed as disabled")
    r = adm.put("/api/v1/users/jou", {"disabled": "yes"})
    eq(r.status, 400, "disabled must be a boolean")
    r = adm.put("/api/v1/users/adm", {"disabled": True})
    eq(r.status, 400, "an admin does not disable themselves")
    r = adm.put("/api/v1/users/adm", {"role": "journalist"})
    eq(r.status, 400, "an admin does not demote themselves")
    eq(adm.get("/api/v1/me").json["role"], "admin", "still an admin")
    eq(adm.put("/api/v1/users/adm", {"role": "admin"}).status, 204,
       "their own role unchanged is no demotion")
    r = adm.put("/api/v1/users/ghost", {"disabled": True})
    eq(r.status, 404, "unknown user")
    # Enabling gives back the account, not the old credentials.
    mb(["user", "enable", c.dir, "jou"])
    eq(live.get("/api/v1/me").status, 401, "old token stays dead")
    web2 = c.client()
    eq(web2.login("jou", "correct horse").status, 200, "login after enable")
    # A password change (CLI) ends sessions and tokens too.
    t4 = c.client(c.token_add("jou"))
    eq(t4.get("/api/v1/me").status, 200, "new token")
    mb(["user", "passwd", c.dir, "jou"], stdin="another horse\n")
    eq(web2.get("/api/v1/me").status, 401, "session after passwd")
    eq(t4.get("/api/v1/me").status, 401, "token after passwd")
    eq(c.client().login("jou", "correct horse").status, 401, "old password")
    web3 = c.client()
    eq(web3.login("jou", "another horse").status, 200, "new password")
    # ... and over the API, by an admin.
    r = adm.put("/api/v1/users/jou", {"password": "third horse"})
    eq(r.status, 204, "API password change")
    eq(web3.get("/api/v1/me").status, 401, "session after API passwd")
    # The CLI's user list and role change.
    mb(["user", "role", c.dir, "jou", "editor"])
    rc, out, err = mb(["user", "list", c.dir])
    check(any(ln.startswith("jou\teditor\tactive") for ln in
              out.splitlines()), "user list", out)
    # The CLI's disable bites the running server at once too.
    t5 = c.client(c.token_add("jou"))
    web4 = c.client()
    eq(web4.login("jou", "third horse").status, 200, "login")
    eq(t5.get("/api/v1/me").status, 200, "token before CLI disable")
    mb(["user", "disable", c.dir, "jou"])
    eq(t5.get("/api/v1/me").status, 401, "token after CLI disable")
    eq(web4.get("/api/v1/me").status, 401, "session after CLI disable")
    eq(c.client().login("jou", "third horse").status, 401,
       "no sign-in while disabled")
    rc, out, err = mb(["token", "list", c.dir, "jou"])
    eq(out.strip(), "", "no token left: " + out)
    rc, out, err = mb(["token", "add", c.dir, "jou"], check_rc=1)
    check("disabled" in err, "no new token while disabled", err)
    rc, out, err = mb(["user", "list", c.dir])
    check(any(ln.startswith("jou\teditor\tdisabled") for ln in
              out.splitlines()), "listed as disabled", out)
    rc, out, err = mb(["user", "role", c.dir, "jou", "king"], check_rc=1)
    check("role" in err, "bad role", err)
    rc, out, err = mb(["user", "disable", c.dir, "ghost"], check_rc=1)
    check("no such user" in err, "disable unknown", err)
    log = c.log()
    check(t1 not in log and t2 not in log and "horse" not in log,
          "no secret logged")


def test_users_add_fields(w):
    """POST /api/v1/users checks its fields as PUT does: a misspelt or
    non-string one is refused and nobody is added (once a user was made
    without the password meant for them)."""
    c = w.center("cairo")
    c.user_add("adm", "admin")
    c.serve()
    adm = c.client(c.token_add("adm"))
    for bad in ({"name": "pw1", "role": "editor", "password": 12345678},
                {"name": "pw2", "role": "editor", "passwd": "long enough"},
                {"name": "pw3", "role": "editor", "password": None},
                {"name": "pw4", "role": 3}, ["pw5"]):
        r = adm.post("/api/v1/users", bad)
        eq(r.status, 400, "add %r: %s" % (bad, r.text))
    names = {u["name"] for u in adm.get("/api/v1/users").json["users"]}
    check(not names & {"pw1", "pw2", "pw3", "pw4", "pw5"}, "none added",
          names)
    r = adm.post("/api/v1/users", {"name": "pw1", "role": "editor",
                                   "password": "long enough"})
    eq(r.status, 201, "a good add")
    # Its Location answers, with the fields of the list's entry.
    loc = r.headers.get("location")
    eq(loc, "/api/v1/users/pw1", "Location")
    r = adm.get(loc)
    eq((r.status, r.json), (200, {"name": "pw1", "role": "editor",
                                  "disabled": False}), "GET Location")
    eq(adm.get("/api/v1/users/ghost").status, 404, "GET an unknown user")
    eq(c.client().login("pw1", "long enough").status, 200,
       "with its password")


def store_bytes(c):
    """Everything the center's store holds, as bytes."""
    if not pg_backend():
        return open(os.path.join(c.dir, "store.db"), "rb").read()
    with open(os.path.join(c.dir, "mediabridge.conf")) as f:
        url = [ln.split("=", 1)[1].strip() for ln in f
               if ln.strip().startswith("database")][0]
    return subprocess.run(["pg_dump", "--data-only", url], check=True,
                          capture_output=True).stdout


def mb(args, check_rc=0, stdin=None):
    """Runs `mediabridge ARGS...` (commands whose DIR is not first)."""
    from mbtest import run
    return run(args, stdin=stdin, check_rc=check_rc)


def w_run(args, rc):
    from mbtest import run
    return run(args, check_rc=rc)


if __name__ == "__main__":
    main(globals())
