# SPDX-License-Identifier: MIT
"""The exchange over a link that fails: a relay at HQ's address drops
every connection after 64 KiB of answer, so a 1,000-version batch
(~1.7 MB) never gets through whole. The puller must shrink its batches
until they do and converge, with nothing lost or doubled; so must
`sync --once`."""

import os
import random
import signal
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import Center, admit, free_port, http_get, mb  # noqa: E402

CUT = 64 * 1024
ITEMS = 800


class CuttingRelay:
    """Forwards 127.0.0.1:port to upstream; closes a connection once it
    has carried CUT bytes of answer (the link dropping)."""

    def __init__(self, port, upstream):
        self.upstream = upstream
        self.cuts = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
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
            u = socket.create_connection(self.upstream)
        except OSError:
            c.close()
            return

        def up():
            try:
                while (b := c.recv(65536)):
                    u.sendall(b)
            except OSError:
                pass
            try:
                u.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        threading.Thread(target=up, daemon=True).start()
        sent = 0
        try:
            while (b := u.recv(16384)):
                if sent + len(b) > CUT:
                    c.sendall(b[:CUT - sent])
                    with self.lock:
                        self.cuts += 1
                    break
                c.sendall(b)
                sent += len(b)
        except OSError:
            pass
        for s in (c, u):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def words(rng, n):
    vocab = ["river", "market", "council", "harvest", "school", "bridge",
             "rainfall", "festival", "minister", "clinic", "railway",
             "library", "exchange", "visitors", "summit", "fishermen",
             "museum", "drought", "election", "theatre", "village", "port"]
    return " ".join(rng.choice(vocab) + str(rng.randrange(10000))
                    for _ in range(n))


def metric(c, name):
    st, body = http_get(c.url + "/metrics")
    assert st == 200, "metrics: HTTP %d" % st
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def configured(c):
    """The host:port in c's configuration ([server] listen)."""
    with open(os.path.join(c.dir, "mediabridge.conf")) as f:
        conf = f.read()
    return conf.split("listen = ", 1)[1].split("\n", 1)[0].strip()


def main():
    t0 = time.monotonic()
    root = tempfile.mkdtemp(prefix="mb-links-")
    hq = Center(root, "moscow", "RU", "ru,en")
    # Peers know HQ at its configured address; the relay takes it and HQ
    # serves on another port behind it.
    known = configured(hq)
    inner = "127.0.0.1:%d" % free_port()
    hq.start(listen=inner)
    started = [hq]
    try:
        run(root, hq, known, inner, started, t0)
    except Exception:
        for c in started:
            with open(os.path.join(c.dir, "serve.log"), errors="replace") as f:
                sys.stderr.write("---- %s ----\n%s\n" % (c.id,
                                                       f.read()[-3000:]))
        raise
    finally:
        for c in started:
            try:
                c.stop(signal.SIGKILL)
            except Exception:
                pass
    print("all link tests passed in %.1fs" % (time.monotonic() - t0))


def run(root, hq, known, inner, started, t0):
    relay = CuttingRelay(int(known.rsplit(":", 1)[1]),
                         ("127.0.0.1", int(inner.rsplit(":", 1)[1])))
    rng = random.Random(4)
    hq.publish([{"headlines": [{"value": "Link test %d" % i}],
                 "language": "en", "type": "text",
                 "bodies": [{"value": "<p>%s</p>" % words(rng, 420)}]}
                for i in range(ITEMS)])
    hq.addr = known			# what branches are told
    cairo = Center(root, "cairo", "EG", "ar,en", hq=hq)
    manama = Center(root, "manama", "BH", "ar,en", hq=hq)
    hq.addr = inner
    for c in (cairo, manama):
        c.addr = configured(c)
        admit(hq, c)
    cairo.start()
    started.append(cairo)
    # 1. serve's puller: smaller batches until they get through.
    end = time.monotonic() + 120
    while metric(cairo, 'mediabridge_peer_cursor{peer="moscow"}') < \
            metric(hq, "mediabridge_log_seq"):
        if time.monotonic() > end:
            raise AssertionError("cairo did not converge: %s" %
                                 cairo.peers())
        time.sleep(0.2)
    got = cairo.versions()
    assert len(got) == ITEMS and len(set(got)) == ITEMS, len(got)
    errors = metric(cairo, 'mediabridge_peer_errors_total{peer="moscow"}')
    assert relay.cuts >= 1 and errors >= 1, (relay.cuts, errors)
    print("ok serve converged over a link that drops every connection "
          "after 64 KiB (%d cuts, %d failed pulls) (%.1fs)" %
          (relay.cuts, errors, time.monotonic() - t0))

    # 2. sync --once: retries at once, smaller, and gets everything.
    before = relay.cuts
    once = mb("sync", manama.dir, "--once", env=dict(fedlib.ENV,
              MB_LOG="debug"), full=True)
    out = once.stdout
    got = manama.versions()
    assert len(got) == ITEMS and len(set(got)) == ITEMS, (
        len(got), out, once.stderr[-3000:])
    assert relay.cuts > before, "the relay cut nothing"
    # One line a peer: its id, what came, how it ended.
    lines = [l.split("\t") for l in out.splitlines() if "\t" in l]
    assert len(lines) == 1 and lines[0][1] == "%d new" % ITEMS and \
        lines[0][2] == "0 refused" and lines[0][3] == "ok", out
    mb("verify", manama.dir)
    print("ok sync --once over the same link (%d cuts) (%.1fs)" %
          (relay.cuts - before, time.monotonic() - t0))


if __name__ == "__main__":
    main()
