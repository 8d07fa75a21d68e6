/* SPDX-License-Identifier: MIT */
/*
 * The translate step: a machine draft of an item, linked to its original
 * with signed provenance, through the center's engines and the cache;
 * made again when asked twice; stale when the original moved on.
 */
#include "translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "item/id.h"
#include "item/json.h"
#include "mt/mt.h"
#include "newsroom/derive.h"
#include "newsroom/mt_share.h"
#include "newsroom/pictext.h"
#include "newsroom/policy.h"
#include "store/mt.h"
#include "store/store.h"

/* ---- the glossary, from the store --------------------------------------- */

struct terms {
	struct mb_store_mt_term	*v;
	size_t			 n, cap;
};

static int
term_cb(const struct mb_store_mt_term *t, void *arg)
{
	struct terms *ts = arg;

	if (ts->n == ts->cap) {
		size_t			 cap = ts->cap ? ts->cap * 2 : 16;
		struct mb_store_mt_term	*v = realloc(ts->v, cap * sizeof(*v));

		if (v == NULL)
			return MB_ERR_NOMEM;
		ts->v = v;
		ts->cap = cap;
	}
	ts->v[ts->n++] = *t;
	return MB_OK;
}

int
mb_newsroom_glossary(struct mb_store *st, struct mb_mt_glossary **out,
    struct mb_diag *d)
{
	struct terms		 ts = { NULL, 0, 0 };
	struct mb_mt_term	*mt = NULL;
	int			 rc;

	*out = NULL;
	if ((rc = mb_store_mt_term_list(st, term_cb, &ts, d)) != MB_OK)
		goto out;
	if (ts.n == 0)
		goto out;
	if ((mt = calloc(ts.n, sizeof(*mt))) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ts.n; i++) {
		mt[i].from = ts.v[i].src;
		mt[i].to = ts.v[i].dst;
		mt[i].term = ts.v[i].term;
		mt[i].translation = ts.v[i].translation;
	}
	/* The terms are copied: the rows can go. */
	rc = mb_mt_glossary_new(mt, ts.n, out, d);
out:
	free(mt);
	free(ts.v);
	return rc;
}

/* ---- where a text may go ------------------------------------------------- */

unsigned
mb_newsroom_mt_scope(const char *audience, const char *workflow,
    const char **why)
{
	const char *w = NULL;

	/* An audience missing or not known counts as internal, as the rules
	 * count it: a typo never sends text away. */
	if (mb_audience_bit(audience) == MB_AUD_INTERNAL)
		w = "internal";
	else if (workflow != NULL && strcmp(workflow, "published") != 0)
		w = "not published";
	if (why != NULL)
		*why = w;
	return w != NULL ? MB_MT_LOCAL : 0;
}

/* ---- one text, with the cache in front --------------------------------- */

struct ctx {
	struct mb_store			*st;
	struct mb_mt			*mt;
	const struct mb_mt_glossary	*g;
	const char			*from, *to;
	unsigned			 need;	/* MB_MT_FOR_*, 0: all */
	json_t				*prov;	/* of the first text made */
	size_t				 made, cached;
};

static int
text_one(struct ctx *c, const char *text, size_t len, bool plain, char **out,
    struct mb_diag *d)
{
	struct mb_mt_route	r;
	struct mb_mt_request	rq;
	struct mb_mt_result	res;
	char			key[65];
	int64_t			at = 0;
	int			rc;

	if ((rc = mb_mt_route_for(c->mt, c->from, c->to, NULL, c->need, &r,
	    d)) != MB_OK)
		return rc;
	mb_mt_cache_key(text, len, plain, &r, c->g, key);
	rc = mb_store_mt_cache_get(c->st, key, out, &at, d);
	if (rc == MB_OK) {
		c->cached++;
		if (c->prov == NULL)
			c->prov = mb_mt_provenance(&r, at);
		return MB_OK;
	}
	if (rc != MB_ERR_NOTFOUND)
		return rc;
	memset(&rq, 0, sizeof(rq));
	rq.from = c->from;
	rq.to = c->to;
	rq.text = text;
	rq.len = len;
	rq.plain = plain;
	rq.glossary = c->g;
	rq.need = c->need;
	if ((rc = mb_mt_translate(c->mt, &rq, &res, d)) != MB_OK)
		return rc;
	c->made++;
	if (c->prov == NULL)
		c->prov = mb_mt_provenance(&res.route, res.at_ms);
	/* A cache that cannot be written costs a translation next time. */
	if (mb_store_mt_cache_put(c->st, res.cache_key, res.text, res.at_ms,
	    NULL) != MB_OK)
		log_warn("mt: cache write failed key=%s", res.cache_key);
	*out = res.text;
	res.text = NULL;
	mb_mt_result_free(&res);
	return MB_OK;
}

static int body_alts(struct ctx *c, const char *html, char **out,
    struct mb_diag *d);

int
mb_newsroom_mt_text(struct mb_store *st, struct mb_mt *mt, const char *from,
    const char *to, unsigned need, const char *text, size_t len, bool plain,
    char **out, json_t **prov, struct mb_diag *d)
{
	struct mb_mt_glossary	*g = NULL;
	struct ctx		 c;
	int			 rc;

	if (mt == NULL)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "this center has no "
		    "translation engine (mediabridge engine add)");
	if ((rc = mb_newsroom_glossary(st, &g, d)) != MB_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.mt = mt;
	c.g = g;
	c.from = from;
	c.to = to;
	c.need = need;
	rc = text_one(&c, text, len, plain, out, d);
	/* HTML with pictures: their alt texts too (body_alts). */
	if (rc == MB_OK && !plain && strstr(*out, "<img") != NULL) {
		char *t2;

		if ((rc = body_alts(&c, *out, &t2, d)) == MB_OK) {
			free(*out);
			*out = t2;
		} else {
			free(*out);
			*out = NULL;
		}
	}
	if (rc == MB_OK && prov != NULL)
		*prov = json_incref(c.prov);
	json_decref(c.prov);
	mb_mt_glossary_free(g);
	return rc;
}

/* ---- an item's texts ----------------------------------------------------- */

/* The entities an attribute's value is written with, undone in place. */
static void
unescape_attr(char *s)
{
	static const struct { const char *e; char c; } m[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' },
	};
	char		*w = s;
	const char	*r = s;

	while (*r != '\0') {
		bool hit = false;

		for (size_t k = 0; *r == '&' && k < sizeof(m) / sizeof(m[0]);
		    k++) {
			size_t n = strlen(m[k].e);

			if (strncmp(r, m[k].e, n) == 0) {
				*w++ = m[k].c;
				r += n;
				hit = true;
				break;
			}
		}
		if (!hit)
			*w++ = *r++;
	}
	*w = '\0';
}

static int
escape_attr(struct mb_buf *b, const char *s)
{
	int rc = MB_OK;

	for (; *s != '\0' && rc == MB_OK; s++) {
		switch (*s) {
		case '&': rc = mb_buf_puts(b, "&amp;"); break;
		case '<': rc = mb_buf_puts(b, "&lt;"); break;
		case '>': rc = mb_buf_puts(b, "&gt;"); break;
		case '"': rc = mb_buf_puts(b, "&quot;"); break;
		default: rc = mb_buf_putc(b, *s); break;
		}
	}
	return rc;
}

/* " alt=\"" inside the tag [tag, end), or NULL. */
static const char *
alt_in(const char *tag, const char *end)
{
	for (const char *a = tag; a + 6 <= end; a++)
		if (memcmp(a, " alt=\"", 6) == 0)
			return a + 6;
	return NULL;
}

/*
 * The alt text of each picture in a translated body (a figure placed in
 * the text): attributes never go to the engine with the text
 * (docs/translation.md), so each alt goes on its own, as plain text,
 * through the same path, cache and glossary. *out: malloc'd.
 */
static int
body_alts(struct ctx *c, const char *html, char **out, struct mb_diag *d)
{
	struct mb_buf	 b = MB_BUF_INIT;
	const char	*p = html, *img;
	int		 rc = MB_OK;

	*out = NULL;
	while (rc == MB_OK && (img = strstr(p, "<img")) != NULL) {
		const char	*end = strchr(img, '>'), *a, *q;
		char		*v, *t = NULL;

		if (end == NULL)
			break;
		if ((a = alt_in(img, end)) == NULL || (q = memchr(a, '"',
		    (size_t)(end - a))) == NULL) {
			rc = mb_buf_append(&b, p, (size_t)(end + 1 - p));
			p = end + 1;
			continue;
		}
		if ((rc = mb_buf_append(&b, p, (size_t)(a - p))) != MB_OK ||
		    (v = strndup(a, (size_t)(q - a))) == NULL) {
			rc = MB_ERR_NOMEM;
			break;
		}
		unescape_attr(v);
		if (v[strspn(v, " \t\r\n")] == '\0')
			rc = mb_buf_append(&b, a, (size_t)(q - a));
		else if ((rc = text_one(c, v, strlen(v), true, &t, d)) ==
		    MB_OK)
			rc = escape_attr(&b, t);
		free(t);
		free(v);
		p = q;
	}
	if (rc == MB_OK && (rc = mb_buf_puts(&b, p)) == MB_OK &&
	    (*out = strdup(mb_buf_cstr(&b))) == NULL)
		rc = MB_ERR_NOMEM;
	mb_buf_free(&b);
	return rc;
}

/*
 * Translates the value of each entry of the array item[field] in place.
 * Headlines and descriptions are plain text unless their contentType is
 * text/html; bodies are HTML unless it is text/plain.
 */
static int
texts(struct ctx *c, json_t *item, const char *field, bool html,
    struct mb_diag *d)
{
	json_t	*arr = json_object_get(item, field), *e;
	size_t	 i;
	int	 rc;

	if (arr == NULL)
		return MB_OK;
	json_array_foreach(arr, i, e) {
		const char	*v = json_string_value(json_object_get(e,
		    "value"));
		const char	*ct = json_string_value(json_object_get(e,
		    "contentType"));
		bool		 plain = !html;
		char		*t;

		if (v == NULL || *v == '\0')
			continue;
		if (ct != NULL)
			plain = strcmp(ct, "text/html") != 0;
		if ((rc = text_one(c, v, strlen(v), plain, &t, d)) != MB_OK) {
			mb_diag_prefix(d, "%s[%zu]", field, i);
			return rc;
		}
		/* A picture in the text: its alt text too. */
		if (!plain && strcmp(field, "bodies") == 0 &&
		    strstr(t, "<img") != NULL) {
			char *t2;

			rc = body_alts(c, t, &t2, d);
			free(t);
			if (rc != MB_OK) {
				mb_diag_prefix(d, "%s[%zu]", field, i);
				return rc;
			}
			t = t2;
		}
		rc = json_object_set_new(e, "value", json_string(t));
		free(t);
		if (rc != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "%s[%zu]: the "
			    "translation is not valid UTF-8", field, i);
	}
	return MB_OK;
}

/*
 * The words of the item's pictures (captions, alt texts), through the
 * same engine path as the headline: a picture whose words are in the
 * language translated from is then in the draft's (its association's
 * "language" mark goes); one marked in another language keeps its words
 * and its mark, for the translator (the publishing gate holds it).
 */
static int
picture_texts(struct ctx *c, json_t *item, struct mb_diag *d)
{
	json_t	*o;
	size_t	 i;
	int	 rc;

	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char	*ml = json_string_value(json_object_get(o,
		    "language"));
		char		 pl[MB_MT_TAG_MAX + 1];

		if (!mb_newsroom_is_media_assoc(o))
			continue;
		if (ml != NULL && (mb_mt_lang_norm(ml, pl, NULL) != MB_OK ||
		    strcmp(pl, c->from) != 0))
			continue;
		if ((rc = texts(c, o, "descriptions", false, d)) != MB_OK) {
			mb_diag_prefix(d, "associations[%zu]", i);
			return rc;
		}
		json_object_del(o, "language");
	}
	return MB_OK;
}

/* The original's envelope, parsed: item and meta (new references). */
static int
parse_env(const struct mb_nr_item *it, json_t **item, json_t **meta,
    struct mb_diag *d)
{
	json_t *root = mb_json_loadb(it->envelope, it->len, 0, NULL);

	if (root == NULL)
		return mb_diag_set(d, MB_ERR_CORRUPT, "the stored envelope "
		    "does not parse");
	*item = json_deep_copy(json_object_get(root, "item"));
	*meta = json_incref(json_object_get(root, "meta"));
	json_decref(root);
	if (*item == NULL || *meta == NULL) {
		json_decref(*item);
		json_decref(*meta);
		return mb_diag_set(d, MB_ERR_CORRUPT, "the stored envelope "
		    "has no item or meta");
	}
	return MB_OK;
}

/*
 * The original's item made into the draft's (before its texts): the
 * copy a pickup makes too (derive.h), in the language translated to.
 */
static void
draft_item(json_t *item, const char *to, const struct mb_actor *a)
{
	mb_newsroom_derive_item(item, a);
	json_object_set_new(item, "language", json_string(to));
}

int
mb_newsroom_translate(const struct mb_newsroom_env *e,
    const struct mb_actor *a, struct mb_mt *mt, const char *uri,
    const char *to, struct mb_nr_saved *out, bool *made, struct mb_diag *d)
{
	struct mb_store_mt_draft	 dr;
	struct mb_mt_glossary		*g = NULL;
	struct mb_nr_item		 orig;
	struct ctx			 c;
	json_t				*item = NULL, *meta = NULL, *nm = NULL;
	const char			*from, *why;
	char				 tl[MB_MT_TAG_MAX + 1];
	char				 fl[MB_MT_TAG_MAX + 1];
	int				 rc;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	memset(&orig, 0, sizeof(orig));
	out->code = "invalid";
	if (mb_actor_role(a) < MB_ROLE_TRANSLATOR) {
		out->code = "forbidden";
		return mb_diag_set(d, MB_ERR_PERM, "a %s cannot make "
		    "translations", mb_role_name(mb_actor_role(a)));
	}
	if (to == NULL || mb_mt_lang_norm(to, tl, d) != MB_OK) {
		mb_diag_prefix(d, "language");
		return MB_ERR_INVAL;
	}
	if (mt == NULL) {
		out->code = "no_engine";
		return mb_diag_set(d, MB_ERR_NOTFOUND, "this center has no "
		    "translation engine (mediabridge engine add)");
	}
	/*
	 * The lenders the registry names now: a pair no engine here has is
	 * asked of a member center that announced it.
	 */
	{
		struct mb_diag ld = { "" };

		if ((rc = mb_mt_share_lenders(mt, e->st, e->center, &ld)) !=
		    MB_OK)
			log_warn("mt: lenders from the registry: %s",
			    mb_diag_msg(&ld, rc));
	}
	if ((rc = mb_newsroom_get(e, a, uri, 0, &orig, d)) != MB_OK) {
		out->code = "not_found";
		return rc;
	}
	if (strcmp(orig.pub_status, "canceled") == 0) {
		out->code = "canceled";
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is canceled: nothing "
		    "to translate", uri);
		goto out;
	}
	if ((rc = parse_env(&orig, &item, &meta, d)) != MB_OK)
		goto out;
	from = json_string_value(json_object_get(item, "language"));
	if (from == NULL || mb_mt_lang_norm(from, fl, d) != MB_OK) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s has no language to "
		    "translate from", uri);
		goto out;
	}
	/*
	 * The item's own language, or a variant of it (an English item to
	 * en-GB): a draft would be a paraphrase, not a translation.
	 */
	if (strcspn(fl, "-") == strcspn(tl, "-") &&
	    strncmp(fl, tl, strcspn(fl, "-")) == 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "language: %s is already in "
		    "%.*s", uri, (int)strcspn(fl, "-"), fl);
		goto out;
	}
	if ((rc = mb_newsroom_glossary(e->st, &g, d)) != MB_OK)
		goto out;
	c.st = e->st;
	c.mt = mt;
	c.g = g;
	c.from = fl;
	c.to = tl;
	/*
	 * Decided once, from the version whose texts are sent: every text
	 * of it (headlines, bodies, their pictures' alt texts, the
	 * pictures' captions) goes through text_one with this need.
	 */
	c.need = mb_newsroom_mt_scope(orig.audience, orig.workflow, &why);
	draft_item(item, tl, a);
	if ((rc = texts(&c, item, "headlines", false, d)) != MB_OK ||
	    (rc = texts(&c, item, "descriptions", false, d)) != MB_OK ||
	    (rc = texts(&c, item, "bodies", true, d)) != MB_OK ||
	    (rc = picture_texts(&c, item, d)) != MB_OK) {
		out->code = rc == MB_ERR_NOTFOUND ? "no_pair" : "engine";
		if (rc == MB_ERR_NOTFOUND && why != NULL)
			mb_diag_prefix(d, "%s is %s, so its text is not sent "
			    "to another center's engine", uri, why);
		goto out;
	}
	if (c.prov == NULL) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s has no headline, "
		    "description or body to translate", uri);
		goto out;
	}
	json_object_set_new(c.prov, "of", json_string(uri));
	json_object_set_new(c.prov, "ofVersion", json_integer(orig.version));
	rc = mb_store_mt_draft_find(e->st, uri, tl, &dr, d);
	if (rc == MB_OK && !mb_newsroom_visible(e, a, dr.uri)) {
		out->code = "forbidden";
		rc = mb_diag_set(d, MB_ERR_PERM, "%s is already translated "
		    "into %s here (%s), in a draft that is not yours: ask an "
		    "editor to make it again", uri, tl, dr.uri);
	} else if (rc == MB_OK) {
		*made = false;
		rc = mb_newsroom_update_translation(e, a, dr.uri, NULL, item,
		    c.prov, out, d);
		item = NULL;
	} else if (rc == MB_ERR_NOTFOUND) {
		*made = true;
		nm = json_pack("{s:s, s:s, s:O}", "workflow", "draft",
		    "audience", orig.audience, "translation", c.prov);
		rc = nm == NULL ? MB_ERR_NOMEM : mb_newsroom_create(e, a, item,
		    nm, out, d);
		item = NULL;
	}
	if (rc != MB_OK)
		goto out;
	if (mb_store_mt_draft_put(e->st, out->uri, uri, orig.version, tl,
	    mb_time_now_ms(), d) != MB_OK)
		log_warn("mt: draft %s not recorded: %s", out->uri,
		    mb_diag_msg(d, MB_ERR_STORE));
	log_info("mt: machine draft uri=%s of=%s version=%lld pair=%s|%s "
	    "made=%zu cached=%zu", out->uri, uri, (long long)orig.version, fl,
	    tl, c.made, c.cached);
out:
	json_decref(item);
	json_decref(meta);
	json_decref(nm);
	json_decref(c.prov);
	mb_mt_glossary_free(g);
	mb_nr_item_free(&orig);
	return rc;
}

/* ---- staleness ------------------------------------------------------------ */

static int
version_cb(const struct mb_store_version *v, void *arg)
{
	*(int64_t *)arg = v->version;
	return MB_OK;
}

bool
mb_newsroom_translation_stale(struct mb_store *st, const json_t *meta,
    int64_t *current)
{
	const json_t	*tr = json_object_get(meta, "translation");
	const char	*of = json_string_value(json_object_get(tr, "of"));
	json_int_t	 ofv = json_integer_value(json_object_get(tr,
	    "ofVersion"));
	int64_t		 cur = 0;

	*current = 0;
	if (of == NULL || ofv < 1 || mb_store_get(st, of, 0, version_cb, &cur,
	    NULL) != MB_OK)
		return false;
	*current = cur;
	return cur > ofv;
}
