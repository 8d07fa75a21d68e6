/* SPDX-License-Identifier: MIT */
/* Unit tests for the store's search: morphology, syntax, filters, visibility, ranking, pages, translations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "item/topics.h"
#include "store/store.h"
#include "text/highlight.h"
#include "text/query.h"
#include "text/tokenizer.h"

#define DAY_MS	(24LL * 3600 * 1000)
#define NOW_MS	(1800000000000LL)

#include "backend.h"

/*
 * The text each put() gave the index, by number: the index reads an
 * item's text from its envelope (mb_store_opts.index_text), and these
 * envelopes carry the number ("_t") instead of ninjs headlines and
 * bodies, so that the tests choose the text itself.
 */
#define MAXPUT	8192

static struct {
	const char	*lang, *headline, *body;
} texts[MAXPUT];
static int ntexts;

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int
text_of_envelope(const char *env, size_t len, char **headline, char **body,
    char lang[MB_STORE_LANG_MAX])
{
	const char	*p = memmem(env, len, "\"_t\":", 5);
	int		 k;

	*headline = *body = NULL;
	lang[0] = '\0';
	if (p == NULL || (k = atoi(p + 5)) < 0 || k >= ntexts)
		return MB_ERR_INVAL;
	*headline = dup_or_null(texts[k].headline);
	*body = dup_or_null(texts[k].body);
	snprintf(lang, MB_STORE_LANG_MAX, "%s", texts[k].lang != NULL ?
	    texts[k].lang : "");
	return MB_OK;
}

static int
setup(void **state)
{
	struct mb_store		*st;
	struct mb_store_opts	 o = { mb_text_fts5_tokenizer(), NULL, false,
	    text_of_envelope, NULL, 0, 0 };
	struct mb_diag		 d = { "" };

	ntexts = 0;
	if (tb_create() != 0)
		return -1;
	if (mb_store_open(tb_loc, &o, &st, &d) != MB_OK) {
		fprintf(stderr, "open: %s\n", d.msg);
		return -1;
	}
	*state = st;
	return 0;
}

static int
teardown(void **state)
{
	mb_store_close(*state);
	tb_destroy();
	return 0;
}

/* An item to put: what the tests vary; the rest has defaults. */
struct it {
	const char	*local;
	const char	*lang;
	const char	*headline;
	const char	*body;
	const char	*type;		/* "text" */
	const char	*center;	/* "cairo" */
	const char	*audience;	/* "public" */
	const char	*pub_status;	/* "usable" */
	const char	*workflow;	/* "published" */
	int64_t		 embargo_ms;
	int64_t		 age_days;	/* firstCreated before NOW_MS */
	const char	*extra_item;	/* more ninjs members, ",\"x\":..." */
	const char	*meta;		/* the envelope's meta members */
	int64_t		 version;	/* 1 */
	const char	*topics;	/* mb_store_version.topics */
};

static void
put(struct mb_store *st, const struct it *x)
{
	struct mb_store_version	v;
	struct mb_store_text	t;
	struct mb_diag		d = { "" };
	char			uri[128], env[2048];
	int64_t			seq;

	snprintf(uri, sizeof(uri), "urn:mediabridge:%s:%s",
	    x->center ? x->center : "cairo", x->local);
	assert_true(ntexts < MAXPUT);
	texts[ntexts].lang = x->lang;
	texts[ntexts].headline = x->headline;
	texts[ntexts].body = x->body;
	snprintf(env, sizeof(env), "{\"item\":{\"uri\":\"%s\"%s},"
	    "\"meta\":{%s},\"_t\":%d}", uri, x->extra_item ? x->extra_item :
	    "", x->meta ? x->meta : "", ntexts++);
	memset(&v, 0, sizeof(v));
	v.uri = uri;
	v.center = x->center ? x->center : "cairo";
	v.local = x->local;
	v.version = x->version ? x->version : 1;
	v.origin = v.center;
	v.audience = x->audience ? x->audience : "public";
	v.pub_status = x->pub_status ? x->pub_status : "usable";
	v.workflow = x->workflow ? x->workflow : "published";
	v.language = x->lang;
	v.type = x->type ? x->type : "text";
	v.headline = x->headline;
	v.embargo_ms = x->embargo_ms;
	v.first_ms = NOW_MS - x->age_days * DAY_MS;
	v.created_ms = v.first_ms;
	v.envelope = env;
	v.envelope_len = strlen(env);
	v.topics = x->topics;
	t.language = x->lang;
	t.headline = x->headline;
	t.body = x->body;
	if (mb_store_put(st, &v, &t, &seq, &d) != MB_OK)
		fail_msg("put %s: %s", uri, d.msg);
}

#define MAXHITS 64

struct hits {
	int	n;
	char	uri[MAXHITS][96];
	char	lang[MAXHITS][16];
	char	snippet[MAXHITS][512];
	char	headline[MAXHITS][256];
	char	matched[MAXHITS][96];
	double	score[MAXHITS];
	struct mb_store_search_result r;
};

static int
on_hit(const struct mb_store_search_hit *h, void *arg)
{
	struct hits *hs = arg;

	if (hs->n < MAXHITS) {
		/* uri's local part: what the tests name items by */
		snprintf(hs->uri[hs->n], sizeof(hs->uri[0]), "%s",
		    strrchr(h->uri, ':') + 1);
		snprintf(hs->lang[hs->n], sizeof(hs->lang[0]), "%s",
		    h->language ? h->language : "");
		snprintf(hs->snippet[hs->n], sizeof(hs->snippet[0]), "%s",
		    h->snippet);
		snprintf(hs->headline[hs->n], sizeof(hs->headline[0]), "%s",
		    h->headline_marked);
		snprintf(hs->matched[hs->n], sizeof(hs->matched[0]), "%s",
		    h->matched_uri ? strrchr(h->matched_uri, ':') + 1 : "");
		hs->score[hs->n] = h->score;
	}
	hs->n++;
	return MB_OK;
}

/* A reader's query q in language lang; fills hs; returns the rc. */
static int
searchq(struct mb_store *st, const char *q, const char *lang,
    struct mb_store_search_query *base, struct hits *hs)
{
	struct mb_store_search_query	 sq;
	struct mb_buf			 m = MB_BUF_INIT;
	struct mb_diag			 d = { "" };
	int				 rc;

	if (base != NULL)
		sq = *base;
	else
		memset(&sq, 0, sizeof(sq));
	if ((rc = mb_text_query_translate(q, strlen(q), lang, &m, &d)) !=
	    MB_OK)
		fail_msg("translate %s: %s", q, d.msg);
	sq.match = m.data;
	if (sq.limit == 0)
		sq.limit = 20;
	if (sq.audiences == 0)
		sq.audiences = MB_AUD_PUBLIC;
	sq.now_ms = NOW_MS;
	memset(hs, 0, sizeof(*hs));
	rc = mb_store_search(st, &sq, on_hit, hs, &hs->r, &d);
	mb_buf_free(&m);
	return rc;
}

/* The local parts of the hits, sorted, comma-separated. */
static const char *
set_of(struct hits *hs)
{
	static char	out[1024];
	char		*v[MAXHITS];

	for (int i = 0; i < hs->n && i < MAXHITS; i++)
		v[i] = hs->uri[i];
	for (int i = 1; i < hs->n && i < MAXHITS; i++)
		for (int j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	out[0] = '\0';
	for (int i = 0; i < hs->n && i < MAXHITS; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, v[i]);
	}
	return out;
}

static const char *
found(struct mb_store *st, const char *q, const char *lang)
{
	struct hits hs;

	assert_int_equal(searchq(st, q, lang, NULL, &hs), MB_OK);
	return set_of(&hs);
}

static void
test_arabic(void **state)
{
	struct mb_store *st = *state;

	put(st, &(struct it){ .local = "a1", .lang = "ar",
	    .headline = "معرض للكتاب في القاهرة",
	    .body = "افتتح الوزير معرض القاهرة الدولي للكتاب." });
	put(st, &(struct it){ .local = "a2", .lang = "ar",
	    .headline = "المعلمون يطالبون بزيادة الأجور",
	    .body = "نظم المعلمون وقفة أمام وزارة التعليم." });
	put(st, &(struct it){ .local = "a3", .lang = "ar",
	    .headline = "تكريم المعلمات",
	    .body = "كرمت المدرسة معلماتها والمعلمين في حفل كبير. "
	    "وبالكتاب الجديد بدأ العام." });
	put(st, &(struct it){ .local = "a4", .lang = "ar",
	    .headline = "مباراة كرة القدم", .body = "فاز الفريق بالمباراة." });
	/* the article, attached prepositions (لل، وبال), the plurals */
	assert_string_equal(found(st, "كتاب", "ar"), "a1,a3");
	assert_string_equal(found(st, "الكتاب", "ar"), "a1,a3");
	assert_string_equal(found(st, "معلم", "ar"), "a2,a3");
	assert_string_equal(found(st, "المعلمين", NULL), "a2,a3");
	/* harakat typed or not */
	assert_string_equal(found(st, "الْمُعَلِّمُونَ", "ar"), "a2,a3");
	assert_string_equal(found(st, "مباراة", "ar"), "a4");
}

static void
test_russian(void **state)
{
	struct mb_store *st = *state;

	put(st, &(struct it){ .local = "r1", .lang = "ru",
	    .headline = "Выставка в Москве",
	    .body = "В Москве открылась выставка молодых художников." });
	put(st, &(struct it){ .local = "r2", .lang = "ru",
	    .headline = "Делегация из Москвы",
	    .body = "Делегация прибыла на конференцию журналистов." });
	put(st, &(struct it){ .local = "r3", .lang = "ru",
	    .headline = "Новости культуры",
	    .body = "Журналисты обсудили новые выставки. Всё ещё." });
	assert_string_equal(found(st, "Москва", "ru"), "r1,r2");
	assert_string_equal(found(st, "москва", NULL), "r1,r2");
	assert_string_equal(found(st, "выставки", "ru"), "r1,r3");
	assert_string_equal(found(st, "журналист", "ru"), "r2,r3");
	/* ё typed as е */
	assert_string_equal(found(st, "все еще", "ru"), "r3");
}

static void
test_accents(void **state)
{
	struct mb_store *st = *state;

	put(st, &(struct it){ .local = "f1", .lang = "fr",
	    .headline = "Les élections régionales",
	    .body = "Le président a annoncé la date de l'élection." });
	put(st, &(struct it){ .local = "s1", .lang = "es",
	    .headline = "Las elecciones en el país",
	    .body = "La elección del año fue tranquila." });
	put(st, &(struct it){ .local = "e1", .lang = "en",
	    .headline = "A quiet day", .body = "Nothing happened at all." });
	/* a French query stems as French; no language: every Latin one */
	assert_string_equal(found(st, "élection", "fr"), "f1");
	assert_string_equal(found(st, "election", "fr"), "f1");
	assert_string_equal(found(st, "election", NULL), "f1");
	assert_string_equal(found(st, "elections OR eleccion", NULL), "f1,s1");
	assert_string_equal(found(st, "elecciones", "es"), "s1");
	assert_string_equal(found(st, "eleccion", NULL), "s1");
	assert_string_equal(found(st, "elección", "es"), "s1");
	assert_string_equal(found(st, "regionales", "fr"), "f1");
	assert_string_equal(found(st, "presidente", NULL), "f1");
}

static void
test_chinese_and_mixed(void **state)
{
	struct mb_store *st = *state;

	put(st, &(struct it){ .local = "z1", .lang = "zh",
	    .headline = "北京大学举办媒体论坛",
	    .body = "来自各国的记者参加了论坛。" });
	put(st, &(struct it){ .local = "z2", .lang = "zh",
	    .headline = "上海天气", .body = "明天有雨。" });
	put(st, &(struct it){ .local = "m1", .lang = "en",
	    .headline = "Forum in Beijing",
	    .body = "Journalists met at 北京大学 for the media forum." });
	put(st, &(struct it){ .local = "w1", .lang = "sw",
	    .headline = "Habari za michezo",
	    .body = "Timu ya taifa imeshinda mechi." });
	assert_string_equal(found(st, "大学", NULL), "m1,z1");
	assert_string_equal(found(st, "论坛", "zh"), "z1");
	assert_string_equal(found(st, "雨", NULL), "z2");
	assert_string_equal(found(st, "forums", "en"), "m1");
	assert_string_equal(found(st, "michezo", NULL), "w1");
	assert_string_equal(found(st, "michezo", "sw"), "w1");
}

static void
test_syntax(void **state)
{
	struct mb_store *st = *state;

	put(st, &(struct it){ .local = "p1", .lang = "en",
	    .headline = "Press freedom day",
	    .body = "The press conference on freedom was held in Nairobi." });
	put(st, &(struct it){ .local = "p2", .lang = "en",
	    .headline = "Freedom of the press",
	    .body = "A conference about radio." });
	put(st, &(struct it){ .local = "p3", .lang = "en",
	    .headline = "Radio days", .body = "Radio stations in Dakar." });
	assert_string_equal(found(st, "\"press conference\"", "en"), "p1");
	assert_string_equal(found(st, "press conference", "en"), "p1,p2");
	assert_string_equal(found(st, "nairobi OR dakar", "en"), "p1,p3");
	assert_string_equal(found(st, "radio -conference", "en"), "p3");
	assert_string_equal(found(st, "radio NOT dakar", "en"), "p2");
	assert_string_equal(found(st, "confer*", "en"), "p1,p2");
	/* hostile: FTS5 syntax is text */
	assert_string_equal(found(st, "body:radio (", "en"), "");
}

/*
 * Topics derived where the envelope was parsed (mb_item_topics) are the
 * rows the store's own SQL derives from the envelope: verify's check
 * compares the two, and finds a list that differs.
 */
static void
test_topics_given(void **state)
{
	struct mb_store			*st = *state;
	struct mb_store_search_query	 q;
	struct hits			 hs;
	static const char *const	 subjects[] = {
		"[{\"name\":\"Economy\",\"uri\":\"http://cv.iptc.org/"
		    "newscodes/mediatopic/04000000\"}]",
		"[{\"uri\":\"medtop:11000000\",\"code\":\"POL\"},"
		    "{\"name\":\"Politik ÄGYPTEN\"},{\"name\":\"pol\"}]",
		"[{\"uri\":\"a/b/\",\"name\":\"\",\"code\":null},{}]",
		"[{\"uri\":\"sport\",\"name\":\"Sport\"}]",
		"[]",
	};
	struct mb_buf			 b[5];
	char				 extra[5][512], local[5][8];

	for (int i = 0; i < 5; i++) {
		json_t *j = json_loads(subjects[i], 0, NULL);

		b[i] = (struct mb_buf)MB_BUF_INIT;
		assert_non_null(j);
		assert_int_equal(mb_item_topics(j, &b[i]), MB_OK);
		json_decref(j);
		snprintf(extra[i], sizeof(extra[i]), ",\"subjects\":%s",
		    subjects[i]);
		snprintf(local[i], sizeof(local[i]), "g%d", i);
		put(st, &(struct it){ .local = local[i], .lang = "en",
		    .headline = "Market report", .body = "Markets rose.",
		    .extra_item = extra[i], .topics = b[i].data });
	}
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	memset(&q, 0, sizeof(q));
	q.topic = "11000000";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "g1");
	q.topic = "politik Ägypten";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "g1");
	q.topic = "sport";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "g3");
	for (int i = 0; i < 5; i++)
		mb_buf_free(&b[i]);
	/* PostgreSQL derives its own rows (mb_derive) and ignores them. */
	if (tb_is_pg())
		return;
	put(st, &(struct it){ .local = "g9", .lang = "en",
	    .headline = "Market report", .body = "Markets rose.",
	    .extra_item = ",\"subjects\":[{\"name\":\"Sport\"}]",
	    .topics = "football\0" });
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL),
	    MB_ERR_CORRUPT);
}

static void
test_filters(void **state)
{
	struct mb_store			*st = *state;
	struct mb_store_search_query	 q;
	struct mb_center		 c;
	struct hits			 hs;
	const char			*subj = ",\"subjects\":[{\"name\":"
	    "\"Economy\",\"uri\":\"http://cv.iptc.org/newscodes/mediatopic/"
	    "04000000\"}]";

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "dakar");
	snprintf(c.country, sizeof(c.country), "SN");
	snprintf(c.name, sizeof(c.name), "Dakar");
	assert_int_equal(mb_store_center_put(st, &c, NULL), MB_OK);
	put(st, &(struct it){ .local = "t1", .lang = "en",
	    .headline = "Market report", .body = "Markets rose.",
	    .extra_item = subj, .age_days = 10 });
	put(st, &(struct it){ .local = "t2", .lang = "fr", .type = "picture",
	    .headline = "Market photo", .body = "Markets in Dakar.",
	    .center = "dakar", .age_days = 2 });
	put(st, &(struct it){ .local = "t3", .lang = "en-GB",
	    .headline = "Market event", .body = "A market fair.",
	    .type = "event", .age_days = 30 });

	memset(&q, 0, sizeof(q));
	q.language = "en";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t1,t3");
	memset(&q, 0, sizeof(q));
	q.type = "picture";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t2");
	memset(&q, 0, sizeof(q));
	q.center = "cairo";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t1,t3");
	memset(&q, 0, sizeof(q));
	q.country = "SN";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t2");
	memset(&q, 0, sizeof(q));
	q.topic = "economy";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t1");
	q.topic = "04000000";
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t1");
	memset(&q, 0, sizeof(q));
	q.from_ms = NOW_MS - 15 * DAY_MS;
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t1,t2");
	q.to_ms = NOW_MS - 5 * DAY_MS;
	assert_int_equal(searchq(st, "market", NULL, &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "t1");
}

static void
test_visibility(void **state)
{
	struct mb_store			*st = *state;
	struct mb_store_search_query	 q;
	struct hits			 hs;

	put(st, &(struct it){ .local = "v1", .lang = "en",
	    .headline = "Harbour news", .body = "Public." });
	put(st, &(struct it){ .local = "v2", .lang = "en",
	    .headline = "Harbour draft", .body = "Draft.",
	    .workflow = "draft" });
	put(st, &(struct it){ .local = "v3", .lang = "en",
	    .headline = "Harbour withheld", .body = "Withheld.",
	    .pub_status = "withheld" });
	put(st, &(struct it){ .local = "v4", .lang = "en",
	    .headline = "Harbour embargo", .body = "Embargoed.",
	    .embargo_ms = NOW_MS + DAY_MS });
	put(st, &(struct it){ .local = "v5", .lang = "en",
	    .headline = "Harbour internal", .body = "Internal.",
	    .audience = "internal" });
	put(st, &(struct it){ .local = "v6", .lang = "en",
	    .headline = "Harbour members", .body = "Network.",
	    .audience = "network" });
	put(st, &(struct it){ .local = "v7", .lang = "en",
	    .headline = "Harbour past embargo", .body = "Lifted.",
	    .embargo_ms = NOW_MS - DAY_MS });
	put(st, &(struct it){ .local = "v8", .lang = "en",
	    .headline = "Harbour canceled", .body = "Gone.",
	    .pub_status = "canceled" });
	assert_string_equal(found(st, "harbour", "en"), "v1,v7");
	memset(&q, 0, sizeof(q));
	q.audiences = MB_AUD_PUBLIC | MB_AUD_NETWORK;
	assert_int_equal(searchq(st, "harbour", "en", &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "v1,v6,v7");
	q.all = true;
	assert_int_equal(searchq(st, "harbour", "en", &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "v1,v2,v3,v4,v5,v6,v7,v8");
	/* a new version that withdraws the item hides it again */
	put(st, &(struct it){ .local = "v1", .lang = "en", .version = 2,
	    .headline = "Harbour news", .body = "Public.",
	    .pub_status = "withheld" });
	assert_string_equal(found(st, "harbour", "en"), "v7");
}

static void
test_ranking_snippets(void **state)
{
	struct mb_store	*st = *state;
	struct hits	 hs;

	/* same words: headline beats body; newer beats older */
	put(st, &(struct it){ .local = "k1", .lang = "en",
	    .headline = "Weather", .body = "Floods hit the coast again, "
	    "said the ministry of water and the regional office.",
	    .age_days = 1 });
	put(st, &(struct it){ .local = "k2", .lang = "en",
	    .headline = "Floods on the coast", .body = "Many roads closed.",
	    .age_days = 1 });
	put(st, &(struct it){ .local = "k3", .lang = "en",
	    .headline = "Floods on the coast", .body = "Many roads closed.",
	    .age_days = 300 });
	assert_int_equal(searchq(st, "floods", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 3);
	assert_string_equal(hs.uri[0], "k2");
	assert_string_equal(hs.uri[1], "k3");
	assert_string_equal(hs.uri[2], "k1");
	assert_true(hs.score[0] > hs.score[1]);
	/* the hit marked with sentinels, no language marker left */
	assert_string_equal(hs.headline[0], "\x02" "Floods\x03 on the coast");
	assert_non_null(strstr(hs.snippet[2], "\x02" "Floods\x03 hit"));
	assert_null(strchr(hs.snippet[2], '\x1f'));
	assert_null(strchr(hs.headline[0], '\x1f'));
	/* accented and stemmed forms are marked on the original text */
	put(st, &(struct it){ .local = "k4", .lang = "fr",
	    .headline = "Élections", .body = "Les électeurs ont voté." });
	assert_int_equal(searchq(st, "elections", "fr", NULL, &hs), MB_OK);
	assert_string_equal(hs.headline[0], "\x02" "Élections\x03");
}

/*
 * More rows hold the word than mb_bm25 counts for its IDF (2000): the
 * count is extrapolated. The weights still rank a headline hit first,
 * scores stay finite and positive, and the window holds the newest
 * candidates only.
 */
static void
test_ranking_many(void **state)
{
	struct mb_store	*st = *state;
	struct hits	 hs;
	char		 local[32];
	int		 n = 6000;

	assert_int_equal(mb_store_begin(st, NULL), MB_OK);
	for (int i = 0; i < n; i++) {
		struct it x = { .local = local, .lang = "en",
		    .headline = "Daily notes", .body = i % 3 == 0 ?
		    "A ship came into the harbour today." :
		    "Prices at the market were steady." };

		snprintf(local, sizeof(local), "m%05d", i);
		if (i == n - 3)
			x.headline = "Harbour news";
		put(st, &x);
	}
	assert_int_equal(mb_store_commit(st, NULL), MB_OK);
	assert_int_equal(searchq(st, "harbour", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 20);
	assert_string_equal(hs.uri[0], "m05997");
	assert_true(hs.r.more);
	assert_int_equal(hs.r.ranked, MB_STORE_SEARCH_CANDIDATES);
	for (int i = 0; i < hs.n; i++)
		assert_true(hs.score[i] > 0.1 && hs.score[i] < 100);
	assert_true(hs.score[0] > hs.score[1]);
	/* Body-only hits of equal length and age tie: newest first. */
	assert_true(hs.score[1] == hs.score[2]);
	assert_true(strcmp(hs.uri[1], hs.uri[2]) > 0);
}

/*
 * Commits write their own segment and nobody merges them on the way
 * (automerge 0, src/store/sqlite.c); mb_store_index_tidy() merges them
 * later, step by step, finding the same items, and then says it is done.
 */
static void
test_index_tidy(void **state)
{
	struct mb_store		*st = *state;
	struct mb_store_stats	 ss;
	struct hits		 hs;
	char			 before[1024], local[16];
	bool			 more = true;
	int			 steps = 0;

	for (int i = 0; i < 30; i++) {
		snprintf(local, sizeof(local), "t%02d", i);
		put(st, &(struct it){ .local = local, .lang = "en",
		    .headline = i % 2 ? "Harbour works" : "Market day",
		    .body = i % 3 ? "Ships and cranes." : "Prices held." });
	}
	assert_int_equal(mb_store_stats(st, &ss, NULL), MB_OK);
	if (!tb_is_pg()) {
		assert_int_equal(tb_query_int("SELECT v FROM fts_config "
		    "WHERE k = 'automerge'"), 0);
		/* 30 commits: 16 merged at the crisis bound, 14 left. */
		assert_true(ss.index_segments >= 10);
	} else
		assert_int_equal(ss.index_segments, 0);
	assert_int_equal(searchq(st, "harbour cranes", "en", NULL, &hs),
	    MB_OK);
	snprintf(before, sizeof(before), "%s", set_of(&hs));
	assert_int_equal(hs.n, 10);
	while (more) {
		assert_int_equal(mb_store_index_tidy(st, 4, &more, NULL),
		    MB_OK);
		assert_true(++steps < 1000);
	}
	assert_int_equal(mb_store_stats(st, &ss, NULL), MB_OK);
	assert_true(ss.index_segments <= 3);
	if (!tb_is_pg())
		assert_true(steps > 1);	/* 4 pages a step: several */
	assert_string_equal(found(st, "harbour cranes", "en"), before);
	assert_string_equal(found(st, "\"market day\"", "en"),
	    "t00,t02,t04,t06,t08,t10,t12,t14,t16,t18,t20,t22,t24,t26,t28");
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	/* Tidy: a step finds nothing more; a bad page count is refused. */
	assert_int_equal(mb_store_index_tidy(st, 256, &more, NULL), MB_OK);
	assert_false(more);
	assert_int_equal(mb_store_index_tidy(st, 0, &more, NULL),
	    MB_ERR_INVAL);
}

/*
 * mb_store_index_keep_up(): a page a committed item, merged right after
 * a run of commits, leaves fewer segments and the same hits; nothing
 * committed (0 items) merges nothing.
 */
static void
test_index_keep_up(void **state)
{
	struct mb_store		*st = *state;
	struct mb_store_stats	 ss;
	char			 before[1024], local[16];
	int64_t			 segs;

	for (int i = 0; i < 12; i++) {
		snprintf(local, sizeof(local), "k%02d", i);
		put(st, &(struct it){ .local = local, .lang = "en",
		    .headline = i % 2 ? "Harbour works" : "Market day",
		    .body = i % 3 ? "Ships and cranes." : "Prices held." });
	}
	assert_int_equal(mb_store_stats(st, &ss, NULL), MB_OK);
	segs = ss.index_segments;
	if (!tb_is_pg())
		assert_true(segs >= 12);
	snprintf(before, sizeof(before), "%s", found(st, "harbour", "en"));
	assert_string_equal(before, "k01,k03,k05,k07,k09,k11");
	assert_int_equal(mb_store_index_keep_up(st, 0, NULL), MB_OK);
	assert_int_equal(mb_store_stats(st, &ss, NULL), MB_OK);
	assert_int_equal(ss.index_segments, segs);
	assert_int_equal(mb_store_index_keep_up(st, 12, NULL), MB_OK);
	assert_int_equal(mb_store_stats(st, &ss, NULL), MB_OK);
	if (!tb_is_pg())
		assert_true(ss.index_segments < segs);
	assert_string_equal(found(st, "harbour", "en"), before);
	assert_string_equal(found(st, "\"market day\"", "en"),
	    "k00,k02,k04,k06,k08,k10");
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
}

static void
test_pages(void **state)
{
	struct mb_store			*st = *state;
	struct mb_store_search_query	 q;
	struct hits			 hs;
	char				 local[16], seen[32] = { 0 };

	for (int i = 0; i < 25; i++) {
		snprintf(local, sizeof(local), "g%02d", i);
		put(st, &(struct it){ .local = local, .lang = "en",
		    .headline = "Budget debate", .body = "Budget.",
		    .age_days = i });
	}
	memset(&q, 0, sizeof(q));
	q.limit = 10;
	for (int page = 0; page < 3; page++) {
		q.offset = page * 10;
		assert_int_equal(searchq(st, "budget", "en", &q, &hs), MB_OK);
		assert_int_equal(hs.r.ranked, 25);
		assert_false(hs.r.more);
		assert_int_equal(hs.n, page < 2 ? 10 : 5);
		for (int i = 0; i < hs.n; i++) {
			int k = atoi(hs.uri[i] + 1);

			assert_int_equal(seen[k], 0);
			seen[k] = 1;
			/* same text: the newest first */
			assert_int_equal(k, page * 10 + i);
		}
	}
	q.offset = 40;
	assert_int_equal(searchq(st, "budget", "en", &q, &hs), MB_OK);
	assert_int_equal(hs.n, 0);
	q.offset = 0;
	q.limit = 0;
	q.limit = MB_STORE_SEARCH_MAX_LIMIT + 1;
	assert_int_equal(searchq(st, "budget", "en", &q, &hs), MB_ERR_INVAL);
	q.limit = 10;
	q.offset = MB_STORE_SEARCH_CANDIDATES;
	assert_int_equal(searchq(st, "budget", "en", &q, &hs), MB_ERR_INVAL);
}

static void
test_bad_match(void **state)
{
	struct mb_store			*st = *state;
	struct mb_store_search_query	 q;
	struct mb_diag			 d = { "" };
	struct hits			 hs;

	memset(&q, 0, sizeof(q));
	q.limit = 10;
	q.match = "\"unbalanced";
	assert_int_equal(mb_store_search(st, &q, on_hit, &hs, NULL, &d),
	    MB_ERR_INVAL);
	q.match = "";
	assert_int_equal(mb_store_search(st, &q, on_hit, &hs, NULL, &d),
	    MB_ERR_INVAL);
}

struct tl {
	int	n;
	char	line[16][128];
};

static int
on_tr(const struct mb_store_translation *t, void *arg)
{
	struct tl *l = arg;

	if (l->n < 16)
		snprintf(l->line[l->n], sizeof(l->line[0]), "%s %s%s%s",
		    strrchr(t->uri, ':') + 1, t->language ? t->language : "-",
		    t->original ? " original" : "",
		    t->by ? (strcmp(t->by, "machine") == 0 ? " machine" :
		    " human") : "");
	l->n++;
	return MB_OK;
}

static void
test_translations(void **state)
{
	struct mb_store			*st = *state;
	struct mb_store_search_query	 q;
	struct hits			 hs;
	struct tl			 l;
	struct mb_diag			 d = { "" };

	put(st, &(struct it){ .local = "o1", .lang = "en",
	    .headline = "Solar power plant opens",
	    .body = "The new solar plant near Aswan opened on Monday." });
	/* by associations, rel translation-of */
	put(st, &(struct it){ .local = "o1fr", .lang = "fr",
	    .headline = "Une centrale solaire ouvre",
	    .body = "La nouvelle centrale solaire près d'Assouan a ouvert.",
	    .extra_item = ",\"associations\":[{\"name\":\"original\","
	    "\"rel\":\"translation-of\",\"uri\":"
	    "\"urn:mediabridge:cairo:o1\"}]" });
	/* by the envelope's meta.translation */
	put(st, &(struct it){ .local = "o1ar", .lang = "ar",
	    .headline = "افتتاح محطة للطاقة الشمسية",
	    .body = "افتتحت محطة الطاقة الشمسية الجديدة قرب أسوان.",
	    .meta = "\"translation\":{\"of\":\"urn:mediabridge:cairo:o1\","
	    "\"by\":\"machine\",\"engine\":\"x\"}" });
	/* a draft translation stays hidden from readers */
	put(st, &(struct it){ .local = "o1es", .lang = "es",
	    .headline = "Abre una planta solar", .body = "Planta solar.",
	    .workflow = "draft",
	    .meta = "\"translation\":{\"of\":\"urn:mediabridge:cairo:o1\"}" });
	put(st, &(struct it){ .local = "x1", .lang = "en",
	    .headline = "Solar eclipse", .body = "Seen from Aswan." });

	memset(&l, 0, sizeof(l));
	assert_int_equal(mb_store_translations(st, "urn:mediabridge:cairo:o1",
	    false, MB_AUD_PUBLIC, NOW_MS, on_tr, &l, &d), MB_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.line[0], "o1 en original");
	assert_string_equal(l.line[1], "o1ar ar machine");
	assert_string_equal(l.line[2], "o1fr fr");
	/* from a translation: the same group */
	memset(&l, 0, sizeof(l));
	assert_int_equal(mb_store_translations(st,
	    "urn:mediabridge:cairo:o1fr", true, 0, NOW_MS, on_tr, &l, &d),
	    MB_OK);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.line[3], "o1fr fr");
	/* an item in no group: none */
	memset(&l, 0, sizeof(l));
	assert_int_equal(mb_store_translations(st, "urn:mediabridge:cairo:x1",
	    false, MB_AUD_PUBLIC, NOW_MS, on_tr, &l, &d), MB_OK);
	assert_int_equal(l.n, 0);

	/* an English query, a French reader: the French version, once */
	memset(&q, 0, sizeof(q));
	q.prefer_language = "fr";
	assert_int_equal(searchq(st, "solar", "en", &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "o1fr,x1");
	for (int i = 0; i < hs.n; i++)
		if (strcmp(hs.uri[i], "o1fr") == 0)
			assert_string_equal(hs.matched[i], "o1");
	/* both match (Aswan/Assouan differ; "solaire" only fr): one hit */
	assert_int_equal(searchq(st, "solar OR solaire", "en", &q, &hs),
	    MB_OK);
	assert_string_equal(set_of(&hs), "o1fr,x1");
	/* an Arabic reader gets the Arabic one; snippet is its lead */
	q.prefer_language = "ar";
	assert_int_equal(searchq(st, "plant", "en", &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "o1ar");
	assert_non_null(strstr(hs.snippet[0], "أسوان"));
	/* no Spanish for readers (draft): the original */
	q.prefer_language = "es";
	assert_int_equal(searchq(st, "plant", "en", &q, &hs), MB_OK);
	assert_string_equal(set_of(&hs), "o1");
	assert_string_equal(hs.matched[0], "");
	/* without prefer_language every language's match comes back */
	assert_string_equal(found(st, "solar OR solaire", "en"), "o1,o1fr,x1");
	/* a new version without the link unlinks */
	put(st, &(struct it){ .local = "o1fr", .lang = "fr", .version = 2,
	    .headline = "Une centrale solaire ouvre", .body = "." });
	memset(&l, 0, sizeof(l));
	assert_int_equal(mb_store_translations(st, "urn:mediabridge:cairo:o1",
	    false, MB_AUD_PUBLIC, NOW_MS, on_tr, &l, &d), MB_OK);
	assert_int_equal(l.n, 2);
}

static void
test_marks_to_html(void **state)
{
	struct mb_buf	b = MB_BUF_INIT;
	const char	s[] = "a \x02<b>&\x03 \x03 \x02x\x1fy";

	(void)state;
	assert_int_equal(mb_text_marks_to_html(s, sizeof(s) - 1, &b), MB_OK);
	assert_string_equal(b.data,
	    "a <mark>&lt;b&gt;&amp;</mark>  <mark>xy</mark>");
	mb_buf_reset(&b);
	assert_int_equal(mb_text_marks_strip(s, sizeof(s) - 1, &b), MB_OK);
	assert_string_equal(b.data, "a <b>&  xy");
	mb_buf_free(&b);
}

/*
 * A new version's text replaces the old one's in the index, whether it
 * is indexed at once or queued for the indexer, and the index agrees
 * with the text it shows (SQLite: read from the envelopes, no copy).
 */
static int
queued_text(const struct mb_store_version *v, struct mb_store_text *t,
    void *arg)
{
	static char h[256], b[256], l[MB_STORE_LANG_MAX];
	char *hh, *bb;

	(void)arg;
	assert_int_equal(text_of_envelope(v->envelope, v->envelope_len, &hh,
	    &bb, l), MB_OK);
	snprintf(h, sizeof(h), "%s", hh != NULL ? hh : "");
	snprintf(b, sizeof(b), "%s", bb != NULL ? bb : "");
	free(hh);
	free(bb);
	t->language = l[0] != '\0' ? l : NULL;
	t->headline = h;
	t->body = b;
	return MB_OK;
}

static void
test_new_version_replaces_text(void **state)
{
	struct mb_store		*st = *state;
	struct mb_store_version	 v;
	struct mb_store_stats	 ss;
	struct hits		 hs;
	char			 env[256];
	int64_t			 seq, done = 0;

	put(st, &(struct it){ .local = "u1", .lang = "en",
	    .headline = "Harbour opens", .body = "The old harbour opened." });
	put(st, &(struct it){ .local = "u1", .lang = "en", .version = 2,
	    .headline = "Bridge opens", .body = "The new bridge opened." });
	assert_int_equal(searchq(st, "harbour", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 0);
	assert_int_equal(searchq(st, "bridge", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 1);
	assert_non_null(strstr(hs.snippet[0], "bridge"));
	/* Version 3 queued (no text given): out of the index until indexed. */
	texts[ntexts].lang = "en";
	texts[ntexts].headline = "Tunnel opens";
	texts[ntexts].body = "The long tunnel opened.";
	snprintf(env, sizeof(env), "{\"item\":{\"uri\":"
	    "\"urn:mediabridge:cairo:u1\"},\"meta\":{},\"_t\":%d}",
	    ntexts++);
	memset(&v, 0, sizeof(v));
	v.uri = "urn:mediabridge:cairo:u1";
	v.center = v.origin = "cairo";
	v.local = "u1";
	v.version = 3;
	v.audience = "public";
	v.pub_status = "usable";
	v.workflow = "published";
	v.language = "en";
	v.type = "text";
	v.first_ms = v.created_ms = NOW_MS;
	v.envelope = env;
	v.envelope_len = strlen(env);
	assert_int_equal(mb_store_put(st, &v, NULL, &seq, NULL), MB_OK);
	/* (Meanwhile SQLite finds neither text, PostgreSQL the old one.) */
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	assert_int_equal(mb_store_index_next(st, 10, queued_text, NULL, &done,
	    NULL), MB_OK);
	assert_int_equal(done, 1);
	assert_int_equal(mb_store_stats(st, &ss, NULL), MB_OK);
	assert_int_equal(ss.unindexed, 0);
	assert_int_equal(searchq(st, "tunnel", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 1);
	assert_non_null(strstr(hs.snippet[0], "tunnel"));
	assert_int_equal(searchq(st, "bridge", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 0);
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	if (!tb_is_pg())	/* the text is stored once, in the envelope */
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "sqlite_master WHERE name = 'fts_content'"), 0);
}

/*
 * PostgreSQL: an error inside mb_put's functions says what failed, not
 * the CONTEXT lines of PL/pgSQL and SQL after it (the message reaches
 * users: peer list's last error, an API's 500).
 */
static void
test_error_without_context(void **state)
{
	struct mb_store		*st = *state;
	struct mb_store_version	 v;
	struct mb_store_text	 t = { "en", "Harbour", "A long body." };
	struct mb_diag		 d = { "" };
	int64_t			 seq;
	char			 env[] = "{\"item\":{\"uri\":\"urn:mediabridge:"
	    "cairo:e1\"},\"meta\":{}}";

	if (!tb_is_pg())
		return;
	assert_int_equal(tb_exec("ALTER TABLE item_text ADD CONSTRAINT "
	    "short_body CHECK (length(body) < 5)"), 0);
	memset(&v, 0, sizeof(v));
	v.uri = "urn:mediabridge:cairo:e1";
	v.center = v.origin = "cairo";
	v.local = "e1";
	v.version = 1;
	v.audience = "public";
	v.pub_status = "usable";
	v.workflow = "published";
	v.language = "en";
	v.type = "text";
	v.headline = "Harbour";
	v.first_ms = v.created_ms = NOW_MS;
	v.envelope = env;
	v.envelope_len = strlen(env);
	assert_int_not_equal(mb_store_put(st, &v, &t, &seq, &d), MB_OK);
	if (strstr(d.msg, "short_body") == NULL ||
	    strstr(d.msg, "CONTEXT") != NULL)
		fail_msg("message: %s", d.msg);
}

/*
 * Topics fold every script's case on both backends, as PostgreSQL's
 * lower() does: SQLite's lower() folded ASCII alone, so "Политика" was
 * no topic "политика" there, and the rows differed from PostgreSQL's
 * (migrate refused the store). On SQLite, migration 14 folds the rows
 * of a store made before it.
 */
static void
test_topics_fold_case(void **state)
{
	struct mb_store			*st = *state;
	struct mb_store_opts		 o = { mb_text_fts5_tokenizer(), NULL,
	    false, text_of_envelope, NULL, 0, 0 };
	struct mb_store_search_query	 q;
	struct hits			 hs;
	static const char *const	 topics[] = { "политика", "ПОЛИТИКА",
	    "istanbul", "İSTANBUL", "strasse ß", "STRASSE ẞ" };

	put(st, &(struct it){ .local = "t1", .lang = "ru",
	    .headline = "Выборы", .body = "Выборы прошли.",
	    .extra_item = ",\"subjects\":[{\"name\":\"Политика\"},"
	    "{\"name\":\"İstanbul\"},{\"name\":\"STRASSE ẞ\"}]",
	    .topics = "Политика\0İstanbul\0strasse ẞ\0" });
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof(topics) / sizeof(*topics);
		    i++) {
			memset(&q, 0, sizeof(q));
			q.topic = topics[i];
			assert_int_equal(searchq(st, "выборы", NULL, &q, &hs),
			    MB_OK);
			if (strcmp(set_of(&hs), "t1") != 0)
				fail_msg("topic %s: [%s]", topics[i],
				    set_of(&hs));
		}
		assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
		if (tb_is_pg() || pass == 1)
			break;
		/* The rows as lower() made them, before migration 14. */
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "item_topics WHERE topic IN ('политика', 'strasse ß')"),
		    2);
		mb_store_close(st);
		*state = NULL;
		assert_int_equal(tb_exec("UPDATE item_topics SET topic = "
		    "'Политика' WHERE topic = 'политика'; UPDATE item_topics "
		    "SET topic = 'strasse ẞ' WHERE topic = 'strasse ß'; "
		    "INSERT INTO item_topics (topic, item_id, first_ms, seq) "
		    "SELECT 'STRASSE ẞ', item_id, first_ms, seq FROM "
		    "item_topics WHERE topic = "
		    "'Политика'; PRAGMA user_version = 13"), 0);
		assert_int_equal(mb_store_open(tb_loc, &o, &st, NULL), MB_OK);
		*state = st;
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "item_topics WHERE topic IN ('политика', 'strasse ß')"),
		    2);
		assert_int_equal(tb_query_int("SELECT count(*) FROM "
		    "item_topics"), 3);
	}
}

/*
 * SQLite, migration 10: a store whose index kept its own copy of the
 * text loses the copy, every item is queued, and once indexed it is
 * found again and passes the check.
 */
static void
test_migrates_to_envelope_text(void **state)
{
	struct mb_store		*st = *state;
	struct mb_store_opts	 o = { mb_text_fts5_tokenizer(), NULL, false,
	    text_of_envelope, NULL, 0, 0 };
	struct mb_store_stats	 ss;
	struct hits		 hs;
	int64_t			 done = 0;

	if (tb_is_pg())
		return;
	put(st, &(struct it){ .local = "o1", .lang = "en",
	    .headline = "Harbour opens", .body = "The old harbour opened." });
	put(st, &(struct it){ .local = "o2", .lang = "en",
	    .headline = "Bridge opens", .body = "The new bridge opened." });
	mb_store_close(st);
	*state = NULL;
	/*
	 * The index as schema 9 had it: FTS5 with its own content (made
	 * with unicode61: this connection has no "mb", so the index of
	 * schema 10 goes by hand).
	 */
	assert_int_equal(tb_exec("DROP VIEW fts_text; DROP TABLE fts_data; "
	    "DROP TABLE fts_idx; DROP TABLE fts_docsize; DROP TABLE "
	    "fts_config; PRAGMA writable_schema = ON; DELETE FROM "
	    "sqlite_master WHERE name = 'fts'; PRAGMA writable_schema = OFF"),
	    0);
	assert_int_equal(tb_exec("CREATE VIRTUAL TABLE fts USING fts5 "
	    "(headline, body); "
	    "INSERT INTO fts (rowid, headline, body) SELECT id, 'x', 'y' "
	    "FROM items; PRAGMA user_version = 9"), 0);
	/* Schema 11's columns came after. */
	assert_int_equal(tb_exec("ALTER TABLE centers DROP COLUMN names; "
	    "ALTER TABLE centers DROP COLUMN mt_pairs"), 0);
	assert_int_equal(tb_query_int("SELECT count(*) FROM fts_content"), 2);
	assert_int_equal(mb_store_open(tb_loc, &o, &st, NULL), MB_OK);
	*state = st;
	assert_true(mb_store_schema_version(st) >= 10);
	assert_int_equal(tb_query_int("SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'fts_content'"), 0);
	assert_int_equal(mb_store_stats(st, &ss, NULL), MB_OK);
	assert_int_equal(ss.unindexed, 2);
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
	assert_int_equal(mb_store_index_next(st, 10, queued_text, NULL, &done,
	    NULL), MB_OK);
	assert_int_equal(done, 2);
	assert_int_equal(searchq(st, "harbour", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 1);
	assert_non_null(strstr(hs.headline[0], "Harbour"));
	assert_int_equal(searchq(st, "bridge", "en", NULL, &hs), MB_OK);
	assert_int_equal(hs.n, 1);
	assert_int_equal(mb_store_check(st, NULL, NULL, NULL), MB_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arabic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_version_replaces_text,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_to_envelope_text,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_russian, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chinese_and_mixed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visibility, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ranking_snippets, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ranking_many, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_tidy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_index_keep_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_topics_given, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_error_without_context,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_topics_fold_case, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_match, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_translations, setup,
		    teardown),
		cmocka_unit_test(test_marks_to_html),
	};

	tb_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
