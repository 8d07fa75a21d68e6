/* SPDX-License-Identifier: MIT */
/* Unit tests for src/center/conf.c: mb_conf_set rewrites one key and keeps every other line of the operator's file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "center/conf.h"

static char	dir[64];
static char	file[128];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/mb-conf-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/mediabridge.conf", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(file);
	rmdir(dir);
	return 0;
}

static void
put(const char *text, mode_t mode)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(file, mode);
}

static char *
get(void)
{
	struct mb_diag	d = {0};
	char		*s = NULL;
	size_t		n;

	assert_int_equal(mb_fs_read(file, 1 << 20, &s, &n, &d), MB_OK);
	return s;
}

static void
set(const char *sec, const char *key, const char *val, int want)
{
	struct mb_conf	c;
	struct mb_diag	d = {0};

	memset(&c, 0, sizeof(c));
	snprintf(c.file, sizeof(c.file), "%s", file);
	snprintf(c.dir, sizeof(c.dir), "%s", dir);
	assert_int_equal(mb_conf_set(&c, sec, key, val, &d), want);
}

static const char base[] =
    "# the operator's comment\n"
    "[center]\nid = cairo\n\n"
    "[store]\n; old store\ndatabase = store.db\n\n"
    "[impact]\ntrusted_proxies = 127.0.0.1\n";

static void
test_replaces_in_place(void **state)
{
	char *s;

	(void)state;
	put(base, 0600);
	set("store", "database", "postgresql:///mb", MB_OK);
	s = get();
	assert_string_equal(s,
	    "# the operator's comment\n"
	    "[center]\nid = cairo\n\n"
	    "[store]\n; old store\ndatabase = postgresql:///mb\n\n"
	    "[impact]\ntrusted_proxies = 127.0.0.1\n");
	free(s);
}

static void
test_adds_key_and_section(void **state)
{
	struct stat	st;
	char		*s;

	(void)state;
	put(base, 0600);
	set("center", "url", "http://x", MB_OK);
	set("mail", "relay", "smtp://127.0.0.1:25", MB_OK);
	s = get();
	assert_string_equal(s,
	    "# the operator's comment\n"
	    "[center]\nid = cairo\nurl = http://x\n\n"
	    "[store]\n; old store\ndatabase = store.db\n\n"
	    "[impact]\ntrusted_proxies = 127.0.0.1\n"
	    "\n[mail]\nrelay = smtp://127.0.0.1:25\n");
	free(s);
	/* A file that may hold the mail password keeps its mode. */
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void
test_refuses_line_break(void **state)
{
	char *s;

	(void)state;
	put(base, 0644);
	set("store", "database", "x\n[center]\nid = evil", MB_ERR_INVAL);
	s = get();
	assert_string_equal(s, base);
	free(s);
}

/* issue 23: serve's memory settings, their defaults and bounds. */
static void
test_memory_settings(void **state)
{
	struct mb_conf	c;
	struct mb_diag	d = {0};

	(void)state;
	put("[center]\nid = cairo\n", 0644);
	assert_int_equal(mb_conf_load(dir, &c, &d), MB_OK);
	assert_int_equal(c.store_cache_kb, 0);	/* the process's default */
	assert_int_equal(c.store_memory_mb, 0);	/* serve's default */
	assert_int_equal(c.cache_mb, 4);
	assert_int_equal(c.max_connections, 16384);
	assert_int_equal(c.connection_kb, 16);
	put("[center]\nid = cairo\n[server]\nconnection_kb = 8\n"
	    "max_connections = 20000\n[store]\ncache_mb = 4\n"
	    "memory_mb = 40\n", 0644);
	assert_int_equal(mb_conf_load(dir, &c, &d), MB_OK);
	assert_int_equal(c.store_cache_kb, 4096);
	assert_int_equal(c.store_memory_mb, 40);
	assert_int_equal(c.connection_kb, 8);
	assert_int_equal(c.max_connections, 20000);
	put("[center]\nid = cairo\n[server]\nconnection_kb = 4\n", 0644);
	assert_int_not_equal(mb_conf_load(dir, &c, &d), MB_OK);
	assert_non_null(strstr(d.msg, "connection_kb"));
	put("[center]\nid = cairo\n[store]\ncache_mb = 0\n", 0644);
	assert_int_not_equal(mb_conf_load(dir, &c, &d), MB_OK);
	/* Below 4 MiB SQLite would reread every page: refused, named. */
	put("[center]\nid = cairo\n[store]\nmemory_mb = 2\n", 0644);
	assert_int_not_equal(mb_conf_load(dir, &c, &d), MB_OK);
	assert_non_null(strstr(d.msg, "memory_mb"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replaces_in_place,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_adds_key_and_section,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_line_break,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_settings,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
