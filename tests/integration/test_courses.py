#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Courses end to end with real processes: HQ publishes a course in two
languages, Cairo receives it through the exchange, a learner signs up
with an invitation code, enrols, reads the lessons, fails and passes the
quiz, and gets a certificate that an independent verifier (python3-nacl,
its own JCS: indep.py) accepts and, once revoked, refuses. The offline
package is checked by `course check`, by Python's zipfile (every page,
no script, nothing loaded from outside), altered and refused, and opened
in Chromium with no network at all when it can run here. Refusals change
nothing; learners' answers never leave Cairo."""

import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedlib import Center, admit, mb, wait_for  # noqa: E402

try:
    import indep  # noqa: E402
except ImportError as e:  # python3-nacl missing
    print("skipped: the independent verifier needs python3-nacl (%s)" % e)
    sys.exit(77)

SRC = os.environ.get("MB_SRCDIR", ".")
DOC = os.path.join(SRC, "data", "demo", "course-moscow.json")
AR = "urn:mediabridge:moscow:dl-safe-ar"
EN = "urn:mediabridge:moscow:dl-safe-en"
RIGHT = {"q_q1": "1", "q_q2_0": "on", "q_q2_2": "on", "q_q3": "secure"}
WRONG = {"q_q1": "0", "q_q3": "SECURE"}


def check(cond, what, *detail):
    if not cond:
        raise AssertionError(what + (": " + " ".join(str(d)[:600] for d in
                                                     detail) if detail
                                     else ""))


class Browser:
    """A learner's browser: cookies, forms with the page's CSRF token."""

    def __init__(self, addr):
        self.addr = addr
        self.cookie = None

    def req(self, method, path, form=None, body=None, headers=None):
        host, port = self.addr.rsplit(":", 1)
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        b = r.read()
        hd = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        if "set-cookie" in hd and hd["set-cookie"].startswith("mb_session="):
            self.cookie = hd["set-cookie"].split(";", 1)[0]
        return r.status, hd, b

    def get(self, path):
        return self.req("GET", path)

    def csrf(self, path):
        st, _, b = self.get(path)
        m = re.search(rb'name="csrf" value="([^"]+)"', b)
        return m.group(1).decode() if m else ""

    def post(self, path, form, csrf_from=None):
        form = dict(form)
        form["csrf"] = self.csrf(csrf_from or path)
        return self.req("POST", path, form=form)


def local(uri):
    return uri.split(":")[3]


def versions(c):
    return mb("export", c.dir).count("\n")


def test_courses():
    root = tempfile.mkdtemp(prefix="mb-courses-")
    hq = Center(root, "moscow", "RU", "ru,en")
    hq.start()
    cairo = Center(root, "cairo", "EG", "ar,en", hq=hq)
    cairo.start()
    admit(hq, cairo)
    try:
        run_all(root, hq, cairo)
    except Exception:
        for c in (hq, cairo):
            p = os.path.join(c.dir, "serve.log")
            if os.path.exists(p):
                sys.stderr.write("---- %s ----\n%s\n" % (
                    c.id, open(p, errors="replace").read()[-5000:]))
        raise
    finally:
        for c in (hq, cairo):
            c.stop()
        if os.environ.get("MB_KEEP") != "1":
            shutil.rmtree(root, ignore_errors=True)


def run_all(root, hq, cairo):
    # 1. A course with script in a question is refused whole.
    before = versions(hq)
    bad = json.load(open(DOC))
    quiz = [e for e in bad["items"] if e["item"]["profile"] == "quiz"][0]
    q = json.loads(quiz["item"]["bodies"][0]["value"])
    q["questions"][0]["text"] = "<script>alert(1)</script>"
    quiz["item"]["bodies"][0]["value"] = json.dumps(q)
    path = os.path.join(root, "bad.json")
    json.dump(bad, open(path, "w"))
    p = mb("course", "publish", hq.dir, path, check=False, full=True)
    check(p.returncode == 1 and "plain text only" in p.stderr,
          "script in a question refused", p.returncode, p.stderr)
    check(versions(hq) == before, "nothing stored after the refusal")
    print("ok script in a question refused, nothing stored")

    # 2. HQ publishes the course in English and Arabic; Cairo gets it.
    out = mb("course", "publish", hq.dir, DOC)
    check("8 versions stored" in out, "published", out)
    wait_for("the course at Cairo", lambda: AR in mb("export", cairo.dir)
             and EN in mb("export", cairo.dir), timeout=30)
    print("ok course published at HQ, received in Cairo")

    # 3. Sign-up: never without a code; a code once.
    b = Browser(cairo.addr)
    st, _, body = b.get("/ar/courses")
    check(st == 200 and "dl-safe-ar" in body.decode() and "dl-safe-en" in
          body.decode(), "catalogue lists both", st)
    st, _, body = b.req("POST", "/ar/signup", form={
        "name": "amira", "password": "learner pass 1"})
    check(st == 403 and b.cookie is None, "no sign-up without a code", st)
    code = mb("course", "invite", cairo.dir).strip()
    st, hd, _ = b.req("POST", "/ar/signup", form={
        "name": "amira", "password": "learner pass 1", "code": code,
        "next": "/ar/courses/moscow/dl-safe-ar"})
    check(st == 303 and b.cookie, "signed up", st, hd)
    other = Browser(cairo.addr)
    st, _, _ = other.req("POST", "/ar/signup", form={
        "name": "karim", "password": "learner pass 2", "code": code})
    check(st == 403, "a code works once", st)
    check("karim" not in mb("user", "list", cairo.dir), "no account made")
    print("ok sign-up by invitation code only, once")

    course = "/ar/courses/moscow/dl-safe-ar"
    # 4. Not enrolled: no lesson, no quiz.
    st, _, _ = b.get(course + "/1")
    check(st == 403, "a lesson before enrolling", st)
    st, _, _ = b.post(course + "/3", RIGHT, csrf_from=course)
    check(st == 403, "answers before enrolling", st)
    st, hd, _ = b.post(course + "/enrol", {}, csrf_from=course)
    check(st == 303, "enrolled", st)

    # 5. Lessons: light, no script; done one by one.
    for n in (1, 2):
        st, hd, body = b.get("%s/%d" % (course, n))
        check(st == 200, "lesson %d" % n, st)
        check(len(body) < 50 * 1024, "lesson page under 50 KB", len(body))
        check(b"<script" not in body.lower(), "no script")
        check(hd.get("content-security-policy", "").startswith(
            "default-src 'none'"), "strict policy")
        st, hd, _ = b.post("%s/%d" % (course, n), {"done": "1"})
        check(st == 303, "lesson %d done" % n, st)
    print("ok lessons: %d bytes, no script" % len(body))

    # 6. The quiz: a wrong try, then a pass that completes the course.
    st, _, body = b.post(course + "/3", WRONG)
    check(st == 200 and "غير ناجح" in body.decode(), "wrong answers graded",
          st)
    st, _, body = b.post(course + "/3", RIGHT)
    text = body.decode()
    check(st == 200 and "ناجح" in text and "اكتملت الدورة" in text,
          "passed and completed", st, text[-1500:])
    m = re.search(r'/ar/certificates/([0-9a-f-]{36})', text)
    check(m, "certificate link on the page")
    uuid = m.group(1)
    st, _, body = b.post(course + "/3", RIGHT, csrf_from=course)
    check(st == 409 and "closed" in body.decode(), "a closed quiz refuses "
          "answers", st, body)
    print("ok quiz graded on the server; certificate", uuid)

    # 7. The certificate, checked by an independent verifier.
    st, hd, cred = b.get("/certificates/%s/credential.json" % uuid)
    check(st == 200, "credential", st)
    doc = indep.loads(cred.decode())
    pk = indep.mediabridge_key(mb("key", cairo.dir).strip())
    check(indep.verify_proof(doc, pk) == pk, "independent verifier")
    check("OpenBadgeCredential" in doc["type"], "an Open Badges credential")
    check(doc["credentialSubject"]["achievement"]["id"] == AR, "the course")
    st, _, page = b.get("/ar/certificates/" + uuid)
    check(st == 200 and b"<svg" in page and b"amira" in page,
          "printable page with a QR code", st)
    anon = Browser(cairo.addr)
    st, _, page = anon.get("/verify/" + uuid)
    check(st == 200 and b'data-verdict="valid"' in page, "verify: valid", st)
    check(("next=%%2Fverify%%2F%s\"" % uuid).encode() in page and
          b"next=%2Far%2Fverify" not in page, "the language switcher "
          "keeps /verify/<id> (no /<lang>/verify/<id>: a 404)")
    st, _, page = anon.get("/ar/courses/moscow/dl-safe-ar/1")
    check(st == 403 and "سجّل الدخول وسجّل في هذه الدورة أولًا".encode()
          in page and b"sign in and enrol" not in page and
          b'login?next=/ar/courses/moscow/dl-safe-ar/1"' in page,
          "an anonymous reader's step: why in Arabic, and a sign-in "
          "that comes back to the step", st, page[-800:])
    cpath = os.path.join(root, "cert.json")
    open(cpath, "wb").write(cred)
    spath = os.path.join(root, "status.json")
    st, _, sl = anon.get("/courses/status")
    open(spath, "wb").write(sl)
    p = mb("credential", "verify", cpath, "--key", mb("key",
           cairo.dir).strip(), "--status", spath, "--name", "amira",
           check=False, full=True)
    check(p.returncode == 0 and "status: valid" in p.stdout,
          "credential verify", p.stdout, p.stderr)
    # Tampered: refused by both verifiers.
    doc2 = json.loads(cred)
    doc2["credentialSubject"]["achievement"]["name"] = "Something else"
    try:
        indep.verify_proof(doc2, pk)
        check(False, "tampered certificate accepted")
    except indep.Refused:
        pass
    print("ok certificate verified independently, tampering refused")

    # 8. Revoked: the status list says so, and so does /verify.
    mb("course", "revoke", cairo.dir, "urn:uuid:" + uuid)
    st, _, sl = anon.get("/courses/status")
    bits = indep.status_bits(indep.loads(sl.decode()))
    idx = int(doc["credentialStatus"]["statusListIndex"])
    check(indep.bit(bits, idx) == 1, "revoked bit set", idx)
    st, _, page = anon.get("/verify/" + uuid)
    check(b'data-verdict="revoked"' in page, "verify: revoked")
    print("ok revocation in the status list and on /verify")

    # 9. The offline package.
    st, hd, z = b.get("/courses/moscow/dl-safe-ar/package")
    check(st == 200 and hd.get("content-type") == "application/zip",
          "package", st, hd)
    zpath = os.path.join(root, "course.zip")
    open(zpath, "wb").write(z)
    ckey = mb("key", cairo.dir).strip()
    out = mb("course", "check", zpath, "--key", ckey)
    check("valid" in out, "course check", out)
    check_package_files(zpath)
    refused(root, zpath, ckey)
    print("ok package: %d bytes, checked, alterations refused" % len(z))
    st, _, _ = anon.get("/courses/moscow/dl-safe-ar/package")
    check(st == 401, "no package anonymously", st)
    browser_check(root, zpath, ckey)

    # 10. An offline attempt uploaded twice is one attempt.
    code = mb("course", "invite", cairo.dir).strip()
    k = Browser(cairo.addr)
    k.req("POST", "/en/signup", form={"name": "karim", "password":
                                      "learner pass 2", "code": code})
    k.post("/en/courses/moscow/dl-safe-en/enrol", {},
           csrf_from="/en/courses/moscow/dl-safe-en")
    api = "/api/v1/courses/moscow/dl-safe-en/steps/3/attempts"
    csrf = k.csrf("/en/courses/moscow/dl-safe-en")
    up = {"answers": {"q1": ["0"]}, "key": "offline-1"}
    st1, _, r1 = k.req("POST", api, body=up, headers={"X-CSRF-Token": csrf})
    st2, _, r2 = k.req("POST", api, body=up, headers={"X-CSRF-Token": csrf})
    check(st1 == 201 and st2 == 200 and json.loads(r2)["duplicate"] and
          json.loads(r2)["attempt"] == 1, "idempotent upload", st1, r1,
          st2, r2)
    print("ok offline upload idempotent")
    offline_answers(root, cairo, k, anon)
    offline_key_reused(cairo)
    quiz_answers_hidden(root, cairo, k)
    steps_as_read(cairo, k)
    lesson_pages(root, cairo, k)
    quiz_form_refuses(cairo)

    # 11. The class, for instructors only; answers never leave Cairo.
    csv = mb("course", "class", cairo.dir, AR)
    check('"amira","3"' in csv and '"q3","right"' in csv, "class CSV",
          csv)
    st, _, _ = b.get("/courses/moscow/dl-safe-ar/class.csv")
    check(st == 403, "a learner may not see the class", st)
    time.sleep(1.5)
    for c, what in ((hq, "HQ's store"), (cairo, "Cairo's export")):
        data = b"".join(open(os.path.join(c.dir, f), "rb").read()
                        for f in os.listdir(c.dir) if f.startswith(
                            "store.db")) \
            if c is hq else mb("export", cairo.dir).encode()
        check(b"amira" not in data and b"SECURE" not in data,
              "no learner data in " + what)
    print("ok learners' answers and names stay in Cairo")
    signup_by_approval(cairo)


def signup_by_approval(cairo):
    """[courses] signup = approval: without a code the account is made
    disabled and signs in only once an admin enables it."""
    cairo.stop()
    with open(os.path.join(cairo.dir, "mediabridge.conf"), "a") as f:
        f.write("\n[courses]\nsignup = approval\n")
    cairo.start()
    b = Browser(cairo.addr)
    st, _, body = b.get("/en/signup")
    check(st == 200 and "approves your account" in body.decode(),
          "the form says the center approves", st)
    st, _, body = b.req("POST", "/en/signup", form={
        "name": "layla", "password": "learner pass 3"})
    check(st == 202 and b.cookie is None and "waits for the center&#39;s "
          "approval" in body.decode(), "made, pending, no session", st,
          body[-800:])
    check("layla\tlearner\tdisabled" in mb("user", "list", cairo.dir),
          "disabled until approved", mb("user", "list", cairo.dir))
    st, _, _ = b.req("POST", "/en/login", form={
        "name": "layla", "password": "learner pass 3"})
    check(st != 303 and b.cookie is None, "no sign-in before approval", st)
    st, _, _ = b.req("POST", "/en/signup", form={
        "name": "Bad Name", "password": "learner pass 3"})
    check(st == 400, "a bad name refused", st)
    mb("user", "enable", cairo.dir, "layla")
    # A "next" that a browser would take off-site is not followed: TAB
    # and newlines are dropped from URLs, so "/\t/x" is "//x".
    for bad in ("//evil.example/", "/\\evil.example/", "/\t/evil.example/",
                "/\n/evil.example/", "https://evil.example/"):
        st, hd, _ = Browser(cairo.addr).req("POST", "/en/login", form={
            "name": "layla", "password": "learner pass 3", "next": bad})
        check(st == 303 and hd["location"] == "/en/courses",
              "next %r not followed" % bad, st, hd.get("location"))
    st, hd, _ = Browser(cairo.addr).req("POST", "/en/login", form={
        "name": "layla", "password": "learner pass 3",
        "next": "/en/courses/moscow/dl-safe-en"})
    check(st == 303 and hd["location"] == "/en/courses/moscow/dl-safe-en",
          "a local next followed", st, hd.get("location"))
    st, _, _ = b.req("POST", "/en/login", form={
        "name": "layla", "password": "learner pass 3"})
    check(st == 303 and b.cookie, "signed in once approved", st)
    print("ok sign-up approved by the center: disabled until enabled")

    # Enrolment by code, then by the center's approval. A uri that names
    # no course here is refused, named, exit 1 (the old binary: 0, and
    # a setting kept for nothing).
    for args in (("urn:mediabridge:moscow:nosuch", "code", "abcdefg"),
                 ("not-a-uri", "open"),
                 ("urn:mediabridge:moscow:dl-safe-en-quiz", "open")):
        p = mb("course", "enrolment", cairo.dir, *args, check=False,
               full=True)
        check(p.returncode == 1 and p.stdout == "" and
              "%s: no such course here" % args[0] in p.stderr,
              "course enrolment " + args[0], p.returncode, p.stderr)
    course = "/en/courses/moscow/dl-safe-en"
    mb("course", "enrolment", cairo.dir, EN, "code", "press-2027")
    st, _, body = b.post(course + "/enrol", {"code": "wrong"},
                         csrf_from=course)
    check(st == 403 and b"csrf" not in body, "a wrong enrolment code", st,
          body[-300:])
    st, _, _ = b.get(course + "/1")
    check(st == 403, "not enrolled after a wrong code", st)
    st, hd, _ = b.post(course + "/enrol", {"code": "press-2027"},
                       csrf_from=course)
    check(st == 303 and "done=enrol" in hd["location"], "enrolled by code",
          st, hd)
    st, _, _ = b.get(course + "/1")
    check(st == 200, "the lesson once enrolled", st)
    mb("course", "enrolment", cairo.dir, AR, "approval")
    ar = "/en/courses/moscow/dl-safe-ar"
    st, hd, _ = b.post(ar + "/enrol", {}, csrf_from=course)
    check(st == 303 and "done=pending" in hd["location"], "pending", st, hd)
    st, _, _ = b.get(ar + "/1")
    check(st == 403, "no lesson while pending", st)
    mb("course", "approve", cairo.dir, AR, "layla")
    st, _, _ = b.get(ar + "/1")
    check(st == 200, "the lesson once approved", st)
    print("ok enrolment by code and by approval")


def offline_answers(root, cairo, k, anon):
    """Answers kept in a package's quiz page go to the quiz at the
    center with their key in the query (package_quiz.c's script does
    this; browser_check runs it in Chromium): signed out, the sign-in
    comes first and keeps the query; signed in, the form is ticked with
    them and sending them records one attempt, however often."""
    st, _, z = k.get("/courses/moscow/dl-safe-en/package")
    check(st == 200, "karim's package", st)
    zpath = os.path.join(root, "karim.zip")
    open(zpath, "wb").write(z)
    page = zipfile.ZipFile(zpath).read("step-03.html").decode()
    up = re.search(r'data-upload="([^"]+)"', page).group(1)
    check(up == "%s/en/courses/moscow/dl-safe-en/3" % cairo.url,
          "the page sends to the quiz at the center", up)
    path = urllib.parse.urlsplit(up).path
    query = urllib.parse.urlencode([("offline", "0123456789abcdef"),
                                    ("q_q1", "1"), ("q_q2_0", "0"),
                                    ("q_q2_2", "2"), ("q_q3", "secure")])
    st, hd, _ = anon.get(path + "?" + query)
    check(st == 303 and hd["location"].startswith("/en/login?next="),
          "signed out: sign in first", st, hd)
    nxt = urllib.parse.parse_qs(urllib.parse.urlsplit(
        hd["location"]).query)["next"][0]
    check(nxt.startswith(path + "?") and dict(urllib.parse.parse_qsl(
        urllib.parse.urlsplit(nxt).query)) == dict(
            urllib.parse.parse_qsl(query)), "the answers kept", nxt)
    tries = lambda: re.search(r"Attempts: (\d+) / 3", k.get(path)[2].decode()
                              ).group(1)  # noqa: E731
    before = tries()
    st, _, body = k.get(nxt)
    text = body.decode()
    check(st == 200 and 'name="offline" value="0123456789abcdef"' in text,
          "the form carries the key", st, text[-2000:])
    check(re.search(r'id="q_q1_1"[^>]*checked', text) and
          re.search(r'id="q_q2_2"[^>]*checked', text) and
          not re.search(r'id="q_q2_1"[^>]*checked', text) and
          'value="secure"' in text, "ticked as given", text[-2000:])
    check(tries() == before, "a GET records nothing")
    form = dict(urllib.parse.parse_qsl(query))
    st, _, body = k.post(path, form)
    check(st == 200 and "100% · passed" in body.decode(), "graded", st,
          body[-1500:])
    after = tries()
    check(int(after) == int(before) + 1, "one attempt", before, after)
    st, _, body = k.post(path, form, csrf_from="/en/courses/moscow/"
                         "dl-safe-en")
    check("already received" in body.decode() and tries() == after,
          "sent again: nothing new", st, body[-1500:])
    st, _, body = k.get(path + "?offline=../x&q_q1=1")
    check(st == 400 and "offline" in body.decode(), "a bad key", st)
    print("ok answers saved offline sent once, graded at the center")


def offline_key_reused(cairo):
    """An offline key already used is answered from the attempt it made,
    never graded again: its own answers again give that attempt's score
    and the attempts left now; other answers, or another quiz, under it
    are refused (409 key_reused) and record nothing. The old binary
    graded any answers under a used key, past the attempt limit, and
    answered 200 with their new score."""
    code = mb("course", "invite", cairo.dir).strip()
    s = Browser(cairo.addr)
    st, _, _ = s.req("POST", "/en/signup", form={
        "name": "samir", "password": "learner pass 4", "code": code})
    check(st == 303 and s.cookie, "samir signed up", st)
    for c in ("dl-safe-en", "dl-safe-ar"):
        st, _, _ = s.post("/en/courses/moscow/%s/enrol" % c, {},
                          csrf_from="/en/courses/moscow/%s" % c)
        check(st == 303, "samir enrolled in " + c, st)
    api = "/api/v1/courses/moscow/dl-safe-en/steps/3/attempts"
    csrf = s.csrf("/en/courses/moscow/dl-safe-en")
    hd = {"X-CSRF-Token": csrf}
    wrong = {"q1": ["0"]}
    right = {"q1": ["1"], "q2": ["0", "2"], "q3": ["secure"]}
    first = None
    for i in range(3):
        st, _, r = s.req("POST", api, body={"answers": wrong,
                                            "key": "offline-%d" % i},
                         headers=hd)
        check(st == 201 and not json.loads(r)["passed"],
              "attempt %d" % (i + 1), st, r)
        first = first or json.loads(r)
    check(first["attempt"] == 1 and first["left"] == 2, "the first", first)
    tries = lambda: re.search(  # noqa: E731
        r"Attempts: (\d+) / 3", s.get("/en/courses/moscow/dl-safe-en/3"
                                       )[2].decode()).group(1)
    check(tries() == "3", "three attempts made")
    # The first key again, its own answers: that attempt, none left.
    st, _, r = s.req("POST", api, body={"answers": wrong,
                                        "key": "offline-0"}, headers=hd)
    got = json.loads(r)
    check(st == 200 and got["duplicate"] and got["attempt"] == 1 and
          got["score"] == first["score"] and not got["passed"] and
          got["left"] == 0, "the same upload again", st, r)
    # Other answers under a used key: refused, not graded, not kept.
    for ans in ({"q1": ["1"]}, {"q1": ["1"], "q2": ["0", "2"]}, right):
        st, _, r = s.req("POST", api, body={"answers": ans,
                                            "key": "offline-0"}, headers=hd)
        body = json.loads(r)
        check(st == 409 and body["error"]["code"] == "key_reused" and
              "score" not in body and "other answers" in r.decode(),
              "a used key with other answers", st, r)
    # And a key used at one quiz is not another quiz's.
    st, _, r = s.req("POST", "/api/v1/courses/moscow/dl-safe-ar/steps/3/"
                     "attempts", body={"answers": wrong, "key":
                                       "offline-1"}, headers=hd)
    check(st == 409 and json.loads(r)["error"]["code"] == "key_reused",
          "a used key at another quiz", st, r)
    check(tries() == "3", "nothing recorded", tries())
    csv = mb("course", "class", cairo.dir, EN)
    check('"samir","3","urn:mediabridge:moscow:dl-safe-en-quiz","quiz",'
          '"not started","3","' + str(first["score"]) + '"' in csv,
          "the class: three tries, the best the first's", csv)
    print("ok a used offline key: its attempt again, other answers 409")


def quiz_answers_hidden(root, cairo, learner):
    """A quiz's item holds its answer key: staff (translator and up)
    read it, and nobody else at any door, whatever audience it was
    published with. The old binary gave a member HQ's network quiz
    (200 with "answer": [1]) and everyone a public one."""
    doc = {"items": [
        {"audience": "public", "item": {
            "uri": "urn:mediabridge:cairo:pq-lesson", "type": "text",
            "profile": "lesson", "language": "en",
            "headlines": [{"value": "Zebrafinch lesson"}],
            "bodies": [{"value": "<p>Read this.</p>",
                        "contentType": "text/html"}]}},
        {"audience": "public", "item": {
            "uri": "urn:mediabridge:cairo:pq-quiz", "type": "text",
            "profile": "quiz", "language": "en",
            "headlines": [{"value": "Zebrafinch quiz"}],
            "bodies": [{"contentType":
                        "application/vnd.mediabridge.quiz+json",
                        "value": json.dumps({
                            "passMark": 100, "attempts": 1, "questions": [
                                {"id": "q1", "kind": "short",
                                 "text": "The word?",
                                 "answer": ["kestrelword"]}]})}]}},
        {"audience": "public", "item": {
            "uri": "urn:mediabridge:cairo:pq", "type": "composite",
            "profile": "course", "language": "en",
            "headlines": [{"value": "Zebrafinch course"}],
            "descriptions": [{"value": "A short one."}],
            "associations": [
                {"name": "M", "rel": "lesson",
                 "uri": "urn:mediabridge:cairo:pq-lesson"},
                {"name": "M", "rel": "quiz",
                 "uri": "urn:mediabridge:cairo:pq-quiz"}]}}]}
    path = os.path.join(root, "public-quiz.json")
    json.dump(doc, open(path, "w"))
    mb("course", "publish", cairo.dir, path)
    for name, role in (("mira", "member"), ("tariq", "translator")):
        mb("user", "add", cairo.dir, name, "--role", role)
    tok = {n: mb("token", "add", cairo.dir, n).strip()
           for n in ("mira", "tariq")}

    def bearer(name):
        b = Browser(cairo.addr)
        orig = b.req
        b.req = lambda m, p, form=None, body=None, headers=None: orig(
            m, p, form, body, dict(headers or {},
                                   Authorization="Bearer " + tok[name]))
        return b

    quizzes = ("moscow/dl-safe-en-quiz", "cairo/pq-quiz")
    # The key, as a page or as the item's JSON (the body is a string).
    secrets = ('"answer"', '\\"answer\\"', "kestrelword",
               "correct horse")
    for who, b in (("a reader", Browser(cairo.addr)),
                   ("a learner", learner), ("a member", bearer("mira"))):
        for q in quizzes:
            for path in ("/api/v1/items/" + q,
                         "/api/v1/items/%s?version=1" % q,
                         "/api/v1/items/%s/versions" % q,
                         "/api/v1/items/%s/html" % q,
                         "/en/items/" + q):
                st, _, body = b.get(path)
                check(st in (401, 403, 404) and not any(
                    x.encode() in body for x in secrets),
                      "%s reads no quiz: %s" % (who, path), st,
                      body[:300])
        for path in ("/api/v1/items", "/api/v1/items?profile=quiz",
                     "/api/v1/items?limit=100"):
            st, _, body = b.get(path)
            uris = [i["item"]["uri"] for i in json.loads(body)["items"]]
            check(st == 200 and not [u for u in uris if
                                     u.endswith("quiz")] and
                  not any(x.encode() in body for x in secrets),
                  "%s lists no quiz: %s" % (who, path), uris)
        # The course names its quiz (the link a course needs); a quiz's
        # own entry would be its page's path.
        for path in ("/api/v1/search?q=zebrafinch",
                     "/api/v1/search?q=staying",
                     "/en/search?q=zebrafinch", "/en/search?q=staying",
                     "/feeds/en.atom", "/feeds/en.json",
                     "/feeds/centers/cairo.atom"):
            st, _, body = b.get(path)
            check(st == 200 and b"items/cairo/pq-quiz" not in body and
                  b"items/moscow/dl-safe-en-quiz" not in body and
                  not any(x.encode() in body for x in secrets),
                  "%s finds no quiz: %s" % (who, path), st, body[:300])
        st, _, body = b.get("/en/search?q=zebrafinch")
        check(st == 200 and b"pq-lesson" in body, "the lesson is found",
              st, body[-600:])
    # Staff read the key: a translator translates and previews courses.
    t = bearer("tariq")
    for q in quizzes:
        st, _, body = t.get("/api/v1/items/" + q)
        check(st == 200 and b'\\"answer\\"' in body,
              "staff read the quiz", q, st, body[:300])
    st, _, body = t.get("/api/v1/items?profile=quiz")
    check(st == 200 and b"pq-quiz" in body, "staff list quizzes", st)
    # The course still teaches: a learner takes the public quiz.
    c = "/en/courses/cairo/pq"
    st, _, _ = learner.post(c + "/enrol", {}, csrf_from=c)
    check(st == 303, "enrolled in the public course", st)
    st, _, body = learner.get(c + "/2")
    check(st == 200 and b"The word?" in body and b"kestrelword" not in
          body, "the quiz's questions, not its key", st, body[-800:])
    st, _, body = learner.post(c + "/2", {"q_q1": "kestrelword"})
    check(st == 200 and "100% · passed" in body.decode(), "graded", st,
          body[-800:])
    print("ok quizzes' answer keys: staff only, at every door")


def steps_as_read(cairo, learner):
    """A course made over the API may call any item a lesson. The old
    binary gave an enrolled learner HQ's quiz named a lesson, its answer
    key in the package's items/, and a network-only news item that the
    same learner gets 404 for at /api/v1/items. A step is given only
    when its profile is its rel's and its reader may read it."""
    mb("user", "add", cairo.dir, "edna", "--role", "editor")
    tok = mb("token", "add", cairo.dir, "edna").strip()

    def api(path, body):
        return Browser(cairo.addr).req("POST", path, body=body, headers={
            "Authorization": "Bearer " + tok})

    news = {"uri": "urn:mediabridge:cairo:netnews", "type": "text",
            "language": "en", "headlines": [{"value": "Advisory"}],
            "bodies": [{"value": "<p>NETWORKONLYSECRET</p>",
                        "contentType": "text/html"}]}
    course = {"uri": "urn:mediabridge:cairo:leaky", "type": "composite",
              "profile": "course", "language": "en",
              "headlines": [{"value": "Leaky course"}],
              "descriptions": [{"value": "d"}],
              "associations": [
                  {"name": "M", "rel": "lesson",
                   "uri": "urn:mediabridge:moscow:dl-safe-en-quiz"},
                  {"name": "M", "rel": "lesson",
                   "uri": "urn:mediabridge:cairo:netnews"}]}
    for it, aud in ((news, "network"), (course, "public")):
        st, _, r = api("/api/v1/items", {"item": it, "meta": {
            "audience": aud}})
        check(st == 201, "made over the API", st, r)
        st, _, r = api("/api/v1/items/cairo/%s/publish" % local(it["uri"]),
                       {})
        check(st == 200, "published", st, r)
    st, _, _ = learner.get("/api/v1/items/cairo/netnews")
    check(st == 404, "the learner reads no network item", st)
    c = "/en/courses/cairo/leaky"
    st, _, _ = learner.post(c + "/enrol", {}, csrf_from=c)
    check(st == 303, "enrolled in the API's course", st)
    for n in (1, 2):
        st, _, body = learner.get("%s/%d" % (c, n))
        check(st == 404 and b"NETWORKONLYSECRET" not in body and
              b"correct horse" not in body, "step %d not given" % n, st,
              body[-400:])
    st, _, z = learner.get("/courses/cairo/leaky/package")
    check(st == 404 and b"answer" not in z and b"NETWORKONLY" not in z,
          "no package", st, z[:300])
    print("ok a step is given as its rel says, to whom may read it")


def lesson_pages(root, cairo, learner):
    """What a lesson's page shows: the smallest video (the old binary
    compared its size with an image's width, and the first, largest
    one won), and a text/plain body."""
    def ni(data):
        h = hashlib.sha256(data).digest()
        return ("ni:///sha-256;" + base64.urlsafe_b64encode(h).decode()
                .rstrip("="), h.hex())

    big, _ = ni(b"big video")
    small, small_hex = ni(b"small video")
    doc = {"items": [
        {"audience": "public", "item": {
            "uri": "urn:mediabridge:cairo:lp-video", "type": "video",
            "profile": "lesson", "language": "en",
            "headlines": [{"value": "Video lesson"}],
            "bodies": [{"value": "<p>Watch.</p>",
                        "contentType": "text/html"}],
            "renditions": [
                {"name": "big", "href": big + "?ct=video/mp4",
                 "contentType": "video/mp4", "sizeInBytes": 50000000,
                 "width": 1920, "height": 1080},
                {"name": "small", "href": small + "?ct=video/mp4",
                 "contentType": "video/mp4", "sizeInBytes": 100000,
                 "width": 320, "height": 180}]}},
        {"audience": "public", "item": {
            "uri": "urn:mediabridge:cairo:lp-plain", "type": "text",
            "profile": "lesson", "language": "en",
            "headlines": [{"value": "Plain lesson"}],
            "bodies": [{"value": "PLAINBODY <b>one</b>\nline two",
                        "contentType": "text/plain"}]}},
        {"audience": "public", "item": {
            "uri": "urn:mediabridge:cairo:lp", "type": "composite",
            "profile": "course", "language": "en",
            "headlines": [{"value": "Lesson pages"}],
            "descriptions": [{"value": "d"}],
            "associations": [
                {"name": "M", "rel": "lesson",
                 "uri": "urn:mediabridge:cairo:lp-video"},
                {"name": "M", "rel": "lesson",
                 "uri": "urn:mediabridge:cairo:lp-plain"}]}}]}
    path = os.path.join(root, "lesson-pages.json")
    json.dump(doc, open(path, "w"))
    mb("course", "publish", cairo.dir, path)
    c = "/en/courses/cairo/lp"
    st, _, _ = learner.post(c + "/enrol", {}, csrf_from=c)
    check(st == 303, "enrolled", st)
    st, _, body = learner.get(c + "/1")
    video = re.findall(rb'<video[^>]*src="([^"]*)"', body)
    check(st == 200 and video == [b"/media/" + small_hex.encode()],
          "the smallest video", st, video)
    # A text/plain body, escaped a line a paragraph (the old binary
    # showed nothing), as the package and /api/v1/items/.../html do.
    st, _, body = learner.get(c + "/2")
    check(st == 200 and b"<p>PLAINBODY &lt;b&gt;one&lt;/b&gt;</p><p>line "
          b"two</p>" in body, "a plain text lesson", st, body[-900:])
    print("ok a lesson's page: the smallest video, a plain text body")

    # A lesson still in draft: 404 to read, and to complete (the old
    # binary answered 303 and counted it towards the certificate).
    tok = mb("token", "add", cairo.dir, "edna").strip()
    for it, publish in (
            ({"uri": "urn:mediabridge:cairo:lp-draft", "type": "text",
              "profile": "lesson", "language": "en",
              "headlines": [{"value": "Draft lesson"}],
              "bodies": [{"value": "<p>SECRETDRAFT</p>",
                          "contentType": "text/html"}]}, False),
            ({"uri": "urn:mediabridge:cairo:lp-dc", "type": "composite",
              "profile": "course", "language": "en",
              "headlines": [{"value": "Draft course"}],
              "descriptions": [{"value": "d"}],
              "associations": [{"name": "M", "rel": "lesson",
                                "uri": "urn:mediabridge:cairo:lp-draft"}]},
             True)):
        api = Browser(cairo.addr)
        hd = {"Authorization": "Bearer " + tok}
        st, _, r = api.req("POST", "/api/v1/items", body={
            "item": it, "meta": {"audience": "public"}}, headers=hd)
        check(st == 201, "made over the API", st, r)
        if publish:
            st, _, r = api.req("POST", "/api/v1/items/cairo/%s/publish" %
                               local(it["uri"]), body={}, headers=hd)
            check(st == 200, "published", st, r)
    c = "/en/courses/cairo/lp-dc"
    st, _, _ = learner.post(c + "/enrol", {}, csrf_from=c)
    check(st == 303, "enrolled", st)
    st, _, body = learner.get(c + "/1")
    check(st == 404 and b"SECRETDRAFT" not in body, "a draft lesson", st)
    st, hd, _ = learner.post(c + "/1", {"done": "1"}, csrf_from=c)
    check(st == 404, "a draft lesson is not completed", st, hd)
    st, _, body = learner.get(c)
    check(st == 200 and b"/certificates/" not in body, "no certificate",
          st)
    print("ok a lesson nobody may read yet is not completed")


def quiz_form_refuses(cairo):
    """Fields the quiz has not (another question, a choice past the
    last): the old binary dropped them silently and counted the
    attempt. 422 naming the field, nothing counted."""
    b = Browser(cairo.addr)
    code = mb("course", "invite", cairo.dir).strip()
    st, _, _ = b.req("POST", "/en/signup", form={
        "name": "quinn", "password": "learner pass 1", "code": code})
    check(st == 303, "quinn signed up", st)
    c = "/en/courses/moscow/dl-safe-en"
    st, _, _ = b.post(c + "/enrol", {}, csrf_from=c)
    check(st == 303, "enrolled", st)
    for form, field in (({"q_q1": "1", "q_q1x": "1"}, "q_q1x"),
                        ({"q_q2_0": "on", "q_q2_9": "on"}, "q_q2_9")):
        st, _, body = b.post(c + "/3", form, csrf_from=c)
        check(st == 422 and field.encode() in body, "refused: " + field,
              st, body[-900:])
    csv = mb("course", "class", cairo.dir, EN)
    check('"quinn","3","urn:mediabridge:moscow:dl-safe-en-quiz","quiz",'
          '"not started","0",""' in csv, "no attempt counted", csv)
    print("ok a quiz form with fields the quiz has not: 422, not counted")


def check_package_files(zpath):
    z = zipfile.ZipFile(zpath)
    names = z.namelist()
    check("index.html" in names and "manifest.json" in names, "files",
          names)
    steps = sorted(n for n in names if n.startswith("step-"))
    check(len(steps) == 3, "one page per step", steps)
    for n in names:
        if not n.endswith(".html"):
            continue
        h = z.read(n).decode()
        scripts = re.findall(r"<script>(.*?)</script>", h, re.S)
        if "<fieldset>" not in h:
            check("<script" not in h.lower(), n + ": no script")
        else:
            # A quiz's one script, allowed by its hash and nothing else.
            check(h.lower().count("<script") == 1, n + ": one script")
            digest = base64.b64encode(hashlib.sha256(
                scripts[0].encode()).digest()).decode()
            check("script-src 'sha256-%s'" % digest in h, n +
                  ": the policy allows that script only")
            check(not re.search(r"fetch|XMLHttpRequest|sendBeacon|"
                                r"WebSocket|import\(", scripts[0]),
                  n + ": the script makes no request")
        for attr in re.findall(r'(?:src|href)="([^"]*)"', h):
            if attr.startswith(("http:", "https:", "//")):
                # Only plain links may point out (the quiz's "answer
                # online"); nothing is loaded from outside.
                check(re.search(r'<a href="%s"' % re.escape(attr), h),
                      n + ": loads from outside", attr)
    check("quiz" not in " ".join(n for n in names if n.startswith(
        "items/")), "a quiz's answers are not in the package")
    man = json.loads(z.read("manifest.json"))
    listed = {f["path"] for f in man["files"]}
    check(listed == set(names) - {"manifest.json"}, "manifest lists all")


def rewrite(src, dst, change=None, extra=None):
    z = zipfile.ZipFile(src)
    o = zipfile.ZipFile(dst, "w")
    for n in z.namelist():
        d = z.read(n)
        if change and n == change[0]:
            d = change[1](d)
        o.writestr(n, d)
    for n, d in extra or []:
        o.writestr(n, d)
    o.close()


def refused(root, zpath, key):
    cases = [
        ("tampered lesson", dict(change=("step-01.html", lambda d:
                                         d.replace(b"<h1>", b"<h1>X"))),
         "not the file the manifest lists"),
        ("tampered manifest", dict(change=("manifest.json", lambda d:
                                           d.replace(b"moscow", b"mosc0w"))),
         "manifest.json"),
        ("../ path", dict(extra=[("../evil.html", b"x")]), "refused path"),
        ("extra file", dict(extra=[("extra.html", b"x")]),
         "not in the manifest"),
    ]
    for name, kw, want in cases:
        bad = os.path.join(root, "bad.zip")
        rewrite(zpath, bad, **kw)
        out = os.path.join(root, "unpacked")
        p = mb("course", "check", bad, "--key", key, "--extract", out,
               check=False, full=True)
        check(p.returncode == 1 and want in p.stderr, name, p.stderr)
        check(not os.path.exists(out), name + ": nothing written")
        check(not os.path.exists(os.path.join(root, "evil.html")),
              name + ": nothing outside")


def browser_check(root, zpath, key):
    """Chromium opens every page from disk in a network namespace with no
    network at all; each renders (its h1, and the quiz's questions)."""
    chromium = shutil.which("chromium")
    out = os.path.join(root, "offline")
    mb("course", "check", zpath, "--key", key, "--extract", out)
    cmd = None
    for pre in (["unshare", "-n"], ["unshare", "-rn"]):
        if chromium and subprocess.run(pre + ["true"],
                                       capture_output=True).returncode == 0:
            cmd = pre
            break
    if cmd is None:
        print("skipped (reported): Chromium with no network: needs "
              "chromium and unshare -n; the package was checked with "
              "Python's zipfile instead")
        return
    for page in sorted(os.listdir(out)):
        if not page.endswith(".html"):
            continue
        p = subprocess.run(cmd + [chromium, "--headless=new", "--no-sandbox",
                                  "--disable-gpu", "--user-data-dir=" +
                                  os.path.join(root, "chr"), "--dump-dom",
                                  "file://" + os.path.join(out, page)],
                           capture_output=True, text=True, timeout=120)
        dom = p.stdout
        check("<h1>" in dom, page + ": rendered", dom[:300], p.stderr[-300:])
        if "<fieldset>" in open(os.path.join(out, page)).read():
            check(dom.count("<fieldset>") == 3, page + ": questions", dom)
    print("ok Chromium with no network renders every page")
    offline_quiz_in_chromium(cmd, chromium, root, out)


class Chromium:
    """Chromium driven through the DevTools protocol on a pipe
    (--remote-debugging-pipe: it reads commands on fd 3 and answers on
    fd 4, each a JSON text ended by NUL), with the standard library."""

    def __init__(self, pre, chromium, profile):
        import fcntl
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # Above 10, so that putting them at 3 and 4 clobbers nothing.
        hi = [fcntl.fcntl(f, fcntl.F_DUPFD, 10) for f in (to_r, from_w)]
        os.close(to_r)
        os.close(from_w)

        def fds():
            os.dup2(hi[0], 3)
            os.dup2(hi[1], 4)
        self.proc = subprocess.Popen(
            pre + [chromium, "--headless=new", "--no-sandbox",
                   "--disable-gpu", "--remote-debugging-pipe",
                   "--user-data-dir=" + profile, "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        for f in hi:
            os.close(f)
        self.w = os.fdopen(to_w, "wb")
        self.r = os.fdopen(from_r, "rb")
        self.buf = b""
        self.n = 0

    def call(self, method, params=None, session=None):
        self.n += 1
        msg = {"id": self.n, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.w.write(json.dumps(msg).encode() + b"\0")
        self.w.flush()
        while True:
            while b"\0" not in self.buf:
                chunk = os.read(self.r.fileno(), 65536)
                if not chunk:
                    raise AssertionError("chromium went away")
                self.buf += chunk
            text, self.buf = self.buf.split(b"\0", 1)
            m = json.loads(text)
            if m.get("id") == self.n:
                if "error" in m:
                    raise AssertionError("%s: %s" % (method, m["error"]))
                return m["result"]

    def open(self, url):
        t = self.call("Target.createTarget", {"url": url})["targetId"]
        s = self.call("Target.attachToTarget", {"targetId": t,
                                                "flatten": True})
        return s["sessionId"]

    def js(self, session, expr):
        r = self.call("Runtime.evaluate", {
            "expression": expr, "returnByValue": True,
            "awaitPromise": True}, session)
        check("exceptionDetails" not in r, "script error", r)
        return r["result"].get("value")

    def close(self):
        self.w.close()
        self.proc.terminate()
        self.proc.wait(30)
        self.r.close()


def offline_quiz_in_chromium(pre, chromium, root, out):
    """The package's quiz page opened from disk with no network: the
    answers saved keep in its storage, come back when it opens again,
    and once the browser is online the page links them to the center."""
    quiz = [n for n in sorted(os.listdir(out)) if n.endswith(".html") and
            "<fieldset>" in open(os.path.join(out, n)).read()][0]
    url = "file://" + os.path.join(out, quiz)
    b = Chromium(pre, chromium, os.path.join(root, "chr-offline"))
    try:
        s = b.open(url)
        loaded = ("location.protocol === 'file:' && document.readyState "
                  "=== 'complete'")
        wait_for("the quiz page", lambda: b.js(s, loaded), timeout=30)
        check(b.js(s, "document.getElementById('saved').hidden"),
              "nothing saved yet")
        b.js(s, "document.querySelector('[name=q_q1][value=\"1\"]')"
                ".click();document.querySelector('[name=q_q2_0]').click();"
                "document.querySelector('[name=q_q2_2]').click();"
                "document.querySelector('[name=q_q3]').value='secure';"
                "document.querySelector('#quiz button').click()")
        kept = json.loads(b.js(s, "localStorage.getItem(document."
                                  "getElementById('quiz').dataset.store)"))
        q = dict(urllib.parse.parse_qsl(kept["query"]))
        eq = {k: v for k, v in q.items() if k != "offline"}
        check(eq == {"q_q1": "1", "q_q2_0": "0", "q_q2_2": "2",
                     "q_q3": "secure"} and len(q["offline"]) == 32 and
              not kept["sent"], "the answers kept in the page's storage",
              kept)
        online = b.js(s, "navigator.onLine")
        state = b.js(s, "document.getElementById('saved').dataset.state")
        check(state == ("online" if online else "offline"), "the page "
              "says whether it can send", state, online)
        if not online:
            check(b.js(s, "document.getElementById('send').hidden"),
                  "no link to send while offline")
        # Opened again: the saved answers are back in the form. (A page
        # writes its storage to the browser a moment later: a page
        # opened at once may read it before, so it is opened again.)
        restored = ("document.querySelector('[name=q_q1][value=\"1\"]')"
                    ".checked && document.querySelector('[name=q_q2_2]')"
                    ".checked && !document.querySelector('[name=q_q2_1]')"
                    ".checked && document.querySelector('[name=q_q3]')"
                    ".value === 'secure'")
        for _ in range(20):
            s2 = b.open(url)
            wait_for("the page again", lambda: b.js(s2, loaded), timeout=30)
            if b.js(s2, restored):
                break
            time.sleep(0.5)
        check(b.js(s2, restored), "the answers restored")
        # Back online (the browser says so): the link sends them.
        b.js(s2, "Object.defineProperty(navigator, 'onLine', {get: () => "
                 "true}); window.dispatchEvent(new Event('online'))")
        href = b.js(s2, "document.getElementById('send').hidden ? '' : "
                        "document.getElementById('send').href")
        form = b.js(s2, "document.getElementById('quiz').dataset.upload")
        check(href == form + "?" + kept["query"], "the link to send them",
              href)
    finally:
        b.close()
    print("ok Chromium with no network keeps quiz answers in the page's "
          "storage and links them to the center once online")


if __name__ == "__main__":
    test_courses()
    print("1 passed, 0 failed")
