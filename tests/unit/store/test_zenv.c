/* SPDX-License-Identifier: MIT */
/* Unit tests for compressed envelopes: the stored form (zenv.c) and the store keeping it, on each backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zdict.h>

#include "store/store.h"
#include "store/store_int.h"
#include "store/zenv.h"

#include "backend.h"

#define NSAMPLES 600

static const char *words[] = {
	"minister", "harbour", "rainfall", "election", "festival", "market",
	"students", "council", "river", "bridge", "vaccine", "railway",
	"القاهرة", "الأخبار", "новости", "noticias", "journal", "مؤتمر",
};

/* An envelope-like JSON document of item i (3 KB or so). */
static size_t
envelope(int i, char *out, size_t cap)
{
	size_t	n;
	int	w = i * 7;

	n = (size_t)snprintf(out, cap, "{\"item\":{\"uri\":\"urn:mediabridge:"
	    "cairo:z%d\",\"version\":1,\"type\":\"text\",\"language\":\"en\","
	    "\"headline\":\"The %s of the %s\",\"body_html\":\"<p>", i,
	    words[w % 18], words[(w + 3) % 18]);
	for (int k = 0; k < 60 && n + 64 < cap; k++)
		n += (size_t)snprintf(out + n, cap - n, "%s %s, ",
		    words[(w + k * 5) % 18], words[(i + k) % 18]);
	n += (size_t)snprintf(out + n, cap - n, "</p>\"},\"signature\":{"
	    "\"alg\":\"ed25519\",\"key\":\"cairo\",\"sig\":\"%08x%08x\"}}",
	    (unsigned)(i * 2654435761u), (unsigned)(i * 40503u));
	return n;
}

/* A dictionary trained as `mediabridge dict train` does (ZDICT). */
static void *
train(size_t *len)
{
	char	*all = malloc(NSAMPLES * 4096), *dict = malloc(16384);
	size_t	 sizes[NSAMPLES], at = 0;

	assert_non_null(all);
	assert_non_null(dict);
	for (int i = 0; i < NSAMPLES; i++) {
		sizes[i] = envelope(i + 100000, all + at, 4096);
		at += sizes[i];
	}
	*len = ZDICT_trainFromBuffer(dict, 16384, all, sizes, NSAMPLES);
	assert_false(ZDICT_isError(*len));
	free(all);
	return dict;
}

struct dicts {
	const void	*dict;
	size_t		 len;
	uint32_t	 id;
	int		 loads;
};

static int
load(void *arg, uint32_t id, struct mb_buf *out, struct mb_diag *d)
{
	struct dicts *k = arg;

	(void)d;
	if (k->dict == NULL || id != k->id)
		return MB_ERR_NOTFOUND;
	k->loads++;
	return mb_buf_append(out, k->dict, k->len);
}

static void
test_round_trip(void **state)
{
	struct mb_zenv	*w, *r, *plain;
	struct dicts	 k = { NULL, 0, 0, 0 };
	struct mb_buf	 packed = MB_BUF_INIT, out = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	char		 env[4096];
	const void	*p;
	size_t		 n, len, with = 0, without = 0;

	(void)state;
	k.dict = train(&k.len);
	assert_int_equal(mb_zenv_new(k.dict, k.len, 3, NULL, NULL, &w, &d),
	    MB_OK);
	k.id = mb_zenv_dict_id(w);
	assert_true(k.id != 0);
	assert_int_equal(mb_zenv_new(NULL, 0, 3, load, &k, &r, &d), MB_OK);
	assert_int_equal(mb_zenv_new(NULL, 0, 3, load, &k, &plain, &d),
	    MB_OK);
	assert_int_equal(mb_zenv_dict_id(plain), 0);
	for (int i = 0; i < 50; i++) {
		n = envelope(i, env, sizeof(env));
		/* With the dictionary: another codec reads it back by its ID. */
		assert_int_equal(mb_zenv_pack(w, env, n, &packed, &d), MB_OK);
		assert_true(mb_zenv_packed(packed.data, packed.len));
		with += packed.len;
		assert_int_equal(mb_zenv_unpack(r, packed.data, packed.len,
		    MB_ZENV_MAX, &out, &p, &len, &d), MB_OK);
		assert_int_equal(len, n);
		assert_memory_equal(p, env, n);
		/* Without one. */
		assert_int_equal(mb_zenv_pack(plain, env, n, &packed, &d),
		    MB_OK);
		without += packed.len;
		assert_int_equal(mb_zenv_unpack(r, packed.data, packed.len,
		    MB_ZENV_MAX, &out, &p, &len, &d), MB_OK);
		assert_memory_equal(p, env, n);
		/* As it came (a row from before): itself, not copied. */
		assert_int_equal(mb_zenv_unpack(r, env, n, MB_ZENV_MAX, &out,
		    &p, &len, &d), MB_OK);
		assert_ptr_equal(p, env);
		assert_int_equal(len, n);
	}
	assert_int_equal(k.loads, 1);	/* once, then kept */
	assert_true(with < without);
	/* A tiny envelope that zstd would make larger stays as it is. */
	assert_int_equal(mb_zenv_pack(plain, "{}", 2, &packed, &d), MB_OK);
	assert_int_equal(packed.len, 2);
	assert_false(mb_zenv_packed(packed.data, packed.len));
	mb_zenv_free(w);
	mb_zenv_free(r);
	mb_zenv_free(plain);
	mb_buf_free(&packed);
	mb_buf_free(&out);
	free((void *)k.dict);
}

static void
test_damage_is_named(void **state)
{
	struct mb_zenv	*w, *none;
	struct dicts	 k = { NULL, 0, 0, 0 };
	struct mb_buf	 packed = MB_BUF_INIT, out = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	char		 env[4096], msg[64];
	const void	*p;
	size_t		 n, len;

	(void)state;
	k.dict = train(&k.len);
	n = envelope(7, env, sizeof(env));
	assert_int_equal(mb_zenv_new(k.dict, k.len, 3, NULL, NULL, &w, &d),
	    MB_OK);
	assert_int_equal(mb_zenv_pack(w, env, n, &packed, &d), MB_OK);
	/* A reader without the dictionary: named, not guessed at. */
	assert_int_equal(mb_zenv_new(NULL, 0, 3, load, &k, &none, &d), MB_OK);
	assert_int_equal(mb_zenv_unpack(none, packed.data, packed.len,
	    MB_ZENV_MAX, &out, &p, &len, &d), MB_ERR_NOTFOUND);
	snprintf(msg, sizeof(msg), "dictionary %u", mb_zenv_dict_id(w));
	assert_non_null(strstr(d.msg, msg));
	assert_non_null(strstr(d.msg, "does not have"));
	mb_zenv_free(none);
	/* One byte changed in the middle: the checksum or the decoder. */
	k.id = mb_zenv_dict_id(w);
	assert_int_equal(mb_zenv_new(NULL, 0, 3, load, &k, &none, &d), MB_OK);
	packed.data[packed.len / 2] ^= 0x5a;
	d.msg[0] = '\0';
	assert_int_equal(mb_zenv_unpack(none, packed.data, packed.len,
	    MB_ZENV_MAX, &out, &p, &len, &d), MB_ERR_CORRUPT);
	assert_non_null(strstr(d.msg, "damaged zstd frame"));
	/* Cut short. */
	packed.data[packed.len / 2] ^= 0x5a;
	assert_int_equal(mb_zenv_unpack(none, packed.data, packed.len - 9,
	    MB_ZENV_MAX, &out, &p, &len, &d), MB_ERR_CORRUPT);
	/* The whole again: fine. */
	assert_int_equal(mb_zenv_unpack(none, packed.data, packed.len,
	    MB_ZENV_MAX, &out, &p, &len, &d), MB_OK);
	assert_memory_equal(p, env, n);
	/* Larger than the caller allows: refused before any allocation. */
	assert_int_equal(mb_zenv_unpack(none, packed.data, packed.len, 100,
	    &out, &p, &len, &d), MB_ERR_CORRUPT);
	assert_non_null(strstr(d.msg, "over the 100 allowed"));
	/* Just the magic number. */
	assert_int_equal(mb_zenv_unpack(none, "\x28\xb5\x2f\xfd", 4,
	    MB_ZENV_MAX, &out, &p, &len, &d), MB_ERR_CORRUPT);
	mb_zenv_free(none);
	mb_zenv_free(w);
	mb_buf_free(&packed);
	mb_buf_free(&out);
	free((void *)k.dict);
}

/* ---- the store ---------------------------------------------------------- */

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
open_store(const void *dict, size_t len)
{
	struct mb_store		*st;
	struct mb_store_opts	 o;
	struct mb_diag		 d = { "" };

	memset(&o, 0, sizeof(o));
	o.zdict = dict;
	o.zdict_len = len;
	if (mb_store_open(tb_loc, &o, &st, &d) != MB_OK)
		fail_msg("open: %s", d.msg);
	return st;
}

/* Puts item i; packer (may be NULL) makes its v.packed. */
static void
put_packed(struct mb_store *st, int i, struct mb_zenv_packer *packer)
{
	struct mb_store_version	v;
	struct mb_buf		packed = MB_BUF_INIT;
	char			env[4096], uri[64];
	struct mb_diag		d = { "" };
	int64_t			seq;

	snprintf(uri, sizeof(uri), "urn:mediabridge:cairo:z%d", i);
	memset(&v, 0, sizeof(v));
	v.uri = uri;
	v.center = v.origin = "cairo";
	v.local = strrchr(uri, ':') + 1;
	v.version = 1;
	v.audience = "public";
	v.pub_status = "usable";
	v.workflow = "published";
	v.language = "en";
	v.created_ms = v.first_ms = 1000 + i;
	v.envelope = env;
	v.envelope_len = envelope(i, env, sizeof(env));
	if (packer != NULL) {
		assert_int_equal(mb_zenv_packer_pack(packer, env,
		    v.envelope_len, &packed, &d), MB_OK);
		v.packed = packed.data;
		v.packed_len = packed.len;
	}
	if (mb_store_put(st, &v, NULL, &seq, &d) != MB_OK)
		fail_msg("put %d: %s", i, d.msg);
	mb_buf_free(&packed);
}

static void
put(struct mb_store *st, int i)
{
	put_packed(st, i, NULL);
}

struct seen {
	int	n, bad;
};

static int
same(const struct mb_store_version *v, void *arg)
{
	struct seen	*s = arg;
	char		 env[4096];
	size_t		 n;
	int		 i;

	i = atoi(strrchr(v->uri, 'z') + 1);
	n = envelope(i, env, sizeof(env));
	s->n++;
	if (v->envelope_len != n || memcmp(v->envelope, env, n) != 0)
		s->bad++;
	return MB_OK;
}

static int problems;

static void
count_problem(const char *problem, void *arg)
{
	int *n = arg;

	if (strstr(problem, "does not decompress") != NULL)
		(*n)++;
}

static void
test_store_keeps_and_reads(void **state)
{
	struct mb_store	*st;
	struct seen	 s = { 0, 0 };
	struct mb_diag	 d = { "" };
	size_t		 len;
	void		*dict = train(&len);
	char		 sql[160];
	uint32_t	 id;

	(void)state;
	/* Some rows without a dictionary, some with: all read back. */
	st = open_store(NULL, 0);
	for (int i = 0; i < 20; i++)
		put(st, i);
	mb_store_close(st);
	st = open_store(dict, len);
	assert_int_equal(mb_store_begin(st, &d), MB_OK);
	for (int i = 20; i < 40; i++)
		put(st, i);
	assert_int_equal(mb_store_commit(st, &d), MB_OK);
	mb_store_close(st);
	/* Read by a handle opened without the dictionary: the store has it. */
	st = open_store(NULL, 0);
	assert_int_equal(mb_store_log(st, 0, 0, same, &s, &d), MB_OK);
	assert_int_equal(s.n, 40);
	assert_int_equal(s.bad, 0);
	assert_int_equal(mb_store_check(st, NULL, NULL, &d), MB_OK);
	s.n = 0;
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:z33", 0,
	    same, &s, &d), MB_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.bad, 0);
	mb_store_close(st);
	id = ZDICT_getDictID(dict, len);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM envelope_dicts "
	    "WHERE id = %u", id);
	if (tb_is_pg()) {
		/* PostgreSQL keeps them as they are (TOAST compresses). */
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "envelope_dicts"), 0);
		free(dict);
		return;
	}
	assert_int_equal(tb_query_int(sql), 1);
	assert_int_equal(tb_query_int("SELECT count(*) FROM versions WHERE "
	    "substr(envelope, 1, 4) = x'28b52ffd'"), 40);
	/* A row from before compression (as it came) reads as it is. */
	{
		char	env[4096], up[4400];

		envelope(5, env, sizeof(env));
		snprintf(up, sizeof(up), "UPDATE versions SET envelope = "
		    "CAST('%s' AS BLOB) WHERE uri = 'urn:mediabridge:cairo:z5'",
		    env);
		assert_int_equal(tb_exec(up), 0);
		assert_int_equal(tb_query_int("SELECT count(*) FROM versions "
		    "WHERE substr(envelope, 1, 4) = x'28b52ffd'"), 39);
	}
	/* The dictionary gone behind the store's back: named on reading. */
	assert_int_equal(tb_exec("DELETE FROM envelope_dicts"), 0);
	st = open_store(NULL, 0);
	s.n = s.bad = 0;
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:z3", 0, same,
	    &s, &d), MB_OK);	/* made without one */
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:z5", 0, same,
	    &s, &d), MB_OK);	/* as it came */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.bad, 0);
	/* Handed on as stored (no envelope: verify names it), and the walk
	 * goes on past it; the store's check names it too. */
	assert_int_equal(mb_store_get(st, "urn:mediabridge:cairo:z33", 0,
	    same, &s, &d), MB_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.bad, 1);
	s.n = s.bad = 0;
	assert_int_equal(mb_store_log(st, 0, 0, same, &s, &d), MB_OK);
	assert_int_equal(s.n, 40);
	assert_int_equal(s.bad, 20);
	problems = 0;
	assert_int_equal(mb_store_check(st, count_problem, &problems, &d),
	    MB_ERR_CORRUPT);
	assert_int_equal(problems, 20);
	mb_store_close(st);
	free(dict);
}

/*
 * Envelopes compressed before the writer (the exchange's verifying
 * cores, import's preparing ones) are stored as they were packed when
 * made with the dictionary the store compresses with, else compressed
 * again by the store: no row ever names a dictionary the store lacks.
 */
static void
test_packed_taken_when_it_fits(void **state)
{
	struct mb_zenv_packer	*mine, *bare, *other;
	struct mb_store		*st;
	struct seen		 s = { 0, 0 };
	struct mb_diag		 d = { "" };
	size_t			 len;
	void			*dict = train(&len);
	char			 sql[200];

	(void)state;
	st = open_store(dict, len);
	assert_int_equal(mb_store_packer(st, &mine, &d), MB_OK);
	assert_int_equal(mb_zenv_packer_new(NULL, 0, 3, &bare, &d), MB_OK);
	/* A dictionary with another ID (ZDICT's IDs are the content's). */
	((unsigned char *)dict)[4] ^= 1;
	assert_int_equal(mb_zenv_packer_new(dict, len, 3, &other, &d), MB_OK);
	((unsigned char *)dict)[4] ^= 1;
	assert_int_equal(mb_store_begin(st, &d), MB_OK);
	for (int i = 0; i < 10; i++)
		put_packed(st, i, bare);
	for (int i = 10; i < 20; i++)
		put_packed(st, i, other);
	for (int i = 20; i < 30; i++)
		put_packed(st, i, mine);
	assert_int_equal(mb_store_commit(st, &d), MB_OK);
	assert_int_equal(mb_store_log(st, 0, 0, same, &s, &d), MB_OK);
	assert_int_equal(s.n, 30);
	assert_int_equal(s.bad, 0);
	assert_int_equal(mb_store_check(st, NULL, NULL, &d), MB_OK);
	mb_store_close(st);
	if (tb_is_pg()) {
		/* Kept as they come: no packer, v.packed not used. */
		assert_null(mine);
	} else {
		assert_non_null(mine);
		assert_int_equal(mb_zenv_packer_dict_id(mine),
		    ZDICT_getDictID(dict, len));
		/* Every row names the store's dictionary (its ID in the
		 * frame header: the descriptor's low bits say it is there). */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM versions "
		    "WHERE substr(envelope, 1, 4) = x'28b52ffd' AND "
		    "instr('0123456789ABCDEF', substr(hex(substr(envelope, "
		    "5, 1)), 2, 1)) %% 4 != 1");
		assert_int_equal(tb_query_int(sql), 30);
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "envelope_dicts"), 1);
	}
	mb_zenv_packer_free(mine);
	mb_zenv_packer_free(bare);
	mb_zenv_packer_free(other);
	free(dict);
}

static void
test_rollback_keeps_no_orphan(void **state)
{
	struct mb_store	*st;
	struct seen	 s = { 0, 0 };
	struct mb_diag	 d = { "" };
	size_t		 len;
	void		*dict = train(&len);

	(void)state;
	st = open_store(dict, len);
	assert_int_equal(mb_store_begin(st, &d), MB_OK);
	put(st, 1);
	mb_store_rollback(st);
	/* The dictionary row went with the rollback; the next put writes
	 * it again, so its row is readable by a fresh handle. */
	put(st, 2);
	mb_store_close(st);
	st = open_store(NULL, 0);
	assert_int_equal(mb_store_log(st, 0, 0, same, &s, &d), MB_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.bad, 0);
	mb_store_close(st);
	if (!tb_is_pg())
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "envelope_dicts"), 1);
	free(dict);
}

/*
 * A store from before compression: its rows as they came and no
 * envelope_dicts. Opening it adds the table (the envelopes domain) and
 * changes no row; old rows read as they are, new ones are compressed.
 */
static void
test_store_from_before(void **state)
{
	static const struct mb_store_domain *const none[] = { NULL };
	struct mb_store	*st;
	struct seen	 s = { 0, 0 };
	struct mb_diag	 d = { "" };
	char		 env[4096], up[4400];
	size_t		 len;
	void		*dict = train(&len);

	(void)state;
	assert_int_equal(mb_store__open_with(tb_loc, NULL, none, &st, &d),
	    MB_OK);
	for (int i = 0; i < 10; i++)
		put(st, i);
	mb_store_close(st);
	for (int i = 0; i < 10; i++) {
		envelope(i, env, sizeof(env));
		snprintf(up, sizeof(up), "UPDATE versions SET envelope = %s('%s'"
		    "%s) WHERE uri = 'urn:mediabridge:cairo:z%d'",
		    tb_is_pg() ? "convert_to" : "CAST", env,
		    tb_is_pg() ? ", 'UTF8'" : " AS BLOB", i);
		assert_int_equal(tb_exec(up), 0);
	}
	assert_int_equal(tb_query_int("SELECT count(*) FROM schema_domains "
	    "WHERE domain = 'envelopes'"), 0);
	st = open_store(dict, len);
	assert_int_equal(tb_query_int("SELECT version FROM schema_domains "
	    "WHERE domain = 'envelopes'"), 1);
	assert_int_equal(tb_query_int("SELECT count(*) FROM envelope_dicts"),
	    0);
	for (int i = 10; i < 20; i++)
		put(st, i);
	assert_int_equal(mb_store_log(st, 0, 0, same, &s, &d), MB_OK);
	assert_int_equal(s.n, 20);
	assert_int_equal(s.bad, 0);
	assert_int_equal(mb_store_check(st, NULL, NULL, &d), MB_OK);
	mb_store_close(st);
	if (!tb_is_pg()) {
		assert_int_equal(tb_query_int("SELECT count(*) FROM versions "
		    "WHERE substr(envelope, 1, 1) = x'7b'"), 10);
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "envelope_dicts"), 1);
	}
	free(dict);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damage_is_named),
		cmocka_unit_test_setup_teardown(test_store_keeps_and_reads,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_packed_taken_when_it_fits,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_keeps_no_orphan,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_from_before, setup,
		    teardown),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
