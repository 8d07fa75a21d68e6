/* SPDX-License-Identifier: MIT */
/* Language identification: decisive scripts by letter counts, the rest by
 * libexttextcat n-gram fingerprints; RTL and stemmer facts per tag. */
#include "text/lang.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libexttextcat/textcat.h>

#include "base/utf8.h"

#define DEFAULT_DATADIR	"/usr/share/libexttextcat"
#define DETECT_MAX	4096	/* bytes looked at for scripts */
#define TEXTCAT_MAX	1500	/* bytes handed to libexttextcat */
#define TEXTCAT_MAXCAND	3	/* more near-ties than this: unsure */

struct mb_lang_detector {
	pthread_mutex_t	 mu;
	void		*tc;
	candidate_t	*cand;
};

/* The scripts we count. */
enum script {
	SC_OTHER, SC_LATIN, SC_CYRILLIC, SC_GREEK, SC_ARABIC, SC_HEBREW,
	SC_DEVANAGARI, SC_BENGALI, SC_GURMUKHI, SC_GUJARATI, SC_TAMIL,
	SC_TELUGU, SC_KANNADA, SC_MALAYALAM, SC_SINHALA, SC_THAI, SC_LAO,
	SC_TIBETAN, SC_MYANMAR, SC_GEORGIAN, SC_HANGUL, SC_ETHIOPIC, SC_KHMER,
	SC_ARMENIAN, SC_THAANA, SC_HAN, SC_KANA, SC_COUNT
};

/* The language a script decides on its own (NULL: ask textcat). */
static const char *const script_lang[SC_COUNT] = {
	[SC_GREEK] = "el", [SC_ARABIC] = "ar", [SC_HEBREW] = "he",
	[SC_DEVANAGARI] = "hi", [SC_BENGALI] = "bn", [SC_GURMUKHI] = "pa",
	[SC_GUJARATI] = "gu", [SC_TAMIL] = "ta", [SC_TELUGU] = "te",
	[SC_KANNADA] = "kn", [SC_MALAYALAM] = "ml", [SC_SINHALA] = "si",
	[SC_THAI] = "th", [SC_LAO] = "lo", [SC_TIBETAN] = "bo",
	[SC_MYANMAR] = "my", [SC_GEORGIAN] = "ka", [SC_HANGUL] = "ko",
	[SC_ETHIOPIC] = "am", [SC_KHMER] = "km", [SC_ARMENIAN] = "hy",
	[SC_THAANA] = "dv", [SC_HAN] = "zh", [SC_KANA] = "ja",
};

static enum script
script_of(unsigned c)
{
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? SC_LATIN :
		    SC_OTHER;
	if (c < 0x370)
		return (c >= 0xc0 && c != 0xd7 && c != 0xf7) ? SC_LATIN :
		    SC_OTHER;
	if (c < 0x400)
		return SC_GREEK;
	if (c < 0x530)
		return SC_CYRILLIC;
	if (c < 0x590)
		return SC_ARMENIAN;
	if (c < 0x600)
		return SC_HEBREW;
	if (c < 0x700)
		return (c >= 0x660 && c <= 0x66d) || c == 0x60c ||
		    c == 0x61b || c == 0x61f || c == 0x6d4 ||
		    (c >= 0x6f0 && c <= 0x6f9) ? SC_OTHER : SC_ARABIC;
	if (c >= 0x750 && c < 0x780)
		return SC_ARABIC;
	if (c >= 0x780 && c < 0x7c0)
		return SC_THAANA;
	if (c >= 0x8a0 && c < 0x900)
		return SC_ARABIC;
	if (c >= 0x900 && c < 0xe00) {
		static const enum script indic[] = { SC_DEVANAGARI,
		    SC_BENGALI, SC_GURMUKHI, SC_GUJARATI, SC_OTHER, SC_TAMIL,
		    SC_TELUGU, SC_KANNADA, SC_MALAYALAM, SC_SINHALA };
		if (c >= 0x964 && c <= 0x96f)	/* danda, digits */
			return SC_OTHER;
		return indic[(c - 0x900) >> 7];
	}
	if (c < 0xe80)
		return SC_THAI;
	if (c < 0xf00)
		return SC_LAO;
	if (c < 0x1000)
		return SC_TIBETAN;
	if (c < 0x10a0)
		return SC_MYANMAR;
	if (c < 0x1100)
		return SC_GEORGIAN;
	if (c < 0x1200)
		return SC_HANGUL;
	if (c < 0x13a0)
		return SC_ETHIOPIC;
	if (c >= 0x1780 && c < 0x1800)
		return SC_KHMER;
	if (c >= 0x1e00 && c < 0x1f00)
		return SC_LATIN;
	if (c >= 0x1f00 && c < 0x2000)
		return SC_GREEK;
	if (c >= 0x3040 && c < 0x3100)
		return (c == 0x30fb || c == 0x30fc) ? SC_OTHER : SC_KANA;
	if (c >= 0x31f0 && c < 0x3200)
		return SC_KANA;
	if (c >= 0x3130 && c < 0x3190)
		return SC_HANGUL;
	if ((c >= 0x3400 && c < 0x4dc0) || (c >= 0x4e00 && c < 0xa000) ||
	    (c >= 0xf900 && c < 0xfb00) || (c >= 0x20000 && c < 0x30000))
		return SC_HAN;
	if (c >= 0xac00 && c < 0xd7b0)
		return SC_HANGUL;
	if (c >= 0xfb1d && c < 0xfb50)
		return SC_HEBREW;
	if ((c >= 0xfb50 && c < 0xfe00) || (c >= 0xfe70 && c < 0xff00))
		return SC_ARABIC;
	if (c >= 0xff21 && c < 0xff5b && (c < 0xff3b || c > 0xff40))
		return SC_LATIN;
	if (c >= 0xff66 && c < 0xffa0)
		return SC_KANA;
	return SC_OTHER;
}

/* Letter counts of the first DETECT_MAX bytes, and Arabic-script hints. */
struct counts {
	size_t	n[SC_COUNT];
	size_t	total;
	size_t	ar_only, fa_only, ur_only, yi_only;
};

static void
count_scripts(const char *s, size_t len, struct counts *k)
{
	size_t		i = 0, n;
	unsigned	c;

	memset(k, 0, sizeof(*k));
	if (len > DETECT_MAX)
		len = DETECT_MAX;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			c = (unsigned char)s[i++];
		} else if ((n = mb_utf8_decode(s + i, len - i, &c)) == 0) {
			i++;
			continue;
		} else {
			i += n;
		}
		enum script sc = script_of(c);
		if (sc == SC_OTHER)
			continue;
		k->n[sc]++;
		k->total++;
		switch (c) {
		case 0x0629: case 0x0643: case 0x0649: case 0x064a:
			k->ar_only++;	/* ة ك ى ي: Arabic spellings */
			break;
		case 0x067e: case 0x0686: case 0x0698: case 0x06a9:
		case 0x06af: case 0x06cc:
			k->fa_only++;	/* پ چ ژ ک گ ی: Persian (and Urdu) */
			break;
		case 0x0679: case 0x0688: case 0x0691: case 0x06ba:
		case 0x06be: case 0x06c1: case 0x06d2:
			k->ur_only++;	/* ٹ ڈ ڑ ں ھ ہ ے: Urdu */
			break;
		case 0x05f0: case 0x05f1: case 0x05f2: case 0x05f3:
			k->yi_only++;	/* װ ױ ײ: Yiddish digraphs */
			break;
		}
	}
}

/* The script with most letters, with Han and Kana taken together. */
static enum script
dominant(const struct counts *k)
{
	enum script	best = SC_OTHER;
	size_t		bestn = 0;

	for (int sc = SC_LATIN; sc < SC_COUNT; sc++) {
		size_t n = k->n[sc];
		if (sc == SC_HAN || sc == SC_KANA)
			n = k->n[SC_HAN] + k->n[SC_KANA];
		if (n > bestn) {
			bestn = n;
			best = sc;
		}
	}
	if (best == SC_HAN || best == SC_KANA) {
		/* Japanese writes kana in nearly every sentence. */
		return k->n[SC_KANA] * 10 >= bestn ? SC_KANA : SC_HAN;
	}
	return best;
}

/* The decision for a script that decides the language, else NULL. */
static const char *
by_script(const struct counts *k, enum script sc)
{
	size_t	n = k->n[sc];

	if (sc == SC_ARABIC) {
		if (k->ur_only * 50 >= n && k->ur_only >= 2)
			return "ur";
		if (k->fa_only > k->ar_only && k->fa_only >= 2)
			return "fa";
		return "ar";
	}
	if (sc == SC_HEBREW && k->yi_only * 50 >= n && k->yi_only >= 2)
		return "yi";
	return script_lang[sc];
}

const char *
mb_lang_detect_script(const char *s, size_t len)
{
	struct counts	k;
	enum script	sc;
	const char	*lang;

	if (s == NULL)
		return "und";
	count_scripts(s, len, &k);
	if (k.total == 0)
		return "und";
	sc = dominant(&k);
	if ((lang = by_script(&k, sc)) != NULL)
		return lang;
	return sc == SC_CYRILLIC ? "ru" : "und";
}

/*
 * libexttextcat names categories "en--utf8", "zh-CN-utf8", "haw-utf8",
 * "az-cyrillic-utf8", "sh--utf8": the tag is the part before the first
 * '-'. We return our own static copies of the tags we know.
 */
static const char *const known[] = {
	"af", "am", "ar", "az", "be", "bg", "bn", "bo", "br", "bs", "ca",
	"ckb", "cs", "cy", "da", "de", "dv", "el", "en", "eo", "es", "et",
	"eu", "fa", "fi", "fo", "fr", "fy", "ga", "gd", "gl", "gu", "ha",
	"haw", "he", "hi", "hr", "ht", "hu", "hy", "ia", "id", "is", "it",
	"ja", "ka", "kk", "km", "kn", "ko", "ky", "la", "lb", "lg", "ln",
	"lo", "lt", "lv", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my",
	"nb", "ne", "nl", "nn", "om", "pa", "pl", "ps", "pt", "qu", "rm",
	"ro", "ru", "rw", "sa", "sd", "si", "sk", "sl", "so", "sq", "sr",
	"sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "tr",
	"tt", "ug", "uk", "ur", "uz", "vi", "xh", "yi", "yo", "zh", "zu",
};

static const char *
tag_of_textcat(const char *name)
{
	char	buf[8];
	size_t	n = strcspn(name, "-");

	if (n == 0 || n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	buf[n] = '\0';
	if (strcmp(buf, "sh") == 0)
		return "sr";	/* Serbo-Croatian in Latin script */
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], buf) == 0)
			return known[i];
	return NULL;
}

int
mb_lang_detector_new(const char *datadir, struct mb_lang_detector **out,
    struct mb_diag *d)
{
	struct mb_lang_detector	*det;
	char			 conf[4096], prefix[4096];
	int			 n1, n2;

	if (datadir == NULL)
		datadir = DEFAULT_DATADIR;
	n1 = snprintf(conf, sizeof(conf), "%s/fpdb.conf", datadir);
	n2 = snprintf(prefix, sizeof(prefix), "%s/", datadir);
	if (n1 < 0 || (size_t)n1 >= sizeof(conf) || n2 < 0 ||
	    (size_t)n2 >= sizeof(prefix))
		return mb_diag_set(d, MB_ERR_INVAL, "lang: datadir too long");
	if ((det = calloc(1, sizeof(*det))) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "lang: out of memory");
	if ((det->tc = special_textcat_Init(conf, prefix)) == NULL) {
		free(det);
		return mb_diag_set(d, MB_ERR_NOTFOUND,
		    "lang: cannot load libexttextcat fingerprints from %s "
		    "(Debian package libexttextcat-data)", conf);
	}
	if ((det->cand = textcat_GetClassifyFullOutput(det->tc)) == NULL) {
		textcat_Done(det->tc);
		free(det);
		return mb_diag_set(d, MB_ERR_NOMEM, "lang: out of memory");
	}
	pthread_mutex_init(&det->mu, NULL);
	*out = det;
	return MB_OK;
}

void
mb_lang_detector_free(struct mb_lang_detector *det)
{
	if (det == NULL)
		return;
	textcat_ReleaseClassifyFullOutput(det->tc, det->cand);
	textcat_Done(det->tc);
	pthread_mutex_destroy(&det->mu);
	free(det);
}

/* Cuts len back to a UTF-8 boundary at most max. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

const char *
mb_lang_detect(struct mb_lang_detector *det, const char *s, size_t len)
{
	struct counts	k;
	enum script	sc;
	const char	*lang;
	int		n;

	if (s == NULL)
		return "und";
	count_scripts(s, len, &k);
	if (k.total == 0)
		return "und";
	sc = dominant(&k);
	if ((lang = by_script(&k, sc)) != NULL)
		return lang;
	if (det == NULL || k.total < 20)
		return "und";
	len = utf8_cut(s, len, TEXTCAT_MAX);
	pthread_mutex_lock(&det->mu);
	n = textcat_ClassifyFull(det->tc, s, len, det->cand);
	lang = NULL;
	if (n >= 1 && n <= TEXTCAT_MAXCAND)
		lang = tag_of_textcat(det->cand[0].name);
	pthread_mutex_unlock(&det->mu);
	if (lang == NULL)
		return "und";
	/* A fingerprint of another script than the text's: not credible. */
	if (sc == SC_CYRILLIC && strcmp(lang, "ru") != 0 &&
	    strcmp(lang, "uk") != 0 && strcmp(lang, "bg") != 0 &&
	    strcmp(lang, "be") != 0 && strcmp(lang, "mk") != 0 &&
	    strcmp(lang, "sr") != 0 && strcmp(lang, "kk") != 0 &&
	    strcmp(lang, "ky") != 0 && strcmp(lang, "mn") != 0 &&
	    strcmp(lang, "tg") != 0 && strcmp(lang, "tt") != 0 &&
	    strcmp(lang, "uz") != 0 && strcmp(lang, "az") != 0)
		return "und";
	return lang;
}

size_t
mb_lang_primary(const char *tag, char *out)
{
	size_t	n = 0;

	if (tag == NULL)
		return 0;
	while (isalpha((unsigned char)tag[n]) && n < 8)
		n++;
	if (n < 2 || n > 8 || (tag[n] != '\0' && tag[n] != '-' &&
	    tag[n] != '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)tag[i]);
	out[n] = '\0';
	if (strcmp(out, "und") == 0)
		return 0;
	return n;
}

bool
mb_lang_is_rtl(const char *tag)
{
	static const char *const rtl[] = { "ar", "fa", "ur", "he", "ps",
	    "sd", "ug", "yi", "dv", "ckb", "iw", "ji", NULL };
	char		 p[MB_LANG_TAG_MAX + 1];
	const char	*sub;

	if (mb_lang_primary(tag, p) == 0)
		return false;
	/* An explicit script subtag wins: "pa-Arab", "az-Latn". */
	for (sub = strchr(tag, '-'); sub != NULL; sub = strchr(sub + 1, '-')) {
		if (strlen(sub + 1) >= 4 && (sub[5] == '\0' || sub[5] == '-')) {
			if (strncasecmp(sub + 1, "arab", 4) == 0 ||
			    strncasecmp(sub + 1, "hebr", 4) == 0 ||
			    strncasecmp(sub + 1, "thaa", 4) == 0 ||
			    strncasecmp(sub + 1, "syrc", 4) == 0 ||
			    strncasecmp(sub + 1, "nkoo", 4) == 0)
				return true;
			if (isalpha((unsigned char)sub[1]) &&
			    isalpha((unsigned char)sub[2]) &&
			    isalpha((unsigned char)sub[3]) &&
			    isalpha((unsigned char)sub[4]))
				return false;
		}
	}
	for (int i = 0; rtl[i] != NULL; i++)
		if (strcmp(rtl[i], p) == 0)
			return true;
	return false;
}

const char *
mb_lang_stemmer_name(const char *tag)
{
	static const struct { const char *tag, *algo; } m[] = {
		{ "ar", "arabic" }, { "hy", "armenian" }, { "eu", "basque" },
		{ "ca", "catalan" }, { "da", "danish" }, { "nl", "dutch" },
		{ "en", "english" }, { "fi", "finnish" }, { "fr", "french" },
		{ "de", "german" }, { "el", "greek" }, { "hi", "hindi" },
		{ "hu", "hungarian" }, { "id", "indonesian" },
		{ "ga", "irish" }, { "it", "italian" },
		{ "lt", "lithuanian" }, { "ne", "nepali" },
		{ "nb", "norwegian" }, { "nn", "norwegian" },
		{ "no", "norwegian" }, { "pt", "portuguese" },
		{ "ro", "romanian" }, { "ru", "russian" }, { "sr", "serbian" },
		{ "es", "spanish" }, { "sv", "swedish" }, { "ta", "tamil" },
		{ "tr", "turkish" }, { "yi", "yiddish" },
	};
	char	p[MB_LANG_TAG_MAX + 1];

	if (mb_lang_primary(tag, p) == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i].tag, p) == 0)
			return m[i].algo;
	return NULL;
}
