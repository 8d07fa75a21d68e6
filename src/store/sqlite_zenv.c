/* SPDX-License-Identifier: MIT */
/* The SQLite backend's compressed envelopes: the dictionaries it keeps, packing on put, unpacking on every read. */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * Every envelope put is stored as a zstd frame (zenv.h), made with the
 * exchange's dictionary when the store was opened with one
 * (mb_store_opts.zdict: the center's current wire dictionary), else
 * without. A dictionary is written into envelope_dicts (the
 * "envelopes" domain) by the first put that uses it, in that put's
 * transaction, so no row ever names a dictionary the store lacks; rows
 * are never rewritten to another, so dictionaries are never deleted.
 * Reads unpack: the log, get, listings, the index's text (the view
 * fts_text), verify, copies to another backend. docs/store.md,
 * "Compressed envelopes".
 */

/* zstd's level: 3 (the wire's); level 1 made frames 8 % larger. */
#define LEVEL 3

static int
load(void *arg, uint32_t id, struct mb_buf *out, struct mb_diag *d)
{
	struct mb_sqlite	*sq = arg;
	sqlite3_stmt		*s;
	int			 rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT bytes FROM envelope_dicts "
	    "WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "envelope dictionary");
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		rc = mb_buf_append(out, sqlite3_column_blob(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0)) == MB_OK ? MB_OK :
		    mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	} else if (rc == SQLITE_DONE) {
		rc = MB_ERR_NOTFOUND;
	} else {
		rc = mb_sqlite_err(sq, d, "envelope dictionary");
	}
	sqlite3_finalize(s);
	return rc;
}

/* mb_envelope(stored): the envelope's own bytes (copies, checks). */
static void
envelope_fn(sqlite3_context *ctx, int n, sqlite3_value **v)
{
	struct mb_sqlite	*sq = sqlite3_user_data(ctx);
	struct mb_diag		 d = { "" };
	struct mb_buf		 b = MB_BUF_INIT;
	const void		*env;
	size_t			 len;

	(void)n;
	if (mb_zenv_unpack(sq->zenv, sqlite3_value_blob(v[0]),
	    (size_t)sqlite3_value_bytes(v[0]), MB_ZENV_MAX, &b, &env, &len,
	    &d) != MB_OK) {
		sqlite3_result_error(ctx, d.msg, -1);
		mb_buf_free(&b);
		return;
	}
	sqlite3_result_blob(ctx, env, (int)len, SQLITE_TRANSIENT);
	mb_buf_free(&b);
}

int
mb_sqlite_zenv_open(struct mb_sqlite *sq, const struct mb_store_opts *opts,
    struct mb_diag *d)
{
	int	rc;

	if (opts != NULL && opts->zdict != NULL && opts->zdict_len > 0) {
		if ((sq->zdict = malloc(opts->zdict_len)) == NULL)
			return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		memcpy(sq->zdict, opts->zdict, opts->zdict_len);
		sq->zdict_len = opts->zdict_len;
	}
	if ((rc = mb_zenv_new(sq->zdict, sq->zdict_len, LEVEL, load, sq,
	    &sq->zenv, d)) != MB_OK)
		return rc;
	if (sqlite3_create_function(sq->db, "mb_envelope", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, sq, envelope_fn, NULL, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "register mb_envelope");
	return MB_OK;
}

void
mb_sqlite_zenv_close(struct mb_sqlite *sq)
{
	mb_zenv_free(sq->zenv);
	sq->zenv = NULL;
	mb_buf_free(&sq->zput);
	free(sq->zdict);
	sq->zdict = NULL;
}

/*
 * The compressing dictionary is in envelope_dicts, or written there now
 * (in the caller's transaction; sqlite.c's commit marks it kept).
 */
static int
dict_kept(struct mb_sqlite *sq, uint32_t id, struct mb_diag *d)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sq->zdict_kept || sq->zdict_written)
		return MB_OK;
	if (sqlite3_prepare_v2(sq->db, "SELECT bytes = ?2 FROM envelope_dicts "
	    "WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "envelope dictionary");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, sq->zdict, (int)sq->zdict_len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_int(s, 0) == 1) {
		sq->zdict_kept = true;
		rc = MB_OK;
	} else if (rc == SQLITE_ROW) {
		/* Another dictionary with the same ID (1 in 2^32). */
		rc = MB_ERR_CONFLICT;
	} else if (rc == SQLITE_DONE) {
		sqlite3_finalize(s);
		if (sqlite3_prepare_v2(sq->db, "INSERT INTO envelope_dicts "
		    "(id, bytes) VALUES (?1, ?2)", -1, &s, NULL) != SQLITE_OK)
			return mb_sqlite_err(sq, d, "envelope dictionary");
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_blob(s, 2, sq->zdict, (int)sq->zdict_len,
		    SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = mb_sqlite_err(sq, d, "envelope dictionary");
		else {
			sq->zdict_written = true;
			rc = MB_OK;
		}
	} else {
		rc = mb_sqlite_err(sq, d, "envelope dictionary");
	}
	sqlite3_finalize(s);
	return rc;
}

int
mb_sqlite_packer(struct mb_store *st, struct mb_zenv_packer **out,
    struct mb_diag *d)
{
	struct mb_sqlite *sq = SQ(st);

	return mb_zenv_packer_new(sq->zdict, sq->zdict_len, LEVEL, out, d);
}

/*
 * v's stored form: v->packed when a packer of this store made it with
 * the dictionary new envelopes get now (or left it as it came), else
 * compressed here.
 */
int
mb_sqlite_zenv_pack(struct mb_sqlite *sq, const struct mb_store_version *v,
    const void **out, size_t *out_len, struct mb_diag *d)
{
	uint32_t	id = mb_zenv_dict_id(sq->zenv);
	int		rc;

	if (id != 0 && (rc = dict_kept(sq, id, d)) == MB_ERR_CONFLICT) {
		/*
		 * The store keeps another dictionary by that ID: this one
		 * cannot be named by a row. Envelopes go without one.
		 */
		mb_zenv_free(sq->zenv);
		sq->zenv = NULL;
		free(sq->zdict);
		sq->zdict = NULL;
		sq->zdict_len = 0;
		if ((rc = mb_zenv_new(NULL, 0, LEVEL, load, sq, &sq->zenv,
		    d)) != MB_OK)
			return rc;
	} else if (id != 0 && rc != MB_OK) {
		return rc;
	}
	if (v->packed != NULL && (!mb_zenv_packed(v->packed, v->packed_len) ||
	    mb_zenv_frame_dict_id(v->packed, v->packed_len) ==
	    mb_zenv_dict_id(sq->zenv))) {
		*out = v->packed;
		*out_len = v->packed_len;
		return MB_OK;
	}
	if ((rc = mb_zenv_pack(sq->zenv, v->envelope, v->envelope_len,
	    &sq->zput, d)) != MB_OK)
		return rc;
	*out = sq->zput.data;
	*out_len = sq->zput.len;
	return MB_OK;
}

void
mb_sqlite_zenv_end(struct mb_sqlite *sq, bool committed)
{
	if (committed && sq->zdict_written)
		sq->zdict_kept = true;
	sq->zdict_written = false;
}

int
mb_sqlite_zenv_unpack(struct mb_sqlite *sq, struct mb_store_version *v,
    struct mb_buf *scratch, struct mb_diag *d)
{
	const void	*env;
	size_t		 len;
	int		 rc;

	if (!mb_zenv_packed(v->envelope, v->envelope_len))
		return MB_OK;
	if ((rc = mb_zenv_unpack(sq->zenv, v->envelope, v->envelope_len,
	    MB_ZENV_MAX, scratch, &env, &len, d)) != MB_OK) {
		mb_diag_prefix(d, "seq %lld %s", (long long)v->seq,
		    v->uri != NULL ? v->uri : "");
		return rc;
	}
	v->envelope = env;
	v->envelope_len = len;
	return MB_OK;
}
