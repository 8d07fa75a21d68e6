/* SPDX-License-Identifier: MIT */
/* A center's names in other languages and the pairs it lends: checked,
 * stored in canonical form, and read back (names.h). */
#include "names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* ISO 639-1, from Debian's iso-codes (iso_639-2.json's alpha_2). */
static const char known[] =
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca "
    "ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj "
    "fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii "
    "ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la "
    "lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng "
    "nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa "
    "sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk "
    "tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu ";

/*
 * Normalizes a tag of known primary language into out (n bytes): "EN" ->
 * "en", "zh-hans" -> "zh-Hans", "pt-br" -> "pt-BR". -1 when it is not one.
 */
static int
tag_norm(const char *tag, char *out, size_t n)
{
	size_t	len, i, start = 0, k;
	char	p[3];

	if (tag == NULL || (len = strlen(tag)) < 2 || len >= n)
		return -1;
	for (i = 0; i <= len; i++) {
		char c = tag[i];

		if (c == '-' || c == '_' || c == '\0') {
			k = i - start;
			if (k == 0 || k > 8)
				return -1;
			for (size_t j = start; j < i; j++) {
				char x = tag[j];

				if (start == 0)
					x = (char)tolower((unsigned char)x);
				else if (k == 4)
					x = (char)(j == start ?
					    toupper((unsigned char)x) :
					    tolower((unsigned char)x));
				else if (k == 2)
					x = (char)toupper((unsigned char)x);
				else
					x = (char)tolower((unsigned char)x);
				out[j] = x;
			}
			out[i] = c == '\0' ? '\0' : '-';
			if (start == 0 && k != 2)
				return -1;
			start = i + 1;
			continue;
		}
		if (!isalnum((unsigned char)c) || (start == 0 &&
		    !isalpha((unsigned char)c)))
			return -1;
	}
	p[0] = out[0];
	p[1] = out[1];
	p[2] = '\0';
	{
		const char *f = strstr(known, p);

		/* Every code in the table is two letters then a space. */
		while (f != NULL && ((f - known) % 3) != 0)
			f = strstr(f + 1, p);
		if (f == NULL)
			return -1;
	}
	return 0;
}

bool
mb_lang_known(const char *tag)
{
	char t[36];

	return tag_norm(tag, t, sizeof(t)) == 0;
}

/* ---- names ------------------------------------------------------------- */

static int
name_check(const char *lang, const char *name, struct mb_diag *d)
{
	size_t len = strlen(name);

	if (len > MB_CENTER_NAME_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "name in %s: %zu bytes, at "
		    "most %d", lang, len, MB_CENTER_NAME_MAX);
	if (!mb_utf8_valid(name, len))
		return mb_diag_set(d, MB_ERR_INVAL, "name in %s: not valid "
		    "UTF-8", lang);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return mb_diag_set(d, MB_ERR_INVAL, "name in %s: a "
			    "control character", lang);
	/* Only spaces is no name. */
	for (size_t i = 0; i < len; i++)
		if (name[i] != ' ')
			return MB_OK;
	return mb_diag_set(d, MB_ERR_INVAL, "name in %s: empty", lang);
}

/* Writes o (an object of checked names) to c->names, canonical. */
static int
names_store(struct mb_center *c, json_t *o, struct mb_diag *d)
{
	char *s;

	if (json_object_size(o) == 0) {
		c->names[0] = '\0';
		return MB_OK;
	}
	if ((s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if (strlen(s) >= sizeof(c->names)) {
		free(s);
		return mb_diag_set(d, MB_ERR_INVAL, "names: too long together");
	}
	memcpy(c->names, s, strlen(s) + 1);
	free(s);
	return MB_OK;
}

json_t *
mb_center_names_json(const struct mb_center *c)
{
	json_t *o;

	if (c->names[0] == '\0')
		return NULL;
	o = json_loads(c->names, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
mb_center_names_from_json(struct mb_center *c, const json_t *names,
    struct mb_diag *d)
{
	json_t		*o, *v;
	const char	*k;
	char		 t[36];
	int		 rc;

	if (names == NULL || json_is_null(names)) {
		c->names[0] = '\0';
		return MB_OK;
	}
	if (!json_is_object(names))
		return mb_diag_set(d, MB_ERR_INVAL, "names: not an object of "
		    "language: name");
	if (json_object_size(names) > MB_CENTER_NAMES_MAX)
		return mb_diag_set(d, MB_ERR_INVAL, "names: %zu languages, at "
		    "most %d", json_object_size(names), MB_CENTER_NAMES_MAX);
	if ((o = json_object()) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	json_object_foreach((json_t *)names, k, v) {
		if (tag_norm(k, t, sizeof(t)) != 0) {
			json_decref(o);
			return mb_diag_set(d, MB_ERR_INVAL, "names: \"%.20s\" is "
			    "not a known language code", k);
		}
		if (!json_is_string(v)) {
			json_decref(o);
			return mb_diag_set(d, MB_ERR_INVAL, "names: %s: not a "
			    "string", t);
		}
		if ((rc = name_check(t, json_string_value(v), d)) != MB_OK ||
		    json_object_get(o, t) != NULL) {
			json_decref(o);
			return rc != MB_OK ? rc : mb_diag_set(d, MB_ERR_INVAL,
			    "names: %s twice", t);
		}
		json_object_set(o, t, v);
	}
	rc = names_store(c, o, d);
	json_decref(o);
	return rc;
}

int
mb_center_name_set(struct mb_center *c, const char *lang, const char *name,
    struct mb_diag *d)
{
	json_t	*o;
	char	 t[36];
	int	 rc;

	if (tag_norm(lang, t, sizeof(t)) != 0)
		return mb_diag_set(d, MB_ERR_INVAL, "\"%.20s\" is not a known "
		    "language code (ISO 639-1, such as ar, ru, es, fr)",
		    lang != NULL ? lang : "");
	if (name != NULL && *name != '\0' &&
	    (rc = name_check(t, name, d)) != MB_OK)
		return rc;
	if ((o = mb_center_names_json(c)) == NULL && (o = json_object()) ==
	    NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if (name == NULL || *name == '\0') {
		if (json_object_del(o, t) != 0) {
			json_decref(o);
			return mb_diag_set(d, MB_ERR_NOTFOUND, "%s has no name "
			    "in %s", c->id, t);
		}
	} else {
		if (json_object_get(o, t) == NULL &&
		    json_object_size(o) >= MB_CENTER_NAMES_MAX) {
			json_decref(o);
			return mb_diag_set(d, MB_ERR_INVAL, "%s has names in %d "
			    "languages already, the most there may be", c->id,
			    MB_CENTER_NAMES_MAX);
		}
		json_object_set_new(o, t, json_string(name));
	}
	rc = names_store(c, o, d);
	json_decref(o);
	return rc;
}

void
mb_center_name_in(const struct mb_center *c, const char *lang, char *out,
    size_t n)
{
	json_t		*o = NULL;
	const char	*s = NULL;
	char		 t[36], p[3];

	if (lang != NULL && c->names[0] != '\0' &&
	    tag_norm(lang, t, sizeof(t)) == 0 &&
	    (o = mb_center_names_json(c)) != NULL) {
		s = json_string_value(json_object_get(o, t));
		if (s == NULL) {
			memcpy(p, t, 2);
			p[2] = '\0';
			s = json_string_value(json_object_get(o, p));
		}
	}
	if (s == NULL || *s == '\0')
		s = c->name[0] != '\0' ? c->name : c->id;
	snprintf(out, n, "%s", s);
	json_decref(o);
}

/* ---- pairs ------------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
mb_center_pairs_from_json(struct mb_center *c, const json_t *pairs,
    struct mb_diag *d)
{
	char		 v[MB_CENTER_PAIRS_MAX][80];
	char		*sorted[MB_CENTER_PAIRS_MAX], out[sizeof(c->mt_pairs)];
	const json_t	*p;
	size_t		 i, n = 0, used = 0;

	if (pairs == NULL || json_is_null(pairs)) {
		c->mt_pairs[0] = '\0';
		return MB_OK;
	}
	if (!json_is_array(pairs))
		return mb_diag_set(d, MB_ERR_INVAL, "mt_pairs: not a list of "
		    "\"from|to\"");
	if (json_array_size(pairs) > MB_CENTER_PAIRS_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "mt_pairs: %zu pairs, at "
		    "most %d", json_array_size(pairs), MB_CENTER_PAIRS_MAX);
	json_array_foreach(pairs, i, p) {
		const char	*s = json_string_value(p), *bar;
		char		 a[36], b[36], f[36], t[36];
		size_t		 k;

		if (s == NULL || (bar = strchr(s, '|')) == NULL ||
		    (size_t)(bar - s) >= sizeof(a) ||
		    strlen(bar + 1) >= sizeof(b))
			return mb_diag_set(d, MB_ERR_INVAL, "mt_pairs[%zu]: not "
			    "\"from|to\"", i);
		memcpy(a, s, (size_t)(bar - s));
		a[bar - s] = '\0';
		snprintf(b, sizeof(b), "%s", bar + 1);
		if (tag_norm(a, f, MB_CENTER_PAIR_TAG_MAX + 1) != 0 ||
		    tag_norm(b, t, MB_CENTER_PAIR_TAG_MAX + 1) != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "mt_pairs[%zu]: "
			    "\"%.40s\": not a known language code", i,
			    tag_norm(a, f, MB_CENTER_PAIR_TAG_MAX + 1) != 0 ?
			    a : b);
		if (strcmp(f, t) == 0)
			return mb_diag_set(d, MB_ERR_INVAL, "mt_pairs[%zu]: "
			    "from and to are both %s", i, f);
		snprintf(v[n], sizeof(v[n]), "%s|%s", f, t);
		for (k = 0; k < n && strcmp(v[k], v[n]) != 0; k++)
			;
		if (k == n)
			n++;
	}
	for (i = 0; i < n; i++)
		sorted[i] = v[i];
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (i = 0; i < n; i++) {
		int w = snprintf(out + used, sizeof(out) - used, "%s%s",
		    i > 0 ? "," : "", sorted[i]);

		if (w < 0 || (size_t)w >= sizeof(out) - used)
			return mb_diag_set(d, MB_ERR_TOOBIG, "mt_pairs: too "
			    "long together");
		used += (size_t)w;
	}
	out[used] = '\0';
	memcpy(c->mt_pairs, out, used + 1);
	return MB_OK;
}

json_t *
mb_center_pairs_json(const struct mb_center *c)
{
	json_t		*a;
	const char	*p = c->mt_pairs, *e;

	if (*p == '\0' || (a = json_array()) == NULL)
		return NULL;
	while (*p != '\0') {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		json_array_append_new(a, json_stringn(p, (size_t)(e - p)));
		p = *e == ',' ? e + 1 : e;
	}
	return a;
}

bool
mb_center_lends(const struct mb_center *c, const char *from, const char *to)
{
	char		 want[80];
	const char	*p = c->mt_pairs;
	size_t		 n;

	n = (size_t)snprintf(want, sizeof(want), "%s|%s", from, to);
	if (n >= sizeof(want))
		return false;
	while ((p = strstr(p, want)) != NULL) {
		if ((p == c->mt_pairs || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}
