/* SPDX-License-Identifier: MIT */
/* Unit tests for src/mt: segmentation and reassembly, checks of engines'
 * answers, glossaries, routes and pivots, the queue, cache keys,
 * provenance, engines.conf. Engines are fakes behind the backend table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fs.h"
#include "mt/mt.h"
#include "mt/mt_int.h"

/* ---- fake engines -------------------------------------------------------- */

enum fake_mode {
	F_IDENTITY, F_UPPER, F_SUFFIX, F_DROP_TAG, F_ADD_TAG, F_BAD_UTF8,
	F_DROP_HOLD, F_EMPTY, F_BLOCK, F_FAIL
};

struct fake {
	const char	*pairs[8][2];	/* engine codes */
	enum fake_mode	 mode;
	const char	*suffix;	/* F_SUFFIX */
	struct mb_buf	 seen;		/* all that was sent */
	int		 calls;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	bool		 blocked, release;
};

static int
fake_pairs(struct mb_mt__engine *e, int timeout_ms, struct mb_mt_pair **out,
    size_t *n, struct mb_diag *d)
{
	struct fake	*f = e->user;
	size_t		 k = 0;

	(void)timeout_ms;
	(void)d;
	*out = calloc(8, sizeof(**out));
	for (; k < 8 && f->pairs[k][0] != NULL; k++) {
		snprintf((*out)[k].engine_from, MB_MT_TAG_MAX + 1, "%s",
		    f->pairs[k][0]);
		snprintf((*out)[k].engine_to, MB_MT_TAG_MAX + 1, "%s",
		    f->pairs[k][1]);
		mb_mt_lang_from_apy(f->pairs[k][0], (*out)[k].from);
		mb_mt_lang_from_apy(f->pairs[k][1], (*out)[k].to);
	}
	*n = k;
	return MB_OK;
}

/* Upper-cases the text outside tags, as if translating it. */
static char *
upper(const char *s)
{
	char	*o = strdup(s);
	bool	 tag = false;

	for (char *p = o; *p; p++) {
		if (*p == '<')
			tag = true;
		else if (*p == '>')
			tag = false;
		else if (!tag && *p != '&')
			*p = (char)toupper((unsigned char)*p);
	}
	/* Entities must stay lower case: undo inside &...; */
	for (char *p = o; (p = strchr(p, '&')) != NULL; p++)
		for (char *q = p + 1; *q && *q != ';' && q - p < 8; q++)
			*q = (char)tolower((unsigned char)*q);
	return o;
}

static int
fake_translate(struct mb_mt__engine *e, const struct mb_mt_pair *p,
    char *const *in, size_t n, char **out, size_t *requests,
    struct mb_diag *d)
{
	struct fake *f = e->user;

	(void)p;
	pthread_mutex_lock(&f->lock);
	f->calls++;
	if (f->mode == F_BLOCK) {
		f->blocked = true;
		pthread_cond_broadcast(&f->cond);
		while (!f->release)
			pthread_cond_wait(&f->cond, &f->lock);
	}
	pthread_mutex_unlock(&f->lock);
	if (f->mode == F_FAIL)
		return mb_diag_set(d, MB_ERR_NET, "engine fake: down");
	(*requests)++;
	for (size_t i = 0; i < n; i++) {
		char *s;

		mb_buf_puts(&f->seen, in[i]);
		mb_buf_putc(&f->seen, '\n');
		switch (f->mode) {
		case F_UPPER:
			s = upper(in[i]);
			break;
		case F_SUFFIX:
			s = malloc(strlen(in[i]) + strlen(f->suffix) + 1);
			sprintf(s, "%s%s", in[i], f->suffix);
			break;
		case F_DROP_TAG: {
			char *a = strdup(in[i]), *t = strstr(a, " mb=");

			if (t != NULL) {
				char *st = t, *gt = strchr(t, '>');

				while (st > a && *st != '<')
					st--;
				memmove(st, gt + 1, strlen(gt + 1) + 1);
			}
			s = a;
			break;
		}
		case F_ADD_TAG:
			s = malloc(strlen(in[i]) + 32);
			sprintf(s, "%s <i>extra</i>", in[i]);
			break;
		case F_BAD_UTF8:
			s = strdup("\xff\xfe broken");
			break;
		case F_DROP_HOLD: {
			char *a = strdup(in[i]), *h = strstr(a, "9000");

			if (h != NULL)
				*h = 'x';
			s = a;
			break;
		}
		case F_EMPTY:
			s = strdup("  ");
			break;
		default:
			s = strdup(in[i]);
			break;
		}
		out[i] = s;
	}
	return MB_OK;
}

static const struct mb_mt__backend fake_backend = {
	MB_MT_APY, fake_pairs, fake_translate
};

static char tmpdir[256];

static struct mb_mt *
open_empty(void)
{
	struct mb_mt	*mt = NULL;
	struct mb_diag	 d = { "" };

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mb-mt-test.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	assert_int_equal(mb_mt_open(tmpdir, &mt, &d), MB_OK);
	assert_int_equal(mb_mt_engine_count(mt), 0);
	return mt;
}

static void
close_empty(struct mb_mt *mt)
{
	char cmd[300];

	mb_mt_close(mt);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	assert_int_equal(system(cmd), 0);
}

static void
add_fake(struct mb_mt *mt, const char *name, struct fake *f)
{
	struct mb_mt_engine_conf	c;
	struct mb_diag			d = { "" };

	mb_mt_engine_conf_defaults(&c);
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.kind = MB_MT_APY;
	snprintf(c.url, sizeof(c.url), "http://127.0.0.1:1");
	c.max_chars = 300;	/* several batches for the longer texts */
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	assert_int_equal(mb_mt__add(mt, &c, &fake_backend, f, &d), MB_OK);
}

static void
fake_done(struct fake *f)
{
	mb_buf_free(&f->seen);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
}

static int
xlate(struct mb_mt *mt, const char *from, const char *to, const char *html,
    const struct mb_mt_glossary *g, struct mb_mt_result *r,
    struct mb_diag *d)
{
	struct mb_mt_request rq = { from, to, NULL, html, strlen(html), false,
	    g, 0 };

	return mb_mt_translate(mt, &rq, r, d);
}

/* ---- languages ----------------------------------------------------------- */

static void
test_lang(void **state)
{
	char		out[MB_MT_TAG_MAX + 1];
	struct mb_diag	d = { "" };

	(void)state;
	mb_mt_lang_to_apy("en", out);
	assert_string_equal(out, "eng");
	mb_mt_lang_to_apy("pt-BR", out);
	assert_string_equal(out, "por_BR");
	mb_mt_lang_to_apy("zh", out);
	assert_string_equal(out, "zho");
	mb_mt_lang_to_apy("sw", out);
	assert_string_equal(out, "swa");
	mb_mt_lang_from_apy("spa", out);
	assert_string_equal(out, "es");
	mb_mt_lang_from_apy("por_BR", out);
	assert_string_equal(out, "pt-BR");
	mb_mt_lang_from_apy("eng_US", out);
	assert_string_equal(out, "en-US");
	mb_mt_lang_from_apy("arb", out);
	assert_string_equal(out, "ar");
	mb_mt_lang_from_apy("hin", out);
	assert_string_equal(out, "hi");
	assert_int_equal(mb_mt_lang_norm("EN-gb", out, &d), MB_OK);
	assert_string_equal(out, "en-GB");
	assert_int_equal(mb_mt_lang_norm("zh-hans", out, &d), MB_OK);
	assert_string_equal(out, "zh-Hans");
	assert_int_equal(mb_mt_lang_norm("e", out, &d), MB_ERR_INVAL);
	assert_int_equal(mb_mt_lang_norm("en-", out, &d), MB_ERR_INVAL);
	assert_int_equal(mb_mt_lang_norm("e n", out, &d), MB_ERR_INVAL);
	assert_int_equal(mb_mt_lang_norm("1a", out, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "not a language tag"));
}

/* ---- segments ------------------------------------------------------------ */

/* Everything the segmenter must carry: blocks, inline tags with
 * attributes, a comment inside a sentence, code, pre, translate="no",
 * a script, entities, a void tag, a table. */
static const char sample[] =
    "<article>\n"
    "  <h1 class=\"title\">Elections in the <em>north</em></h1>\n"
    "  <p>The <a href=\"https://example.org/a?b=1&amp;c=2\" "
    "title=\"link title\">electoral commission</a> said on Monday that "
    "turnout was <strong>high</strong>.<br>Results &amp; reactions "
    "follow &lt;soon&gt;.</p>\n"
    "  <p>Run <code>make test</code> to <!-- note --> check; "
    "<span translate=\"no\">Moscow House</span> stays.</p>\n"
    "  <pre>keep   this\n  as is</pre>\n"
    "  <ul><li>First point</li><li><b>Second</b> point</li></ul>\n"
    "  <blockquote><p>A quote, <i>in italics</i>.</p></blockquote>\n"
    "  <figure><img src=\"p.jpg\" alt=\"a photo\">"
    "<figcaption>A caption</figcaption></figure>\n"
    "  <script>var x = \"<p>not text</p>\";</script>\n"
    "  <table><tr><td>Cell one</td><td>12</td></tr></table>\n"
    "  <div class=\"notranslate\"><p>Not this either</p></div>\n"
    "</article>\n";

static void
test_identity(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } } };
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };

	(void)state;
	add_fake(mt, "fake", &f);
	assert_int_equal(xlate(mt, "en", "es", sample, NULL, &r, &d), MB_OK);
	/* An engine that changes nothing gives the document back. */
	assert_string_equal(r.text, sample);
	assert_int_equal(r.segments, 8);
	assert_string_equal(r.route.engine, "fake");
	assert_string_equal(r.route.pair, "en|es");
	assert_string_equal(r.route.pivot, "");
	assert_int_equal(strlen(r.cache_key), 64);
	mb_mt_result_free(&r);
	fake_done(&f);
	close_empty(mt);
}

static void
test_upper(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } },
				    .mode = F_UPPER };
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	struct mb_buf		 a = MB_BUF_INIT, b = MB_BUF_INIT;
	const char		*seen;

	(void)state;
	add_fake(mt, "fake", &f);
	assert_int_equal(xlate(mt, "en", "es", sample, NULL, &r, &d), MB_OK);
	assert_non_null(strstr(r.text, "ELECTIONS IN THE <em>NORTH</em>"));
	assert_non_null(strstr(r.text, "<a href=\"https://example.org/a?b=1"
	    "&amp;c=2\" title=\"link title\">ELECTORAL COMMISSION</a>"));
	assert_non_null(strstr(r.text, "RESULTS &amp; REACTIONS FOLLOW "
	    "&lt;SOON&gt;."));
	assert_non_null(strstr(r.text, "RUN <code>make test</code> TO "
	    "<!-- note --> CHECK; <span translate=\"no\">Moscow House</span> "
	    "STAYS."));
	assert_non_null(strstr(r.text, "<pre>keep   this\n  as is</pre>"));
	assert_non_null(strstr(r.text, "var x = \"<p>not text</p>\";"));
	assert_non_null(strstr(r.text, "<p>Not this either</p>"));
	assert_non_null(strstr(r.text, "<td>CELL ONE</td><td>12</td>"));
	/* The same tags, links and paragraphs. */
	mb_mt_html_skeleton(sample, strlen(sample), &a);
	mb_mt_html_skeleton(r.text, r.len, &b);
	assert_string_equal(a.data, b.data);
	/* Attributes, code, pre, scripts and translate="no" never left. */
	seen = mb_buf_cstr(&f.seen);
	assert_null(strstr(seen, "href"));
	assert_null(strstr(seen, "example.org"));
	assert_null(strstr(seen, "title"));
	assert_null(strstr(seen, "photo"));
	assert_null(strstr(seen, "make test"));
	assert_null(strstr(seen, "Moscow"));
	assert_null(strstr(seen, "keep"));
	assert_null(strstr(seen, "not text"));
	assert_null(strstr(seen, "Not this"));
	assert_null(strstr(seen, "note"));
	assert_non_null(strstr(seen, "<a mb=\"1\">electoral commission</a>"));
	mb_buf_free(&a);
	mb_buf_free(&b);
	mb_mt_result_free(&r);
	fake_done(&f);
	close_empty(mt);
}

static void
wrap_line(struct mb_buf *b, const char *line, int i)
{
	static const char *const open[] = {
	    "<h2>", "<p>", "<p>Before <a href=\"https://x.org/?a=1&amp;b=2\" "
	    "title=\"t\">", "<ul><li><b>", "<blockquote><p><em>",
	    "<figure><img src=\"a.jpg\" alt=\"alt\"><figcaption>", "<p>" };
	static const char *const close[] = {
	    "</h2>", "</p>", "</a> after.</p>", "</b></li></ul>",
	    "</em></p></blockquote>", "</figcaption></figure>",
	    "<br>then <code>x = 1</code> and <span translate=\"no\">Moscow "
	    "House</span>.</p>" };
	int k = i % 7;

	mb_buf_puts(b, open[k]);
	for (const char *p = line; *p; p++) {
		if (*p == '&')
			mb_buf_puts(b, "&amp;");
		else if (*p == '<')
			mb_buf_puts(b, "&lt;");
		else if (*p == '>')
			mb_buf_puts(b, "&gt;");
		else
			mb_buf_putc(b, *p);
	}
	mb_buf_puts(b, close[k]);
	mb_buf_putc(b, '\n');
}

/* The NTREX text wrapped in markup (when ../shared is there; a few lines of
 * our own otherwise): the skeletons of input and output are the same. */
static void
test_skeleton_ntrex(void **state)
{
	static const char *const own[] = { "A first sentence, with a comma.",
	    "Prices rose by 5% & more < than expected > today.",
	    "\"Quoted\" words — and a dash.", "Ünïcödé text: café, naïve." };
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } },
				    .mode = F_UPPER };
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	struct mb_buf		 in = MB_BUF_INIT, a = MB_BUF_INIT;
	struct mb_buf		 b = MB_BUF_INIT;
	char			 path[1024], line[4096];
	FILE			*fp;
	int			 n = 0;

	(void)state;
	add_fake(mt, "fake", &f);
	snprintf(path, sizeof(path), "%s/../shared/corpus/"
	    "ntrex128.eng_Latn.txt", MB_TEST_SRCDIR);
	if ((fp = fopen(path, "r")) != NULL) {
		while (n < 300 && fgets(line, sizeof(line), fp) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			wrap_line(&in, line, n++);
		}
		fclose(fp);
	} else {
		/* Enough of them to take several batches, as the corpus does. */
		print_message("(../shared/corpus absent: our own lines)\n");
		for (; n < 300; n++)
			wrap_line(&in, own[n % 4], n);
	}
	assert_int_equal(xlate(mt, "en", "es", in.data, NULL, &r, &d), MB_OK);
	mb_mt_html_skeleton(in.data, in.len, &a);
	mb_mt_html_skeleton(r.text, r.len, &b);
	assert_true(a.len > 0);
	assert_string_equal(a.data, b.data);
	assert_true(r.requests > 1);	/* batches of max_chars */
	assert_null(strstr(mb_buf_cstr(&f.seen), "x.org"));
	mb_buf_free(&a);
	mb_buf_free(&b);
	mb_buf_free(&in);
	mb_mt_result_free(&r);
	fake_done(&f);
	close_empty(mt);
}

/* Placeholders are numbers no text of the document holds. */
static void
test_placeholder_numbers(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } } };
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	const char		*html = "<p>In 9000 years <code>x</code> and "
				    "19000, <kbd>y</kbd>8000 ran.</p>";

	(void)state;
	add_fake(mt, "fake", &f);
	assert_int_equal(xlate(mt, "en", "es", html, NULL, &r, &d), MB_OK);
	assert_string_equal(r.text, html);
	/* 9000 and 8000 are taken, so 7000 and 7001; the one next to a
	 * digit goes with a space, which comes out again. */
	assert_string_equal(mb_buf_cstr(&f.seen), "In 9000 years 7000 and "
	    "19000, 7001 8000 ran.\n");
	mb_mt_result_free(&r);
	fake_done(&f);
	close_empty(mt);
}

static void
test_plain(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } } };
	struct mb_mt_request	 rq = { "en", "es", NULL, NULL, 0, true, NULL, 0 };
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	const char		*text = "Prices < 5 & rising\n\n  A <b> line ";

	(void)state;
	add_fake(mt, "fake", &f);
	rq.text = text;
	rq.len = strlen(text);
	assert_int_equal(mb_mt_translate(mt, &rq, &r, &d), MB_OK);
	assert_string_equal(r.text, text);
	assert_int_equal(r.segments, 2);
	mb_mt_result_free(&r);
	fake_done(&f);
	close_empty(mt);
}

static void
expect_corrupt(enum fake_mode mode, const char *html, const char *why)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } },
				    .mode = mode };
	struct mb_mt_result	 r = { .text = NULL };
	struct mb_diag		 d = { "" };

	add_fake(mt, "fake", &f);
	assert_int_equal(xlate(mt, "en", "es", html, NULL, &r, &d),
	    MB_ERR_CORRUPT);
	assert_null(r.text);
	if (strstr(d.msg, why) == NULL)
		fail_msg("diagnostic \"%s\" lacks \"%s\"", d.msg, why);
	assert_non_null(strstr(d.msg, "refusing to make a broken"));
	fake_done(&f);
	close_empty(mt);
}

static void
test_mangled(void **state)
{
	(void)state;
	expect_corrupt(F_DROP_TAG, "<p>A <b>bold</b> word.</p>",
	    "dropped the tag <b>");
	expect_corrupt(F_ADD_TAG, "<p>A word.</p>", "added a tag <i>");
	expect_corrupt(F_BAD_UTF8, "<p>A word.</p>", "not valid UTF-8");
	expect_corrupt(F_DROP_HOLD, "<p>Run <code>x</code> now.</p>",
	    "dropped the placeholder");
	expect_corrupt(F_EMPTY, "<p>A word.</p>", "answered nothing");
}

static void
test_limits(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } } };
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	char			*big = malloc(MB_MT_INPUT_MAX + 2);

	(void)state;
	add_fake(mt, "fake", &f);
	memset(big, 'a', MB_MT_INPUT_MAX + 1);
	big[MB_MT_INPUT_MAX + 1] = '\0';
	assert_int_equal(xlate(mt, "en", "es", big, NULL, &r, &d),
	    MB_ERR_TOOBIG);
	assert_non_null(strstr(d.msg, "1 MB"));
	assert_int_equal(f.calls, 0);
	big[MB_MT_INPUT_MAX] = '\0';	/* exactly 1 MB is fine */
	assert_int_equal(xlate(mt, "en", "es", big, NULL, &r, &d), MB_OK);
	mb_mt_result_free(&r);
	assert_int_equal(xlate(mt, "en", "es", "<p>\xc3\x28</p>", NULL, &r,
	    &d), MB_ERR_INVAL);
	assert_int_equal(xlate(mt, "en", "e$", "<p>x</p>", NULL, &r, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "not a language tag"));
	free(big);
	fake_done(&f);
	close_empty(mt);
}

/* ---- glossary ------------------------------------------------------------ */

static const struct mb_mt_term terms[] = {
	{ "en", NULL, "Moscow House", NULL },
	{ "en", "*", "Moscow", NULL },
	{ "en", "es", "media center", "centro de medios" },
	{ "en", "*", "caf\xc3\xa9", NULL },
	{ "zh", NULL, "\xe5\x8c\x97\xe4\xba\xac", NULL },	/* 北京 */
};

struct hits {
	char	s[512];
};

static int
on_hit(size_t off, size_t mlen, size_t term, const char *repl, void *arg)
{
	struct hits	*h = arg;
	size_t		 n = strlen(h->s);

	snprintf(h->s + n, sizeof(h->s) - n, "[%zu+%zu:%zu:%s]", off, mlen,
	    term, repl != NULL ? repl : "-");
	return MB_OK;
}

static const char *
matches(const struct mb_mt_glossary *g, const char *from, const char *to,
    const char *text, struct hits *h)
{
	struct mb_diag d = { "" };

	h->s[0] = '\0';
	assert_int_equal(mb_mt_glossary_match(g, from, to, text, strlen(text),
	    on_hit, h, &d), MB_OK);
	return h->s;
}

static void
test_glossary_match(void **state)
{
	struct mb_mt_glossary	*g;
	struct mb_diag		 d = { "" };
	struct hits		 h;
	char			 a[65], b[65];
	struct mb_mt_term	 bad = { "en", NULL, "", NULL };

	(void)state;
	assert_int_equal(mb_mt_glossary_new(terms, 5, &g, &d), MB_OK);
	assert_int_equal(mb_mt_glossary_size(g), 5);
	/* Longest first, then the shorter one elsewhere. */
	assert_string_equal(matches(g, "en", "es", "The Moscow House in "
	    "Moscow.", &h), "[4+12:0:-][20+6:1:-]");
	/* Word boundaries. */
	assert_string_equal(matches(g, "en", "es", "Moscowville, MoscowX",
	    &h), "");
	/* A term with capitals keeps its case; one in lower case any. */
	assert_string_equal(matches(g, "en", "es", "MOSCOW house", &h), "");
	assert_string_equal(matches(g, "en", "es", "The Media Center opened",
	    &h), "[4+12:2:centro de medios]");
	/* Only for its pair, only from its language. */
	assert_string_equal(matches(g, "en", "pt", "the media center", &h),
	    "");
	assert_string_equal(matches(g, "fr", "es", "Moscow", &h), "");
	/* NFC, any case: Café (written composed, as segments are). */
	assert_string_equal(matches(g, "en", "es", "Caf\xc3\xa9 society",
	    &h), "[0+5:3:-]");
	/* No spaces between words in Chinese: no boundaries needed. */
	assert_string_equal(matches(g, "zh", "en", "\xe6\x88\x91\xe5\x9c\xa8"
	    "\xe5\x8c\x97\xe4\xba\xac\xe5\xb7\xa5\xe4\xbd\x9c", &h),
	    "[6+6:4:-]");
	mb_mt_glossary_digest(g, "en", "es", a);
	mb_mt_glossary_digest(g, "en", "pt", b);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, b);
	mb_mt_glossary_digest(g, "ar", "en", b);
	assert_string_equal(b, "");
	mb_mt_glossary_free(g);
	assert_int_equal(mb_mt_glossary_new(&bad, 1, &g, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "glossary entry 1"));
	/* Terms a text could not be matched and put back with: white
	 * space (which made every space a placeholder), punctuation only,
	 * space at an end, a control character; the same for translations. */
	{
		static const struct mb_mt_term refused[] = {
			{ "en", NULL, " ", NULL },
			{ "en", NULL, "\xc2\xa0", NULL },	/* no-break */
			{ "en", NULL, "--", NULL },
			{ "en", NULL, " school", NULL },
			{ "en", NULL, "school ", NULL },
			{ "en", NULL, "a\nb", NULL },
			{ "en", "es", "school", " " },
			{ "en", "es", "school", "escuela " },
			{ "en", "es", "school", "es\tcuela" },
		};
		static const struct mb_mt_term fine[] = {
			{ "en", NULL, "H2O", NULL },
			{ "en", NULL, "New  York", NULL },
			{ "en", "es", "euro", "\xe2\x82\xac" },	/* € */
		};

		for (size_t i = 0; i < sizeof(refused) / sizeof(*refused);
		    i++) {
			g = NULL;
			assert_int_equal(mb_mt_glossary_new(&refused[i], 1,
			    &g, &d), MB_ERR_INVAL);
			assert_null(g);
		}
		assert_non_null(strstr(d.msg, "control character"));
		assert_int_equal(mb_mt_glossary_new(&refused[0], 1, &g, &d),
		    MB_ERR_INVAL);
		assert_non_null(strstr(d.msg, "white space"));
		assert_int_equal(mb_mt_glossary_new(&refused[2], 1, &g, &d),
		    MB_ERR_INVAL);
		assert_non_null(strstr(d.msg, "no letter or digit"));
		assert_int_equal(mb_mt_glossary_new(fine, 3, &g, &d), MB_OK);
		mb_mt_glossary_free(g);
	}
}

static void
test_glossary_translate(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } },
				    .mode = F_UPPER };
	struct mb_mt_glossary	*g;
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	char			 key[65];

	(void)state;
	add_fake(mt, "fake", &f);
	assert_int_equal(mb_mt_glossary_new(terms, 5, &g, &d), MB_OK);
	assert_int_equal(xlate(mt, "en", "es", "<p>The media center of "
	    "<b>Moscow House</b> opened in Cafe\xcc\x81 Moscow.</p>", g, &r,
	    &d), MB_OK);
	assert_string_equal(r.text, "<p>THE centro de medios OF <b>Moscow "
	    "House</b> OPENED IN Caf\xc3\xa9 Moscow.</p>");
	assert_null(strstr(mb_buf_cstr(&f.seen), "Moscow"));
	assert_null(strstr(mb_buf_cstr(&f.seen), "media"));
	/* Placeholders are numbers the text does not hold. */
	assert_non_null(strstr(mb_buf_cstr(&f.seen), "The 9000 of <b mb=\"0\">"
	    "9001</b> opened in 9002 9003."));
	/* The glossary is part of the cache key. */
	mb_mt_cache_key("x", 1, false, &r.route, NULL, key);
	assert_string_not_equal(key, r.cache_key);
	mb_mt_result_free(&r);
	mb_mt_glossary_free(g);
	fake_done(&f);
	close_empty(mt);
}

/* ---- routes and pivots --------------------------------------------------- */

static void
test_pivot(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 a = { .pairs = { { "eng", "spa" },
				    { "spa", "eng" }, { "fra", "spa" } },
				    .mode = F_SUFFIX, .suffix = " [es]" };
	struct fake		 b = { .pairs = { { "spa", "por" } },
				    .mode = F_SUFFIX, .suffix = " [pt]" };
	struct mb_mt_route	 rt;
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	json_t			*p;

	(void)state;
	add_fake(mt, "a", &a);
	add_fake(mt, "b", &b);
	assert_int_equal(mb_mt_route(mt, "en", "es", NULL, &rt, &d), MB_OK);
	assert_int_equal(rt.legs, 1);
	assert_string_equal(rt.engine, "a");
	assert_int_equal(mb_mt_route(mt, "en", "pt", NULL, &rt, &d), MB_OK);
	assert_int_equal(rt.legs, 2);
	assert_string_equal(rt.pivot, "es");
	assert_string_equal(rt.engine, "a+b");
	assert_string_equal(rt.pair, "en|pt");
	assert_non_null(strchr(rt.version, '+'));
	assert_int_equal(mb_mt_route(mt, "fr", "pt", NULL, &rt, &d), MB_OK);
	assert_string_equal(rt.pivot, "es");
	assert_int_equal(xlate(mt, "en", "pt", "<p>Hello <b>you</b>.</p>",
	    NULL, &r, &d), MB_OK);
	assert_string_equal(r.text, "<p>Hello <b>you</b>. [es] [pt]</p>");
	assert_int_equal(r.requests, 2);
	p = mb_mt_provenance(&r.route, r.at_ms);
	assert_string_equal(json_string_value(json_object_get(p, "by")),
	    "machine");
	assert_string_equal(json_string_value(json_object_get(p, "pivot")),
	    "es");
	assert_string_equal(json_string_value(json_object_get(p, "engine")),
	    "a+b");
	assert_string_equal(json_string_value(json_object_get(p, "pair")),
	    "en|pt");
	assert_non_null(json_object_get(p, "engineVersion"));
	assert_non_null(strchr(json_string_value(json_object_get(p, "at")),
	    'T'));
	json_decref(p);
	mb_mt_result_free(&r);
	/* Direct: no "pivot" at all. */
	assert_int_equal(mb_mt_route(mt, "en", "es", "a", &rt, &d), MB_OK);
	p = mb_mt_provenance(&rt, 0);
	assert_null(json_object_get(p, "pivot"));
	json_decref(p);
	/* Errors. */
	assert_int_equal(mb_mt_route(mt, "en", "sw", NULL, &rt, &d),
	    MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "no engine translates en to sw"));
	assert_non_null(strstr(d.msg, "a: en|es"));
	assert_int_equal(mb_mt_route(mt, "en", "pt", "b", &rt, &d),
	    MB_ERR_NOTFOUND);
	assert_int_equal(mb_mt_route(mt, "en", "es", "zz", &rt, &d),
	    MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "no engine named"));
	assert_int_equal(mb_mt_route(mt, "en", "EN", NULL, &rt, &d),
	    MB_ERR_INVAL);
	fake_done(&a);
	fake_done(&b);
	close_empty(mt);
}

static void
test_one_engine_pivot(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 a = { .pairs = { { "eng", "spa" },
				    { "spa", "por" }, { "spa", "por_BR" } } };
	struct mb_mt_route	 rt;
	struct mb_diag		 d = { "" };

	(void)state;
	add_fake(mt, "apy", &a);
	assert_int_equal(mb_mt_route(mt, "en", "pt", NULL, &rt, &d), MB_OK);
	assert_string_equal(rt.engine, "apy");
	assert_string_equal(rt.pivot, "es");
	assert_string_equal(rt.leg[1].pair.engine_to, "por");
	assert_int_equal(mb_mt_route(mt, "en", "pt-BR", NULL, &rt, &d),
	    MB_OK);
	assert_string_equal(rt.leg[1].pair.engine_to, "por_BR");
	fake_done(&a);
	close_empty(mt);
}

/*
 * Variants of one language: a pivot (en -> es -> en-GB) would only
 * paraphrase, so none is built; a pair the engine offers for exactly
 * that target is used directly.
 */
static void
test_variants_no_pivot(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 a = { .pairs = { { "eng", "spa" },
				    { "spa", "eng" }, { "spa", "eng_GB" },
				    { "spa", "por" }, { "por", "spa" } } };
	struct fake		 b = { .pairs = { { "eng_US", "eng_GB" } } };
	struct mb_mt_route	 rt;
	struct mb_diag		 d = { "" };

	(void)state;
	add_fake(mt, "a", &a);
	assert_int_equal(mb_mt_route(mt, "en", "en-GB", "a", &rt, &d),
	    MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "never translated through a pivot"));
	assert_int_equal(mb_mt_route(mt, "pt-BR", "pt", NULL, &rt, &d),
	    MB_ERR_NOTFOUND);
	/* Another language still goes through one. */
	assert_int_equal(mb_mt_route(mt, "en", "pt", NULL, &rt, &d), MB_OK);
	assert_string_equal(rt.pivot, "es");
	add_fake(mt, "b", &b);
	assert_int_equal(mb_mt_route(mt, "en", "en-GB", NULL, &rt, &d),
	    MB_OK);
	assert_int_equal(rt.legs, 1);
	assert_string_equal(rt.engine, "b");
	/* en-GB -> en: b's pair is not for that target. */
	assert_int_equal(mb_mt_route(mt, "en-GB", "en", NULL, &rt, &d),
	    MB_ERR_NOTFOUND);
	fake_done(&a);
	fake_done(&b);
	close_empty(mt);
}

/* ---- the queue ----------------------------------------------------------- */

struct job {
	struct mb_mt	*mt;
	int		 rc;
};

static void *
run_job(void *arg)
{
	struct job		*j = arg;
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };

	j->rc = xlate(j->mt, "en", "es", "<p>Slow.</p>", NULL, &r, &d);
	if (j->rc == MB_OK)
		mb_mt_result_free(&r);
	return NULL;
}

static void
test_queue(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } },
				    .mode = F_BLOCK };
	struct mb_mt_result	 r;
	struct mb_diag		 d = { "" };
	struct job		 j = { mt, -1 };
	pthread_t		 t;

	(void)state;
	add_fake(mt, "fake", &f);
	mt->engines[0]->conf.concurrency = 1;
	mt->engines[0]->conf.queue = 0;
	assert_int_equal(pthread_create(&t, NULL, run_job, &j), 0);
	pthread_mutex_lock(&f.lock);
	while (!f.blocked)
		pthread_cond_wait(&f.cond, &f.lock);
	pthread_mutex_unlock(&f.lock);
	/* One in flight, no room to wait: refused at once, clearly. */
	assert_int_equal(xlate(mt, "en", "es", "<p>Now.</p>", NULL, &r, &d),
	    MB_ERR_AGAIN);
	assert_non_null(strstr(d.msg, "queue is full"));
	pthread_mutex_lock(&f.lock);
	f.release = true;
	pthread_cond_broadcast(&f.cond);
	pthread_mutex_unlock(&f.lock);
	pthread_join(t, NULL);
	assert_int_equal(j.rc, MB_OK);
	f.mode = F_IDENTITY;
	assert_int_equal(xlate(mt, "en", "es", "<p>Now.</p>", NULL, &r, &d),
	    MB_OK);
	mb_mt_result_free(&r);
	/* An engine that fails gives its error and nothing else. */
	f.mode = F_FAIL;
	assert_int_equal(xlate(mt, "en", "es", "<p>Now.</p>", NULL, &r, &d),
	    MB_ERR_NET);
	fake_done(&f);
	close_empty(mt);
}

/* ---- the cache key ------------------------------------------------------- */

static void
test_cache_key(void **state)
{
	struct mb_mt_route	r;
	char			k0[65], k[65];

	(void)state;
	memset(&r, 0, sizeof(r));
	strcpy(r.from, "en");
	strcpy(r.to, "es");
	strcpy(r.pair, "en|es");
	strcpy(r.engine, "apy");
	strcpy(r.version, "1");
	mb_mt_cache_key("<p>x</p>", 8, false, &r, NULL, k0);
	assert_int_equal(strlen(k0), 64);
	mb_mt_cache_key("<p>x</p>", 8, false, &r, NULL, k);
	assert_string_equal(k, k0);
	mb_mt_cache_key("<p>y</p>", 8, false, &r, NULL, k);
	assert_string_not_equal(k, k0);
	mb_mt_cache_key("<p>x</p>", 8, true, &r, NULL, k);
	assert_string_not_equal(k, k0);
	strcpy(r.version, "2");
	mb_mt_cache_key("<p>x</p>", 8, false, &r, NULL, k);
	assert_string_not_equal(k, k0);
	strcpy(r.version, "1");
	strcpy(r.engine, "apy2");
	mb_mt_cache_key("<p>x</p>", 8, false, &r, NULL, k);
	assert_string_not_equal(k, k0);
	strcpy(r.engine, "apy");
	strcpy(r.pair, "en|pt");
	mb_mt_cache_key("<p>x</p>", 8, false, &r, NULL, k);
	assert_string_not_equal(k, k0);
	/* Fields are length-prefixed: moving a byte across changes it. */
	strcpy(r.pair, "en|es");
	strcpy(r.engine, "ap");
	strcpy(r.version, "y1");
	mb_mt_cache_key("<p>x</p>", 8, false, &r, NULL, k);
	assert_string_not_equal(k, k0);
}

/* ---- engines.conf and keys ----------------------------------------------- */

static void
test_conf(void **state)
{
	struct mb_mt_engine_conf	 c;
	struct mb_mt			*mt;
	struct mb_diag			 d = { "" };
	char				 dir[] = "/tmp/mb-mt-conf.XXXXXX";
	char				 p[512], *buf;
	size_t				 len;
	struct stat			 st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	mb_mt_engine_conf_defaults(&c);
	strcpy(c.name, "apy");
	c.kind = MB_MT_APY;
	strcpy(c.url, "http://127.0.0.1:2737");
	assert_int_equal(mb_mt_conf_add(dir, &c, NULL, &d), MB_OK);
	assert_int_equal(mb_mt_conf_add(dir, &c, NULL, &d), MB_ERR_EXISTS);
	mb_mt_engine_conf_defaults(&c);
	strcpy(c.name, "lt");
	c.kind = MB_MT_LIBRETRANSLATE;
	strcpy(c.url, "https://lt.example.org/");
	c.timeout_s = 7;
	snprintf(p, sizeof(p), "%s/given.key", dir);
	assert_int_equal(mb_fs_write_atomic(p, "s3cret-key\n", 11, 0644, &d),
	    MB_OK);
	assert_int_equal(mb_mt_conf_add(dir, &c, p, &d), MB_OK);
	snprintf(p, sizeof(p), "%s/keys/engine-lt.key", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(mb_fs_read(p, 100, &buf, &len, &d), MB_OK);
	assert_string_equal(buf, "s3cret-key");
	free(buf);
	/* The conf names the key file, never the key. */
	snprintf(p, sizeof(p), "%s/engines.conf", dir);
	assert_int_equal(mb_fs_read(p, 10000, &buf, &len, &d), MB_OK);
	assert_null(strstr(buf, "s3cret"));
	assert_non_null(strstr(buf, "key_file = keys/engine-lt.key"));
	assert_non_null(strstr(buf, "[engine apy]"));
	free(buf);
	assert_int_equal(mb_mt_open(dir, &mt, &d), MB_OK);
	assert_int_equal(mb_mt_engine_count(mt), 2);
	assert_string_equal(mb_mt_engine_at(mt, 1)->name, "lt");
	assert_int_equal(mb_mt_engine_at(mt, 1)->timeout_s, 7);
	assert_string_equal(mt->engines[1]->api_key, "s3cret-key");
	mb_mt_close(mt);
	/* A key others may read is refused, with the fix. */
	snprintf(p, sizeof(p), "%s/keys/engine-lt.key", dir);
	chmod(p, 0644);
	assert_int_equal(mb_mt_open(dir, &mt, &d), MB_ERR_PERM);
	assert_non_null(strstr(d.msg, "chmod 600"));
	assert_int_equal(mb_mt_conf_remove(dir, "lt", &d), MB_OK);
	assert_int_not_equal(stat(p, &st), 0);
	assert_int_equal(mb_mt_conf_remove(dir, "lt", &d), MB_ERR_NOTFOUND);
	assert_int_equal(mb_mt_open(dir, &mt, &d), MB_OK);
	assert_int_equal(mb_mt_engine_count(mt), 1);
	mb_mt_close(mt);
	/* Bad names, URLs, files. */
	strcpy(c.name, "Bad Name");
	assert_int_equal(mb_mt_conf_add(dir, &c, NULL, &d), MB_ERR_INVAL);
	strcpy(c.name, "ok");
	strcpy(c.url, "ftp://x");
	assert_int_equal(mb_mt_conf_add(dir, &c, NULL, &d), MB_ERR_INVAL);
	snprintf(p, sizeof(p), "%s/engines.conf", dir);
	assert_int_equal(mb_fs_write_atomic(p, "[engine x]\nkind = moses\n",
	    24, 0644, &d), MB_OK);
	assert_int_equal(mb_mt_open(dir, &mt, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "engines.conf:2"));
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* A real APy backend against a closed port: a clear network error. */
static void
test_down(void **state)
{
	struct mb_mt_engine_conf	 c;
	struct mb_mt			*mt = open_empty();
	struct mb_mt_result		 r;
	struct mb_diag			 d = { "" };
	struct mb_mt_probe		 pr;

	(void)state;
	mb_mt_engine_conf_defaults(&c);
	strcpy(c.name, "apy");
	c.kind = MB_MT_APY;
	strcpy(c.url, "http://127.0.0.1:1");
	c.retries = 1;
	assert_int_equal(mb_mt__add(mt, &c, &mb_mt__apy, NULL, &d), MB_OK);
	assert_int_equal(xlate(mt, "en", "es", "<p>x</p>", NULL, &r, &d),
	    MB_ERR_NET);
	assert_non_null(strstr(d.msg, "engine apy (http://127.0.0.1:1)"));
	assert_non_null(strstr(d.msg, "cannot connect"));
	assert_non_null(strstr(d.msg, "2 tries"));
	assert_int_equal(mb_mt_engine_probe(mt, 0, &pr, &d), MB_ERR_NET);
	close_empty(mt);
}

/* ---- lenders from the registry ------------------------------------------ */

/*
 * A lender serves only what no configured engine has, its route names
 * the center (via) without asking it anything, and one no longer in
 * the registry is set aside.
 */
static void
test_lenders(void **state)
{
	struct mb_mt		*mt = open_empty();
	struct fake		 f = { .pairs = { { "eng", "spa" } } };
	struct mb_mt_lender	 l[2] = {
		{ "moscow", "http://127.0.0.1:1", "en|es,en|fr,fr|es" },
		{ "dakar", "http://127.0.0.1:2", "xx|yy,fr|wo" },
	};
	struct mb_mt_route	 r;
	struct mb_diag		 d = { "" };

	(void)state;
	add_fake(mt, "apy", &f);
	assert_int_equal(mb_mt_set_lenders(mt, l, 2, &d), MB_OK);
	assert_int_equal(mb_mt_engine_count(mt), 3);
	assert_true(mb_mt_engine_at(mt, 1)->lender);
	assert_string_equal(mb_mt_engine_at(mt, 1)->name, "moscow");
	assert_int_equal(mb_mt_engine_at(mt, 1)->kind, MB_MT_PEER);
	/* The configured engine has en|es: never borrowed. */
	assert_int_equal(mb_mt_route(mt, "en", "es", NULL, &r, &d), MB_OK);
	assert_string_equal(r.engine, "apy");
	assert_string_equal(r.via, "");
	/* It lacks en|fr: Moscow lends it, and the route says so. */
	assert_int_equal(mb_mt_route(mt, "en", "fr", NULL, &r, &d), MB_OK);
	assert_string_equal(r.engine, "moscow");
	assert_string_equal(r.via, "moscow");
	assert_int_equal(mb_mt_route(mt, "fr", "wo", NULL, &r, &d), MB_OK);
	assert_string_equal(r.via, "dakar");
	/* Not for readers, nor lent on (no relaying). */
	assert_int_equal(mb_mt_route_for(mt, "en", "fr", NULL,
	    MB_MT_FOR_READERS, &r, &d), MB_ERR_NOTFOUND);
	assert_int_equal(mb_mt_route_for(mt, "en", "fr", NULL,
	    MB_MT_FOR_PEERS, &r, &d), MB_ERR_NOTFOUND);
	/* Text that must stay here: this center's engines, never a lender,
	 * not even as a pivot's leg. */
	assert_int_equal(mb_mt_route_for(mt, "en", "es", NULL, MB_MT_LOCAL,
	    &r, &d), MB_OK);
	assert_string_equal(r.engine, "apy");
	assert_int_equal(mb_mt_route_for(mt, "en", "fr", NULL, MB_MT_LOCAL,
	    &r, &d), MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "no engine translates en to fr"));
	assert_int_equal(mb_mt_route_for(mt, "fr", "wo", NULL, MB_MT_LOCAL,
	    &r, &d), MB_ERR_NOTFOUND);
	assert_int_equal(mb_mt_route_for(mt, "en", "fr", "moscow",
	    MB_MT_LOCAL, &r, &d), MB_ERR_NOTFOUND);
	assert_non_null(strstr(d.msg, "no engine of this center's own"));
	/* The same again changes nothing; Dakar gone is set aside. */
	assert_int_equal(mb_mt_set_lenders(mt, l, 1, &d), MB_OK);
	assert_int_equal(mb_mt_engine_count(mt), 3);
	assert_false(mb_mt_engine_off(mt, 1));
	assert_true(mb_mt_engine_off(mt, 2));
	assert_int_equal(mb_mt_route(mt, "fr", "wo", NULL, &r, &d),
	    MB_ERR_NOTFOUND);
	/* Moscow at a new address: a new lender takes the old one's place. */
	l[0].url = "http://127.0.0.1:3";
	assert_int_equal(mb_mt_set_lenders(mt, l, 1, &d), MB_OK);
	assert_int_equal(mb_mt_engine_count(mt), 4);
	assert_true(mb_mt_engine_off(mt, 1));
	assert_string_equal(mb_mt_engine_at(mt, 3)->url, "http://127.0.0.1:3");
	assert_int_equal(mb_mt_route(mt, "en", "fr", NULL, &r, &d), MB_OK);
	assert_string_equal(r.via, "moscow");
	close_empty(mt);
	fake_done(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_upper),
		cmocka_unit_test(test_skeleton_ntrex),
		cmocka_unit_test(test_placeholder_numbers),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_mangled),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_glossary_match),
		cmocka_unit_test(test_glossary_translate),
		cmocka_unit_test(test_pivot),
		cmocka_unit_test(test_one_engine_pivot),
		cmocka_unit_test(test_variants_no_pivot),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_cache_key),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_down),
		cmocka_unit_test(test_lenders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
