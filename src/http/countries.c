/* SPDX-License-Identifier: MIT */
/* Country names in the reader's language, from iso-codes (countries.h). */
#include "countries.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/fs.h"

#define MO_MAX (4u * 1024 * 1024)
#define LANGS_MAX 24

/* A gettext catalog (.mo) kept whole: its strings are found in place. */
struct mo {
	char		 lang[16];
	uint8_t		*data;		/* NULL: none for this language */
	size_t		 len;
	uint32_t	 n, orig, trans;
	bool		 swap;
};

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static char		 root[256] = "/usr/share";
static json_t		*names;		/* alpha_2 -> English name */
static bool		 names_tried;
static struct mo	 mos[LANGS_MAX];
static size_t		 nmos;

void
mb_countries_root(const char *r)
{
	pthread_mutex_lock(&lock);
	snprintf(root, sizeof(root), "%s", r);
	json_decref(names);
	names = NULL;
	names_tried = false;
	for (size_t i = 0; i < nmos; i++)
		free(mos[i].data);
	nmos = 0;
	pthread_mutex_unlock(&lock);
}

static void
load_names(void)
{
	char	 path[400];
	json_t	*doc, *e;
	size_t	 i;

	names_tried = true;
	snprintf(path, sizeof(path), "%s/iso-codes/json/iso_3166-1.json", root);
	if ((doc = json_load_file(path, 0, NULL)) == NULL)
		return;
	names = json_object();
	json_array_foreach(json_object_get(doc, "3166-1"), i, e) {
		const char *a2 = json_string_value(json_object_get(e,
		    "alpha_2"));
		const char *nm = json_string_value(json_object_get(e, "name"));

		if (a2 != NULL && nm != NULL)
			json_object_set_new(names, a2, json_string(nm));
	}
	json_decref(doc);
}

static uint32_t
u32(const struct mo *m, size_t off)
{
	uint32_t v;

	if (off + 4 > m->len)
		return 0;
	memcpy(&v, m->data + off, 4);
	return m->swap ? __builtin_bswap32(v) : v;
}

/* Checks the header; false for anything that is not a sound .mo. */
static bool
mo_parse(struct mo *m)
{
	uint32_t magic;

	if (m->len < 28)
		return false;
	memcpy(&magic, m->data, 4);
	if (magic == 0x950412deu)
		m->swap = false;
	else if (magic == 0xde120495u)
		m->swap = true;
	else
		return false;
	m->n = u32(m, 8);
	m->orig = u32(m, 12);
	m->trans = u32(m, 16);
	return (uint64_t)m->orig + (uint64_t)m->n * 8 <= m->len &&
	    (uint64_t)m->trans + (uint64_t)m->n * 8 <= m->len;
}

/* The i-th string of a table, when it lies inside the file. */
static const char *
mo_str(const struct mo *m, uint32_t table, uint32_t i, uint32_t *len)
{
	uint32_t l = u32(m, table + i * 8), o = u32(m, table + i * 8 + 4);

	if ((uint64_t)o + l >= m->len || m->data[o + l] != '\0')
		return NULL;
	*len = l;
	return (const char *)m->data + o;
}

/* msgid's translation: the originals are sorted, so a binary search. */
static const char *
mo_find(const struct mo *m, const char *msgid)
{
	uint32_t lo = 0, hi = m->n, len;

	while (lo < hi) {
		uint32_t	 mid = lo + (hi - lo) / 2;
		const char	*s = mo_str(m, m->orig, mid, &len);
		int		 c;

		if (s == NULL)
			return NULL;
		if ((c = strcmp(msgid, s)) == 0) {
			s = mo_str(m, m->trans, mid, &len);
			return s != NULL && len > 0 ? s : NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Locale directories differ from our language codes for a few. */
static const char *
locale_dir(const char *lang)
{
	if (strcmp(lang, "zh") == 0)
		return "zh_CN";
	return lang;
}

static const struct mo *
mo_for(const char *lang)
{
	struct mo	*m;
	char		 path[400];

	for (size_t i = 0; i < nmos; i++)
		if (strcmp(mos[i].lang, lang) == 0)
			return mos[i].data != NULL ? &mos[i] : NULL;
	if (nmos == LANGS_MAX)
		return NULL;
	m = &mos[nmos++];
	memset(m, 0, sizeof(*m));
	snprintf(m->lang, sizeof(m->lang), "%s", lang);
	snprintf(path, sizeof(path), "%s/locale/%s/LC_MESSAGES/iso_3166-1.mo",
	    root, locale_dir(lang));
	if (mb_fs_read(path, MO_MAX, (char **)&m->data, &m->len, NULL) !=
	    0 || !mo_parse(m)) {
		free(m->data);
		m->data = NULL;
		return NULL;
	}
	return m;
}

const char *
mb_country_name(const char *lang, const char *alpha2, char *out, size_t n)
{
	const char	*en = NULL, *tr = NULL;
	char		 code[4] = "";

	for (size_t i = 0; alpha2 != NULL && alpha2[i] != '\0' && i < 3; i++)
		code[i] = (char)toupper((unsigned char)alpha2[i]);
	pthread_mutex_lock(&lock);
	if (!names_tried)
		load_names();
	if (names != NULL)
		en = json_string_value(json_object_get(names, code));
	if (en != NULL && lang != NULL && strcmp(lang, "en") != 0 &&
	    strlen(lang) < sizeof(mos[0].lang)) {
		const struct mo *m = mo_for(lang);

		if (m != NULL)
			tr = mo_find(m, en);
	}
	snprintf(out, n, "%s", tr != NULL ? tr : en != NULL ? en : code);
	pthread_mutex_unlock(&lock);
	return out;
}
