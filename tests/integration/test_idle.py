#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Many idle keep-alive connections (issue 23): serve holds 2,000 of them
open with its default settings and still answers a new client, and each
idle connection can still be used; a request with a long header (within
the default 16 KB of connection memory) is answered too. Nothing here is
timed: the assertions are that requests are answered."""
import os
import re
import resource
import selectors
import socket
import sys

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
from mbtest import check, eq, main  # noqa: E402

IDLE = 2000


def raise_fd_limit(need):
    """The test holds IDLE sockets itself, and serve inherits the limit
    (it raises its own soft limit to the hard one as well)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        return False
    if soft == resource.RLIM_INFINITY or soft >= need:
        return True
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return True


def request(host, path, extra=""):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (path, host,
                                                         extra)).encode()


def answered(buf):
    """True once buf holds a whole response (headers and Content-Length
    bytes of body)."""
    i = buf.find(b"\r\n\r\n")
    if i < 0:
        return False
    n = 0
    for line in buf[:i].decode("latin-1").split("\r\n")[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length":
            n = int(v)
    return len(buf) >= i + 4 + n


def open_idle(host, port, path, n):
    """n connections, one answered GET each, left open; returns them."""
    sel = selectors.DefaultSelector()
    socks, done, failed = [], [], 0
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_WRITE, [b"", False])
        socks.append(s)
        # A batch at a time: the listen backlog is finite.
        if len(socks) % 200 == 0 or len(socks) == n:
            while len(sel.get_map()) > 0:
                ev = sel.select(timeout=30)
                check(ev, "idle connections answered within 30 s",
                      len(done), failed)
                for key, mask in ev:
                    s2, st = key.fileobj, key.data
                    if mask & selectors.EVENT_WRITE and not st[1]:
                        s2.send(request(host, path))
                        st[1] = True
                        sel.modify(s2, selectors.EVENT_READ, st)
                        continue
                    try:
                        b = s2.recv(65536)
                    except OSError:
                        b = b""
                    if not b:
                        failed += 1
                        sel.unregister(s2)
                        continue
                    st[0] += b
                    if answered(st[0]):
                        check(st[0].startswith(b"HTTP/1.1 200"),
                              "idle connection's first request", st[0][:200])
                        done.append(s2)
                        sel.unregister(s2)
    eq(failed, 0, "connections refused or closed while opening")
    return done


def get(host, port, path, extra="", sock=None):
    s = sock or socket.create_connection((host, port), timeout=30)
    s.setblocking(True)
    s.settimeout(30)
    s.sendall(request(host, path, extra))
    buf = b""
    while not answered(buf):
        b = s.recv(65536)
        if not b:
            break
        buf += b
    if sock is None:
        s.close()
    return buf


def test_idle_connections(w):
    if not raise_fd_limit(IDLE + 512):
        print("skip: RLIMIT_NOFILE hard limit below %d" % (IDLE + 512))
        sys.exit(77)
    c = w.center("cairo")
    c.serve()
    host, port = c.addr.rsplit(":", 1)
    port = int(port)
    idle = open_idle(host, port, "/api/v1/items?limit=1", IDLE)
    eq(len(idle), IDLE, "idle keep-alive connections open")
    # They are spread evenly over serve's request threads (each serves
    # only its own: an uneven spread makes the busier one's clients wait
    # longer). Asked on one of them, so that no other has come or gone.
    r = get(host, port, "/metrics", sock=idle[1])
    per = [int(m.group(1)) for m in re.finditer(
        rb'^mediabridge_http_connections\{thread="\d+"\} (\d+)$', r,
        re.M)]
    check(len(per) >= 1, "connections by thread in /metrics", r[-600:])
    eq(sum(per), IDLE, "connections counted by thread")
    check(max(per) - min(per) <= 1, "connections spread evenly", per)
    # A new client is answered while they are all open...
    r = get(host, port, "/api/v1/items?limit=1")
    check(r.startswith(b"HTTP/1.1 200"), "new client answered", r[:200])
    # ...and so are requests on the idle connections themselves.
    for s in (idle[0], idle[IDLE // 2], idle[-1]):
        r = get(host, port, "/en/", sock=s)
        check(r.startswith(b"HTTP/1.1 200"), "idle connection reused",
              r[:200])
    # A long header fits the default connection memory (16 KB: headers
    # up to about 7 KB, docs/http.md).
    r = get(host, port, "/en/", "Cookie: pref=%s\r\n" % ("x" * 6000))
    check(r.startswith(b"HTTP/1.1 200"), "6 KB header answered", r[:200])
    for s in idle:
        s.close()
    # serve said how many it takes at once (the default, 16384, within
    # the descriptor limit).
    check("max_connections=" in c.log(), "serve logs max_connections")


if __name__ == "__main__":
    main(globals())
