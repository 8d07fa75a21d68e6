/* SPDX-License-Identifier: MIT */
/* Unit tests for src/text/worddiff: what a translator changed, in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "text/worddiff.h"

/* The diff written as "text[-del-]{+ins+}". */
static int
show(enum mb_diff_op op, const char *s, size_t len, void *arg)
{
	char *out = arg;

	strcat(out, op == MB_DIFF_DEL ? "[-" : op == MB_DIFF_INS ? "{+" : "");
	strncat(out, s, len);
	strcat(out, op == MB_DIFF_DEL ? "-]" : op == MB_DIFF_INS ? "+}" : "");
	return MB_OK;
}

static void
check(const char *a, const char *b, const char *want)
{
	char got[4096] = "";

	assert_int_equal(mb_word_diff(a, strlen(a), b, strlen(b), show, got),
	    MB_OK);
	assert_string_equal(got, want);
}

static void
test_words(void **state)
{
	(void)state;
	check("", "", "");
	check("same text", "same text", "same text");
	check("", "new", "{+new+}");
	check("old", "", "[-old-]");
	check("El coche rojo grande", "El coche rojo pequeño",
	    "El coche rojo [-grande-]{+pequeño+}");
	check("La escuela abre la semana próxima.",
	    "La nueva escuela abre la próxima semana.",
	    "La {+nueva +}escuela abre la [-semana próxima.-]{+próxima "
	    "semana.+}");
	/* White space changes alone are not edits. */
	check("uno  dos\ntres", "uno dos tres", "uno dos tres");
	/* A lone space between changes joins them. */
	check("a b c", "x y c", "[-a b-]{+x y+} c");
}

static int
stop(enum mb_diff_op op, const char *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	(*(int *)arg)++;
	return op == MB_DIFF_INS ? MB_ERR_INVAL : MB_OK;
}

static void
test_stop_and_large(void **state)
{
	char	*a, *b, *got;
	size_t	 n = 5000, cap = n * 8;
	int	 calls = 0;

	(void)state;
	assert_int_equal(mb_word_diff("a b", 3, "a c", 3, stop, &calls),
	    MB_ERR_INVAL);
	assert_int_equal(calls, 3);
	/* 5,000 words each side, all different: one DEL, one INS. */
	a = calloc(1, cap);
	b = calloc(1, cap);
	got = calloc(1, cap * 3);
	for (size_t i = 0; i < n; i++) {
		sprintf(a + strlen(a), "a%zu ", i);
		sprintf(b + strlen(b), "b%zu ", i);
	}
	assert_int_equal(mb_word_diff(a, strlen(a), b, strlen(b), show, got),
	    MB_OK);
	assert_memory_equal(got, "[-a0 ", 5);
	assert_non_null(strstr(got, "a4999-]{+b0 "));
	free(a);
	free(b);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_stop_and_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
