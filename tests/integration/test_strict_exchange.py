#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Strict exchange (issue 14 §4): a peer's log answer must be NDJSON (a
text/html page is refused and the cursor stays), and pulled envelopes are
stored in canonical form (RFC 8785), so a peer that re-serializes them
(whitespace, key order) cannot make this center store other bytes than
the origin's."""
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedlib import Center, admit, free_port, item, mb, wait_for  # noqa


def scramble(v):
    """The same JSON, not canonical: members in reverse order."""
    if isinstance(v, dict):
        return {k: scramble(v[k]) for k in reversed(list(v))}
    if isinstance(v, list):
        return [scramble(x) for x in v]
    return v


class Peer(http.server.BaseHTTPRequestHandler):
    lines = []
    ctype = "text/html"

    def do_GET(self):
        after = 0
        if "after=" in self.path:
            after = int(self.path.split("after=")[1].split("&")[0])
        lines = [ln for s, ln in self.lines if s > after]
        body = b"".join(lines)
        last = len(self.lines)
        self.send_response(200)
        self.send_header("Content-Type", Peer.ctype)
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
    root = tempfile.mkdtemp(prefix="mb-strict-")
    centers = []
    srv = None
    try:
        hq = Center(root, "hq", "EG", "ar,en")
        centers.append(hq)
        hq.start()
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Peer)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        lagos = Center(root, "lagos", "NG", "en", hq=hq)
        lagos.addr = "127.0.0.1:%d" % srv.server_address[1]
        admit(hq, lagos)
        lagos.publish([item("Strict %d" % i) for i in range(5)])
        canon = [ln for ln in mb("export", lagos.dir).splitlines() if ln]
        assert len(canon) == 5, canon
        for i, ln in enumerate(canon):
            loose = json.dumps(scramble(json.loads(ln)), ensure_ascii=True,
                               separators=(", ", " : "))
            assert loose != ln
            Peer.lines.append((i + 1, ('{"seq":%d,"envelope":%s}\n' % (
                i + 1, loose)).encode()))
        dakar = Center(root, "dakar", "SN", "fr", hq=hq)
        centers.append(dakar)
        dakar.start()
        admit(hq, dakar)
        wait_for("dakar knows lagos", lambda: "lagos" in
                 mb("center", "list", dakar.dir))
        mb("peer", "add", dakar.dir, lagos.url, "--id", "lagos")

        # A page, not a log: refused, nothing applied, the reason named.
        wait_for("the text/html answer refused", lambda: "text/html" in
                 mb("peer", "list", dakar.dir))
        p = dakar.peers()["lagos"]
        assert p.get("cursor", "0") == "0", p
        print("ok a text/html log answer refused, cursor stays")

        Peer.ctype = "application/x-ndjson"
        wait_for("the batch applied", lambda: int(
            dakar.peers().get("lagos", {}).get("cursor", 0)) == 5, 60)
        stored = {json.loads(ln)["item"]["uri"]: ln for ln in
                  mb("export", dakar.dir).splitlines() if ln}
        for ln in canon:
            uri = json.loads(ln)["item"]["uri"]
            assert stored.get(uri) == ln, (uri, stored.get(uri), ln)
        rc = mb("verify", dakar.dir, full=True, check=False)
        assert rc.returncode == 0, rc.stderr
        print("ok non-canonical envelopes stored as the origin's bytes")
    except BaseException:
        for c in centers:
            try:
                with open(os.path.join(c.dir, "serve.log")) as f:
                    sys.stderr.write("--- %s\n%s\n" % (c.id,
                                                     f.read()[-3000:]))
            except OSError:
                pass
        raise
    finally:
        if srv is not None:
            srv.shutdown()
        for c in centers:
            if c.proc is not None:
                c.proc.kill()
                c.proc.wait()
        if os.environ.get("MB_KEEP") != "1":
            shutil.rmtree(root, ignore_errors=True)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
