#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A profile's own rules where items are made: an event, a course or a
quiz created or edited through /api/v1/items (or the browser newsroom)
is checked as its module reads it, before it is signed. A reviewer's
finds: an event whose end came before its start, or whose session ended
before it began, was answered 201, signed and exchanged, and then its
page and calendar answered 404; a course or quiz skipped what `course
publish` checks. Each is now a 400 naming the field, nothing stored,
and a good one is taken as before."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedlib import Center, mb  # noqa: E402
from mbtest import Client, check, eq  # noqa: E402

PASSWORD = "correct horse 42"


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


T0 = int(time.time()) // 60 * 60 + 7 * 86400


def event():
    return {
        "type": "event", "profile": "event", "language": "en",
        "headlines": [{"value": "Press day"}],
        "eventDetails": {"dates": {"startDate": iso(T0),
                                   "endDate": iso(T0 + 8 * 3600)}},
        "associations": [
            {"name": "s1", "rel": "session", "type": "event",
             "uri": "urn:mediabridge:hq:press-day-s1",
             "headlines": [{"value": "Opening"}], "language": "en",
             "eventDetails": {"dates": {"startDate": iso(T0),
                                        "endDate": iso(T0 + 3600)}}}]}


QUIZ = {"passMark": 60, "attempts": 3, "questions": [
    {"id": "q1", "kind": "single", "text": "Which is strongest?",
     "choices": ["123456", "correct horse battery staple"],
     "answer": [1]}]}


def quiz(doc):
    return {"type": "text", "profile": "quiz", "language": "en",
            "headlines": [{"value": "Check"}],
            "bodies": [{"value": json.dumps(doc), "contentType":
                        "application/vnd.mediabridge.quiz+json"}]}


def course(steps):
    return {"type": "composite", "profile": "course", "language": "en",
            "headlines": [{"value": "Staying safe online"}],
            "associations": steps}


def main():
    root = tempfile.mkdtemp(prefix="mb-profile-")
    hq = Center(root, "hq", "IQ", "ar,en")
    ok = False
    try:
        subprocess.run([os.environ.get("MEDIABRIDGE", "build/mediabridge"),
                        "user", "add", hq.dir, "edi", "--role", "editor",
                        "--password-stdin"], input=PASSWORD + "\n",
                       text=True, check=True, capture_output=True)
        hq.start()
        ed = Client(hq.addr)
        eq(ed.login("edi", PASSWORD).status, 200, "the editor signs in")
        checks(hq, ed)
        ok = True
    finally:
        hq.stop()
        if not ok:
            sys.stderr.write(open(os.path.join(hq.dir, "serve.log"))
                             .read()[-4000:])
        shutil.rmtree(root, ignore_errors=True)
    print("ok   test_profile_checks")


def post(ed, item, workflow="published"):
    return ed.post("/api/v1/items", {"item": item,
                                     "meta": {"workflow": workflow}})


def refused(ed, hq, item, field, what, workflow="published"):
    before = mb("export", hq.dir)
    r = post(ed, item, workflow)
    eq(r.status, 400, "%s: refused (%s)" % (what, r.text))
    check(field in r.text, "%s: names %s" % (what, field), r.text)
    eq(mb("export", hq.dir), before, "%s: nothing stored" % what)


def checks(hq, ed):
    # Events: the event's own dates, a session's, the programme's.
    bad = event()
    bad["eventDetails"]["dates"]["endDate"] = iso(T0 - 3600)
    refused(ed, hq, bad, "eventDetails.dates.endDate", "end before start")
    refused(ed, hq, bad, "eventDetails.dates.endDate", "a draft too",
            workflow="draft")
    bad = event()
    bad["associations"][0]["eventDetails"]["dates"]["endDate"] = \
        iso(T0 - 3600)
    refused(ed, hq, bad, "associations[0]", "a session ends first")
    bad = event()
    del bad["eventDetails"]["dates"]["startDate"]
    bad["eventDetails"]["dates"]["endDate"] = iso(T0 - 86400)
    refused(ed, hq, bad, "eventDetails.dates.endDate",
            "the end before the first session")
    bad = event()
    del bad["associations"][0]["headlines"]
    refused(ed, hq, bad, "associations[0]", "a session with no title")

    r = post(ed, event())
    eq(r.status, 201, "a good event: %s" % r.text)
    uri = r.json["item"]["uri"]
    local = uri.rsplit(":", 1)[1]
    path = "/api/v1/items/hq/" + local
    # Edited into the wrong order: refused, the stored version stays.
    bad = event()
    bad["eventDetails"]["dates"]["endDate"] = iso(T0 - 60)
    r = ed.put(path, {"item": bad}, headers={"If-Match": "*"})
    eq(r.status, 400, "an edit with the end first: %s" % r.text)
    check("eventDetails.dates.endDate" in r.text, "names the field")
    eq(ed.get(path).json["item"]["version"], "1", "still version 1")
    anon = Client(hq.addr)
    eq(anon.get("/en/events/hq/" + local).status, 200, "the page")
    eq(anon.get("/events/hq/%s.ics" % local).status, 200, "the calendar")
    mb("event", "settings", hq.dir, uri, "--capacity", "5")
    moved = event()
    moved["eventDetails"]["dates"]["endDate"] = iso(T0 + 9 * 3600)
    r = ed.put(path, {"item": moved}, headers={"If-Match": "*"})
    eq(r.status, 200, "a good edit: %s" % r.text)

    # Quizzes and courses: what `course publish` checks.
    refused(ed, hq, quiz({"passMark": 60, "attempts": 3, "questions": [
        {"id": "q1", "kind": "single", "text": "?", "choices": ["a", "b"],
         "answer": [5]}]}), "answer", "a quiz answer outside its choices")
    nobody = quiz(QUIZ)
    nobody["bodies"][0]["contentType"] = "text/html"
    nobody["bodies"][0]["value"] = "<p>no quiz here</p>"
    refused(ed, hq, nobody, "quiz", "a quiz with no quiz body")
    r = post(ed, quiz(QUIZ))
    eq(r.status, 201, "a good quiz: %s" % r.text)
    q = r.json["item"]["uri"]
    refused(ed, hq, course([]), "associations", "a course with no steps")
    refused(ed, hq, course([{"rel": "video", "uri": q}]),
            "associations[0].rel", "a step neither lesson nor quiz")
    refused(ed, hq, course([{"rel": "quiz", "uri": q},
                            {"rel": "quiz", "uri": q}]),
            "associations[1].uri", "the same step twice")
    r = post(ed, course([{"name": "Module 1", "rel": "quiz", "uri": q}]))
    eq(r.status, 201, "a good course: %s" % r.text)
    # An article is no business of these rules.
    r = post(ed, {"type": "text", "language": "en",
                  "headlines": [{"value": "News"}],
                  "bodies": [{"value": "<p>News.</p>"}]})
    eq(r.status, 201, "an article: %s" % r.text)


if __name__ == "__main__":
    main()
