# SPDX-License-Identifier: MIT
"""kill -9 at the worst moments: an import killed mid-file, over and
over, while serve runs beside it; a puller's serve killed mid-pull. After
each, `verify` exits 0; afterwards re-running the import and restarting
serve completes the work with every item exactly once (no half-written
version, no item minted twice, no lost one)."""

import json
import os
import random
import signal
import subprocess
import sys
import time

from mbtest import BIN, check, eq, main, run, wait_for

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402

# Enough that an import takes a while even on an idle machine (3,000 were
# all in before the first kill there), and kills early enough to land.
N = 20000


def write_items(path, n, tag):
    with open(path, "w") as f:
        for i in range(n):
            # No uri: each gets one minted, and an alias by its hash, so
            # importing the file again must add nothing twice.
            f.write(json.dumps({
                "type": "text", "language": "en",
                "headlines": [{"value": "%s item %05d" % (tag, i)}],
                "bodies": [{"value": "<p>%s body %d: %s</p>" % (
                    tag, i, "harbour river market " * 20)}]}) + "\n")


def headlines(d):
    """Every stored (headline, version) pair, as a list."""
    out = []
    for line in run(["export", d])[1].splitlines():
        if line.strip():
            it = json.loads(line)["item"]
            out.append((it["headlines"][0]["value"], it["version"]))
    return out


def test_import_killed(w):
    c = w.center("cairo")
    src = os.path.join(w.root, "items.ndjson")
    write_items(src, N, "Crash")
    c.serve()
    kills = 0
    counts = []
    rng = random.Random(7)
    for round_ in range(6):
        p = subprocess.Popen([BIN, "import", c.dir, src],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        if p.poll() is None:
            p.kill()
            kills += 1
        p.wait()
        rc, out, err = run(["verify", c.dir], check_rc=None)
        eq(rc, 0, "verify after kill %d: %s" % (round_, err[-2000:]))
        h = headlines(c.dir)
        eq(len(h), len(set(h)), "no duplicate version after kill %d" %
           round_)
        eq(len({x for x, _ in h}), len(h), "no item minted twice after "
           "kill %d" % round_)
        counts.append(len(h))
        if len(h) == N:
            break
    check(kills >= 1 and min(counts) < N, "at least one kill landed "
          "mid-import", kills, counts)
    # serve stayed up beside it and sees what committed.
    check(c.proc.poll() is None, "serve survived the imports")
    run(["import", c.dir, src])
    h = headlines(c.dir)
    eq(len(h), N, "every item once after re-importing")
    eq(len({x for x, _ in h}), N, "no item twice")
    eq(run(["verify", c.dir], check_rc=None)[0], 0, "verify at the end")
    wait_for(lambda: c.metric("mediabridge_items") == N, 30,
             "serve counts every item")
    # The search index is whole too: a late item is found.
    wait_for(lambda: c.metric("mediabridge_unindexed") == 0, 60,
             "the index caught up")
    r = c.client().get("/api/v1/search", query={"q": "Crash item 19999"})
    if r.status == 200:
        check("19999" in r.text, "found in the index", r.text[:300])


def test_puller_killed(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    started = []
    try:
        hq.start()
        started.append(hq)
        cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        src = os.path.join(w.root, "hq.ndjson")
        write_items(src, N, "Pulled")
        fedlib.mb("import", hq.dir, src)
        small = dict(fedlib.ENV, MB_SYNC_BATCH="50")
        mid = 0
        for i in range(8):
            cairo.start(env=small)
            started.append(cairo)
            if i == 0:
                fedlib.admit(hq, cairo)
                wait_for(lambda: headlines(cairo.dir), 30, "a first batch")
            else:
                time.sleep(random.uniform(0.2, 1.0))
            cairo.stop(signal.SIGKILL)
            started.remove(cairo)
            rc, _, err = run(["verify", cairo.dir], check_rc=None)
            eq(rc, 0, "verify after kill -9 of the puller: " + err[-2000:])
            h = headlines(cairo.dir)
            eq(len(h), len(set(h)), "no duplicates after kill %d" % i)
            mid += 0 < len(h) < N
            if len(h) == N:
                break
        check(mid >= 1, "at least one kill landed mid-pull")
        cairo.start()
        started.append(cairo)
        wait_for(lambda: len(headlines(cairo.dir)) == N, 60,
                 "the pull completes after the kills")
        h = headlines(cairo.dir)
        eq(sorted(h), sorted(headlines(hq.dir)), "the same versions")
        eq(run(["verify", cairo.dir], check_rc=None)[0], 0, "verify")
    finally:
        for c in started:
            c.stop(signal.SIGKILL)


if __name__ == "__main__":
    main(globals())
