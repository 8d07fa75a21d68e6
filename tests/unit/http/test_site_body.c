/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the site's bodies: the sanitized-body cache (right
 * bodies, bounded bytes), and a body's contentType honoured wherever it
 * leaves as HTML.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/newsml.h"
#include "http/site_int.h"

#define ITEMS	1500	/* x ~4 KB: three times what the cache may keep */

/* An item view with one HTML body that names the item, ~4 KB long. */
static void
make_view(struct mb_item_view *v, int i, int64_t version)
{
	char	 uri[64], *html;
	size_t	 n = 0, cap = 8192;

	html = malloc(cap);
	assert_non_null(html);
	for (int p = 0; p < 40; p++)
		n += (size_t)snprintf(html + n, cap - n, "<p>item %d version "
		    "%lld paragraph %d: the council met on water.</p>", i,
		    (long long)version, p);
	snprintf(uri, sizeof(uri), "urn:mediabridge:cairo:item%05d", i);
	memset(v, 0, sizeof(*v));
	v->root = json_pack("{s:s, s:[{s:s, s:s}]}", "uri", uri, "bodies",
	    "value", html, "contentType", "text/html");
	assert_non_null(v->root);
	v->item = v->root;
	v->uri = json_string_value(json_object_get(v->root, "uri"));
	v->version = version;
	free(html);
}

static void
render(int i, int64_t version, struct mb_buf *out)
{
	struct mb_item_view	v;

	make_view(&v, i, version);
	mb_buf_reset(out);
	assert_int_equal(mb_item_view_body(&v, out), MB_OK);
	json_decref(v.root);
}

/*
 * Three times the cache's bytes go through it, twice: every body comes
 * back as the sanitizer made it the first time (never another item's
 * or another version's), and what the cache keeps stays within its
 * bound (2 MiB) all along.
 */
static void
test_bodies_bounded_and_right(void **state)
{
	struct mb_buf	 out = MB_BUF_INIT;
	char		**first;
	size_t		 kept_max = 0;

	(void)state;
	first = calloc(ITEMS, sizeof(*first));
	assert_non_null(first);
	for (int i = 0; i < ITEMS; i++) {
		render(i, 1, &out);
		first[i] = strdup(mb_buf_cstr(&out));
		assert_non_null(strstr(first[i], "item "));
		if (mb_item_view_body_kept() > kept_max)
			kept_max = mb_item_view_body_kept();
	}
	assert_true(kept_max > 1024 * 1024);	/* it does keep bodies */
	assert_true(kept_max <= 2 * 1024 * 1024);
	for (int pass = 0; pass < 2; pass++)
		for (int i = ITEMS - 1; i >= 0; i--) {
			render(i, 1, &out);
			assert_string_equal(mb_buf_cstr(&out), first[i]);
			assert_true(mb_item_view_body_kept() <=
			    2 * 1024 * 1024);
		}
	/* Another version of the same item is never the old one's body. */
	render(7, 2, &out);
	assert_non_null(strstr(mb_buf_cstr(&out), "version 2"));
	assert_null(strstr(mb_buf_cstr(&out), "version 1"));
	for (int i = 0; i < ITEMS; i++)
		free(first[i]);
	free(first);
	mb_buf_free(&out);
}

#define PLAIN	"Use <b>bold</b> & a <a href=\"https://evil.example/\">" \
		"link</a>\nsecond line"
#define PLAIN_HTML	"<p>Use &lt;b&gt;bold&lt;/b&gt; &amp; a &lt;a " \
		"href=\"https://evil.example/\"&gt;link&lt;/a&gt;</p>" \
		"<p>second line</p>"

/*
 * A text/plain body is text wherever it leaves as HTML: escaped, one
 * paragraph a line. NewsML-G2 (mb_http_newsml_item_copy) sanitized it
 * as HTML, so its "<b>" and link were live and its lines ran together.
 */
static void
test_plain_text_body(void **state)
{
	struct mb_buf	 out = MB_BUF_INIT;
	json_t		*item, *copy, *b;

	(void)state;
	item = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s}]}", "uri",
	    "urn:mediabridge:cairo:plain", "bodies", "value", PLAIN,
	    "contentType", "text/plain", "value", "<p>html <script>x</script>"
	    "</p>", "contentType", "text/html", "value", "<i>no type</i>");
	assert_non_null(item);
	assert_int_equal(mb_item_body_html(json_array_get(json_object_get(
	    item, "bodies"), 0), &out, NULL), MB_OK);
	assert_string_equal(mb_buf_cstr(&out), PLAIN_HTML);
	mb_buf_reset(&out);
	assert_non_null(copy = mb_http_newsml_item_copy(item));
	b = json_object_get(copy, "bodies");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    b, 0), "value")), PLAIN_HTML);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    b, 0), "contentType")), "text/html");
	/* HTML, said or not, is sanitized as before. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    b, 1), "value")), "<p>html </p>");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    b, 2), "value")), "<i>no type</i>");
	/* The item itself is not touched. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(item, "bodies"), 0), "value")), PLAIN);
	json_decref(copy);
	json_decref(item);
	mb_buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bodies_bounded_and_right),
		cmocka_unit_test(test_plain_text_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
