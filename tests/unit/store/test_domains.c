/* SPDX-License-Identifier: MIT */
/* Unit tests for the store's domains on each backend: their own migrations, counted apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/accounts_int.h"
#include "store/store.h"
#include "store/store_int.h"

#include "backend.h"

/*
 * A domain of the tests' own, "notes", as a domain branch writes one
 * (docs/store.md, "Adding a domain's tables"): one list of migrations
 * per backend, a second step added "later" by opening with the longer
 * list. "tags" is a second domain, to show the two count apart.
 */
#define NOTES_1_SQLITE "CREATE TABLE test_notes (" \
	"  id INTEGER PRIMARY KEY," \
	"  body TEXT NOT NULL);"
#define NOTES_1_PG "CREATE TABLE test_notes (" \
	"  id BIGSERIAL PRIMARY KEY," \
	"  body TEXT NOT NULL);"
/* Both backends say it the same way. */
#define NOTES_2 "ALTER TABLE test_notes ADD COLUMN tag TEXT NOT NULL " \
	"DEFAULT 'plain';"

static const char *const notes1_sqlite[] = { NOTES_1_SQLITE, NULL };
static const char *const notes1_pg[] = { NOTES_1_PG, NULL };
static const char *const notes2_sqlite[] = { NOTES_1_SQLITE, NOTES_2, NULL };
static const char *const notes2_pg[] = { NOTES_1_PG, NOTES_2, NULL };
/* A second step that fails: the table is there already. */
static const char *const notes_bad_sqlite[] = { NOTES_1_SQLITE,
	"CREATE TABLE test_tag_index (x INTEGER); CREATE TABLE test_notes "
	"(x INTEGER);", NULL };
static const char *const notes_bad_pg[] = { NOTES_1_PG,
	"CREATE TABLE test_tag_index (x INTEGER); CREATE TABLE test_notes "
	"(x INTEGER);", NULL };
static const char *const tags2[] = {
	"CREATE TABLE test_tags (name TEXT PRIMARY KEY);",
	"INSERT INTO test_tags VALUES ('first');", NULL };

static const struct mb_store_table notes_tables[] = {
	{ "test_notes", "id, body" },
	{ NULL, NULL }
};

static const struct mb_store_domain notes1 = {
	"notes", { [MB_STORE_SQLITE] = notes1_sqlite,
	    [MB_STORE_PG] = notes1_pg }, notes_tables };
static const struct mb_store_domain notes2 = {
	"notes", { [MB_STORE_SQLITE] = notes2_sqlite,
	    [MB_STORE_PG] = notes2_pg }, notes_tables };
static const struct mb_store_domain notes_bad = {
	"notes", { [MB_STORE_SQLITE] = notes_bad_sqlite,
	    [MB_STORE_PG] = notes_bad_pg }, notes_tables };
static const struct mb_store_domain tags = {
	"tags", { [MB_STORE_SQLITE] = tags2, [MB_STORE_PG] = tags2 }, NULL };

static const struct mb_store_domain *const with_notes1[] = { &notes1, NULL };
static const struct mb_store_domain *const with_notes2[] = { &notes2, NULL };
static const struct mb_store_domain *const with_bad[] = { &notes_bad, NULL };
static const struct mb_store_domain *const with_both[] = {
	&notes2, &tags, NULL };

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
open_with(const struct mb_store_domain *const *domains)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	if (mb_store__open_with(tb_loc, NULL, domains, &st, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	return st;
}

static int
version_of(struct mb_store *st, const char *domain)
{
	int v = -1;

	assert_int_equal(mb_store__domain_version(st, domain, &v, NULL),
	    MB_OK);
	return v;
}

/* The core's schema version, as a store without domains has it. */
static int
core_version(void)
{
	struct mb_store	*st = open_with(NULL);
	int		 v = mb_store_schema_version(st);

	mb_store_close(st);
	return v;
}

static void
test_migrates_and_counts(void **state)
{
	struct mb_store	*st;
	int		 core = core_version();

	(void)state;
	st = open_with(with_notes1);
	assert_int_equal(version_of(st, "notes"), 1);
	assert_int_equal(version_of(st, "nothing"), 0);
	/* The core's version does not move for a domain. */
	assert_int_equal(mb_store_schema_version(st), core);
	assert_int_equal(tb_query_int("SELECT version FROM schema_domains "
	    "WHERE domain = 'notes'"), 1);
	assert_int_equal(tb_exec("INSERT INTO test_notes (body) VALUES "
	    "('one')"), 0);
	assert_int_equal(tb_query_int("SELECT count(*) FROM test_notes"), 1);
	mb_store_close(st);
}

static void
test_reopen_runs_nothing_twice(void **state)
{
	struct mb_store *st;

	(void)state;
	st = open_with(with_notes1);
	mb_store_close(st);
	/* Step 1 is a plain CREATE TABLE: run again, it would fail. */
	st = open_with(with_notes1);
	assert_int_equal(version_of(st, "notes"), 1);
	mb_store_close(st);
}

static void
test_second_step_later(void **state)
{
	struct mb_store *st;

	(void)state;
	st = open_with(with_notes1);
	mb_store_close(st);
	assert_int_equal(tb_exec("INSERT INTO test_notes (body) VALUES "
	    "('kept')"), 0);
	/* A later program knows a second step: it runs at open, once. */
	st = open_with(with_notes2);
	assert_int_equal(version_of(st, "notes"), 2);
	mb_store_close(st);
	assert_int_equal(tb_query_int("SELECT count(*) FROM test_notes WHERE "
	    "body = 'kept' AND tag = 'plain'"), 1);
	st = open_with(with_notes2);
	assert_int_equal(version_of(st, "notes"), 2);
	mb_store_close(st);
}

static void
test_failed_step_changes_nothing(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	(void)state;
	st = open_with(with_notes1);
	mb_store_close(st);
	assert_int_equal(mb_store__open_with(tb_loc, NULL, with_bad, &st, &d),
	    MB_ERR_STORE);
	assert_non_null(strstr(d.msg, "domain notes: migration 2"));
	/* The step's transaction was rolled back whole. */
	assert_int_equal(tb_query_int("SELECT version FROM schema_domains "
	    "WHERE domain = 'notes'"), 1);
	assert_int_equal(tb_query_int("SELECT count(*) FROM test_tag_index"),
	    -1);
	st = open_with(with_notes2);
	assert_int_equal(version_of(st, "notes"), 2);
	mb_store_close(st);
}

static void
test_newer_than_program_refused(void **state)
{
	struct mb_store	*st;
	struct mb_diag	 d = { "" };

	(void)state;
	st = open_with(with_notes2);
	mb_store_close(st);
	assert_int_equal(mb_store__open_with(tb_loc, NULL, with_notes1, &st,
	    &d), MB_ERR_UNSUPPORTED);
	assert_non_null(strstr(d.msg, "domain notes"));
	assert_non_null(strstr(d.msg, "newer"));
}

static void
test_readonly_does_not_migrate(void **state)
{
	struct mb_store		*st;
	struct mb_store_opts	 ro = { .readonly = true };
	struct mb_diag		 d = { "" };

	(void)state;
	st = open_with(with_notes1);
	mb_store_close(st);
	assert_int_equal(mb_store__open_with(tb_loc, &ro, with_notes2, &st,
	    &d), MB_ERR_UNSUPPORTED);
	assert_non_null(strstr(d.msg, "needs migrating"));
	/* Up to date: a read-only handle opens. */
	assert_int_equal(mb_store__open_with(tb_loc, &ro, with_notes1, &st,
	    &d), MB_OK);
	assert_int_equal(version_of(st, "notes"), 1);
	mb_store_close(st);
}

static void
test_domains_count_apart(void **state)
{
	struct mb_store	*st;
	int		 core = core_version();

	(void)state;
	st = open_with(with_both);
	assert_int_equal(version_of(st, "notes"), 2);
	assert_int_equal(version_of(st, "tags"), 2);
	assert_int_equal(mb_store_schema_version(st), core);
	mb_store_close(st);
	assert_int_equal(tb_query_int("SELECT count(*) FROM test_tags"), 1);
	assert_int_equal(tb_query_int("SELECT count(*) FROM schema_domains"),
	    2);
}

/*
 * A store made before domains had migrations (core version 7, no
 * schema_domains) opens, takes core migration 8, then its domains'.
 */
static void
test_store_from_before_domains(void **state)
{
	struct mb_store	*st;
	int		 core = core_version();

	(void)state;
	if (tb_is_pg())
		assert_int_equal(tb_exec("DROP TABLE schema_domains; "
		    "DELETE FROM mb_schema; INSERT INTO mb_schema VALUES (7)"),
		    0);
	else
		assert_int_equal(tb_exec("DROP TABLE schema_domains; "
		    "ALTER TABLE centers DROP COLUMN names; "
		    "ALTER TABLE centers DROP COLUMN mt_pairs; "
		    "PRAGMA user_version = 7"), 0);
	st = open_with(with_notes1);
	assert_int_equal(mb_store_schema_version(st), core);
	assert_int_equal(version_of(st, "notes"), 1);
	mb_store_close(st);
}

/*
 * mb_store_copy copies the domains' tables too, and a sequence behind
 * one (PostgreSQL's BIGSERIAL) goes on after the rows copied.
 */
static void
test_copy_takes_the_domains(void **state)
{
	struct mb_store	*from, *to;
	struct mb_diag	 d = { "" };
	char		 src[64], sql[128];
	int		 fd;

	(void)state;
	to = open_with(with_notes1);
	if (!tb_is_pg()) {
		/* A SQLite store is no target. */
		assert_int_equal(mb_store_copy(to, to, NULL, NULL, &d),
		    MB_ERR_UNSUPPORTED);
		mb_store_close(to);
		return;
	}
	snprintf(src, sizeof(src), "/tmp/mb-store-src-XXXXXX");
	assert_true((fd = mkstemp(src)) >= 0);
	close(fd);
	unlink(src);
	if (mb_store__open_with(src, NULL, with_notes1, &from, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	mb_store_close(from);
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(src, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "INSERT INTO test_notes "
		    "(id, body) VALUES (7, 'seven'), (9, 'nine')", NULL, NULL,
		    NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	if (mb_store__open_with(src, NULL, with_notes1, &from, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	if (mb_store_copy(from, to, NULL, NULL, &d) != MB_OK)
		fail_msg("copy: %s", d.msg);
	mb_store_close(from);
	mb_store_close(to);
	assert_int_equal(tb_query_int("SELECT count(*) FROM test_notes"), 2);
	assert_int_equal(tb_exec("INSERT INTO test_notes (body) VALUES "
	    "('next')"), 0);
	assert_int_equal(tb_query_int("SELECT max(id) FROM test_notes"), 10);
	snprintf(sql, sizeof(sql), "%s", src);
	unlink(sql);
	snprintf(sql, sizeof(sql), "%s-wal", src);
	unlink(sql);
	snprintf(sql, sizeof(sql), "%s-shm", src);
	unlink(sql);
}

/* Every call of every table is filled (copy's are NULL by design). */
static void
test_tables_are_full(void **state)
{
	const struct mb_store_ops *core[] = { &mb_sqlite_ops, &mb_pg_ops };
	const struct mb_store_accounts_ops *acc[] = { &mb_sqlite_accounts,
	    &mb_pg_accounts };

	(void)state;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(tb_ops_missing(core[i],
		    offsetof(struct mb_store_ops, accepts),
		    offsetof(struct mb_store_ops, copy_rows)), 0);
		assert_int_equal(tb_ops_missing(acc[i], 0,
		    sizeof(struct mb_store_accounts_ops)), 0);
	}
	/* One side of a copy each: SQLite reads, PostgreSQL writes. */
	assert_non_null(mb_sqlite_ops.copy_rows);
	assert_null(mb_sqlite_ops.copy_begin);
	assert_null(mb_pg_ops.copy_rows);
	assert_int_equal(tb_ops_missing(&mb_pg_ops,
	    offsetof(struct mb_store_ops, copy_begin),
	    sizeof(struct mb_store_ops)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrates_and_counts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_runs_nothing_twice,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_step_later, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_failed_step_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_newer_than_program_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_does_not_migrate,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_domains_count_apart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_from_before_domains,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_takes_the_domains,
		    setup, teardown),
		cmocka_unit_test(test_tables_are_full),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
