/* SPDX-License-Identifier: MIT */
/* The "mb" FTS5 tokenizer: normalization, per-language stemming from an
 * in-band language marker, and CJK bigrams. */
#ifndef MB_TEXT_TOKENIZER_H
#define MB_TEXT_TOKENIZER_H

#include <stddef.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "text/lang.h"

/* The name under which the store registers the tokenizer. */
#define MB_TEXT_TOKENIZER_NAME	"mb"

/*
 * The language marker. Text handed to the tokenizer may begin with
 * MB_TEXT_MARK, a language tag, MB_TEXT_MARK ("\x1f" "ar" "\x1f" "...");
 * everything after it is stemmed in that language. Without a marker the
 * text is only normalized. Only a marker at the very start counts; the
 * tag is 1-35 bytes of [A-Za-z0-9-] and only its primary subtag is used.
 */
#define MB_TEXT_MARK		'\x1f'
#define MB_TEXT_MARKER_MAX	(MB_LANG_TAG_MAX + 2)

/*
 * Appends the marker for lang to out: "\x1f" + the lower-cased primary
 * subtag + "\x1f". Appends nothing when lang is NULL, "und" or not a
 * tag (such text is indexed unstemmed). MB_OK or MB_ERR_NOMEM.
 */
int mb_text_put_marker(struct mb_buf *out, const char *lang);

/*
 * The length of the marker at the start of s[0..len), 0 when there is
 * none: what to skip in text read back from the index, e.g. in the
 * result of highlight() or snippet() on the first fragment.
 */
size_t mb_text_marker_len(const char *s, size_t len);

/*
 * The tokenizer, for fts5_api.xCreateTokenizer(api, "mb", NULL, tok,
 * NULL): no context pointer, no destructor. FTS5 copies the struct. It
 * takes no arguments (tokenize='mb'). xCreate is called once per FTS5
 * table per connection, and each instance owns its Snowball stemmers
 * (created lazily, one per language met), which are not thread-safe: the
 * instance is only ever used under its connection's mutex, so this is
 * safe as long as SQLite is not built with SQLITE_THREADSAFE=0 and shared
 * between threads.
 */
const fts5_tokenizer *mb_text_fts5_tokenizer(void);

/*
 * Registers the tokenizer as "mb" with api (which the store gets with
 * SELECT fts5(?1) and sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr",
 * NULL)). Returns MB_OK or MB_ERR_STORE.
 */
int mb_text_fts5_register(fts5_api *api);

/*
 * Tokenizing ahead of the insert. FTS5 runs the tokenizer inside the
 * INSERT, on the one thread that writes, where it is most of the cost of
 * an item; a bulk import tokenizes each text on its parsing thread
 * instead and the writer offers the result. An instance of the tokenizer
 * outside SQLite serves one thread at a time.
 */
struct mb_text_tokenizer;
struct mb_text_tokens;

int mb_text_tokenizer_new(struct mb_text_tokenizer **out);
/*
 * The same, for a bulk run (import, sync --once) that tokenizes many
 * thousands of items on one instance: a word cache twice as large (2 MB,
 * of which only what is touched is resident). The tokens are the same.
 */
int mb_text_tokenizer_new_bulk(struct mb_text_tokenizer **out);
void mb_text_tokenizer_free(struct mb_text_tokenizer *tk);

/*
 * The tokens of text[0..len) (marker included, as it will be inserted),
 * exactly as an FTS5 document insert would get them. The text is copied.
 * MB_OK, MB_ERR_NOMEM, or MB_ERR_INVAL past 2 GiB.
 */
int mb_text_tokens_new(struct mb_text_tokenizer *tk, const char *text,
    size_t len, struct mb_text_tokens **out);
void mb_text_tokens_free(struct mb_text_tokens *tt);

/*
 * Offers tt[0..n) (borrowed, NULLs skipped, at most 4) to the "mb"
 * instances on the calling thread until the next offer: a document
 * tokenize of text byte-identical to an offered one replays its tokens
 * instead of computing them again; any other text is tokenized as usual,
 * so an offer can never change what is indexed. Offer (NULL, 0) before
 * the tokens are freed.
 */
void mb_text_tokens_offer(const struct mb_text_tokens *const *tt, size_t n);

/* How many tokenizes this thread replayed so far (for tests). */
unsigned long mb_text_tokens_replayed(void);

#endif
