/* SPDX-License-Identifier: MIT */
/* Unit tests for the events domain on each backend: settings, registrations, check-ins, the mail queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/events.h"
#include "store/events_int.h"
#include "store/store.h"

#include "backend.h"

#define EV "urn:mediabridge:hq:forum"

static int
setup(void **state)
{
	*state = NULL;
	return tb_create();
}

static int
teardown(void **state)
{
	(void)state;
	tb_destroy();
	return 0;
}

static struct mb_store *
open_store(void)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	if (mb_store_open(tb_loc, NULL, &st, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	return st;
}

static void
add(struct mb_store *st, const char *id, const char *email,
    const char *state, int rc_want)
{
	struct mb_ev_reg	r;
	struct mb_diag		d = { "" };

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.event, sizeof(r.event), EV);
	snprintf(r.email, sizeof(r.email), "%s", email);
	snprintf(r.name, sizeof(r.name), "Name of %s", id);
	snprintf(r.answers, sizeof(r.answers), "{}");
	snprintf(r.state, sizeof(r.state), "%s", state);
	snprintf(r.token, sizeof(r.token), "token-%s", id);
	r.created_ms = 1000;
	assert_int_equal(mb_store_ev_reg_add(st, &r, &d), rc_want);
	if (rc_want == MB_OK)
		assert_true(r.seq > 0);
}

struct ids {
	int	n;
	char	id[8][MB_EV_ID_MAX];
};

static int
collect(const struct mb_ev_reg *r, void *arg)
{
	struct ids *c = arg;

	if (c->n < 8)
		snprintf(c->id[c->n], sizeof(c->id[0]), "%s", r->id);
	c->n++;
	return MB_OK;
}

static int
collect_mail(const struct mb_ev_mail *m, void *arg)
{
	struct ids *c = arg;

	assert_non_null(strstr(m->body, "Hello"));
	if (c->n < 8)
		snprintf(c->id[c->n], sizeof(c->id[0]), "%lld",
		    (long long)m->id);
	c->n++;
	return MB_OK;
}

static void
test_tables_are_full(void **state)
{
	(void)state;
	assert_int_equal(tb_ops_missing(&mb_sqlite_events, 0,
	    sizeof(struct mb_store_events_ops)), 0);
	assert_int_equal(tb_ops_missing(&mb_pg_events, 0,
	    sizeof(struct mb_store_events_ops)), 0);
}

static void
test_registrations(void **state)
{
	struct mb_store		*st = open_store();
	struct mb_ev_settings	 s, s2;
	struct mb_ev_counts	 c;
	struct mb_ev_reg	 r;
	struct ids		 ids;
	int64_t			 first = 0, count = 0;

	(void)state;
	assert_int_equal(mb_store_ev_settings_get(st, EV, &s2, NULL),
	    MB_ERR_NOTFOUND);
	memset(&s, 0, sizeof(s));
	snprintf(s.event, sizeof(s.event), EV);
	s.capacity = 2;
	s.approval = true;
	snprintf(s.questions, sizeof(s.questions), "[\"q\"]");
	assert_int_equal(mb_store_ev_settings_put(st, &s, NULL), MB_OK);
	s.capacity = 3;
	assert_int_equal(mb_store_ev_settings_put(st, &s, NULL), MB_OK);
	assert_int_equal(mb_store_ev_settings_get(st, EV, &s2, NULL), MB_OK);
	assert_int_equal(s2.capacity, 3);
	assert_true(s2.approval);
	assert_string_equal(s2.questions, "[\"q\"]");

	add(st, "r1", "a@x.org", "complete", MB_OK);
	add(st, "r2", "b@x.org", "waitlisted", MB_OK);
	add(st, "r3", "a@x.org", "complete", MB_ERR_EXISTS);
	add(st, "r4", "c@x.org", "waitlisted", MB_OK);
	assert_int_equal(mb_store_ev_reg_counts(st, EV, &c, NULL), MB_OK);
	assert_int_equal(c.complete, 1);
	assert_int_equal(c.waitlisted, 2);
	memset(&ids, 0, sizeof(ids));
	assert_int_equal(mb_store_ev_reg_list(st, EV, "waitlisted", collect,
	    &ids, NULL), MB_OK);
	assert_int_equal(ids.n, 2);
	assert_string_equal(ids.id[0], "r2");
	assert_string_equal(ids.id[1], "r4");
	memset(&ids, 0, sizeof(ids));
	assert_int_equal(mb_store_ev_reg_list(st, NULL, NULL, collect, &ids,
	    NULL), MB_OK);
	assert_int_equal(ids.n, 3);

	assert_int_equal(mb_store_ev_reg_set(st, "r2", "pending", 5000, NULL,
	    NULL), MB_OK);
	assert_int_equal(mb_store_ev_reg_set(st, "nope", "pending", 0, NULL,
	    NULL), MB_ERR_NOTFOUND);
	assert_int_equal(mb_store_ev_reg_get(st, NULL, "token-r2", &r, NULL),
	    MB_OK);
	assert_string_equal(r.state, "pending");
	assert_int_equal(r.offer_until_ms, 5000);
	assert_int_equal(mb_store_ev_reg_set(st, "r2", "complete", 0, "MBT1:x",
	    NULL), MB_OK);
	assert_int_equal(mb_store_ev_reg_get(st, "r2", NULL, &r, NULL), MB_OK);
	assert_string_equal(r.ticket, "MBT1:x");
	assert_string_equal(r.name, "Name of r2");

	assert_int_equal(mb_store_ev_reg_checkin(st, "r2", 7000, &first,
	    &count, NULL), MB_OK);
	assert_int_equal(first, 7000);
	assert_int_equal(count, 1);
	assert_int_equal(mb_store_ev_reg_checkin(st, "r2", 9000, &first,
	    &count, NULL), MB_OK);
	assert_int_equal(first, 7000);
	assert_int_equal(count, 2);
	assert_int_equal(mb_store_ev_reg_checkin(st, "nope", 9000, &first,
	    &count, NULL), MB_ERR_NOTFOUND);

	/*
	 * A withdrawn address registers again: a new row after the others
	 * (the old one stays withdrawn); only one not withdrawn at a time.
	 */
	assert_int_equal(mb_store_ev_reg_set(st, "r1", "withdrawn", 0, NULL,
	    NULL), MB_OK);
	add(st, "r5", "a@x.org", "waitlisted", MB_OK);
	add(st, "r6", "a@x.org", "waitlisted", MB_ERR_EXISTS);
	assert_int_equal(mb_store_ev_reg_get(st, "r1", NULL, &r, NULL), MB_OK);
	assert_string_equal(r.state, "withdrawn");
	memset(&ids, 0, sizeof(ids));
	assert_int_equal(mb_store_ev_reg_list(st, EV, "waitlisted", collect,
	    &ids, NULL), MB_OK);
	assert_int_equal(ids.n, 2);
	assert_string_equal(ids.id[1], "r5");
	mb_store_close(st);
}

static void
test_mail_queue(void **state)
{
	struct mb_store	*st = open_store();
	struct ids	 ids;
	int64_t		 n = -1;

	(void)state;
	assert_int_equal(mb_store_ev_mail_add(st, "a@x.org", "S", "Hello A",
	    NULL), MB_OK);
	assert_int_equal(mb_store_ev_mail_add(st, "b@x.org", "S", "Hello B",
	    NULL), MB_OK);
	assert_int_equal(mb_store_ev_mail_pending(st, &n, NULL), MB_OK);
	assert_int_equal(n, 2);
	memset(&ids, 0, sizeof(ids));
	assert_int_equal(mb_store_ev_mail_due(st, INT64_MAX / 2, 10,
	    collect_mail, &ids, NULL), MB_OK);
	assert_int_equal(ids.n, 2);
	/* One sent, one failed and due again later. */
	assert_int_equal(mb_store_ev_mail_done(st, atoll(ids.id[0]), 1, 0, "",
	    NULL), MB_OK);
	assert_int_equal(mb_store_ev_mail_done(st, atoll(ids.id[1]), 0,
	    INT64_MAX / 4, "refused", NULL), MB_OK);
	assert_int_equal(mb_store_ev_mail_pending(st, &n, NULL), MB_OK);
	assert_int_equal(n, 1);
	memset(&ids, 0, sizeof(ids));
	assert_int_equal(mb_store_ev_mail_due(st, INT64_MAX / 8, 10,
	    collect_mail, &ids, NULL), MB_OK);
	assert_int_equal(ids.n, 0);
	assert_int_equal(mb_store_ev_mail_due(st, INT64_MAX / 2, 10,
	    collect_mail, &ids, NULL), MB_OK);
	assert_int_equal(ids.n, 1);
	mb_store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_are_full),
		cmocka_unit_test_setup_teardown(test_registrations, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mail_queue, setup,
		    teardown),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
