# SPDX-License-Identifier: MIT
"""A hostile peer: a member center whose server is ours, in Python, and
lies. Dakar pulls from it (peer add) besides HQ. It sends a batch with
forged origins, mutated signatures, altered content and an oversize
envelope among honest ones; then an answer announcing 2 GiB; then line
noise; then a trickle of a byte at a time. Dakar refuses each lie (none
of it is stored), keeps the honest versions, stays up, and keeps
pulling from HQ meanwhile."""

import json
import os
import socket
import sys
import threading
import time

from mbtest import check, eq, main

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import Center, admit, http_get, item, mb, wait_for  # noqa: E402


class Hostile:
    """Answers GET /federation/v1/log as mode says; closes otherwise."""

    def __init__(self):
        self.mode = "quiet"
        self.lines = []
        self.sent = {}
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,),
                             daemon=True).start()

    def serve(self, c):
        try:
            c.settimeout(60)
            while True:
                req = b""
                while b"\r\n\r\n" not in req:
                    b = c.recv(65536)
                    if not b:
                        return
                    req += b
                line = req.split(b"\r\n", 1)[0].decode()
                path = line.split(" ")[1]
                self.answer(c, path)
                if self.mode not in ("forged", "eager"):
                    return
        except OSError:
            pass
        finally:
            c.close()

    def answer(self, c, path):
        mode = self.mode
        self.sent[mode] = self.sent.get(mode, 0)
        if path.startswith("/federation/v1/center"):
            body = json.dumps({"id": "evil"}).encode()
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json"
                      b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            return
        if not path.startswith("/federation/v1/log"):
            c.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            return
        after = 0
        if "after=" in path:
            after = int(path.split("after=")[1].split("&")[0])
        if mode == "forged":
            lines = [l for s, l in self.lines if s > after]
            last = len(self.lines)
            body = b"".join(lines)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/"
                      b"x-ndjson\r\nMb-Log-Next: %d\r\nMb-Log-Last: %d\r\n"
                      b"Mb-Log-Count: %d\r\nMb-Registry-Version: 0\r\n"
                      b"Content-Length: %d\r\n\r\n" % (
                          max(after, last), last, len(lines), len(body)) +
                      body)
        elif mode == "eager":
            # At once, nothing new, "more waiting": no long-poll held.
            self.sent[mode] += 1
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/"
                      b"x-ndjson\r\nMb-Log-Next: %d\r\nMb-Log-Last: %d\r\n"
                      b"Mb-Log-Count: 0\r\nMb-Registry-Version: 0\r\n"
                      b"Content-Length: 0\r\n\r\n" % (after, after + 1000))
        elif mode == "huge":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/"
                      b"x-ndjson\r\nMb-Log-Next: 999\r\nMb-Log-Last: 999\r\n"
                      b"Mb-Log-Count: 999\r\nMb-Registry-Version: 0\r\n"
                      b"Content-Length: 2147483648\r\n\r\n")
            chunk = b"{" * 65536
            for _ in range(512):        # 32 MiB at most
                c.sendall(chunk)
                self.sent[mode] += len(chunk)
        elif mode == "noise":
            body = b"\x00\xff not json {{{\n" * 100
            c.sendall(b"HTTP/1.1 200 OK\r\nMb-Log-Next: 50\r\n"
                      b"Mb-Log-Last: 50\r\nMb-Log-Count: 100\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif mode == "trickle":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/"
                      b"x-ndjson\r\nMb-Log-Next: 1\r\nMb-Log-Last: 1\r\n"
                      b"Mb-Log-Count: 1\r\nContent-Length: 100000\r\n\r\n")
            for _ in range(120):
                if self.mode != "trickle":
                    break
                c.sendall(b" ")
                self.sent[mode] += 1
                time.sleep(0.5)
        else:
            time.sleep(1)
            c.sendall(b"HTTP/1.1 503 Service Unavailable\r\n"
                      b"Content-Length: 0\r\n\r\n")


def stored(c):
    out = {}
    for line in mb("export", c.dir).splitlines():
        if line.strip():
            e = json.loads(line)
            out[e["item"]["uri"]] = e
    return out


def peer(c, pid):
    return c.peers().get(pid, {})


def test_hostile_peer(w):
    everyone = []
    try:
        hq = Center(w.root, "moscow", "RU", "ru,en")
        hq.start()
        everyone.append(hq)
        dakar = Center(w.root, "dakar", "SN", "fr,en", hq=hq)
        dakar.start()
        everyone.append(dakar)
        admit(hq, dakar)
        # evil is a real member (its key is in the registry); its server
        # is ours. Its honest items are signed by its own key.
        evil = Center(w.root, "evil", "EG", "ar", hq=hq)
        h = Hostile()
        evil.addr = "127.0.0.1:%d" % h.port
        evil.publish([item("evil honest %d" % i) for i in range(3)])
        admit(hq, evil)
        wait_for("dakar knows evil", lambda: "evil" in
                 mb("center", "list", dakar.dir), timeout=30)
        mine = [json.loads(l) for l in mb("export", evil.dir).splitlines()]
        hq.publish([item("moscow story")])
        wait_for("hq's story at dakar", lambda: any(
            e["item"]["headlines"][0]["value"] == "moscow story"
            for e in stored(dakar).values()), timeout=30)
        moscow_env = [e for e in stored(hq).values()
                      if e["meta"]["origin"] == "moscow"][0]

        def dump(e):
            return json.dumps(e, separators=(",", ":"), ensure_ascii=False)

        lies = []
        # 1. A forged origin: evil's item dressed as Moscow's.
        e = json.loads(dump(mine[0]))
        e["meta"]["origin"] = "moscow"
        e["item"]["uri"] = e["item"]["uri"].replace(":evil:", ":moscow:")
        e["item"]["headlines"][0]["value"] = "LIE forged origin"
        lies.append(e)
        # 2. Moscow's envelope with its signature mutated.
        e = json.loads(dump(moscow_env))
        e["item"]["uri"] = e["item"]["uri"][:-4] + "lie2"
        sig = bytearray(e["signature"].encode())
        sig[5] = ord("A") if sig[5] != ord("A") else ord("B")
        e["signature"] = sig.decode()
        e["item"]["headlines"][0]["value"] = "LIE mutated signature"
        lies.append(e)
        # 3. Evil's own envelope, content changed after signing.
        e = json.loads(dump(mine[1]))
        e["item"]["headlines"][0]["value"] = "LIE altered content"
        lies.append(e)
        # 4. A uri of Moscow's under evil's origin and signature.
        e = json.loads(dump(mine[2]))
        e["item"]["uri"] = e["item"]["uri"].replace(":evil:", ":moscow:")
        e["item"]["headlines"][0]["value"] = "LIE uri of another"
        lies.append(e)
        # 5. Oversize: an envelope over 4 MiB.
        e = json.loads(dump(mine[0]))
        e["item"]["bodies"] = [{"value": "<p>" + "LIE " * (1300 * 1024) +
                                "</p>"}]
        lies.append(e)
        batch = [mine[0]] + lies + [mine[1], mine[2]]
        h.lines = [(i + 1, ('{"seq":%d,"envelope":%s}\n' % (
            i + 1, dump(e))).encode()) for i, e in enumerate(batch)]
        h.mode = "forged"
        mb("peer", "add", dakar.dir, "http://" + evil.addr, "--id", "evil")
        wait_for("the hostile batch taken", lambda: int(
            peer(dakar, "evil").get("cursor", 0)) == len(batch), timeout=60)
        p = peer(dakar, "evil")
        eq(int(p["refused"]), len(lies), "every lie refused: %r" % p)
        got = stored(dakar)
        eq([u for u, e in got.items() if "LIE" in json.dumps(e)], [],
           "no lie stored")
        for e in mine:
            check(e["item"]["uri"] in got, "the honest items kept")
        eq(got[moscow_env["item"]["uri"]], moscow_env,
           "Moscow's real item untouched")

        def still_fine(what):
            check(dakar.proc.poll() is None, "dakar up after " + what)
            st, _ = http_get(dakar.url + "/healthz")
            eq(st, 200, "dakar answers after " + what)
            hq.publish([item("moscow after " + what)])
            wait_for("hq still reaches dakar after " + what, lambda: any(
                e["item"]["headlines"][0]["value"] == "moscow after " + what
                for e in stored(dakar).values()), timeout=30)
            eq(fedlib.mb("verify", dakar.dir, full=True, check=False)
               .returncode, 0, "verify after " + what)

        still_fine("the forged batch")
        cursor = int(peer(dakar, "evil")["cursor"])
        # A peer that answers at once with nothing new: the puller waits
        # between such rounds, longer each time, instead of signing,
        # fetching and committing thousands of times a second.
        h.mode = "eager"
        wait_for("eager answers", lambda: h.sent.get("eager", 0) > 0,
                 timeout=30)
        time.sleep(4)
        check(h.sent["eager"] < 20, "pulls from an eager peer wait",
              h.sent["eager"])
        still_fine("eager")
        # 2 GiB announced: refused without reading it all.
        h.mode = "huge"
        wait_for("the huge answer tried", lambda: h.sent.get("huge", 0) > 0,
                 timeout=30)
        time.sleep(2)
        still_fine("a 2 GiB answer")
        check(h.sent["huge"] < 32 * 1024 * 1024, "dakar stopped reading "
              "early", h.sent["huge"])
        for mode in ("noise", "trickle"):
            h.mode = mode
            wait_for(mode + " sent", lambda: mode in h.sent, timeout=30)
            time.sleep(2)
            still_fine(mode)
        h.mode = "quiet"
        eq(int(peer(dakar, "evil")["cursor"]), cursor,
           "no lie moved the cursor")
        eq([u for u, e in stored(dakar).items() if "LIE" in json.dumps(e)],
           [], "still no lie stored")
    finally:
        for c in everyone:
            try:
                c.stop()
            except Exception:   # noqa: BLE001 - best effort
                c.proc.kill()


if __name__ == "__main__":
    main(globals())
