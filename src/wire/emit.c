/* SPDX-License-Identifier: MIT */
/*
 * An entry, as any format's parser found it, mapped to ninjs once: its
 * identity, absolute links, plain-text headline and summary, dates, the
 * source in infoSources and the entry's link in altIds.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "base/timeutil.h"
#include "wire_int.h"

void
mb_wire__entry_init(struct wire_entry *e)
{
	memset(e, 0, sizeof(*e));
}

void
mb_wire__entry_free(struct wire_entry *e)
{
	mb_buf_free(&e->id);
	mb_buf_free(&e->link);
	mb_buf_free(&e->title);
	mb_buf_free(&e->body);
	mb_buf_free(&e->summary);
	mb_buf_free(&e->lang);
	mb_buf_free(&e->base);
	mb_buf_free(&e->by);
	json_decref(e->subjects);
	json_decref(e->media);
	json_decref(e->assocs);
	json_decref(e->altids);
	json_decref(e->sources);
	memset(e, 0, sizeof(*e));
}

int
mb_wire__entry_subject(struct wire_entry *e, const char *name,
    const char *uri)
{
	json_t	*s, *v;
	size_t	 i;

	if (name == NULL || name[0] == '\0' || strlen(name) > 200)
		return MB_OK;
	if (e->subjects == NULL && (e->subjects = json_array()) == NULL)
		return MB_ERR_NOMEM;
	json_array_foreach(e->subjects, i, v)
		if (strcmp(json_string_value(json_object_get(v, "name")),
		    name) == 0)
			return MB_OK;
	if (json_array_size(e->subjects) >= 50)
		return MB_OK;
	if ((s = json_pack("{ss}", "name", name)) == NULL)
		return MB_ERR_NOMEM;
	if (uri != NULL && uri[0] != '\0' && strchr(uri, ':') != NULL) {
		struct mb_buf u = MB_BUF_INIT;

		if (mb_wire__uri_escape(uri, &u) == MB_OK)
			json_object_set_new(s, "uri",
			    json_string(mb_buf_cstr(&u)));
		mb_buf_free(&u);
	}
	if (json_array_append_new(e->subjects, s) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

int
mb_wire__entry_media(struct wire_entry *e, const char *href,
    const char *type, long width, long height)
{
	json_t	*m, *v;
	size_t	 i;

	if (href == NULL || href[0] == '\0')
		return MB_OK;
	if (e->media == NULL && (e->media = json_array()) == NULL)
		return MB_ERR_NOMEM;
	json_array_foreach(e->media, i, v)
		if (strcmp(json_string_value(json_object_get(v, "href")),
		    href) == 0)
			return MB_OK;
	if (json_array_size(e->media) >= 20)
		return MB_OK;
	if ((m = json_pack("{ss}", "href", href)) == NULL)
		return MB_ERR_NOMEM;
	if (type != NULL && type[0] != '\0')
		json_object_set_new(m, "contentType", json_string(type));
	if (width > 0 && width < 100000)
		json_object_set_new(m, "width", json_integer(width));
	if (height > 0 && height < 100000)
		json_object_set_new(m, "height", json_integer(height));
	if (json_array_append_new(e->media, m) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

int
mb_wire__entry_by(struct wire_entry *e, const char *name)
{
	struct mb_buf	n = MB_BUF_INIT;
	int		rc;

	if (name == NULL)
		return MB_OK;
	if ((rc = mb_buf_puts(&n, name)) != MB_OK)
		goto out;
	mb_wire__squash(&n);
	if (n.len == 0 || (e->by.len > 0 && strstr(mb_buf_cstr(&e->by),
	    mb_buf_cstr(&n)) != NULL))
		goto out;
	if (e->by.len > 0 && (rc = mb_buf_puts(&e->by, ", ")) != MB_OK)
		goto out;
	rc = mb_buf_append(&e->by, n.data, n.len);
out:
	mb_buf_free(&n);
	return rc;
}

/* A language tag as BCP 47 shapes it ("en", "pt-BR"), else false. */
static bool
lang_ok(const char *s)
{
	size_t	i, run = 0, n = strlen(s);

	if (n < 2 || n > 35 || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '_') {
			if (run == 0)
				return false;
			run = 0;
		} else if (!isalnum((unsigned char)s[i]) || ++run > 8)
			return false;
	}
	return run > 0;
}

/* "en_us" / "EN-us" to "en-US". */
static void
lang_norm(struct mb_buf *b)
{
	size_t	i, part = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '_' || b->data[i] == '-') {
			b->data[i] = '-';
			part++;
			continue;
		}
		b->data[i] = (char)(part > 0 && i > 0 && b->len - i <= 2 &&
		    strchr(b->data + i, '-') == NULL ?
		    toupper((unsigned char)b->data[i]) :
		    tolower((unsigned char)b->data[i]));
	}
}

static int
set_str(json_t *o, const char *k, const char *v)
{
	return json_object_set_new(o, k, json_string(v)) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

static int
set_time(json_t *o, const char *k, int64_t ms)
{
	char	t[MB_TIME_RFC3339_LEN];

	mb_time_format(ms, t);
	return set_str(o, k, t);
}

/* "sha256:" of what the entry says, for entries with neither id nor link. */
static int
content_key(const struct wire_entry *e, struct mb_buf *key)
{
	crypto_hash_sha256_state	s;
	unsigned char			h[crypto_hash_sha256_BYTES];
	char				hex[2 * sizeof(h) + 1];

	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, (const unsigned char *)
	    mb_buf_cstr(&e->title), e->title.len + 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)
	    mb_buf_cstr(&e->body), e->body.len + 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)
	    mb_buf_cstr(&e->summary), e->summary.len);
	crypto_hash_sha256_final(&s, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return mb_buf_printf(key, "sha256:%s", hex);
}

/* Associations from the pictures and enclosures. */
static json_t *
media_assocs(const struct wire_entry *e, json_t *assocs, const char *base)
{
	struct mb_buf	 href = MB_BUF_INIT;
	json_t		*m, *a, *r;
	size_t		 i;
	char		 name[32];

	json_array_foreach(e->media, i, m) {
		const char *ct = json_string_value(json_object_get(m,
		    "contentType"));
		const char *nat = "picture";

		if (ct != NULL && strncmp(ct, "audio/", 6) == 0)
			nat = "audio";
		else if (ct != NULL && strncmp(ct, "video/", 6) == 0)
			nat = "video";
		else if (ct != NULL && strncmp(ct, "image/", 6) != 0)
			nat = "component";
		snprintf(name, sizeof(name), "media%zu", i + 1);
		mb_buf_reset(&href);
		if (mb_wire_resolve(base, json_string_value(json_object_get(m,
		    "href")), &href) != MB_OK ||
		    (strncmp(mb_buf_cstr(&href), "http://", 7) != 0 &&
		    strncmp(mb_buf_cstr(&href), "https://", 8) != 0))
			continue;	/* only what a client may fetch */
		if ((r = json_deep_copy(m)) == NULL ||
		    json_object_set_new(r, "name", json_string("original")) ||
		    json_object_set_new(r, "href",
		    json_string(mb_buf_cstr(&href))) ||
		    (a = json_pack("{ss ss ss s[o]}", "name", name, "type", nat,
		    "uri", mb_buf_cstr(&href), "renditions", r)) == NULL ||
		    json_array_append_new(assocs, a) != 0) {
			mb_buf_free(&href);
			return NULL;
		}
	}
	mb_buf_free(&href);
	return assocs;
}

int
mb_wire__emit(struct mb_wire_feed *f, const struct mb_wire_opts *o,
    struct wire_entry *e, struct mb_diag *d)
{
	struct mb_buf	 base = MB_BUF_INIT, link = MB_BUF_INIT,
			 t = MB_BUF_INIT, key = MB_BUF_INIT;
	const char	*baseurl;
	json_t		*item = NULL, *ent = NULL, *src, *alt;
	size_t		 max = o->max_entries != 0 ? o->max_entries :
			    MB_WIRE_MAX_ENTRIES;
	int		 rc = MB_ERR_NOMEM;

	if (json_array_size(f->entries) >= max)
		return mb_diag_set(d, MB_ERR_TOOBIG, "more than %zu entries",
		    max);
	baseurl = e->base.len > 0 ? mb_buf_cstr(&e->base) :
	    (o->url != NULL ? o->url : "");
	if ((item = json_object()) == NULL ||
	    set_str(item, "type", e->type != NULL ? e->type : "text"))
		goto out;
	/* The link first: it is the body's base when none is declared. */
	if (e->link.len > 0 && (rc = mb_wire_resolve(baseurl,
	    mb_buf_cstr(&e->link), &link)) != MB_OK) {
		mb_buf_reset(&link);
		rc = MB_ERR_NOMEM;
	}
	mb_wire__squash(&e->title);
	if (e->title_html && (strchr(mb_buf_cstr(&e->title), '<') != NULL ||
	    strchr(mb_buf_cstr(&e->title), '&') != NULL)) {
		if (mb_wire__html_text(mb_buf_cstr(&e->title), &t) != MB_OK)
			goto out;
		mb_buf_reset(&e->title);
		if (mb_buf_append(&e->title, mb_buf_cstr(&t), t.len) != MB_OK)
			goto out;
	}
	if (e->title.len == 0 && e->summary.len == 0 && e->body.len == 0) {
		/* An entry that says nothing is skipped, not an error. */
		rc = MB_OK;
		goto out;
	}
	if (e->title.len > 0 && json_object_set_new(item, "headlines",
	    json_pack("[{ss}]", "value", mb_buf_cstr(&e->title))) != 0)
		goto out;
	if (e->body.len > 0) {
		mb_buf_reset(&t);
		if (mb_wire__html_resolve(mb_buf_cstr(&e->body), baseurl,
		    &t) != MB_OK ||
		    json_object_set_new(item, "bodies", json_pack("[{ss ss "
		    "ss}]", "role", "main", "contentType", "text/html",
		    "value", mb_buf_cstr(&t))) != 0)
			goto out;
	}
	if (e->summary.len > 0) {
		mb_buf_reset(&t);
		if (e->summary_html) {
			if (mb_wire__html_text(mb_buf_cstr(&e->summary), &t) !=
			    MB_OK)
				goto out;
		} else if (mb_buf_append(&t, e->summary.data, e->summary.len) !=
		    MB_OK)
			goto out;
		mb_wire__squash(&t);
		if (t.len > 0 && json_object_set_new(item, "descriptions",
		    json_pack("[{ss ss ss}]", "role", "summary", "contentType",
		    "text/plain", "value", mb_buf_cstr(&t))) != 0)
			goto out;
	}
	if (e->published_ms == 0)
		e->published_ms = e->updated_ms;
	if (e->updated_ms < e->published_ms)
		e->updated_ms = e->published_ms;
	if (e->published_ms != 0 &&
	    (set_time(item, "firstCreated", e->published_ms) != MB_OK ||
	    set_time(item, "versionCreated", e->updated_ms) != MB_OK))
		goto out;
	/* An agency's stop and embargo hold here as on its own wire. */
	if (e->pub_status != NULL && set_str(item, "pubStatus",
	    e->pub_status) != MB_OK)
		goto out;
	if (e->embargo_ms != 0 && set_time(item, "embargoedUntil",
	    e->embargo_ms) != MB_OK)
		goto out;
	mb_wire__squash(&e->lang);
	if (e->lang.len == 0 && f->language != NULL)
		mb_buf_puts(&e->lang, f->language);
	lang_norm(&e->lang);
	if (lang_ok(mb_buf_cstr(&e->lang)) &&
	    set_str(item, "language", mb_buf_cstr(&e->lang)) != MB_OK)
		goto out;
	if (e->by.len > 0 && set_str(item, "by", mb_buf_cstr(&e->by)) != MB_OK)
		goto out;
	if (e->subjects != NULL &&
	    json_object_set(item, "subjects", e->subjects) != 0)
		goto out;
	if ((src = json_pack("{ss}", "role", "feed")) == NULL ||
	    json_object_set_new(item, "infoSources", json_pack("[o]", src)) !=
	    0)
		goto out;
	if (f->title != NULL && f->title[0] != '\0')
		json_object_set_new(src, "name", json_string(f->title));
	if (o->url != NULL && strncmp(o->url, "http", 4) == 0) {
		mb_buf_reset(&t);
		if (mb_wire__uri_escape(o->url, &t) != MB_OK)
			goto out;
		json_object_set_new(src, "uri", json_string(mb_buf_cstr(&t)));
	}
	if (e->sources != NULL && json_array_extend(json_object_get(item,
	    "infoSources"), e->sources) != 0)
		goto out;
	if ((alt = e->altids != NULL ? json_incref(e->altids) : json_array()) ==
	    NULL || json_object_set_new(item, "altIds", alt) != 0)
		goto out;
	if (link.len > 0 && json_array_append_new(alt, json_pack("{ss ss}",
	    "role", "link", "value", mb_buf_cstr(&link))) != 0)
		goto out;
	if (e->id.len > 0 && json_array_append_new(alt, json_pack("{ss ss}",
	    "role", "guid", "value", mb_buf_cstr(&e->id))) != 0)
		goto out;
	if (json_array_size(alt) == 0)
		json_object_del(item, "altIds");
	if (e->media != NULL || e->assocs != NULL) {
		json_t *as = e->assocs != NULL ? json_incref(e->assocs) :
		    json_array();

		if (as == NULL || (e->media != NULL &&
		    media_assocs(e, as, baseurl) == NULL) ||
		    json_object_set_new(item, "associations", as) != 0)
			goto out;
	}
	mb_wire__squash(&e->id);
	if (e->id.len > 0)
		rc = mb_buf_append(&key, e->id.data, e->id.len);
	else if (link.len > 0)
		rc = mb_buf_append(&key, link.data, link.len);
	else
		rc = content_key(e, &key);
	if (rc != MB_OK)
		goto out;
	rc = MB_ERR_NOMEM;
	if ((ent = json_pack("{ss sO}", "key", mb_buf_cstr(&key), "item",
	    item)) == NULL || json_array_append_new(f->entries, ent) != 0)
		goto out;
	rc = MB_OK;
out:
	json_decref(item);
	mb_buf_free(&base);
	mb_buf_free(&link);
	mb_buf_free(&t);
	mb_buf_free(&key);
	return rc;
}
