# SPDX-License-Identifier: MIT
"""`make demo`'s command, `mediabridge demo`: HQ Moscow and branches
Cairo and Manama on three ports, sample items imported, one item
published in Cairo reaching Manama through HQ, every printed URL
answering, items exchanged both ways, and a clean stop on SIGTERM (the
three serve processes gone, exit 0); run again in the same directory it
starts over; a directory holding something else is refused."""

import email
import email.policy
import json
import os
import re
import signal
import socket
import subprocess
import threading
import urllib.request

from mbtest import BIN, SRCDIR, check, eq, main, run, wait_for


def free_base():
    """A port P with P, P+1 and P+2 free (checked by binding them)."""
    for _ in range(50):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        if p > 65000:
            continue
        try:
            held = []
            for q in (p, p + 1, p + 2):
                t = socket.socket()
                t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                t.bind(("127.0.0.1", q))
                held.append(t)
            for t in held:
                t.close()
            return p
        except OSError:
            for t in held:
                t.close()
    raise AssertionError("no three free ports in a row")


def get(url, timeout=10):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Demo:
    def __init__(self, d, port):
        self.out = []
        self.proc = subprocess.Popen(
            [BIN, "demo", "--dir", d, "--port", str(port), "--samples",
             os.path.join(SRCDIR, "data", "demo")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.proc.stdout:
            self.out.append(line)

    def text(self):
        return "".join(self.out)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("demo did not stop in 30 s")


def serve_pids(d):
    """The pids of serve processes running on the demo's centers: the
    signer parents (each has its worker, with the same command line)."""
    def args_of(pid):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                return f.read().split(b"\0")
        except OSError:
            return []

    def serving(args):
        return len(args) > 2 and args[1] == b"serve" and \
            args[2].decode(errors="replace").startswith(d + "/")

    def ppid(pid):
        try:
            with open("/proc/%s/stat" % pid) as f:
                st = f.read()
        except OSError:
            return 0
        return int(st[st.rindex(")") + 2:].split()[1])

    return [int(p) for p in os.listdir("/proc") if p.isdigit() and
            serving(args_of(p)) and not serving(args_of(ppid(p)))]


def events(d, text, urls):
    """HQ's conference: the programme on its page and calendar, the
    reader's ticket by mail (when python3-aiosmtpd is here), admitted
    offline by `ticket verify` with HQ's public key alone."""
    check("`ticket verify` admitted it" in text and "flagged a second "
          "entry" in text, "the event's door", text)
    page = [u for u in urls if "/events/moscow/" in u and
            not u.endswith(".ics")][0]
    st, body = get(page)
    body = body.decode()
    for s in ("Arab Media Forum, Baghdad", "Verification workshop",
              "Layla Hassan", "Hall A"):
        check(s in body, "the event page shows " + s)
    # A speaker's link is to a profile the demo made (none named 404).
    for m in re.findall(r'href="(/[a-z]+/(?:members|items)/[^"]+)"', body):
        eq(get(page.split("/", 3)[0] + "//" + page.split("/")[2] + m)[0],
           200, "the event page's link " + m)
    st, ics = get([u for u in urls if u.endswith(".ics")][0])
    eq(ics.count(b"BEGIN:VEVENT"), 3, "one VEVENT per session")
    st, mine = get([u for u in urls if "/events/r/" in u][0])
    ticket = re.search(r"MBT1:[A-Za-z0-9_-]+", mine.decode()).group(0)
    hq_key = run(["key", os.path.join(d, "moscow")])[1].strip()
    rc, out, err = run(["ticket", "verify", "--key", hq_key, ticket,
                        "--at", "2099-01-01T00:00:00Z"], check_rc=None)
    check(rc == 1 and "expired" in out + err, "valid only around the "
          "event", out, err)
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        check("no mail" in text, "says there was no mail", text)
        return
    m = re.search(r"the mail +(\S+)", text)
    check(m is not None, "the mail's file printed", text)
    msg = email.message_from_bytes(open(m.group(1), "rb").read(),
                                   policy=email.policy.default)
    eq(msg["To"], "huda@reader.example", "the mail's address")
    parts = {p.get_content_type(): p.get_content() for p in msg.walk()
             if not p.is_multipart()}
    check(ticket in parts["text/plain"], "the mail carries the ticket")
    check("<svg" in str(parts["image/svg+xml"]), "and its QR code")


def center_names(text, port):
    """HQ named the centers in other languages: Cairo's site names HQ in
    the page's language, and by its default name in English."""
    check("HQ named the centers in ar, ru, es, fr and zh" in text,
          "the demo says so", text)
    want = {"ar": "موسكو", "ru": "Москва", "es": "Moscú", "fr": "Moscou",
            "en": "Moscow"}
    for lang, name in want.items():
        url = "http://127.0.0.1:%d/%s/centers/moscow" % (port + 1, lang)

        def named():
            st, body = get(url)
            return st == 200 and name in body.decode().split("</h1>")[0]
        wait_for(named, 60, "%s names HQ %s" % (url, name), 0.5)


def machine_translation(text, urls, mt):
    """HQ's English item, a Spanish machine draft at Cairo through HQ's
    engine, edited, published, and labelled on Cairo's Spanish page."""
    if not mt:
        check("apertium-apy and apertium-eng-spa are not installed" in
              text, "the demo says the step is skipped", text)
        return
    check("made with engine moscow via moscow" in text and "(en|es, " in
          text, "the draft's provenance: HQ's engine", text)
    check("(by: machine+human)" in text and "(reviewedBy: editor)" in text,
          "edited and reviewed", text)
    page = [u for u in urls if "/es/items/cairo/" in u]
    eq(len(page), 1, "Cairo's Spanish page printed")
    st, body = get(page[0])
    eq(st, 200, page[0])
    body = body.decode()
    check('<article class="item" lang="es"' in body, "in Spanish")
    for want in ("Esta es una traducción automática.",
                 "Una persona la ha revisado.",
                 "Traducido por el motor <bdi>moscow</bdi>",
                 "<bdi>Moscú</bdi>", "(revisado)",
                 'href="/es/items/moscow/'):
        check(want in body, "the page says %r" % want, body[-3000:])
    # The draft came from HQ's engine, through the federation endpoint.
    local = page[0].rsplit("/", 1)[1]
    st, body = get(page[0].split("/es/")[0] + "/api/v1/items/cairo/" +
                   local)
    tr = json.loads(body)["meta"]["translation"]
    eq((tr["by"], tr["engine"], tr["via"], tr["pair"], tr["reviewedBy"]),
       ("machine+human", "moscow", "moscow", "en|es", "editor"),
       "the signed provenance")


# Each center's illustrated story: (port offset, language, the picture's
# alt text and a word of its caption, the credit's first word).
STORIES = (
    (0, "moscow", "ru", "Три золотых купола на фоне оранжевого неба.",
     "Купола на закате", "Фото:"),
    (1, "cairo", "ar", "ثلاثة أهرامات رملية تحت شمس حمراء منخفضة.",
     "الأهرامات عند الغروب", "تصوير:"),
    (2, "manama", "ar", "برجان أزرقان على شاطئ بحر هادئ تحت سماء صافية.",
     "أبراج المنامة والبحر", "تصوير:"),
)


def pictures(port, urls):
    """At each center, the story's page shows its picture (alt text of
    its own, the caption and credit under it), the picture is served,
    and the translations say in their language what the picture shows."""
    for off, cid, lang, alt, cap, credit in STORIES:
        url = "http://127.0.0.1:%d/%s/items/%s/demo-photo-%s" % (
            port + off, lang, cid, lang)
        check(url in urls, "the story's page printed: " + url)
        st, body = get(url)
        eq(st, 200, url)
        body = body.decode()
        fig = re.search(r"<figure>.*?</figure>", body, re.S)
        check(fig is not None, "a figure on " + url, body[-2000:])
        fig = fig.group(0)
        check('alt="%s"' % alt in fig, "the alt text", fig)
        cap_m = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", fig, re.S)
        check(cap_m and cap in cap_m.group(1) and "<small>" + credit in
              cap_m.group(1), "caption and credit under it", fig)
        src = re.search(r'<img src="(/media/[0-9a-f]{64})"', fig).group(1)
        req = urllib.request.Request("http://127.0.0.1:%d%s" %
                                     (port + off, src))
        with urllib.request.urlopen(req, timeout=10) as r:
            data = r.read()
            eq(r.headers["Content-Type"], "image/jpeg", "served as JPEG")
            check(data[:3] == b"\xff\xd8\xff" and len(data) > 2000,
                  "a real JPEG", len(data))
    # Translations by the translator, signed as a person's, with the
    # picture described in their own language.
    for off, cid, lang in ((0, "moscow", "en"), (1, "cairo", "en"),
                           (1, "cairo", "fr"), (2, "manama", "en")):
        st, body = get("http://127.0.0.1:%d/api/v1/items/%s/demo-photo-%s" %
                       (port + off, cid, lang))
        eq(st, 200, "%s's %s translation" % (cid, lang))
        env = json.loads(body)
        tr = env["meta"]["translation"]
        eq((tr["of"], tr["by"]), ("urn:mediabridge:%s:demo-photo-%s" %
           (cid, "ru" if cid == "moscow" else "ar"), "human"),
           "a person's translation of the original")
        a = env["item"]["associations"][0]
        eq(env["item"]["language"], lang, "its language")
        check({d["role"] for d in a["descriptions"]} == {"caption", "alt"}
              and a["renditions"], "caption, alt text and renditions", a)


def branch_events(urls):
    """Cairo's and Manama's own events: printed, and open for
    registration on their centers' pages."""
    for cid, loc in (("cairo", "demo-workshop"), ("manama",
                                                  "demo-open-day")):
        u = [x for x in urls if x.endswith("/events/%s/%s" % (cid, loc))]
        eq(len(u), 1, cid + "'s event printed")
        st, body = get(u[0])
        check(st == 200 and b'/register"' in body and
              b'"remainingAttendeeCapacity"' in body,
              cid + "'s event open for registration", body[-1500:])


def signs_in(port):
    """Every printed account signs in at every center, and at Cairo each
    role reaches its own newsroom page and not the admin's."""
    def login(i, name):
        req = urllib.request.Request(
            "http://127.0.0.1:%d/api/v1/login" % (port + i),
            data=json.dumps({"name": name, "password":
                             "demo-%s-pass" % name}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            eq(json.loads(r.read())["role"], name, "%s's role" % name)
            return r.headers["Set-Cookie"].split(";")[0]

    def status(i, path, cookie):
        req = urllib.request.Request("http://127.0.0.1:%d%s" %
                                     (port + i, path),
                                     headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, ""
    for i in range(3):
        for name in ("admin", "editor", "journalist", "translator"):
            login(i, name)
    for name, path, mark in (("admin", "/newsroom/people", "translator"),
                             ("editor", "/newsroom/events", "demo-workshop"),
                             ("journalist", "/newsroom/new", "<form"),
                             ("translator", "/newsroom/translations",
                              "<form")):
        c = login(1, name)
        st, body = status(1, path, c)
        eq(st, 200, "%s at Cairo: %s" % (name, path))
        check(mark in body, "%s's page shows %s" % (path, mark))
        if name == "editor":
            check("demo-review-ar" in status(1, "/newsroom/", c)[1],
                  "the journalist's story in the editor's review queue")
        if name != "admin":
            eq(status(1, "/newsroom/people", c)[0], 403,
               "People is the admin's, not the %s's" % name)


def test_demo(w):
    d = os.path.join(w.root, "demo")
    port = free_base()
    demo = Demo(d, port)
    try:
        wait_for(lambda: "Ctrl-C stops" in demo.text() or
                 demo.proc.poll() is not None, 150, "the demo to be up")
        text = demo.text()
        check(demo.proc.poll() is None, "demo running", text)
        check("reached Manama through HQ" in text, "the exchange check "
              "passed", text)
        check("FAILED" not in text, "no failure", text)
        # Members and the agenda: HQ's result from the signed tallies.
        check("HQ sums the" in text and "total    yes 4  no 0  voters 4"
              in text and "total    yes 3  no 1  voters 4" in text,
              "the agenda's tallies and totals", text)
        eq(len(serve_pids(d)), 3, "three serve processes")
        # Every URL it printed answers.
        urls = [tok for line in text.splitlines() for tok in line.split()
                if tok.startswith("http://127.0.0.1:")]
        # Three per center, the course's (course, certificate, verify:
        # docs/courses.md) and the event's (page, calendar, ticket); with
        # Apertium installed, Cairo's Spanish page of the translation.
        mt = os.access("/usr/bin/apertium-apy", os.X_OK) and \
            os.path.exists("/usr/share/apertium/modes/eng-spa.mode")
        # Each center's illustrated story and its translations (7), the
        # branches' events (2).
        eq(len(urls), 25 if mt else 24, "three URLs per center, the "
           "course's, the event's, the translation's, the stories' and "
           "the branches' events: " + text)
        machine_translation(text, urls, mt)
        center_names(text, port)
        check("completed it" in text, "the demo's learner completed the "
              "course", text)
        verify = [u for u in urls if "/verify/" in u]
        eq(len(verify), 1, "a certificate to verify")
        st, body = get(verify[0])
        check(b'data-verdict="valid"' in body, "the certificate is valid")
        for u in urls:
            st, _ = get(u)
            eq(st, 200, u)
        events(d, text, urls)
        pictures(port, urls)
        branch_events(urls)
        signs_in(port)
        for i, cid in enumerate(("moscow", "cairo", "manama")):
            st, body = get("http://127.0.0.1:%d/healthz" % (port + i))
            eq(st, 200, cid + " healthz")
        # The sample items crossed: each center holds the others' items.
        def centers_of(i):
            st, body = get("http://127.0.0.1:%d/api/v1/items?limit=100" %
                           (port + i))
            return {e["meta"]["origin"] for e in json.loads(body)["items"]}
        for i in range(3):
            wait_for(lambda: centers_of(i) >= {"moscow", "cairo",
                                               "manama"}, 60,
                     "every center's items at port %d" % (port + i))
        # Cairo ingested a local Arabic RSS feed and a NewsML-G2 item;
        # HQ holds them, named with their source, and hands one on as
        # NewsML-G2.
        check("cairo ingested 3 items" in text, "feed ingest", text)

        def ingested_at_hq():
            st, body = get("http://127.0.0.1:%d/api/v1/items?limit=100" %
                           port)
            return [e["item"] for e in json.loads(body)["items"]
                    if e["meta"]["origin"] == "cairo" and
                    any(s.get("role") == "feed" for s in
                        e["item"].get("infoSources", []))]
        got = wait_for(lambda: len(ingested_at_hq()) >= 3 and
                       ingested_at_hq(), 60, "ingested items at HQ")
        c, l = got[0]["uri"].split(":")[2:4]
        req = urllib.request.Request(
            "http://127.0.0.1:%d/api/v1/items/%s/%s" % (port, c, l),
            headers={"Accept": "application/vnd.iptc.g2.newsitem+xml"})
        with urllib.request.urlopen(req, timeout=10) as r:
            x = r.read().decode()
            check("<newsItem " in x and got[0]["uri"] in x, "NewsML-G2", x)
        # Impact: readers' views at the three centers, in each center's
        # impact view, and as signed reports in HQ's network view.
        check("adds up the signed reports" in text, "impact step", text)
        for cid, n in (("moscow", 2), ("cairo", 5), ("manama", 3)):
            check(re.search(r"%s +%d views" % (cid, n), text),
                  "HQ's figure for %s" % cid, text)

        def page(i, path):
            req = urllib.request.Request(
                "http://127.0.0.1:%d/api/v1/login" % (port + i),
                data=json.dumps({"name": "editor", "password":
                                 "demo-editor-pass"}).encode(),
                headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as r:
                cookie = r.headers["Set-Cookie"].split(";")[0]
            req = urllib.request.Request(
                "http://127.0.0.1:%d%s" % (port + i, path),
                headers={"Cookie": cookie})
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.read().decode()
        for i in range(3):
            body = page(i, "/newsroom/impact")
            check('<title id="items-t">' in body and
                  "The exchange is up" in body.split('id="items"')[1],
                  "the item in center %d's impact view" % i)
        body = page(0, "/newsroom/impact/network")
        for cid in ("cairo", "manama", "moscow"):
            row = body.split('class="report" data-center="%s"' %
                             cid)[1].split("</tr>")[0]
            check("Verified" in row, "%s's signed report at HQ" % cid, row)
        check('<title id="centers-t">' in body, "HQ's chart by center")
        check("demo-nile" in page(1, "/newsroom/campaigns"),
              "Cairo's campaign")
        # Every account it printed signs in, with the role it says.
        for name in ("admin", "editor", "journalist", "translator"):
            check('%s' % name in demo.text(), "%s printed" % name)
            req = urllib.request.Request(
                "http://127.0.0.1:%d/api/v1/login" % (port + 2),
                data=json.dumps({"name": name, "password":
                                 "demo-%s-pass" % name}).encode(),
                headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as r:
                eq(r.status, 200, "the demo %s signs in" % name)
                eq(json.loads(r.read())["role"], name, "role")
        pids = serve_pids(d)
        eq(demo.stop(), 0, "demo exits 0 on SIGTERM")
        check("demo: stopped" in demo.text(), "says it stopped")
        wait_for(lambda: not any(os.path.exists("/proc/%d" % p) and
                                 open("/proc/%d/stat" % p).read().split()[2]
                                 != "Z" for p in pids), 15,
                 "the serve processes gone")
        check(not os.path.exists(os.path.join(d, "demo.pid")),
              "demo.pid removed")
        for i in range(3):
            try:
                socket.create_connection(("127.0.0.1", port + i), 2).close()
                raise AssertionError("port %d still open" % (port + i))
            except OSError:
                pass
        # Again in the same directory: it starts over, removing only
        # what it made.
        with open(os.path.join(d, "notes.txt"), "w") as f:
            f.write("mine\n")
        demo = Demo(d, port)
        wait_for(lambda: "Ctrl-C stops" in demo.text() or
                 demo.proc.poll() is not None, 90, "the second demo")
        check("reached Manama" in demo.text(), "second run", demo.text())
        eq(open(os.path.join(d, "notes.txt")).read(), "mine\n",
           "a file the demo did not make is kept")
        eq(demo.stop(), 0, "second stop")
    finally:
        demo.stop()
    # A directory with something else in it is refused, and left alone.
    other = os.path.join(w.root, "other")
    os.makedirs(os.path.join(other, "cairo"))
    rc, out, err = run(["demo", "--dir", other, "--port", str(port),
                        "--samples", os.path.join(SRCDIR, "data", "demo")],
                       check_rc=None)
    check(rc != 0 and "not a demo" in err, "refused", rc, err)
    eq(os.listdir(other), ["cairo"], "left alone")
    rc, out, err = run(["demo", "--port", "0"], check_rc=None)
    check(rc != 0 and "--port" in err, "bad port refused", err)


def test_demo_refuses_a_dir_not_its_own(w):
    """Any non-empty DIR without the demo's mark is refused before
    anything in it is touched: a mail folder of the user's survives."""
    port = free_base()
    for name in ("mail", "notes.txt"):
        other = os.path.join(w.root, "other-" + name.split(".")[0])
        os.makedirs(other)
        path = os.path.join(other, name)
        if name == "mail":
            os.makedirs(path)
            path = os.path.join(path, "letter")
        with open(path, "w") as f:
            f.write("mine\n")
        rc, out, err = run(["demo", "--dir", other, "--port", str(port),
                            "--samples", os.path.join(SRCDIR, "data",
                                                      "demo")],
                           check_rc=None)
        check(rc != 0 and "not a demo" in err, "refused", rc, err)
        eq(os.listdir(other), [name], "left alone")
        eq(open(path).read(), "mine\n", "the user's file kept")


if __name__ == "__main__":
    main(globals())
