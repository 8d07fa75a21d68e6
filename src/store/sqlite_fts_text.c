/* SPDX-License-Identifier: MIT */
/* The SQLite index's text, read from the envelopes: mb_fts_text(), behind the view fts_text that the FTS5 index takes as its external content. */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * The index keeps no copy of the text (issue 23: FTS5's own content
 * table was a second copy of every item, a third of the store). FTS5
 * reads a row's text from the view fts_text (migration 10) when it shows
 * a snippet or highlights a headline, when an item's old words are taken
 * out of the index (a new version, before the item points at it), and
 * for 'rebuild' and 'integrity-check'. The view derives it from the
 * item's current envelope, with the function the store was opened with
 * (mb_store_opts.index_text): the same text mb_store_put() was given, so
 * the view and the index agree row for row. Items queued for the indexer
 * (fts_pending) are not in the index and the view leaves them out.
 */

/* "\x1f" lang "\x1f" text: the tokenizer reads the language off it. */
int
mb_sqlite__marked(struct mb_buf *b, const char *lang, const char *text)
{
	mb_buf_reset(b);
	if (lang != NULL && mb_buf_printf(b, "\x1f%s\x1f", lang) != MB_OK)
		return MB_ERR_NOMEM;
	if (mb_buf_puts(b, text != NULL ? text : "") != MB_OK)
		return MB_ERR_NOMEM;
	return MB_OK;
}

/*
 * Derives the marked headline and body of env into sq->tx_h, tx_b. Both
 * columns of a row come from one envelope, one after the other: the
 * last envelope's text is kept, so each row is parsed once.
 */
static int
derive(struct mb_sqlite *sq, const void *env, size_t len)
{
	char		*h = NULL, *b = NULL, lang[MB_STORE_LANG_MAX] = "";
	const void	*raw = env;
	size_t		 raw_len = len;
	int		 rc;

	if (sq->tx_valid && sq->tx_env.len == len && (len == 0 ||
	    memcmp(sq->tx_env.data, env, len) == 0))
		return MB_OK;
	sq->tx_valid = false;
	/* Stored compressed (sqlite_zenv.c): the text is the envelope's. */
	if (mb_zenv_packed(env, len) && mb_zenv_unpack(sq->zenv, env, len,
	    MB_ZENV_MAX, &sq->tx_raw, &raw, &raw_len, NULL) != MB_OK)
		raw_len = 0;	/* one that does not unpack: no text */
	/* No text to give (cannot happen to a stored envelope): none. */
	if (sq->index_text == NULL || raw_len == 0 ||
	    sq->index_text(raw, raw_len, &h, &b, lang) != MB_OK) {
		free(h);
		free(b);
		h = b = NULL;
		lang[0] = '\0';
	}
	lang[MB_STORE_LANG_MAX - 1] = '\0';
	rc = mb_sqlite__marked(&sq->tx_h, lang[0] != '\0' ? lang : NULL, h);
	if (rc == MB_OK)
		rc = mb_sqlite__marked(&sq->tx_b, lang[0] != '\0' ? lang :
		    NULL, b);
	free(h);
	free(b);
	if (rc != MB_OK)
		return rc;
	mb_buf_reset(&sq->tx_env);
	if (len > 0 && mb_buf_append(&sq->tx_env, env, len) != MB_OK)
		return MB_ERR_NOMEM;
	sq->tx_valid = true;
	return MB_OK;
}

/* mb_fts_text(col, envelope): col 0 the headline, 1 the body. */
static void
fts_text(sqlite3_context *ctx, int n, sqlite3_value **v)
{
	struct mb_sqlite	*sq = sqlite3_user_data(ctx);
	const struct mb_buf	*out;
	const void		*env;
	int			 len;

	(void)n;
	env = sqlite3_value_blob(v[1]);
	len = sqlite3_value_bytes(v[1]);
	if (derive(sq, env, env != NULL && len > 0 ? (size_t)len : 0) !=
	    MB_OK) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	out = sqlite3_value_int(v[0]) == 0 ? &sq->tx_h : &sq->tx_b;
	sqlite3_result_text(ctx, mb_buf_cstr(out), (int)out->len,
	    SQLITE_TRANSIENT);
}

int
mb_sqlite_fts_text_register(struct mb_sqlite *sq, mb_store_text_fn fn,
    struct mb_diag *d)
{
	sq->index_text = fn;
	if (sqlite3_create_function(sq->db, "mb_fts_text", 2, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, sq, fts_text, NULL, NULL) != SQLITE_OK)
		return mb_sqlite_err(sq, d, "register mb_fts_text");
	return MB_OK;
}

void
mb_sqlite_fts_text_close(struct mb_sqlite *sq)
{
	mb_buf_free(&sq->tx_env);
	mb_buf_free(&sq->tx_h);
	mb_buf_free(&sq->tx_b);
	mb_buf_free(&sq->tx_raw);
	sq->tx_valid = false;
}
