# SPDX-License-Identifier: MIT
"""An independent verifier of mediabridge's signed artefacts.

Nothing here comes from the project's C code: RFC 8785 (JCS), base58-btc,
did:key and the eddsa-jcs-2022 proof are written again from their
specifications, and Ed25519 is Debian's python3-nacl (libsodium through
PyNaCl). The tests check what the C side signs with this, so that a bug
shared by the signer and the project's own verifier cannot hide.
"""

import base64
import gzip
import hashlib
import json
import math

import nacl.exceptions
import nacl.signing

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Refused(Exception):
    pass


# -- RFC 8785 -----------------------------------------------------------

def _jcs_string(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _jcs_number(x):
    if isinstance(x, bool):
        raise TypeError
    if isinstance(x, int):
        if abs(x) > 2 ** 53:
            raise Refused("integer beyond 2^53")
        return str(x)
    if not math.isfinite(x):
        raise Refused("NaN or infinity")
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    # ECMAScript's shortest round trip; Python's repr is shortest too,
    # the exponent is written differently (what the documents here never
    # need, so refuse rather than guess).
    r = repr(x)
    if "e" in r or "E" in r:
        raise Refused("exponent numbers are not implemented here")
    return r


def jcs(v):
    """The RFC 8785 canonical UTF-8 bytes of a JSON value."""
    def ser(v):
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, (int, float)):
            return _jcs_number(v)
        if isinstance(v, str):
            return _jcs_string(v)
        if isinstance(v, list):
            return "[" + ",".join(ser(e) for e in v) + "]"
        if isinstance(v, dict):
            # Sorted by UTF-16 code units, not by code points.
            keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
            return "{" + ",".join(_jcs_string(k) + ":" + ser(v[k])
                                  for k in keys) + "}"
        raise Refused("not JSON: %r" % type(v))
    return ser(v).encode("utf-8")


def loads(text):
    """JSON with duplicate member names refused."""
    def hook(pairs):
        d = {}
        for k, v in pairs:
            if k in d:
                raise Refused("duplicate member %r" % k)
            d[k] = v
        return d
    return json.loads(text, object_pairs_hook=hook)


# -- base58-btc and did:key --------------------------------------------

def b58decode(s):
    n = 0
    for c in s:
        i = B58.find(c)
        if i < 0:
            raise Refused("not base58: %r" % c)
        n = n * 58 + i
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(s) - len(s.lstrip("1"))) + raw


def b58encode(b):
    n = int.from_bytes(b, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(b) - len(b.lstrip(b"\0"))) + out


def didkey_public(vm):
    """The Ed25519 key inside did:key:z6Mk...(#z6Mk...)."""
    if not vm.startswith("did:key:z"):
        raise Refused("not a did:key: %s" % vm)
    ident = vm[len("did:key:"):].split("#")[0]
    raw = b58decode(ident[1:])
    if raw[:2] != b"\xed\x01" or len(raw) != 34:
        raise Refused("not an Ed25519 did:key")
    return raw[2:]


def didkey(pk):
    return "did:key:z" + b58encode(b"\xed\x01" + pk)


def mediabridge_key(text):
    """`mediabridge key DIR` prints ed25519:<base64>."""
    if not text.startswith("ed25519:"):
        raise Refused("not an ed25519: key")
    pk = base64.b64decode(text[len("ed25519:"):], validate=True)
    if len(pk) != 32:
        raise Refused("not 32 bytes")
    return pk


# -- eddsa-jcs-2022 ----------------------------------------------------

def verify_proof(doc, pk=None):
    """Data Integrity EdDSA Cryptosuites v1.0, 3.3.2 Verify Proof.

    pk: the key trusted, or None to trust the did:key. Returns the key.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("proof"), dict):
        raise Refused("no proof")
    proof = doc["proof"]
    if proof.get("type") != "DataIntegrityProof" or \
            proof.get("cryptosuite") != "eddsa-jcs-2022":
        raise Refused("not eddsa-jcs-2022")
    if proof.get("proofPurpose") != "assertionMethod":
        raise Refused("not assertionMethod")
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    pv = proof.get("proofValue", "")
    if not pv.startswith("z"):
        raise Refused("proofValue is not base58-btc")
    sig = b58decode(pv[1:])
    if len(sig) != 64:
        raise Refused("proofValue is not 64 bytes")
    if "@context" in options:
        ctx = doc.get("@context")
        ctx = ctx if isinstance(ctx, list) else [ctx]
        pctx = options["@context"]
        pctx = pctx if isinstance(pctx, list) else [pctx]
        if ctx[:len(pctx)] != pctx:
            raise Refused("@context does not start with the proof's")
        unsecured["@context"] = options["@context"]
    vm = options.get("verificationMethod", "")
    if vm.startswith("did:key:"):
        vmkey = didkey_public(vm)
        if pk is not None and vmkey != pk:
            raise Refused("signed by another key")
        pk = vmkey
    elif pk is None:
        raise Refused("cannot resolve %s offline" % vm)
    hash_data = hashlib.sha256(jcs(options)).digest() + \
        hashlib.sha256(jcs(unsecured)).digest()
    try:
        nacl.signing.VerifyKey(pk).verify(hash_data, sig)
    except nacl.exceptions.BadSignatureError:
        raise Refused("bad signature")
    return pk


def status_bits(status_list_credential):
    """The bitstring of a BitstringStatusListCredential."""
    enc = status_list_credential["credentialSubject"]["encodedList"]
    if not enc.startswith("u"):
        raise Refused("encodedList is not multibase base64url")
    b = enc[1:]
    raw = base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))
    return gzip.decompress(raw)


def bit(bits, index):
    return (bits[index // 8] >> (7 - index % 8)) & 1


# -- tickets (docs/signed.md) -------------------------------------------

def _b64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def _read_id(b, i):
    n = b[i]
    if n == 0x80:
        v = int.from_bytes(b[i + 1:i + 17], "big")
        s = ""
        for _ in range(26):
            v, r = divmod(v, 32)
            s = CROCKFORD[r] + s
        return s, i + 17
    return b[i + 1:i + 1 + n].decode("ascii"), i + 1 + n


def _read_center(b, i):
    n = b[i]
    return b[i + 1:i + 1 + n].decode("ascii"), i + 1 + n


def ticket(text, pk):
    """Checks a ticket's signature and reads its fields (not the time)."""
    text = text.strip()
    if not text.startswith("MBT1:"):
        raise Refused("not MBT1:")
    raw = _b64url(text[5:])
    body, sig = raw[:-64], raw[-64:]
    try:
        nacl.signing.VerifyKey(pk).verify(b"mediabridge ticket v1\0" + body,
                                          sig)
    except nacl.exceptions.BadSignatureError:
        raise Refused("bad signature")
    issuer, i = _read_center(body, 0)
    center, i = _read_center(body, i)
    local, i = _read_id(body, i)
    reg, i = _read_id(body, i)
    frm = int.from_bytes(body[i:i + 4], "big")
    until = int.from_bytes(body[i + 4:i + 8], "big")
    name_hash = body[i + 8:i + 24]
    if i + 24 != len(body):
        raise Refused("bytes left over")
    return {"issuer": issuer,
            "event": "urn:mediabridge:%s:%s" % (center or issuer, local),
            "registration": reg, "from": frm, "until": until,
            "name_hash": name_hash.hex()}


def revoked(text, pk):
    """Checks a revocation list and returns (event, [registrations])."""
    text = text.strip()
    if not text.startswith("MBR1:"):
        raise Refused("not MBR1:")
    raw = _b64url(text[5:])
    body, sig = raw[:-64], raw[-64:]
    try:
        nacl.signing.VerifyKey(pk).verify(
            b"mediabridge revocations v1\0" + body, sig)
    except nacl.exceptions.BadSignatureError:
        raise Refused("bad signature")
    issuer, i = _read_center(body, 0)
    center, i = _read_center(body, i)
    local, i = _read_id(body, i)
    i += 4
    count = int.from_bytes(body[i:i + 4], "big")
    i += 4
    regs = []
    for _ in range(count):
        r, i = _read_id(body, i)
        regs.append(r)
    if i != len(body):
        raise Refused("bytes left over")
    return "urn:mediabridge:%s:%s" % (center or issuer, local), regs
