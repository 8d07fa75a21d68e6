/* SPDX-License-Identifier: MIT */
/* Unit tests for the template language: escaping, blocks, includes, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/i18n.h"
#include "http/template.h"

static struct mb_tpl_set *
set_of(const char *name, const char *text)
{
	struct mb_tpl_set	*s;
	struct mb_diag		 d = { "" };

	assert_int_equal(mb_tpl_set_new(&s), MB_OK);
	if (mb_tpl_add(s, name, text, strlen(text), &d) != MB_OK)
		fail_msg("%s", d.msg);
	return s;
}

/* Renders text with td into a static buffer. */
static const char *
render(const char *text, const struct mb_tdata *td,
    const struct mb_catalog *cat)
{
	static char		 out[4096];
	struct mb_tpl_set	*s = set_of("t", text);
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_diag		 d = { "" };

	if (mb_tpl_render(s, "t", td, cat, &b, &d) != MB_OK)
		fail_msg("render: %s", d.msg);
	snprintf(out, sizeof(out), "%s", mb_buf_cstr(&b));
	mb_buf_free(&b);
	mb_tpl_set_free(s);
	return out;
}

static void
test_escape(void **state)
{
	struct mb_tdata	*td;
	struct mb_tval	*r;

	(void)state;
	assert_int_equal(mb_tdata_new(&td), MB_OK);
	r = mb_tdata_root(td);
	mb_tv_str(td, r, "x", "<script>alert('1')</script>&\"");
	mb_tv_html(td, r, "h", "<p>ok</p>");
	mb_tv_int(td, r, "n", -42);
	assert_string_equal(render("[{{ x }}]", td, NULL),
	    "[&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;&amp;&quot;]");
	/* Only C makes trusted HTML; a template cannot unescape a string. */
	assert_string_equal(render("{{ h }}{{ n }}", td, NULL), "<p>ok</p>-42");
	assert_string_equal(render("<a title=\"{{ x }}\">", td, NULL),
	    "<a title=\"&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;"
	    "&amp;&quot;\">");
	mb_tdata_free(td);
}

static void
test_url(void **state)
{
	struct mb_tdata	*td;
	struct mb_tval	*r;

	(void)state;
	assert_int_equal(mb_tdata_new(&td), MB_OK);
	r = mb_tdata_root(td);
	mb_tv_str(td, r, "a", "javascript:alert(1)");
	mb_tv_str(td, r, "b", "https://example.org/?a=1&b=2");
	mb_tv_str(td, r, "c", "/ar/items/x/y");
	mb_tv_str(td, r, "d", " JaVaScRiPt:x");
	mb_tv_str(td, r, "e", "data:text/html,<b>");
	assert_string_equal(render("{{ url a }}|{{ url b }}|{{ url c }}|"
	    "{{ url d }}|{{ url e }}", td, NULL),
	    "#|https://example.org/?a=1&amp;b=2|/ar/items/x/y|#|#");
	assert_true(mb_url_safe("#top"));
	assert_true(mb_url_safe("?q=1"));
	assert_false(mb_url_safe("vbscript:x"));
	assert_false(mb_url_safe(NULL));
	mb_tdata_free(td);
}

static void
test_blocks(void **state)
{
	struct mb_tdata	*td;
	struct mb_tval	*r, *l, *m;

	(void)state;
	assert_int_equal(mb_tdata_new(&td), MB_OK);
	r = mb_tdata_root(td);
	l = mb_tv_list(td, r, "items");
	for (int i = 1; i <= 3; i++) {
		m = mb_tv_map(td, l, NULL);
		mb_tv_int(td, m, "n", i);
		mb_tv_bool(td, m, "odd", i % 2);
	}
	mb_tv_map(td, r, "empty");
	mb_tv_list(td, r, "none");
	mb_tv_str(td, r, "blank", "");
	assert_string_equal(render("{{ for it in items }}{{ it.n }}"
	    "{{ if it.odd }}o{{ else }}e{{ end }},{{ end }}", td, NULL),
	    "1o,2e,3o,");
	assert_string_equal(render("{{ if none }}x{{ else }}y{{ end }}"
	    "{{ unless blank }}z{{ end }}{{ if missing.deep }}!{{ end }}"
	    "{{ if empty }}m{{ end }}", td, NULL), "yzm");
	/* Later values for a key win; dotted paths walk maps. */
	m = mb_tv_map(td, r, "a");
	mb_tv_str(td, m, "b", "first");
	mb_tv_str(td, m, "b", "second");
	assert_string_equal(render("{{ a.b }}{{! a comment }}", td, NULL),
	    "second");
	/* Indentation after line breaks is dropped from template text. */
	assert_string_equal(render("<ul>\n\t\t<li>x</li>\n    </ul>", td,
	    NULL), "<ul>\n<li>x</li>\n</ul>");
	mb_tdata_free(td);
}

static void
test_include_and_i18n(void **state)
{
	struct mb_tpl_set	*s;
	struct mb_i18n		*i;
	struct mb_tdata		*td;
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	const char		*ru = "hello = Привет, {}\n"
				    "n[one] = {} статья\nn[few] = {} статьи\n"
				    "n[many] = {} статей\nlt = a<b\n";
	const char		*en = "hello = Hello, {}\nn[one] = {} item\n"
				    "n[other] = {} items\nonly.en = fallback\n";

	(void)state;
	assert_int_equal(mb_i18n_new(&i), MB_OK);
	assert_int_equal(mb_i18n_add(i, "en", en, strlen(en), &d), MB_OK);
	assert_int_equal(mb_i18n_add(i, "ru", ru, strlen(ru), &d), MB_OK);
	s = set_of("page", "{{ include \"part\" }}/{{ _ n k }}/{{ _ lt }}"
	    "/{{ _ only.en }}/{{ _ no.such }}");
	assert_int_equal(mb_tpl_add(s, "part", "{{ _ hello who }}", 17, &d),
	    MB_OK);
	assert_int_equal(mb_tdata_new(&td), MB_OK);
	mb_tv_str(td, mb_tdata_root(td), "who", "<Мир>");
	mb_tv_int(td, mb_tdata_root(td), "k", 22);
	assert_int_equal(mb_tpl_render(s, "page", td, mb_i18n_get(i, "ru"),
	    &b, &d), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), "Привет, &lt;Мир&gt;/22 статьи/"
	    "a&lt;b/fallback/no.such");
	mb_buf_free(&b);
	/* A missing include is an error naming it; output is unchanged. */
	assert_int_equal(mb_tpl_add(s, "bad", "x{{ include \"gone\" }}", 21,
	    &d), MB_OK);
	assert_int_equal(mb_tpl_render(s, "bad", td, NULL, &b, &d),
	    MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "gone"));
	assert_int_equal(b.len, 0);
	/* A template that includes itself stops at the depth limit. */
	assert_int_equal(mb_tpl_add(s, "loop", "{{ include \"loop\" }}", 20,
	    &d), MB_OK);
	assert_int_equal(mb_tpl_render(s, "loop", td, NULL, &b, &d),
	    MB_ERR_TOOBIG);
	mb_buf_free(&b);
	mb_tdata_free(td);
	mb_tpl_set_free(s);
	mb_i18n_free(i);
}

static void
test_syntax_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "a\n{{ if x }}", "t:2: {{ if }} is not closed" },
		{ "{{ end }}", "without an open block" },
		{ "{{ x y }}", "not a value's name" },
		{ "{{ x", "{{ without }}" },
		{ "{{ for x of y }}{{ end }}", "write {{ if" },
		{ "{{ include name }}", "include" },
		{ "{{ }}", "empty" },
		{ "{{ a..b }}", "not a value's name" },
		{ "{{ if a }}{{ else }}{{ else }}{{ end }}", "else" },
		{ "{{ <script> }}", "not a value's name" },
	};
	struct mb_tpl_set	*s;
	struct mb_diag		 d;

	(void)state;
	assert_int_equal(mb_tpl_set_new(&s), MB_OK);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&d, 0, sizeof(d));
		assert_int_equal(mb_tpl_add(s, "t", cases[i].text,
		    strlen(cases[i].text), &d), MB_ERR_INVAL);
		if (strstr(d.msg, cases[i].want) == NULL)
			fail_msg("case %zu: %s: want %s", i, d.msg,
			    cases[i].want);
	}
	assert_false(mb_tpl_has(s, "t"));
	mb_tpl_set_free(s);
}

/* The shipped templates parse and render with no data at all. */
static void
test_shipped(void **state)
{
	static const char *const pages[] = { "list.html", "item.html",
		"search.html", "notfound.html", "nr_login.html",
		"nr_home.html", "nr_edit.html" };
	struct mb_tpl_set	*s;
	struct mb_i18n		*i;
	struct mb_tdata		*td;
	struct mb_diag		 d = { "" };

	(void)state;
	if (mb_tpl_load(MB_TEST_SRCDIR "/templates", &s, &d) != MB_OK)
		fail_msg("%s", d.msg);
	if (mb_i18n_load(MB_TEST_SRCDIR "/templates/i18n", &i, &d) != MB_OK)
		fail_msg("%s", d.msg);
	assert_int_equal(mb_tdata_new(&td), MB_OK);
	for (size_t k = 0; k < sizeof(pages) / sizeof(pages[0]); k++) {
		struct mb_buf b = MB_BUF_INIT;

		if (mb_tpl_render(s, pages[k], td, mb_i18n_get(i, "ar"), &b,
		    &d) != MB_OK)
			fail_msg("%s: %s", pages[k], d.msg);
		assert_non_null(strstr(mb_buf_cstr(&b), "<main"));
		mb_buf_free(&b);
	}
	mb_tdata_free(td);
	mb_tpl_set_free(s);
	mb_i18n_free(i);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_include_and_i18n),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
