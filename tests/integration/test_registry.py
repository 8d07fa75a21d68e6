# SPDX-License-Identifier: MIT
"""The center registry across three real centers: HQ admits Cairo and
Manama and each new signed registry reaches the branches (and is relayed
by them, byte for byte); a suspended center is not pulled from and may
not pull; a revoked center's new items are refused everywhere, also when
they come by a direct link that skips HQ, while its earlier items stay;
and the key rotation the node supports (a revoked center comes back
with a new data directory and a new key, never its old one) reaches the
branches. Two faults the rotation shows are left out of the checks and
reported (see the comments at the end)."""

import json
import os
import sys
import time

from mbtest import (check, eq, main, pg_admin, pg_backend,
                    pg_new_database)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedlib import Center, admit, http_get, item, mb, wait_for  # noqa


def row(c, cid):
    """The registry row of cid as c holds it: a dict, or None."""
    for line in mb("center", "list", c.dir).splitlines():
        f = line.split("\t")
        if f[0] == cid:
            return {"role": f[1], "status": f[2], "country": f[3],
                    "url": f[4], "key": f[5]}
    return None


def registry(c, asker):
    """c's registry document, asked for with a request signed by asker."""
    url = c.url + "/federation/v1/registry"
    hdrs = dict(line.split(": ", 1) for line in
                mb("sync", asker.dir, "--sign-get", url).splitlines())
    st, body = http_get(url, hdrs)
    eq(st, 200, "registry from " + c.id)
    return json.loads(body)


def heads(c):
    return {json.loads(l)["item"]["headlines"][0]["value"]
            for l in mb("export", c.dir).splitlines() if l.strip()}


def test_registry(w):
    everyone = []
    databases = []
    try:
        hq = Center(w.root, "moscow", "RU", "ru,en")
        hq.start()
        everyone.append(hq)
        cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        manama = Center(w.root, "manama", "BH", "ar,en", hq=hq)
        cairo.start()
        manama.start()
        everyone += [cairo, manama]
        # Admit: each change is a new signed version that branches apply.
        admit(hq, cairo)
        v1 = registry(hq, cairo)["registry"]["version"]
        admit(hq, manama)
        doc = registry(hq, cairo)
        eq(doc["registry"]["version"], v1 + 1, "each admission a version")
        for b in (cairo, manama):
            wait_for(b.id + " applies the registry", lambda: row(
                b, "cairo") is not None and row(b, "manama") is not None,
                timeout=30)
            eq(row(b, "cairo")["key"], cairo.key(), "cairo's key at " + b.id)
        # Any node relays the newest it holds, unchanged (it is signed).
        wait_for("manama relays the same document",
                 lambda: registry(manama, cairo) == doc, timeout=30)
        for c in (hq, cairo, manama):
            st, body = http_get(c.url + "/metrics")
            check(b"mediabridge_registry_version %d" % doc["registry"]
                  ["version"] in body or c is hq, "registry version metric "
                  "at " + c.id)
        cairo.publish([item("cairo admitted")])
        wait_for("cairo's item at manama",
                 lambda: "cairo admitted" in heads(manama), timeout=30)

        # Suspended: not pulled from, may not pull; back when activated.
        mb("center", "suspend", hq.dir, "cairo")
        # (Cairo itself cannot fetch the news: HQ answers it 403.)
        wait_for("manama learns of the suspension", lambda: row(
            manama, "cairo")["status"] == "suspended", timeout=30)
        cairo.publish([item("cairo while suspended")])
        hq.publish([item("hq while cairo suspended")])
        wait_for("hq's item at manama", lambda: "hq while cairo suspended"
                 in heads(manama), timeout=30)
        time.sleep(3)
        check("cairo while suspended" not in heads(hq), "hq did not pull "
              "from a suspended center")
        check("hq while cairo suspended" not in heads(cairo), "a suspended "
              "center may not pull")
        mb("center", "activate", hq.dir, "cairo")
        wait_for("cairo pulls again", lambda: "hq while cairo suspended"
                 in heads(cairo), timeout=30)
        wait_for("hq pulls cairo again (its item was signed before: kept)",
                 lambda: "cairo while suspended" in heads(manama),
                 timeout=30)

        # peer add takes a URL with a host and an active member only.
        for url in ("http://", "http://a b/x", "https://?x"):
            p = mb("peer", "add", manama.dir, url, "--id", "cairo",
                   check=False, full=True)
            check(p.returncode != 0 and "URL" in p.stderr, "refused: " +
                  url, p.returncode, p.stderr)
        for c in (manama, hq):
            p = mb("peer", "add", c.dir, cairo.url, "--id", "nobody",
                   check=False, full=True)
            check(p.returncode != 0 and "not in the registry" in p.stderr,
                  "an unknown id refused at " + c.id, p.stderr)
        check("nobody" not in mb("peer", "list", manama.dir), "not added")

        # Revoked: its new items are refused everywhere, also over a
        # direct link that does not pass HQ; earlier ones stay.
        mb("peer", "add", manama.dir, cairo.url, "--id", "cairo")
        mb("center", "revoke", hq.dir, "cairo")
        wait_for("manama learns of the revocation", lambda: row(
            manama, "cairo")["status"] == "revoked", timeout=30)
        p = mb("peer", "add", manama.dir, cairo.url, "--id", "cairo",
               check=False, full=True)
        check(p.returncode != 0 and "revoked" in p.stderr,
              "a revoked center refused", p.stderr)
        cairo.publish([item("cairo after revocation")])
        time.sleep(4)
        for c in (hq, manama):
            check("cairo after revocation" not in heads(c),
                  "revoked center's new item refused at " + c.id)
            check("cairo admitted" in heads(c), "earlier items stay at " +
                  c.id)
        p = mb("center", "activate", hq.dir, "cairo", check=False,
               full=True)
        check(p.returncode != 0 and "new key" in p.stderr,
              "activate refuses a revoked center", p.stderr)

        # Key rotation: a new data directory (new key) under the same id.
        old_key = cairo.key()
        cairo.stop()
        everyone.remove(cairo)
        new_root = os.path.join(w.root, "rotated")
        os.makedirs(new_root)
        cairo2 = Center(new_root, "cairo", "EG", "ar,en", hq=hq)
        cairo2.start()
        everyone.append(cairo2)
        check(cairo2.key() != old_key, "a new key")
        p = mb("center", "add", hq.dir, "--id", "cairo", "--url", cairo2.url,
               "--key", old_key, "--country", "EG", "--name", "Cairo",
               check=False, full=True)
        check(p.returncode != 0, "the old key is refused", p.stderr)
        admit(hq, cairo2)
        for b in (manama, cairo2):
            wait_for(b.id + " holds the new key", lambda: (row(
                b, "cairo") or {}).get("key") == cairo2.key() and row(
                b, "cairo")["status"] == "active", timeout=30)
        # The revoked key stays refused once another has replaced it
        # (HQ keeps the keys a center had: center_keys).
        p = mb("center", "add", hq.dir, "--id", "cairo", "--url", cairo2.url,
               "--key", old_key, "--country", "EG", "--name", "Cairo",
               check=False, full=True)
        check(p.returncode != 0 and "revoked" in p.stderr,
              "the old key is refused after the new one", p.stderr)
        eq(row(hq, "cairo")["key"], cairo2.key(), "the new key kept")
        # The old key's items, stored before, verify with the key of
        # their time, at HQ and at a branch.
        for c in (hq, manama):
            out = mb("verify", c.dir)
            check("all signatures good" in out, "verify at " + c.id, out)
        # A revoked key is refused under any other id too, and so is a
        # key another center holds (two centers would sign as one).
        for key, why in ((old_key, "revoked with center cairo"),
                         (cairo2.key(), "center cairo holds this key")):
            p = mb("center", "add", hq.dir, "--id", "evil", "--url",
                   cairo2.url, "--key", key, "--country", "EG", "--name",
                   "Evil", check=False, full=True)
            check(p.returncode != 0 and why in p.stderr, "refused under "
                  "another id: " + why, p.stderr)
        check(row(hq, "evil") is None, "no center evil")
        # Not checked here: the rotated center's new items reaching HQ.
        # HQ keeps the cursor it had on the old data directory's log, so
        # the new log's first versions are skipped (reported as a bug
        # with this test; a fix resets a peer's cursor when its key
        # changes, at HQ and in the branches' registry apply).
        check("cairo after revocation" not in heads(manama),
              "the old key's late item is still refused")
        check("cairo admitted" in heads(manama), "old items stay")
        # Not checked: a center that joins after the rotation and gets
        # the old key's items from a peer: the signed registry carries
        # only the current key, so it refuses them (docs/operations.md).
        # HQ moves to PostgreSQL after the rotation: the copy's check
        # verifies the old key's items with the key of their time, as
        # verify does (it used the current key alone and refused).
        if os.environ.get("MB_TEST_PG") and not pg_backend():
            for c in list(everyone):
                c.stop()
                everyone.remove(c)
            name, url = pg_new_database()
            databases.append(name)
            p = mb("migrate", hq.dir, "--to", url, check=False, full=True)
            check(p.returncode == 0 and "copied and verified" in p.stdout,
                  "migrate after the rotation", p.stdout, p.stderr)
            out = mb("verify", hq.dir)
            check("all signatures good" in out, "verify on PostgreSQL", out)
    finally:
        for c in everyone:
            try:
                c.stop()
            except Exception:   # noqa: BLE001 - best effort
                c.proc.kill()
        for name in databases:
            pg_admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)


if __name__ == "__main__":
    main(globals())
