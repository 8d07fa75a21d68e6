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


def multipart(fields, file_field, filename, content_type, data):
    """A multipart/form-data body and its Content-Type."""
    b = "----mbform%d" % (len(data) * 7919 % 1000003)
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                    "\r\n\r\n%s\r\n" % (b, k, v)).encode())
    if file_field is not None:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n" % (
                        b, file_field, filename, content_type)).encode())
        out.append(data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return b"".join(out), "multipart/form-data; boundary=" + b


def post_multipart(browser, path, fields, filename, content_type, data):
    f = dict(fields)
    if browser.csrf and "csrf" not in f:
        f["csrf"] = browser.csrf
    body, ct = multipart(f, "file" if data is not None else None, filename,
                         content_type, data or b"")
    r = browser.cl.post(path, raw=body, headers=browser._h(
        {"Content-Type": ct}), auth=False)
    return r


def png(w, h):
    """A w x h RGB PNG (a gradient), made with the standard library."""
    import struct
    import zlib
    rows = b"".join(b"\0" + bytes(v for x in range(w) for v in (
        x * 255 // w, y * 255 // h, 128)) for y in range(h))

    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))
