/* SPDX-License-Identifier: MIT */
/* Validation of an item against the IPTC ninjs 3.1 JSON Schema, compiled in. */
#include "ninjs.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"

/*
 * The schema (IPTC ninjs 3.1, draft 2020-12, CC BY 4.0) is not read at run
 * time: every rule is carried below as static tables, one struct otype per
 * object of the schema and one struct vtype per kind of value, and a small
 * interpreter walks the item along them. The first error ends the walk.
 *
 * Where this differs from a general JSON Schema validator, on purpose:
 * - places[].geoJSON refers to the external GeoJSON schema; we accept any
 *   object whose "type" member names a GeoJSON type and look no deeper.
 * - associations nest at most MAX_NEST deep (the schema has no limit), so
 *   that a hostile item cannot make the walk recurse without end.
 * - "uri" is checked against the RFC 3986 URI grammar by hand: scheme,
 *   authority (userinfo, host, port; IPv6 literals), path, query, fragment
 *   with only their allowed characters and valid %XX escapes.
 * - eventDetails.dates.recurrence.recurrenceDates is "type": "array" and
 *   also refers to truncatedDateTimeType, whose type is "string": no value
 *   can be both, so the schema rejects the member whatever it holds. We
 *   follow the schema and say so in the message (an upstream bug, still in
 *   the 3.3 draft).
 */

/* Association nesting deeper than this is refused. */
#define MAX_NEST	8
/* Path segments; the schema's depth with MAX_NEST needs under 30. */
#define MAX_SEG		64

enum vkind {
	V_STRING,	/* "type": "string", maybe with a format or an enum */
	V_INTEGER,	/* "type": "integer": a number without fraction */
	V_NUMBER,	/* "type": "number" */
	V_OBJECT,	/* an object described by obj */
	V_ARRAY,	/* an array whose items are described by items */
	V_GEOJSON,	/* the external GeoJSON schema, simplified */
	V_NEVER		/* recurrenceDates: array and string at once */
};

enum vfmt {
	F_NONE,
	F_ENUM,		/* one of enumv */
	F_URI,		/* "format": "uri" */
	F_DATE_TIME,	/* "format": "date-time" (RFC 3339) */
	F_TRUNCATED	/* truncatedDateTimeType's pattern */
};

/* Object rules beyond required members: the schema's oneOf / anyOf. */
enum orule {
	R_NONE,
	R_CONTACT,	/* oneOf required value | required address */
	R_RIGHTS,	/* oneOf required linkedRights | encodedRights */
	R_DATES		/* anyOf(oneOf start/expected, oneOf end/expected) */
};

struct otype;

struct vtype {
	uint8_t			 kind;
	uint8_t			 fmt;
	bool			 ranged;	/* min and max apply */
	int			 min, max;
	const char *const	*enumv;		/* NULL-terminated */
	const char		*enumtxt;	/* the same, for messages */
	const struct otype	*obj;		/* V_OBJECT */
	const struct vtype	*items;		/* V_ARRAY */
};

struct field {
	const char		*name;
	size_t			 len;
	const struct vtype	*vt;
};

struct otype {
	const struct field	*fields;
	size_t			 nfields;
	const struct field	*more;	/* allowed too (ninjsType) */
	size_t			 nmore;
	const char		*req[2];	/* required members */
	uint8_t			 rule;
	bool			 assoc;	/* counts toward MAX_NEST */
};

#define F(n, v)		{ n, sizeof(n) - 1, &(v) }
#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))
#define OT(f)		.fields = (f), .nfields = NFIELDS(f)
#define OBJ(ot)		{ .kind = V_OBJECT, .obj = &(ot) }
#define ARR(vt)		{ .kind = V_ARRAY, .items = &(vt) }
#define ENUM(e, txt)	{ .kind = V_STRING, .fmt = F_ENUM, .enumv = (e), \
			  .enumtxt = (txt) }
#define RANGE(lo, hi)	{ .kind = V_INTEGER, .ranged = true, .min = (lo), \
			  .max = (hi) }

/* Scalars. */
static const struct vtype v_str = { .kind = V_STRING };
static const struct vtype v_uri = { .kind = V_STRING, .fmt = F_URI };
static const struct vtype v_dt = { .kind = V_STRING, .fmt = F_DATE_TIME };
static const struct vtype v_trunc = { .kind = V_STRING, .fmt = F_TRUNCATED };
static const struct vtype v_int = { .kind = V_INTEGER };
static const struct vtype v_num = { .kind = V_NUMBER };
static const struct vtype v_urgency = RANGE(1, 9);
static const struct vtype v_percent = RANGE(0, 100);
static const struct vtype v_geojson = { .kind = V_GEOJSON };
static const struct vtype v_never = { .kind = V_NEVER };
static const struct vtype v_strs = ARR(v_str);

/* Enums. */
static const char *const e_nature[] = { "text", "audio", "video", "picture",
	"graphic", "composite", "component", "event", "planning", NULL };
static const char *const e_repr[] = { "full", "partial", NULL };
static const char *const e_pubstatus[] = { "usable", "withheld", "canceled",
	NULL };
static const char *const e_scan[] = { "progressive", "interlaced", NULL };
static const char *const e_freq[] = { "secondly", "minutely", "hourly",
	"daily", "weekly", "monthly", "yearly", NULL };
static const char *const e_geojson[] = { "Point", "MultiPoint",
	"LineString", "MultiLineString", "Polygon", "MultiPolygon",
	"GeometryCollection", "Feature", "FeatureCollection", NULL };

static const struct vtype v_nature = ENUM(e_nature, "text, audio, video, "
    "picture, graphic, composite, component, event, planning");
static const struct vtype v_repr = ENUM(e_repr, "full, partial");
static const struct vtype v_pubstatus = ENUM(e_pubstatus,
    "usable, withheld, canceled");
static const struct vtype v_scan = ENUM(e_scan, "progressive, interlaced");
static const struct vtype v_freq = ENUM(e_freq, "secondly, minutely, "
    "hourly, daily, weekly, monthly, yearly");
static const struct vtype v_geojson_type = ENUM(e_geojson, "Point, "
    "MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, "
    "GeometryCollection, Feature, FeatureCollection");

/* $defs/contactInfoType */
static const struct field address_f[] = {
	F("lines", v_strs), F("locality", v_str), F("area", v_str),
	F("postalCode", v_str), F("country", v_str),
};
static const struct otype address_ot = { OT(address_f) };
static const struct vtype v_address = OBJ(address_ot);
static const struct field contact_f[] = {
	F("type", v_str), F("role", v_str), F("lang", v_str),
	F("name", v_str), F("value", v_str), F("address", v_address),
};
static const struct otype contact_ot = { OT(contact_f),
	.rule = R_CONTACT };
static const struct vtype v_contact = OBJ(contact_ot);
static const struct vtype v_contacts = ARR(v_contact);

/* $defs/organisationType */
static const struct field symbol_f[] = {
	F("exchange", v_str), F("symbolType", v_uri), F("symbol", v_str),
};
static const struct otype symbol_ot = { OT(symbol_f) };
static const struct vtype v_symbol = OBJ(symbol_ot);
static const struct vtype v_symbols = ARR(v_symbol);
static const struct field org_f[] = {
	F("name", v_str), F("rel", v_str), F("uri", v_uri),
	F("literal", v_str), F("symbols", v_symbols),
	F("contactInfo", v_contacts),
};
static const struct otype org_ot = { OT(org_f) };
static const struct vtype v_org = OBJ(org_ot);
static const struct vtype v_orgs = ARR(v_org);

/* $defs/renditionType */
static const struct field poi_f[] = { F("x", v_int), F("y", v_int) };
static const struct otype poi_ot = { OT(poi_f) };
static const struct vtype v_poi = OBJ(poi_ot);
static const struct field rendition_f[] = {
	F("name", v_str), F("href", v_uri), F("contentType", v_str),
	F("title", v_str), F("width", v_int), F("height", v_int),
	F("sizeInBytes", v_int), F("duration", v_num), F("format", v_str),
	F("aspectRatio", v_str), F("videoCodec", v_str),
	F("frameRate", v_num), F("poi", v_poi),
	F("transportProtocol", v_str), F("scanType", v_scan),
	F("bitrate", v_str),
};
static const struct otype rendition_ot = { OT(rendition_f),
	.req = { "name" } };
static const struct vtype v_rendition = OBJ(rendition_ot);
static const struct vtype v_renditions = ARR(v_rendition);

/* $defs/commissionedType */
static const struct field reference_f[] = {
	F("name", v_str), F("value", v_str),
};
static const struct otype reference_ot = { OT(reference_f) };
static const struct vtype v_reference = OBJ(reference_ot);
static const struct vtype v_references = ARR(v_reference);
static const struct field commissioned_f[] = {
	F("by", v_str), F("on", v_dt), F("references", v_references),
};
static const struct otype commissioned_ot = { OT(commissioned_f) };
static const struct vtype v_commissioned = OBJ(commissioned_ot);

/* $defs/datesObjectType */
static const struct field rrule_f[] = {
	F("frequency", v_freq), F("interval", v_int), F("until", v_dt),
	F("count", v_int),
};
static const struct otype rrule_ot = { OT(rrule_f) };
static const struct vtype v_rrule = OBJ(rrule_ot);
static const struct vtype v_rrules = ARR(v_rrule);
static const struct field recurrence_f[] = {
	F("recurrenceDates", v_never), F("recurrenceRules", v_rrules),
};
static const struct otype recurrence_ot = { OT(recurrence_f) };
static const struct vtype v_recurrence = OBJ(recurrence_ot);
static const struct field dates_f[] = {
	F("startDate", v_dt), F("endDate", v_dt),
	F("expectedStartDate", v_trunc), F("expectedEndDate", v_trunc),
	F("expectedDuration", v_str), F("recurrence", v_recurrence),
};
static const struct otype dates_ot = { OT(dates_f),
	.rule = R_DATES };
static const struct vtype v_dates = OBJ(dates_ot);

/* ninjsType: descriptions, bodies, headlines. */
static const struct field text_f[] = {
	F("role", v_str), F("contentType", v_str), F("value", v_str),
};
static const struct otype text_ot = { OT(text_f),
	.req = { "value" } };
static const struct vtype v_text = OBJ(text_ot);
static const struct vtype v_texts = ARR(v_text);
static const struct field body_f[] = {
	F("role", v_str), F("contentType", v_str), F("charCount", v_int),
	F("wordCount", v_int), F("value", v_str),
};
static const struct otype body_ot = { OT(body_f),
	.req = { "value" } };
static const struct vtype v_body = OBJ(body_ot);
static const struct vtype v_bodies = ARR(v_body);

/* ninjsType: people, places, subjects, events, objects, infoSources. */
static const struct field person_f[] = {
	F("name", v_str), F("rel", v_str), F("uri", v_uri),
	F("literal", v_str), F("contactInfo", v_contacts),
};
static const struct otype person_ot = { OT(person_f) };
static const struct vtype v_person = OBJ(person_ot);
static const struct vtype v_people = ARR(v_person);
static const struct field place_f[] = {
	F("name", v_str), F("rel", v_str), F("uri", v_uri),
	F("literal", v_str), F("contactInfo", v_contacts),
	F("geoJSON", v_geojson),
};
static const struct otype place_ot = { OT(place_f) };
static const struct vtype v_place = OBJ(place_ot);
static const struct vtype v_places = ARR(v_place);
static const struct field subject_f[] = {
	F("name", v_str), F("rel", v_str), F("uri", v_uri),
	F("literal", v_str), F("creator", v_str),
	F("relevance", v_percent), F("confidence", v_percent),
};
static const struct otype subject_ot = { OT(subject_f) };
static const struct vtype v_subject = OBJ(subject_ot);
static const struct vtype v_subjects = ARR(v_subject);
static const struct field event_f[] = {
	F("id", v_str), F("name", v_str), F("rel", v_str), F("uri", v_uri),
	F("literal", v_str),
};
static const struct otype event_ot = { OT(event_f) };
static const struct vtype v_event = OBJ(event_ot);
static const struct vtype v_events = ARR(v_event);
static const struct field object_f[] = {
	F("name", v_str), F("rel", v_str), F("uri", v_uri),
	F("literal", v_str),
};
static const struct otype object_ot = { OT(object_f) };
static const struct vtype v_object = OBJ(object_ot);
static const struct vtype v_objects = ARR(v_object);
static const struct field source_f[] = {
	F("name", v_str), F("role", v_str), F("uri", v_uri),
	F("literal", v_str), F("contactInfo", v_contacts),
};
static const struct otype source_ot = { OT(source_f) };
static const struct vtype v_source = OBJ(source_ot);
static const struct vtype v_sources = ARR(v_source);

/* ninjsType: eventDetails. */
static const struct field evdetails_f[] = {
	F("eventStatus", v_uri), F("plannedCoverageStatus", v_uri),
	F("dates", v_dates), F("organiser", v_org),
};
static const struct otype evdetails_ot = { OT(evdetails_f) };
static const struct vtype v_evdetails = OBJ(evdetails_ot);

/* ninjsType: plannedCoverage. */
static const struct field audience_f[] = {
	F("audience", v_str), F("significance", v_int),
};
static const struct otype audience_ot = { OT(audience_f) };
static const struct vtype v_audience = OBJ(audience_ot);
static const struct vtype v_audiences = ARR(v_audience);
static const struct field count_f[] = {
	F("rangeFrom", v_int), F("rangeTo", v_int),
};
static const struct otype count_ot = { OT(count_f) };
static const struct vtype v_count = OBJ(count_ot);
static const struct field coverage_f[] = {
	F("uri", v_uri), F("title", v_str), F("pubStatus", v_pubstatus),
	F("type", v_nature), F("commissioned", v_commissioned),
	F("dates", v_dates), F("audiences", v_audiences),
	F("exclAudience", v_strs), F("edNote", v_str),
	F("urgency", v_urgency), F("language", v_str),
	F("itemCount", v_count), F("wordCount", v_int),
	F("renditions", v_renditions),
};
static const struct otype coverage_ot = { OT(coverage_f) };
static const struct vtype v_coverage = OBJ(coverage_ot);
static const struct vtype v_coverages = ARR(v_coverage);

/* ninjsType: altIds, trustIndicators, standard, genres, rights, source. */
static const struct field altid_f[] = {
	F("role", v_str), F("value", v_str),
};
static const struct otype altid_ot = { OT(altid_f) };
static const struct vtype v_altid = OBJ(altid_ot);
static const struct vtype v_altids = ARR(v_altid);
static const struct field trust_f[] = {
	F("role", v_uri), F("title", v_str), F("href", v_uri),
};
static const struct otype trust_ot = { OT(trust_f) };
static const struct vtype v_trust = OBJ(trust_ot);
static const struct vtype v_trusts = ARR(v_trust);
static const struct field standard_f[] = {
	F("name", v_str), F("version", v_str), F("schema", v_uri),
};
static const struct otype standard_ot = { OT(standard_f) };
static const struct vtype v_standard = OBJ(standard_ot);
/* genres[].uri has no "format" in 3.1, unlike every other uri. */
static const struct field genre_f[] = {
	F("name", v_str), F("uri", v_str), F("literal", v_str),
};
static const struct otype genre_ot = { OT(genre_f) };
static const struct vtype v_genre = OBJ(genre_ot);
static const struct vtype v_genres = ARR(v_genre);
static const struct field rights_f[] = {
	F("langId", v_uri), F("linkedRights", v_uri),
	F("encodedRights", v_str),
};
static const struct otype rights_ot = { OT(rights_f),
	.rule = R_RIGHTS };
static const struct vtype v_rights = OBJ(rights_ot);
static const struct field dst_f[] = {
	F("name", v_str), F("uri", v_uri), F("literal", v_str),
};
static const struct otype dst_ot = { OT(dst_f) };
static const struct vtype v_dst = OBJ(dst_ot);

/*
 * $defs/ninjsType, in the schema's order: producers tend to write members
 * in that order, and lookup() starts where the last match was.
 */
static const struct otype assoc_ot;
static const struct vtype v_assoc = OBJ(assoc_ot);
static const struct vtype v_assocs = ARR(v_assoc);
static const struct field ninjs_f[] = {
	F("uri", v_uri), F("type", v_nature),
	F("representationType", v_repr), F("profile", v_str),
	F("version", v_str), F("firstCreated", v_dt),
	F("versionCreated", v_dt), F("contentCreated", v_dt),
	F("embargoedUntil", v_dt), F("pubStatus", v_pubstatus),
	F("urgency", v_urgency), F("copyrightHolder", v_str),
	F("copyrightNotice", v_str), F("usageTerms", v_str),
	F("edNote", v_str), F("language", v_str),
	F("descriptions", v_texts), F("bodies", v_bodies),
	F("headlines", v_texts), F("people", v_people),
	F("organisations", v_orgs), F("places", v_places),
	F("subjects", v_subjects), F("events", v_events),
	F("eventDetails", v_evdetails), F("plannedCoverage", v_coverages),
	F("objects", v_objects), F("infoSources", v_sources),
	F("title", v_str), F("by", v_str), F("slugline", v_str),
	F("located", v_str), F("renditions", v_renditions),
	F("associations", v_assocs), F("altIds", v_altids),
	F("trustIndicators", v_trusts), F("standard", v_standard),
	F("genres", v_genres), F("expires", v_dt), F("rightsInfo", v_rights),
	F("digitalSourceType", v_dst),
};

/* The root: ninjsType, uri required, unevaluatedProperties false. */
static const struct otype root_ot = { OT(ninjs_f),
	.req = { "uri" } };

/*
 * associations[]: ninjsType plus name and rel, name and uri required,
 * unevaluatedProperties false (so ninjsType's members count as evaluated).
 */
static const struct field assoc_f[] = {
	F("name", v_str), F("rel", v_str),
};
static const struct otype assoc_ot = { OT(assoc_f), .more = ninjs_f,
	.nmore = NFIELDS(ninjs_f), .req = { "name", "uri" }, .assoc = true };

/* Where the walk is: the path as a stack of keys and indexes. */
struct seg {
	const char	*key;	/* NULL for an array index */
	size_t		 n;	/* the key's length, or the index */
};

struct walk {
	struct mb_diag	*d;
	int		 nseg;
	int		 nest;
	struct seg	 seg[MAX_SEG];
};

static int	check_value(struct walk *, const struct vtype *,
		    const json_t *);

/* Appends s[0..n) to out (size sz, used *len), control bytes as '?'. */
static void
put(char *out, size_t sz, size_t *len, const char *s, size_t n)
{
	for (size_t i = 0; i < n && *len + 1 < sz; i++) {
		unsigned char c = (unsigned char)s[i];

		out[(*len)++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[*len] = '\0';
}

/*
 * Records the first error: "path: why". The path is rendered only here,
 * so the walk itself costs nothing for it.
 */
static int __attribute__((format(printf, 2, 3)))
fail(struct walk *w, const char *fmt, ...)
{
	char	path[256], why[256], num[24];
	size_t	len = 0;
	va_list	ap;

	if (w->d == NULL)
		return MB_ERR_INVAL;
	path[0] = '\0';
	if (w->nseg == 0)
		put(path, sizeof(path), &len, "item", 4);
	for (int i = 0; i < w->nseg; i++) {
		const struct seg *s = &w->seg[i];

		if (s->key == NULL) {
			snprintf(num, sizeof(num), "[%zu]", s->n);
			put(path, sizeof(path), &len, num, strlen(num));
			continue;
		}
		if (i > 0)
			put(path, sizeof(path), &len, ".", 1);
		if (s->n == 0)
			put(path, sizeof(path), &len, "\"\"", 2);
		else
			put(path, sizeof(path), &len, s->key, s->n);
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return mb_diag_set(w->d, MB_ERR_INVAL, "%s: %s", path, why);
}

static int
push(struct walk *w, const char *key, size_t n)
{
	if (w->nseg == MAX_SEG)
		return fail(w, "nested too deeply");
	w->seg[w->nseg].key = key;
	w->seg[w->nseg].n = n;
	w->nseg++;
	return MB_OK;
}

/* --- Formats ------------------------------------------------------------ */

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
is_unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' ||
	    c == '_' || c == '~';
}

static bool
is_subdelim(int c)
{
	return c != '\0' && strchr("!$&'()*+,;=", c) != NULL;
}

/*
 * Scans s[*i..e) while the bytes are unreserved, sub-delims, %XX or one of
 * extra; false on a bad %-escape.
 */
static bool
scan(const char *s, size_t *i, size_t e, const char *extra)
{
	while (*i < e) {
		int c = (unsigned char)s[*i];

		if (c == '%') {
			if (*i + 2 >= e || !is_hex(s[*i + 1]) ||
			    !is_hex(s[*i + 2]))
				return false;
			*i += 3;
		} else if (is_unreserved(c) || is_subdelim(c) ||
		    (c != '\0' && strchr(extra, c) != NULL)) {
			(*i)++;
		} else {
			break;
		}
	}
	return true;
}

/* A dotted-quad IPv4 address: four dec-octets, no leading zeros. */
static bool
ipv4_ok(const char *s, size_t n)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t		d0;
		unsigned	v = 0;

		if (part > 0 && (i >= n || s[i++] != '.'))
			return false;
		for (d0 = i; i < n && is_digit(s[i]) && i - d0 < 3; i++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (i == d0 || v > 255 || (i - d0 > 1 && s[d0] == '0'))
			return false;
	}
	return i == n;
}

/*
 * An IPv6 address (RFC 3986 3.2.2): eight h16 groups, or fewer with one
 * "::", the last two maybe written as an IPv4 address.
 */
static bool
ipv6_ok(const char *s, size_t n)
{
	size_t	i = 0;
	int	groups = 0;
	bool	gap = false;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = true;
		i = 2;
	}
	while (i < n) {
		size_t start = i;

		while (i < n && is_hex(s[i]))
			i++;
		if (i < n && s[i] == '.') {
			if (!ipv4_ok(s + start, n - start))
				return false;
			groups += 2;
			break;
		}
		if (i == start || i - start > 4)
			return false;
		groups++;
		if (i == n)
			break;
		if (s[i++] != ':')
			return false;
		if (i < n && s[i] == ':') {
			if (gap)
				return false;
			gap = true;
			i++;
		} else if (i == n) {
			return false;	/* a lone trailing ':' */
		}
	}
	return gap ? groups <= 7 : groups == 8;
}

/* "[" ( IPv6address / IPvFuture ) "]" without the brackets. */
static bool
ip_literal_ok(const char *s, size_t n)
{
	size_t i = 1;

	if (n > 0 && (s[0] == 'v' || s[0] == 'V')) {
		while (i < n && is_hex(s[i]))
			i++;
		if (i == 1 || i >= n || s[i] != '.' || i + 1 == n)
			return false;
		for (i++; i < n; i++)
			if (!is_unreserved(s[i]) && !is_subdelim(s[i]) &&
			    s[i] != ':')
				return false;
		return true;
	}
	return ipv6_ok(s, n);
}

/*
 * An absolute URI per RFC 3986: scheme ":" hier-part [ "?" query ]
 * [ "#" fragment ]. ASCII only (an IRI is not a "uri").
 */
static bool
uri_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_alpha(s[0]))
		return false;
	while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' ||
	    s[i] == '-' || s[i] == '.'))
		i++;
	if (i == n || s[i] != ':')
		return false;
	i++;
	if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		size_t a, e, at, h;

		a = i + 2;
		for (e = a; e < n && s[e] != '/' && s[e] != '?' &&
		    s[e] != '#'; e++)
			;
		at = a;
		for (size_t k = a; k < e; k++)
			if (s[k] == '@') {
				at = k + 1;
				break;
			}
		if (at > a) {
			/* userinfo: unreserved, %XX, sub-delims, ":" */
			h = a;
			if (!scan(s, &h, at - 1, ":") || h != at - 1)
				return false;
		}
		h = at;
		if (h < e && s[h] == '[') {
			size_t c = h + 1;

			while (c < e && s[c] != ']')
				c++;
			if (c == e || !ip_literal_ok(s + h + 1, c - h - 1))
				return false;
			h = c + 1;
		} else if (!scan(s, &h, e, "")) {
			return false;
		}
		if (h < e && s[h] == ':')
			for (h++; h < e && is_digit(s[h]); h++)
				;
		if (h != e)
			return false;
		i = e;
	}
	/* path, then query, then fragment */
	if (!scan(s, &i, n, ":@/"))
		return false;
	if (i < n && s[i] == '?') {
		i++;
		if (!scan(s, &i, n, ":@/?"))
			return false;
	}
	if (i < n && s[i] == '#') {
		i++;
		if (!scan(s, &i, n, ":@/?"))
			return false;
	}
	return i == n;
}

/*
 * RFC 3339 date-time (the "date-time" production of section 5.6; "T" and
 * "Z" in either case). mb_time_parse checks every field's range; it also
 * takes a space for "T", which the production does not. A leap second
 * (ss = 60) is allowed only at 23:59:60 UTC.
 */
static bool
date_time_ok(const char *s, size_t n)
{
	int64_t ms;

	if (n < 20 || strlen(s) != n || s[10] == ' ')
		return false;
	if (mb_time_parse(s, &ms) != MB_OK)
		return false;
	if (s[17] == '6') {
		int64_t sod = ms / 1000 % 86400;

		if (sod < 0)
			sod += 86400;
		/* mb_time_parse reads :60 as :59 */
		if (sod != 86399)
			return false;
	}
	return true;
}

/* Two digits from 00 up to hi0 hi1, e.g. 23 for hours, 59 for minutes. */
static bool
two(const char *p, char hi0, char hi1)
{
	return p[0] >= '0' && p[0] <= hi0 && is_digit(p[1]) &&
	    (p[0] < hi0 || p[1] <= hi1);
}

static bool
month_ok(const char *p)
{
	return (p[0] == '0' && p[1] >= '1' && p[1] <= '9') ||
	    (p[0] == '1' && p[1] >= '0' && p[1] <= '2');
}

static bool
day_ok(const char *p)
{
	return (p[0] == '0' && p[1] >= '1' && p[1] <= '9') ||
	    ((p[0] == '1' || p[0] == '2') && is_digit(p[1])) ||
	    (p[0] == '3' && (p[1] == '0' || p[1] == '1'));
}

/*
 * truncatedDateTimeType, whose pattern is
 *   ^(-?(?:[1-9][0-9]*)?[0-9]{4})(-(1[0-2]|0[1-9])(-(3[01]|0[1-9]|[12][0-9])
 *   (T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?
 *   (Z|[+-](?:2[0-3]|[01][0-9]):[0-5][0-9])?)?)?)?$
 * as code: a year of 4 digits (more only without a leading 0, maybe
 * negative), then optionally -MM, -DD, Thh:mm:ss[.f][zone] in turn. The
 * pattern checks no calendar (2023-02-31 passes), and neither do we.
 */
static bool
truncated_ok(const char *s, size_t n)
{
	const char	*p = s, *e = s + n, *y;

	if (p < e && *p == '-')
		p++;
	for (y = p; p < e && is_digit(*p); p++)
		;
	if (p - y < 4 || (p - y > 4 && *y == '0'))
		return false;
	if (p == e)
		return true;
	if (e - p < 3 || p[0] != '-' || !month_ok(p + 1))
		return false;
	if ((p += 3) == e)
		return true;
	if (e - p < 3 || p[0] != '-' || !day_ok(p + 1))
		return false;
	if ((p += 3) == e)
		return true;
	if (e - p < 9 || p[0] != 'T' || !two(p + 1, '2', '3') ||
	    p[3] != ':' || !two(p + 4, '5', '9') || p[6] != ':' ||
	    !two(p + 7, '5', '9'))
		return false;
	p += 9;
	if (p < e && *p == '.') {
		if (++p == e || !is_digit(*p))
			return false;
		while (p < e && is_digit(*p))
			p++;
	}
	if (p == e)
		return true;
	if (*p == 'Z')
		return p + 1 == e;
	return (*p == '+' || *p == '-') && e - p == 6 &&
	    two(p + 1, '2', '3') && p[3] == ':' &&
	    two(p + 4, '5', '9');
}

/* --- The walk ----------------------------------------------------------- */

/*
 * The field named key[0..n), looked up from *hint on, round the table:
 * members usually come in the table's order, so this is mostly one compare.
 */
static const struct vtype *
lookup(const struct field *f, size_t nf, const char *key, size_t n,
    size_t *hint)
{
	size_t i = *hint;

	for (size_t k = 0; k < nf; k++, i = i + 1 == nf ? 0 : i + 1) {
		if (f[i].len == n && f[i].name[0] == key[0] &&
		    memcmp(f[i].name, key, n) == 0) {
			*hint = i + 1 == nf ? 0 : i + 1;
			return f[i].vt;
		}
	}
	return NULL;
}

static int
check_rule(struct walk *w, const struct otype *ot, const json_t *o)
{
	bool a, b, c, d;

	switch (ot->rule) {
	case R_CONTACT:
		a = json_object_get(o, "value") != NULL;
		b = json_object_get(o, "address") != NULL;
		if (a == b)
			return fail(w, "must have exactly one of value, "
			    "address");
		break;
	case R_RIGHTS:
		a = json_object_get(o, "linkedRights") != NULL;
		b = json_object_get(o, "encodedRights") != NULL;
		if (a == b)
			return fail(w, "must have exactly one of "
			    "linkedRights, encodedRights");
		break;
	case R_DATES:
		/* anyOf: either pair may hold exactly one of its two. */
		a = json_object_get(o, "startDate") != NULL;
		b = json_object_get(o, "expectedStartDate") != NULL;
		c = json_object_get(o, "endDate") != NULL;
		d = json_object_get(o, "expectedEndDate") != NULL;
		if (a == b && c == d)
			return fail(w, "must have exactly one of startDate, "
			    "expectedStartDate or exactly one of endDate, "
			    "expectedEndDate");
		break;
	}
	return MB_OK;
}

static int
check_object(struct walk *w, const struct otype *ot, const json_t *o)
{
	json_t			*obj = (json_t *)o; /* only read */
	void			*it;
	const struct vtype	*vt;
	size_t			 hint = 0, mhint = 0;
	int			 rc;

	if (ot->assoc && ++w->nest > MAX_NEST)
		return fail(w, "associations nested deeper than %d levels",
		    MAX_NEST);
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		const char	*key = json_object_iter_key(it);
		size_t		 n = json_object_iter_key_len(it);

		vt = lookup(ot->fields, ot->nfields, key, n, &hint);
		if (vt == NULL && ot->more != NULL)
			vt = lookup(ot->more, ot->nmore, key, n, &mhint);
		if ((rc = push(w, key, n)) != MB_OK)
			return rc;
		if (vt == NULL)
			return fail(w, "not a ninjs 3.1 field");
		if ((rc = check_value(w, vt, json_object_iter_value(it))) !=
		    MB_OK)
			return rc;
		w->nseg--;
	}
	for (size_t i = 0; i < 2 && ot->req[i] != NULL; i++)
		if (json_object_get(o, ot->req[i]) == NULL)
			return fail(w, "missing required field %s",
			    ot->req[i]);
	if ((rc = check_rule(w, ot, o)) != MB_OK)
		return rc;
	if (ot->assoc)
		w->nest--;
	return MB_OK;
}

static int
check_integer(struct walk *w, const struct vtype *vt, const json_t *v)
{
	double x;

	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);

		if (vt->ranged && (i < vt->min || i > vt->max))
			goto range;
		return MB_OK;
	}
	/* JSON Schema: an integer is any number without a fraction, 5.0 too */
	if (!json_is_real(v))
		return fail(w, "must be an integer");
	x = json_real_value(v);
	if (x != floor(x))
		return fail(w, "must be an integer");
	if (vt->ranged && (x < vt->min || x > vt->max))
		goto range;
	return MB_OK;
range:
	return fail(w, "must be between %d and %d", vt->min, vt->max);
}

static int
check_string(struct walk *w, const struct vtype *vt, const json_t *v)
{
	const char	*s;
	size_t		 n;

	if (!json_is_string(v))
		return fail(w, "must be a string");
	s = json_string_value(v);
	n = json_string_length(v);
	switch (vt->fmt) {
	case F_ENUM:
		for (const char *const *e = vt->enumv; *e != NULL; e++)
			if (strlen(*e) == n && memcmp(*e, s, n) == 0)
				return MB_OK;
		return fail(w, "must be one of %s", vt->enumtxt);
	case F_URI:
		if (!uri_ok(s, n))
			return fail(w, "must be an absolute URI (RFC 3986)");
		break;
	case F_DATE_TIME:
		if (!date_time_ok(s, n))
			return fail(w, "must be an RFC 3339 date-time");
		break;
	case F_TRUNCATED:
		if (!truncated_ok(s, n))
			return fail(w, "must be a date-time, maybe truncated "
			    "(YYYY, YYYY-MM, YYYY-MM-DD or "
			    "YYYY-MM-DDThh:mm:ss[.f][Z|+hh:mm])");
		break;
	}
	return MB_OK;
}

static int
check_geojson(struct walk *w, const json_t *v)
{
	const json_t	*t;
	int		 rc;

	if (!json_is_object(v))
		return fail(w, "must be a GeoJSON object");
	if ((t = json_object_get(v, "type")) == NULL)
		return fail(w, "missing required field type");
	if ((rc = push(w, "type", 4)) != MB_OK ||
	    (rc = check_string(w, &v_geojson_type, t)) != MB_OK)
		return rc;
	w->nseg--;
	return MB_OK;
}

static int
check_value(struct walk *w, const struct vtype *vt, const json_t *v)
{
	int rc;

	switch (vt->kind) {
	case V_STRING:
		return check_string(w, vt, v);
	case V_INTEGER:
		return check_integer(w, vt, v);
	case V_NUMBER:
		if (!json_is_number(v))
			return fail(w, "must be a number");
		return MB_OK;
	case V_OBJECT:
		if (!json_is_object(v))
			return fail(w, "must be an object");
		return check_object(w, vt->obj, v);
	case V_ARRAY:
		if (!json_is_array(v))
			return fail(w, "must be an array");
		for (size_t i = 0, n = json_array_size(v); i < n; i++) {
			if ((rc = push(w, NULL, i)) != MB_OK ||
			    (rc = check_value(w, vt->items,
			    json_array_get(v, i))) != MB_OK)
				return rc;
			w->nseg--;
		}
		return MB_OK;
	case V_GEOJSON:
		return check_geojson(w, v);
	case V_NEVER:
		return fail(w, "can never be valid: ninjs 3.1 requires both "
		    "an array and a string here");
	}
	return fail(w, "internal error: unknown kind");
}

int
mb_ninjs_validate(const json_t *item, struct mb_diag *d)
{
	struct walk w;

	w.d = d;
	w.nseg = 0;
	w.nest = 0;
	if (!json_is_object(item))
		return fail(&w, "must be an object");
	return check_object(&w, &root_ot, item);
}
