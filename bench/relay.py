#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A TCP relay on 127.0.0.1 that counts the bytes it carries: the
application-level measure of "bytes on the wire" (TCP payload, both
directions; IP and TCP headers are not counted) used by bench/inn.sh for
INN's NNTP feed and mediabridge's exchange alike.

usage: relay.py LISTEN_PORT TARGET_PORT COUNTS_FILE
Writes its bound port to COUNTS_FILE.port once listening (LISTEN_PORT 0
picks one). After each connection closes it rewrites COUNTS_FILE as
"connections open up down" (up: client to server) — read it once "open"
is 0. Stops on SIGTERM."""
import os
import signal
import socket
import sys
import threading

lock = threading.Lock()
state = {"conns": 0, "open": 0, "up": 0, "down": 0}


def save(path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%(conns)d %(open)d %(up)d %(down)d\n" % state)
    os.replace(tmp, path)


def pump(src, dst, key, done):
    n = 0
    try:
        while True:
            b = src.recv(262144)
            if not b:
                break
            dst.sendall(b)
            n += len(b)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    with lock:
        state[key] += n
    done.release()


def serve(c, target, path):
    try:
        s = socket.create_connection(("127.0.0.1", target))
    except OSError:
        c.close()
        with lock:
            state["open"] -= 1
            save(path)
        return
    for x in (c, s):
        x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    done = threading.Semaphore(0)
    threading.Thread(target=pump, args=(c, s, "up", done),
                     daemon=True).start()
    threading.Thread(target=pump, args=(s, c, "down", done),
                     daemon=True).start()
    done.acquire()
    done.acquire()
    c.close()
    s.close()
    with lock:
        state["open"] -= 1
        save(path)


def main():
    port, target, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(64)
    save(path)
    with open(path + ".port", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    while True:
        c, _ = ls.accept()
        with lock:
            state["conns"] += 1
            state["open"] += 1
            save(path)
        threading.Thread(target=serve, args=(c, target, path),
                         daemon=True).start()


if __name__ == "__main__":
    main()
