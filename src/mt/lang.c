/* SPDX-License-Identifier: MIT */
/* Language codes: BCP 47 tags as mediabridge writes them, and the ISO 639-3
 * codes Apertium APy uses ("eng", "por_BR"). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mt/mt_int.h"

/*
 * ISO 639-1 <-> 639-3 for the network's languages (ar ru en fr es pt sw
 * hi zh) first, then the languages Apertium has pairs for. APy names
 * every pair in 639-3 whatever its mode file is called (es-pt.mode is
 * listed as spa|por). The macrolanguage members some engines and corpora
 * use (arb, swh, cmn, pes) map to the two-letter code, one way only.
 */
static const struct {
	const char	*two;
	const char	*three;
} codes[] = {
	{ "ar", "ara" }, { "ru", "rus" }, { "en", "eng" }, { "fr", "fra" },
	{ "es", "spa" }, { "pt", "por" }, { "sw", "swa" }, { "hi", "hin" },
	{ "zh", "zho" },
	{ "af", "afr" }, { "an", "arg" }, { "ast", "ast" }, { "be", "bel" },
	{ "bg", "bul" }, { "br", "bre" }, { "ca", "cat" }, { "cs", "ces" },
	{ "cy", "cym" }, { "da", "dan" }, { "de", "deu" }, { "el", "ell" },
	{ "eo", "epo" }, { "et", "est" }, { "eu", "eus" }, { "fa", "fas" },
	{ "fi", "fin" }, { "ga", "gle" }, { "gl", "glg" }, { "he", "heb" },
	{ "hr", "hrv" }, { "hu", "hun" }, { "id", "ind" }, { "is", "isl" },
	{ "it", "ita" }, { "ja", "jpn" }, { "kk", "kaz" }, { "ko", "kor" },
	{ "lt", "lit" }, { "lv", "lav" }, { "mk", "mkd" }, { "ms", "msa" },
	{ "mt", "mlt" }, { "nb", "nob" }, { "nl", "nld" }, { "nn", "nno" },
	{ "oc", "oci" }, { "pl", "pol" }, { "ro", "ron" }, { "sk", "slk" },
	{ "sl", "slv" }, { "sq", "sqi" }, { "sr", "srp" }, { "sv", "swe" },
	{ "tr", "tur" }, { "tt", "tat" }, { "uk", "ukr" }, { "ur", "urd" },
	{ "uz", "uzb" }, { "vi", "vie" },
	/* members of macrolanguages, one way only */
	{ "ar", "arb" }, { "sw", "swh" }, { "zh", "cmn" }, { "fa", "pes" },
};

/* out = a sep b, cut to MB_MT_TAG_MAX bytes. */
static void
join(char *out, const char *a, char sep, const char *b)
{
	size_t al = strlen(a), bl = strlen(b);

	if (al > MB_MT_TAG_MAX)
		al = MB_MT_TAG_MAX;
	memmove(out, a, al);
	if (al < MB_MT_TAG_MAX)
		out[al++] = sep;
	if (bl > MB_MT_TAG_MAX - al)
		bl = MB_MT_TAG_MAX - al;
	memmove(out + al, b, bl);
	out[al + bl] = '\0';
}

static void
lower_copy(const char *s, size_t n, char *out, size_t cap)
{
	size_t i;

	for (i = 0; i < n && i + 1 < cap; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

void
mb_mt_lang_to_apy(const char *bcp47, char *out)
{
	char	prim[MB_MT_TAG_MAX + 1];
	size_t	n = strcspn(bcp47, "-_");

	lower_copy(bcp47, n, prim, sizeof(prim));
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (strcmp(codes[i].two, prim) == 0) {
			snprintf(prim, sizeof(prim), "%s", codes[i].three);
			break;
		}
	}
	/* APy writes variants with '_' and keeps their case: por_BR. */
	if (bcp47[n] != '\0')
		join(out, prim, '_', bcp47 + n + 1);
	else
		snprintf(out, MB_MT_TAG_MAX + 1, "%s", prim);
}

void
mb_mt_lang_from_apy(const char *code, char *out)
{
	char	prim[MB_MT_TAG_MAX + 1], rest[MB_MT_TAG_MAX + 1];
	size_t	n = strcspn(code, "-_");

	lower_copy(code, n, prim, sizeof(prim));
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (strcmp(codes[i].three, prim) == 0) {
			snprintf(prim, sizeof(prim), "%s", codes[i].two);
			break;
		}
	}
	if (code[n] == '\0') {
		snprintf(out, MB_MT_TAG_MAX + 1, "%s", prim);
		return;
	}
	snprintf(rest, sizeof(rest), "%s", code + n + 1);
	for (char *p = rest; *p; p++)
		if (*p == '_')
			*p = '-';
	join(out, prim, '-', rest);
	/* Normalize the subtags' case when the result is a tag. */
	if (mb_mt_lang_norm(out, prim, NULL) == MB_OK)
		snprintf(out, MB_MT_TAG_MAX + 1, "%s", prim);
}

int
mb_mt_lang_norm(const char *tag, char *out, struct mb_diag *d)
{
	char	 buf[MB_MT_TAG_MAX + 1];
	size_t	 len = tag != NULL ? strlen(tag) : 0, i = 0, sub = 0;

	if (len == 0 || len > MB_MT_TAG_MAX)
		goto bad;
	while (i < len) {
		size_t	start = i, n;

		while (i < len && tag[i] != '-' && tag[i] != '_')
			i++;
		n = i - start;
		if (n == 0 || n > 8)
			goto bad;
		for (size_t k = start; k < i; k++) {
			unsigned char c = (unsigned char)tag[k];

			if (!isalnum(c) || (sub == 0 && !isalpha(c)))
				goto bad;
			/* language lower, script Title, region upper */
			if (sub == 0)
				buf[k] = (char)tolower(c);
			else if (n == 4 && isalpha((unsigned char)tag[start]))
				buf[k] = (char)(k == start ? toupper(c) :
				    tolower(c));
			else if (n == 2 || (n == 3 && isdigit(c)))
				buf[k] = (char)toupper(c);
			else
				buf[k] = (char)tolower(c);
		}
		if (sub == 0 && (n < 2 || n > 8 || n == 4))
			goto bad;
		if (i < len) {
			buf[i] = '-';
			if (++i == len)
				goto bad;
		}
		sub++;
	}
	buf[len] = '\0';
	memcpy(out, buf, len + 1);
	return MB_OK;
bad:
	return mb_diag_set(d, MB_ERR_INVAL, "\"%.40s\" is not a language "
	    "tag (BCP 47, like en, pt-BR, zh-Hans)", tag != NULL ? tag : "");
}

void
mb_mt__primary(const char *tag, char out[MB_MT_TAG_MAX + 1])
{
	lower_copy(tag, strcspn(tag, "-_"), out, MB_MT_TAG_MAX + 1);
}
