#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Cross-checks our C ninjs validator with python-jsonschema on the IPTC schema.
"""
Runs every tests/unit/item/ninjs_cases/*.json through
jsonschema.Draft202012Validator with the real ninjs 3.1 schema and checks
that its verdict matches the file name (valid_* or invalid_*). The C unit
test (test_item_ninjs) checks the same names against our validator, so the
two agree; with --c-bin PATH (or MB_NINJS_TEST_BIN) this script also runs
"PATH --verdict FILE..." and compares the two verdicts file by file.

The schema is not part of the repository: it is looked for in
/work/shared/schemas and ../shared/schemas (relative to the repository
root), or in --schema-dir. Without it the check is skipped (exit 77).

Formats: jsonschema checks "uri" only when rfc3987 is installed, and
"date-time" only when rfc3339-validator is. When date-time has no checker
we add one of our own (RFC 3339 section 5.6, written independently of the C
code); when uri has none, the invalid_fmt-uri_* cases are skipped and we
say so.

places[].geoJSON refers to https://geojson.org/schema/GeoJSON.json, which
cannot be fetched here; it is served from a stub that mirrors the C
simplification (an object whose "type" is a GeoJSON type).

Exit status: 0 all agree, 1 a disagreement, 77 skipped.
"""
import argparse
import datetime
import glob
import json
import os
import re
import subprocess
import sys

from jsonschema import Draft202012Validator, FormatChecker

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CASES = os.path.join(REPO, "tests", "unit", "item", "ninjs_cases")
SCHEMA = "ninjs-schema_3.1.json"
GEOJSON_URI = "https://geojson.org/schema/GeoJSON.json"
GEOJSON_STUB = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
        "MultiPolygon", "GeometryCollection", "Feature", "FeatureCollection",
    ]}},
}

RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"([Zz]|[+-](\d{2}):(\d{2}))", re.ASCII)


def date_time(s):
    """RFC 3339 date-time; a leap second only at 23:59:60 UTC."""
    if not isinstance(s, str):
        return True
    m = RFC3339.fullmatch(s)
    if not m:
        return False
    y, mo, d, h, mi, sec = (int(m.group(i)) for i in range(1, 7))
    try:
        datetime.date(y, mo, d)
    except ValueError:
        return False
    if h > 23 or mi > 59 or sec > 60:
        return False
    off = 0
    if m.group(8) not in ("Z", "z"):
        oh, om = int(m.group(9)), int(m.group(10))
        if oh > 23 or om > 59:
            return False
        off = (oh * 60 + om) * (1 if m.group(8)[0] == "+" else -1)
    if sec == 60 and (h * 60 + mi - off) % 1440 != 23 * 60 + 59:
        return False
    return True


def find_schema(opt):
    for d in ([opt] if opt else []) + ["/work/shared/schemas",
                                       os.path.join(REPO, "..", "shared",
                                                    "schemas")]:
        p = os.path.join(d, SCHEMA)
        if os.path.isfile(p):
            return p
    return None


def make_validator(schema, checker):
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
        reg = Registry().with_resource(
            GEOJSON_URI, Resource.from_contents(GEOJSON_STUB, DRAFT202012))
        return Draft202012Validator(schema, registry=reg,
                                    format_checker=checker)
    except ImportError:
        from jsonschema import RefResolver
        res = RefResolver.from_schema(schema,
                                      store={GEOJSON_URI: GEOJSON_STUB})
        return Draft202012Validator(schema, resolver=res,
                                    format_checker=checker)


def version():
    try:
        from importlib.metadata import version as v
        return v("jsonschema")
    except Exception:
        return "?"


def c_verdicts(binary, files):
    out = subprocess.run([binary, "--verdict"] + files, check=True,
                         capture_output=True, text=True).stdout
    v = {}
    for line in out.splitlines():
        parts = line.split("\t")
        v[parts[0]] = (parts[1] == "valid",
                       parts[2] if len(parts) > 2 else "")
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schema-dir")
    ap.add_argument("--c-bin", default=os.environ.get("MB_NINJS_TEST_BIN"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    path = find_schema(args.schema_dir)
    if path is None:
        print("schema_check: skipped: %s not found (looked in "
              "/work/shared/schemas and ../shared/schemas)" % SCHEMA)
        return 77
    with open(path) as f:
        schema = json.load(f)

    checker = FormatChecker()
    notes = []
    if "date-time" not in checker.checkers:
        checker.checks("date-time")(date_time)
        notes.append("date-time: rfc3339-validator is missing; using this "
                     "script's own RFC 3339 checker")
    skip_uri = "uri" not in checker.checkers
    if skip_uri:
        notes.append("uri: rfc3987 is missing; invalid_fmt-uri_* skipped")
    validator = make_validator(schema, checker)

    files = sorted(glob.glob(os.path.join(CASES, "*.json")))
    cv = c_verdicts(args.c_bin, files) if args.c_bin else {}
    bad = checked = 0
    for p in files:
        name = os.path.basename(p)
        if name.startswith("valid_"):
            want = True
        elif name.startswith("invalid_"):
            want = False
        else:
            print("%s: name must start valid_ or invalid_" % name)
            bad += 1
            continue
        if skip_uri and name.startswith("invalid_fmt-uri_"):
            continue
        with open(p) as f:
            inst = json.load(f)
        errs = list(validator.iter_errors(inst))
        got = not errs
        checked += 1
        if got != want:
            bad += 1
            print("%s: python-jsonschema says %s" %
                  (name, "valid" if got else "invalid"))
            for e in errs[:3]:
                print("    %s: %s" % ("/".join(map(str, e.absolute_path)),
                                      e.message[:200]))
        elif args.verbose and errs:
            print("%s: %s" % (name, errs[0].message[:120]))
        if cv:
            cgot, why = cv[p]
            if cgot != got:
                bad += 1
                print("%s: C says %s (%s), python-jsonschema %s" %
                      (name, "valid" if cgot else "invalid", why,
                       "valid" if got else "invalid"))
            elif args.verbose and why:
                print("%s: C: %s" % (name, why))
    for n in notes:
        print("schema_check: note: " + n)
    print("schema_check: %d cases, %d checked by python-jsonschema %s%s, "
          "%d disagreements" % (len(files), checked, version(),
                                " and C" if cv else "", bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
