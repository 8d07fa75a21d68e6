# SPDX-License-Identifier: MIT
"""The interface in the network's nine languages over real HTTP: fronts,
item pages (dates in the page's language), search (CLDR plurals) and the
newsroom's sign-in page in Spanish, Portuguese, Swahili, Hindi and Chinese;
direction (rtl for Arabic only); and the redirect of any other language
prefix to the reader's best language, while a path that is no language
stays 404."""

import json
import os
import tempfile
import urllib.parse

from mbtest import SRCDIR, check, eq, main

ITEMS = os.path.join(SRCDIR, "tests", "site", "items.ndjson")
WHEN = "2026-11-29T14:27:07Z"

# Per language: an item (headline, a word of it to search for, body),
# then what its pages must say: the front's title, the date of the item,
# "1 result", and the newsroom's sign-in heading.
LANGS = {
    "es": ("Los ministros del agua acuerdan un plan común", "acuerdan",
           "Los ministros del agua acordaron un plan para diez años.",
           "Últimas noticias", "29 de noviembre de 2026", "1 resultado",
           "Iniciar sesión en la redacción"),
    "pt": ("Ministros da água fecham um plano comum", "fecham",
           "Os ministros da água fecharam um plano para dez anos.",
           "Últimas notícias", "29 de novembro de 2026", "1 resultado",
           "Entrar na redação"),
    "sw": ("Mawaziri wa maji wakubaliana mpango wa pamoja", "mawaziri",
           "Mawaziri wa maji wamekubaliana mpango wa miaka kumi.",
           "Habari za hivi punde", "29 Novemba 2026", "tokeo 1",
           "Ingia kwenye chumba cha habari"),
    "hi": ("जल मंत्रियों ने साझा योजना पर सहमति जताई", "मंत्रियों",
           "जल मंत्रियों ने दस साल की योजना पर सहमति जताई।",
           "ताज़ा समाचार", "29 नवंबर 2026", "1 परिणाम",
           "न्यूज़रूम में साइन इन करें"),
    "zh": ("水利部长就共同计划达成一致", "水利",
           "各国水利部长就未来十年的共同计划达成一致。",
           "最新新闻", "2026年11月29日", "1 条结果", "登录编辑部"),
}


def local(lang):
    return "01jsite0%s00000000000000%s" % (lang, "0g")


def center(w):
    """Cairo with the shipped items and one item in each new language."""
    c = w.center("cairo", languages="ar,en,es,pt,sw,hi,zh")
    c.cli("import", ITEMS)
    fd, path = tempfile.mkstemp(suffix=".ndjson")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for lang, (head, _w, body, *_rest) in LANGS.items():
            f.write(json.dumps({
                "uri": "urn:mediabridge:cairo:" + local(lang),
                "type": "text", "language": lang,
                "headlines": [{"value": head}],
                "bodies": [{"value": "<p>%s</p>" % body,
                            "contentType": "text/html"}],
                "firstCreated": WHEN, "versionCreated": WHEN},
                ensure_ascii=False) + "\n")
    try:
        c.cli("import", path)
    finally:
        os.unlink(path)
    c.serve()
    return c


def test_new_languages(w):
    c = center(w)
    cl = c.client()
    for lang, (head, word, _b, front, date, one, login) in LANGS.items():
        html = '<html lang="%s" dir="ltr">' % lang
        r = cl.get("/%s/" % lang)
        eq(r.status, 200, "/%s/" % lang)
        check(html in r.text, lang + " front's html tag")
        check(front in r.text, lang + " front title", front)
        check(head in r.text, lang + " front lists its item")
        check(date in r.text, lang + " card date", date)
        r = cl.get("/%s/items/cairo/%s" % (lang, local(lang)))
        eq(r.status, 200, lang + " item page")
        check(html in r.text and date in r.text, lang + " item page date",
              date)
        # Another language's item, framed in this one.
        r = cl.get("/%s/items/cairo/01jsite0ar000000000000000a" % lang)
        eq(r.status, 200, lang + " Arabic item")
        check(html in r.text and 'lang="ar" dir="rtl"' in r.text,
              lang + " page, Arabic article")
        r = cl.get("/%s/search?q=%s" % (lang, urllib.parse.quote(word)))
        eq(r.status, 200, lang + " search")
        check(html in r.text and local(lang) in r.text, lang + " search hit",
              r.text[-1500:])
        check(one in r.text, lang + " search count", one, r.text[-1500:])
        check('dir="auto"' in r.text, lang + " search box dir=auto")
        for hdrs in ({"Accept-Language": lang + ";q=0.9, en;q=0.1"},
                     {"Cookie": "mb_lang=" + lang}):
            r = cl.get("/newsroom/", headers=hdrs)
            eq(r.status, 200, lang + " newsroom login")
            check(html in r.text and login in r.text,
                  lang + " newsroom login text", login)
        # The 404 of a missing page is in the language too.
        r = cl.get("/%s/items/cairo/nosuchitem" % lang)
        eq(r.status, 404, lang + " missing item")
        check(html in r.text, lang + " 404 page's language")
    # Arabic stays right to left; the rest is left to right.
    check('<html lang="ar" dir="rtl">' in cl.get("/ar/").text, "ar rtl")
    check('<html lang="ru" dir="ltr">' in cl.get("/ru/").text, "ru ltr")


def test_newsroom_pages(w):
    """Signed in, the desk and the new item's form are in the reader's
    language too (the cookie's)."""
    c = center(w)
    c.user_add("jo", "journalist", "journo-pass-1")
    cl = c.client()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = cl.post("/newsroom/login", raw=b"name=jo&password=journo-pass-1",
                headers=dict(form, Cookie="mb_lang=sw"))
    eq(r.status, 303, "login")
    session = r.headers["set-cookie"].split(";", 1)[0]
    for lang, words in (("es", ("Nueva noticia", "Borradores")),
                        ("pt", ("Nova matéria", "Rascunhos")),
                        ("sw", ("Habari mpya", "Rasimu")),
                        ("hi", ("नया समाचार", "मसौदे")),
                        ("zh", ("新稿件", "草稿"))):
        h = {"Cookie": "%s; mb_lang=%s" % (session, lang)}
        for path in ("/newsroom/", "/newsroom/new"):
            r = cl.get(path, headers=h)
            eq(r.status, 200, lang + " " + path)
            check('<html lang="%s" dir="ltr">' % lang in r.text,
                  lang + " " + path + " language")
        r = cl.get("/newsroom/", headers=h)
        for word in words:
            check(word in r.text, lang + " desk says " + word)


def test_plurals_on_pages(w):
    """Search counts take each language's CLDR form."""
    c = center(w)
    cl = c.client()
    r = cl.get("/ru/search?q=" + urllib.parse.quote("水利"))
    eq(r.status, 200, "ru search")
    check("1 результат<" in r.text, "Russian 'one': 1 результат")
    r = cl.get("/hi/search?q=zzzznothing")
    eq(r.status, 200, "hi empty search")
    check("0 परिणाम" in r.text, "Hindi zero: 'one' form, 0 परिणाम")
    r = cl.get("/ar/search?q=zzzznothing")
    check("لا نتائج" in r.text, "Arabic zero form")
    r = cl.get("/zh/search?q=zzzznothing")
    check("0 条结果" in r.text, "Chinese count")


def msg(lang, key):
    """A message of the shipped catalog, as written there."""
    path = os.path.join(SRCDIR, "templates", "i18n", lang + ".msg")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(key + " = "):
                return line[len(key) + 3:].rstrip("\n")
    raise KeyError(key)


def test_search_errors(w):
    """A search the parser refuses says why in the page's language: the
    store's English diagnostic ("query: only excluded words; add a word
    to search") was put into every catalog's sentence."""
    import html
    c = center(w)
    cl = c.client()
    for q, key in (("-page", "search.only_excluded"),
                   ("!!! ???", "search.no_words"),
                   (" ".join("w%d" % k for k in range(40)),
                    "search.too_long")):
        for lang in ("ar", "en", "es", "zh"):
            r = cl.get("/%s/search?q=%s" % (lang, urllib.parse.quote(q)))
            eq(r.status, 200, lang + " " + q)
            text = html.unescape(r.text)
            check("query:" not in text, lang + ": no English diagnostic")
            check(msg(lang, key) in text, "%s: %s for %r" % (lang, key, q))


def test_other_prefixes(w):
    c = center(w)
    cl = c.client()
    item = "/items/cairo/" + local("pt")

    def loc(path, **hdrs):
        r = cl.get(path, headers=hdrs)
        eq(r.status, 302, "redirect of " + path)
        check("accept-language" in r.headers.get("vary", "").lower(),
              "Vary on " + path)
        return r.headers["location"]

    # Accept-Language picks among the catalogs ...
    eq(loc("/de/", **{"Accept-Language": "de-DE, de;q=0.9, pt;q=0.8"}),
       "/pt/", "de -> pt")
    eq(loc("/de" + item, **{"Accept-Language": "de, sw;q=0.5"}),
       "/sw" + item, "the same page in Swahili")
    eq(loc("/xx/search?q=" + urllib.parse.quote("水利"),
           **{"Accept-Language": "zh-CN"}),
       "/zh/search?q=" + urllib.parse.quote("水利"), "query kept")
    # The whole query goes along: a cursor, a results page, not only q.
    eq(loc("/es-MX/?after=1764410000000.3"), "/es/?after=1764410000000.3",
       "cursor kept")
    eq(loc("/de/search?q=x&page=1", **{"Accept-Language": "ru"}),
       "/ru/search?q=x&page=1", "page kept")
    eq(loc("/search?q=a%0d%0ab&page=2", **{"Accept-Language": "en"}),
       "/en/search?q=a%0D%0Ab&page=2", "controls stay encoded")
    # ... the remembered choice first ...
    eq(loc("/de/", **{"Cookie": "mb_lang=hi", "Accept-Language": "es"}),
       "/hi/", "the cookie's language")
    # ... else the center's first language.
    eq(loc("/de/"), "/ar/", "Cairo's default")
    eq(loc("/it/", **{"Accept-Language": "it, fi"}), "/ar/",
       "nothing matches: the center's default")
    # ... unless the reader refused it with q=0: then English.
    eq(loc("/de/", **{"Accept-Language": "ar;q=0"}), "/en/", "ar;q=0")
    eq(loc("/de/", **{"Accept-Language": "ar;q=0, de"}), "/en/",
       "ar;q=0, de")
    # A tag with a region or in capitals goes to its own catalog.
    eq(loc("/es-MX/", **{"Accept-Language": "en"}), "/es/", "es-MX")
    eq(loc("/PT" + item), "/pt" + item, "capitals")
    eq(loc("/zh-Hant-TW/events"), "/zh/events", "script and region")
    eq(loc("/de"), "/ar/", "no slash")
    # Followed, the page answers in that language.
    r = cl.get("/sw" + item)
    eq(r.status, 200, "followed")
    # Not a language: 404 as before, and no loop on real prefixes.
    for path in ("/foo1/", "/toolong/", "/123/", "/a/", "/x_y_z/",
                 "/api/nothing", "/newsroomx/"):
        r = cl.get(path)
        eq(r.status, 404, path + " stays 404")
    eq(cl.get("/es/").status, 200, "a catalog's prefix is served")
    # The switcher on a search page searches the same words.
    r = cl.get("/ar/search?q=Page&page=1")
    check("/language?set=en&amp;next=%2Fen%2Fsearch%3Fq%3DPage" in r.text,
          "the switcher keeps the query")


if __name__ == "__main__":
    main(globals())
