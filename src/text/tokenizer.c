/* SPDX-License-Identifier: MIT */
/* The "mb" FTS5 tokenizer: words by Unicode category, folded, stemmed in
 * the language of the row's marker; Han/Kana/Hangul as bigrams. */
#include "text/tokenizer.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <libstemmer.h>

#include "base/err.h"
#include "text/lang.h"
#include "text/text_internal.h"

#define WORD_MAX	256	/* bytes of a word that are folded and kept */
/*
 * Languages with a stemmer per instance. More than the languages a center
 * mixes: recycling a slot re-creates a stemmer and clears the cache, and
 * with 8 slots and 9 languages in turn that happened every few items.
 */
#define NSLOTS		16
/*
 * Remembered words per instance (64 bytes each, 1 MB, mapped: untouched
 * pages cost nothing; see cache_map()). 2048 thrashed on news in nine
 * languages: 16384 cut the tokenizer's instructions by a quarter. A bulk
 * run's instances (import, sync --once: mb_text_tokenizer_new_bulk) take
 * twice as many: NTREX's ~50,000 words in nine languages nearly fit, and
 * the Snowball calls behind the misses are most of what is left
 * (docs/benchmarks.md, "The tokenizer"). serve's keep 1 MB: its Rss.
 */
#define CACHE_SIZE	16384
#define CACHE_SIZE_BULK	32768
#define CACHE_WORD	27	/* longest word (bytes) remembered */
/*
 * Entries a word may take (its set: four 64-byte lines, fetched together
 * ahead of the lookup), the most recently used first. Direct-mapped, a
 * rare word evicted a frequent one that shared its line: four ways miss
 * 14 % less often on NTREX in nine languages, in the same memory.
 */
#define CACHE_WAYS	4

/*
 * A set-associative cache of word -> token, per instance: news text
 * repeats its words (Zipf), and folding plus stemming is most of the cost.
 */
struct centry {
	uint32_t	hash;
	uint8_t		klen, vlen, slot;	/* klen 0: empty */
	char		key[CACHE_WORD], val[CACHE_WORD];
};

enum stem_kind { STEM_NONE, STEM_SNOWBALL, STEM_ARABIC };

struct slot {
	char			 lang[MB_LANG_TAG_MAX + 1];
	enum stem_kind		 kind;
	bool			 pt, late_fold;
	struct sb_stemmer	*sb;
};

struct tok {
	struct slot		 slots[NSLOTS];
	int			 nslots;
	struct mb_text__scratch	 sc;
	struct mb_buf		 word, tmp;
	struct centry		*cache;		/* 64-byte aligned, in: */
	size_t			 cache_bytes;	/* its mapping */
	uint32_t		 set_mask;	/* sets - 1 (a power of 2) */
};

/* The state of one xTokenize call. */
struct run {
	struct tok	*t;
	struct slot	*slot;		/* NULL: no stemming */
	void		*ctx;
	int		(*emit)(void *, int, const char *, int, int, int);
	bool		 query, prefix;
	/* A word waiting to be emitted (so that the last one of a prefix
	 * query can be left unstemmed). */
	bool		 pending;
	int		 ps, pe;
	uint32_t	 ph;		/* its cache hash with the slot's id */
	const char	*text;
};

/*
 * The cache's memory: an anonymous mapping, not calloc(). A calloc'd
 * megabyte is mapped only until glibc raises its mmap threshold past it
 * (the first time one is freed); from then on it comes from the thread's
 * arena and calloc() zeroes it all, so every tokenizer touched the whole
 * megabyte at creation and the arena kept it after. serve makes one
 * with each connection's FTS5 table (queries and snippets touch a few
 * pages of it), and its Rss held several of them (docs/benchmarks.md,
 * "The word cache mapped").
 */
static void
cache_map(struct tok *t, size_t entries)
{
	void	*p = mmap(NULL, entries * sizeof(struct centry),
		    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	t->cache = p;
	t->cache_bytes = entries * sizeof(struct centry);
	t->set_mask = (uint32_t)(entries / CACHE_WAYS) - 1;
}

/* Empty again: the kernel drops the pages; they read as zeroes. */
static void
cache_clear(struct tok *t)
{
	if (madvise(t->cache, t->cache_bytes, MADV_DONTNEED) != 0)
		memset(t->cache, 0, t->cache_bytes);
}

size_t
mb_text_marker_len(const char *s, size_t len)
{
	size_t	i;

	if (len < 3 || s[0] != MB_TEXT_MARK)
		return 0;
	for (i = 1; i < len && i <= MB_LANG_TAG_MAX + 1; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == MB_TEXT_MARK)
			return i > 1 ? i + 1 : 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 0;
}

int
mb_text_put_marker(struct mb_buf *out, const char *lang)
{
	char	p[MB_LANG_TAG_MAX + 1];
	size_t	n;
	int	rc;

	if ((n = mb_lang_primary(lang, p)) == 0)
		return MB_OK;
	if ((rc = mb_buf_putc(out, MB_TEXT_MARK)) != MB_OK ||
	    (rc = mb_buf_append(out, p, n)) != MB_OK)
		return rc;
	return mb_buf_putc(out, MB_TEXT_MARK);
}

/* The stemming slot for the tag in s[0..n), created on first use. */
static struct slot *
slot_for(struct tok *t, const char *s, size_t n)
{
	char		 tag[MB_LANG_TAG_MAX + 1], p[MB_LANG_TAG_MAX + 1];
	struct slot	*sl;
	const char	*algo;

	memcpy(tag, s, n);
	tag[n] = '\0';
	if (mb_lang_primary(tag, p) == 0)
		return NULL;
	for (int i = 0; i < t->nslots; i++)
		if (strcmp(t->slots[i].lang, p) == 0)
			return t->slots[i].kind == STEM_NONE ? NULL :
			    &t->slots[i];
	if (t->nslots == NSLOTS) {
		/* Many languages in one connection: recycle the last. */
		sb_stemmer_delete(t->slots[NSLOTS - 1].sb);
		t->nslots--;
		if (t->cache != NULL)	/* its entries name the old slot */
			cache_clear(t);
	}
	sl = &t->slots[t->nslots++];
	memset(sl, 0, sizeof(*sl));
	memcpy(sl->lang, p, strlen(p) + 1);
	sl->kind = STEM_NONE;
	if (strcmp(p, "ar") == 0) {
		sl->kind = STEM_ARABIC;
	} else if ((algo = mb_lang_stemmer_name(p)) != NULL &&
	    (sl->sb = sb_stemmer_new(algo, NULL)) != NULL) {
		sl->kind = STEM_SNOWBALL;
		sl->pt = strcmp(p, "pt") == 0;
		sl->late_fold = mb_text__stem_before_fold(p);
	}
	return sl->kind == STEM_NONE ? NULL : sl;
}

/*
 * The cache's hash of the word s[0..n) for stemming slot id slot: eight
 * bytes a step (FNV's byte a step was a twentieth of the tokenizer).
 */
static inline uint64_t
load64(const char *p)
{
	uint64_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t
load32(const char *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t
hash_word(const char *s, size_t n, unsigned slot)
{
	const uint64_t	k = 0x9e3779b97f4a7c15ull;
	uint64_t	h = ((uint64_t)slot << 32 | n) * k, w;

	for (; n >= 8; s += 8, n -= 8) {
		h = (h ^ load64(s)) * k;
		h ^= h >> 29;
	}
	if (n >= 4)		/* 4-7 bytes: two loads that may overlap */
		w = load32(s) | load32(s + n - 4) << 32;
	else if (n > 0)
		w = (uint64_t)(unsigned char)s[0] |
		    (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	else
		w = 0;
	h ^= w;
	h = (h ^ h >> 33) * 0xff51afd7ed558ccdull;
	h = (h ^ h >> 33) * 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ h >> 33);
}

/* a[0..n) == b[0..n) for the cache's keys, without a call to memcmp()
 * (a hit is a matching hash and length: the bytes almost always match). */
static inline bool
key_eq(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (load64(a + i) != load64(b + i))
				return false;
		return load64(a + n - 8) == load64(b + n - 8);
	}
	if (n >= 4)
		return load32(a) == load32(b) &&
		    load32(a + n - 4) == load32(b + n - 4);
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] &&
	    a[n - 1] == b[n - 1]);
}

/* The cache slot id of the stemming slot sl (NULL: none). */
static unsigned
slot_id(const struct tok *t, const struct slot *sl)
{
	return sl == NULL ? 255 : (unsigned)(sl - t->slots);
}

/*
 * Folds, stems (unless stem is false) and emits the word text[s..e).
 * h: its hash_word() with the stemming slot's id when stem is true (the
 * caller computed it to prefetch the cache line), or 0: computed here.
 */
static int
emit_word(struct run *r, int s, int e, bool stem, uint32_t h)
{
	struct tok	*t = r->t;
	struct slot	*sl = stem ? r->slot : NULL;
	size_t		 n = (size_t)(e - s);
	const char	*w;
	int		 rc;
	struct centry	*ce = NULL;
	unsigned	 sid = slot_id(t, sl);

	if (n <= CACHE_WORD && t->cache != NULL) {
		if (!stem || h == 0)
			h = hash_word(r->text + s, n, sid);
		struct centry *set = &t->cache[(h & t->set_mask) * CACHE_WAYS];

		for (int way = 0; way < CACHE_WAYS; way++) {
			ce = &set[way];
			if (ce->hash != h || ce->klen != n || ce->slot != sid ||
			    !key_eq(ce->key, r->text + s, n))
				continue;
			if (way > 0) {	/* now the most recently used */
				struct centry hit = *ce;

				memmove(set + 1, set, (size_t)way *
				    sizeof(*set));
				set[0] = hit;
				ce = set;
			}
			return ce->vlen == 0 ? SQLITE_OK : r->emit(r->ctx, 0,
			    ce->val, ce->vlen, s, e);
		}
		/* A miss: the least recently used goes. */
		memmove(set + 1, set, (CACHE_WAYS - 1) * sizeof(*set));
		ce = set;
		ce->klen = 0;
		ce->hash = h;
	}

	if (n > WORD_MAX) {
		n = WORD_MAX;
		while (n > 0 && ((unsigned char)r->text[s + n] & 0xc0) == 0x80)
			n--;
	}
	mb_buf_reset(&t->word);
	rc = mb_text__fold(r->text + s, n, sl == NULL || !sl->late_fold,
	    &t->sc, &t->word);
	if (rc == MB_ERR_NOMEM)
		return SQLITE_NOMEM;
	if (rc != MB_OK || t->word.len == 0)
		return SQLITE_OK;	/* nothing left (only joiners) */
	w = t->word.data;
	n = t->word.len;
	/* Numbers and codes ("2024", "g20") are not stemmed. */
	if (sl != NULL && !(w[0] >= '0' && w[0] <= '9')) {
		if (sl->kind == STEM_ARABIC) {
			n = mb_text__ar_stem(t->word.data, n);
		} else {
			if (sl->pt)
				n = mb_text__pt_prestem(t->word.data, n);
			w = (const char *)sb_stemmer_stem(sl->sb,
			    (const sb_symbol *)t->word.data, (int)n);
			if (w == NULL)
				return SQLITE_NOMEM;
			n = (size_t)sb_stemmer_length(sl->sb);
			if (sl->late_fold) {
				mb_buf_reset(&t->tmp);
				rc = mb_text__fold(w, n, true, &t->sc, &t->tmp);
				if (rc == MB_ERR_NOMEM)
					return SQLITE_NOMEM;
				w = t->tmp.data;
				n = t->tmp.len;
			}
		}
	}
	if (ce != NULL && n <= CACHE_WORD) {
		ce->klen = (uint8_t)(e - s);
		ce->slot = (uint8_t)sid;
		ce->vlen = (uint8_t)n;
		memcpy(ce->key, r->text + s, (size_t)(e - s));
		memcpy(ce->val, w, n);
	}
	if (n == 0)
		return SQLITE_OK;
	return r->emit(r->ctx, 0, w, (int)n, s, e);
}

static int
flush_pending(struct run *r, bool last)
{
	if (!r->pending)
		return SQLITE_OK;
	r->pending = false;
	return emit_word(r, r->ps, r->pe, !(last && r->prefix), r->ph);
}

/*
 * The word text[s..e) waits to be emitted until the next one is found:
 * meanwhile its cache lines are fetched (the cache is 1 MB, every lookup a
 * miss to memory otherwise: most of the tokenizer's time).
 */
static void
set_pending(struct run *r, int s, int e)
{
	size_t n = (size_t)(e - s);

	r->pending = true;
	r->ps = s;
	r->pe = e;
	r->ph = 0;
	if (n <= CACHE_WORD && r->t->cache != NULL) {
		r->ph = hash_word(r->text + s, n, slot_id(r->t, r->slot));
		const struct centry *set =
		    &r->t->cache[(r->ph & r->t->set_mask) * CACHE_WAYS];

		for (int w = 0; w < CACHE_WAYS; w++)
			__builtin_prefetch(&set[w]);
	}
}

/* Decodes the code point at s[0..len) leniently: 0 on a bad byte. */
static int
decode(const unsigned char *s, int len, uint32_t *cp)
{
	uint32_t	c = s[0];
	int		n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c < 0xe0)
		n = 2, c &= 0x1f;
	else if (c >= 0xe0 && c < 0xf0)
		n = 3, c &= 0x0f;
	else if (c >= 0xf0 && c < 0xf5)
		n = 4, c &= 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Appends the fold of the one CJK character text[a..b), cp (decoded by
 * the caller): Han, kana and Hangul syllables are their own fold; the
 * rest (halfwidth forms, compatibility ideographs, jamo) go through the
 * general fold. */
static int
fold_cjk(struct run *r, int a, int b, uint32_t cp)
{
	if ((cp >= 0x3400 && cp < 0x4dc0) || (cp >= 0x4e00 && cp < 0xa000) ||
	    (cp >= 0x3041 && cp < 0x3097) || (cp >= 0x30a1 && cp < 0x30fb) ||
	    (cp >= 0xac00 && cp < 0xd7a4))
		return mb_buf_append(&r->t->word, r->text + a, (size_t)(b - a));
	return mb_text__fold(r->text + a, (size_t)(b - a), true, &r->t->sc,
	    &r->t->word);
}

/* Emits the CJK run text[s..e) as overlapping bigrams. */
static int
emit_cjk(struct run *r, int s, int e)
{
	struct tok	*t = r->t;
	const unsigned char *u = (const unsigned char *)r->text;
	int		 a = s, b, c, rc;	/* a: this char, b: next */
	uint32_t	 cp;
	size_t		 alen;

	b = a + decode(u + a, e - a, &cp);
	if (b >= e) {		/* one character: a unigram */
		mb_buf_reset(&t->word);
		if (fold_cjk(r, a, b, cp) == MB_ERR_NOMEM)
			return SQLITE_NOMEM;
		return t->word.len == 0 ? SQLITE_OK : r->emit(r->ctx, 0,
		    t->word.data, (int)t->word.len, a, b);
	}
	mb_buf_reset(&t->word);
	if (fold_cjk(r, a, b, cp) == MB_ERR_NOMEM)
		return SQLITE_NOMEM;
	alen = t->word.len;
	while (b < e) {
		c = b + decode(u + b, e - b, &cp);
		if (fold_cjk(r, b, c, cp) == MB_ERR_NOMEM)
			return SQLITE_NOMEM;
		if ((rc = r->emit(r->ctx, 0, t->word.data, (int)t->word.len,
		    a, c)) != SQLITE_OK)
			return rc;
		/* Slide: the second character becomes the first. */
		memmove(t->word.data, t->word.data + alen,
		    t->word.len - alen);
		t->word.len -= alen;
		alen = t->word.len;
		a = b;
		b = c;
	}
	/*
	 * In documents, the last character again, alone, at the position of
	 * the last bigram: a one-character query (made a prefix query by the
	 * translator) then finds it at the end of a run too.
	 */
	if (!r->query && alen > 0)
		return r->emit(r->ctx, FTS5_TOKEN_COLOCATED, t->word.data,
		    (int)alen, a, b);
	return SQLITE_OK;
}

/*
 * The class of the code point at u[i..ntext) and, in *n, its length: the
 * alphabets by table (two-byte UTF-8 decoded here), CJK and the rest by
 * mb_text__classify(); a stray byte is a one-byte separator.
 */
static inline enum mb_text__class
class_at(const uint8_t *tab, const unsigned char *u, int i, int ntext,
    int *n)
{
	unsigned	c = u[i];
	uint32_t	cp;

	if (c < 0x80) {
		*n = 1;
		return (enum mb_text__class)tab[c];
	}
	if (c >= 0xc2 && c < 0xe0 && i + 1 < ntext &&
	    (u[i + 1] & 0xc0) == 0x80) {
		*n = 2;
		return (enum mb_text__class)tab[(c & 0x1f) << 6 |
		    (u[i + 1] & 0x3f)];
	}
	if ((*n = decode(u + i, ntext - i, &cp)) == 0) {
		*n = 1;
		return MB_TC_SEP;
	}
	return cp < MB_TEXT__CLASS_TABLE_END ?
	    (enum mb_text__class)tab[cp] : mb_text__classify(cp);
}

/* Tokenizes text[0..ntext), handing each token to xToken. */
static int
tok_tokenize_fresh(Fts5Tokenizer *p, void *ctx, int flags, const char *text,
    int ntext, int (*xToken)(void *, int, const char *, int, int, int))
{
	struct run		 r;
	const unsigned char	*u = (const unsigned char *)text;
	const uint8_t		*tab = mb_text__class_table();
	int			 i, n, s, rc;
	size_t			 mk;
	enum mb_text__class	 cl, nc;

	memset(&r, 0, sizeof(r));
	r.t = (struct tok *)p;
	r.ctx = ctx;
	r.emit = xToken;
	r.text = text;
	r.query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	r.prefix = (flags & FTS5_TOKENIZE_PREFIX) != 0;
	if (text == NULL || ntext <= 0)
		return SQLITE_OK;
	i = 0;
	if ((mk = mb_text_marker_len(text, (size_t)ntext)) > 0) {
		r.slot = slot_for(r.t, text + 1, mk - 2);
		i = (int)mk;
	}
	if (i < ntext)
		cl = class_at(tab, u, i, ntext, &n);
	while (i < ntext) {
		if (cl == MB_TC_SEP) {
			if ((i += n) < ntext)
				cl = class_at(tab, u, i, ntext, &n);
			continue;
		}
		/* A run of word characters, or of CJK ones. */
		s = i;
		nc = MB_TC_SEP;
		while ((i += n) < ntext) {
			if (u[i] < 0x80) {	/* most of most text */
				n = 1;
				nc = (enum mb_text__class)tab[u[i]];
			} else {
				nc = class_at(tab, u, i, ntext, &n);
			}
			if (nc != cl)
				break;
		}
		if ((rc = flush_pending(&r, false)) != SQLITE_OK)
			return rc;
		if (cl == MB_TC_WORD)
			set_pending(&r, s, i);
		else if ((rc = emit_cjk(&r, s, i)) != SQLITE_OK)
			return rc;
		cl = nc;
	}
	return flush_pending(&r, true);
}

/*
 * Tokens computed ahead of the insert (see tokenizer.h). A record per
 * token: struct trec, then its bytes.
 */
struct mb_text_tokens {
	char		*text;	/* a copy of the text they were made from */
	size_t		 len;
	struct mb_buf	 rec;
};

struct trec {
	int32_t	flags, len, start, end;
};

#define OFFER_MAX	4

/*
 * What the writing thread offers its tokenizer instances. Per thread:
 * FTS5 calls xTokenize on the thread that steps the INSERT, and that is
 * the thread that offers.
 */
static _Thread_local const struct mb_text_tokens *offered[OFFER_MAX];
static _Thread_local size_t noffered;
static _Thread_local unsigned long nreplayed;

void
mb_text_tokens_offer(const struct mb_text_tokens *const *tt, size_t n)
{
	noffered = 0;
	for (size_t i = 0; i < n && noffered < OFFER_MAX; i++)
		if (tt[i] != NULL)
			offered[noffered++] = tt[i];
}

unsigned long
mb_text_tokens_replayed(void)
{
	return nreplayed;
}

/*
 * Replays the offered tokens of text[0..ntext) if some were offered for
 * exactly these bytes: the SQLite code of the replay, -1 when none was.
 */
static int
replay(void *ctx, const char *text, int ntext,
    int (*xToken)(void *, int, const char *, int, int, int))
{
	const struct mb_text_tokens	*tt = NULL;
	const char			*p, *end;
	struct trec			 r;
	int				 rc;

	for (size_t i = 0; i < noffered; i++)
		if (offered[i]->len == (size_t)ntext &&
		    memcmp(offered[i]->text, text, (size_t)ntext) == 0) {
			tt = offered[i];
			break;
		}
	if (tt == NULL)
		return -1;
	nreplayed++;
	p = tt->rec.data;
	end = p + tt->rec.len;
	while (p < end) {
		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		if ((rc = xToken(ctx, r.flags, p, r.len, r.start, r.end)) !=
		    SQLITE_OK)
			return rc;
		p += r.len;
	}
	return SQLITE_OK;
}

static int
record(void *ctx, int flags, const char *tok, int n, int s, int e)
{
	struct mb_text_tokens	*tt = ctx;
	struct trec		 r = { flags, n, s, e };
	char			*p;

	if (tt->rec.cap - tt->rec.len < sizeof(r) + (size_t)n + 1 &&
	    mb_buf_reserve(&tt->rec, sizeof(r) + (size_t)n) != MB_OK)
		return SQLITE_NOMEM;
	p = tt->rec.data + tt->rec.len;
	memcpy(p, &r, sizeof(r));
	memcpy(p + sizeof(r), tok, (size_t)n);
	tt->rec.len += sizeof(r) + (size_t)n;
	return SQLITE_OK;
}

static int
tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text,
    int ntext, int (*xToken)(void *, int, const char *, int, int, int))
{
	int rc;

	if ((flags & FTS5_TOKENIZE_DOCUMENT) && noffered > 0 &&
	    (rc = replay(ctx, text, ntext, xToken)) >= 0)
		return rc;
	return tok_tokenize_fresh(p, ctx, flags, text, ntext, xToken);
}

static int
tok_new(size_t cache_entries, Fts5Tokenizer **out)
{
	struct tok	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return SQLITE_NOMEM;
	/* Without the cache it is only slower. Page-aligned, so each set's
	 * lines are too. */
	cache_map(t, cache_entries);
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static int
tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR;	/* tokenize='mb' takes no options */
	return tok_new(CACHE_SIZE, out);
}

static void
tok_delete(Fts5Tokenizer *p)
{
	struct tok	*t = (struct tok *)p;

	if (t == NULL)
		return;
	for (int i = 0; i < t->nslots; i++)
		sb_stemmer_delete(t->slots[i].sb);
	mb_text__scratch_free(&t->sc);
	mb_buf_free(&t->word);
	mb_buf_free(&t->tmp);
	if (t->cache != NULL)
		munmap(t->cache, t->cache_bytes);
	free(t);
}

static const fts5_tokenizer mb_tokenizer = {
	tok_create, tok_delete, tok_tokenize
};

const fts5_tokenizer *
mb_text_fts5_tokenizer(void)
{
	return &mb_tokenizer;
}

int
mb_text_fts5_register(fts5_api *api)
{
	fts5_tokenizer	tk = mb_tokenizer;	/* FTS5 copies it */

	if (api == NULL || api->iVersion < 2)
		return MB_ERR_STORE;
	if (api->xCreateTokenizer(api, MB_TEXT_TOKENIZER_NAME, NULL, &tk,
	    NULL) != SQLITE_OK)
		return MB_ERR_STORE;
	return MB_OK;
}

static int
tokenizer_new(size_t cache_entries, struct mb_text_tokenizer **out)
{
	Fts5Tokenizer *t;

	if (tok_new(cache_entries, &t) != SQLITE_OK)
		return MB_ERR_NOMEM;
	*out = (struct mb_text_tokenizer *)t;
	return MB_OK;
}

int
mb_text_tokenizer_new(struct mb_text_tokenizer **out)
{
	return tokenizer_new(CACHE_SIZE, out);
}

int
mb_text_tokenizer_new_bulk(struct mb_text_tokenizer **out)
{
	return tokenizer_new(CACHE_SIZE_BULK, out);
}

void
mb_text_tokenizer_free(struct mb_text_tokenizer *tk)
{
	tok_delete((Fts5Tokenizer *)tk);
}

int
mb_text_tokens_new(struct mb_text_tokenizer *tk, const char *text,
    size_t len, struct mb_text_tokens **out)
{
	struct mb_text_tokens	*tt;

	if (len > INT32_MAX)
		return MB_ERR_INVAL;
	if ((tt = calloc(1, sizeof(*tt))) == NULL)
		return MB_ERR_NOMEM;
	/* About one record of 16 + 6 bytes for every 7 bytes of text. */
	if ((tt->text = malloc(len + 1)) == NULL ||
	    mb_buf_reserve(&tt->rec, len * 3 + 64) != MB_OK)
		goto fail;
	memcpy(tt->text, text, len);
	tt->text[len] = '\0';
	tt->len = len;
	/* Not through replay(): this is the thread's own instance. */
	if (tok_tokenize_fresh((Fts5Tokenizer *)tk, tt, FTS5_TOKENIZE_DOCUMENT,
	    tt->text, (int)len, record) != SQLITE_OK)
		goto fail;
	*out = tt;
	return MB_OK;
fail:
	mb_text_tokens_free(tt);
	return MB_ERR_NOMEM;
}

void
mb_text_tokens_free(struct mb_text_tokens *tt)
{
	if (tt == NULL)
		return;
	free(tt->text);
	mb_buf_free(&tt->rec);
	free(tt);
}
