# SPDX-License-Identifier: MIT
"""A browser without JavaScript for the newsroom's pages: signs in with
the login form, keeps the session cookie, reads each page's CSRF token
and posts forms as a browser would (urlencoded, no redirects followed).
Python 3 standard library only."""

import html
import re
import urllib.parse

from mbtest import Client, eq

FORM = "application/x-www-form-urlencoded"


class Browser:
    def __init__(self, center):
        self.cl = Client(center.addr)
        center.world.clients.append(self.cl)
        self.cookie = None
        self.csrf = None

    def _h(self, extra=None):
        h = {}
        if self.cookie:
            h["Cookie"] = self.cookie
        if extra:
            h.update(extra)
        return h

    def _take_cookie(self, r):
        sc = r.headers.get("set-cookie")
        if sc and sc.startswith("mb_session="):
            v = sc.split(";", 1)[0]
            self.cookie = v if v != "mb_session=" else None

    def login(self, name, password, want=303):
        self.cookie = None  # a fresh sign-in, as after signing out
        r = self.post("/newsroom/login", {"name": name,
                                          "password": password},
                      csrf=False)
        eq(r.status, want, "login %s: %r" % (name, r))
        if r.status == 303:
            self.page("/newsroom/account")
        return r

    def get(self, path):
        r = self.cl.get(path, headers=self._h(), auth=False)
        m = re.search(r'name="csrf" value="([^"]+)"', r.text)
        if m:
            self.csrf = m.group(1)
        return r

    def page(self, path, want=200):
        r = self.get(path)
        eq(r.status, want, "GET %s: %r" % (path, r))
        return r

    def post(self, path, fields, csrf=True):
        f = dict(fields)
        if csrf and self.csrf and "csrf" not in f:
            f["csrf"] = self.csrf
        f = {k: v for k, v in f.items() if v is not None}
        r = self.cl.post(path, raw=urllib.parse.urlencode(f).encode(),
                         headers=self._h({"Content-Type": FORM}),
                         auth=False)
        self._take_cookie(r)
        m = re.search(r'name="csrf" value="([^"]+)"', r.text)
        if m:
            self.csrf = m.group(1)
        return r


def field(text, name):
    """The value of an input named name (or of a readonly secret)."""
    m = re.search(r'<input[^>]*name="%s"[^>]*value="([^"]*)"' %
                  re.escape(name), text)
    return html.unescape(m.group(1)) if m else None


def error(text):
    """The message of the page's role=alert paragraph, or None."""
    m = re.search(r'role="alert"[^>]*>([^<]*)<', text)
    return html.unescape(m.group(1)) if m else None
