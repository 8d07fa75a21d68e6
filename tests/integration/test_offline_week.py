#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""docs/bundles.md's two-command walk (issue 22, done when): an offline
center (Cairo, never served, no link) receives a week of HQ's items from
a bundle file and sends its own back, with exactly the commands the
document gives; both end with the same (uri, version) set."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402
from fedlib import mb  # noqa: E402
from mbtest import check, eq, main  # noqa: E402
from test_bundle import center, imp, versions  # noqa: E402


def week(cid):
    """Seven days of items, twenty a day, dated one day apart."""
    out = []
    for day in range(7):
        for i in range(20):
            out.append({
                "uri": "urn:mediabridge:%s:day%d-%d" % (cid, day, i),
                "type": "text", "language": "en",
                "firstCreated": "2026-11-%02dT09:%02d:00Z" % (23 + day, i),
                "headlines": [{"value": "Day %d, story %d" % (day, i)}],
                "bodies": [{"value": "<p>What happened on day %d.</p>" %
                            day}]})
    return out


def test_offline_week(w):
    hq = center(w, "moscow", "RU", "ru,en")
    cairo = center(w, "cairo", "EG", "ar,en", hq=hq)
    fedlib.admit(hq, cairo)
    imp(w, hq, week("moscow"))
    imp(w, cairo, [{"uri": "urn:mediabridge:cairo:local-%d" % i,
                    "type": "text", "language": "ar",
                    "headlines": [{"value": "خبر %d" % i}],
                    "bodies": [{"value": "<p>نص %d</p>" % i}]}
                   for i in range(12)])
    wk = os.path.join(w.root, "week.mbb")
    mb("bundle", "export", hq.dir, "--for", "cairo", "-o", wk)
    # At Cairo: the two commands of docs/bundles.md.
    back = os.path.join(w.root, "cairo.mbb")
    out = mb("bundle", "import", cairo.dir, wk)
    check("140" in out, "the week taken in", out)
    mb("bundle", "export", cairo.dir, "--for", "moscow", "-o", back)
    mb("bundle", "import", hq.dir, back)
    eq(versions(cairo), versions(hq), "the same (uri, version) set")
    check(len(versions(hq)) == 152, "140 + 12", len(versions(hq)))
    # The same file again adds nothing; Cairo's bundle carries only its own.
    before = versions(cairo)
    mb("bundle", "import", cairo.dir, wk)
    eq(versions(cairo), before, "nothing doubled")
    import io
    import subprocess
    import tarfile
    raw = subprocess.run(["zstd", "-dc", back], check=True,
                         capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        text = b"".join(t.extractfile(m).read() for m in t.getmembers()
                        if m.isfile())
    check(b"urn:mediabridge:cairo:local-0" in text, "Cairo's items")
    check(b"urn:mediabridge:moscow:day" not in text, "none of HQ's back")


if __name__ == "__main__":
    main(globals())
