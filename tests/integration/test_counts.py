#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""/metrics reads its counts from rows kept as the store changes (the
scale domain, issue 23), never count(*) per scrape: after imports, new
versions, a sync --once and a pull by a serving branch, rows changed
behind the store's back and verify --repair, every count /metrics shows
equals count(*) of the rows it counts. Runs on SQLite and, as
integration-counts-pg, on PostgreSQL."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedlib import Center, admit, http_get, mb  # noqa: E402

COUNTED = {"mediabridge_items": "items", "mediabridge_versions": "versions",
           "mediabridge_unindexed": "fts_pending",
           "mediabridge_index_lag_items": "fts_pending"}


def database(c):
    with open(os.path.join(c.dir, "mediabridge.conf")) as f:
        for line in f:
            if line.startswith("database = "):
                return line.split("=", 1)[1].strip()
    raise AssertionError("no database in %s's configuration" % c.id)


def sql(c, q):
    """Runs q on c's store behind its back; the first column's values."""
    db = database(c)
    if db.startswith("sqlite:"):
        con = sqlite3.connect(os.path.join(c.dir, db[len("sqlite:"):]),
                              timeout=30)
        try:
            rows = [r[0] for r in con.execute(q)]
            con.commit()
        finally:
            con.close()
        return rows
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v",
                        "ON_ERROR_STOP=1", db, "-c", q], check=True,
                       capture_output=True, text=True)
    return [l for l in p.stdout.splitlines() if l]


def metrics(c):
    st, body = http_get(c.url + "/metrics")
    assert st == 200, "metrics: HTTP %d" % st
    out = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def agree(c, what):
    """Every count /metrics shows equals count(*) of its rows; a scrape
    racing a writer is read again."""
    for _ in range(50):
        m = metrics(c)
        want = {k: int(sql(c, "SELECT count(*) FROM %s" % t)[0])
                for k, t in COUNTED.items()}
        got = {k: int(m[k]) for k in COUNTED}
        if got == want:
            return got
        time.sleep(0.1)
    raise AssertionError("%s: /metrics %s, rows %s" % (what, got, want))


def story(local, headline, version=None):
    it = {"uri": "urn:mediabridge:moscow:" + local, "type": "text",
          "language": "en", "headlines": [{"value": headline}],
          "bodies": [{"value": "<p>%s, told at length.</p>" % headline}],
          "subjects": [{"uri": "http://cv.iptc.org/newscodes/"
                                    "mediatopic/15000000", "name": "sport"}]}
    if version:
        it["version"] = version
    return it


def write(path, items):
    with open(path, "w") as f:
        for it in items:
            f.write(json.dumps(it) + "\n")


def run(root, hq, started):
    path = os.path.join(root, "items.ndjson")
    # 1. imports and new versions on HQ, while it serves.
    write(path, [story("s%d" % i, "Match report %d" % i) for i in range(40)])
    mb("import", hq.dir, path)
    got = agree(hq, "after import")
    assert got["mediabridge_items"] == 40 and \
        got["mediabridge_versions"] == 40, got
    write(path, [story("s%d" % i, "Match report %d, updated" % i, "2")
                 for i in range(0, 40, 4)])
    mb("import", hq.dir, path)
    got = agree(hq, "after new versions")
    assert got["mediabridge_items"] == 40 and \
        got["mediabridge_versions"] == 50, got
    # 2. a branch: sync --once, then pulls while serving.
    branch = Center(root, "cairo", "EG", "ar,en", hq=hq)
    with open(os.path.join(branch.dir, "mediabridge.conf")) as f:
        branch.addr = f.read().split("listen = ", 1)[1].split("\n")[0]
    admit(hq, branch)
    mb("sync", branch.dir, "--once")
    branch.start()
    started.append(branch)
    got = agree(branch, "after sync --once")
    assert got["mediabridge_items"] == 40, got
    write(path, [story("t%d" % i, "Late result %d" % i) for i in range(25)])
    mb("import", hq.dir, path)
    end = time.monotonic() + 60
    while metrics(branch)["mediabridge_items"] < 65:
        assert time.monotonic() < end, "branch did not pull"
        time.sleep(0.2)
    got = agree(branch, "after pulling")
    assert got["mediabridge_items"] == 65 and \
        got["mediabridge_versions"] == 75, got
    # 3. rows queued behind the store's back: PostgreSQL's triggers count
    # them; SQLite's counts are kept by the store's own connections,
    # which do not see another program's writes: verify says so and
    # --repair counts again (below).
    sql(branch, "INSERT INTO fts_pending (item_id) SELECT id FROM items "
        "WHERE id % 3 = 0 AND id NOT IN (SELECT item_id FROM fts_pending)")
    if database(branch).startswith("postgresql"):
        agree(branch, "after queueing behind its back")
    branch.stop()
    started.remove(branch)
    # An item lost: verify finds its version with no item, and --repair
    # makes the item again (a delete and an insert, both counted).
    sql(branch, "DELETE FROM items WHERE id IN (SELECT max(id) FROM items)")
    out = mb("verify", branch.dir, check=False, full=True)
    assert out.returncode != 0, out.stdout
    mb("verify", branch.dir, "--repair")
    out = mb("verify", branch.dir)
    assert "store intact" in out, out
    branch.start()
    started.append(branch)
    got = agree(branch, "after verify --repair")
    assert got["mediabridge_items"] == 65 and \
        got["mediabridge_versions"] == 75, got


def main():
    root = tempfile.mkdtemp(prefix="mb-counts-")
    os.chmod(root, 0o711)
    hq = Center(root, "moscow", "RU", "ru,en")
    hq.start()
    started = [hq]
    try:
        run(root, hq, started)
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
        if os.environ.get("MB_KEEP") != "1":
            shutil.rmtree(root, ignore_errors=True)
    print("ok /metrics counts equal the rows after import, versions, sync, "
          "pulls, changes behind the store's back and verify --repair")


if __name__ == "__main__":
    main()
