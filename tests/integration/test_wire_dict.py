#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The exchange's zstd dictionary (issue 22, 3): HQ trains one, announces
it in the registry it signs; a branch fetches it, checks its hash against
the registry and pulls with it (Mb-Dict); a dictionary whose bytes do not
hash to the registry's is not used; a server without the dictionary the
puller names answers plain zstd; items arrive whole either way."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import mb  # noqa: E402
from mbtest import check, eq, main  # noqa: E402

ENV = dict(fedlib.ENV, MB_LOG="debug", MB_SYNC_BATCH="50")


def items(n, word):
    return [{"uri": "urn:mediabridge:moscow:%s-%d" % (word, i),
             "type": "text", "language": "en",
             "headlines": [{"value": "%s report %d" % (word.title(), i)}],
             "bodies": [{"value": "<p>The %s committee met on %d May and "
                         "agreed item %d of the agenda.</p>" % (word, i % 28,
                                                                 i)}]}
            for i in range(n)]


def fetched(c):
    """(encoding, dict) of each log answer the puller got, in order."""
    out = []
    for line in open(os.path.join(c.dir, "serve.log")):
        m = re.search(r"sync: fetched \S+ after=\d+ limit=\d+ bytes=(\d+) "
                      r"wire=\d+ next=\d+ last=\d+ encoding=(\S+) "
                      r"dict=(\S+)", line)
        if m and int(m.group(1)) > 0:
            out.append((m.group(2), m.group(3)))
    return out


def network(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    hq.publish(items(200, "budget"))
    out = mb("dict", "train", hq.dir, "--size", "16k")
    check("version 1" in out and "registry version" in out, "trained", out)
    sha = out.split("sha256 ", 1)[1].split()[0]
    hq.start(env=ENV)
    cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    cairo.start(env=ENV)
    fedlib.admit(hq, cairo)
    return hq, cairo, sha


def count(c):
    return len(c.versions())


def test_negotiated(w):
    hq, cairo, sha = network(w)
    try:
        fedlib.wait_for("the dictionary at Cairo", lambda: sha in mb(
            "dict", "show", cairo.dir), 30)
        fedlib.wait_for("HQ's items", lambda: count(cairo) == 200, 30)
        hq.publish(items(150, "health"))
        fedlib.wait_for("the new ones", lambda: count(cairo) == 350, 30)
        mine = cairo.versions()
        eq(len(mine), len(set(mine)), "no duplicates")
        got = fetched(cairo)
        check(("zstd", sha[:12]) in got, "pulled with the dictionary", got)
        # The dictionary came from HQ, checked: the same bytes.
        a = open(os.path.join(hq.dir, "dicts", sha + ".zdict"), "rb").read()
        b = open(os.path.join(cairo.dir, "dicts", sha + ".zdict"),
                 "rb").read()
        eq(a, b, "the same dictionary")
        # Cairo names one HQ does not have: plain zstd, nothing lost.
        other = "ab" * 32
        with open(os.path.join(cairo.dir, "dicts", other + ".zdict"),
                  "wb") as f:
            f.write(b)
        with open(os.path.join(cairo.dir, "dicts", "current"), "w") as f:
            f.write("9 %s\n" % other)
        n = len(fetched(cairo))
        hq.publish(items(60, "water"))
        fedlib.wait_for("after the loss", lambda: count(cairo) == 410, 30)
        later = fetched(cairo)[n:]
        # (A long-poll asked before the change may still use the old.)
        check(later and later[-1] == ("zstd", "-"),
              "no dictionary when the server lacks it", later)
    finally:
        cairo.stop()
        hq.stop()


def test_tampered_not_used(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    hq.publish(items(200, "budget"))
    out = mb("dict", "train", hq.dir, "--size", "16k")
    sha = out.split("sha256 ", 1)[1].split()[0]
    path = os.path.join(hq.dir, "dicts", sha + ".zdict")
    data = bytearray(open(path, "rb").read())
    data[100] ^= 0xff
    with open(path, "wb") as f:
        f.write(bytes(data))
    hq.start(env=ENV)
    cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    try:
        cairo.start(env=ENV)
        fedlib.admit(hq, cairo)
        fedlib.wait_for("HQ's items", lambda: count(cairo) == 200, 30)
        time.sleep(1)
        eq(mb("dict", "show", cairo.dir).strip(), "no wire dictionary",
           "not taken")
        log = open(os.path.join(cairo.dir, "serve.log")).read()
        check("not the registry's" in log, "says why")
        check(not os.path.exists(os.path.join(cairo.dir, "dicts", "current")),
              "nothing current")
    finally:
        cairo.stop()
        hq.stop()


def test_refusals(w):
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    p = mb("dict", "train", hq.dir, check=False, full=True)
    check(p.returncode != 0 and "too few" in p.stderr, "empty log", p.stderr)
    hq.publish(items(100, "budget"))
    for args, why in ((["--size", "12"], "--size"),
                      (["--samples", "3"], "--samples")):
        p = mb("dict", "train", hq.dir, *args, check=False, full=True)
        check(p.returncode != 0 and why in p.stderr, why, p.stderr)
    hq.addr = "127.0.0.1:1"     # never started: only its key is needed
    cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    p = mb("dict", "train", cairo.dir, check=False, full=True)
    check(p.returncode != 0 and "only HQ" in p.stderr, "a branch", p.stderr)
    eq(mb("dict", "show", hq.dir).strip(), "no wire dictionary", "none")


if __name__ == "__main__":
    main(globals())
