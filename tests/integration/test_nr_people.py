# SPDX-License-Identifier: MIT
"""People in the browser newsroom, over real HTTP with plain forms: an
admin lists users, adds one, changes a role, disables and enables (every
session and token dies at once), sets a password and makes a one-time
reset link; each user changes their own password and makes, lists and
revokes their own tokens. A refused form changes nothing."""

import html
import re

from mbtest import check, eq, main
from nrform import Browser, error

ADMIN_PW = "admin-pass-1"
JO_PW = "journo-pass-1"


def setup(w):
    c = w.center("cairo", languages="ar,en")
    c.user_add("ada", "admin", ADMIN_PW)
    c.user_add("jo", "journalist", JO_PW)
    c.serve()
    return c


def users_of(text):
    return re.findall(r'<tr id="user-([^"]+)"', text)


def me(c, token):
    r = c.client(token).get("/api/v1/me")
    return r.status, (r.json or {}).get("role") if r.status == 200 else None


def signed_in(b):
    """Whether the browser's session still opens a newsroom page."""
    return b.get("/newsroom/account").status == 200


def test_admin_manages_people(w):
    c = setup(w)
    ad = Browser(c)
    ad.login("ada", ADMIN_PW)
    r = ad.page("/newsroom/people")
    eq(sorted(users_of(r.text)), ["ada", "jo"], "users listed")
    check('href="/newsroom/people"' in r.text, "People in the banner")

    # Add: a bad name or role is refused, nothing added.
    for bad in ({"name": "Bad Name!", "role": "journalist"},
                {"name": "tom", "role": "boss"},
                {"name": "", "role": "editor"},
                {"name": "tom", "role": "editor", "password": "short"}):
        r = ad.post("/newsroom/people", bad)
        eq(r.status, 400, "bad add %r: %r" % (bad, r))
        check(error(r.text), "a message for %r" % bad)
        eq(sorted(users_of(r.text)), ["ada", "jo"], "nothing added")
    r = ad.post("/newsroom/people", {"name": "jo", "role": "editor"})
    eq(r.status, 409, "a taken name")
    r = ad.post("/newsroom/people", {"name": "tom", "role": "journalist",
                                     "password": "tom-pass-12"})
    eq(r.status, 303, "add: %r" % r)
    eq(sorted(users_of(ad.page("/newsroom/people").text)),
       ["ada", "jo", "tom"], "tom listed")
    tom = Browser(c)
    tom.login("tom", "tom-pass-12")
    tok = c.token_add("tom")
    eq(me(c, tok), (200, "journalist"), "tom's token")

    # Role change.
    r = ad.post("/newsroom/people/tom", {"do": "role", "role": "editor"})
    eq(r.status, 303, "role: %r" % r)
    eq(me(c, tok), (200, "editor"), "tom is an editor")
    r = ad.post("/newsroom/people/tom", {"do": "role", "role": "king"})
    eq(r.status, 400, "bad role")
    eq(me(c, tok), (200, "editor"), "role unchanged")
    r = ad.post("/newsroom/people/nobody", {"do": "role", "role": "editor"})
    eq(r.status, 404, "no such user")

    # Disable: his session and token end at once; enable gives back
    # the account, not the old credentials.
    r = ad.post("/newsroom/people/tom", {"do": "disable"})
    eq(r.status, 303, "disable")
    eq(me(c, tok)[0], 401, "token dead")
    check(not signed_in(tom), "session dead")
    check('st-disabled' in ad.page("/newsroom/people").text, "shown")
    tom.login("tom", "tom-pass-12", want=401)
    r = ad.post("/newsroom/people/tom", {"do": "enable"})
    eq(r.status, 303, "enable")
    eq(me(c, tok)[0], 401, "old token still dead")
    tom.login("tom", "tom-pass-12")

    # An admin may not disable themself.
    r = ad.post("/newsroom/people/ada", {"do": "disable"})
    eq(r.status, 400, "self-disable")
    check("another admin" in error(r.text), error(r.text))
    check(signed_in(ad), "still in")
    # Nor demote themself (the center could lose its last admin).
    r = ad.post("/newsroom/people/ada", {"do": "role", "role": "editor"})
    eq(r.status, 400, "self-demotion")
    check("another admin" in error(r.text), error(r.text))
    eq(role_selected(r.text, "ada"), "admin", "still an admin")

    # Set a password: the old one stops working, and his sessions end.
    r = ad.post("/newsroom/people/tom", {"do": "password",
                                         "password": "new-tom-pass"})
    eq(r.status, 303, "set password")
    check(not signed_in(tom), "session ended by the new password")
    tom.login("tom", "tom-pass-12", want=401)
    tom.login("tom", "new-tom-pass")
    # Her own: her sessions end, and a new one goes on (once she was
    # signed out without a word).
    r = ad.post("/newsroom/people/ada", {"do": "password",
                                         "password": "ada-pass-two"})
    eq(r.status, 303, "own password: %r" % r)
    check(signed_in(ad), "a fresh session for the admin")
    Browser(c).login("ada", ADMIN_PW, want=401)
    Browser(c).login("ada", "ada-pass-two")

    # Unknown action.
    eq(ad.post("/newsroom/people/tom", {"do": "explode"}).status, 400,
       "unknown do")


def role_selected(text, name):
    """The option selected in a user's row's role menu, or None."""
    m = re.search(r'<select id="role-%s" name="role">(.*?)</select>' %
                  re.escape(name), text)
    check(m, "a role menu for %s" % name)
    sel = re.findall(r'<option value="([^"]+)" selected>', m.group(1))
    return sel[0] if len(sel) == 1 else None


def test_learner_row(w):
    """A learner's row shows their role, and posting it unchanged keeps
    it (the menu once lacked learner: it showed Admin, and Set promoted
    them)."""
    c = setup(w)
    c.user_add("lea", "learner", "lea-pass-12")
    ad = Browser(c)
    ad.login("ada", ADMIN_PW)
    text = ad.page("/newsroom/people").text
    eq(role_selected(text, "lea"), "learner", "learner's row")
    eq(role_selected(text, "jo"), "journalist", "journalist's row")
    r = ad.post("/newsroom/people/lea", {"do": "role", "role":
                                         role_selected(text, "lea")})
    eq(r.status, 303, "the row posted unchanged")
    eq(me(c, c.token_add("lea")), (200, "learner"), "still a learner")


def form_fields(text, action):
    """The named inputs of the page's form posting to action, as a
    browser would send them (hidden ones included)."""
    m = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' %
                  re.escape(action), text, re.S)
    check(m, "a form to %s" % action)
    out = {}
    for i in re.findall(r'<input[^>]*>', m.group(1)):
        n = re.search(r'name="([^"]*)"', i)
        v = re.search(r'value="([^"]*)"', i)
        if n:
            out[n.group(1)] = html.unescape(v.group(1)) if v else ""
    return out


def test_signed_in_signs_in_again(w):
    """A member already signed in is shown the sign-in forms (the desk
    and the courses' /en/login) and can use them: each form carries the
    session's CSRF token, which the server asks of every session's POST
    (once a raw 403 "csrf")."""
    c = setup(w)
    c.user_add("mem", "member", "mem-pass-12")
    c.user_add("ed", "editor", "ed-pass-123")
    for path, action in (("/newsroom/", "/newsroom/login"),
                         ("/en/login", "/en/login")):
        b = Browser(c)
        b.login("mem", "mem-pass-12")
        r = b.page(path)
        f = form_fields(r.text, action)
        check("csrf" in f, "%s: the form carries the CSRF token" % path)
        f.update({"name": "ed", "password": "ed-pass-123"})
        r = b.post(action, f, csrf=False)
        eq(r.status, 303, "%s: signed in again: %r" % (action, r))
        r = b.cl.get("/api/v1/me", headers=b._h(), auth=False)
        eq((r.json or {}).get("role"), "editor", "%s: now the editor" %
           action)
    # The token is still asked: a wrong one is refused.
    b = Browser(c)
    b.login("mem", "mem-pass-12")
    r = b.post("/newsroom/login", {"name": "ed", "password": "ed-pass-123",
                                   "csrf": "forged"}, csrf=False)
    eq(r.status, 403, "a forged CSRF token")


def test_not_admins(w):
    c = setup(w)
    jo = Browser(c)
    eq(jo.get("/newsroom/people").status, 303, "anonymous: sign in")
    jo.login("jo", JO_PW)
    eq(jo.get("/newsroom/people").status, 403, "journalist: people")
    r = jo.post("/newsroom/people", {"name": "eve", "role": "admin",
                                     "password": "eve-pass-12"})
    eq(r.status, 403, "journalist adds")
    r = jo.post("/newsroom/people/jo", {"do": "role", "role": "admin"})
    eq(r.status, 403, "journalist promotes herself")
    r = jo.post("/newsroom/people/jo", {"do": "reset"})
    eq(r.status, 403, "journalist makes a reset link")
    check('href="/newsroom/people"' not in jo.page("/newsroom/account").text,
          "no People link")
    ad = Browser(c)
    ad.login("ada", ADMIN_PW)
    eq(users_of(ad.page("/newsroom/people").text), ["ada", "jo"],
       "nobody added")
    eq(me(c, c.token_add("jo"))[1], "journalist", "role unchanged")
    # A form without its CSRF token is refused.
    r = ad.post("/newsroom/people", {"name": "eve", "role": "admin",
                                     "password": "eve-pass-12",
                                     "csrf": "forged"})
    eq(r.status, 403, "csrf")


def test_reset_link(w):
    c = setup(w)
    ad = Browser(c)
    ad.login("ada", ADMIN_PW)
    jo = Browser(c)
    jo.login("jo", JO_PW)
    r = ad.post("/newsroom/people/jo", {"do": "reset"})
    eq(r.status, 200, "reset link made: %r" % r)
    m = re.search(r'value="(https?://[^"]*/newsroom/reset\?key=[^"]+)"',
                  r.text)
    check(m, "the link on the page")
    link = html.unescape(m.group(1))
    path = link[link.index("/newsroom/"):]
    check(path.split("=", 1)[1] not in open(c.log_path).read(),
          "the key never in the log")
    anon = Browser(c)
    r = anon.page(path)
    check(">jo<" in r.text, "whose link")
    r = anon.post("/newsroom/reset", {"key": path.split("=", 1)[1],
                                      "password": "jo-new-pass",
                                      "password2": "mismatch!"})
    eq(r.status, 400, "mismatch")
    jo.login("jo", JO_PW)
    r = anon.post("/newsroom/reset", {"key": path.split("=", 1)[1],
                                      "password": "jo-new-pass",
                                      "password2": "jo-new-pass"})
    eq(r.status, 303, "reset used: %r" % r)
    check(signed_in(anon), "signed in by the reset")
    check(not signed_in(jo), "her old session ended")
    jo.login("jo", JO_PW, want=401)
    jo.login("jo", "jo-new-pass")
    eq(Browser(c).get(path).status, 404, "a link works once")
    eq(Browser(c).get("/newsroom/reset?key=" + "A" * 43).status, 404,
       "a made-up key")


def test_own_password_and_tokens(w):
    c = setup(w)
    jo = Browser(c)
    jo.login("jo", JO_PW)
    old_tok = c.token_add("jo")
    # Wrong current password, or two that differ: nothing changes.
    r = jo.post("/newsroom/account/password", {
        "current": "wrong-pass-1", "password": "jo-pass-two",
        "password2": "jo-pass-two"})
    eq(r.status, 400, "wrong current")
    check("current password" in error(r.text), error(r.text))
    r = jo.post("/newsroom/account/password", {
        "current": JO_PW, "password": "jo-pass-two",
        "password2": "jo-pass-three"})
    eq(r.status, 400, "mismatch")
    eq(me(c, old_tok)[0], 200, "token alive after refusals")
    r = jo.post("/newsroom/account/password", {
        "current": JO_PW, "password": "jo-pass-two",
        "password2": "jo-pass-two"})
    eq(r.status, 303, "changed: %r" % r)
    check(signed_in(jo), "a fresh session")
    eq(me(c, old_tok)[0], 401, "old token ended")
    Browser(c).login("jo", JO_PW, want=401)
    Browser(c).login("jo", "jo-pass-two")

    # A token made on the page, shown once, listed by id, revoked.
    r = jo.post("/newsroom/account/tokens", {})
    eq(r.status, 201, "token made: %r" % r)
    m = re.search(r'class="secret" readonly value="([A-Za-z0-9_-]{43})"',
                  r.text)
    check(m, "the token shown")
    tok = m.group(1)
    eq(me(c, tok), (200, "journalist"), "the new token works")
    page = jo.page("/newsroom/account").text
    check(tok not in page, "shown once only")
    ids = re.findall(r'/newsroom/tokens/([0-9a-f]{12})/revoke', page)
    eq(len(ids), 1, "one token listed")
    # Someone else's token is not hers to revoke.
    ad_tok = c.token_add("ada")
    ad = Browser(c)
    ad.login("ada", ADMIN_PW)
    ad_ids = set(re.findall(r'/newsroom/tokens/([0-9a-f]{12})/revoke',
                            ad.page("/newsroom/people").text))
    eq(len(ad_ids), 2, "the admin sees every token")
    other = (ad_ids - set(ids)).pop()
    eq(jo.post("/newsroom/tokens/%s/revoke" % other, {}).status, 404,
       "someone else's")
    eq(me(c, ad_tok)[0], 200, "the admin's token alive")
    r = jo.post("/newsroom/tokens/%s/revoke" % ids[0], {})
    eq(r.status, 303, "revoked")
    eq(me(c, tok)[0], 401, "revoked token dead")
    # An admin revokes anyone's.
    r = ad.post("/newsroom/tokens/%s/revoke" % other, {"back": "people"})
    eq(r.status, 303, "admin revokes")
    eq(me(c, ad_tok)[0], 401, "dead")


if __name__ == "__main__":
    main(globals())
