# SPDX-License-Identifier: MIT
"""Center names in the reader's language (issue 15, point 6): HQ's
operator names centers in other languages (center name), the signed
registry carries the names, a branch stores them when it fetches the
registry, and the branch's site names the center in the page's language
(card origin lines, the item page's "from", the center's page, its feed)
with the default name elsewhere. Bad names are refused, naming what was
wrong, and the registry is left as it was."""

import html
import json
import os
import re
import sys

from mbtest import check, eq, main

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedlib import Center, admit, http_get, item, mb, wait_for  # noqa

AR_MOSCOW = "موسكو"
RU_CAIRO = "Каир"


def page(c, path):
    st, body = http_get(c.url + path)
    eq(st, 200, "GET %s at %s" % (path, c.id))
    return body.decode()


def h1(text):
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    return html.unescape(m.group(1)).strip() if m else None


def show(c, cid):
    out = {}
    for line in mb("center", "show", c.dir, cid).splitlines():
        k, _, v = line.partition("\t")
        out[k] = v
    return out


def test_center_names(w):
    everyone = []
    try:
        hq = Center(w.root, "moscow", "RU", "ru,en")
        hq.start()
        everyone.append(hq)
        cairo = Center(w.root, "cairo", "EG", "ar,en", hq=hq)
        cairo.start()
        everyone.append(cairo)
        admit(hq, cairo)
        hq.publish([item("Snow in Moscow")])
        wait_for("HQ's item at cairo", lambda: "Snow in Moscow" in
                 page(cairo, "/en/"), timeout=30)

        # HQ names itself in Arabic and Cairo in Russian.
        out = mb("center", "name", hq.dir, "moscow", "--lang", "ar",
                 "--name", AR_MOSCOW)
        check("registry version" in out, "a new registry: " + out)
        mb("center", "name", hq.dir, "cairo", "--lang", "RU", "--name",
           RU_CAIRO)
        eq(show(hq, "moscow").get("name.ar"), AR_MOSCOW, "stored at HQ")

        # The branch fetches the registry and stores the names.
        wait_for("cairo stores HQ's Arabic name", lambda: show(
            cairo, "moscow").get("name.ar") == AR_MOSCOW, timeout=30)
        wait_for("cairo stores its own Russian name", lambda: show(
            cairo, "cairo").get("name.ru") == RU_CAIRO, timeout=30)

        # The branch's site: the card's origin line on HQ's center page
        # (the front page leads with items in the page's language).
        ar = page(cairo, "/ar/centers/moscow")
        en = page(cairo, "/en/centers/moscow")
        meta = re.findall(r'class="meta".*?</p>', ar, re.S)
        check(meta and AR_MOSCOW in meta[0], "the Arabic card names HQ in "
              "Arabic: %r" % meta[:1])
        meta = re.findall(r'class="meta".*?</p>', en, re.S)
        check(meta and "Moscow" in meta[0] and AR_MOSCOW not in en,
              "the English card names HQ by its default name")
        # The item page's "from".
        m = re.search(r'href="/en/items/(moscow/[^"]+)"', en)
        check(m is not None, "a link to HQ's item on the English page")
        check(AR_MOSCOW in page(cairo, "/ar/items/" + m.group(1)),
              "the Arabic item page names HQ in Arabic")
        check(AR_MOSCOW not in page(cairo, "/en/items/" + m.group(1)),
              "the English item page does not")
        # The center's page and feed.
        check(AR_MOSCOW in h1(page(cairo, "/ar/centers/moscow")),
              "HQ's center page in Arabic")
        check("Moscow" in h1(page(cairo, "/en/centers/moscow")),
              "HQ's center page in English")
        check(AR_MOSCOW in page(cairo, "/feeds/centers/moscow.atom?lang=ar"),
              "HQ's feed titled in Arabic")
        # A center's own name in its own site's header, per language.
        check(RU_CAIRO in page(cairo, "/ru/"), "Cairo in Russian at /ru/")
        check(RU_CAIRO not in page(cairo, "/en/"), "not at /en/")
        # A language without a name (French): the default name.
        check("Moscow" in h1(page(cairo, "/fr/centers/moscow")),
              "French falls back to the default name")

        # Bad input: refused with a clear error, the registry unchanged.
        before = mb("center", "show", hq.dir, "moscow")
        for args, why in [
                (["--lang", "xx", "--name", "X"], "not a known language"),
                (["--lang", "klingon", "--name", "X"],
                 "not a known language"),
                (["--lang", "ru", "--name", "x" * 200], "at most 127"),
                (["--lang", "ru", "--name", "a\nb"], "control character"),
                (["--lang", "ru"], "--name or --clear")]:
            p = mb("center", "name", hq.dir, "moscow", *args, check=False,
                   full=True)
            check(p.returncode != 0, "refused: %r" % args)
            check(why in p.stderr, "%r says %r: %s" % (args, why,
                                                       p.stderr.strip()))
        p = mb("center", "name", hq.dir, "nosuch", "--lang", "ar",
               "--name", "X", check=False, full=True)
        check(p.returncode != 0 and "nosuch" in p.stderr,
              "an unknown center is named: " + p.stderr.strip())
        eq(mb("center", "show", hq.dir, "moscow"), before, "nothing changed")
        # Invalid UTF-8 cannot pass through argv as text: the library's
        # check is in tests/unit/sync/test_registry.c.

        # Cleared: the default name again, everywhere.
        mb("center", "name", hq.dir, "moscow", "--lang", "ar", "--clear")
        wait_for("cairo forgets the Arabic name", lambda: "name.ar" not in
                 show(cairo, "moscow"), timeout=30)
        check(AR_MOSCOW not in page(cairo, "/ar/"), "the default again")
    finally:
        for c in everyone:
            c.stop()


if __name__ == "__main__":
    main(globals())
