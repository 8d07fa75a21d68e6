/* SPDX-License-Identifier: MIT */
/* Unit tests for the router: patterns, parameters, 404 and 405. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/http_int.h"

static int
match(const char *method, const char *path, struct mb_route_match *m,
    char *scratch)
{
	strcpy(scratch, path);
	return mb_router_match(method, path, scratch, m);
}

static const char *
param(const struct mb_route_match *m, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < m->nparams; i++)
		if (strncmp(m->names[i], name, n) == 0 &&
		    (m->names[i][n] == '\0' || m->names[i][n] == '/'))
			return m->values[i];
	return NULL;
}

static void
test_params(void **state)
{
	struct mb_route_match	m;
	char			s[256];

	(void)state;
	assert_int_equal(match("GET", "/api/v1/items/cairo/abc", &m, s),
	    MB_OK);
	assert_string_equal(m.route->name, "items.get");
	assert_string_equal(param(&m, "center"), "cairo");
	assert_string_equal(param(&m, "local"), "abc");
	assert_int_equal(match("POST", "/api/v1/items/cairo/abc/publish", &m,
	    s), MB_OK);
	assert_string_equal(m.route->name, "items.action");
	assert_string_equal(param(&m, "action"), "publish");
	/* The more literal pattern wins over a parameter. */
	assert_int_equal(match("GET", "/api/v1/items/cairo/abc/html", &m, s),
	    MB_OK);
	assert_string_equal(m.route->name, "items.html");
	/* HEAD is served by GET routes. */
	assert_int_equal(match("HEAD", "/healthz", &m, s), MB_OK);
	assert_string_equal(m.route->name, "healthz");
}

static void
test_misses(void **state)
{
	struct mb_route_match	m;
	char			s[256];

	(void)state;
	assert_int_equal(match("GET", "/nope", &m, s), MB_ERR_NOTFOUND);
	assert_int_equal(match("GET", "/api/v1/items/", &m, s),
	    MB_ERR_NOTFOUND);
	assert_int_equal(match("GET", "/api/v1/items//x", &m, s),
	    MB_ERR_NOTFOUND);
	assert_int_equal(match("GET", "healthz", &m, s), MB_ERR_NOTFOUND);
	assert_int_equal(match("DELETE", "/api/v1/items", &m, s),
	    MB_ERR_PERM);
	assert_non_null(strstr(m.allow, "GET"));
	assert_non_null(strstr(m.allow, "POST"));
}

static void
test_table(void **state)
{
	(void)state;
	assert_true(mb_router_count() > 10);
	for (int i = 0; i < mb_router_count(); i++) {
		const struct mb_route *r = mb_router_at(i);

		assert_non_null(r);
		assert_non_null(r->handler);
		assert_non_null(r->name);
		assert_int_equal(r->pattern[0], '/');
	}
	assert_null(mb_router_at(mb_router_count()));
}

/*
 * Every pattern, its parameters filled in (a trailing "*" with several
 * segments), finds a route of its method: the router's first look at
 * a path's shape (the number of '/', the first segments) turns none of
 * them away.
 */
static void
test_every_pattern(void **state)
{
	(void)state;
	for (int i = 0; i < mb_router_count(); i++) {
		const struct mb_route	*r = mb_router_at(i);
		struct mb_route_match	 m;
		char			 path[256], s[256];
		size_t			 o = 0;

		for (const char *p = r->pattern; *p != '\0' && o < 200;) {
			if (*p == ':' || (p[0] == '*' && p[1] == '\0')) {
				const char *v = *p == '*' ? "a/b/c" : "v1x";

				memcpy(path + o, v, strlen(v));
				o += strlen(v);
				p += strcspn(p, "/");
			} else {
				path[o++] = *p++;
			}
		}
		path[o] = '\0';
		assert_int_equal(match(r->method, path, &m, s), MB_OK);
		assert_string_equal(m.route->method, r->method);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_misses),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
