#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Tickets end to end: `ticket issue` signs one and draws its QR code, a
real decoder (Debian's zbarimg) reads the PNG and the SVG (rasterized by
libvips' `vips`) back to the same text, `ticket verify` admits it offline
with the center's key, and refuses a forged, altered, expired or revoked
one, saying why. An independent reader (indep.py, python3-nacl) checks
the signature and the byte layout that docs/signed.md describes."""
import os
import re
import shutil
import subprocess
import sys

from mbtest import check, eq, main, run

for tool in ("zbarimg", "vips"):
    if shutil.which(tool) is None:
        print("skipped: %s is missing (scripts/deps.sh test installs it)" %
              tool)
        sys.exit(77)
try:
    import indep
except ImportError as e:
    print("skipped: the independent reader needs python3-nacl (%s)" % e)
    sys.exit(77)

EVENT = "urn:mediabridge:moscow:01jr2h9k3m4n5p6q7r8s9t0v1w"
REG = "01jr3a0b1c2d3e4f5g6h7j8k9m"
DURING = "2027-04-11T12:00:00Z"


def issue(c, reg=REG, name="Amira Haddad", event=EVENT, *extra):
    r = run(["ticket", "issue", c.dir, "--event", event, "--registration",
             reg, "--name", name, "--from", "2027-04-10T08:00:00Z",
             "--until", "2027-04-13T08:00:00Z"] + list(extra))
    return r[1].strip()


def verify(text, key, *extra, rc=0):
    return run(["ticket", "verify", "--key", key, text] + list(extra),
               check_rc=rc)


def zbar(path):
    p = subprocess.run(["zbarimg", "-q", "--raw", path],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "zbarimg read nothing in", path, p.stderr)
    return p.stdout.strip()


def fields(out):
    return dict(line.split(": ", 1) for line in out.splitlines()
                if ": " in line)


def test_qr_round_trip(w):
    c = w.center("cairo")
    key = c.cli("key")[1].strip()
    svg = os.path.join(w.root, "t.svg")
    png = os.path.join(w.root, "t.png")
    text = issue(c, REG, "Amira Haddad", EVENT, "--svg", svg, "--png", png)
    check(text.startswith("MBT1:"), "prefix", text)
    check(len(text) < 200, "ticket length", len(text))
    # The PNG as it is; the SVG rasterized the way a browser would.
    eq(zbar(png), text, "zbarimg, PNG")
    raster = os.path.join(w.root, "svg.png")
    subprocess.run(["vips", "copy", svg, raster], check=True,
                   capture_output=True, timeout=60)
    eq(zbar(raster), text, "zbarimg, SVG")
    with open(svg, encoding="utf-8") as f:
        s = f.read()
    eq(s.count("<path"), 1, "one path")
    check('role="img"' in s and 'aria-label="Ticket"' in s, "accessible",
          s[:300])
    check(len(s) < 16384, "svg size", len(s))
    # What the scanner read is what the door checks.
    r = verify(zbar(png), key, "--at", DURING, "--name", "AMIRA  haddad")
    f = fields(r[1])
    eq(f["status"], "valid", "status")
    eq(f["event"], EVENT, "event")
    eq(f["registration"], REG, "registration")
    eq(f["valid-from"], "2027-04-10T08:00:00Z", "from")
    eq(f["valid-until"], "2027-04-13T08:00:00Z", "until")
    eq(f["name"], "matches", "name")
    # Standard input, as a scanner pipes it.
    p = subprocess.run([os.environ.get("MEDIABRIDGE", "build/mediabridge"),
                        "ticket", "verify", "--key", key, "-", "--at",
                        DURING], input=text + "\n", capture_output=True,
                       text=True, timeout=60)
    eq(p.returncode, 0, "verify from stdin: " + p.stderr)

    # Any payload: a credential's verify URL, Arabic text.
    for payload in ("https://cairo.example/verify/urn:uuid:5b6d2c1e",
                    "تذكرة المؤتمر"):
        run(["ticket", "qr", payload, "--png", png, "--svg", svg,
             "--label", "Code"])
        eq(zbar(png), payload, "qr png")
        subprocess.run(["vips", "copy", svg, raster], check=True,
                       capture_output=True, timeout=60)
        eq(zbar(raster), payload, "qr svg")


def test_independent_reader(w):
    c = w.center("cairo")
    key = c.cli("key")[1].strip()
    pk = indep.mediabridge_key(key)
    text = issue(c)
    t = indep.ticket(text, pk)
    eq(t["issuer"], "cairo", "issuer")
    eq(t["event"], EVENT, "event")
    eq(t["registration"], REG, "registration")
    eq(t["from"], 1807344000, "from")
    eq(t["until"], 1807603200, "until")
    r = verify(text, key, "--at", DURING)
    eq(fields(r[1])["name-hash"], t["name_hash"], "name hash")
    # Text ids and the issuer's own event.
    text = issue(c, "42", "X", "urn:mediabridge:cairo:press-day")
    t = indep.ticket(text, pk)
    eq((t["event"], t["registration"]),
       ("urn:mediabridge:cairo:press-day", "42"), "text ids")
    # Revocation lists read the same way.
    rev = os.path.join(w.root, "rev.txt")
    run(["ticket", "revoked", c.dir, "--event", EVENT, "b", "a", REG,
         "-o", rev])
    with open(rev) as f:
        ev, regs = indep.revoked(f.read(), pk)
    eq(ev, EVENT, "list event")
    eq(regs, sorted([REG, "a", "b"]), "list")


def test_refusals(w):
    c = w.center("cairo")
    other = w.center("manama", country="BH")
    key = c.cli("key")[1].strip()
    okey = other.cli("key")[1].strip()
    text = issue(c)

    # Issued by another center, checked with Cairo's key: forged.
    forged = issue(other)
    r = verify(forged, key, "--at", DURING, rc=1)
    eq(fields(r[1])["status"], "bad-signature", "forged")
    check("manama" in r[2], "says who it claims to be", r[2])
    # Cairo's ticket checked with Manama's key.
    verify(text, okey, "--at", DURING, rc=1)

    # Every character changed in turn (a scanner's misread, a forger's
    # edit): never admitted.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
        "0123456789-_"
    for i in range(5, len(text), 5):
        ch = alphabet[(alphabet.index(text[i]) + 7) % 64]
        bad = text[:i] + ch + text[i + 1:]
        r = verify(bad, key, "--at", DURING, rc=1)
        check(fields(r[1]).get("status") != "valid", "altered", i)

    # Time.
    r = verify(text, key, "--at", "2027-04-01T00:00:00Z", rc=1)
    eq(fields(r[1])["status"], "not-yet-valid", "early")
    r = verify(text, key, "--at", "2027-05-01T00:00:00Z", rc=1)
    eq(fields(r[1])["status"], "expired", "late")
    check("2027-04-13T08:00:00Z" in r[2], "says when", r[2])

    # Revoked: the list a check-in device carries.
    rev = os.path.join(w.root, "rev.txt")
    run(["ticket", "revoked", c.dir, "--event", EVENT, REG, "-o", rev])
    r = verify(text, key, "--at", DURING, "--revoked", rev, rc=1)
    f = fields(r[1])
    eq(f["status"], "revoked", "revoked")
    eq(f["registration"], REG, "shows whose")
    check("withdrawn" in r[2], "reason", r[2])
    # The same list does not touch another registration's ticket.
    verify(issue(c, "01jr3a0b1c2d3e4f5g6h7j8k9n"), key, "--at", DURING,
           "--revoked", rev)
    # A list for another event; a list by another center; a bent list.
    run(["ticket", "revoked", c.dir, "--event",
         "urn:mediabridge:cairo:other", REG, "-o", rev])
    r = verify(text, key, "--at", DURING, "--revoked", rev, rc=1)
    eq(fields(r[1])["status"], "wrong-list", "other event")
    run(["ticket", "revoked", other.dir, "--event", EVENT, "-o", rev])
    r = verify(text, key, "--at", DURING, "--revoked", rev, rc=1)
    check("--revoked" in r[2], "names the list", r[2])
    with open(rev, "w") as f:
        f.write("MBR1:AAAA\n")
    verify(text, key, "--at", DURING, "--revoked", rev, rc=1)

    # The wrong name at the door.
    r = verify(text, key, "--at", DURING, "--name", "Mallory", rc=1)
    eq(fields(r[1])["name"], "does not match", "name")

    # Not a ticket at all; another version.
    r = verify("hello", key, rc=1)
    eq(fields(r[1])["status"], "malformed", "hello")
    r = verify("MBT2:" + text[5:], key, rc=1)
    eq(fields(r[1])["status"], "unsupported", "MBT2")
    # Usage: no key, a bad key, no payload (2).
    run(["ticket", "verify", text], check_rc=2)
    run(["ticket", "verify", "--key", "nope", text], check_rc=2)
    run(["ticket", "verify", "--key", key], check_rc=2)
    run(["ticket", "issue", c.dir, "--event", "x", "--registration", "1",
         "--name", "A", "--until", "2027-04-13T08:00:00Z"], check_rc=1)
    r = run(["ticket", "issue", c.dir, "--event", EVENT, "--registration",
             "1", "--name", "A", "--from", "2027-04-13T08:00:00Z",
             "--until", "2027-04-12T08:00:00Z"], check_rc=1)
    check(re.search("before", r[2]), "order", r[2])


if __name__ == "__main__":
    main(globals())
