/* SPDX-License-Identifier: MIT */
/* Unit tests for mb_item_topics: the topics an item's subjects derive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "item/topics.h"

/* The topics of subjects (JSON) joined with '|', or "INVAL". */
static const char *
topics_of(const char *subjects, char *out, size_t n)
{
	struct mb_buf	 b = MB_BUF_INIT;
	json_t		*j = json_loads(subjects, JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, NULL);
	size_t		 o = 0;
	int		 rc;

	assert_non_null(j);
	/* Whatever was in the buffer before stays. */
	assert_int_equal(mb_buf_puts(&b, "x"), MB_OK);
	rc = mb_item_topics(j, &b);
	json_decref(j);
	out[0] = '\0';
	if (rc != MB_OK) {
		assert_int_equal(rc, MB_ERR_INVAL);
		assert_int_equal(b.len, 1);
		mb_buf_free(&b);
		return "INVAL";
	}
	assert_true(b.len >= 2 && b.data[0] == 'x');
	/* The list ends with an empty topic, which is its last byte. */
	assert_int_equal(b.data[b.len - 1], '\0');
	for (const char *t = b.data + 1; *t != '\0'; t += strlen(t) + 1)
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? "|" : "", t);
	mb_buf_free(&b);
	return out;
}

static void
test_derivation(void **state)
{
	char b[512];

	(void)state;
	/* uri, name, code and the uri's last segment, in that order. */
	assert_string_equal(topics_of("[{\"uri\":\"http://cv.iptc.org/"
	    "newscodes/mediatopic/04000000\",\"name\":\"Economy\"}]", b,
	    sizeof(b)), "http://cv.iptc.org/newscodes/mediatopic/04000000|"
	    "04000000|economy");
	assert_string_equal(topics_of("[{\"uri\":\"medtop:11000000\","
	    "\"code\":\"POL\"}]", b, sizeof(b)),
	    "medtop:11000000|11000000|pol");
	/* Unicode lower case, as PostgreSQL's lower() in a UTF-8 database. */
	assert_string_equal(topics_of("[{\"name\":\"ÄGYPTEN Straße\"}]", b,
	    sizeof(b)), "ägypten straße");
	/* Twins once folded: one topic; a longer lower case (Ⱥ -> ⱥ) fits. */
	assert_string_equal(topics_of("[{\"name\":\"Политика\"},{\"code\":"
	    "\"ПОЛИТИКА\"},{\"name\":\"ȺȺ\"}]", b, sizeof(b)),
	    "политика|ⱥⱥ");
	/* Each once, whichever member or subject it came from. */
	assert_string_equal(topics_of("[{\"uri\":\"sport\",\"name\":"
	    "\"Sport\",\"code\":\"SPORT\"},{\"name\":\"sport\"}]", b,
	    sizeof(b)), "sport");
	/* Empty ones, nulls and absent members derive nothing. */
	assert_string_equal(topics_of("[{\"uri\":\"a/b/\",\"name\":\"\","
	    "\"code\":null},{}]", b, sizeof(b)), "a/b/");
	assert_string_equal(topics_of("[]", b, sizeof(b)), "");
	/* Other members are not topics. */
	assert_string_equal(topics_of("[{\"rel\":\"about\",\"name\":\"X\"}]",
	    b, sizeof(b)), "x");
}

static void
test_shapes_left_to_the_store(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(topics_of("{\"name\":\"x\"}", b, sizeof(b)),
	    "INVAL");
	assert_string_equal(topics_of("\"x\"", b, sizeof(b)), "INVAL");
	assert_string_equal(topics_of("[\"x\"]", b, sizeof(b)), "INVAL");
	assert_string_equal(topics_of("[{\"uri\":5}]", b, sizeof(b)),
	    "INVAL");
	assert_string_equal(topics_of("[{\"name\":[\"x\"]}]", b, sizeof(b)),
	    "INVAL");
	assert_string_equal(topics_of("[{\"code\":\"a\\u0000b\"}]", b,
	    sizeof(b)), "INVAL");
	/* One odd subject leaves the whole list to the store. */
	assert_string_equal(topics_of("[{\"name\":\"ok\"},{\"uri\":true}]", b,
	    sizeof(b)), "INVAL");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derivation),
		cmocka_unit_test(test_shapes_left_to_the_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
