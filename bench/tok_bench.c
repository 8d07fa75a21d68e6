/* SPDX-License-Identifier: MIT */
/*
 * The "mb" tokenizer alone (issue 23): tokenizes items shaped like
 * bench/gen_items.py's (a headline of one NTREX sentence, a body of the
 * following sentences up to 3,000 bytes, the nine languages in turn) the
 * way the verifying cores do (mb_text_tokens_new on the marked text,
 * document mode, one long-lived tokenizer), and prints the thread's CPU
 * per item and per token.
 *
 *   tok_bench CORPUS_DIR [ITEMS [DUMP_FILE]]
 *
 * For instructions, which the machine's load does not change:
 *   valgrind --tool=callgrind --collect-atstart=no \
 *       --toggle-collect=tokenize_items build/bench/tok_bench DIR 2000
 * DUMP_FILE: every token (flags, offsets, bytes), one a line, to compare
 * two builds' token streams. TOK_BULK=1: the bulk runs' tokenizer
 * (mb_text_tokenizer_new_bulk, a word cache twice as large).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "text/tokenizer.h"

static const char *const langs[][2] = {	/* gen_items.py's, sorted */
	{ "ar", "arb_Arab" }, { "en", "eng_Latn" }, { "es", "spa_Latn" },
	{ "fr", "fra_Latn" }, { "hi", "hin_Deva" }, { "pt", "por_Latn" },
	{ "ru", "rus_Cyrl" }, { "sw", "swa_Latn" }, { "zh", "zho_Hans" },
};
#define NLANGS	(sizeof(langs) / sizeof(langs[0]))

struct lang {
	char	**s;
	size_t	  n;
};

struct item {
	struct mb_buf	text[2];	/* marked headline and body */
};

static struct lang corpus[NLANGS];

static int
load(const char *dir)
{
	char	path[4096], line[65536];

	for (size_t l = 0; l < NLANGS; l++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/ntrex128.%s.txt", dir,
		    langs[l][1]);
		if ((f = fopen(path, "r")) == NULL) {
			fprintf(stderr, "tok_bench: %s: cannot open\n", path);
			return -1;
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			if (line[0] == '\0')
				continue;
			corpus[l].s = realloc(corpus[l].s, (corpus[l].n + 1) *
			    sizeof(char *));
			corpus[l].s[corpus[l].n++] = strdup(line);
		}
		fclose(f);
	}
	return 0;
}

/* A fixed pseudo-random sequence, so that every build sees the same. */
static uint32_t
rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static void
make_items(struct item *it, size_t n)
{
	uint32_t st = 42;

	for (size_t i = 0; i < n; i++) {
		const struct lang	*c = &corpus[i % NLANGS];
		const char		*lg = langs[i % NLANGS][0];
		size_t			 j = rnd(&st) % c->n, k = j, size = 0;
		size_t			 hl = strlen(c->s[j]);

		memset(&it[i], 0, sizeof(it[i]));
		/* The headline: at most 200 bytes, cut on a character. */
		if (hl > 200) {
			hl = 200;
			while (hl > 0 && ((unsigned char)c->s[j][hl] & 0xc0) ==
			    0x80)
				hl--;
		}
		mb_text_put_marker(&it[i].text[0], lg);
		mb_buf_append(&it[i].text[0], c->s[j], hl);
		mb_text_put_marker(&it[i].text[1], lg);
		while (size < 3000) {
			k = (k + 1) % c->n;
			if (size > 0)
				mb_buf_puts(&it[i].text[1], "\n\n");
			mb_buf_puts(&it[i].text[1], c->s[k]);
			size += strlen(c->s[k]);
		}
	}
}

static long ntokens;

/* Kept out of line: callgrind's --toggle-collect names it. */
__attribute__((noinline)) void tokenize_items(struct mb_text_tokenizer *tk,
    struct item *it, size_t n, struct mb_text_tokens **out);

void
tokenize_items(struct mb_text_tokenizer *tk, struct item *it, size_t n,
    struct mb_text_tokens **out)
{
	for (size_t i = 0; i < n; i++)
		for (int f = 0; f < 2; f++)
			if (mb_text_tokens_new(tk, it[i].text[f].data,
			    it[i].text[f].len, &out[2 * i + f]) != MB_OK) {
				fprintf(stderr, "tok_bench: tokenize failed\n");
				exit(1);
			}
}

/* Counts (and dumps) the tokens through the FTS5 replay path. */
static FILE *dump;

static int
on_token(void *ctx, int flags, const char *tok, int n, int s, int e)
{
	(void)ctx;
	ntokens++;
	if (dump != NULL)
		fprintf(dump, "%d %d %d %.*s\n", flags, s, e, n, tok);
	return SQLITE_OK;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int
main(int argc, char **argv)
{
	struct mb_text_tokenizer	 *tk;
	struct mb_text_tokens		**tt;
	struct item			 *it;
	const fts5_tokenizer		 *ft = mb_text_fts5_tokenizer();
	Fts5Tokenizer			 *replayer;
	size_t				  n = argc > 2 ? strtoul(argv[2], NULL,
	    10) : 2000, bytes = 0;
	double				  t0, t1;

	if (argc < 2 || n == 0) {
		fprintf(stderr, "usage: tok_bench CORPUS_DIR [ITEMS [DUMP]]\n");
		return 2;
	}
	if (load(argv[1]) != 0)
		return 1;
	if (argc > 3 && (dump = fopen(argv[3], "w")) == NULL)
		return 1;
	it = calloc(n, sizeof(*it));
	tt = calloc(2 * n, sizeof(*tt));
	make_items(it, n);
	for (size_t i = 0; i < n; i++)
		bytes += it[i].text[0].len + it[i].text[1].len;
	if ((getenv("TOK_BULK") != NULL ? mb_text_tokenizer_new_bulk(&tk) :
	    mb_text_tokenizer_new(&tk)) != MB_OK)
		return 1;
	t0 = now_us();
	tokenize_items(tk, it, n, tt);
	t1 = now_us();
	/* Replay them as the writer would, to count (and dump) them. */
	ft->xCreate(NULL, NULL, 0, &replayer);
	for (size_t i = 0; i < 2 * n; i++) {
		const struct mb_text_tokens *one = tt[i];

		mb_text_tokens_offer(&one, 1);
		ft->xTokenize(replayer, NULL, FTS5_TOKENIZE_DOCUMENT,
		    it[i / 2].text[i % 2].data, (int)it[i / 2].text[i % 2].len,
		    on_token);
	}
	mb_text_tokens_offer(NULL, 0);
	printf("tok_bench: %zu items, %zu bytes, %ld tokens: %.1f us an item, "
	    "%.1f ns a token (thread CPU)\n", n, bytes, ntokens,
	    (t1 - t0) / (double)n, (t1 - t0) * 1e3 / (double)ntokens);
	ft->xDelete(replayer);
	for (size_t i = 0; i < 2 * n; i++)
		mb_text_tokens_free(tt[i]);
	for (size_t i = 0; i < n; i++) {
		mb_buf_free(&it[i].text[0]);
		mb_buf_free(&it[i].text[1]);
	}
	free(tt);
	free(it);
	mb_text_tokenizer_free(tk);
	if (dump != NULL)
		fclose(dump);
	return 0;
}
