/* SPDX-License-Identifier: MIT */
/* The "mb" tokenizer's exact token lists on hard cases of many scripts, as the tokenizer gave them before issue 23 made it faster. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "text/tokenizer.h"

/*
 * Each text is written with the marker of its language and tokenized in
 * the given mode; the tokens ("tok@start-end", "+" for colocated) must
 * be these. They were taken from the tokenizer at aacf6f0, before its
 * fast paths for scanning, hashing and folding: every fast path must
 * give what the general path (utf8proc, Snowball) gives. Each case runs
 * twice on one instance, so the second run comes from the word cache.
 * test_tokens_golden covers the NTREX corpus in digests.
 */
#define D	FTS5_TOKENIZE_DOCUMENT
#define Q	FTS5_TOKENIZE_QUERY
#define P	(FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX)

static const struct {
	const char	*lang;
	int		 flags;
	const char	*text, *want;
} cases[] = {
	{ "tr", D,
	    "\xc4\xb0stanbul'da I\xc5\x9eIK \xc4\xb1\xc5\x9f\xc4\xb1k \xc4\xb0\xc4\xb0 d\xc4\xb1\xc5\x9f\xc4\xb1ndaki \xc3\x87" "ALI\xc5\x9eMALAR",
	    "istanbul@4-13 da@14-16 isik@17-22 isik@23-30 ii@31-35 disindak@36-48 calisma@49-61" },
	{ "en", D,
	    "\xc4\xb0stanbul \xc4\xb1\xc5\x9f\xc4\xb1k",
	    "istanbul@4-13 isik@14-21" },
	{ "de", D,
	    "Stra\xc3\x9f" "e STRASSE Fu\xc3\x9f" "ball \xe1\xba\x9e Gr\xc3\xb6\xc3\x9f" "en \xc3\x84rzte",
	    "strass@4-11 strass@12-19 fussball@20-28 ss@29-32 gross@33-41 arzt@42-48" },
	{ "en", D,
	    "e\xcc\x81te cafe\xcc\x81 n\xcc\x83o a\xcc\x8a\xcc\x81 x\xcc\xa3\xcc\x81 \xcc\x81lead",
	    "ete@4-9 cafe@10-16 no@17-21 a@22-27 x@28-33 \xcc\x81lead@34-40" },
	{ "ru", D,
	    "\xd0\x90\xd0\xbd\xd0\xb3\xd0\xb5\xd0\xbb\xcc\x81 \xd0\x81\xd0\x9b\xd0\x9a\xd0\x98 \xd1\x91\xd0\xbb\xd0\xba\xd0\xb0 \xd0\xb5\xcc\x88\xd0\xb6 \xd0\xb8\xcc\x86\xd0\xbe\xd0\xb4 \xd0\x99\xd0\x9e\xd0\x93\xd0\x90 \xd1\x96\xd1\x97\xd1\x94 \xd0\xa1\xd0\x9f\xd0\x91-2024",
	    "\xd0\xb0\xd0\xbd\xd0\xb3\xd0\xb5\xd0\xbb\xcc\x81@4-16 \xd0\xb5\xd0\xbb\xd0\xba@17-25 \xd0\xb5\xd0\xbb\xd0\xba@26-34 \xd0\xb5\xd0\xb6@35-41 \xd0\xb9\xd0\xbe\xd0\xb4@42-50 \xd0\xb9\xd0\xbe\xd0\xb3@51-59 \xd1\x96\xd1\x97\xd1\x94@60-66 \xd1\x81\xd0\xbf\xd0\xb1@67-73 2024@74-78" },
	{ "ar", D,
	    "\xd9\x85\xd9\x8f\xd8\xad\xd9\x8e\xd9\x85\xd9\x91\xd9\x8e\xd8\xaf\xd9\x8c \xd9\x88\xd9\x8e\xd8\xa7\xd9\x84\xd9\x92\xd9\x83\xd9\x8f\xd8\xaa\xd9\x8f\xd8\xa8\xd9\x8f \xd8\xa5\xd9\x90\xd8\xb3\xd9\x92\xd9\x84\xd9\x8e\xd8\xa7\xd9\x85 \xd8\xa2\xd9\x85\xd9\x86 \xd8\xa3\xd9\x8f\xd9\x85\xd9\x91\xd8\xa9 \xd9\x80\xd9\x80\xd8\xaa\xd8\xb7\xd9\x88\xd9\x8a\xd9\x84 \xd9\x85\xd8\xb3\xd8\xa4\xd9\x88\xd9\x84 \xd8\xb1\xd8\xa6\xd9\x8a\xd8\xb3 \xd8\xa7\xd9\x94\xd8\xad\xd9\x85\xd8\xaf \xd9\xb1\xd9\x84\xd9\x84\xd9\x87 \xd9\x85\xd9\x88\xd8\xb3\xd9\x89 \xdb\x8c\xda\xa9 \xd9\xa1\xd9\xa2\xd9\xa3 \xef\xbb\xbb",
	    "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf@4-22 \xd9\x83\xd8\xaa\xd8\xa8@23-45 \xd8\xa7\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85@46-62 \xd8\xa7\xd9\x85\xd9\x86@63-69 \xd8\xa7\xd9\x85@70-80 \xd8\xaa\xd8\xb7\xd9\x88\xd9\x8a\xd9\x84@81-95 \xd9\x85\xd8\xb3\xd8\xa4\xd9\x88\xd9\x84@96-106 \xd8\xb1\xd8\xa6\xd9\x8a\xd8\xb3@107-115 \xd8\xa7\xd8\xad\xd9\x85\xd8\xaf@116-126 \xd9\x84\xd9\x87@127-135 \xd9\x85\xd9\x88\xd8\xb3@136-144 \xd9\x8a\xd9\x83@145-149 \xd9\xa1\xd9\xa2\xd9\xa3@150-156 \xd9\x84\xd8\xa7@157-160" },
	{ "ar", P,
	    "\xd8\xa7\xd9\x84\xd9\x83\xd8\xaa\xd8\xa8 \xd8\xa7\xd9\x84\xd9\x85\xd8\xaf\xd8\xb1\xd8\xb3",
	    "\xd9\x83\xd8\xaa\xd8\xa8@4-14 \xd8\xa7\xd9\x84\xd9\x85\xd8\xaf\xd8\xb1\xd8\xb3@15-27" },
	{ "hi", D,
	    "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5\x80 \xe0\xa4\x95\xe0\xa4\xbc\xe0\xa4\xbf\xe0\xa4\xa4\xe0\xa4\xbe\xe0\xa4\xac \xe0\xa5\x98\xe0\xa4\xbf\xe0\xa4\xa4\xe0\xa4\xbe\xe0\xa4\xac \xe0\xa4\x9c\xe0\xa4\xbc\xe0\xa5\x8d\xe0\xa4\xaf\xe0\xa4\xbe\xe0\xa4\xa6\xe0\xa4\xbe \xe0\xa4\xa8\xe0\xa4\xbc \xe0\xa4\xa9 \xe0\xa4\xb8\xe0\xa4\xb0\xe0\xa4\x95\xe0\xa4\xbe\xe0\xa4\xb0\xe0\xa5\xa4 \xe0\xa5\xa7\xe0\xa5\xa8\xe0\xa5\xa9",
	    "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6@4-22 \xe0\xa4\x95\xe0\xa4\xbc\xe0\xa4\xbf\xe0\xa4\xa4\xe0\xa4\xbe\xe0\xa4\xac@23-41 \xe0\xa4\x95\xe0\xa4\xbc\xe0\xa4\xbf\xe0\xa4\xa4\xe0\xa4\xbe\xe0\xa4\xac@42-57 \xe0\xa4\x9c\xe0\xa4\xbc\xe0\xa5\x8d\xe0\xa4\xaf\xe0\xa4\xbe\xe0\xa4\xa6@58-79 \xe0\xa4\xa9@80-86 \xe0\xa4\xa9@87-90 \xe0\xa4\xb8\xe0\xa4\xb0\xe0\xa4\x95\xe0\xa4\xbe\xe0\xa4\xb0@91-106 \xe0\xa5\xa7\xe0\xa5\xa8\xe0\xa5\xa9@110-119" },
	{ "zh", D,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\xe3\x80\x81\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xe4\xb8\xad\xe6\x96\x87" "ABC123\xe6\xb1\x89\xe5\xad\x97 \xef\xbd\xb6\xef\xbe\x80\xef\xbd\xb6\xef\xbe\x85 \xe4\xb8\x80 \xf0\xa0\x80\x80\xf0\xa0\x80\x81",
	    "\xe6\x97\xa5\xe6\x9c\xac@4-10 \xe6\x9c\xac\xe8\xaa\x9e@7-13 \xe8\xaa\x9e\xe3\x81\xae@10-16 \xe3\x81\xae\xe3\x83\x86@13-19 \xe3\x83\x86\xe3\x82\xad@16-22 \xe3\x82\xad\xe3\x82\xb9@19-25 \xe3\x82\xb9\xe3\x83\x88@22-28 +\xe3\x83\x88@25-28 \xed\x95\x9c\xea\xb5\xad@31-37 \xea\xb5\xad\xec\x96\xb4@34-40 +\xec\x96\xb4@37-40 \xe4\xb8\xad\xe6\x96\x87@41-47 +\xe6\x96\x87@44-47 abc123@47-53 \xe6\xb1\x89\xe5\xad\x97@53-59 +\xe5\xad\x97@56-59 \xe3\x82\xab\xe3\x82\xbf@60-66 \xe3\x82\xbf\xe3\x82\xab@63-69 \xe3\x82\xab\xe3\x83\x8a@66-72 +\xe3\x83\x8a@69-72 \xe4\xb8\x80@73-76 \xf0\xa0\x80\x80\xf0\xa0\x80\x81@77-85 +\xf0\xa0\x80\x81@81-85" },
	{ "zh", Q,
	    "\xe5\x8c\x97\xe4\xba\xac\xe5\xa4\xa7\xe5\xad\xa6 \xe4\xb8\x80",
	    "\xe5\x8c\x97\xe4\xba\xac@4-10 \xe4\xba\xac\xe5\xa4\xa7@7-13 \xe5\xa4\xa7\xe5\xad\xa6@10-16 \xe4\xb8\x80@17-20" },
	{ "en", D,
	    "It's 3.14, co-operation rock'n'roll O\xe2\x80\x99Neil 1,000,000 x2 2x e-mail's don\xe2\x80\x99t \xe2\x80\x94 well-known",
	    "it@4-6 s@7-8 3@9-10 14@11-13 co@15-17 oper@18-27 rock@28-32 n@33-34 roll@35-39 o@40-41 neil@44-48 1@49-50 000@51-54 000@55-58 x2@59-61 2x@62-64 e@65-66 mail@67-71 s@72-73 don@74-77 t@80-81 well@86-90 known@91-96" },
	{ "en", P,
	    "election runn",
	    "elect@4-12 runn@13-17" },
	{ "en", Q,
	    "elections running",
	    "elect@4-13 run@14-21" },
	{ "ru", P,
	    "\xd0\xb2\xd1\x8b\xd0\xb1\xd0\xbe\xd1\x80\xd1\x8b \xd0\xb2\xd1\x8b\xd0\xb1\xd0\xbe",
	    "\xd0\xb2\xd1\x8b\xd0\xb1\xd0\xbe\xd1\x80@4-16 \xd0\xb2\xd1\x8b\xd0\xb1\xd0\xbe@17-25" },
	{ "fr", D,
	    "L\xe2\x80\x99\xc3\x89lys\xc3\xa9" "e \xc5\x93uvre \xc3\x86SOP na\xc3\xaf" "ve \xc3\xa7" "a ma\xc3\xaetre",
	    "l@4-5 elyse@8-16 oeuvr@17-23 aesop@24-29 naiv@30-36 ca@37-40 maitr@41-48" },
	{ "pt", D,
	    "elei\xc3\xa7\xc3\xb5" "es MILH\xc3\x95" "ES p\xc3\xa3" "es a\xc3\xa7\xc3\xa3o",
	    "eleica@4-14 milha@15-23 paes@24-29 aca@30-36" },
	{ "es", D,
	    "A\xc3\xb1o ni\xc3\xb1os \xc2\xbf" "D\xc3\xb3nde? \xc2\xa1" "Ay!",
	    "ano@4-8 nin@9-15 dond@18-24 ay@28-30" },
	{ NULL, D,
	    "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3 \xef\xac\x81nal x\xc2\xb2 \xe2\x85\xab \xce\x9f\xce\x94\xce\xa5\xce\xa3\xce\xa3\xce\x95\xce\xa5\xce\xa3 \xe1\xbd\x88\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x8d\xcf\x82 soft\xc2\xad" "hy zw\xe2\x80\x8c" "nj \xc5\x81\xc3\xb3\x64\xc5\xba \xc3\x98resund \xc4\x90\xc3\xa0 N\xe1\xba\xb5ng \xc5\x89 \xc3\xbeorn",
	    "abc@0-9 final@10-16 x2@17-20 xii@21-24 \xce\xbf\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x85\xcf\x83@25-41 \xe1\xbd\x80\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x8d\xcf\x83@42-59 softhy@60-68 zwnj@69-76 lodz@77-84 oresund@85-93 da@94-98 nang@99-105 \xca\xbcn@106-108 \xc3\xbeorn@109-114" },
	{ "sw", D,
	    "Serikali ilisema wakulima wanataka mvua.",
	    "serikali@4-12 ilisema@13-20 wakulima@21-29 wanataka@30-38 mvua@39-43" },
	{ "xx", D,
	    "Unknown LANG stays unstemmed: running",
	    "unknown@4-11 lang@12-16 stays@17-22 unstemmed@23-32 running@34-41" },
};

static int
on_token(void *ctx, int flags, const char *tok, int n, int s, int e)
{
	struct mb_buf	*b = ctx;

	if (b->len > 0)
		mb_buf_putc(b, ' ');
	mb_buf_printf(b, "%s%.*s@%d-%d", flags & FTS5_TOKEN_COLOCATED ?
	    "+" : "", n, tok, s, e);
	return SQLITE_OK;
}

static void
test_exact(void **state)
{
	const fts5_tokenizer	*tk = mb_text_fts5_tokenizer();
	Fts5Tokenizer		*t;

	(void)state;
	assert_int_equal(tk->xCreate(NULL, NULL, 0, &t), SQLITE_OK);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct mb_buf	in = MB_BUF_INIT, got = MB_BUF_INIT;

			assert_int_equal(mb_text_put_marker(&in, cases[i].lang),
			    MB_OK);
			mb_buf_puts(&in, cases[i].text);
			assert_int_equal(tk->xTokenize(t, &got, cases[i].flags,
			    in.data, (int)in.len, on_token), SQLITE_OK);
			mb_buf_append(&got, "", 0);
			if (strcmp(got.data, cases[i].want) != 0)
				fail_msg("case %zu (pass %d):\n want [%s]\n "
				    "got  [%s]", i, pass, cases[i].want,
				    got.data);
			mb_buf_free(&in);
			mb_buf_free(&got);
		}
	tk->xDelete(t);
}

/*
 * The same through mb_text_tokens_new, as the verifying cores do, with
 * the ordinary instance or a bulk run's (a larger word cache), twice
 * each: the second pass is answered from the cache.
 */
static void
pretokenized(bool bulk)
{
	const fts5_tokenizer		*tk = mb_text_fts5_tokenizer();
	struct mb_text_tokenizer	*pre;
	Fts5Tokenizer			*t;

	assert_int_equal(bulk ? mb_text_tokenizer_new_bulk(&pre) :
	    mb_text_tokenizer_new(&pre), MB_OK);
	assert_int_equal(tk->xCreate(NULL, NULL, 0, &t), SQLITE_OK);
	for (size_t k = 0; k < 2 * sizeof(cases) / sizeof(cases[0]); k++) {
		size_t				 i = k % (sizeof(cases) /
		    sizeof(cases[0]));
		struct mb_buf			 in = MB_BUF_INIT;
		struct mb_buf			 got = MB_BUF_INIT;
		struct mb_text_tokens		*tt;
		const struct mb_text_tokens	*one;
		unsigned long			 before;

		if (cases[i].flags != D)
			continue;
		mb_text_put_marker(&in, cases[i].lang);
		mb_buf_puts(&in, cases[i].text);
		assert_int_equal(mb_text_tokens_new(pre, in.data, in.len, &tt),
		    MB_OK);
		one = tt;
		mb_text_tokens_offer(&one, 1);
		before = mb_text_tokens_replayed();
		assert_int_equal(tk->xTokenize(t, &got, D, in.data,
		    (int)in.len, on_token), SQLITE_OK);
		assert_int_equal(mb_text_tokens_replayed(), before + 1);
		mb_text_tokens_offer(NULL, 0);
		mb_buf_append(&got, "", 0);
		assert_string_equal(got.data, cases[i].want);
		mb_text_tokens_free(tt);
		mb_buf_free(&in);
		mb_buf_free(&got);
	}
	tk->xDelete(t);
	mb_text_tokenizer_free(pre);
}

static void
test_exact_pretokenized(void **state)
{
	(void)state;
	pretokenized(false);
}

static void
test_exact_pretokenized_bulk(void **state)
{
	(void)state;
	pretokenized(true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_exact_pretokenized),
		cmocka_unit_test(test_exact_pretokenized_bulk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
