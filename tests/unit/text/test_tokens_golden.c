/* SPDX-License-Identifier: MIT */
/* The "mb" tokenizer's exact tokens, kept as digests: a fixed multilingual sample here and the NTREX corpus when ../shared has it. */
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
 * The tokenizer is made faster now and then (issue 23: its ASCII path,
 * its cache); what it emits must not change, or every stored index
 * would disagree with the queries. The digests below were taken with
 * the tokenizer as it was at 73c9fb3, before those changes; a change that
 * means to alter the tokens updates them, with
 * MB_TOKENS_GOLDEN_PRINT=1 build/tests/unit/text/test_text_tokens_golden.
 */

/* FNV-1a, 64 bits, over every token's flags, bytes and offsets. */
struct digest {
	uint64_t	h;
	long		n;
};

static void
mix(struct digest *g, const void *p, size_t n)
{
	const unsigned char *u = p;

	for (size_t i = 0; i < n; i++)
		g->h = (g->h ^ u[i]) * 1099511628211ull;
}

static int
on_token(void *ctx, int flags, const char *tok, int n, int s, int e)
{
	struct digest	*g = ctx;
	int32_t		 v[4] = { flags, n, s, e };

	mix(g, v, sizeof(v));
	mix(g, tok, (size_t)n);
	g->n++;
	return SQLITE_OK;
}

/* Tokenizes lang-marked text in the three modes FTS5 uses, into g. */
static void
run(Fts5Tokenizer *t, const char *lang, const char *text, struct digest *g)
{
	const fts5_tokenizer	*tk = mb_text_fts5_tokenizer();
	static const int	 modes[] = { FTS5_TOKENIZE_DOCUMENT,
	    FTS5_TOKENIZE_QUERY, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX };
	struct mb_buf		 in = MB_BUF_INIT;

	assert_int_equal(mb_text_put_marker(&in, lang), MB_OK);
	mb_buf_puts(&in, text);
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		assert_int_equal(tk->xTokenize(t, g, modes[m], in.data,
		    (int)in.len, on_token), SQLITE_OK);
	mb_buf_free(&in);
}

static bool
printing(void)
{
	return getenv("MB_TOKENS_GOLDEN_PRINT") != NULL;
}

static void
check(const char *what, const struct digest *g, uint64_t want)
{
	if (printing()) {
		printf("%s 0x%016llxull %ld\n", what, (unsigned long long)g->h,
		    g->n);
		return;
	}
	if (g->h != want)
		fail_msg("%s: tokens changed (digest 0x%016llx, %ld tokens; "
		    "want 0x%016llx)", what, (unsigned long long)g->h, g->n,
		    (unsigned long long)want);
}

/* Each language's script, ASCII edge cases, stray bytes, joiners. */
static const char *const sample[][2] = {
	{ "en", "The Harbour's ships CAME in at 05:30; G20 talks, co-operation "
	    "& e-mail: running runners ran. Naïve café résumé façade." },
	{ "en", "[brackets] {braces} `back` @at ^caret _under_ ~tilde |pipe| "
	    "\\slash/ AZaz09 @[`{ x\x7f" "y \xff\xfe stray \xc3 bytes" },
	{ "fr", "Les élèves étaient là : « l'Assemblée nationale » a voté "
	    "l’amendement ; œuvre, cœur, garçon, NOËL." },
	{ "es", "El niño comió piñas en Año Nuevo; ¿dónde están las "
	    "señoras? ¡Corrían rápidamente!" },
	{ "pt", "As negociações continuaram; não há soluções fáceis para "
	    "os pescadores portugueses." },
	{ "ru", "Члены Ассамблеи Уэльса не хотят «походить на маппетов»; "
	    "ЁЖИК ёжики." },
	{ "ar", "وقالت الحكومة إن المفاوضات ستستمر، والمعلمون "
	    "والمعلمات في المدارس ١٢٣ ٤٥٦." },
	{ "hi", "सरकार ने कहा कि बातचीत जारी रहेगी; किसानों "
	    "की माँगें।" },
	{ "sw", "Serikali ilisema mazungumzo yataendelea; wakulima "
	    "wanataka mvua." },
	{ "zh", "政府表示谈判将继续进行。北京2024年奥运会，ＡＢＣ全角。" },
	{ "ja", "東京でカタカナとひらがなの混ざった文章ｶﾀｶﾅ。" },
	{ "ko", "서울에서 회의가 열렸다 ᄀᄁ 한국어" },
	{ "de", "Die Straße über den Fluß; GRÖSSE und Größe, "
	    "Bundesländer." },
	{ NULL, "no language: soft\xc2\xad" "hyphen zero\xe2\x80\x8b" "width "
	    "join\xe2\x80\x8d" "er mixed Latin и кириллица 中文 عربى." },
	{ "en", "a-very-long-word-" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbb and internationalization's end" },
};

#define SAMPLE_DIGEST	0x0629c927ba33fafdull

static void
test_sample(void **state)
{
	const fts5_tokenizer	*tk = mb_text_fts5_tokenizer();
	Fts5Tokenizer		*t;
	struct digest		 g = { 14695981039346656037ull, 0 };

	(void)state;
	assert_int_equal(tk->xCreate(NULL, NULL, 0, &t), SQLITE_OK);
	/* Twice: the second pass takes the words from the cache. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof(sample) / sizeof(sample[0]); i++)
			run(t, sample[i][0], sample[i][1], &g);
	tk->xDelete(t);
	check("sample", &g, SAMPLE_DIGEST);
}

/* NTREX-128 in the network's languages (../shared/corpus). */
static const struct {
	const char	*file, *lang;
	uint64_t	 digest;
} ntrex[] = {
	{ "ntrex128.arb_Arab.txt", "ar", 0x98429a24d1666779ull },
	{ "ntrex128.eng_Latn.txt", "en", 0xcf710bb912597464ull },
	{ "ntrex128.fra_Latn.txt", "fr", 0x4a5cc348f6d0d925ull },
	{ "ntrex128.hin_Deva.txt", "hi", 0x6a039ac50438be9full },
	{ "ntrex128.por_Latn.txt", "pt", 0x83ce19c4af69df1full },
	{ "ntrex128.rus_Cyrl.txt", "ru", 0xd52f641cd189749eull },
	{ "ntrex128.spa_Latn.txt", "es", 0xc72140c1b032cd83ull },
	{ "ntrex128.swa_Latn.txt", "sw", 0x37de0f42d03f1afcull },
	{ "ntrex128.zho_Hans.txt", "zh", 0xd27fb26d2ea9106bull },
};

static void
test_ntrex(void **state)
{
	const fts5_tokenizer	*tk = mb_text_fts5_tokenizer();
	char			 path[4096], line[65536];
	int			 found = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(ntrex) / sizeof(ntrex[0]); i++) {
		struct digest	 g = { 14695981039346656037ull, 0 };
		Fts5Tokenizer	*t;
		FILE		*f;

		snprintf(path, sizeof(path), "%s/../shared/corpus/%s",
		    MB_TEST_SRCDIR, ntrex[i].file);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		found++;
		assert_int_equal(tk->xCreate(NULL, NULL, 0, &t), SQLITE_OK);
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			run(t, ntrex[i].lang, line, &g);
		}
		fclose(f);
		tk->xDelete(t);
		check(ntrex[i].file, &g, ntrex[i].digest);
	}
	if (found == 0)
		skip();	/* no ../shared beside the checkout */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_ntrex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
