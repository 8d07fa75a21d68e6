/* SPDX-License-Identifier: MIT */
/* Unit tests for the feed writers, checked by real validators when there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "http/feeds.h"

static const char *const cats[] = { "environment", "a<b&c" };

static const struct mb_feed_entry entries[] = {
	{ "urn:mediabridge:cairo:01a", "وزراء المياه يتفقون <على> خطة",
	  "https://c.example/ar/items/cairo/01a", "ar", 1795962427000LL,
	  1795960000000LL, "مراسل القاهرة", "A summary; with, commas",
	  "<p>Body &amp; more</p>", cats, 2,
	  1796461200000LL, 1796472000000LL, "القاهرة، مصر", NULL },
	{ "urn:mediabridge:cairo:01b", "Control\x01 chars\x1f and ]]> too",
	  "https://c.example/en/items/cairo/01b", "en", 1795962000000LL, 0,
	  NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

static const struct mb_feed feed = {
	"tag:mediabridge,2026:cairo:lang:ar", "Cairo: العربية", "ar",
	"https://c.example/feeds/ar.atom", "https://c.example/ar/",
	"Cairo Media Center", 0, entries, 2
};

static int
write_file(const char *path, const struct mb_buf *b)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fwrite(b->data, 1, b->len, f);
	return fclose(f);
}

static void
test_atom(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT;
	char		 path[] = "/tmp/mb-atom-XXXXXX", cmd[512];
	int		 fd, rc;

	(void)state;
	assert_int_equal(mb_feed_atom(&feed, &b), MB_OK);
	assert_true(mb_utf8_valid(b.data, b.len));
	assert_non_null(strstr(b.data, "&lt;على&gt;"));
	assert_null(strstr(b.data, "\x01"));
	assert_non_null(strstr(b.data, "<updated>2026-11-29T14:27:07Z"));
	assert_non_null(strstr(b.data, "term=\"a&lt;b&amp;c\""));
	/* The RFC 4287 schema (tests/schemas/atom.rng), by xmllint. */
	if (access("/usr/bin/xmllint", X_OK) != 0) {
		fprintf(stderr, "xmllint missing: schema check skipped\n");
		mb_buf_free(&b);
		return;
	}
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(write_file(path, &b), 0);
	snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout --relaxng "
	    MB_TEST_SRCDIR "/tests/schemas/atom.rng %s", path);
	rc = system(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
	mb_buf_free(&b);
}

/*
 * U+FFFF and U+FFFE in an item's text, raw or in a summary made from
 * "&#xFFFF;": XML 1.0 cannot carry them, so the feed drops them and
 * stays well formed (xmllint said "Char 0xFFFF out of allowed range"
 * and a reader refused the whole feed).
 */
static void
test_atom_forbidden(void **state)
{
	static const struct mb_feed_entry e[] = {
		{ "urn:mediabridge:cairo:01c", "FFFF\xef\xbf\xbf FFFE\xef\xbf"
		  "\xbe ctl\x01\x0b end", "https://c.example/en/items/x",
		  "en", 1795962000000LL, 0, "By\xef\xbf\xbf",
		  "summary\xef\xbf\xbe \xef\xbf\xbf", "<p>&#xFFFF;\xef\xbf"
		  "\xbf</p>", cats, 2, 0, 0, NULL, NULL },
	};
	const struct mb_feed f = {
		"tag:x\xef\xbf\xbf", "Cairo\xef\xbf\xbe", "en",
		"https://c.example/feeds/en.atom", "https://c.example/en/",
		"Cairo", 0, e, 1
	};
	struct mb_buf	 b = MB_BUF_INIT;
	char		 path[] = "/tmp/mb-atom-XXXXXX", cmd[512];
	int		 fd, rc;

	(void)state;
	assert_int_equal(mb_feed_atom(&f, &b), MB_OK);
	assert_true(mb_utf8_valid(b.data, b.len));
	assert_null(strstr(b.data, "\xef\xbf\xbf"));
	assert_null(strstr(b.data, "\xef\xbf\xbe"));
	assert_non_null(strstr(b.data, "<title type=\"text\">FFFF FFFE ctl "
	    "end</title>"));
	assert_non_null(strstr(b.data, "<summary type=\"text\">summary "
	    "</summary>"));
	/* In HTML content a reference is text: escaped, harmless to XML. */
	assert_non_null(strstr(b.data, "&lt;p&gt;&amp;#xFFFF;&lt;/p&gt;"));
	if (access("/usr/bin/xmllint", X_OK) != 0) {
		fprintf(stderr, "xmllint missing: well-formedness check "
		    "skipped\n");
		mb_buf_free(&b);
		return;
	}
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(write_file(path, &b), 0);
	snprintf(cmd, sizeof(cmd), "/usr/bin/xmllint --noout --relaxng "
	    MB_TEST_SRCDIR "/tests/schemas/atom.rng %s", path);
	rc = system(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
	mb_buf_free(&b);
}

static void
test_json(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT;
	json_error_t	 e;
	json_t		*j, *it;

	(void)state;
	assert_int_equal(mb_feed_json(&feed, &b), MB_OK);
	j = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL)
		fail_msg("JSON Feed does not parse: %s", e.text);
	/* JSON Feed 1.1's required fields. */
	assert_string_equal(json_string_value(json_object_get(j, "version")),
	    "https://jsonfeed.org/version/1.1");
	assert_non_null(json_string_value(json_object_get(j, "title")));
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	it = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "id")),
	    "urn:mediabridge:cairo:01a");
	assert_non_null(json_string_value(json_object_get(it,
	    "content_html")));
	assert_string_equal(json_string_value(json_object_get(it,
	    "date_published")), "2026-11-29T13:46:40Z");
	it = json_array_get(json_object_get(j, "items"), 1);
	/* Each item has content_html or content_text. */
	assert_non_null(json_string_value(json_object_get(it,
	    "content_text")));
	json_decref(j);
	mb_buf_free(&b);
}

/* RFC 5545 structure: CRLF lines of at most 75 octets, BEGIN/END pairs. */
static void
check_ics(const char *s, size_t len)
{
	const char	*p = s, *end = s + len;
	int		 depth = 0, events = 0;

	while (p < end) {
		const char *nl = strstr(p, "\r\n");

		assert_non_null(nl);
		assert_true(nl - p <= 75);
		/* A folded line never splits a UTF-8 sequence. */
		assert_true(mb_utf8_valid(p, (size_t)(nl - p)));
		assert_null(memchr(p, '\n', (size_t)(nl - p)));
		if (strncmp(p, "BEGIN:", 6) == 0)
			depth++;
		if (strncmp(p, "END:", 4) == 0)
			depth--;
		if (strncmp(p, "BEGIN:VEVENT", 12) == 0)
			events++;
		p = nl + 2;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(events, 1);
}

static void
test_ical(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT, e = MB_BUF_INIT;
	char		 path[] = "/tmp/mb-ics-XXXXXX", cmd[600];
	int		 fd;

	(void)state;
	assert_int_equal(mb_feed_ical(&feed, 1795962427000LL, &b), MB_OK);
	check_ics(b.data, b.len);
	assert_non_null(strstr(b.data, "DTSTART:20261205T090000Z\r\n"));
	assert_non_null(strstr(b.data, "DTEND:20261205T120000Z\r\n"));
	assert_non_null(strstr(b.data, "UID:urn:mediabridge:cairo:01a\r\n"));
	assert_non_null(strstr(b.data, "DESCRIPTION:A summary\\; with\\, "
	    "commas\r\n"));
	mb_ical_escape(&e, "a\\b;c,d\ne\r");
	assert_string_equal(mb_buf_cstr(&e), "a\\\\b\\;c\\,d\\ne");
	mb_buf_free(&e);
	/* python3-icalendar reads it back, when it is installed. */
	if (system("/usr/bin/python3 -c 'import icalendar' 2>/dev/null") ==
	    0) {
		assert_true((fd = mkstemp(path)) >= 0);
		close(fd);
		assert_int_equal(write_file(path, &b), 0);
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c '"
		    "import icalendar,sys\n"
		    "c=icalendar.Calendar.from_ical(open(sys.argv[1],\"rb\")."
		    "read())\n"
		    "ev=[e for e in c.walk(\"VEVENT\")]\n"
		    "assert len(ev)==1, ev\n"
		    "assert str(ev[0][\"SUMMARY\"]).startswith(\"وزراء\")\n"
		    "assert str(ev[0][\"LOCATION\"])==\"القاهرة، مصر\"\n"
		    "' %s", path);
		assert_int_equal(system(cmd), 0);
		unlink(path);
	} else {
		fprintf(stderr, "python3-icalendar missing: parse check "
		    "skipped\n");
	}
	mb_buf_free(&b);
}

/* Long lines fold at 75 octets whatever the script. */
static void
test_ical_folding(void **state)
{
	struct mb_feed_entry	 e;
	struct mb_feed		 f;
	struct mb_buf		 b = MB_BUF_INIT;
	char			 title[2000];

	(void)state;
	/* One-, two- and three-byte characters, never split. */
	for (size_t i = 0; i + 6 < sizeof(title); i += 6)
		memcpy(title + i, "aЖあ", 6);
	title[sizeof(title) - 8] = '\0';
	memset(&e, 0, sizeof(e));
	e.id = "urn:mediabridge:x:1";
	e.title = "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ"
	    "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ";
	e.summary = title;
	e.start_ms = 1;
	e.updated_ms = 1;
	memset(&f, 0, sizeof(f));
	f.entries = &e;
	f.n = 1;
	assert_int_equal(mb_feed_ical(&f, 0, &b), MB_OK);
	check_ics(b.data, b.len);
	mb_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atom),
		cmocka_unit_test(test_atom_forbidden),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_ical),
		cmocka_unit_test(test_ical_folding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
