/* SPDX-License-Identifier: MIT */
/* Unit tests for the signed reports' checks: a report not signed by its center is refused before anything is read or kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "impact/report.h"
#include "store/impact.h"

static void
test_not_its_center(void **state)
{
	struct mb_store_version	 v;
	struct mb_impact_row	*rows = NULL;
	struct mb_diag		 d = { "" };
	size_t			 n = 0;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.uri = "urn:mediabridge:cairo:impact-2026-12-05";
	v.center = "cairo";
	v.local = "impact-2026-12-05";
	v.profile = "impact-report";
	v.envelope = "{}";
	v.envelope_len = 2;
	/* Manama's signature on a report of Cairo's: refused. */
	v.origin = "manama";
	assert_int_equal(mb_impact_report_check(NULL, &v, &rows, &n, &d),
	    MB_ERR_SIG);
	assert_non_null(strstr(d.msg, "not signed by its center"));
	assert_null(rows);
	/* No origin at all: refused the same. */
	v.origin = NULL;
	assert_int_equal(mb_impact_report_apply(NULL, &v, &d), MB_ERR_SIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_its_center),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
