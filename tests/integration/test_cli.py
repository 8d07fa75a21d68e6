#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The foundation's command line end to end: init, key, import, export,
verify, with bad input refused clearly and nothing half-written."""
import json
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import unittest

MB = os.environ.get("MEDIABRIDGE", "build/mediabridge")
SRC = os.environ.get("MB_SRCDIR", ".")


def run(*args, stdin=None, check=None):
    p = subprocess.run([MB, *args], input=stdin, capture_output=True,
                       text=True, timeout=300)
    if check is not None and p.returncode != check:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {check}"
                             f"\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def init(d, cid="cairo", langs="ar,en", *extra):
    run("init", d, "--id", cid, "--name", f"{cid} center", "--country",
        "EG", "--languages", langs, *extra, check=0)


def slurp(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def slurp_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def export(d):
    out = run("export", d, check=0).stdout
    return [json.loads(line) for line in out.splitlines() if line]


ARABIC = ("يناقش المؤتمر الإعلامي في القاهرة اليوم دور المراكز الإعلامية "
          "في تبادل الأخبار بين البلدان الأفريقية والآسيوية")


def ninjs_validator():
    """A JSON Schema validator for ninjs 3.1 when the schema is reachable
    (../shared beside the checkout) and python3-jsonschema is installed."""
    for d in (os.path.join(SRC, "..", "shared", "schemas"),
              os.path.join(SRC, "..", "..", "shared", "schemas")):
        path = os.path.join(d, "ninjs-schema_3.1.json")
        if os.path.exists(path):
            try:
                import jsonschema
            except ImportError:
                return None
            with open(path, encoding="utf-8") as f:
                return jsonschema.Draft202012Validator(json.load(f))
    return None


def item(i, lang=None, text="News number"):
    it = {"type": "text",
          "headlines": [{"value": f"{text} {i}"}],
          "bodies": [{"value": f"<p>{text} {i}: the body of the story, "
                               f"with <b>several</b> words.</p>"}]}
    if lang:
        it["language"] = lang
    return it


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mb-cli-")
        self.dir = os.path.join(self.tmp, "center")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_init_and_key(self):
        init(self.dir)
        key = os.path.join(self.dir, "keys", "center.key")
        self.assertEqual(stat.S_IMODE(os.stat(key).st_mode), 0o600)
        pub = run("key", self.dir, check=0).stdout.strip()
        self.assertRegex(pub, r"^ed25519:[A-Za-z0-9+/]{43}=$")
        self.assertEqual(slurp(os.path.join(self.dir, "keys",
                                            "center.pub")).strip(), pub)
        # A second init on the same directory is refused, changes nothing.
        before = slurp(key)
        p = run("init", self.dir, "--id", "cairo", "--name", "x",
                "--country", "EG", "--languages", "ar", check=1)
        self.assertIn("mediabridge: init:", p.stderr)
        self.assertIn("already holds a center", p.stderr)
        self.assertEqual(slurp(key), before)
        # A key readable by others is refused, with the fix named.
        os.chmod(key, 0o644)
        p = run("key", self.dir, check=1)
        self.assertIn("chmod 600", p.stderr)

    def test_init_keeps_the_store_and_config_private(self):
        # The store holds members' contacts, password hashes, sessions
        # and learners' answers; the configuration may hold passwords.
        init(self.dir)
        conf = os.path.join(self.dir, "mediabridge.conf")
        self.assertEqual(stat.S_IMODE(os.stat(self.dir).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(conf).st_mode), 0o600)
        p = run("doctor", self.dir, "--offline")
        self.assertNotIn("open to other users", p.stdout)
        # An older center's modes: doctor warns, with the fix named.
        os.chmod(self.dir, 0o755)
        os.chmod(conf, 0o644)
        p = run("doctor", self.dir, "--offline")
        self.assertIn("open to other users", p.stdout)
        self.assertIn("chmod o-rwx " + self.dir, p.stdout)
        self.assertIn("chmod 600 " + conf, p.stdout)

    def test_new_branch_peer_list_says_why_empty(self):
        hq = os.path.join(self.tmp, "hq")
        init(hq, "moscow", "ru,en", "--hq")
        key = run("key", hq, check=0).stdout.strip()
        br = os.path.join(self.tmp, "branch")
        init(br, "cairo", "ar,en", "--hq-url", "http://127.0.0.1:9",
             "--hq-key", key)
        p = run("peer", "list", br, check=0)
        self.assertEqual(p.stdout, "")
        self.assertIn("no peers yet", p.stderr)
        self.assertIn("http://127.0.0.1:9", p.stderr)
        # HQ itself has no HQ to wait for: nothing said.
        self.assertEqual(run("peer", "list", hq, check=0).stderr, "")

    def test_init_refuses_bad_options(self):
        d = os.path.join(self.tmp, "bad")
        cases = [
            (["--id", "Cairo!"], "--id"),
            (["--country", "Egypt"], "--country"),
            (["--languages", "arabic"], "--languages"),
            (["--url", "ftp://x"], "--url"),
            (["--url", "http://"], "--url"),
            (["--url", "https:///path"], "--url"),
            (["--listen", "127.0.0.1:99999"], "--listen"),
            (["--listen", "foo"], "--listen"),
            (["--listen", "127.0.0.1:abc"], "--listen"),
            (["--listen", ":8080"], "--listen"),
            (["--listen", "[::1:8080"], "--listen"),
            (["--hq-url", "http://127.0.0.1:1"], "--hq-key"),
            (["--hq-url", "http://127.0.0.1:1", "--hq-key", "ed25519:AA"],
             "--hq-key"),
        ]
        base = {"--id": "cairo", "--name": "Cairo", "--country": "EG",
                "--languages": "ar,en"}
        for extra, word in cases:
            opts = dict(base)
            args = []
            i = 0
            while i < len(extra):
                if extra[i] in opts:
                    opts[extra[i]] = extra[i + 1]
                else:
                    args += extra[i:i + 2]
                i += 2
            for k, v in opts.items():
                args += [k, v]
            p = run("init", d, *args)
            self.assertEqual(p.returncode, 1, (extra, p.stderr))
            self.assertIn(word, p.stderr)
            self.assertFalse(os.path.exists(d), f"{extra} left {d}")
        p = run("init", d, "--id", "cairo")
        self.assertEqual(p.returncode, 2)
        self.assertIn("required", p.stderr)
        p = run("frobnicate")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--hq-key KEY", run("init", "--help", check=0).stdout)
        for cmd in ("key", "import", "export", "verify"):
            self.assertIn("usage: mediabridge " + cmd,
                          run(cmd, "--help", check=0).stdout)

    def test_init_leaves_a_centers_files_alone(self):
        # A center whose configuration was lost (or a copy of its files):
        # init neither replaces its key nor, failing, removes its store.
        init(self.dir)
        run("import", self.dir, self.write("a.json", json.dumps(
            item(1, "en"))), check=0)
        files = {f: slurp_bytes(os.path.join(self.dir, f))
                 for f in ("keys/center.key", "store.db")}
        for name in ("keys", "store.db"):
            d = os.path.join(self.tmp, "again-" + name.replace("/", "-"))
            os.makedirs(os.path.join(d, "keys"))
            if name == "keys":
                shutil.copy2(os.path.join(self.dir, "keys/center.key"),
                             os.path.join(d, "keys/center.key"))
            else:
                os.rmdir(os.path.join(d, "keys"))
                shutil.copy2(os.path.join(self.dir, "store.db"),
                             os.path.join(d, "store.db"))
            before = sorted(os.listdir(d))
            for extra in ([], ["--database",
                               "postgresql://nobody@127.0.0.1:1/x"]):
                p = run("init", d, "--id", "cairo", "--name", "Cairo",
                        "--country", "EG", "--languages", "en", *extra)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn("already holds a center's " + name, p.stderr)
                self.assertEqual(sorted(os.listdir(d)), before)
            if name == "keys":
                self.assertEqual(slurp_bytes(os.path.join(
                    d, "keys/center.key")), files["keys/center.key"])
            else:
                self.assertEqual(slurp_bytes(os.path.join(d, "store.db")),
                                 files["store.db"])
        # An empty directory is fine.
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        init(empty)

    def test_init_refuses_a_database_holding_a_center(self):
        # Two centers in one PostgreSQL store would each serve the other's
        # items as its own log.
        if not os.environ.get("MB_TEST_PG"):
            self.skipTest("no MB_TEST_PG")
        sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
        import mbtest
        name, url = mbtest.pg_new_database()
        try:
            first = os.path.join(self.tmp, "alpha")
            run("init", first, "--id", "alpha", "--name", "A", "--country",
                "EG", "--languages", "en", "--database", url, check=0)
            second = os.path.join(self.tmp, "beta")
            p = run("init", second, "--id", "beta", "--name", "B",
                    "--country", "EG", "--languages", "en", "--database",
                    url)
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn("already holds the store of center alpha",
                          p.stderr)
            self.assertFalse(os.path.exists(second))
            self.assertIn("alpha", run("center", "list", first,
                                       check=0).stdout)
            self.assertNotIn("beta", run("center", "list", first,
                                         check=0).stdout)
        finally:
            mbtest.pg_admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)

    def test_import_refuses_a_changed_version(self):
        init(self.dir)
        it = {"uri": "urn:mediabridge:cairo:x2", "version": "1",
              "type": "text", "language": "en",
              "headlines": [{"value": "Typo headlne"}]}
        path = self.write("a.json", json.dumps(it))
        run("import", self.dir, path, check=0)
        # The same file again (versionCreated filled in anew): a duplicate.
        time.sleep(1.1)
        p = run("import", self.dir, path, check=0)
        self.assertIn("0 accepted, 1 already there, 0 refused", p.stdout)
        # The same version with another headline: refused, named.
        it["headlines"][0]["value"] = "Fixed headline"
        p = run("import", self.dir, self.write("b.json", json.dumps(it)))
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("0 accepted, 0 already there, 1 refused", p.stdout)
        self.assertIn("urn:mediabridge:cairo:x2 version 1 is already "
                      "stored with different content", p.stderr)
        self.assertIn('"version": "2"', p.stderr)
        envs = export(self.dir)
        self.assertEqual([e["item"]["headlines"][0]["value"] for e in envs],
                         ["Typo headlne"])
        # Version 2 is taken.
        it["version"] = "2"
        p = run("import", self.dir, self.write("c.json", json.dumps(it)),
                check=0)
        self.assertIn("1 accepted", p.stdout)
        # Another center's envelope changed under the same version (its
        # origin re-signed it): refused, the stored one kept.
        other = os.path.join(self.tmp, "moscow")
        init(other, "moscow", "ru")
        run("import", other, self.write("m.json", json.dumps(
            {"uri": "urn:mediabridge:moscow:m1", "version": "1",
             "type": "text", "language": "ru",
             "headlines": [{"value": "Новости"}]})), check=0)
        env1 = self.write("m1.ndjson", run("export", other, check=0).stdout)
        # What a center that re-signed the version would send.
        import base64
        import nacl.signing
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from indep import jcs
        key = slurp(os.path.join(other, "keys", "center.key"))
        sk = nacl.signing.SigningKey(base64.b64decode(
            key.strip().split(":", 1)[1]))
        e = json.loads(slurp(env1))
        e["item"]["headlines"][0]["value"] = "Другие новости"
        e["signature"] = base64.b64encode(sk.sign(jcs(
            {"item": e["item"], "meta": e["meta"]})).signature).decode()
        env2 = self.write("m2.ndjson", json.dumps(e, ensure_ascii=False))
        self.assertNotEqual(slurp(env1), slurp(env2))
        run("import", other, env1, check=0)
        p = run("import", other, env2)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("moscow signed two different contents", p.stderr)
        self.assertEqual(export(other)[0]["item"]["headlines"][0]["value"],
                         "Новости")

    def test_center_add_checks_the_card(self):
        # HQ signs what center add takes into the registry every center
        # reads: the card meets the rules init applies to a center's own.
        hq = os.path.join(self.tmp, "hq")
        run("init", hq, "--id", "hq", "--name", "HQ", "--country", "EG",
            "--languages", "en", "--hq", check=0)
        # Beta's own key: HQ's is refused (a key another center holds).
        beta = os.path.join(self.tmp, "beta")
        run("init", beta, "--id", "beta", "--name", "Beta", "--country",
            "EG", "--languages", "en", check=0)
        key = run("key", beta, check=0).stdout.strip()
        p = run("center", "add", hq, "--id", "beta", "--url",
                "http://beta.example", "--country", "EG", "--name", "Beta",
                "--key", run("key", hq, check=0).stdout.strip())
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("center hq holds this key", p.stderr)
        base = ["--id", "beta", "--url", "http://beta.example",
                "--key", key, "--country", "EG", "--name", "Beta"]
        for opt, bad in (("--languages", "english"),
                         ("--languages", "en,,!!,zz-ZZ-qqqq"),
                         ("--country", "1!"), ("--country", "eg"),
                         ("--name", "Be\nta"), ("--url", "http://")):
            args = list(base)
            if opt in args:
                args[args.index(opt) + 1] = bad
            else:
                args += [opt, bad]
            p = run("center", "add", hq, *args)
            self.assertEqual(p.returncode, 2, (opt, bad, p.stdout))
            self.assertIn(opt, p.stderr)
        self.assertNotIn("beta", run("center", "list", hq, check=0).stdout)
        p = run("center", "add", hq, *base, "--languages", "ar,en", check=0)
        self.assertIn("center beta admitted", p.stdout)

    def test_doctor_checks_listen(self):
        init(self.dir)
        conf = os.path.join(self.dir, "mediabridge.conf")
        text = slurp(conf)
        self.assertIn("listen = 127.0.0.1:8080", text)
        with open(conf, "w", encoding="utf-8") as f:
            f.write(text.replace("listen = 127.0.0.1:8080",
                                 "listen = 127.0.0.1:99999"))
        p = run("doctor", self.dir, "--offline")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("the port must be a number from 0 to 65535",
                      p.stdout)

    def test_option_orders_and_options_that_do_not_apply(self):
        init(self.dir)
        run("import", self.dir, self.write("a.json", json.dumps(
            item(1, "en"))), check=0)
        # --format before or after DIR, with = or without.
        for args in (("--format", "newsml-g2", self.dir),
                     (self.dir, "--format=newsml-g2"),
                     (self.dir, "--format", "newsml-g2")):
            p = run("export", *args, check=0)
            self.assertIn("<newsMessage", p.stdout, args)
        p = run("export", self.dir, "--format", "xml")
        self.assertEqual(p.returncode, 2)
        self.assertIn('--format: "xml": ndjson or newsml-g2', p.stderr)
        # --database for a SQLite backup is refused, not ignored.
        bak = os.path.join(self.tmp, "c.bak")
        run("backup", self.dir, "-o", bak, check=0)
        to = os.path.join(self.tmp, "restored")
        p = run("restore", bak, to, "--database", "postgresql://x/y")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("--database: ", p.stderr)
        self.assertIn("SQLite", p.stderr)
        self.assertFalse(os.path.exists(to))
        self.assertEqual([f for f in os.listdir(self.tmp)
                          if ".restore-" in f], [])
        # A role that is not one names all six.
        p = run("user", "add", self.dir, "bob", "--role", "king")
        self.assertEqual(p.returncode, 1)
        self.assertIn("admin, editor, journalist, translator, member, "
                      "learner", p.stderr)

    # What a command with subcommands says, word for word, when it is
    # given none or one it does not know (scripts read these): exit 2,
    # the message, then the pointer to --help.
    SUBCOMMAND_WORDS = {
        "campaign": ("give a subcommand", "add, list DIR or show DIR ID"),
        "feed": ("give add, list, remove or poll",
                 'unknown subcommand "bogus"'),
        "credential": ("verify, issue or status?",
                       "bogus: unknown; verify, issue or status?"),
        "ticket": ("verify, issue, revoked or qr?",
                   "bogus: unknown; verify, issue, revoked or qr?"),
        "bundle": ("give export, import or ack",
                   "bogus: give export, import or ack"),
        "course": ("(nothing): publish, enrolment, approve, invite, "
                   "revoke, class, package or check?",
                   "bogus: publish, enrolment, approve, invite, revoke, "
                   "class, package or check?"),
        "dict": ("train, show or bench?", "train, show or bench?"),
        "event": ("settings, attendees, revoked or certificate?",
                  "bogus: unknown; settings, attendees, revoked or "
                  "certificate?"),
        "peer": ("add, set or list?", "add, set or list?"),
    }

    def test_import_skips_a_bom(self):
        """A file an editor saved with a UTF-8 BOM imports (it was
        refused: not JSON)."""
        init(self.dir)
        path = os.path.join(self.tmp, "bom.ndjson")
        with open(path, "wb") as f:
            f.write(b"\xef\xbb\xbf" + "\n".join(
                json.dumps(item(i)) for i in (1, 2)).encode() + b"\n")
        p = run("import", self.dir, path, check=0)
        self.assertIn("2 accepted", p.stdout)

    def test_export_newsml_plain_text(self):
        """A text/plain body leaves in NewsML-G2 as the API gives it:
        escaped, a line a paragraph, not read as markup."""
        init(self.dir)
        it = {"type": "text", "headlines": [{"value": "Plain"}],
              "bodies": [{"contentType": "text/plain",
                          "value": "a <b>not bold</b> & c\nsecond line"}]}
        run("import", self.dir, self.write("p.json", json.dumps(it)),
            check=0)
        out = run("export", self.dir, "--format", "newsml-g2",
                  check=0).stdout
        self.assertIn("<p>a &lt;b&gt;not bold&lt;/b&gt; &amp; c</p>"
                      "<p>second line</p>", out)
        self.assertNotIn("<b>not bold</b>", out)

    def test_subcommand_words(self):
        for cmd, (none, unknown) in self.SUBCOMMAND_WORDS.items():
            for args, msg in (((), none), (("bogus",), unknown),
                              (("bogus", "x", "y"), unknown)):
                p = run(cmd, *args)
                self.assertEqual(p.returncode, 2, (cmd, args, p.stderr))
                self.assertEqual(p.stderr, f"mediabridge: {cmd}: {msg}\n"
                                 f"usage: (see mediabridge {cmd} --help)\n",
                                 (cmd, args))
                self.assertEqual(p.stdout, "")
            p = run(cmd, "--help", check=0)
            self.assertTrue(p.stdout.startswith("usage: mediabridge " + cmd),
                            cmd)
        # An empty word is none; list and show with the wrong words say
        # what campaign wants.
        p = run("course", "", check=2)
        self.assertIn("(nothing): publish", p.stderr)
        for args in (("list",), ("list", "a", "b"), ("show", "a")):
            p = run("campaign", *args, check=2)
            self.assertIn("campaign: add, list DIR or show DIR ID", p.stderr)
        # A subcommand gets its own words from there on.
        p = run("event", "attendees", "a", check=2)
        self.assertIn("give DIR and URI", p.stderr)
        p = run("event", "certificate", "a", check=2)
        self.assertIn("give DIR and REGISTRATION", p.stderr)

    def test_event_revoked_needs_an_event(self):
        """event revoked signs the list of an event of this center: a uri
        that names none, an article, or another center's event is an
        error, exit 1, and nothing is written (a reviewer's find: exit 0
        and a signed empty list, which a door reads as nothing revoked)."""
        init(self.dir, "hq")
        path = self.write("a.ndjson", json.dumps(item(1, "en")) + "\n")
        run("import", self.dir, path, check=0)
        article = export(self.dir)[0]["item"]["uri"]
        out = os.path.join(self.tmp, "revoked.txt")
        for uri, why in (("urn:mediabridge:hq:nosuch", "no such event"),
                         (article, "not an event"),
                         ("urn:mediabridge:cairo:x1", "organising center"),
                         ("not-a-uri", "not an item uri")):
            for args in (("-o", out), ()):
                p = run("event", "revoked", self.dir, uri, *args, check=1)
                self.assertIn(why, p.stderr, uri)
                self.assertTrue(p.stderr.startswith(
                    "mediabridge: event revoked: "), p.stderr)
                self.assertEqual(p.stdout, "", uri)
                self.assertFalse(os.path.exists(out), uri)

    def test_import_export_verify(self):
        init(self.dir)
        lines = [json.dumps(item(i, "en")) for i in range(50)]
        lines.append(json.dumps({"type": "text",
                                 "headlines": [{"value": ARABIC}]}))
        lines.insert(10, '{"type": "text", "colour": "red"}')
        lines.insert(20, "this is not json")
        lines.insert(30, json.dumps({"uri": "urn:mediabridge:moscow:x1"}))
        lines.insert(40, json.dumps({"urgency": 42}))
        path = self.write("items.ndjson", "\n".join(lines) + "\n")
        p = run("import", self.dir, path)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("51 accepted, 0 already there, 4 refused", p.stdout)
        self.assertIn(f"{path}:11: colour: not a ninjs 3.1 field", p.stderr)
        self.assertIn(f"{path}:21: not JSON", p.stderr)
        self.assertIn(f"{path}:31: uri: belongs to center moscow", p.stderr)
        self.assertIn(f"{path}:41: urgency: must be between 1 and 9",
                      p.stderr)
        envs = export(self.dir)
        self.assertEqual(len(envs), 51)
        uris = {e["item"]["uri"] for e in envs}
        self.assertEqual(len(uris), 51)
        for e in envs:
            self.assertEqual(set(e), {"item", "meta", "signature"})
            self.assertEqual(e["meta"]["origin"], "cairo")
            self.assertTrue(e["item"]["uri"].startswith(
                "urn:mediabridge:cairo:"))
            self.assertEqual(e["item"]["version"], "1")
        # Every exported item validates against the ninjs 3.1 schema.
        v = ninjs_validator()
        if v is not None:
            for e in envs:
                v.validate(e["item"])
        # Detected language, marked as detected.
        ar = [e for e in envs if e["item"]["headlines"][0]["value"] == ARABIC]
        self.assertEqual(ar[0]["item"]["language"], "ar")
        self.assertIs(ar[0]["meta"]["languageDetected"], True)
        # Export is in log order: the order of the file.
        self.assertEqual([e["item"]["headlines"][0]["value"]
                          for e in envs[:3]],
                         ["News number 0", "News number 1", "News number 2"])
        # Importing the same file again adds nothing.
        p = run("import", self.dir, path)
        self.assertIn("0 accepted, 51 already there, 4 refused", p.stdout)
        self.assertEqual(len(export(self.dir)), 51)
        # The export re-imports as envelopes: all already there.
        exp = self.write("export.ndjson",
                         run("export", self.dir, check=0).stdout)
        p = run("import", self.dir, exp, check=0)
        self.assertIn("0 accepted, 51 already there, 0 refused", p.stdout)
        p = run("verify", self.dir, check=0)
        self.assertIn("51 versions checked", p.stdout)

    def test_other_forms_and_bad_files(self):
        init(self.dir)
        arr = self.write("array.json", json.dumps([item(1), item(2)]))
        one = self.write("one.json", json.dumps(item(3), indent=2))
        p = run("import", self.dir, arr, one, check=0)
        self.assertIn("3 accepted", p.stdout)
        p = run("import", self.dir, "-", stdin=json.dumps(item(4)), check=0)
        self.assertIn("1 accepted", p.stdout)
        # NDJSON's lines take the fast parser; what is not one whole
        # value a line still reads: two on a line, one over lines, an
        # escape; a duplicate key is refused at its line either way.
        mixed = self.write("mixed.ndjson", "\n".join([
            json.dumps(item(5)) + " " + json.dumps(item(6)),
            '{"type": "text", "type": "picture"}',
            json.dumps(item(7, "en", "Caf\u00e9 news"), ensure_ascii=True),
            json.dumps(item(8), indent=1),
        ]) + "\n")
        p = run("import", self.dir, mixed, check=1)
        self.assertIn("4 accepted, 0 already there, 1 refused", p.stdout)
        self.assertIn(f"{mixed}:2: not JSON: duplicate object key",
                      p.stderr)
        p = run("import", self.dir, os.path.join(self.tmp, "missing.json"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("missing.json: No such file", p.stderr)
        garbage = os.path.join(self.tmp, "garbage.bin")
        with open(garbage, "wb") as f:
            f.write(bytes(random.Random(1).randrange(256)
                          for _ in range(4096)))
        p = run("import", self.dir, garbage)
        self.assertEqual(p.returncode, 1)
        self.assertIn("0 accepted", p.stdout)
        envs = export(self.dir)
        self.assertEqual(len(envs), 8)
        self.assertIn("Caf\u00e9 news 7",
                      [e["item"]["headlines"][0]["value"] for e in envs])
        run("verify", self.dir, check=0)

    def test_import_streams(self):
        """Standard input and FIFOs are read as they come: what is whole
        is stored while the writer still writes (not at its end), values
        cut anywhere by the pipe's chunks (an escape, a multi-byte
        character, a value over several lines, an array) read as they
        do from a file, and a bad line is refused by its number."""
        init(self.dir)
        p = subprocess.Popen([MB, "import", self.dir, "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            p.stdin.write("".join(json.dumps(item(i)) + "\n"
                                  for i in range(3)))
            p.stdin.flush()
            deadline = time.monotonic() + 20
            while len(export(self.dir)) < 3:
                self.assertLess(time.monotonic(), deadline,
                                "3 items stored while the pipe is open")
                self.assertIsNone(p.poll(), "import still running")
                time.sleep(0.1)
            p.stdin.write("{not json\n" +
                          json.dumps(item(3), indent=2) + "\n" +
                          json.dumps([item(4), item(5)], indent=1) + "\n")
            p.stdin.close()
            out, err = p.stdout.read(), p.stderr.read()
            self.assertEqual(p.wait(timeout=60), 1)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.assertIn("6 accepted, 0 already there, 1 refused", out)
        self.assertIn("-:4: not JSON", err)

        # The same values cut into chunks (1-7 bytes, then up to a pipe's
        # worth, several seeds) through a FIFO: the same verdicts and the
        # same items as the file they come from.
        text = "".join([
            json.dumps(item(10, "en", "Caf\u00e9 \u2014 news"),
                       ensure_ascii=True) + "\n",
            json.dumps(item(11, "ar", ARABIC), ensure_ascii=False) + "\n",
            json.dumps(item(12), indent=3) + "\n",
            '{"type": "text", "type": "picture"}\n',
            json.dumps([item(13), item(14, "fr", "Nouvelles \u00e0 la "
                                            "une")], indent=2),
        ])
        file = self.write("same.json", text)
        third = os.path.join(self.tmp, "third")
        init(third, "accra", "en,fr")
        q = run("import", third, file, check=1)
        self.assertIn("5 accepted, 0 already there, 1 refused", q.stdout)
        want = sorted(e["item"]["headlines"][0]["value"]
                      for e in export(third))
        why = q.stderr.replace(file, "FILE")
        self.assertIn("FILE:16: not JSON: duplicate object key", why)
        self.assertIn("Caf\u00e9 \u2014 news 10", want)

        import threading

        def feed(fifo, seed, most):
            rnd = random.Random(seed)
            data = text.encode()
            with open(fifo, "wb", buffering=0) as f:
                i = 0
                while i < len(data):
                    n = rnd.randint(1, most)
                    f.write(data[i:i + n])
                    i += n
                    if rnd.random() < 0.05:
                        time.sleep(0.002)

        for seed, most in ((7, 7), (8, 3), (9, 64), (10, 700), (11, 5000)):
            other = os.path.join(self.tmp, "other%d" % seed)
            init(other, "lagos", "en,fr")
            fifo = os.path.join(self.tmp, "fifo%d" % seed)
            os.mkfifo(fifo)
            t = threading.Thread(target=feed, args=(fifo, seed, most))
            t.start()
            q = run("import", other, fifo, check=1)
            t.join()
            what = "chunks of 1-%d bytes, seed %d" % (most, seed)
            self.assertIn("5 accepted, 0 already there, 1 refused",
                          q.stdout, what)
            self.assertEqual(why, q.stderr.replace(fifo, "FILE"), what)
            self.assertEqual(want, sorted(e["item"]["headlines"][0]["value"]
                                          for e in export(other)), what)

    def test_envelopes_from_elsewhere(self):
        other = os.path.join(self.tmp, "moscow")
        init(other, "moscow", "ru")
        init(self.dir)
        src = self.write("ru.ndjson", json.dumps(item(1, "ru", "Новости")))
        run("import", other, src, check=0)
        env = self.write("env.ndjson", run("export", other, check=0).stdout)
        # Cairo does not know moscow: its envelope is refused.
        p = run("import", self.dir, env)
        self.assertEqual(p.returncode, 1)
        self.assertIn("center moscow is unknown here", p.stderr)
        # A forged signature is refused by its owner too.
        e = json.loads(slurp(env))
        e["item"]["headlines"][0]["value"] = "Forged"
        forged = self.write("forged.ndjson", json.dumps(e))
        p = run("import", other, forged)
        self.assertEqual(p.returncode, 1)
        self.assertIn("signature does not verify", p.stderr)
        self.assertEqual(len(export(other)), 1)

    def db(self):
        return sqlite3.connect(os.path.join(self.dir, "store.db"))

    def test_verify_names_a_tampered_record(self):
        init(self.dir)
        src = self.write("items.ndjson",
                         "\n".join(json.dumps(item(i, "en"))
                                   for i in range(20)))
        run("import", self.dir, src, check=0)
        run("verify", self.dir, check=0)
        con = self.db()
        seq, uri = con.execute(
            "SELECT seq, uri FROM versions WHERE seq = 7").fetchone()
        # The store keeps it compressed (docs/store.md): the envelope
        # itself comes from export, in log order; forged, it goes back
        # as it is (a row stored uncompressed reads as it is).
        env = run("export", self.dir, check=0).stdout.splitlines()[6]
        env = env.encode("utf-8")
        self.assertIn(uri.encode("utf-8"), env)
        i = env.index(b"News number 6") + 5
        env = env[:i] + b"N" + env[i + 1:]  # one changed byte
        con.execute("UPDATE versions SET envelope = ? WHERE seq = 7", (env,))
        con.commit()
        con.close()
        p = run("verify", self.dir, check=1)
        self.assertIn(f"seq 7 {uri} version 1: signature does not verify",
                      p.stderr)
        self.assertIn("1 problem", p.stderr)

    def test_crash_during_import(self):
        """kill -9 a large import at random moments: verify passes after
        each, and a re-import adds exactly what was missing."""
        init(self.dir)
        n = 6000
        path = self.write("big.ndjson", "\n".join(
            json.dumps(item(i, "en", "Crash test story")) for i in range(n)))
        rng = random.Random(int(os.environ.get("MB_SEED", "7")))
        kills = 0
        for attempt in range(5):
            proc = subprocess.Popen([MB, "import", self.dir, path],
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 0.6))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
            p = run("verify", self.dir)
            self.assertEqual(p.returncode, 0, p.stderr)
        self.assertGreater(kills, 0)
        before = len(export(self.dir))
        p = run("import", self.dir, path, check=0)
        added = int(p.stdout.split()[1])
        self.assertEqual(before + added, n)
        envs = export(self.dir)
        self.assertEqual(len(envs), n)
        self.assertEqual(len({e["item"]["uri"] for e in envs}), n)
        run("verify", self.dir, check=0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
