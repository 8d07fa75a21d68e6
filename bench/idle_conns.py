#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench/idle_conns: holds N idle keep-alive HTTP connections open.

usage: idle_conns.py HOST PORT N PATH

Opens N connections, sends one GET PATH on each (HTTP/1.1, keep-alive),
reads each answer, then leaves them idle (nothing sent, nothing closed)
until stdin closes. Prints "open K of N (answered A)" once done, on one
line, so a script can wait for it. Non-blocking sockets and one
selector: 10,000 connections need no threads.
"""
import selectors
import socket
import sys

host, port, n, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4]
req = ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: keep-alive\r\n\r\n" %
       (path, host)).encode()
sel = selectors.DefaultSelector()
socks = []
ok = []		# the answered ones, to be held idle
answered = 0
failed = 0
BATCH = 500	# connects in flight at once (the listen backlog is finite)


def header_end(buf):
    i = buf.find(b"\r\n\r\n")
    if i < 0:
        return None
    head = buf[:i].decode("latin-1").lower()
    length = 0
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    return i + 4 + length


pending = 0
started = 0
while started < n or pending > 0:
    while started < n and pending < BATCH:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_WRITE, [b"", False])
        socks.append(s)
        started += 1
        pending += 1
    events = sel.select(timeout=10)
    if not events:
        break
    for key, mask in events:
        s, st = key.fileobj, key.data
        if mask & selectors.EVENT_WRITE and not st[1]:
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                failed += 1
                pending -= 1
                sel.unregister(s)
                continue
            s.send(req)
            st[1] = True
            sel.modify(s, selectors.EVENT_READ, st)
            continue
        try:
            chunk = s.recv(65536)
        except OSError:
            chunk = b""
        if not chunk:
            failed += 1
            pending -= 1
            sel.unregister(s)
            continue
        st[0] += chunk
        end = header_end(st[0])
        if end is not None and len(st[0]) >= end:
            answered += 1
            ok.append(s)
            pending -= 1
            sel.unregister(s)
print("open %d of %d (answered %d, failed %d)" % (answered, n, answered,
                                                   failed), flush=True)
sys.stdin.read()
# Still open: a connection the server closed reads as EOF (or fails).
still = 0
for s in ok:
    try:
        s.setblocking(False)
        still += 1 if s.recv(1, socket.MSG_PEEK) != b"" else 0
    except BlockingIOError:
        still += 1
    except OSError:
        pass
    s.close()
for s in socks:
    s.close()
print("still open at the end: %d" % still, flush=True)
