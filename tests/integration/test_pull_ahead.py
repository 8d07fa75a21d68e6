#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A fresh branch's `sync --once` verifies each batch once, ahead of the
writer (issue 23): the keyring its first answer calls for is in hand
before the next batch is fetched and verified in the background, so no
batch is verified a second time inline (the debug log's verified=again)
and every batch after the first comes verified ahead. And the keyring
used is still the current one: the items of a center that the registry
revoked are refused, whichever batch they come in."""
import os
import sys

from mbtest import check, eq, main

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import Center, admit, item, mb, wait_for  # noqa: E402


def admit_idle(hq, c):
    """Admits c at hq without starting it (its address from its
    configuration)."""
    with open(os.path.join(c.dir, "mediabridge.conf")) as f:
        c.addr = f.read().split("listen = ", 1)[1].split("\n")[0]
    admit(hq, c)


def test_pull_ahead(w):
    everyone = []
    try:
        hq = Center(w.root, "moscow", "RU", "ru,en")
        hq.start()
        everyone.append(hq)
        cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        cairo.start()
        everyone.append(cairo)
        admit(hq, cairo)
        hq.publish([item("hq before %d" % i) for i in range(20)])
        cairo.publish([item("cairo %d" % i) for i in range(3)])
        wait_for("hq pulls cairo's items", lambda: sum(
            h.startswith("cairo ") for h in hq.headlines()) == 3, timeout=30)
        hq.publish([item("hq after %d" % i) for i in range(20)])
        # Revoked at HQ: a new registry version, which the branch's
        # answers name; cairo's items stay in HQ's log.
        mb("center", "revoke", hq.dir, "cairo")
        cairo.stop()
        everyone.remove(cairo)

        branch = Center(w.root, "manama", "BH", "ar,en", hq=hq)
        admit_idle(hq, branch)
        env = dict(fedlib.ENV, MB_LOG="debug", MB_SYNC_BATCH="5",
                   MB_SYNC_THREADS="2")
        p = mb("sync", branch.dir, "--once", env=env, full=True)
        eq(p.returncode, 0, "sync --once: " + p.stderr[-2000:])
        batches = [l for l in p.stderr.splitlines()
                   if "sync: batch peer=moscow" in l]
        check(len(batches) >= 9, "43 items in batches of 5",
              "\n".join(batches))
        how = [l.rsplit("verified=", 1)[-1] for l in batches]
        eq(how.count("again"), 0, "no batch verified twice:\n" +
           "\n".join(batches))
        eq(how[0], "here", "the first batch verified as it came")
        eq(how[1:], ["ahead"] * (len(how) - 1), "every later batch "
           "verified ahead:\n" + "\n".join(batches))
        got = branch.headlines()
        for i in range(20):
            check("hq before %d" % i in got and "hq after %d" % i in got,
                  "hq's items at the branch")
        check(not any(h.startswith("cairo ") for h in got),
              "the revoked center's items refused", got)
        line = [l for l in p.stdout.splitlines()
                if l.startswith("moscow\t")]
        check(line and "\t3 refused" in line[0], "3 refused", p.stdout)
    finally:
        for c in everyone:
            c.stop()


def limits(log):
    """The batch sizes a puller asked for, in order (its debug log)."""
    return [int(l.rsplit(" limit=", 1)[1].split()[0])
            for l in log.splitlines() if "sync: fetched " in l]


def test_batches_grow(w):
    """A catch-up asks for a small batch first and twice as many with each
    next one, up to 2,000 versions for `sync --once` (a bulk run: larger
    transactions) and 1,000 for serve's puller; nothing is lost or
    doubled on the way."""
    everyone = []
    try:
        hq = Center(w.root, "moscow", "RU", "ru,en")
        hq.start()
        everyone.append(hq)
        n = 2100
        hq.publish([item("grow %d" % i) for i in range(n)])
        once = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        admit_idle(hq, once)
        env = dict(fedlib.ENV, MB_LOG="debug")
        p = mb("sync", once.dir, "--once", env=env, full=True)
        eq(p.returncode, 0, "sync --once: " + p.stderr[-2000:])
        eq(limits(p.stderr), [128, 256, 512, 1024, 2000],
           "sync --once: 128 first, doubled up to 2,000")
        got = once.headlines()
        eq(len(got), n, "every version once at the branch")
        eq(len(set(got)), n, "no version twice")

        served = Center(w.root, "lima", "PE", "es,en", hq=hq)
        admit_idle(hq, served)
        served.start(env=env)
        everyone.append(served)
        wait_for("the serving branch catches up",
                 lambda: len(served.headlines()) == n, timeout=60)
        with open(os.path.join(served.dir, "serve.log")) as f:
            asked = limits(f.read())
        eq(asked[:5], [128, 256, 512, 1000, 1000],
           "serve's puller: 128 first, doubled up to 1,000")
        # Caught up, its long polls start small again.
        check(all(x == 128 for x in asked[5:]), "then 128 again", asked)
    finally:
        for c in everyone:
            c.stop()


if __name__ == "__main__":
    main(globals())
