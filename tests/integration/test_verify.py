#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""verify as fsck (issue 14, 5): what the store derived from the signed
envelopes -- the versions' columns, the items' rows, the topic and
translation rows, the full-text index -- is changed behind the program's
back (sqlite3 or psql on the store itself); verify names each change and
exits 1, verify --repair rebuilds it from the envelopes (never the
reverse) and verify passes again, with search finding what it found
before. Runs on SQLite and, as integration-verify-pg, on PostgreSQL."""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
import mbtest  # noqa: E402
from mbtest import check, eq, main  # noqa: E402

URN = "urn:mediabridge:cairo:"
TOPIC = "http://cv.iptc.org/newscodes/mediatopic/04000000"


def item(local, lang, headline, body, **extra):
    it = {"uri": URN + local, "type": "text", "language": lang,
          "headlines": [{"value": headline}],
          "bodies": [{"value": "<p>%s</p>" % body}]}
    it.update(extra)
    return it


ITEMS = [
    item("solar", "en", "Solar plant opens near Aswan",
         "The new solar plant near Aswan opened on Monday.",
         subjects=[{"uri": TOPIC, "name": "Economy"}]),
    item("solar-fr", "fr", "Une centrale solaire ouvre près d'Assouan",
         "La nouvelle centrale solaire a ouvert lundi.",
         associations=[{"name": "original", "rel": "translation-of",
                        "uri": URN + "solar"}]),
    item("port", "en", "Port workers strike in Mombasa",
         "Dock workers stopped work over unpaid wages."),
]


def sql(w, c, statement):
    """Runs statement on c's store, behind the program's back."""
    if mbtest.pg_backend():
        base = os.environ["MB_TEST_PG"].rsplit("/", 1)[0]
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                        base + "/" + w.databases[-1], "-c", statement],
                       check=True, stdout=subprocess.DEVNULL)
        return
    db = [os.path.join(c.dir, f) for f in os.listdir(c.dir)
          if f.endswith(".db")][0]
    subprocess.run(["sqlite3", db, statement], check=True)


def setup(w):
    if not mbtest.pg_backend() and shutil.which("sqlite3") is None:
        print("skipped: no sqlite3 tool")
        sys.exit(77)
    c = w.center("cairo", languages="en,fr")
    path = os.path.join(w.root, "in.ndjson")
    with open(path, "w", encoding="utf-8") as f:
        for it in ITEMS:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    c.cli("import", path)
    eq(c.cli("verify", check_rc=None)[0], 0, "verify before")
    return c


def found(c, q, *opts):
    out = c.cli("search", q, "--limit", "50", *opts)[1]
    return sorted(ln.split("\t", 1)[0][len(URN):] for ln in out.splitlines())


def breaks_then_repairs(w, c, statements, names):
    """Each statement changes derived data; verify names it (exit 1);
    verify --repair repairs it and the next verify passes."""
    for s in statements:
        sql(w, c, s)
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 1, "verify after %s" % statements)
    for n in names:
        check(n in err, "verify names %r" % n, err)
    rc, out, err = c.cli("verify", "--repair", check_rc=None)
    eq(rc, 0, "verify --repair after %s (%s)" % (statements, err))
    for n in names:
        check(n in out, "--repair names %r" % n, out)
    check("problem" in out and "repaired" in out, "counts", out)
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 0, "verify after the repair (%s)" % err)
    check("store intact" in out, "says so", out)


def test_topics_and_translations(w):
    c = setup(w)
    eq(found(c, "solar", "--topic", "economy"), ["solar"], "topic before")
    breaks_then_repairs(w, c, [
        "DELETE FROM item_topics",
        "UPDATE translations SET of_uri = 'urn:mediabridge:cairo:port'",
    ], ["item's topics differ from its envelope",
        "item's translation link differs from its envelope",
        URN + "solar", URN + "solar-fr"])
    eq(found(c, "solar", "--topic", "economy"), ["solar"], "topic after")
    # A forged topic (an item made to look like economy) is gone again.
    sql(w, c, "INSERT INTO item_topics (topic, item_id) SELECT 'economy', "
        "id FROM items WHERE uri = '%sport'" % URN)
    check(c.cli("verify", check_rc=None)[0] == 1, "an extra topic row")
    eq(c.cli("verify", "--repair", check_rc=None)[0], 0, "repaired")
    eq(found(c, "port OR solar", "--topic", "economy"), ["solar"],
       "the forged topic is gone")


def test_columns_and_items(w):
    c = setup(w)
    breaks_then_repairs(w, c, [
        "UPDATE versions SET headline = 'Forged', language = 'ar' WHERE "
        "uri = '%sport'" % URN,
        "UPDATE items SET workflow = 'draft', language = 'ar' WHERE "
        "uri = '%ssolar'" % URN,
    ], ["the stored language, headline are not the signed envelope's",
        "item's facts differ from its current version"])
    out = c.cli("search", "Mombasa", "--json")[1]
    eq(json.loads(out)["hits"][0]["headline"],
       "Port workers strike in Mombasa", "the signed headline is back")
    # An item row lost: made again from its version.
    breaks_then_repairs(w, c, [
        "DELETE FROM items WHERE uri = '%sport'" % URN,
    ], ["version belongs to no item"])
    eq(found(c, "Mombasa"), ["port"], "searchable again")


def test_search_index(w):
    c = setup(w)
    if mbtest.pg_backend():
        breaks_then_repairs(w, c, [
            "DELETE FROM item_text WHERE item_id = (SELECT id FROM items "
            "WHERE uri = '%sport')" % URN,
        ], ["item missing from the search index"])
    else:
        # The index's own pages damaged: FTS5's integrity-check finds it.
        breaks_then_repairs(w, c, [
            "DELETE FROM fts_docsize WHERE id = (SELECT id FROM items "
            "WHERE uri = '%sport')" % URN,
        ], ["search index"])
        # The index reads its text from the envelopes (no copy of its
        # own): a row of the index for no item, and an item gone from
        # it, are found and rebuilt.
        breaks_then_repairs(w, c, [
            "INSERT INTO fts_docsize (id, sz) VALUES (999999, x'0102')",
            "DELETE FROM fts_docsize WHERE id = (SELECT id FROM items "
            "WHERE uri = '%ssolar')" % URN,
        ], ["search index", "index row for no item", "999999",
            "item missing from the search index", URN + "solar"])
    eq(found(c, "Mombasa"), ["port"], "found after the repair")
    eq(found(c, "solar"), ["solar"], "found after the repair")


def test_signature_is_not_repaired(w):
    """A changed envelope is not derived data: --repair leaves it, names
    it and exits 1 (delete the item and pull it again); the columns of a
    version whose signature fails are not rewritten from its bytes."""
    c = setup(w)
    if mbtest.pg_backend():
        sql(w, c, "UPDATE versions SET envelope = convert_to(replace("
            "convert_from(envelope, 'UTF8'), 'Mombasa', 'Mombaza'), "
            "'UTF8') WHERE uri = '%sport'" % URN)
    else:
        # Stored compressed (docs/store.md): forged from export's copy,
        # written back uncompressed (which reads as it is).
        env = [line for line in c.cli("export")[1].splitlines()
               if '"%sport"' % URN in line][0]
        forged = env.replace("Mombasa", "Mombaza").encode("utf-8")
        check(forged != env.encode("utf-8"), "forged", env)
        sql(w, c, "UPDATE versions SET envelope = x'%s' WHERE uri = "
            "'%sport'" % (forged.hex(), URN))
    rc, out, err = c.cli("verify", "--repair", check_rc=None)
    eq(rc, 1, "a forged envelope is left, exit 1")
    check("signature does not verify" in err, "named", err)
    check("Mombaza" not in out, "nothing rebuilt from it", out)
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 1, "still named after the repair")


def test_damaged_frame_is_named(w):
    """SQLite stores envelopes compressed (docs/store.md): a frame
    damaged behind the store's back is named by verify, not passed on
    as an envelope, and the other items still verify."""
    if mbtest.pg_backend():
        return  # PostgreSQL keeps envelopes as they are
    c = setup(w)
    sql(w, c, "UPDATE versions SET envelope = substr(envelope, 1, 60) || "
        "CASE WHEN substr(envelope, 61, 1) = x'ff' THEN x'00' ELSE x'ff' "
        "END || substr(envelope, 62) WHERE uri = '%sport'" % URN)
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 1, "a damaged frame fails verify")
    check("%sport: item's envelope does not decompress" % URN in err,
          "named", err)
    check("not JSON" in err, "not passed on as an envelope", err)
    eq(found(c, "solar"), ["solar"], "the others are searched still")


def test_usage(w):
    c = w.center("cairo")
    rc, out, err = c.cli("verify", "--fix", check_rc=None)
    eq(rc, 2, "an unknown option")
    check("--fix" in err, "named", err)


if __name__ == "__main__":
    main(globals())
