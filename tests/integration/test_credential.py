#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Certificates end to end: `credential issue` and `status` sign, an
independent verifier (python3-nacl, its own JCS and base58: indep.py)
accepts what they sign and refuses every alteration, and `credential
verify` says the same, offline, with the reasons."""
import copy
import json
import os
import sys

from mbtest import check, eq, main, run

try:
    import indep
except ImportError as e:  # python3-nacl missing
    print("skipped: the independent verifier needs python3-nacl (%s)" % e)
    sys.exit(77)

LIST = "https://cairo.example/credentials/status/1"

# The W3C vector (vc-di-eddsa TestVectors/eddsa-jcs-2022/signedJCS.json):
# the independent verifier proves itself on it before judging ours.
W3C_SIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh",
                          "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ"
        "7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose": "assertionMethod",
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://www.w3.org/ns/credentials/examples/v2"],
        "proofValue": "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93"
        "FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"}}


def refused(doc, pk):
    try:
        indep.verify_proof(doc, pk)
    except indep.Refused as e:
        return str(e)
    return None


def issue(c, path, *extra):
    run(["credential", "issue", c.dir, "--achievement-id",
          "https://hq.example/items/moscow/01jq5course",
          "--achievement", "Digital literacy",
          "--description", "Five lessons and two quizzes.",
          "--criteria", "Every lesson seen, every quiz passed.",
          "--type", "CertificateOfCompletion", "--language", "en",
          "-o", path] + list(extra))
    with open(path, encoding="utf-8") as f:
        return indep.loads(f.read())


def write(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


def verify_cli(path, key, *extra, rc=0):
    r = run(["credential", "verify", path, "--key", key] + list(extra),
            check_rc=rc)
    return r


def test_independent_verifier_knows_the_vector(w):
    pk = indep.didkey_public(W3C_SIGNED["proof"]["verificationMethod"])
    eq(indep.verify_proof(W3C_SIGNED), pk, "W3C vector")
    bad = copy.deepcopy(W3C_SIGNED)
    bad["credentialSubject"]["alumniOf"] = "Another School"
    check(refused(bad, None) == "bad signature", "a changed vector passed")
    # And the CLI reads the vector too (it is no Open Badge, so only
    # through the document check; the unit test covers the bytes).


def test_credential_independently_verified(w):
    c = w.center("cairo")
    key = c.cli("key")[1].strip()
    pk = indep.mediabridge_key(key)
    path = os.path.join(w.root, "cred.json")
    # A name that exercises JCS: Arabic, a character beyond the BMP,
    # quotes, a backslash, a control character, U+2028.
    name = "أميرة حداد \U0001d4d0 \"Mira\" \\ \x07 \u2028"
    doc = issue(c, path, "--subject", name, "--status-list", LIST,
                "--status-index", "94567")
    eq(indep.verify_proof(doc, pk), pk, "independent verifier")
    # The issuer is the center's own key.
    eq(doc["issuer"]["id"], indep.didkey(pk), "issuer id")
    eq(doc["issuer"]["name"], "Cairo", "issuer name")
    eq(doc["@context"][1],
       "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
       "Open Badges context")
    eq(doc["credentialSubject"]["identifier"][0]["identityHash"], name,
       "subject")
    eq(doc["credentialStatus"]["statusListIndex"], "94567", "index")
    r = verify_cli(path, key, "--name", name)
    check("status: valid" in r[1], "CLI verdict", r[1])
    check("subject-name: matches" in r[1], "name check", r[1])
    # A control character the document holds is shown, not obeyed.
    check("\x07" not in r[1] and "\\x07" in r[1], "escaped", r[1])

    # Every string the credential holds, changed in turn: both refuse.
    def leaves(v, path=()):
        if isinstance(v, dict):
            for k, x in v.items():
                if k != "proofValue":
                    yield from leaves(x, path + (k,))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                yield from leaves(x, path + (i,))
        elif isinstance(v, (str, bool)):
            yield path
    paths = list(leaves(doc))
    check(len(paths) >= 25, "leaves", len(paths))
    bad_path = os.path.join(w.root, "bad.json")
    for i, p in enumerate(paths):
        bad = copy.deepcopy(doc)
        o = bad
        for k in p[:-1]:
            o = o[k]
        o[p[-1]] = (o[p[-1]] + "x") if isinstance(o[p[-1]], str) else \
            (not o[p[-1]])
        check(refused(bad, pk) is not None, "independent verifier took",
              p)
        if i % 4 == 0 or p[-1] in ("identityHash", "name", "validFrom"):
            write(bad_path, bad)
            r = verify_cli(bad_path, key, rc=1)
            check("status: valid" not in r[1], "CLI took", p, r[1])


def test_refusals_named(w):
    c = w.center("cairo")
    other = w.center("manama", country="BH")
    key = c.cli("key")[1].strip()
    okey = other.cli("key")[1].strip()
    path = os.path.join(w.root, "cred.json")
    doc = issue(c, path, "--subject", "Amira Haddad",
                "--valid-from", "2027-01-01T00:00:00Z",
                "--valid-until", "2028-01-01T00:00:00Z")
    at = ["--at", "2027-06-01T00:00:00Z"]
    verify_cli(path, key, *at)
    # Another center's key.
    r = verify_cli(path, okey, *at, rc=1)
    check("status: wrong-key" in r[1], "wrong key", r[1])
    check("not by the key given" in r[2], "reason", r[2])
    check(refused(doc, indep.mediabridge_key(okey)) ==
          "signed by another key", "independent: wrong key")
    # Time.
    r = verify_cli(path, key, "--at", "2026-06-01T00:00:00Z", rc=1)
    check("status: not-yet-valid" in r[1], "not yet", r[1])
    r = verify_cli(path, key, "--at", "2028-06-01T00:00:00Z", rc=1)
    check("status: expired" in r[1], "expired", r[1])
    check("2028-01-01T00:00:00Z" in r[2], "reason names the end", r[2])
    # Another cryptosuite.
    bad = copy.deepcopy(doc)
    bad["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    bad_path = os.path.join(w.root, "bad.json")
    write(bad_path, bad)
    r = verify_cli(bad_path, key, *at, rc=1)
    check("status: unsupported" in r[1], "cryptosuite", r[1])
    check("eddsa-rdfc-2022" in r[2], "reason", r[2])
    # Malformed: not JSON, duplicate members, no proof.
    with open(bad_path, "w") as f:
        f.write('{"id": 1, "id": 2}')
    r = verify_cli(bad_path, key, rc=1)
    check("status: malformed" in r[1], "duplicates", r[1])
    bad = copy.deepcopy(doc)
    del bad["proof"]
    write(bad_path, bad)
    r = verify_cli(bad_path, key, *at, rc=1)
    check("no proof" in r[2], "no proof", r[2])
    # A name that is not the subject's.
    r = verify_cli(path, key, *at, "--name", "Mallory", rc=1)
    check("subject-name: does not match" in r[1], "name", r[1])
    # Usage: no key (2), a key that is not one (2), no file (1).
    run(["credential", "verify", path], check_rc=2)
    run(["credential", "verify", path, "--key", "ed25519:xyz"], check_rc=2)
    run(["credential", "verify", os.path.join(w.root, "nope.json"),
         "--key", key], check_rc=1)


def test_hashed_subject(w):
    c = w.center("cairo")
    key = c.cli("key")[1].strip()
    path = os.path.join(w.root, "cred.json")
    doc = issue(c, path, "--subject", "Amira Haddad", "--hash-subject")
    io = doc["credentialSubject"]["identifier"][0]
    check(io["hashed"] is True, "hashed")
    check("Amira" not in open(path, encoding="utf-8").read(),
          "the name is in the credential")
    # Open Badges IdentityHash: sha256$ hex(SHA-256(name + salt)).
    import hashlib
    eq(io["identityHash"], "sha256$" + hashlib.sha256(
        ("Amira Haddad" + io["salt"]).encode()).hexdigest(), "hash")
    indep.verify_proof(doc, indep.mediabridge_key(key))
    r = verify_cli(path, key, "--name", "Amira Haddad")
    check("subject: (hashed)" in r[1], "hashed subject shown", r[1])


def test_status_list(w):
    c = w.center("cairo")
    other = w.center("manama", country="BH")
    key = c.cli("key")[1].strip()
    pk = indep.mediabridge_key(key)
    st_path = os.path.join(w.root, "status.json")
    run(["credential", "status", c.dir, "--id", LIST, "--revoke", "94567",
         "--revoke", "3", "-o", st_path])
    with open(st_path, encoding="utf-8") as f:
        st = indep.loads(f.read())
    # The independent verifier: its proof, its bits.
    indep.verify_proof(st, pk)
    bits = indep.status_bits(st)
    eq(len(bits), 16384, "16 KB")
    eq([i for i in range(len(bits) * 8) if indep.bit(bits, i)],
       [3, 94567], "revoked bits")
    eq(st["type"], ["VerifiableCredential", "BitstringStatusListCredential"],
       "type")

    revoked_path = os.path.join(w.root, "revoked.json")
    fine_path = os.path.join(w.root, "fine.json")
    issue(c, revoked_path, "--subject", "A", "--status-list", LIST,
          "--status-index", "94567")
    issue(c, fine_path, "--subject", "B", "--status-list", LIST,
          "--status-index", "94568")
    r = verify_cli(revoked_path, key, "--status", st_path, rc=1)
    check("status: revoked" in r[1], "revoked", r[1])
    check("revoked" in r[2], "reason", r[2])
    r = verify_cli(fine_path, key, "--status", st_path)
    check("(checked)" in r[1], "checked", r[1])
    # Without the list, the credential holds, and says it was not
    # checked.
    r = verify_cli(revoked_path, key)
    check("not checked" in r[1], "not checked", r[1])
    # A list signed by another center is refused before anything.
    o_path = os.path.join(w.root, "other-status.json")
    run(["credential", "status", other.dir, "--id", LIST, "-o", o_path])
    r = verify_cli(fine_path, key, "--status", o_path, rc=1)
    check("--status" in r[2], "names the list", r[2])
    # A list whose bit was cleared after signing.
    st["credentialSubject"]["encodedList"] = \
        "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
    write(o_path, st)
    r = verify_cli(revoked_path, key, "--status", o_path, rc=1)
    check("signature" in r[2], "cleared bit", r[2])
    # Another list than the credential names.
    run(["credential", "status", c.dir, "--id", LIST + "x", "-o", o_path])
    r = verify_cli(fine_path, key, "--status", o_path, rc=1)
    check("status: wrong-list" in r[1], "wrong list", r[1])


if __name__ == "__main__":
    main(globals())
