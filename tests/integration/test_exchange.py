# SPDX-License-Identifier: MIT
"""The exchange with real processes over real HTTP: star propagation, HQ
down and up, an extra direct link, kill -9 mid-batch, a tampering relay,
unsigned and replayed requests, revocation."""

import http.server
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import Center, admit, http_get, item, mb, wait_for  # noqa: E402


def same_sets(*centers):
    sets = [set(c.versions()) for c in centers]
    return all(s == sets[0] for s in sets)


def no_duplicates(c):
    v = c.versions()
    assert len(v) == len(set(v)), "%s holds duplicates" % c.id


def has(c, uris):
    mine = {u for u, _ in c.versions()}
    return uris <= mine


def metric(c, name):
    st, body = http_get(c.url + "/metrics")
    assert st == 200, "metrics: HTTP %d" % st
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def uris_of(c, text):
    out = set()
    for line in mb("export", c.dir).splitlines():
        env = json.loads(line)
        if env["item"]["headlines"][0]["value"].startswith(text):
            out.add(env["item"]["uri"])
    return out


class Relay(http.server.BaseHTTPRequestHandler):
    """A member that relays HQ's log but alters one envelope."""
    lines = []

    def do_GET(self):
        after = 0
        if "after=" in self.path:
            after = int(self.path.split("after=")[1].split("&")[0])
        lines = [l for s, l in self.lines if s > after]
        body = b"".join(lines)
        last = len(self.lines)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Mb-Log-Next", str(max(after, last)))
        self.send_header("Mb-Log-Last", str(last))
        self.send_header("Mb-Log-Count", str(len(lines)))
        self.send_header("Mb-Registry-Version", "0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def main():
    t0 = time.monotonic()
    root = tempfile.mkdtemp(prefix="mb-fed-")
    hq = Center(root, "moscow", "RU", "ru,en")
    hq.start()
    cairo = Center(root, "cairo", "EG", "ar,en", hq=hq)
    manama = Center(root, "manama", "BH", "ar,en", hq=hq)
    cairo.start()
    manama.start()
    admit(hq, cairo)
    admit(hq, manama)
    everyone = [hq, cairo, manama]
    try:
        # 1. Star: Cairo -> HQ -> Manama.
        cairo.publish([item("مرحبا من القاهرة", "ar"), item("Hello, Cairo")])
        star = uris_of(cairo, "")
        wait_for("star propagation", lambda: has(manama, star))
        print("ok star propagation (%.1fs)" % (time.monotonic() - t0))
        # Split horizon: nobody is handed back what it sent or signed,
        # though every cursor moves past it.
        wait_for("cursors past the star items", lambda: metric(
            cairo, 'mediabridge_peer_cursor{peer="moscow"}') >= metric(
            hq, "mediabridge_log_seq") > 0 and metric(
            hq, 'mediabridge_peer_cursor{peer="manama"}') >= metric(
            manama, "mediabridge_log_seq") > 0)
        for c, peer in ((cairo, "moscow"), (hq, "manama")):
            for m in ("received_total", "duplicates_total"):
                n = metric(c, 'mediabridge_peer_%s{peer="%s"}' % (m, peer))
                assert n == 0, "%s got %s=%d from %s" % (c.id, m, n, peer)
        print("ok split horizon: no echo")

        # 2. HQ down while both branches publish, then up: converge.
        hq.stop(signal.SIGKILL)
        cairo.publish([item("Пока штаб-квартира молчит %d" % i, "ru")
                       for i in range(5)])
        manama.publish([item("Pendant la panne %d" % i, "fr")
                        for i in range(5)])
        time.sleep(1)
        hq.start()
        wait_for("convergence after HQ outage",
                 lambda: same_sets(*everyone) and len(hq.versions()) == 12)
        print("ok HQ down and up (%.1fs)" % (time.monotonic() - t0))

        # 3. An extra direct link both ways: no duplicates.
        mb("peer", "add", manama.dir, cairo.url)
        mb("peer", "add", cairo.dir, manama.url)
        cairo.publish([item("Direct %d" % i) for i in range(5)])
        manama.publish([item("Direct back %d" % i) for i in range(5)])
        wait_for("convergence with a direct link",
                 lambda: same_sets(*everyone) and len(hq.versions()) == 22)
        for c in everyone:
            no_duplicates(c)
        print("ok direct link, no duplicates (%.1fs)" %
              (time.monotonic() - t0))

        # 4. kill -9 Manama's puller mid-batch, 20 times.
        manama.stop()
        # Each of the 20 short runs starts with at least 1,000 versions
        # waiting at HQ, so that every kill lands mid-pull.
        published = 0
        total = 22
        small = dict(fedlib.ENV, MB_SYNC_BATCH="10")
        counts = []
        for _ in range(20):
            if total - len(manama.versions()) < 1000:
                cairo.publish([item("Batch item %d" % i) for i in
                               range(published, published + 2000)])
                published += 2000
                total += 2000
                wait_for("HQ has the batch",
                         lambda: len(hq.versions()) == total, timeout=60)
            manama.start(env=small)
            time.sleep(random.uniform(0.02, 0.2))
            manama.stop(signal.SIGKILL)
            counts.append(len(manama.versions()))
        mid = counts[-1]
        behind = sum(1 for n in counts if n < total)
        assert behind >= 18, "only %d of 20 kills mid-pull: %s" % (behind,
                                                                   counts)
        manama.start()
        wait_for("convergence after 20 kills", lambda: same_sets(*everyone),
                 timeout=60)
        for c in everyone:
            no_duplicates(c)
        mb("verify", manama.dir)
        print("ok 20 x kill -9, %d of them mid-pull (had %d of %d) (%.1fs)" %
              (behind, mid, total, time.monotonic() - t0))

        # 5. Unsigned and replayed requests.
        log = hq.url + "/federation/v1/log?after=0&limit=1&wait=0"
        st, _ = http_get(log)
        assert st == 401, "unsigned request got %d" % st
        hdrs = dict(l.split(": ", 1) for l in
                    mb("sync", manama.dir, "--sign-get", log).splitlines())
        st, _ = http_get(log, hdrs)
        assert st == 200, "signed request got %d" % st
        st, body = http_get(log, hdrs)
        assert st == 401 and b"replay" in body, "replay got %d" % st
        st, _ = http_get(hq.url + "/federation/v1/center")
        assert st == 200
        print("ok unsigned and replayed requests refused")

        # 6. A relaying member that alters one envelope.
        relay = Center(root, "relay", "EG", "ar")
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Relay)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        relay.addr = "127.0.0.1:%d" % srv.server_address[1]
        admit(hq, relay)
        envs = [l for l in mb("export", hq.dir).splitlines()][:30]
        for i, e in enumerate(envs):
            if i == 7:
                j = json.loads(e)
                j["item"]["headlines"][0]["value"] = "FORGED headline"
                e = json.dumps(j, separators=(",", ":"), ensure_ascii=False)
            Relay.lines.append((i + 1, ('{"seq":%d,"envelope":%s}\n' %
                                        (i + 1, e)).encode()))
        dakar = Center(root, "dakar", "SN", "fr", hq=hq)
        dakar.start()
        admit(hq, dakar)
        wait_for("dakar knows relay", lambda: "relay" in
                 mb("center", "list", dakar.dir))
        mb("peer", "add", dakar.dir, relay.url, "--id", "relay")
        wait_for("the relay's batch applied", lambda: int(
            dakar.peers().get("relay", {}).get("cursor", 0)) == 30)
        p = dakar.peers()["relay"]
        assert p["refused"] == "1", p
        assert not uris_of(dakar, "FORGED")
        srv.shutdown()
        print("ok tampered envelope refused, the rest applied (%.1fs)" %
              (time.monotonic() - t0))

        # Unknown and suspended callers get 401 and 403, and nothing else.
        def signed(c, url):
            return dict(line.split(": ", 1) for line in
                        mb("sync", c.dir, "--sign-get", url).splitlines())
        stranger = Center(root, "stranger", "KE", "en", hq=hq)
        st, body = http_get(log, signed(stranger, log))
        assert st == 401 and b"envelope" not in body, "unknown got %d" % st
        mb("center", "suspend", hq.dir, "dakar")
        st, body = http_get(log, signed(dakar, log))
        assert st == 403 and b"envelope" not in body, "suspended got %d" % st
        mb("center", "activate", hq.dir, "dakar")
        st, _ = http_get(log, signed(dakar, log))
        assert st == 200, "activated again got %d" % st
        print("ok unknown and suspended callers refused")

        # 7. Revoked: new items refused; earlier ones stay.
        before = len(uris_of(manama, "Direct "))
        mb("center", "revoke", hq.dir, "cairo")
        wait_for("manama learns of the revocation", lambda: "revoked" in
                 [l.split("\t")[2] for l in mb("center", "list",
                  manama.dir).splitlines() if l.startswith("cairo\t")])
        cairo.publish([item("After revocation")])
        time.sleep(2.5)
        assert not uris_of(manama, "After revocation")
        assert not uris_of(hq, "After revocation")
        assert len(uris_of(manama, "Direct ")) == before
        # A revoked center stays revoked: no activate, not its old key.
        p = mb("center", "activate", hq.dir, "cairo", check=False, full=True)
        assert p.returncode == 1 and "new key" in p.stderr, p.stderr
        row = [l.split("\t") for l in mb("center", "list", hq.dir)
               .splitlines() if l.startswith("cairo\t")][0]
        p = mb("center", "add", hq.dir, "--id", "cairo", "--url", row[4],
               "--key", row[5], "--country", row[3], "--name", "Cairo",
               check=False, full=True)
        assert p.returncode == 1 and "new key" in p.stderr, p.stderr
        assert "revoked" in mb("center", "list", hq.dir), "still revoked"
        print("ok revoked center's new items refused (%.1fs)" %
              (time.monotonic() - t0))
    finally:
        for c in everyone:
            try:
                c.stop(signal.SIGKILL)
            except Exception:
                pass
        try:
            dakar.stop(signal.SIGKILL)
        except Exception:
            pass
    print("all federation tests passed in %.1fs" % (time.monotonic() - t0))


if __name__ == "__main__":
    main()
