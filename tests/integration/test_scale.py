#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Several serve processes on one PostgreSQL database: consistent answers,
long-poll wake-ups and cache invalidation across processes (LISTEN/NOTIFY),
and one of two processes killed in the middle of writes: nothing lost, the
other keeps serving. Runs on the PostgreSQL variant only (SQLite serves a
data directory from one process); skipped (77) otherwise."""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
from mbtest import (BIN, Center, check, eq, main, pg_backend,  # noqa: E402
                    run, wait_for)


def item(headline):
    return {"item": {"type": "text", "language": "en",
                     "headlines": [{"value": headline}],
                     "bodies": [{"value": "<p>%s: the story.</p>" %
                                 headline}]},
            "meta": {"workflow": "published"}}


def path_of(env):
    _, _, center, local = env["item"]["uri"].split(":")
    return "/api/v1/items/%s/%s" % (center, local)


def two_serves(w):
    """One center, two serve processes on its database: (a, b, token)."""
    a = w.center("cairo")
    a.user_add("edi", "editor")
    tok = a.token_add("edi")
    a.serve()
    os.unlink(os.path.join(a.dir, "serve.addr"))
    b = Center(w, "cairo", a.dir)
    b.log_path = a.dir + ".b.log"
    w.centers.append(b)
    b.serve()
    check(a.addr != b.addr, "two listeners", a.addr, b.addr)
    return a, b, tok


def test_consistent_across_processes(w):
    a, b, tok = two_serves(w)
    ea, eb, anon_b = a.client(tok), b.client(tok), b.client()
    env = ea.post("/api/v1/items", item("Written on A")).json
    p = path_of(env)
    r = anon_b.get(p)
    eq(r.status, 200, "B reads what A wrote")
    eq(r.json["item"]["uri"], env["item"]["uri"], "same item")
    # B's cached copy goes stale when A writes a new version.
    etag = anon_b.get(p).headers["etag"]
    eb.get(p)
    ea.put(p, item("Written on A, v2")["item"], headers={"If-Match": "1"})

    def fresh():
        r = anon_b.get(p)
        return r.json["item"]["version"] == "2" and r
    t0 = time.monotonic()
    r = wait_for(fresh, 5, "B's cache invalidated by A's write")
    check(r.headers["etag"] != etag, "new ETag on B")
    check(time.monotonic() - t0 < 1.5, "invalidated promptly",
          time.monotonic() - t0)
    # Listings agree.
    la = a.client().get("/api/v1/items").json
    lb = anon_b.get("/api/v1/items").json
    eq(la, lb, "same listing on both")


def test_long_poll_woken_by_the_other_process(w):
    a, b, tok = two_serves(w)
    ea, eb = a.client(tok), b.client(tok)
    worst = 0.0
    for i in range(5):
        seq = eb.get("/api/v1/changes").json["seq"]
        out = {}
        poller = b.client(tok)

        def poll():
            t = time.monotonic()
            out["r"] = poller.get("/api/v1/changes",
                                  query={"after": seq, "wait": 20})
            out["t"] = time.monotonic()
        th = threading.Thread(target=poll)
        th.start()
        time.sleep(0.3)
        t_write = time.monotonic()
        eq(ea.post("/api/v1/items", item("Wake %d" % i)).status, 201,
           "write on A")
        th.join(10)
        check("r" in out, "poll on B answered")
        eq(out["r"].json["changed"], True, "changed")
        worst = max(worst, out["t"] - t_write)
    # NOTIFY arrives in milliseconds; the once-a-second poll would not
    # manage five in a row under half a second.
    check(worst < 0.5, "woken by NOTIFY, not by polling", worst)


def test_kill_one_of_two_mid_writes(w):
    a, b, tok = two_serves(w)
    acked, lock = [], threading.Lock()
    stop = threading.Event()
    errors = {"a": 0, "b": 0}

    def writer(center, name):
        cl = center.client(tok)
        n = 0
        while not stop.is_set() and n < 400:
            n += 1
            try:
                r = cl.post("/api/v1/items", item("%s %d" % (name, n)))
            except OSError:
                errors[name] += 1
                if center.proc is None:
                    return
                time.sleep(0.05)
                cl = center.client(tok)
                continue
            if r.status == 201:
                with lock:
                    acked.append(r.json["item"]["uri"])
            else:
                errors[name] += 1
    ta = threading.Thread(target=writer, args=(a, "a"))
    tb = threading.Thread(target=writer, args=(b, "b"))
    ta.start()
    tb.start()
    wait_for(lambda: len(acked) >= 60, 30, "writes under way")
    a.kill9()
    killed_at = len(acked)
    ta.join(30)
    wait_for(lambda: len(acked) >= killed_at + 60, 30,
             "B goes on writing after A died")
    stop.set()
    tb.join(30)
    eq(errors["b"], 0, "no failed write on B")
    anon = b.client()
    eq(anon.get("/healthz").status, 200, "B serves")
    ed = b.client(tok)
    missing = [u for u in acked if ed.get(
        "/api/v1/items/%s/%s" % tuple(u.split(":")[2:4])).status != 200]
    eq(missing, [], "every acknowledged write is there")
    # The log holds every acknowledged write once. A write A committed
    # but was killed before answering may be there too (its client saw
    # the connection drop): at most one, A's single writer's last.
    lines = run(["export", a.dir])[1].splitlines()
    uris = [json.loads(x)["item"]["uri"] for x in lines]
    eq(len(uris), len(set(uris)), "no duplicate in the log")
    check(set(acked) <= set(uris), "every acknowledged write in the log")
    check(len(uris) - len(acked) <= 1,
          "at most the one write in flight when A died is unacknowledged",
          len(uris), len(acked))
    rc, out, err = run(["verify", a.dir])
    check("all signatures good" in out, "verify after the kill", out, err)
    # A restarted process joins in.
    os.unlink(os.path.join(a.dir, "serve.addr"))
    a.serve()
    eq(a.client().get("/healthz").status, 200, "A back")


def test_migrate_sqlite_to_postgresql(w):
    """`migrate --to` moves a SQLite center; it serves the same answers."""
    from mbtest import pg_new_database
    import json
    c = w.center("cairo", extra=["--database", "sqlite:store.db"])
    c.user_add("edi", "editor", password="correct horse battery")
    tok = c.token_add("edi")
    items = "\n".join(json.dumps({
        "type": "text", "language": lang,
        "headlines": [{"value": h}], "bodies": [{"value": "<p>%s</p>" % b}]})
        for lang, h, b in (
            ("en", "Floods in the delta", "The river rose overnight."),
            ("ar", "فيضانات في الدلتا", "ارتفع منسوب النهر ليلا."),
            ("ru", "Выставка в Москве", "В Москве открылась выставка."),
            ("fr", "Les élections régionales", "La date de l'élection.")))
    # Topics beyond ASCII in upper case: SQLite's lower() folded ASCII
    # alone, PostgreSQL's every script, and the copy's check refused
    # the store ("item's topics differ from its envelope").
    items += "\n" + json.dumps({
        "type": "text", "language": "ru",
        "headlines": [{"value": "Выборы в городе"}],
        "bodies": [{"value": "<p>Городские выборы прошли.</p>"}],
        "subjects": [{"name": "Политика"}, {"name": "İstanbul"},
                     {"name": "STRASSE ẞ"}]}, ensure_ascii=False)
    path = os.path.join(w.root, "items.ndjson")
    with open(path, "w") as f:
        f.write(items + "\n")
    c.cli("import", path)
    for t in ("политика", "ПОЛИТИКА", "istanbul", "strasse ß"):
        rc, out, err = c.cli("search", "выборы", "--topic", t)
        eq(len(out.splitlines()), 1, "topic %s on SQLite" % t)
    c.serve()
    ed = c.client(tok)
    before = ed.get("/api/v1/items", query={"limit": 100}).json
    found = c.client().get("/api/v1/search", query={"q": "москва"})
    c.stop()
    name, url = pg_new_database()
    w.databases.append(name)
    rc, out, err = c.cli("migrate", "--to", url)
    check("copied and verified" in out, "migrate says so", out, err)
    with open(os.path.join(c.dir, "mediabridge.conf")) as f:
        check(url in f.read(), "the config names PostgreSQL")
    rc, out, err = run(["verify", c.dir])
    check("all signatures good" in out, "verify on PostgreSQL", out, err)
    for t in ("политика", "ПОЛИТИКА", "istanbul", "strasse ß"):
        rc, out, err = c.cli("search", "выборы", "--topic", t)
        eq(len(out.splitlines()), 1, "topic %s on PostgreSQL" % t)
    # A second migrate into the now non-empty database is refused.
    run(["migrate", c.dir, "--to", url], check_rc=1)
    c.serve()
    ed = c.client(tok)
    eq(ed.get("/api/v1/items", query={"limit": 100}).json, before,
       "same listing after the move")
    eq(c.client().get("/api/v1/search", query={"q": "москва"}).status,
       found.status, "search answers")
    r = c.client().login("edi", "correct horse battery")
    eq(r.status, 200, "password login after the move")
    # New writes go on from the old log's end.
    seq = ed.get("/api/v1/changes").json["seq"]
    eq(ed.post("/api/v1/items", item("After the move")).status, 201, "write")
    eq(ed.get("/api/v1/changes").json["seq"], seq + 1, "the log goes on")


def test_migrate_failed_check_explained(w):
    """A copy that fails its check says how to empty the database.

    A database whose LC_CTYPE is C folds topics in ASCII alone, so the
    copy's topic rows (Unicode lower case) differ from what it derives:
    the check fails after the copy committed. The message says the copy
    is there and how to empty it, and so does a second try's refusal.
    """
    from mbtest import pg_admin
    import json
    c = w.center("cairo", extra=["--database", "sqlite:store.db"])
    path = os.path.join(w.root, "items.ndjson")
    with open(path, "w") as f:
        f.write(json.dumps({
            "type": "text", "language": "ru",
            "headlines": [{"value": "Выборы"}],
            "bodies": [{"value": "<p>Выборы прошли.</p>"}],
            "subjects": [{"name": "Политика"}]}, ensure_ascii=False) + "\n")
    c.cli("import", path)
    name = "mbi_c_%d" % os.getpid()
    pg_admin("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' "
             "LC_CTYPE 'C' LC_COLLATE 'C'" % name)
    w.databases.append(name)
    url = os.environ["MB_TEST_PG"].rsplit("/", 1)[0] + "/" + name
    rc, out, err = c.cli("migrate", "--to", url, check_rc=1)
    check("holds the failed copy" in err and "createdb" in err,
          "the failed check says what is left and how to empty it", err)
    with open(os.path.join(c.dir, "mediabridge.conf")) as f:
        check(url not in f.read(), "the config still names SQLite")
    rc, out, err = c.cli("migrate", "--to", url, check_rc=1)
    check("not empty" in err and "dropdb" in err,
          "a second try says how to empty the database", err)


def test_one_puller_per_peer(w):
    """A branch served by two processes pulls HQ from one of them at a
    time; when that one dies, the other takes over."""
    import signal
    import subprocess
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fedlib
    hq = fedlib.Center(w.root, "moscow", "RU", "ru,en")
    hq.start()
    cairo = fedlib.Center(w.root, "cairo", "EG", "ar,en", hq=hq)
    procs, second = [hq], None
    try:
        cairo.start()
        procs.append(cairo)
        log2 = os.path.join(cairo.dir, "serve2.log")
        with open(log2, "a") as f:
            second = subprocess.Popen(
                [BIN, "serve", cairo.dir, "--listen", "127.0.0.1:0"],
                stdout=f, stderr=f, env=fedlib.ENV)
        fedlib.admit(hq, cairo)
        hq.publish([fedlib.item("Новости %d" % i, "ru") for i in range(3)])
        fedlib.wait_for("cairo pulls from HQ",
                        lambda: len(cairo.versions()) == 3)
        log1 = os.path.join(cairo.dir, "serve.log")

        def pulling(path):
            with open(path, errors="replace") as f:
                return f.read().count("sync: pulling peer=moscow")
        eq(pulling(log1) + pulling(log2), 1, "one puller for moscow")
        # Kill the one that pulls; the other takes over.
        if pulling(log1):
            cairo.proc.kill()
            cairo.proc.wait()
            cairo.proc = None
            survivor = log2
        else:
            second.kill()
            second.wait()
            survivor = log1
        hq.publish([fedlib.item("После %d" % i, "ru") for i in range(3)])
        fedlib.wait_for("the other process takes over",
                        lambda: len(cairo.versions()) == 6)
        eq(pulling(survivor), 1, "the survivor pulls now")
    finally:
        for c in procs:
            if c.proc is not None:
                c.stop(signal.SIGKILL)
        if second is not None and second.poll() is None:
            second.kill()
            second.wait()


if __name__ == "__main__":
    if not pg_backend():
        print("skipped: several serve processes need PostgreSQL "
              "(MB_TEST_BACKEND=postgresql)")
        sys.exit(77)
    main(globals())
