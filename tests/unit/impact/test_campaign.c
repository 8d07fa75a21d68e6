/* SPDX-License-Identifier: MIT */
/* Unit tests for a campaign's reach: its countries and languages, bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "impact/campaign.h"
#include "store/store.h"

#define DAY "2026-12-01"
#define NKEYS 40

static struct mb_store *
store(char *dir)
{
	struct mb_store	*st;
	char		 loc[300];
	struct mb_diag	 d = { "" };

	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp");
	snprintf(loc, sizeof(loc), "sqlite:%s/store.db", dir);
	if (mb_store_open(loc, NULL, &st, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	return st;
}

/* The views of one period's rows, and whether "(other)" is among them. */
static int64_t
sum(const struct mb_reach_row *rows, size_t n, int *other)
{
	int64_t v = 0;

	*other = 0;
	for (size_t i = 0; i < n; i++) {
		v += rows[i].views;
		if (strcmp(rows[i].key, "(other)") == 0)
			(*other)++;
	}
	return v;
}

/*
 * Read from more countries and languages than a period keeps: once
 * "(other)" was there, the next key was written past the array (serve
 * died on the campaign's page). Every further key is "(other)"'s.
 */
static void
test_many_countries(void **state)
{
	char			 dir[] = "/tmp/mb-campaign-XXXXXX", cmd[300];
	struct mb_store		*st = store(dir);
	struct mb_impact_row	 rows[NKEYS];
	struct mb_campaign	 c;
	struct mb_reach_period	 out[MB_REACH__N];
	struct mb_diag		 d = { "" };
	int			 other;

	(void)state;
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < NKEYS; i++) {
		struct mb_impact_row *r = &rows[i];

		snprintf(r->center, sizeof(r->center), "cairo");
		snprintf(r->day, sizeof(r->day), DAY);
		snprintf(r->kind, sizeof(r->kind), "item");
		snprintf(r->key, sizeof(r->key), "cairo/a");
		snprintf(r->lang, sizeof(r->lang), "l%c%c", 'a' + i / 26,
		    'a' + i % 26);
		snprintf(r->country, sizeof(r->country), "%c%c", 'A' + i / 26,
		    'A' + i % 26);
		snprintf(r->campaign, sizeof(r->campaign), "spring");
		r->views = 10 + i;
		r->uniques = 1;
	}
	assert_int_equal(mb_store_impact_add(st, rows, NKEYS, &d), MB_OK);
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "Spring");
	snprintf(c.utm, sizeof(c.utm), "spring");
	snprintf(c.starts, sizeof(c.starts), DAY);
	snprintf(c.ends, sizeof(c.ends), DAY);
	assert_int_equal(mb_campaign_reach(st, &c, DAY, out, &d), MB_OK);
	assert_int_equal(out[MB_REACH_DURING].ncountry, MB_REACH_KEYS + 1);
	assert_int_equal(out[MB_REACH_DURING].nlang, MB_REACH_KEYS + 1);
	assert_int_equal(sum(out[MB_REACH_DURING].country,
	    out[MB_REACH_DURING].ncountry, &other), NKEYS * 10 +
	    NKEYS * (NKEYS - 1) / 2);
	assert_int_equal(other, 1);
	assert_int_equal(sum(out[MB_REACH_DURING].lang,
	    out[MB_REACH_DURING].nlang, &other), NKEYS * 10 +
	    NKEYS * (NKEYS - 1) / 2);
	assert_int_equal(other, 1);
	assert_int_equal(out[MB_REACH_DURING].views, NKEYS * 10 +
	    NKEYS * (NKEYS - 1) / 2);
	mb_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_countries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
