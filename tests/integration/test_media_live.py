# SPDX-License-Identifier: MIT
"""A video fetched on demand is answered as its bytes arrive (issue 23):
between Manama and Cairo sits a relay of our own that lets Cairo's blob
answers through only as far as the test says, so a reader's first bytes
are seen while the rest is provably still at Cairo. Then: the bytes are
the original's, two readers cost Cairo one fetch, a fetch cut half-way
resumes with Range from what the .part holds, a Cairo that sends
wrong bytes leaves Manama neither the blob nor its .part, with the
reader's answer cut, never completed, and a second video asked for while
a first is stuck on the link is fetched beside it, not behind it; a
link that drops mid-video leaves Cairo asked at once for the next one.

Nothing here waits on a clock for its verdict: the relay holds the bytes
back, and every wait is for a state, bounded only so that a broken build
fails rather than hangs."""

import hashlib
import http.client
import os
import re
import socket
import struct
import sys
import threading
import time

from mbtest import check, eq, main, wait_for

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402

ENV = dict(fedlib.ENV, MB_MEDIA_FETCH_MS="200", MB_MEDIA_EAGER_BYTES="1000")


class Relay:
    """A TCP relay from port to upstream. Connections whose request is
    for /federation/v1/blobs/ are blob connections: what comes back on
    them passes only up to `allowed` bytes (all of them together; None:
    no limit; nothing at all for the hashes in `held`), may have a byte
    of its body flipped (hashes in `corrupt`)
    or announce 1000 bytes more than the blob (`longer`), and can be
    cut. Every blob request is recorded: (hash, Range)."""

    def __init__(self, port, upstream):
        self.upstream = upstream
        self.cond = threading.Condition()
        self.allowed = None
        self.sent = 0
        self.corrupt = set()
        self.longer = set()
        self.held = set()
        self.requests = []
        self.conns = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def allow(self, n):
        """Lets n more bytes of blob answers through (None: all)."""
        with self.cond:
            self.allowed = None if n is None else self.sent + n
            self.cond.notify_all()

    def hold(self):
        self.allow(0)

    def hold_blob(self, h, held):
        """Holds everything of h's answers back (True), or lets it go."""
        with self.cond:
            if held:
                self.held.add(h)
            else:
                self.held.discard(h)
            self.cond.notify_all()

    def blob_requests(self, h):
        with self.cond:
            return [rng for hh, rng in self.requests if hh == h]

    def cut(self):
        """Closes every blob connection (the link drops)."""
        with self.cond:
            conns, self.conns = self.conns, []
            for c in conns:
                c["dead"] = True
            self.cond.notify_all()
        for c in conns:
            for s in (c["down"], c["up"]):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.stop = True
        self.sock.close()
        self.cut()

    def _accept(self):
        while not self.stop:
            try:
                down, _ = self.sock.accept()
            except OSError:
                return
            try:
                up = socket.create_connection(("127.0.0.1", self.upstream))
            except OSError:
                down.close()
                continue
            c = {"down": down, "up": up, "blob": None, "hash": None,
                 "dead": False, "ready": threading.Event()}
            threading.Thread(target=self._c2u, args=(c,), daemon=True).start()
            threading.Thread(target=self._u2c, args=(c,), daemon=True).start()

    def _c2u(self, c):
        head = b""
        while True:
            try:
                data = c["down"].recv(65536)
            except OSError:
                data = b""
            if not c["ready"].is_set():
                head += data
                if b"\r\n\r\n" in head or not data:
                    self._classify(c, head)
                    c["ready"].set()
            if not data:
                break
            try:
                c["up"].sendall(data)
            except OSError:
                break
        try:
            c["up"].shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _classify(self, c, head):
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        if "/federation/v1/blobs/" not in line:
            c["blob"] = False
            return
        h = line.split("/federation/v1/blobs/", 1)[1].split()[0]
        rng = None
        for hl in head.split(b"\r\n")[1:]:
            k, _, v = hl.decode("latin-1").partition(":")
            if k.strip().lower() == "range":
                rng = v.strip()
        with self.cond:
            c["blob"] = True
            c["hash"] = h
            self.requests.append((h, rng))
            self.conns.append(c)

    def _u2c(self, c):
        c["ready"].wait()
        body_at = None          # bytes of the answer before its body
        seen = 0
        flipped = False
        while True:
            try:
                data = c["up"].recv(16384)
            except OSError:
                data = b""
            if not data:
                break
            if c["blob"]:
                if body_at is None and c["hash"] in self.longer:
                    data = re.sub(
                        rb"(?i)content-length: *(\d+)",
                        lambda m: b"Content-Length: %d" %
                        (int(m.group(1)) + 1000), data, count=1)
                if body_at is None:
                    i = data.find(b"\r\n\r\n")
                    if i >= 0:
                        body_at = seen + i + 4
                if (c["hash"] in self.corrupt and not flipped and
                        body_at is not None and seen + len(data) > body_at):
                    b = bytearray(data)
                    b[body_at - seen] ^= 0xFF
                    data = bytes(b)
                    flipped = True
                seen += len(data)
            while data:
                n = len(data)
                if c["blob"]:
                    with self.cond:
                        while (not c["dead"] and
                               (c["hash"] in self.held or
                                (self.allowed is not None and
                                 self.sent >= self.allowed))):
                            self.cond.wait()
                        if c["dead"]:
                            break
                        if self.allowed is not None:
                            n = min(n, self.allowed - self.sent)
                        self.sent += n
                try:
                    c["down"].sendall(data[:n])
                except OSError:
                    c["dead"] = True
                    break
                data = data[n:]
            if c["dead"]:
                break
        # Shut down before closing: a close alone, with c2u blocked in
        # recv() on the socket, sends no FIN and the branch would wait.
        for s in (c["down"], c["up"]):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass


def wav(n, seed):
    """A WAV of n bytes of sound (random: any wrong byte shows)."""
    data = hashlib.sha256(b"seed%d" % seed).digest()
    body = bytearray()
    while len(body) < n:
        data = hashlib.sha256(data).digest()
        body += data * 64
    body = bytes(body[:n])
    return (b"RIFF" + struct.pack("<I", 36 + n) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" +
            struct.pack("<I", n) + body)


def blob_path(c, h):
    return os.path.join(c.dir, "blobs", h[:2], h)


def open_get(addr, path, rng=None):
    """A GET whose answer is read as it comes: (connection, response)."""
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    conn.request("GET", path, headers={"Range": rng} if rng else {})
    return conn, conn.getresponse()


def read_all(resp):
    """The rest of the body, and whether it came whole."""
    try:
        return resp.read(), True
    except http.client.IncompleteRead as e:
        return e.partial, False
    except (ConnectionError, socket.timeout):
        return b"", False


def get_when_here(addr, path, what, timeout=120):
    """GETs path until it is not a 503 (the origin backing off)."""
    end = time.monotonic() + timeout
    while True:
        conn, r = open_get(addr, path)
        if r.status != 503 or time.monotonic() > end:
            return conn, r
        r.read()
        conn.close()
        time.sleep(0.3)


def cut_half_way(relay, branch, url, h, orig):
    """A reader of url at branch has its first quarter when the relay,
    having let half of it through, drops the link: the reader's answer
    is cut, not completed. The .part's path."""
    relay.allow(len(orig) // 2)
    conn, r = open_get(branch.addr, url)
    eq(r.status, 200, "the whole, as it comes")
    part = blob_path(branch, h) + ".part"
    wait_for(lambda: relay.sent >= relay.allowed, 60, "half of it sent")
    wait_for(lambda: os.path.exists(part) and
             os.path.getsize(part) >= len(orig) // 4, 60, "the .part fills")
    got = r.read(len(orig) // 4)
    eq(got, orig[:len(orig) // 4], "the first quarter's bytes")
    relay.cut()
    _, whole = read_all(r)
    check(not whole, "the reader's answer is cut, not completed")
    conn.close()
    return part


def test_video_as_it_arrives(w):
    cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en")
    known = None
    for line in open(os.path.join(cairo.dir, "mediabridge.conf")):
        k, _, v = line.partition("=")
        if k.strip() == "listen":
            known = v.strip()
    real = fedlib.free_port()
    cairo.start(env=ENV, listen="127.0.0.1:%d" % real)
    direct = cairo.addr
    cairo.addr = known
    relay = Relay(int(known.rsplit(":", 1)[1]), real)
    manama = fedlib.Center(w.root, "manama", "BH", "ar,en", hq=cairo)
    manama.start(env=ENV)
    try:
        fedlib.admit(cairo, manama)
        fedlib.mb("user", "add", cairo.dir, "edi", "--role", "editor")
        tok = fedlib.mb("token", "add", cairo.dir, "edi").strip()
        from mbtest import Client
        cc = Client(direct)
        cc.token = tok
        media = []
        for seed in (1, 2, 3, 4, 5, 6, 7, 8):
            r = cc.post("/api/v1/media", raw=wav(1500000 + seed * 1000, seed))
            eq(r.status, 201, "upload: %r" % r)
            media.append(r.json)
        r = cc.post("/api/v1/items", {
            "type": "audio", "language": "ar",
            "headlines": [{"value": "تسجيلات من القاهرة"}],
            "renditions": [m["renditions"][0] for m in media]})
        eq(r.status, 201, "item: %r" % r)
        _, _, center, local = r.json["item"]["uri"].split(":")
        eq(cc.post("/api/v1/items/%s/%s/publish" % (center, local)).status,
           200, "publish")
        urls = [m["urls"][0] for m in media]
        hashes = [u.rsplit("/", 1)[1] for u in urls]
        orig = []
        for u in urls:
            st, body = fedlib.http_get("http://" + direct + u)
            eq(st, 200, "Cairo serves its own")
            orig.append(body)
        fedlib.wait_for("the item at Manama", lambda: all(
            m["renditions"][0]["href"] in fedlib.mb("export", manama.dir)
            for m in media), 60)
        time.sleep(0.5)
        for h in hashes:
            check(not os.path.exists(blob_path(manama, h)), "not eager")
        maddr = manama.addr

        # 1. A player asks bytes=0-: its first bytes come while Cairo's
        # answer is held after 64 KiB, so the blob cannot be at Manama.
        a, ha, oa = urls[0], hashes[0], orig[0]
        relay.allow(64 * 1024)
        c1, r1 = open_get(maddr, a, "bytes=0-")
        eq(r1.status, 206, "a range while it is fetched")
        eq(r1.getheader("Content-Range"), "bytes 0-%d/%d" %
           (len(oa) - 1, len(oa)), "the size announced up front")
        eq(int(r1.getheader("Content-Length")), len(oa), "length")
        first = r1.read(20000)
        check(relay.sent <= 64 * 1024 < len(oa), "Cairo sent %d of %d bytes"
              % (relay.sent, len(oa)))
        check(not os.path.exists(blob_path(manama, ha)),
              "the blob is not whole at Manama yet")
        eq(first, oa[:20000], "the first bytes are the original's")
        # A second reader (the player seeking) joins the same fetch.
        c2, r2 = open_get(maddr, a, "bytes=1000000-")
        eq(r2.status, 206, "the seek")
        eq(r2.getheader("Content-Range"), "bytes 1000000-%d/%d" %
           (len(oa) - 1, len(oa)), "the seek's range")
        relay.allow(None)
        rest1, whole1 = read_all(r1)
        rest2, whole2 = read_all(r2)
        check(whole1 and whole2, "both answers complete")
        eq(hashlib.sha256(first + rest1).hexdigest(), ha, "reader 1 intact")
        check(rest2 == oa[1000000:], "reader 2 has the original's bytes")
        eq(len(relay.blob_requests(ha)), 1, "two readers, one fetch at Cairo")
        wait_for(lambda: os.path.exists(blob_path(manama, ha)), 30,
                 "the blob in place")
        check(not os.path.exists(blob_path(manama, ha) + ".part"), "no .part")
        c1.close()
        c2.close()
        conn, r = open_get(maddr, a, "bytes=0-9")
        eq((r.status, r.read()), (206, oa[:10]), "then served from the file")
        conn.close()

        # 2. The link drops half-way: the reader's answer is cut, the
        # .part kept, and the next fetch asks Cairo only for the rest.
        b, hb, ob = urls[1], hashes[1], orig[1]
        part = cut_half_way(relay, manama, b, hb, ob)
        kept = os.path.getsize(part)
        check(0 < kept < len(ob), "the .part keeps %d bytes" % kept)
        relay.allow(None)
        c4, r4 = get_when_here(maddr, b, "the rest")
        eq(r4.status, 200, "again once the backoff allows: %r" % r4.status)
        body4, whole4 = read_all(r4)
        check(whole4 and body4 == ob, "the whole blob, right")
        c4.close()
        rq = relay.blob_requests(hb)
        eq(rq[0], None, "the first fetch asks for all of it")
        eq(rq[-1], "bytes=%d-" % kept, "the next resumes where the .part "
           "ended (%r)" % rq)
        wait_for(lambda: os.path.exists(blob_path(manama, hb)), 30,
                 "the blob in place")

        # 3. Cairo sends a wrong byte: the reader's answer is cut before
        # its end, and Manama keeps neither the blob nor the .part.
        cb, hc = urls[2], hashes[2]
        relay.corrupt.add(hc)
        c5, r5 = get_when_here(maddr, cb, "the corrupt one")
        eq(r5.status, 200, "streams")
        body5, whole5 = read_all(r5)
        check(not whole5, "cut, not completed wrong (%d bytes)" % len(body5))
        check(len(body5) < len(orig[2]), "the last byte held back")
        c5.close()
        wait_for(lambda: not os.path.exists(blob_path(manama, hc) + ".part"),
                 30, "no .part left")
        check(not os.path.exists(blob_path(manama, hc)), "no blob kept")
        with open(os.path.join(manama.dir, "serve.log")) as f:
            log = f.read()
        check("content hashes to" in log, "the mismatch logged")

        # 4. Cairo announces more bytes than the item says: refused at
        # once, the reader told to come back, nothing kept.
        ld, hd = urls[3], hashes[3]
        relay.longer.add(hd)
        conn, r6 = open_get(maddr, ld)
        eq(r6.status, 503, "not served: %r" % r6.read()[:300])
        check(r6.getheader("Retry-After") is not None, "Retry-After")
        conn.close()
        check(not os.path.exists(blob_path(manama, hd)), "no blob kept")
        check(not os.path.exists(blob_path(manama, hd) + ".part"),
              "no .part kept")
        eq(len(relay.blob_requests(hd)), 1, "asked once")
        with open(os.path.join(manama.dir, "serve.log")) as f:
            check("the center says %d bytes, the item %d" % (
                len(orig[3]) + 1000, len(orig[3])) in f.read(),
                "the refusal logged")

        # 5. A first video stuck on the link (Cairo's answer held whole,
        # its headers too) does not hold up a second: the second reader
        # has all of theirs while the first fetch still waits.
        (le, he, oe), (lf, hf, of) = [(urls[i], hashes[i], orig[i])
                                      for i in (4, 5)]
        relay.hold_blob(he, True)
        got_e = {}

        def read_e():
            conn, r = get_when_here(maddr, le, "the stuck one")
            got_e["status"] = r.status
            got_e["body"], got_e["whole"] = read_all(r)
            conn.close()

        te = threading.Thread(target=read_e, daemon=True)
        te.start()
        wait_for(lambda: len(relay.blob_requests(he)) == 1, 30,
                 "the first video asked of Cairo")
        t0 = time.monotonic()
        conn, r7 = open_get(maddr, lf)
        eq(r7.status, 200, "the second video beside the first")
        body7, whole7 = read_all(r7)
        conn.close()
        check(whole7 and body7 == of, "the second video whole and right")
        check(time.monotonic() - t0 < 15, "the second came in %.1f s, not "
              "after the first's wait" % (time.monotonic() - t0))
        check(te.is_alive() and not os.path.exists(blob_path(manama, he)),
              "the first is still stuck meanwhile")
        relay.hold_blob(he, False)
        te.join(120)
        eq(got_e.get("status"), 200, "the first once the link lets it go")
        check(got_e.get("whole") and got_e.get("body") == oe,
              "the first video whole and right")
        eq(len(relay.blob_requests(he)), 1, "the first asked of Cairo once")

        # 6. The link drops in the middle of a video: that says nothing
        # against Cairo, which answered. Another video is asked of it at
        # once (no backoff for the center), and the cut one resumes.
        (lg, hg, og), (lh, hh, oh) = [(urls[i], hashes[i], orig[i])
                                      for i in (6, 7)]
        cut_half_way(relay, manama, lg, hg, og)
        relay.allow(None)
        conn, r9 = open_get(maddr, lh)
        eq(r9.status, 200, "another video from Cairo right after the cut")
        body9, whole9 = read_all(r9)
        conn.close()
        check(whole9 and body9 == oh, "that video whole and right")
        c10, r10 = get_when_here(maddr, lg, "the cut one")
        body10, whole10 = read_all(r10)
        c10.close()
        check(whole10 and body10 == og, "the cut one, resumed, whole")
        rq = relay.blob_requests(hg)
        check(len(rq) == 2 and rq[0] is None and rq[1] is not None and
              rq[1] != "bytes=0-", "asked whole, then resumed: %r" % rq)
        with open(os.path.join(manama.dir, "serve.log")) as f:
            log = f.read()
        check("gave no answer" not in log, "no cut was taken for a center "
              "that does not answer")
    except Exception:
        with relay.cond:
            sys.stderr.write("relay: sent=%d allowed=%r requests=%r "
                             "open blob connections=%d\n" % (
                                 relay.sent, relay.allowed, relay.requests,
                                 len(relay.conns)))
        for c in (cairo, manama):
            with open(os.path.join(c.dir, "serve.log"), errors="replace") as f:
                sys.stderr.write("---- %s ----\n%s\n" % (c.id,
                                                       f.read()[-6000:]))
        raise
    finally:
        relay.close()
        cairo.addr = direct
        cairo.stop()
        manama.stop()


if __name__ == "__main__":
    main(globals())
