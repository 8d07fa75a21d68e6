/* SPDX-License-Identifier: MIT */
/* Unit tests for a picture's words per language: the publishing gate's rule, a translation's copies and the words written into them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "newsroom/pictext.h"

static json_t *
load(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	assert_non_null(j);
	return j;
}

static void
test_lacks_text(void **state)
{
	static const struct {
		const char	*item;
		const char	*name;	/* NULL: every picture has words */
	} c[] = {
		/* No pictures, and media that are not pictures. */
		{ "{\"language\": \"en\"}", NULL },
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"v\","
		  " \"type\": \"video\"}, {\"name\": \"s\", \"rel\": "
		  "\"source\", \"uri\": \"urn:x\"}]}", NULL },
		/* A caption, an alt text, a description with no role. */
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"p\","
		  " \"type\": \"picture\", \"descriptions\": [{\"role\": "
		  "\"caption\", \"value\": \"Boats\"}]}]}", NULL },
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"p\","
		  " \"type\": \"picture\", \"descriptions\": [{\"role\": "
		  "\"alt\", \"value\": \"Boats\"}]}]}", NULL },
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"p\","
		  " \"type\": \"picture\", \"descriptions\": [{\"value\": "
		  "\"Boats\"}]}]}", NULL },
		/* None, blank, of another role. */
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"p\","
		  " \"type\": \"picture\"}]}", "p" },
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"p\","
		  " \"type\": \"picture\", \"descriptions\": [{\"role\": "
		  "\"caption\", \"value\": \" \\n\"}]}]}", "p" },
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"p\","
		  " \"type\": \"picture\", \"descriptions\": [{\"role\": "
		  "\"summary\", \"value\": \"Boats\"}]}]}", "p" },
		/* The second one, and by uri when it has no name. */
		{ "{\"language\": \"en\", \"associations\": [{\"name\": \"a\","
		  " \"type\": \"picture\", \"descriptions\": [{\"value\": "
		  "\"x\"}]}, {\"name\": \"b\", \"type\": \"picture\"}]}", "b" },
		{ "{\"language\": \"en\", \"associations\": [{\"uri\": "
		  "\"urn:p\", \"type\": \"picture\"}]}", "urn:p" },
		/* Words in another language; a region of the same one. */
		{ "{\"language\": \"es\", \"associations\": [{\"name\": \"p\","
		  " \"type\": \"picture\", \"language\": \"en\", "
		  "\"descriptions\": [{\"value\": \"Boats\"}]}]}", "p" },
		{ "{\"language\": \"pt-BR\", \"associations\": [{\"name\": "
		  "\"p\", \"type\": \"picture\", \"language\": \"pt\", "
		  "\"descriptions\": [{\"value\": \"Barcos\"}]}]}", NULL },
	};
	char name[64];

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_t	*j = load(c[i].item);
		bool	 lacks = mb_newsroom_picture_lacks_text(j, name,
		    sizeof(name));

		if (c[i].name == NULL) {
			assert_false(lacks);
		} else {
			assert_true(lacks);
			assert_string_equal(name, c[i].name);
		}
		json_decref(j);
	}
}

static void
test_copy_and_set(void **state)
{
	json_t		*orig = load("{\"language\": \"en\", \"associations\": ["
	    "{\"name\": \"picture-1\", \"type\": \"picture\", \"by\": \"AFP\","
	    " \"descriptions\": [{\"role\": \"caption\", \"value\": \"Boats\"},"
	    " {\"role\": \"alt\", \"value\": \"Two boats\"}, {\"role\": "
	    "\"summary\", \"value\": \"kept\"}]},"
	    "{\"name\": \"source\", \"rel\": \"source\", \"uri\": \"urn:x\"},"
	    "{\"name\": \"audio-2\", \"type\": \"audio\"}]}");
	json_t		*tr = load("{\"language\": \"es\"}");
	const json_t	*a;
	char		 name[64];

	(void)state;
	assert_int_equal(mb_newsroom_pictures_copy(tr, orig, "en"), MB_OK);
	a = json_object_get(tr, "associations");
	/* Pictures and sound come; the source link does not. */
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "language")), "en");
	assert_true(mb_newsroom_picture_lacks_text(tr, name, sizeof(name)));
	assert_string_equal(name, "picture-1");
	/* Copied again: what is there stays. */
	assert_int_equal(mb_newsroom_pictures_copy(tr, orig, "en"), MB_OK);
	assert_int_equal(json_array_size(json_object_get(tr,
	    "associations")), 2);

	/* Both blank: refused, nothing changed; no such name. */
	assert_int_equal(mb_newsroom_picture_set_text(tr, "picture-1", " ",
	    NULL), MB_ERR_INVAL);
	assert_int_equal(mb_newsroom_picture_set_text(tr, "picture-9", "x",
	    "y"), MB_ERR_NOTFOUND);
	assert_true(mb_newsroom_picture_lacks_text(tr, name, sizeof(name)));

	/* Written: in the item's language now; other roles stay. */
	assert_int_equal(mb_newsroom_picture_set_text(tr, "picture-1",
	    "Barcos", "Dos barcos"), MB_OK);
	assert_false(mb_newsroom_picture_lacks_text(tr, name, sizeof(name)));
	a = json_array_get(json_object_get(tr, "associations"), 0);
	assert_null(json_object_get(a, "language"));
	{
		char *s = json_dumps(json_object_get(a, "descriptions"),
		    JSON_COMPACT);

		assert_string_equal(s, "[{\"role\":\"summary\",\"value\":"
		    "\"kept\"},{\"role\":\"caption\",\"value\":\"Barcos\"},"
		    "{\"role\":\"alt\",\"value\":\"Dos barcos\"}]");
		free(s);
	}
	/* The original is not touched. */
	assert_null(json_object_get(json_array_get(json_object_get(orig,
	    "associations"), 0), "language"));
	json_decref(orig);
	json_decref(tr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lacks_text),
		cmocka_unit_test(test_copy_and_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
