/* SPDX-License-Identifier: MIT */
/* Message catalogs: loading, lookup with fallback, plurals, numbers, dates. */
#include "i18n.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/utf8.h"
#include "i18n_cldr.h"

#define CATALOG_MAX_BYTES (1024 * 1024)
#define MAX_CATALOGS 64

struct msg {
	char	*key;
	char	*value;
};

struct mb_catalog {
	char			 lang[16];
	struct msg		*msgs;		/* sorted by key */
	size_t			 n;
	bool			 rtl;
	struct mb_cldr		*cldr;		/* plurals, numbers, dates */
	const struct mb_catalog	*fallback;	/* English; NULL for it */
};

struct mb_i18n {
	struct mb_catalog	*cats[MAX_CATALOGS];	/* sorted by lang */
	size_t			 n;
};

static void
catalog_free(struct mb_catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->msgs[i].key);
		free(c->msgs[i].value);
	}
	free(c->msgs);
	mb_cldr_free(c->cldr);
	free(c);
}

int
mb_i18n_new(struct mb_i18n **out)
{
	struct mb_i18n *i = calloc(1, sizeof(*i));

	if (i == NULL)
		return MB_ERR_NOMEM;
	*out = i;
	return MB_OK;
}

void
mb_i18n_free(struct mb_i18n *i)
{
	if (i == NULL)
		return;
	for (size_t k = 0; k < i->n; k++)
		catalog_free(i->cats[k]);
	free(i);
}

static int
msg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct msg *)a)->key,
	    ((const struct msg *)b)->key);
}

static const char *
lookup(const struct mb_catalog *c, const char *key)
{
	struct msg	 k = { (char *)key, NULL }, *m;

	for (; c != NULL; c = c->fallback) {
		m = bsearch(&k, c->msgs, c->n, sizeof(*m), msg_cmp);
		if (m != NULL)
			return m->value;
	}
	return NULL;
}

static char *
trim(char *s, char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*e = '\0';
	return s;
}

static bool
key_valid(const char *k)
{
	if (*k == '\0')
		return false;
	for (; *k != '\0'; k++)
		if (!isalnum((unsigned char)*k) && strchr("._-[]", *k) ==
		    NULL)
			return false;
	return true;
}

static void
relink(struct mb_i18n *i)
{
	const struct mb_catalog *en = mb_i18n_get(i, "en");

	for (size_t k = 0; k < i->n; k++)
		i->cats[k]->fallback = i->cats[k] == en ? NULL : en;
}

int
mb_i18n_add(struct mb_i18n *i, const char *lang, const char *text,
    size_t len, struct mb_diag *d)
{
	struct mb_catalog	*c;
	char			*copy, *p, *end, *nl;
	size_t			 cap = 0, line = 0, k;
	const char		*v, *loc;
	int			 rc = MB_OK;

	if (strlen(lang) < 2 || strlen(lang) > 8)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: not a language code",
		    lang);
	if (!mb_utf8_valid(text, len))
		return mb_diag_set(d, MB_ERR_INVAL, "%s.msg: not UTF-8", lang);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return MB_ERR_NOMEM;
	snprintf(c->lang, sizeof(c->lang), "%s", lang);
	if ((copy = malloc(len + 1)) == NULL) {
		free(c);
		return MB_ERR_NOMEM;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (p = copy, end = copy + len; p < end; p = nl + 1) {
		char *eq, *key, *val;

		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		key = trim(p, nl);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s.msg:%zu: want "
			    "\"key = text\"", lang, line);
			goto fail;
		}
		val = trim(eq + 1, eq + strlen(eq));
		key = trim(key, eq);
		if (!key_valid(key)) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s.msg:%zu: bad key "
			    "\"%.40s\"", lang, line, key);
			goto fail;
		}
		if (c->n == cap) {
			struct msg *nm;

			cap = cap ? cap * 2 : 64;
			if ((nm = realloc(c->msgs, cap * sizeof(*nm))) ==
			    NULL) {
				rc = MB_ERR_NOMEM;
				goto fail;
			}
			c->msgs = nm;
		}
		c->msgs[c->n].key = strdup(key);
		c->msgs[c->n].value = strdup(val);
		if (c->msgs[c->n].key == NULL || c->msgs[c->n].value == NULL) {
			free(c->msgs[c->n].key);
			free(c->msgs[c->n].value);
			rc = MB_ERR_NOMEM;
			goto fail;
		}
		c->n++;
	}
	if (c->n > 0)
		qsort(c->msgs, c->n, sizeof(*c->msgs), msg_cmp);
	for (k = 1; k < c->n; k++)
		if (strcmp(c->msgs[k - 1].key, c->msgs[k].key) == 0) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s.msg: %s is given "
			    "twice", lang, c->msgs[k].key);
			goto fail;
		}
	/* CLDR's data for the language (or the locale the catalog names,
	 * "en-001"), in the digits it asks for; the direction it states,
	 * else its script's. */
	loc = lookup(c, "locale");
	if (loc == NULL)
		loc = lang;
	if ((rc = mb_cldr_open(loc, lookup(c, "digits"), &c->cldr, d)) !=
	    MB_OK) {
		mb_diag_prefix(d, "%s.msg", lang);
		goto fail;
	}
	v = lookup(c, "lang.dir");
	c->rtl = v != NULL ? strcmp(v, "rtl") == 0 : mb_cldr_rtl(loc);
	free(copy);
	/* Replace a catalog of the same language, or insert in order. */
	for (k = 0; k < i->n; k++) {
		int cmp = strcmp(i->cats[k]->lang, lang);

		if (cmp == 0) {
			catalog_free(i->cats[k]);
			i->cats[k] = c;
			relink(i);
			return MB_OK;
		}
		if (cmp > 0)
			break;
	}
	if (i->n == MAX_CATALOGS) {
		catalog_free(c);
		return mb_diag_set(d, MB_ERR_TOOBIG, "more than %d catalogs",
		    MAX_CATALOGS);
	}
	memmove(&i->cats[k + 1], &i->cats[k], (i->n - k) * sizeof(c));
	i->cats[k] = c;
	i->n++;
	relink(i);
	return MB_OK;
fail:
	free(copy);
	catalog_free(c);
	return rc;
}

/*
 * Appends to *buf the catalog of the same name in each subfolder of dir:
 * every domain (members, events, courses, …) keeps its strings in
 * DIR/<domain>/<lang>.msg, so that domains added side by side never edit
 * the same file. A key given both here and in a domain is refused as
 * given twice, like any other.
 */
static int
add_domains(const char *dir, const char *name, char **buf, size_t *len,
    struct mb_diag *d)
{
	struct dirent	*e;
	DIR		*dp;
	char		 sub[1200], path[1400], *more, *grown;
	size_t		 mlen;
	int		 rc = MB_OK;

	if ((dp = opendir(dir)) == NULL)
		return mb_diag_set(d, MB_ERR_IO, "%s: cannot read the message "
		    "catalogs", dir);
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.' ||
		    mb_fs_join(sub, sizeof(sub), dir, e->d_name) != MB_OK ||
		    mb_fs_join(path, sizeof(path), sub, name) != MB_OK ||
		    access(path, R_OK) != 0)
			continue;
		if ((rc = mb_fs_read(path, CATALOG_MAX_BYTES, &more, &mlen,
		    d)) != MB_OK)
			break;
		if (*len + mlen + 2 > 4 * CATALOG_MAX_BYTES ||
		    (grown = realloc(*buf, *len + mlen + 2)) == NULL) {
			free(more);
			rc = mb_diag_set(d, MB_ERR_TOOBIG, "%s: the catalogs "
			    "of %s are too large", dir, name);
			break;
		}
		grown[(*len)++] = '\n';
		memcpy(grown + *len, more, mlen);
		*len += mlen;
		grown[*len] = '\0';
		*buf = grown;
		free(more);
	}
	closedir(dp);
	return rc;
}

int
mb_i18n_load(const char *dir, struct mb_i18n **out, struct mb_diag *d)
{
	struct mb_i18n	*i;
	struct dirent	*e;
	DIR		*dp;
	char		 path[1200], lang[16], *buf;
	size_t		 len, nl;
	int		 rc = MB_OK;

	if ((dp = opendir(dir)) == NULL)
		return mb_diag_set(d, MB_ERR_IO, "%s: cannot read the message "
		    "catalogs", dir);
	if ((rc = mb_i18n_new(&i)) != MB_OK) {
		closedir(dp);
		return rc;
	}
	while ((e = readdir(dp)) != NULL) {
		nl = strlen(e->d_name);
		if (nl < 5 || nl - 4 >= sizeof(lang) ||
		    strcmp(e->d_name + nl - 4, ".msg") != 0)
			continue;
		memcpy(lang, e->d_name, nl - 4);
		lang[nl - 4] = '\0';
		if ((rc = mb_fs_join(path, sizeof(path), dir, e->d_name)) !=
		    MB_OK || (rc = mb_fs_read(path, CATALOG_MAX_BYTES, &buf,
		    &len, d)) != MB_OK)
			break;
		if ((rc = add_domains(dir, e->d_name, &buf, &len, d)) == MB_OK)
			rc = mb_i18n_add(i, lang, buf, len, d);
		free(buf);
		if (rc != MB_OK)
			break;
	}
	closedir(dp);
	if (rc == MB_OK && mb_i18n_get(i, "en") == NULL)
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: no en.msg (the "
		    "fallback catalog)", dir);
	if (rc != MB_OK) {
		mb_i18n_free(i);
		return rc;
	}
	*out = i;
	return MB_OK;
}

/* The lower-cased primary subtag of tag into out[16]; its length. */
static size_t
primary(const char *tag, char out[16])
{
	size_t n = 0;

	if (tag == NULL)
		return 0;
	while (tag[n] != '\0' && tag[n] != '-' && tag[n] != '_' && n < 15) {
		if (!isalpha((unsigned char)tag[n]))
			return 0;
		out[n] = (char)tolower((unsigned char)tag[n]);
		n++;
	}
	out[n] = '\0';
	return n;
}

const struct mb_catalog *
mb_i18n_get(const struct mb_i18n *i, const char *lang)
{
	char p[16];

	if (primary(lang, p) < 2)
		return NULL;
	for (size_t k = 0; k < i->n; k++)
		if (strcmp(i->cats[k]->lang, p) == 0)
			return i->cats[k];
	return NULL;
}

const struct mb_catalog *
mb_i18n_default(const struct mb_i18n *i)
{
	const struct mb_catalog *c = mb_i18n_get(i, "en");

	return c != NULL ? c : (i->n > 0 ? i->cats[0] : NULL);
}

size_t
mb_i18n_count(const struct mb_i18n *i)
{
	return i->n;
}

const struct mb_catalog *
mb_i18n_at(const struct mb_i18n *i, size_t n)
{
	return n < i->n ? i->cats[n] : NULL;
}

/*
 * The next entry of an Accept-Language list ("fr-CH, fr;q=0.9, en;q=0"):
 * its tag and weight; false at the end.
 */
static bool
al_next(const char **pp, char *tag, size_t size, double *q)
{
	const char	*p = *pp, *semi, *comma, *end;
	size_t		 n = 0;

	if (p == NULL || *p == '\0')
		return false;
	comma = strchr(p, ',');
	end = comma ? comma : p + strlen(p);
	*q = 1.0;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p + n < end && p[n] != ';' && p[n] != ' ' && n < size - 1) {
		tag[n] = p[n];
		n++;
	}
	tag[n] = '\0';
	semi = memchr(p, ';', (size_t)(end - p));
	if (semi != NULL) {
		const char *qp = strstr(semi, "q=");

		if (qp != NULL && qp < end)
			*q = strtod(qp + 2, NULL);
	}
	*pp = comma ? comma + 1 : NULL;
	return true;
}

/* Whether the reader's Accept-Language refuses c ("ar;q=0"). */
static bool
refused(const struct mb_i18n *i, const char *accept_language,
    const struct mb_catalog *c)
{
	const char	*p = accept_language;
	char		 tag[40];
	double		 q;

	while (al_next(&p, tag, sizeof(tag), &q))
		if (q <= 0 && mb_i18n_get(i, tag) == c)
			return true;
	return false;
}

const struct mb_catalog *
mb_i18n_negotiate_or(const struct mb_i18n *i, const char *choice,
    const char *accept_language, const char *dflt)
{
	const struct mb_catalog	*best = NULL, *c;
	double			 best_q = 0, q;
	const char		*p = accept_language;
	char			 tag[40];

	if (choice != NULL && (c = mb_i18n_get(i, choice)) != NULL)
		return c;
	/* "fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5": the first of the highest q. */
	while (al_next(&p, tag, sizeof(tag), &q))
		if (q > best_q && q <= 1.0 && (c = mb_i18n_get(i, tag)) !=
		    NULL) {
			best = c;
			best_q = q;
		}
	if (best != NULL)
		return best;
	/*
	 * The first of dflt's languages ("ar,en") that has a catalog, then
	 * English, then any: each unless the reader refused it with q=0
	 * ("ar;q=0" is "not Arabic", not "no preference").
	 */
	for (p = dflt; p != NULL && *p != '\0';) {
		size_t n;

		p += strspn(p, ", ");
		n = strcspn(p, ", ");
		if (n > 0 && n < sizeof(tag)) {
			memcpy(tag, p, n);
			tag[n] = '\0';
			if ((c = mb_i18n_get(i, tag)) != NULL &&
			    !refused(i, accept_language, c))
				return c;
		}
		p += n;
	}
	if ((c = mb_i18n_default(i)) != NULL &&
	    !refused(i, accept_language, c))
		return c;
	for (size_t k = 0; k < i->n; k++)
		if (!refused(i, accept_language, i->cats[k]))
			return i->cats[k];
	return mb_i18n_default(i);
}

const struct mb_catalog *
mb_i18n_negotiate(const struct mb_i18n *i, const char *choice,
    const char *accept_language)
{
	return mb_i18n_negotiate_or(i, choice, accept_language, NULL);
}

bool
mb_i18n_tag_shaped(const char *s, size_t n)
{
	size_t k = 0, sub;

	/* A primary subtag of two or three letters ... */
	while (k < n && k < 4 && isalpha((unsigned char)s[k]))
		k++;
	if (k < 2 || k > 3)
		return false;
	/* ... then subtags of one to eight letters or digits (es-419). */
	while (k < n) {
		if (s[k] != '-' && s[k] != '_')
			return false;
		for (k++, sub = 0; k < n && isalnum((unsigned char)s[k]);
		    k++)
			sub++;
		if (sub < 1 || sub > 8)
			return false;
	}
	return true;
}



const char *
mb_catalog_lang(const struct mb_catalog *c)
{
	return c->lang;
}

bool
mb_catalog_rtl(const struct mb_catalog *c)
{
	return c->rtl;
}

const char *
mb_catalog_get(const struct mb_catalog *c, const char *key)
{
	const char *v = c != NULL ? lookup(c, key) : NULL;

	return v != NULL ? v : key;
}

enum mb_plural
mb_plural_of(const char *lang, int64_t n)
{
	struct mb_cldr	*c;
	char		 p[16];
	enum mb_plural	 k;

	if (primary(lang, p) < 2 || mb_cldr_open(p, NULL, &c, NULL) != MB_OK)
		return n == 1 || n == -1 ? MB_PLURAL_ONE : MB_PLURAL_OTHER;
	k = mb_cldr_plural(c, n);
	mb_cldr_free(c);
	return k;
}

unsigned
mb_catalog_categories(const struct mb_catalog *c)
{
	return mb_cldr_categories(c != NULL ? c->cldr : NULL);
}

size_t
mb_catalog_count(const struct mb_catalog *c)
{
	return c->n;
}

const char *
mb_catalog_key(const struct mb_catalog *c, size_t n)
{
	return n < c->n ? c->msgs[n].key : NULL;
}

bool
mb_catalog_has(const struct mb_catalog *c, const char *key)
{
	struct msg k = { (char *)key, NULL };

	return c != NULL && bsearch(&k, c->msgs, c->n, sizeof(k), msg_cmp) !=
	    NULL;
}

const char *
mb_catalog_plural(const struct mb_catalog *c, const char *key, int64_t n)
{
	static const char *const names[] = { "zero", "one", "two", "few",
		"many", "other" };
	char		 k[160];
	const char	*v;

	if (c == NULL)
		return key;
	snprintf(k, sizeof(k), "%s[%s]", key,
	    names[mb_cldr_plural(c->cldr, n)]);
	if ((v = lookup(c, k)) != NULL)
		return v;
	snprintf(k, sizeof(k), "%s[other]", key);
	if ((v = lookup(c, k)) != NULL)
		return v;
	return mb_catalog_get(c, key);
}

int
mb_catalog_format_int(const struct mb_catalog *c, int64_t n,
    struct mb_buf *out)
{
	return mb_cldr_format_int(c != NULL ? c->cldr : NULL, n, out);
}

int
mb_catalog_format_datetime(const struct mb_catalog *c, int64_t ms,
    struct mb_buf *out)
{
	char	iso[24];
	time_t	t = (time_t)(ms / 1000);
	struct tm tm;

	if (c != NULL && mb_cldr_format_datetime(c->cldr, ms, out) == MB_OK)
		return MB_OK;
	if (gmtime_r(&t, &tm) == NULL)
		return mb_buf_puts(out, "?");
	strftime(iso, sizeof(iso), "%Y-%m-%d %H:%M UTC", &tm);
	return mb_buf_puts(out, iso);
}

int
mb_catalog_format_date(const struct mb_catalog *c, int64_t ms,
    struct mb_buf *out)
{
	char	iso[16];
	time_t	t = (time_t)(ms / 1000);
	struct tm tm;

	if (c != NULL && mb_cldr_format_date(c->cldr, ms, out) == MB_OK)
		return MB_OK;
	/* No formatter: the date still reads, in ISO 8601. */
	if (gmtime_r(&t, &tm) == NULL)
		return mb_buf_puts(out, "?");
	strftime(iso, sizeof(iso), "%Y-%m-%d", &tm);
	return mb_buf_puts(out, iso);
}

int
mb_i18n_subst(const char *msg, const char *arg, struct mb_buf *out)
{
	const char *p = strstr(msg, "{}");

	if (p == NULL)
		return mb_buf_puts(out, msg);
	if (mb_buf_append(out, msg, (size_t)(p - msg)) != MB_OK ||
	    mb_buf_puts(out, arg != NULL ? arg : "") != MB_OK)
		return MB_ERR_NOMEM;
	return mb_buf_puts(out, p + 2);
}
