/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/wire: the real-world corpus (tests/data/feeds, from
 * feed parsers' own test suites) with the entries each must give, every
 * item valid ninjs; dates; encodings; links; the caps and hostile XML;
 * NewsML-G2 in, out, round trip, and the IPTC schema when ../shared is
 * there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "base/timeutil.h"
#include "item/ninjs.h"
#include "wire/wire.h"

#define DATA	MB_TEST_SRCDIR "/tests/data"
#define SCHEMA	MB_TEST_SRCDIR "/../shared/schemas/newsml-g2/" \
		"NewsML-G2_2.35-spec-All-Power.xsd"

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
parse_file(const char *path, const char *url, struct mb_wire_feed *f)
{
	struct mb_wire_opts	 o = { .url = url };
	struct mb_diag		 d = { "" };
	size_t			 len;
	char			*buf = slurp(path, &len);
	int			 rc = mb_wire_parse(buf, len, &o, f, &d);

	if (rc != MB_OK)
		fail_msg("%s: %s", path, d.msg);
	free(buf);
}

static void
parse_str(const char *s, struct mb_wire_feed *f)
{
	struct mb_diag		d = { "" };
	struct mb_wire_opts	o = { .url = "https://news.example/feed.xml" };

	if (mb_wire_parse(s, strlen(s), &o, f, &d) != MB_OK)
		fail_msg("%s", d.msg);
}

static const json_t *
item_at(const struct mb_wire_feed *f, size_t i)
{
	return json_object_get(json_array_get(f->entries, i), "item");
}

static const char *
headline(const json_t *item)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(item, "headlines"), 0), "value"));
}

static const char *
body(const json_t *item)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(item, "bodies"), 0), "value"));
}

/* Every item is ninjs 3.1 once it has the uri the center gives it. */
static void
assert_ninjs(const struct mb_wire_feed *f, const char *file)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(f->entries, i, e) {
		json_t		*it = json_deep_copy(json_object_get(e, "item"));
		struct mb_diag	 d = { "" };
		const char	*key = json_string_value(json_object_get(e,
				    "key"));

		assert_non_null(key);
		assert_true(key[0] != '\0');
		json_object_set_new(it, "uri", json_string("urn:mediabridge:"
		    "cairo:x1"));
		if (mb_ninjs_validate(it, &d) != MB_OK)
			fail_msg("%s: entry %zu: %s", file, i, d.msg);
		json_decref(it);
	}
}

/* The corpus: each file, its format and the entries it holds. */
static const struct {
	const char	*file;
	const char	*format;
	size_t		 entries;
} corpus[] = {
	{ "feedjira__TypePadNews.xml", "atom", 10 },
	{ "feedjira__a10.xml", "rss", 5 },
	{ "feedparser__undeclared_namespace.xml", "rss", 0 },
	{ "feedreader__AtomSpecialCharacters.xml", "atom", 1 },
	{ "feedreader__Rss10OrfAt.xml", "rdf", 50 },
	{ "feedreader__Rss20FinanzenNet.xml", "rss", 15 },
	{ "feedreader__Rss20TheMirror.xml", "rss", 25 },
	{ "feedrs__atom_example_7.xml", "atom", 1 },
	{ "feedrs__atom_mediarss_youtube_1.xml", "atom", 1 },
	{ "feedrs__atom_xml_base.xml", "atom", 1 },
	{ "feedrs__rss_1.0_biorxiv.xml", "rdf", 1 },
	{ "feedrs__rss_2.0_bbc.xml", "rss", 1 },
	{ "feedrs__rss_2.0_relurl_1.xml", "rss", 2 },
	{ "feedrs__rss_2.0_wirecutter.xml", "rss", 1 },
	{ "gofeed__issue_305_bare_ampersand.xml", "rss", 0 },
	{ "miniflux__encoding_ISO-8859-1.xml", "rss", 40 },
	{ "miniflux__encoding_WINDOWS-1251.xml", "rss", 50 },
	{ "miniflux__urdu_UTF8.xml", "rss", 26 },
	{ "rsparser__3960.json", "jsonfeed", 20 },
	{ "rsparser__DaringFireball.json", "jsonfeed", 48 },
	{ "rsparser__aktuality.rss", "rss", 30 },
	{ "rsparser__kc0011.rss", "rss", 20 },
	{ "rsparser__livemint.xml", "rss", 25 },
	{ "rsparser__rubenerd.rss", "rss", 10 },
	{ "rsparser__theomnishow.rss", "rss", 4 },
	{ "rssparser__heraldsun.rss", "rss", 2 },
	{ "rssparser__uolNoticias.rss", "rss", 15 },
	{ "simplepie__feed-utf16le.xml", "rss", 1 },
	{ "simplepie__feed-with-whitespace-before-xml-declaration.xml",
	    "atom", 0 },
};

static void
test_corpus(void **state)
{
	char	path[512];

	(void)state;
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		struct mb_wire_feed f;

		snprintf(path, sizeof(path), DATA "/feeds/%s", corpus[i].file);
		parse_file(path, "https://feeds.example/x", &f);
		if (strcmp(mb_wire_format_name(f.format), corpus[i].format) !=
		    0 || json_array_size(f.entries) != corpus[i].entries)
			fail_msg("%s: %s with %zu entries, want %s with %zu",
			    corpus[i].file, mb_wire_format_name(f.format),
			    json_array_size(f.entries), corpus[i].format,
			    corpus[i].entries);
		assert_ninjs(&f, corpus[i].file);
		mb_wire_feed_free(&f);
	}
}

/* Encodings: declared, mis-declared, undeclared, UTF-16 without BOM. */
static void
test_encodings(void **state)
{
	struct mb_wire_feed f;

	(void)state;
	parse_file(DATA "/feeds/miniflux__encoding_WINDOWS-1251.xml", NULL, &f);
	assert_string_equal(headline(item_at(&f, 0)), "Цитата #17703");
	assert_string_equal(f.language, "ru");
	mb_wire_feed_free(&f);
	/* Says ISO-8859-1, is UTF-8: no "fÃ¼r". */
	parse_file(DATA "/feeds/feedreader__Rss20FinanzenNet.xml", NULL, &f);
	assert_non_null(strstr(body(item_at(&f, 0)), "für NVIDIA"));
	assert_null(strstr(body(item_at(&f, 0)), "Ã"));
	mb_wire_feed_free(&f);
	/* Latin-1 bytes and no declaration at all. */
	parse_file(DATA "/feeds/rssparser__uolNoticias.rss", NULL, &f);
	assert_non_null(strstr(headline(item_at(&f, 0)), "simulações"));
	mb_wire_feed_free(&f);
	parse_file(DATA "/feeds/simplepie__feed-utf16le.xml", NULL, &f);
	assert_string_equal(f.title, "Test feed");
	mb_wire_feed_free(&f);
	/* GB2312 (read as GBK). */
	parse_file(DATA "/feeds/rsparser__kc0011.rss", NULL, &f);
	assert_string_equal(headline(item_at(&f, 0)),
	    "建国35周年纪念，华表，和平鸽");
	mb_wire_feed_free(&f);
	/* U+000F and U+0010 in the content: dropped, not fatal. */
	parse_file(DATA "/feeds/feedreader__AtomSpecialCharacters.xml", NULL,
	    &f);
	assert_null(strchr(body(item_at(&f, 0)), '\x0f'));
	assert_null(strchr(body(item_at(&f, 0)), '\x10'));
	mb_wire_feed_free(&f);
}

static void
test_recovery(void **state)
{
	struct mb_wire_feed f;

	(void)state;
	parse_file(DATA "/feeds/gofeed__issue_305_bare_ampersand.xml", NULL,
	    &f);
	assert_string_equal(f.title, "Fish & Chips & more <3");
	mb_wire_feed_free(&f);
	/* HTML's entities are kept for the HTML fields to decode. */
	parse_str("<rss><channel><item><title>A&nbsp;B &eacute;t&eacute;"
	    "</title><description>x&nbsp;y</description></item></channel>"
	    "</rss>", &f);
	assert_string_equal(headline(item_at(&f, 0)), "A\xc2\xa0" "B été");
	mb_wire_feed_free(&f);
}

/* xml:base, the feed's URL, and links in bodies made absolute. */
static void
test_links(void **state)
{
	struct mb_wire_feed	 f;
	const json_t		*alt;

	(void)state;
	parse_file(DATA "/feeds/feedrs__atom_xml_base.xml", NULL, &f);
	assert_non_null(strstr(body(item_at(&f, 0)), "src=\"https://numi.st/"
	    "post/2022/travel-uke/IMG_1232.jpeg\""));
	mb_wire_feed_free(&f);
	parse_file(DATA "/feeds/rsparser__kc0011.rss",
	    "http://www.kc0011.net/rss.xml", &f);
	assert_non_null(strstr(body(item_at(&f, 0)),
	    "src=\"http://www.kc0011.net/skins/default/filetype/jpg.gif\""));
	mb_wire_feed_free(&f);
	parse_str("<rss><channel><title>T</title><item><title>x</title>"
	    "<link>/a/b c?d=é</link><description>&lt;a href=\"../up\"&gt;u"
	    "&lt;/a&gt; &lt;a href=\"#top\"&gt;t&lt;/a&gt;</description>"
	    "</item></channel></rss>", &f);
	alt = json_object_get(item_at(&f, 0), "altIds");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(alt, 0), "value")),
	    "https://news.example/a/b%20c?d=%C3%A9");
	assert_non_null(strstr(body(item_at(&f, 0)),
	    "href=\"https://news.example/up\""));
	assert_non_null(strstr(body(item_at(&f, 0)), "href=\"#top\""));
	mb_wire_feed_free(&f);
	/* A source's user:password@ is neither its infoSource nor a base. */
	{
		static const char doc[] = "<rss><channel><title>T</title>"
		    "<item><title>x</title><link>/a</link><description>"
		    "&lt;img src=\"p.jpg\"&gt;</description></item>"
		    "</channel></rss>";
		struct mb_wire_opts	o = { .url = "http://user:pa@ss@"
					    "news.example/f.xml" };
		struct mb_diag		d = { "" };
		char			*all;

		assert_int_equal(mb_wire_parse(doc, strlen(doc), &o, &f, &d),
		    MB_OK);
		all = json_dumps(item_at(&f, 0), 0);
		assert_null(strstr(all, "user"));
		assert_non_null(strstr(all, "\"http://news.example/f.xml\""));
		assert_non_null(strstr(body(item_at(&f, 0)),
		    "src=\"http://news.example/p.jpg\""));
		free(all);
		mb_wire_feed_free(&f);
	}
}

static void
test_dates(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: refused */
	} cases[] = {
		{ "Thu, 14 May 2020 10:00:18 Z", "2020-05-14T10:00:18Z" },
		{ "Mon, 21 Mar 2018 10:27:32 +0300", "2018-03-21T07:27:32Z" },
		{ "03 Apr 02 1500 GMT", "2002-04-03T15:00:00Z" },
		{ "Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T22:42:40Z" },
		{ "2020/1/10 14:03:00", "2020-01-10T14:03:00Z" },
		{ "2023-01-11T08:53:01+11:00", "2023-01-10T21:53:01Z" },
		{ "2023-12-16", "2023-12-16T00:00:00Z" },
		{ "  Tue, 10 Jun 2003 04:00:00 GMT  ", "2003-06-10T04:00:00Z" },
		{ "Wed, 02 Oct 2002 08:00:00 EST", "2002-10-02T13:00:00Z" },
		{ "Sun, 1 Dec 2019 9:05 PDT", NULL },
		{ "Sun, 1 Dec 2019 09:05 PDT", "2019-12-01T16:05:00Z" },
		{ "Thu, 29 Feb 2021 10:00:00 GMT", NULL },
		{ "mar, 24 sep 2018 10:00:00 +0200", "2018-09-24T08:00:00Z" },
		{ "May 14, 2020 10:00:18", "2020-05-14T10:00:18Z" },
		{ "2020-05-14 10:00", "2020-05-14T10:00:00Z" },
		{ "yesterday", NULL },
		{ "", NULL },
		{ "32 Jan 2020", NULL },
		{ "0000-01-01T00:00:00Z", NULL },
		{ "1969-12-31T23:59:59Z", NULL },
		{ "Mon, 01 Jan 1900 00:00:00 GMT", NULL },
		{ "1970-01-02", "1970-01-02T00:00:00Z" },
	};
	char	out[MB_TIME_RFC3339_LEN];
	int64_t	ms;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = mb_wire_date(cases[i].in, &ms);

		if (cases[i].want == NULL) {
			if (rc == MB_OK)
				fail_msg("\"%s\": accepted", cases[i].in);
			continue;
		}
		if (rc != MB_OK)
			fail_msg("\"%s\": refused", cases[i].in);
		mb_time_format(ms, out);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("\"%s\": %s, want %s", cases[i].in, out,
			    cases[i].want);
	}
}

/* Identity: guid, else link, else a hash of the content. */
static void
test_keys(void **state)
{
	struct mb_wire_feed	f;
	const char		*k;

	(void)state;
	parse_str("<rss><channel><item><guid isPermaLink=\"false\">g-1</guid>"
	    "<link>https://a.example/1</link><title>a</title></item>"
	    "<item><link>https://a.example/2</link><title>b</title></item>"
	    "<item><title>c</title><description>d</description></item>"
	    "</channel></rss>", &f);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    f.entries, 0), "key")), "g-1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    f.entries, 1), "key")), "https://a.example/2");
	k = json_string_value(json_object_get(json_array_get(f.entries, 2),
	    "key"));
	assert_int_equal(strncmp(k, "sha256:", 7), 0);
	assert_int_equal(strlen(k), 7 + 64);
	mb_wire_feed_free(&f);
}

/* Entities are refused; big documents and too many entries stop. */
static void
test_hostile(void **state)
{
	static const char *const bad[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
		"<rss><channel><title>&lol2;</title></channel></rss>",
		"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
		"\"file:///etc/passwd\">]><rss><channel><title>&x;</title>"
		"</channel></rss>",
		"<html><body>not a feed</body></html>",
		"{\"version\": \"1\", \"items\": []}",
		"hello",
	};
	struct mb_wire_feed	 f;
	struct mb_diag		 d = { "" };
	struct mb_buf		 b = MB_BUF_INIT;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mb_wire_parse(bad[i], strlen(bad[i]), NULL, &f, &d) !=
		    MB_ERR_INVAL)
			fail_msg("accepted: %s", bad[i]);
	assert_non_null(strstr(mb_wire_parse(bad[0], strlen(bad[0]), NULL, &f,
	    &d) == MB_ERR_INVAL ? d.msg : "", "ENTITY"));
	/* A DOCTYPE that names a DTD is not read (no network, no file). */
	parse_str("<!DOCTYPE rss PUBLIC \"-//Netscape//DTD RSS 0.91//EN\" "
	    "\"http://127.0.0.1:1/rss.dtd\"><rss><channel><item><title>t"
	    "</title></item></channel></rss>", &f);
	assert_int_equal(json_array_size(f.entries), 1);
	mb_wire_feed_free(&f);
	/* More entries than the cap. */
	assert_int_equal(mb_buf_puts(&b, "<rss><channel>"), MB_OK);
	for (i = 0; i < MB_WIRE_MAX_ENTRIES + 1; i++)
		assert_int_equal(mb_buf_printf(&b, "<item><title>%zu</title>"
		    "</item>", i), MB_OK);
	assert_int_equal(mb_buf_puts(&b, "</channel></rss>"), MB_OK);
	assert_int_equal(mb_wire_parse(b.data, b.len, NULL, &f, &d),
	    MB_ERR_TOOBIG);
	assert_non_null(strstr(d.msg, "entries"));
	assert_int_equal(mb_wire_parse(b.data, MB_WIRE_MAX_INPUT + 1, NULL,
	    &f, &d), MB_ERR_TOOBIG);
	mb_buf_free(&b);
}

static void
test_jsonfeed(void **state)
{
	struct mb_wire_feed	 f;
	const json_t		*it;

	(void)state;
	parse_file(DATA "/feeds/rsparser__3960.json", NULL, &f);
	it = item_at(&f, 0);
	assert_string_equal(f.language, "de-DE");
	assert_non_null(json_object_get(it, "firstCreated"));
	assert_non_null(json_object_get(it, "by"));
	mb_wire_feed_free(&f);
	parse_str("{\"version\": \"https://jsonfeed.org/version/1.1\", "
	    "\"title\": \"J\", \"items\": [{\"id\": 7, \"content_text\": "
	    "\"a < b\", \"url\": \"/p/7\", \"tags\": [\"x\", \"y\"]}]}", &f);
	it = item_at(&f, 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    f.entries, 0), "key")), "7");
	assert_string_equal(body(it), "a &lt; b");
	assert_int_equal(json_array_size(json_object_get(it, "subjects")), 2);
	mb_wire_feed_free(&f);
}

static void
test_newsml_in(void **state)
{
	struct mb_wire_feed	 f;
	const json_t		*it, *s;

	(void)state;
	parse_file(DATA "/newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml", NULL,
	    &f);
	assert_int_equal(f.format, MB_WIRE_NEWSML);
	assert_int_equal(json_array_size(f.entries), 1);
	it = item_at(&f, 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    f.entries, 0), "key")),
	    "urn:newsml:acmenews.com:20161018:US-FINANCE-FED");
	assert_string_equal(headline(it), "Fed to halt QE to avert \"bubble\"");
	assert_string_equal(json_string_value(json_object_get(it,
	    "language")), "en-GB");
	assert_string_equal(json_string_value(json_object_get(it,
	    "firstCreated")), "2016-10-18T18:12:21Z");
	assert_string_equal(json_string_value(json_object_get(it,
	    "versionCreated")), "2018-10-21T21:25:32Z");
	s = json_array_get(json_object_get(it, "subjects"), 1);
	assert_string_equal(json_string_value(json_object_get(s, "uri")),
	    "http://cv.iptc.org/newscodes/mediatopic/20000523");
	assert_string_equal(json_string_value(json_object_get(s, "name")),
	    "labour market");
	assert_string_equal(json_string_value(json_object_get(it, "by")),
	    "Meredith Jameson");
	assert_ninjs(&f, "LISTING_1");
	mb_wire_feed_free(&f);
	parse_file(DATA "/newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml",
	    "https://wire.example/g2/photo.xml", &f);
	it = item_at(&f, 0);
	assert_string_equal(json_string_value(json_object_get(it, "type")),
	    "picture");
	/* Two of its three renditions are file: URLs, which are dropped. */
	assert_int_equal(json_array_size(json_object_get(it, "associations")),
	    1);
	assert_ninjs(&f, "LISTING_3");
	mb_wire_feed_free(&f);
	parse_file(DATA "/newsml-g2/LISTING_6_Simple_NewsML-G2_Package.xml",
	    NULL, &f);
	it = item_at(&f, 0);
	assert_string_equal(json_string_value(json_object_get(it, "type")),
	    "composite");
	assert_true(json_array_size(json_object_get(it, "associations")) >= 2);
	assert_ninjs(&f, "LISTING_6");
	mb_wire_feed_free(&f);
	parse_file(DATA "/newsml-g2/LISTING_22_Sports_story_in_NewsML-G2NITF."
	    "xml", NULL, &f);
	assert_non_null(body(item_at(&f, 0)));
	assert_ninjs(&f, "LISTING_22");
	mb_wire_feed_free(&f);
}

/* Validates doc against the IPTC schema when ../shared has it. */
static void
schema_check(const char *doc, size_t len)
{
	xmlSchemaParserCtxtPtr	 pc;
	xmlSchemaPtr		 sch;
	xmlSchemaValidCtxtPtr	 vc;
	xmlDocPtr		 x;
	struct stat		 sb;

	if (stat(SCHEMA, &sb) != 0)
		return;		/* users do not have ../shared */
	pc = xmlSchemaNewParserCtxt(SCHEMA);
	assert_non_null(pc);
	sch = xmlSchemaParse(pc);
	assert_non_null(sch);
	vc = xmlSchemaNewValidCtxt(sch);
	x = xmlReadMemory(doc, (int)len, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(x);
	if (xmlSchemaValidateDoc(vc, x) != 0)
		fail_msg("not valid NewsML-G2:\n%s", doc);
	xmlFreeDoc(x);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(sch);
	xmlSchemaFreeParserCtxt(pc);
}

/* NewsML-G2 -> ninjs -> NewsML-G2 -> ninjs keeps what matters. */
static void
test_newsml_round_trip(void **state)
{
	struct mb_wire_feed	 f, g;
	struct mb_buf		 out = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	json_t			*a, *b;
	static const char *const keep[] = { "language", "firstCreated",
		"versionCreated", "headlines", "subjects", "by", NULL };

	(void)state;
	parse_str("<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" "
	    "guid=\"urn:x:1\" version=\"2\" xml:lang=\"ar\"><itemMeta>"
	    "<itemClass qcode=\"ninat:text\"/><versionCreated>"
	    "2026-12-05T08:00:00Z</versionCreated><firstCreated>"
	    "2026-12-04T08:00:00Z</firstCreated></itemMeta><contentMeta>"
	    "<infoSource uri=\"https://wire.example/\"><name>Wire</name>"
	    "</infoSource><creator><name>سارة</name></creator>"
	    "<subject qcode=\"medtop:04000000\"><name>economy</name></subject>"
	    "<headline>عنوان &amp; خبر</headline></contentMeta><contentSet>"
	    "<inlineXML contenttype=\"application/xhtml+xml\"><html xmlns="
	    "\"http://www.w3.org/1999/xhtml\"><head><title>t</title></head>"
	    "<body><p>نص <b>الخبر</b><br/>سطر</p></body></html></inlineXML>"
	    "</contentSet></newsItem>", &f);
	a = json_deep_copy(item_at(&f, 0));
	json_object_set_new(a, "uri", json_string("urn:mediabridge:cairo:r1"));
	json_object_set_new(a, "version", json_string("2"));
	assert_int_equal(mb_wire_newsml_write(a, "cairo", &out, &d), MB_OK);
	schema_check(out.data, out.len);
	parse_str(out.data, &g);
	b = json_object_get(json_array_get(g.entries, 0), "item");
	for (size_t i = 0; keep[i] != NULL; i++)
		if (!json_equal(json_object_get(a, keep[i]),
		    json_object_get(b, keep[i])))
			fail_msg("%s changed: %s", keep[i], out.data);
	assert_string_equal(body(b), "<p>نص <b>الخبر</b><br/>سطر</p>");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    g.entries, 0), "key")), "urn:mediabridge:cairo:r1");
	/* The source survives: the wire is named in the second trip too. */
	assert_non_null(strstr(out.data, "<infoSource uri=\"https://wire."
	    "example/\"><name>Wire</name>"));
	assert_true(json_array_size(json_object_get(b, "infoSources")) >= 2);
	json_decref(a);
	mb_wire_feed_free(&f);
	mb_wire_feed_free(&g);
	mb_buf_free(&out);
}

/* Every corpus item written out is valid NewsML-G2; a message too. */
static void
test_newsml_out_valid(void **state)
{
	struct mb_wire_feed	 f;
	struct mb_buf		 msg = MB_BUF_INIT, one = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	const json_t		*e;
	size_t			 i;

	(void)state;
	parse_file(DATA "/feeds/feedjira__TypePadNews.xml", NULL, &f);
	assert_int_equal(mb_wire_newsml_message_begin("cairo", 0, &msg),
	    MB_OK);
	json_array_foreach(f.entries, i, e) {
		json_t *it = json_deep_copy(json_object_get(e, "item"));

		json_object_set_new(it, "uri", json_string("urn:mediabridge:"
		    "cairo:t1"));
		json_object_set_new(it, "version", json_string("1"));
		assert_int_equal(mb_wire_newsml_message_item(it, "cairo", &msg,
		    &d), MB_OK);
		if (i == 0) {
			assert_int_equal(mb_wire_newsml_write(it, "cairo", &one,
			    &d), MB_OK);
			schema_check(one.data, one.len);
		}
		json_decref(it);
	}
	assert_int_equal(mb_wire_newsml_message_end(&msg), MB_OK);
	schema_check(msg.data, msg.len);
	mb_wire_feed_free(&f);
	/* An item without uri is refused, the message left as it was. */
	i = msg.len;
	e = json_pack("{s:s}", "type", "text");
	assert_int_equal(mb_wire_newsml_message_item(e, "c", &msg, &d),
	    MB_ERR_INVAL);
	json_decref((json_t *)e);
	assert_int_equal(msg.len, i);
	mb_buf_free(&msg);
	mb_buf_free(&one);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_jsonfeed),
		cmocka_unit_test(test_newsml_in),
		cmocka_unit_test(test_newsml_round_trip),
		cmocka_unit_test(test_newsml_out_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
