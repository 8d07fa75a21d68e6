# SPDX-License-Identifier: MIT
"""A network partition: HQ Moscow and branches Cairo and Manama, with
Cairo's link to HQ running through a TCP relay of our own (both ways:
Cairo pulls HQ through it, HQ pulls Cairo through it). The relay is cut
(listening stopped, every open connection reset) while all three
publish; each side keeps working and sees only its own side's items.
Healed, everything arrives everywhere, exactly once."""

import os
import socket
import sys
import threading
import time

from mbtest import check, eq, main

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import Center, free_port, item, mb, wait_for  # noqa: E402


class Relay:
    """127.0.0.1:port -> upstream (host, port), which can be cut and
    healed. Cut: the listening socket closes and every connection it
    carries is reset, as a link going down does to TCP."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = free_port()
        self.conns = set()
        self.lock = threading.Lock()
        self.sock = None
        self.carried = 0
        self.heal()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def heal(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(64)
        self.sock = s
        threading.Thread(target=self.accept, args=(s,), daemon=True).start()

    def cut(self):
        # shutdown wakes the thread blocked in accept (close alone would
        # leave the socket listening until accept returns).
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        with self.lock:
            for c in list(self.conns):
                try:
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 b"\1\0\0\0\0\0\0\0")
                    c.close()
                except OSError:
                    pass
            self.conns.clear()

    def accept(self, s):
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            threading.Thread(target=self.pipe, args=(c,), daemon=True).start()

    def pipe(self, c):
        try:
            u = socket.create_connection(self.upstream, timeout=5)
            u.settimeout(None)
        except OSError:
            c.close()
            return
        with self.lock:
            self.conns |= {c, u}
            self.carried += 1

        def one_way(a, b):
            try:
                while (data := a.recv(65536)):
                    b.sendall(data)
            except OSError:
                pass
            for x in (a, b):
                try:
                    x.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        t = threading.Thread(target=one_way, args=(u, c), daemon=True)
        t.start()
        one_way(c, u)
        t.join()
        with self.lock:
            self.conns -= {c, u}
        c.close()
        u.close()


def addr_of(c):
    h, p = c.addr.rsplit(":", 1)
    return (h, int(p))


def headlines(c):
    return [h for h in (mb_headline(line) for line in
                        mb("export", c.dir).splitlines() if line.strip())]


def mb_headline(line):
    import json
    return json.loads(line)["item"]["headlines"][0]["value"]


def test_partition_heals(w):
    everyone = []
    try:
        hq = Center(w.root, "moscow", "RU", "ru,en")
        hq.start()
        everyone.append(hq)
        to_hq = Relay(addr_of(hq))

        class HqViaRelay:
            url = to_hq.url

            @staticmethod
            def key():
                return hq.key()
        cairo = Center(w.root, "cairo", "EG", "ar,en", hq=HqViaRelay)
        manama = Center(w.root, "manama", "BH", "ar,en", hq=hq)
        cairo.start()
        manama.start()
        everyone += [cairo, manama]
        to_cairo = Relay(addr_of(cairo))
        mb("center", "add", hq.dir, "--id", "cairo", "--url", to_cairo.url,
           "--key", cairo.key(), "--country", "EG", "--name", "Cairo",
           "--languages", "ar,en")
        fedlib.admit(hq, manama)
        centers = (hq, cairo, manama)

        # Before: one item from each reaches all.
        for c in centers:
            c.publish([item("before from " + c.id)])
        before = {"before from " + c.id for c in centers}
        for c in centers:
            wait_for("%s has the first items" % c.id,
                     lambda: before <= set(headlines(c)), timeout=40)
        check(to_hq.carried > 0 and to_cairo.carried > 0,
              "both directions went through the relays")

        # Cut. Each side publishes; each side gets only its own side's.
        to_hq.cut()
        to_cairo.cut()
        during = {c.id: {"during %d from %s" % (i, c.id) for i in range(5)}
                  for c in centers}
        for c in centers:
            c.publish([item(h) for h in sorted(during[c.id])])
        wait_for("manama's partition items at HQ and back",
                 lambda: during["manama"] <= set(headlines(hq)) and
                 during["moscow"] <= set(headlines(manama)), timeout=40)
        time.sleep(3)   # cairo's items would have had time to cross
        for c in (hq, manama):
            eq(during["cairo"] & set(headlines(c)), set(),
               "nothing from cairo crossed the cut to " + c.id)
        eq((during["moscow"] | during["manama"]) & set(headlines(cairo)),
           set(), "nothing crossed the cut to cairo")
        check(cairo.proc.poll() is None and hq.proc.poll() is None,
              "both sides stay up")

        # Heal: everything everywhere, once.
        to_hq.heal()
        to_cairo.heal()
        want = before.union(*during.values())
        for c in centers:
            wait_for("%s has every item after healing" % c.id,
                     lambda: set(headlines(c)) == want, timeout=60)
        for c in centers:
            h = headlines(c)
            eq(len(h), len(want), "no duplicates at " + c.id)
            v = c.versions()
            eq(len(v), len(set(v)), "no duplicate versions at " + c.id)
            eq(fedlib.mb("verify", c.dir, full=True, check=False)
               .returncode, 0, "verify " + c.id)
    finally:
        for c in everyone:
            try:
                c.stop()
            except Exception:   # noqa: BLE001 - best effort at the end
                c.proc.kill()


if __name__ == "__main__":
    main(globals())
