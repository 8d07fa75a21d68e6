/* SPDX-License-Identifier: MIT */
/* Unit tests for src/item/ninjs: every rule of ninjs 3.1 and the case files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "item/ninjs.h"

#define CASES_DIR	MB_TEST_SRCDIR "/tests/unit/item/ninjs_cases"

/* Loads a JSON file (new reference), failing the test when it cannot. */
static json_t *
load(const char *path)
{
	json_error_t	 err;
	json_t		*j;

	j = json_load_file(path, 0, &err);
	if (j == NULL)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	return j;
}

static json_t *
full_item(void)
{
	return load(CASES_DIR "/valid_full.json");
}

/*
 * Sets the member at ptr ("a/0/b", a JSON pointer without the leading
 * slash) to the JSON text val, or deletes it when val is NULL. An index
 * equal to the array's size appends.
 */
static void
mutate(json_t *root, const char *ptr, const char *val)
{
	char		 buf[256], *seg, *next;
	json_t		*cur = root, *nv = NULL;
	json_error_t	 err;

	if (val != NULL) {
		nv = json_loads(val, JSON_DECODE_ANY, &err);
		if (nv == NULL)
			fail_msg("bad test value %s: %s", val, err.text);
	}
	snprintf(buf, sizeof(buf), "%s", ptr);
	for (seg = buf; (next = strchr(seg, '/')) != NULL; seg = next + 1) {
		*next = '\0';
		cur = json_is_array(cur) ?
		    json_array_get(cur, strtoul(seg, NULL, 10)) :
		    json_object_get(cur, seg);
		if (cur == NULL)
			fail_msg("no %s in %s", seg, ptr);
	}
	if (json_is_array(cur)) {
		size_t i = strtoul(seg, NULL, 10);

		if (nv == NULL)
			assert_int_equal(json_array_remove(cur, i), 0);
		else if (i == json_array_size(cur))
			assert_int_equal(json_array_append_new(cur, nv), 0);
		else
			assert_int_equal(json_array_set_new(cur, i, nv), 0);
	} else if (nv == NULL) {
		assert_int_equal(json_object_del(cur, seg), 0);
	} else {
		assert_int_equal(json_object_set_new(cur, seg, nv), 0);
	}
}

/* One change to the full item and what the validator must say. */
struct rule_case {
	const char	*ptr;
	const char	*val;	/* JSON text; NULL deletes */
	const char	*msg;	/* NULL: still valid */
};

static void
run_cases(const struct rule_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t		*j = full_item();
		struct mb_diag	 d = { "" };
		int		 rc;

		mutate(j, c[i].ptr, c[i].val);
		rc = mb_ninjs_validate(j, &d);
		if (c[i].msg == NULL && rc != MB_OK)
			fail_msg("%s = %s: expected valid, got \"%s\"",
			    c[i].ptr, c[i].val ? c[i].val : "(deleted)", d.msg);
		if (c[i].msg != NULL && (rc != MB_ERR_INVAL ||
		    strcmp(d.msg, c[i].msg) != 0))
			fail_msg("%s = %s: expected \"%s\", got %d \"%s\"",
			    c[i].ptr, c[i].val ? c[i].val : "(deleted)",
			    c[i].msg, rc, d.msg);
		json_decref(j);
	}
}

#define RUN(t)	run_cases((t), sizeof(t) / sizeof((t)[0]))

static void
test_full(void **state)
{
	json_t		*j = full_item();
	struct mb_diag	 d = { "" };

	(void)state;
	assert_int_equal(mb_ninjs_validate(j, &d), MB_OK);
	assert_string_equal(d.msg, "");
	/* A NULL diagnostic is allowed. */
	assert_int_equal(mb_ninjs_validate(j, NULL), MB_OK);
	json_object_set_new(j, "colour", json_string("red"));
	assert_int_equal(mb_ninjs_validate(j, NULL), MB_ERR_INVAL);
	json_decref(j);
}

static void
test_root(void **state)
{
	struct mb_diag	 d = { "" };
	json_t		*j;

	(void)state;
	assert_int_equal(mb_ninjs_validate(NULL, &d), MB_ERR_INVAL);
	assert_string_equal(d.msg, "item: must be an object");
	j = json_array();
	assert_int_equal(mb_ninjs_validate(j, &d), MB_ERR_INVAL);
	assert_string_equal(d.msg, "item: must be an object");
	json_decref(j);
	j = json_object();
	assert_int_equal(mb_ninjs_validate(j, &d), MB_ERR_INVAL);
	assert_string_equal(d.msg, "item: missing required field uri");
	json_object_set_new(j, "uri", json_string("urn:x:1"));
	assert_int_equal(mb_ninjs_validate(j, &d), MB_OK);
	/* Control bytes in an unknown key are not copied into the message. */
	json_object_set_new(j, "a\nb", json_true());
	assert_int_equal(mb_ninjs_validate(j, &d), MB_ERR_INVAL);
	assert_string_equal(d.msg, "a?b: not a ninjs 3.1 field");
	json_decref(j);
}

/* Every rule of ninjsType's own members, broken once. */
static void
test_ninjs_members(void **state)
{
	static const struct rule_case c[] = {
		{ "uri", NULL, "item: missing required field uri" },
		{ "uri", "5", "uri: must be a string" },
		{ "uri", "\"not a uri\"",
		    "uri: must be an absolute URI (RFC 3986)" },
		{ "colour", "\"red\"", "colour: not a ninjs 3.1 field" },
		{ "", "1", "\"\": not a ninjs 3.1 field" },
		/* name and rel belong to associations only */
		{ "name", "\"x\"", "name: not a ninjs 3.1 field" },
		{ "rel", "\"x\"", "rel: not a ninjs 3.1 field" },
		{ "type", "\"photo\"", "type: must be one of text, audio, "
		    "video, picture, graphic, composite, component, event, "
		    "planning" },
		{ "type", "\"planning\"", NULL },
		{ "representationType", "\"some\"",
		    "representationType: must be one of full, partial" },
		{ "representationType", "\"partial\"", NULL },
		{ "profile", "[]", "profile: must be a string" },
		{ "version", "3", "version: must be a string" },
		{ "firstCreated", "\"yesterday\"",
		    "firstCreated: must be an RFC 3339 date-time" },
		{ "versionCreated", "\"2024-05-31\"",
		    "versionCreated: must be an RFC 3339 date-time" },
		{ "contentCreated", "null",
		    "contentCreated: must be a string" },
		{ "embargoedUntil", "\"2024-05-31T10:00:00\"",
		    "embargoedUntil: must be an RFC 3339 date-time" },
		{ "pubStatus", "\"gone\"",
		    "pubStatus: must be one of usable, withheld, canceled" },
		{ "pubStatus", "\"Usable\"",
		    "pubStatus: must be one of usable, withheld, canceled" },
		{ "pubStatus", "\"canceled\"", NULL },
		{ "urgency", "0", "urgency: must be between 1 and 9" },
		{ "urgency", "10", "urgency: must be between 1 and 9" },
		{ "urgency", "-1", "urgency: must be between 1 and 9" },
		{ "urgency", "9.0", NULL },
		{ "urgency", "1", NULL },
		{ "urgency", "9.5", "urgency: must be an integer" },
		{ "urgency", "10.0", "urgency: must be between 1 and 9" },
		{ "urgency", "\"5\"", "urgency: must be an integer" },
		{ "urgency", "true", "urgency: must be an integer" },
		{ "copyrightHolder", "false",
		    "copyrightHolder: must be a string" },
		{ "copyrightNotice", "1", "copyrightNotice: must be a string" },
		{ "usageTerms", "{}", "usageTerms: must be a string" },
		{ "edNote", "1", "edNote: must be a string" },
		{ "language", "1", "language: must be a string" },
		{ "title", "1", "title: must be a string" },
		{ "by", "1", "by: must be a string" },
		{ "slugline", "1", "slugline: must be a string" },
		{ "located", "1", "located: must be a string" },
		{ "expires", "\"2024-12-31 23:59:59Z\"",
		    "expires: must be an RFC 3339 date-time" },
	};

	(void)state;
	RUN(c);
}

/* The arrays and objects inside ninjsType. */
static void
test_nested_members(void **state)
{
	static const struct rule_case c[] = {
		{ "descriptions", "{}", "descriptions: must be an array" },
		{ "descriptions/0", "\"x\"",
		    "descriptions[0]: must be an object" },
		{ "descriptions/0/value", NULL,
		    "descriptions[0]: missing required field value" },
		{ "descriptions/0/lang", "\"en\"",
		    "descriptions[0].lang: not a ninjs 3.1 field" },
		{ "descriptions", "[]", NULL },
		{ "bodies/0/value", NULL,
		    "bodies[0]: missing required field value" },
		{ "bodies/0/charCount", "40.5",
		    "bodies[0].charCount: must be an integer" },
		{ "bodies/0/wordCount", "\"8\"",
		    "bodies[0].wordCount: must be an integer" },
		{ "bodies/0/role", "1", "bodies[0].role: must be a string" },
		{ "headlines/0/value", "5",
		    "headlines[0].value: must be a string" },
		{ "headlines/1/value", NULL,
		    "headlines[1]: missing required field value" },
		{ "headlines/1/contentType", "1",
		    "headlines[1].contentType: must be a string" },
		{ "people/0/uri", "\"jane\"",
		    "people[0].uri: must be an absolute URI (RFC 3986)" },
		{ "people/0/role", "\"x\"",
		    "people[0].role: not a ninjs 3.1 field" },
		{ "people/0/contactInfo/0/address", "{}",
		    "people[0].contactInfo[0]: must have exactly one of "
		    "value, address" },
		{ "people/0/contactInfo/1/address", NULL,
		    "people[0].contactInfo[1]: must have exactly one of "
		    "value, address" },
		{ "people/0/contactInfo/1/address/lines/1", "2",
		    "people[0].contactInfo[1].address.lines[1]: must be a "
		    "string" },
		{ "people/0/contactInfo/1/address/street", "\"x\"",
		    "people[0].contactInfo[1].address.street: not a ninjs "
		    "3.1 field" },
		{ "people/0/contactInfo/0/email", "\"x\"",
		    "people[0].contactInfo[0].email: not a ninjs 3.1 field" },
		{ "organisations/0/symbols/0/symbolType", "\"ticker\"",
		    "organisations[0].symbols[0].symbolType: must be an "
		    "absolute URI (RFC 3986)" },
		{ "organisations/0/symbols/0/isin", "\"x\"",
		    "organisations[0].symbols[0].isin: not a ninjs 3.1 "
		    "field" },
		{ "organisations/0/contactInfo/0", "{\"name\":\"x\"}",
		    "organisations[0].contactInfo[0]: must have exactly one "
		    "of value, address" },
		{ "organisations/0", "[]",
		    "organisations[0]: must be an object" },
		{ "places/0/geoJSON", "\"point\"",
		    "places[0].geoJSON: must be a GeoJSON object" },
		{ "places/0/geoJSON", "{\"coordinates\":[1,2]}",
		    "places[0].geoJSON: missing required field type" },
		{ "places/0/geoJSON", "{\"type\":\"Circle\"}",
		    "places[0].geoJSON.type: must be one of Point, "
		    "MultiPoint, LineString, MultiLineString, Polygon, "
		    "MultiPolygon, GeometryCollection, Feature, "
		    "FeatureCollection" },
		{ "places/0/geoJSON", "{\"type\":\"FeatureCollection\","
		    "\"features\":[],\"anything\":1}", NULL },
		{ "places/0/geo", "{}", "places[0].geo: not a ninjs 3.1 field" },
		{ "subjects/0/relevance", "101",
		    "subjects[0].relevance: must be between 0 and 100" },
		{ "subjects/0/relevance", "-1",
		    "subjects[0].relevance: must be between 0 and 100" },
		{ "subjects/0/confidence", "100.0", NULL },
		{ "subjects/0/confidence", "50.5",
		    "subjects[0].confidence: must be an integer" },
		{ "subjects/0/creator", "1",
		    "subjects[0].creator: must be a string" },
		{ "events/0/id", "1", "events[0].id: must be a string" },
		{ "events/0/uri", "\"/events/1\"",
		    "events[0].uri: must be an absolute URI (RFC 3986)" },
		{ "eventDetails", "[]", "eventDetails: must be an object" },
		{ "eventDetails/eventStatus", "\"E\"",
		    "eventDetails.eventStatus: must be an absolute URI "
		    "(RFC 3986)" },
		{ "eventDetails/plannedCoverageStatus", "\"int\"",
		    "eventDetails.plannedCoverageStatus: must be an "
		    "absolute URI (RFC 3986)" },
		{ "eventDetails/organiser/contactInfo/0/value", NULL,
		    "eventDetails.organiser.contactInfo[0]: must have "
		    "exactly one of value, address" },
		{ "eventDetails/organiser/id", "1",
		    "eventDetails.organiser.id: not a ninjs 3.1 field" },
		{ "eventDetails/dates/recurrence/recurrenceRules/0/frequency",
		    "\"fortnightly\"",
		    "eventDetails.dates.recurrence.recurrenceRules[0]."
		    "frequency: must be one of secondly, minutely, hourly, "
		    "daily, weekly, monthly, yearly" },
		{ "eventDetails/dates/recurrence/recurrenceRules/0/interval",
		    "1.5", "eventDetails.dates.recurrence.recurrenceRules[0]."
		    "interval: must be an integer" },
		{ "eventDetails/dates/recurrence/recurrenceRules/0/count",
		    "\"3\"", "eventDetails.dates.recurrence.recurrenceRules[0]."
		    "count: must be an integer" },
		{ "eventDetails/dates/recurrence/recurrenceRules/0/until",
		    "\"2025\"", "eventDetails.dates.recurrence."
		    "recurrenceRules[0].until: must be an RFC 3339 date-time" },
		{ "eventDetails/dates/recurrence/recurrenceRules/0/byDay",
		    "[]", "eventDetails.dates.recurrence.recurrenceRules[0]."
		    "byDay: not a ninjs 3.1 field" },
		{ "eventDetails/dates/recurrence/recurrenceRules", "{}",
		    "eventDetails.dates.recurrence.recurrenceRules: must be "
		    "an array" },
		/* The 3.1 schema makes recurrenceDates impossible. */
		{ "eventDetails/dates/recurrence/recurrenceDates",
		    "[\"2024-06-30\"]", "eventDetails.dates.recurrence."
		    "recurrenceDates: can never be valid: ninjs 3.1 requires "
		    "both an array and a string here" },
		{ "eventDetails/dates/recurrence/recurrenceDates",
		    "\"2024-06-30\"", "eventDetails.dates.recurrence."
		    "recurrenceDates: can never be valid: ninjs 3.1 requires "
		    "both an array and a string here" },
		{ "eventDetails/dates/recurrence/rdate", "1",
		    "eventDetails.dates.recurrence.rdate: not a ninjs 3.1 "
		    "field" },
		{ "eventDetails/dates/expectedDuration", "2",
		    "eventDetails.dates.expectedDuration: must be a string" },
		{ "eventDetails/dates/timezone", "\"UTC\"",
		    "eventDetails.dates.timezone: not a ninjs 3.1 field" },
		{ "plannedCoverage/0/pubStatus", "\"draft\"",
		    "plannedCoverage[0].pubStatus: must be one of usable, "
		    "withheld, canceled" },
		{ "plannedCoverage/0/type", "\"photo\"",
		    "plannedCoverage[0].type: must be one of text, audio, "
		    "video, picture, graphic, composite, component, event, "
		    "planning" },
		{ "plannedCoverage/0/uri", "\"coverage-1\"",
		    "plannedCoverage[0].uri: must be an absolute URI "
		    "(RFC 3986)" },
		{ "plannedCoverage/0/commissioned/on", "\"2024-05-30\"",
		    "plannedCoverage[0].commissioned.on: must be an RFC 3339 "
		    "date-time" },
		{ "plannedCoverage/0/commissioned/references/0/id", "\"x\"",
		    "plannedCoverage[0].commissioned.references[0].id: not a "
		    "ninjs 3.1 field" },
		{ "plannedCoverage/0/commissioned", "\"desk\"",
		    "plannedCoverage[0].commissioned: must be an object" },
		{ "plannedCoverage/0/audiences/0/significance", "\"high\"",
		    "plannedCoverage[0].audiences[0].significance: must be an "
		    "integer" },
		{ "plannedCoverage/0/exclAudience/1", "5",
		    "plannedCoverage[0].exclAudience[1]: must be a string" },
		{ "plannedCoverage/0/urgency", "10",
		    "plannedCoverage[0].urgency: must be between 1 and 9" },
		{ "plannedCoverage/0/itemCount/rangeFrom", "1.5",
		    "plannedCoverage[0].itemCount.rangeFrom: must be an "
		    "integer" },
		{ "plannedCoverage/0/itemCount/exact", "3",
		    "plannedCoverage[0].itemCount.exact: not a ninjs 3.1 "
		    "field" },
		{ "plannedCoverage/0/wordCount", "\"0\"",
		    "plannedCoverage[0].wordCount: must be an integer" },
		{ "plannedCoverage/0/renditions/0/name", NULL,
		    "plannedCoverage[0].renditions[0]: missing required "
		    "field name" },
		{ "plannedCoverage/0/dates", "{}",
		    "plannedCoverage[0].dates: must have exactly one of "
		    "startDate, expectedStartDate or exactly one of endDate, "
		    "expectedEndDate" },
		{ "plannedCoverage/0/slugline", "\"x\"",
		    "plannedCoverage[0].slugline: not a ninjs 3.1 field" },
		{ "objects/0/uri", "\"th\"",
		    "objects[0].uri: must be an absolute URI (RFC 3986)" },
		{ "objects/0/creator", "\"x\"",
		    "objects[0].creator: not a ninjs 3.1 field" },
		{ "infoSources/0/contactInfo/0", "{}",
		    "infoSources[0].contactInfo[0]: must have exactly one of "
		    "value, address" },
		{ "infoSources/0/uri", "\"example.com\"",
		    "infoSources[0].uri: must be an absolute URI (RFC 3986)" },
		{ "renditions/1/name", NULL,
		    "renditions[1]: missing required field name" },
		{ "renditions/0/href", "\"a.jpg\"",
		    "renditions[0].href: must be an absolute URI (RFC 3986)" },
		{ "renditions/0/width", "4000.5",
		    "renditions[0].width: must be an integer" },
		{ "renditions/0/height", "\"3000\"",
		    "renditions[0].height: must be an integer" },
		{ "renditions/0/sizeInBytes", "1e3", NULL },
		{ "renditions/0/sizeInBytes", "1.5e0",
		    "renditions[0].sizeInBytes: must be an integer" },
		{ "renditions/0/duration", "\"12s\"",
		    "renditions[0].duration: must be a number" },
		{ "renditions/0/duration", "12", NULL },
		{ "renditions/0/frameRate", "true",
		    "renditions[0].frameRate: must be a number" },
		{ "renditions/0/frameRate", "29.97", NULL },
		{ "renditions/0/poi/x", "1.5",
		    "renditions[0].poi.x: must be an integer" },
		{ "renditions/0/poi/z", "1",
		    "renditions[0].poi.z: not a ninjs 3.1 field" },
		{ "renditions/0/scanType", "\"mixed\"",
		    "renditions[0].scanType: must be one of progressive, "
		    "interlaced" },
		{ "renditions/0/scanType", "\"interlaced\"", NULL },
		{ "renditions/0/colour", "\"red\"",
		    "renditions[0].colour: not a ninjs 3.1 field" },
		{ "renditions/2", "\"x\"", "renditions[2]: must be an object" },
		{ "altIds/0/type", "\"x\"",
		    "altIds[0].type: not a ninjs 3.1 field" },
		{ "altIds/0/value", "1", "altIds[0].value: must be a string" },
		{ "trustIndicators/0/href", "\"corrections\"",
		    "trustIndicators[0].href: must be an absolute URI "
		    "(RFC 3986)" },
		{ "trustIndicators/0/role", "\"corrections\"",
		    "trustIndicators[0].role: must be an absolute URI "
		    "(RFC 3986)" },
		{ "standard/schema", "\"ninjs-schema_3.1.json\"",
		    "standard.schema: must be an absolute URI (RFC 3986)" },
		{ "standard/name", "1", "standard.name: must be a string" },
		{ "standard/profile", "\"x\"",
		    "standard.profile: not a ninjs 3.1 field" },
		/* genres[].uri is the one uri without "format": "uri" */
		{ "genres/0/uri", "\"not a uri\"", NULL },
		{ "genres/0/uri", "1", "genres[0].uri: must be a string" },
		{ "genres/0/rel", "\"x\"",
		    "genres[0].rel: not a ninjs 3.1 field" },
		{ "rightsInfo/encodedRights", "\"<odrl/>\"",
		    "rightsInfo: must have exactly one of linkedRights, "
		    "encodedRights" },
		{ "rightsInfo/linkedRights", NULL,
		    "rightsInfo: must have exactly one of linkedRights, "
		    "encodedRights" },
		{ "rightsInfo/linkedRights", "\"rights.html\"",
		    "rightsInfo.linkedRights: must be an absolute URI "
		    "(RFC 3986)" },
		{ "rightsInfo/langId", "\"odrl\"",
		    "rightsInfo.langId: must be an absolute URI (RFC 3986)" },
		{ "rightsInfo/holder", "\"x\"",
		    "rightsInfo.holder: not a ninjs 3.1 field" },
		{ "digitalSourceType/uri", "\"digitalCapture\"",
		    "digitalSourceType.uri: must be an absolute URI "
		    "(RFC 3986)" },
		{ "digitalSourceType/code", "\"x\"",
		    "digitalSourceType.code: not a ninjs 3.1 field" },
	};

	(void)state;
	RUN(c);
}

/* associations: ninjsType plus name and rel; name and uri required. */
static void
test_associations(void **state)
{
	static const struct rule_case c[] = {
		{ "associations/0/name", NULL,
		    "associations[0]: missing required field name" },
		{ "associations/0/uri", NULL,
		    "associations[0]: missing required field uri" },
		{ "associations/0/rel", "1",
		    "associations[0].rel: must be a string" },
		{ "associations/0/colour", "\"red\"",
		    "associations[0].colour: not a ninjs 3.1 field" },
		{ "associations/0/headlines/0/value", "5",
		    "associations[0].headlines[0].value: must be a string" },
		{ "associations/0/renditions/0/name", NULL,
		    "associations[0].renditions[0]: missing required field "
		    "name" },
		{ "associations/0/urgency", "12",
		    "associations[0].urgency: must be between 1 and 9" },
		{ "associations/0/associations/0/uri", "\"credit-1\"",
		    "associations[0].associations[0].uri: must be an absolute "
		    "URI (RFC 3986)" },
		{ "associations/0/associations/0/associations/0/name", NULL,
		    "associations[0].associations[0].associations[0]: missing "
		    "required field name" },
		{ "associations/0/associations/0/associations/0/x", "1",
		    "associations[0].associations[0].associations[0].x: not a "
		    "ninjs 3.1 field" },
		{ "associations/1", "{\"name\":\"a\",\"uri\":\"urn:a:b\"}",
		    NULL },
		{ "associations/1", "[]", "associations[1]: must be an object" },
		{ "associations", "{}", "associations: must be an array" },
	};
	struct mb_diag	 d = { "" };
	json_t		*root, *cur, *next;
	char		 want[512] = "";

	(void)state;
	RUN(c);

	/* Eight levels of associations pass; the ninth is refused. */
	root = json_pack("{s:s}", "uri", "urn:x:0");
	cur = root;
	for (int level = 1; level <= 9; level++) {
		next = json_pack("{s:s, s:s}", "name", "n", "uri", "urn:x:n");
		json_object_set_new(cur, "associations", json_pack("[o]",
		    next));
		cur = next;
		if (level == 8)
			assert_int_equal(mb_ninjs_validate(root, &d), MB_OK);
		strcat(want, level > 1 ? ".associations[0]" :
		    "associations[0]");
	}
	assert_int_equal(mb_ninjs_validate(root, &d), MB_ERR_INVAL);
	strcat(want, ": associations nested deeper than 8 levels");
	assert_string_equal(d.msg, want);
	json_decref(root);
}

/* oneOf / anyOf: contactInfo, rightsInfo and datesObjectType. */
static void
test_one_any_of(void **state)
{
	static const char *const both = "eventDetails.dates: must have "
	    "exactly one of startDate, expectedStartDate or exactly one of "
	    "endDate, expectedEndDate";
	static const struct rule_case c[] = {
		{ "eventDetails/dates", "{\"endDate\":\"2024-05-31T20:00:00Z\"}",
		    NULL },
		{ "eventDetails/dates", "{\"expectedEndDate\":\"2024\"}", NULL },
		{ "eventDetails/dates", "{\"startDate\":\"2024-05-31T20:00:00Z\"}",
		    NULL },
		{ "eventDetails/dates", "{\"expectedStartDate\":\"2024-06\"}",
		    NULL },
		{ "eventDetails/dates", "{}", both },
		{ "eventDetails/dates", "{\"expectedDuration\":\"PT1H\"}", both },
		/* both starts and no end: the first oneOf fails, so does the
		 * second */
		{ "eventDetails/dates", "{\"startDate\":\"2024-05-31T20:00:00Z\","
		    "\"expectedStartDate\":\"2024\"}", both },
		/* ... but one end rescues it (anyOf) */
		{ "eventDetails/dates", "{\"startDate\":\"2024-05-31T20:00:00Z\","
		    "\"expectedStartDate\":\"2024\",\"endDate\":"
		    "\"2024-05-31T21:00:00Z\"}", NULL },
		{ "eventDetails/dates", "{\"startDate\":\"2024-05-31T20:00:00Z\","
		    "\"expectedStartDate\":\"2024\",\"endDate\":"
		    "\"2024-05-31T21:00:00Z\",\"expectedEndDate\":\"2024\"}",
		    both },
		{ "eventDetails/dates", "{\"startDate\":\"2024-05-31T20:00:00Z\","
		    "\"expectedEndDate\":\"2024\",\"endDate\":"
		    "\"2024-05-31T21:00:00Z\"}", NULL },
		{ "eventDetails/dates", "[]",
		    "eventDetails.dates: must be an object" },
		{ "people/0/contactInfo/0/address", "{}",
		    "people[0].contactInfo[0]: must have exactly one of value, "
		    "address" },
		{ "people/0/contactInfo/0", "{\"type\":\"phone\"}",
		    "people[0].contactInfo[0]: must have exactly one of value, "
		    "address" },
		{ "people/0/contactInfo/0", "{\"address\":{}}", NULL },
		/* presence counts, not value: null is present */
		{ "people/0/contactInfo/0", "{\"value\":null}",
		    "people[0].contactInfo[0].value: must be a string" },
		{ "rightsInfo", "{\"encodedRights\":\"x\"}", NULL },
		{ "rightsInfo", "{}", "rightsInfo: must have exactly one of "
		    "linkedRights, encodedRights" },
		{ "rightsInfo", "{\"langId\":\"http://x.example/\"}",
		    "rightsInfo: must have exactly one of linkedRights, "
		    "encodedRights" },
	};

	(void)state;
	RUN(c);
}

static void
check_strings(const char *ptr, const char *const *ok, size_t nok,
    const char *const *bad, size_t nbad, const char *why)
{
	char		 val[256], msg[512], path[128];
	json_t		*j;
	struct mb_diag	 d;

	/* "a/b" -> "a.b" for the message (no indexes in these pointers) */
	snprintf(path, sizeof(path), "%s", ptr);
	for (char *p = path; *p != '\0'; p++)
		if (*p == '/')
			*p = '.';
	for (size_t i = 0; i < nok + nbad; i++) {
		const char	*s = i < nok ? ok[i] : bad[i - nok];
		json_t		*str = json_string(s);
		char		*txt;

		assert_non_null(str);
		txt = json_dumps(str, JSON_ENCODE_ANY);
		snprintf(val, sizeof(val), "%s", txt);
		free(txt);
		json_decref(str);
		j = full_item();
		mutate(j, ptr, val);
		d.msg[0] = '\0';
		if (i < nok) {
			if (mb_ninjs_validate(j, &d) != MB_OK)
				fail_msg("%s = %s: expected valid, got \"%s\"",
				    ptr, val, d.msg);
		} else {
			snprintf(msg, sizeof(msg), "%s: %s", path, why);
			if (mb_ninjs_validate(j, &d) != MB_ERR_INVAL ||
			    strcmp(d.msg, msg) != 0)
				fail_msg("%s = %s: expected \"%s\", got \"%s\"",
				    ptr, val, msg, d.msg);
		}
		json_decref(j);
	}
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_date_time(void **state)
{
	static const char *const ok[] = {
		"2024-05-31T10:00:00Z",
		"2024-05-31t10:00:00z",
		"2024-02-29T00:00:00Z",
		"2000-02-29T23:59:59+14:00",
		"2024-05-31T10:00:00.1Z",
		"2024-05-31T10:00:00.123456789-03:30",
		"0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z",
		"1998-12-31T23:59:60Z",
		"1998-12-31T15:59:60-08:00",
		"2024-05-31T10:00:00+00:00",
		"2024-05-31T10:00:00-00:00",
	};
	static const char *const bad[] = {
		"",
		"2024-05-31",
		"2024-05-31T10:00:00",
		"2024-05-31T10:00Z",
		"2024-05-31 10:00:00Z",
		"2024-05-31_10:00:00Z",
		"2023-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z",
		"2024-04-31T00:00:00Z",
		"2024-13-01T00:00:00Z",
		"2024-00-01T00:00:00Z",
		"2024-05-00T00:00:00Z",
		"2024-05-31T24:00:00Z",
		"2024-05-31T10:60:00Z",
		"2024-05-31T10:00:61Z",
		"2024-05-31T10:00:60Z",
		"1998-12-31T23:59:60+01:00",
		"2024-05-31T10:00:00.Z",
		"2024-05-31T10:00:00,5Z",
		"2024-05-31T10:00:00+24:00",
		"2024-05-31T10:00:00+05:60",
		"2024-05-31T10:00:00+0530",
		"2024-05-31T10:00:00+05",
		"2024-5-31T10:00:00Z",
		"24-05-31T10:00:00Z",
		"+2024-05-31T10:00:00Z",
		"2024-05-31T10:00:00ZZ",
		"2024-05-31T10:00:00Z ",
		" 2024-05-31T10:00:00Z",
		"2024-05-31T10:00:00Z\n",
		"２０２４-05-31T10:00:00Z",
	};

	(void)state;
	check_strings("expires", ok, N(ok), bad, N(bad),
	    "must be an RFC 3339 date-time");
}

static void
test_truncated(void **state)
{
	static const char *const ok[] = {
		"2024", "0000", "-0044", "12024", "-12024", "2024-05",
		"2024-12", "2024-05-31", "2024-02-31", "2024-05-09",
		"2024-05-31T10:00:00", "2024-05-31T23:59:59Z",
		"2024-05-31T00:00:00.5", "2024-05-31T10:00:00.123+05:30",
		"2024-05-31T10:00:00-23:59",
	};
	static const char *const bad[] = {
		"", "24", "202", "02024", "+2024", "--2024", "2024-",
		"2024-5", "2024-13", "2024-00", "2024-05-32", "2024-05-00",
		"2024-05-1", "2024-05-31T", "2024-05-31T10",
		"2024-05-31T10:00", "2024-05-31T24:00:00",
		"2024-05-31T10:60:00", "2024-05-31T10:00:60",
		"2024-05-31t10:00:00", "2024-05-31 10:00:00",
		"2024-05-31T10:00:00z", "2024-05-31T10:00:00.",
		"2024-05-31T10:00:00+24:00", "2024-05-31T10:00:00+05",
		"2024-05-31T10:00:00+0530", "2024Z", "2024-05Z",
		"2024-05-31Z", "2024-05-31+01:00", "2024-05-31T10:00:00ZZ",
		"2024\n", "x2024",
	};

	(void)state;
	check_strings("eventDetails/dates/expectedStartDate", ok, N(ok), bad,
	    N(bad), "must be a date-time, maybe truncated (YYYY, YYYY-MM, "
	    "YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.f][Z|+hh:mm])");
}

static void
test_uri(void **state)
{
	static const char *const ok[] = {
		"http://example.com",
		"https://example.com/a/b?c=d&e=f#frag",
		"HTTP://EXAMPLE.COM/",
		"urn:isbn:0451450523",
		"urn:newsml:example.com:20240531:item-1",
		"mailto:jane@example.com",
		"tag:example.com,2024:item/1",
		"file:///tmp/x",
		"x:",
		"a+b-c.d9:x",
		"http://user:pw@example.com:8080/p",
		"http://example.com:/",
		"http://[::1]/",
		"http://[2001:db8::7]:80/x",
		"http://[::ffff:192.0.2.1]/",
		"http://[1:2:3:4:5:6:7:8]/",
		"http://[v7.fe80::1]/",
		"http://192.0.2.1/",
		"http://example.com/%20%e2%82%AC",
		"http://example.com/a:b@c!$&'()*+,;=-._~",
		"http://example.com/?q=a/b?c:d@e",
		"http://example.com/#/a?b",
		"http:",
		"http:/x",
		"http://",
		"http://example.com/a//b",
	};
	static const char *const bad[] = {
		"",
		"example.com",
		"//example.com/x",
		"/a/b",
		"1http://example.com",
		"+x:y",
		":x",
		"ht tp://example.com",
		"ht_tp://example.com",
		"http://exa mple.com/",
		"http://example.com/a b",
		"http://example.com/\x01",
		"http://example.com/\x7f",
		"http://example.com/\xc3\xa4",
		"http://ex\xc3\xa4mple.com/",
		"http://example.com/%zz",
		"http://example.com/%2",
		"http://example.com/%",
		"http://example.com:80a/",
		"http://[::1/",
		"http://[::1]x/",
		"http://ex[ample].com/",
		"http://example.com/[a]",
		"http://[12345::]/",
		"http://[1:2:3:4:5:6:7:8:9]/",
		"http://[1:2:3]/",
		"http://[1::2::3]/",
		"http://[::256.0.0.1]/",
		"http://[v.x]/",
		"http://[v7.fe80::1%25eth0]/",
		"http://a@b@c/",
		"http://example.com/#a#b",
		"http://example.com/<a>",
		"http://example.com/a\"b",
		"http://example.com/a\\b",
		"http://example.com/{a}",
		"http://example.com/a|b",
		"http://example.com/a^b",
		"http://example.com/a`b",
	};

	(void)state;
	check_strings("uri", ok, N(ok), bad, N(bad),
	    "must be an absolute URI (RFC 3986)");
}

/* Every file in ninjs_cases/ says its verdict in its name. */
static void
test_case_files(void **state)
{
	DIR		*dir;
	struct dirent	*de;
	char		 path[1024];
	int		 nvalid = 0, ninvalid = 0;

	(void)state;
	dir = opendir(CASES_DIR);
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		size_t		 len = strlen(de->d_name);
		bool		 want = false;
		json_t		*j;
		struct mb_diag	 d = { "" };
		int		 rc;

		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (strncmp(de->d_name, "valid_", 6) == 0)
			want = true;
		else if (strncmp(de->d_name, "invalid_", 8) == 0)
			want = false;
		else
			fail_msg("%s: name must start valid_ or invalid_",
			    de->d_name);
		snprintf(path, sizeof(path), "%s/%s", CASES_DIR, de->d_name);
		j = load(path);
		rc = mb_ninjs_validate(j, &d);
		json_decref(j);
		if (want && rc != MB_OK)
			fail_msg("%s: expected valid, got \"%s\"", de->d_name,
			    d.msg);
		if (!want && rc != MB_ERR_INVAL)
			fail_msg("%s: expected invalid, got %d", de->d_name,
			    rc);
		if (want)
			nvalid++;
		else
			ninvalid++;
	}
	closedir(dir);
	assert_true(nvalid >= 2);
	assert_true(ninvalid >= 10);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The validator runs for every item: it must stay fast. */
static void
test_speed(void **state)
{
	json_t	*j = load(CASES_DIR "/valid_typical.json");
	char	*txt = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	int	 n = 20000;
	double	 t0, dt;

	(void)state;
	/* Members in the schema's order (the usual case), then sorted. */
	for (int pass = 0; pass < 2; pass++) {
		t0 = now_s();
		for (int i = 0; i < n; i++)
			assert_int_equal(mb_ninjs_validate(j, NULL), MB_OK);
		dt = now_s() - t0;
		print_message("ninjs: %d validations of a %zu-byte item "
		    "(%s) in %.3f s: %.0f/s\n", n, strlen(txt),
		    pass == 0 ? "schema order" : "sorted keys", dt, n / dt);
		json_decref(j);
		j = json_loads(txt, 0, NULL);
		assert_non_null(j);
	}
	free(txt);
	json_decref(j);
}

/*
 * "test_item_ninjs --verdict FILE..." prints "FILE<TAB>valid" or
 * "FILE<TAB>invalid<TAB>why" for each file, for
 * tests/integration/schema_check.py to compare with a real JSON Schema
 * validator.
 */
static int
verdicts(int argc, char **argv)
{
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		json_error_t	 err;
		struct mb_diag	 d = { "" };
		json_t		*j = json_load_file(argv[i], 0, &err);

		if (j == NULL) {
			fprintf(stderr, "%s: %s\n", argv[i], err.text);
			rc = 1;
			continue;
		}
		if (mb_ninjs_validate(j, &d) == MB_OK)
			printf("%s\tvalid\n", argv[i]);
		else
			printf("%s\tinvalid\t%s\n", argv[i], d.msg);
		json_decref(j);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_ninjs_members),
		cmocka_unit_test(test_nested_members),
		cmocka_unit_test(test_associations),
		cmocka_unit_test(test_one_any_of),
		cmocka_unit_test(test_date_time),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_case_files),
		cmocka_unit_test(test_speed),
	};

	if (argc > 1 && strcmp(argv[1], "--verdict") == 0)
		return verdicts(argc - 2, argv + 2);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
