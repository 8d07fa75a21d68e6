#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A shaping TCP relay on 127.0.0.1: a bad link for tests and bench/links,
since the kernel here has no netem. One link, whatever the number of
connections through it: each direction carries at most `rate` bytes a
second (connections share it, as they share a satellite channel), every
chunk arrives `rtt / 2` after it was sent, every connection is reset
(RST) every `reset_every` seconds, the first time at a random moment
(so a short run sees one too), and the link stalls (carries nothing)
for `stall_s` seconds every `stall_every`. It counts the bytes it
carried each way (TCP payload).

    link = Shaper(listen_port, upstream_port, rate=8000, rtt=0.6,
                  reset_every=30, stall_every=20, stall_s=3, seed=1)
    ...
    link.up, link.down, link.resets, link.stalls; link.close()

As a program (bench/links.sh): shaper.py LISTEN UPSTREAM COUNTS_FILE
[rate_bytes_s rtt_s reset_every_s stall_every_s stall_s]; it writes its
port to COUNTS_FILE.port, and "connections up down resets" to
COUNTS_FILE after each connection closes; SIGTERM stops it."""
import collections
import os
import random
import signal
import socket
import struct
import sys
import threading
import time

CHUNK = 1024


class _Direction:
    """One direction of the link: a serialising clock and a byte count."""

    def __init__(self):
        self.free_at = 0.0      # when the link is free to send the next
        self.lock = threading.Lock()
        self.bytes = 0


class Shaper:
    def __init__(self, port, upstream, rate=8000, rtt=0.6, reset_every=30.0,
                 stall_every=0.0, stall_s=0.0, seed=None, on_close=None):
        self.upstream = upstream
        self.rate = float(rate)
        self.delay = rtt / 2.0
        self.reset_every = reset_every
        self.stall_every = stall_every
        self.stall_s = stall_s
        self.rng = random.Random(seed)
        self.on_close = on_close
        self.dirs = {"up": _Direction(), "down": _Direction()}
        self.lock = threading.Lock()
        self.conns = set()
        self.connections = 0
        self.resets = 0
        self.stalls = 0
        self.stalled_until = 0.0
        self.closed = False
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        if reset_every > 0 or stall_every > 0:
            threading.Thread(target=self._weather, daemon=True).start()

    @property
    def up(self):
        return self.dirs["up"].bytes

    @property
    def down(self):
        return self.dirs["down"].bytes

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass
        self.reset_all(count=False)

    def reset_all(self, count=True):
        """Every connection through the link ends with a RST."""
        with self.lock:
            conns = list(self.conns)
            if count and conns:
                self.resets += 1
        for c in conns:
            for s in c:
                try:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 struct.pack("ii", 1, 0))
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _weather(self):
        now = time.monotonic()
        next_reset = now + (self.rng.uniform(3, 10) if self.reset_every > 0
                            else float("inf"))
        next_stall = now + (self.rng.uniform(2, max(2.5, self.stall_every))
                            if self.stall_every > 0 else float("inf"))
        while not self.closed:
            now = time.monotonic()
            if now >= next_reset:
                self.reset_all()
                next_reset = now + self.reset_every
            if now >= next_stall:
                with self.lock:
                    self.stalled_until = now + self.stall_s
                    self.stalls += 1
                next_stall = now + self.stall_every
            time.sleep(0.05)

    def _accept(self):
        while not self.closed:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,),
                             daemon=True).start()

    def _serve(self, c):
        try:
            u = socket.create_connection(("127.0.0.1", self.upstream))
        except OSError:
            c.close()
            return
        for s in (c, u):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pair = (c, u)
        with self.lock:
            self.conns.add(pair)
            self.connections += 1
        done = threading.Semaphore(0)
        threading.Thread(target=self._pump, args=(c, u, "up", done),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(u, c, "down", done),
                         daemon=True).start()
        done.acquire()
        done.acquire()
        with self.lock:
            self.conns.discard(pair)
        for s in pair:
            try:
                s.close()
            except OSError:
                pass
        if self.on_close:
            self.on_close(self)

    def _slot(self, d, n):
        """When n bytes sent now would have left the link (serialised
        behind what is queued, after any stall)."""
        with d.lock:
            now = time.monotonic()
            start = max(now, d.free_at, self.stalled_until)
            d.free_at = start + n / self.rate
            return d.free_at

    def _pump(self, src, dst, key, done):
        d = self.dirs[key]
        q = collections.deque()
        cv = threading.Condition()
        state = {"eof": False, "dead": False}

        def sender():
            while True:
                with cv:
                    while not q and not state["eof"]:
                        cv.wait()
                    if not q:
                        break
                    due, data = q[0]
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                with cv:
                    q.popleft()
                    cv.notify_all()
                try:
                    dst.sendall(data)
                    d.bytes += len(data)
                except OSError:
                    state["dead"] = True
                    break
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            done.release()

        threading.Thread(target=sender, daemon=True).start()
        while not state["dead"]:
            try:
                b = src.recv(CHUNK)
            except OSError:
                b = b""
            if not b:
                break
            left = self._slot(d, len(b))
            # Read no further ahead than the link carries: the sender
            # is held back by TCP, not by an endless queue here.
            while left - time.monotonic() > 0.25:
                time.sleep(min(0.25, left - time.monotonic()))
            with cv:
                q.append((left + self.delay, b))
                cv.notify_all()
        with cv:
            state["eof"] = True
            cv.notify_all()


def main():
    port, upstream, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    num = [float(x) for x in sys.argv[4:9]]
    rate, rtt, reset, stall_every, stall_s = (num + [8000, 0.6, 30, 0, 0][
        len(num):])

    def save(link):
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d %d %d %d\n" % (link.connections, link.up, link.down,
                                       link.resets))
        os.replace(tmp, path)

    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    link = Shaper(port, upstream, rate, rtt, reset, stall_every, stall_s,
                  on_close=save)
    save(link)
    with open(path + ".port", "w") as f:
        f.write("%d\n" % link.port)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
