/* SPDX-License-Identifier: MIT */
/* Machine translation: a center's engines behind one interface, markup that
 * survives, glossaries, pivots, cache keys, provenance (docs/translation.md).
 */
#ifndef MB_MT_MT_H
#define MB_MT_MT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

/*
 * Errors, and what the HTTP layer answers for them:
 *   MB_ERR_INVAL     bad input: a language tag, invalid UTF-8, a glossary
 *                    entry (400)
 *   MB_ERR_TOOBIG    more than MB_MT_INPUT_MAX bytes at once (413)
 *   MB_ERR_NOTFOUND  no engine, directly or through a pivot, translates the
 *                    pair; an unknown engine name (422)
 *   MB_ERR_NET       the engine is down, timed out, or refused the request
 *                    (503); the diagnostic names the engine and the cause
 *   MB_ERR_AGAIN     the engine's queue is full (503 with Retry-After)
 *   MB_ERR_CORRUPT   the engine answered garbage or mangled the markup
 *                    (502): nothing is returned, never a broken draft
 * The diagnostic names the engine and what went wrong; it never holds an
 * API key or the text sent, at most a short excerpt of the engine's answer.
 */

/* At most this many bytes of HTML are translated in one call. */
#define MB_MT_INPUT_MAX (1024u * 1024)

/* The engines' file in the center's directory (see mb_mt_open). */
#define MB_MT_CONF_FILE "engines.conf"

#define MB_MT_NAME_MAX 32	/* an engine's name: [a-z0-9][a-z0-9_-]* */
#define MB_MT_TAG_MAX 35	/* a BCP 47 tag, or an engine's own code */
#define MB_MT_VERSION_MAX 64	/* one engine's version */
#define MB_MT_URL_MAX 512

enum mb_mt_kind {
	MB_MT_APY = 1,		/* Apertium APy: /listPairs, /translate */
	MB_MT_LIBRETRANSLATE = 2, /* LibreTranslate: /languages, /translate */
	MB_MT_PEER = 3		/* another center's shared engines: GET and
				   POST /federation/v1/translate, signed */
};

/* "apertium-apy", "libretranslate" or "mediabridge" (engines.conf). */
const char *mb_mt_kind_name(enum mb_mt_kind kind);

/* Parses a kind's name; MB_ERR_INVAL naming the known ones. */
int mb_mt_kind_parse(const char *s, enum mb_mt_kind *out, struct mb_diag *d);

/*
 * One engine's settings: a section [engine NAME] of DIR/engines.conf.
 * mb_mt_engine_conf_defaults() fills in the defaults shown.
 */
struct mb_mt_engine_conf {
	char		name[MB_MT_NAME_MAX + 1];
	enum mb_mt_kind	kind;
	char		url[MB_MT_URL_MAX];	/* http(s)://host[:port]/... */
	char		key_file[256];	/* API key, relative to DIR; "" none */
	int		timeout_s;	/* one request (30) */
	int		retries;	/* after refusals, 429, 5xx (2) */
	int		concurrency;	/* translations in flight (2) */
	int		queue;		/* translations that may wait (16) */
	int		max_chars;	/* bytes per request (20000) */
	char		version[MB_MT_VERSION_MAX]; /* recorded; "" derived */
	bool		share;		/* offered to member centers (no) */
	bool		readers;	/* on-demand translations (no) */
	bool		lender;		/* not in engines.conf: a member
					   center the registry says lends
					   (mb_mt_set_lenders) */
};

/* What a translation is for: only engines allowed it may serve it. */
#define MB_MT_FOR_PEERS		0x1	/* engines with share = yes, never a
					   peer's (no relaying) */
#define MB_MT_FOR_READERS	0x2	/* engines with readers = yes */
#define MB_MT_LOCAL		0x4	/* this center's own engines only:
					   never another center's (kind
					   mediabridge, lenders included),
					   for text that must not leave it */

void mb_mt_engine_conf_defaults(struct mb_mt_engine_conf *c);

/* True for a valid engine name. */
bool mb_mt_engine_name_valid(const char *name);

/*
 * True for a version engines.conf can hold as written: "" (derived), or
 * under MB_MT_VERSION_MAX bytes of printable ASCII without ; or # (inih
 * would cut an inline comment) and without white space at either end.
 */
bool mb_mt_engine_version_valid(const char *version);

/*
 * Adds an engine to DIR/engines.conf (written atomically). When
 * api_key_file is not NULL, its contents (one line, at most 4 KiB) are
 * copied to DIR/keys/engine-NAME.key, mode 0600, and c->key_file is set
 * to that. MB_ERR_EXISTS when the name is taken. The key is never logged.
 */
int mb_mt_conf_add(const char *dir, struct mb_mt_engine_conf *c,
    const char *api_key_file, struct mb_diag *d);

/* Removes an engine and its key file. MB_ERR_NOTFOUND when absent. */
int mb_mt_conf_remove(const char *dir, const char *name, struct mb_diag *d);

/*
 * A center's engines, loaded from DIR/engines.conf (no file: no engines).
 * One handle serves every thread: each engine has its bounded queue, its
 * cache of pairs, and its own lock. API key files must be mode 0600.
 */
struct mb_mt;

int mb_mt_open(const char *dir, struct mb_mt **out, struct mb_diag *d);
void mb_mt_close(struct mb_mt *mt);

size_t mb_mt_engine_count(const struct mb_mt *mt);
/* The settings of engine i (< count); borrowed. */
const struct mb_mt_engine_conf *mb_mt_engine_at(const struct mb_mt *mt,
    size_t i);

/*
 * A language pair as an engine reports it (engine_from, engine_to: its own
 * codes, "eng", "por_BR", "zh-Hans") and as BCP 47 (from, to: "en",
 * "pt-BR", "zh-Hans").
 */
struct mb_mt_pair {
	char	from[MB_MT_TAG_MAX + 1];
	char	to[MB_MT_TAG_MAX + 1];
	char	engine_from[MB_MT_TAG_MAX + 1];
	char	engine_to[MB_MT_TAG_MAX + 1];
};

/* What asking an engine for its pairs found: also its health. */
struct mb_mt_probe {
	struct mb_mt_pair	*pairs;		/* malloc'd, n of them */
	size_t			 n;
	char			 version[MB_MT_VERSION_MAX];
	int64_t			 latency_ms;
};

/*
 * Asks engine i for its pairs now (not from the cache; at most 10 s).
 * MB_OK means the engine is up. Free with mb_mt_probe_free().
 */
int mb_mt_engine_probe(struct mb_mt *mt, size_t i, struct mb_mt_probe *out,
    struct mb_diag *d);
void mb_mt_probe_free(struct mb_mt_probe *p);
/* The same from the 5-minute cache of pairs (asked when stale). */
int mb_mt_engine_pairs(struct mb_mt *mt, size_t i, struct mb_mt_probe *out,
    struct mb_diag *d);

/*
 * Which engine(s) translate from -> to, and through which pivot: what the
 * cache key and the provenance are made of. Strings are NUL-terminated.
 * With a pivot, engine and version are "a+b" when the legs use different
 * engines.
 */
struct mb_mt_route {
	char	from[MB_MT_TAG_MAX + 1];	/* as asked, normalized */
	char	to[MB_MT_TAG_MAX + 1];
	char	pivot[MB_MT_TAG_MAX + 1];	/* "" when direct */
	char	pair[2 * MB_MT_TAG_MAX + 2];	/* "en|pt" */
	char	engine[2 * MB_MT_NAME_MAX + 2];
	char	version[2 * MB_MT_VERSION_MAX + 2];
	int	legs;				/* 1 or 2 */
	char	via[33];	/* the center whose engine served ("" here) */
	struct {
		size_t			engine;	/* index in mt */
		struct mb_mt_pair	pair;
	} leg[2];
};

/*
 * Finds the route for from -> to (BCP 47 tags) on the engine named (NULL:
 * the first that can, in the file's order): directly, else through one
 * pivot language (en -> pt via es), preferring one engine for both legs.
 * Engines' pairs are cached for 5 minutes. MB_ERR_INVAL for a tag that is
 * not BCP 47, MB_ERR_NOTFOUND when no engine can (naming what they
 * offer), MB_ERR_NET when the engines that might are down.
 */
int mb_mt_route(struct mb_mt *mt, const char *from, const char *to,
    const char *engine, struct mb_mt_route *out, struct mb_diag *d);
/*
 * The same among the engines allowed for need (MB_MT_FOR_*, MB_MT_LOCAL;
 * 0: all). With MB_MT_LOCAL and only other centers' engines for the
 * pair, MB_ERR_NOTFOUND as when none has it: the text is not sent.
 */
int mb_mt_route_for(struct mb_mt *mt, const char *from, const char *to,
    const char *engine, unsigned need, struct mb_mt_route *out,
    struct mb_diag *d);

/*
 * Signs a request to a peer center (kind mediabridge) as this center
 * (RFC 9421, docs/protocol.md): fills hdrs with up to 5 malloc'd header
 * lines ("Signature-Input: ..."), NULL-terminated. The layer that holds
 * the key sets it (serve, the CLI); without one, peer engines answer
 * MB_ERR_PERM.
 */
typedef int (*mb_mt_sign_fn)(void *arg, const char *method, const char *url,
    const char *body, size_t len, char *hdrs[6], struct mb_diag *d);
void mb_mt_set_signer(struct mb_mt *mt, mb_mt_sign_fn fn, void *arg);

/*
 * Member centers that lend their engines, as HQ's signed registry says
 * (its centers' "mt_pairs", docs/translation.md, "Shared engines"). Each
 * becomes an engine of kind mediabridge named after the center (conf
 * .lender set), after the configured ones: a pair this center's own
 * engines have is never borrowed, and a lender serves only when no
 * configured engine can. The registry's pairs are taken as the lender's
 * (asked again from the center when 5 minutes old); the route's "via"
 * names the center from the start. A lender no longer listed is set
 * aside, one whose address changed too (a new one takes its place).
 * Safe while other threads translate; at most MB_MT_LENDERS_MAX over
 * the handle's life.
 */
#define MB_MT_LENDERS_MAX 64

struct mb_mt_lender {
	const char	*center;	/* its id */
	const char	*url;		/* its address */
	const char	*pairs;		/* "en|es,es|en" (BCP 47) */
};

int mb_mt_set_lenders(struct mb_mt *mt, const struct mb_mt_lender *v,
    size_t n, struct mb_diag *d);

/* True when engine i (< count) is a lender that is set aside. */
bool mb_mt_engine_off(const struct mb_mt *mt, size_t i);

/*
 * Glossary: terms that must not be translated (names of centers, people,
 * places) and terms that must be translated one way, per language pair.
 * Built from an array (its storage is the caller's business: a file for
 * the CLI, the store for the newsroom). Matching is on NFC text, at word
 * boundaries (none in scripts written without spaces: Han, kana, Thai...),
 * longest term first; a term with a capital letter matches with that case
 * only, a term in lower case matches any case.
 */
struct mb_mt_term {
	const char	*from;		/* source language (BCP 47) */
	const char	*to;		/* target language; NULL or "*": all */
	const char	*term;		/* as written in the source language */
	const char	*translation;	/* NULL or "": keep the term as it is */
};

struct mb_mt_glossary;

/* Copies the terms; MB_ERR_INVAL names the first bad entry. */
int mb_mt_glossary_new(const struct mb_mt_term *terms, size_t n,
    struct mb_mt_glossary **out, struct mb_diag *d);
void mb_mt_glossary_free(struct mb_mt_glossary *g);
size_t mb_mt_glossary_size(const struct mb_mt_glossary *g);

/*
 * Calls fn for each match of g's terms for from -> to in the plain UTF-8
 * text s[0..len) (which must be NFC), in order: off and len in bytes,
 * the term's index in the array g was made from, and its translation
 * (NULL when the term is kept as it is written in the text). fn returns
 * MB_OK to go on. For tests, and for showing editors what is protected.
 */
int mb_mt_glossary_match(const struct mb_mt_glossary *g, const char *from,
    const char *to, const char *s, size_t len,
    int (*fn)(size_t off, size_t mlen, size_t term, const char *repl,
    void *arg), void *arg, struct mb_diag *d);

/*
 * SHA-256 (hex) of the terms that apply to from -> to, "" when none: it
 * goes into the cache key, so that editing the glossary is not answered
 * from the cache.
 */
void mb_mt_glossary_digest(const struct mb_mt_glossary *g, const char *from,
    const char *to, char out[65]);

/* A translation to make. */
struct mb_mt_request {
	const char			*from;	/* BCP 47 */
	const char			*to;
	const char			*engine; /* NULL: any */
	const char			*text;	/* HTML (or plain text) */
	size_t				 len;
	bool				 plain;	/* text is not HTML */
	const struct mb_mt_glossary	*glossary; /* NULL: none */
	unsigned			 need;	/* MB_MT_FOR_*, MB_MT_LOCAL;
						   0: any */
};

/* A translation made. */
struct mb_mt_result {
	char			*text;		/* malloc'd, NUL-terminated */
	size_t			 len;
	struct mb_mt_route	 route;
	int64_t			 at_ms;		/* when it was made */
	char			 cache_key[65];	/* see mb_mt_cache_key */
	size_t			 segments;	/* segments sent */
	size_t			 requests;	/* HTTP requests, both legs */
	int64_t			 took_ms;	/* how long it took */
};

/*
 * Translates: the HTML is cut into segments per block element (p, h1-h6,
 * li, blockquote, figcaption, td, ...); inline tags travel as bare
 * numbered tags (attributes such as href never leave); code, pre,
 * translate="no" and glossary terms travel as placeholders; the engine's
 * answer is checked (every tag and placeholder back exactly once, nothing
 * added) and put back together with the original tags, so the output has
 * the same tags, links and paragraphs as the input. A pivot translates
 * twice, checking each leg. On success *out is filled (free with
 * mb_mt_result_free); on failure nothing is.
 */
int mb_mt_translate(struct mb_mt *mt, const struct mb_mt_request *rq,
    struct mb_mt_result *out, struct mb_diag *d);
void mb_mt_result_free(struct mb_mt_result *r);

/*
 * The cache key of a translation: SHA-256 (hex) over the source text, the
 * pair, the engine name(s), the engine version(s), the pivot and the
 * glossary digest for the pair (each length-prefixed, so no two inputs
 * collide by concatenation). g may be NULL.
 */
void mb_mt_cache_key(const char *text, size_t len, bool plain,
    const struct mb_mt_route *r, const struct mb_mt_glossary *g,
    char out[65]);

/*
 * The provenance of a translation, as the envelope's meta.translation
 * carries it (DESIGN §4, docs/translation.md), without "of" (the caller
 * adds the original's uri, and a serving center its id):
 *   {"by": "machine", "engine": "apy", "pair": "en|pt", "pivot": "es",
 *    "engineVersion": "...", "at": "2026-12-04T16:27:11Z"}
 * "pivot" is present only when one was used. A new reference, or NULL
 * when out of memory.
 */
json_t *mb_mt_provenance(const struct mb_mt_route *r, int64_t at_ms);

/*
 * The tag skeleton of an HTML text: every tag (and comment) as written,
 * one a line, text left out. Two texts with the same skeleton have the
 * same tags, links and paragraphs. Appends to out.
 */
int mb_mt_html_skeleton(const char *html, size_t len, struct mb_buf *out);

/*
 * BCP 47 <-> the ISO 639-3 codes Apertium uses: "en" -> "eng", "pt-BR" ->
 * "por_BR"; "eng" -> "en", "por_BR" -> "pt-BR". Unknown codes pass through
 * (lower-cased). out must hold MB_MT_TAG_MAX + 1 bytes.
 */
void mb_mt_lang_to_apy(const char *bcp47, char *out);
void mb_mt_lang_from_apy(const char *code, char *out);

/*
 * Normalizes a BCP 47 tag ("EN-gb" -> "en-GB", "zh-hans" -> "zh-Hans");
 * MB_ERR_INVAL when it is not one. out: MB_MT_TAG_MAX + 1 bytes.
 */
int mb_mt_lang_norm(const char *tag, char *out, struct mb_diag *d);

#endif
