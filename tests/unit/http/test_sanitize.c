/* SPDX-License-Identifier: MIT */
/* Unit tests for the HTML sanitizer: hostile vectors and real news HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gumbo.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "http/sanitize.h"

/*
 * The oracle. It is written from the policy in docs/sanitizer.md, not
 * from the sanitizer's code: it re-parses the output the way a browser
 * would and looks at what a browser would see.
 */
static const char *const ok_elements[] = {
	"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i",
	"em", "u", "s", "sub", "sup", "small", "mark", "q", "cite", "abbr",
	"dfn", "blockquote", "pre", "code", "kbd", "samp", "var", "ul", "ol",
	"li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "table",
	"caption", "thead", "tbody", "tfoot", "tr", "th", "td", "span", "div",
	"time", "del", "ins", "bdi", "bdo", "wbr", NULL
};

/* Names that must never be seen, whatever the allowlist says. */
static const char *const bad_elements[] = {
	"script", "style", "iframe", "frame", "frameset", "object", "embed",
	"applet", "param", "form", "input", "button", "select", "option",
	"textarea", "svg", "math", "template", "noscript", "noembed",
	"noframes", "xmp", "plaintext", "title", "base", "meta", "link",
	"head", "body", "html", "video", "audio", "source", "img2", "area",
	"map", "marquee", "isindex", "h1", NULL
};

/* element name, then its attributes; "*" holds the global ones. */
static const char *const ok_attrs[][8] = {
	{ "*", "title", "lang", "dir", NULL },
	{ "a", "href", "hreflang", "rel", NULL },
	{ "img", "src", "alt", "width", "height", NULL },
	{ "td", "colspan", "rowspan", NULL },
	{ "th", "colspan", "rowspan", "scope", NULL },
	{ "ol", "start", "reversed", "type", NULL },
	{ "li", "value", NULL },
	{ "time", "datetime", NULL },
	{ "blockquote", "cite", NULL },
	{ "q", "cite", NULL },
	{ "del", "cite", NULL },
	{ "ins", "cite", NULL },
};

/* Every attribute that a browser reads as a URL somewhere. */
static const char *const url_attrs[] = {
	"href", "src", "cite", "action", "formaction", "data", "poster",
	"background", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest",
	"icon", "ping", "srcset", "xlink:href", "usemap", "profile", NULL
};

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static bool
attr_allowed(const char *el, const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(ok_attrs) / sizeof(ok_attrs[0]); i++)
		if ((strcmp(ok_attrs[i][0], "*") == 0 ||
		    strcmp(ok_attrs[i][0], el) == 0) &&
		    in_list(&ok_attrs[i][1], name))
			return true;
	return false;
}

/*
 * A URL is safe when, with every ASCII whitespace and control character
 * removed and lower-cased, it has no scheme or an http, https or mailto
 * one, and in no case starts with a scheme known to run code.
 */
static bool
url_safe(const char *v)
{
	char	 norm[256];
	size_t	 n = 0;
	char	*colon, *stop;

	for (; *v != '\0' && n < sizeof(norm) - 1; v++) {
		unsigned char c = (unsigned char)*v;

		if (c <= 0x20 || c == 0x7f)
			continue;
		norm[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	norm[n] = '\0';
	if (strncmp(norm, "javascript:", 11) == 0 ||
	    strncmp(norm, "vbscript:", 9) == 0 ||
	    strncmp(norm, "data:", 5) == 0 ||
	    strncmp(norm, "livescript:", 11) == 0)
		return false;
	colon = strchr(norm, ':');
	stop = strpbrk(norm, "/?#");
	if (colon == NULL || (stop != NULL && stop < colon))
		return true;
	*colon = '\0';
	return strcmp(norm, "http") == 0 || strcmp(norm, "https") == 0 ||
	    strcmp(norm, "mailto") == 0;
}

struct check {
	const char	*vector;
	unsigned	 maxdepth;
	char		 why[256];
};

/* Walks the re-parsed tree (recursion is fine: depth is capped). */
static bool
check_node(struct check *c, const GumboNode *n, unsigned depth)
{
	const GumboElement	*e;
	const char		*name;
	unsigned		 i;
	bool			 has_href = false;
	const char		*rel = NULL;

	if (n->type == GUMBO_NODE_COMMENT) {
		snprintf(c->why, sizeof(c->why), "a comment survived");
		return false;
	}
	if (n->type != GUMBO_NODE_ELEMENT)
		return true;
	e = &n->v.element;
	name = e->tag == GUMBO_TAG_UNKNOWN ? "(unknown)" :
	    gumbo_normalized_tagname(e->tag);
	if (e->tag_namespace != GUMBO_NAMESPACE_HTML ||
	    !in_list(ok_elements, name) || in_list(bad_elements, name)) {
		snprintf(c->why, sizeof(c->why), "element <%s> ns %d", name,
		    (int)e->tag_namespace);
		return false;
	}
	if (depth > c->maxdepth)
		c->maxdepth = depth;
	for (i = 0; i < e->attributes.length; i++) {
		const GumboAttribute *a = e->attributes.data[i];

		if (strncmp(a->name, "on", 2) == 0 ||
		    !attr_allowed(name, a->name) ||
		    (in_list(url_attrs, a->name) && !url_safe(a->value))) {
			snprintf(c->why, sizeof(c->why), "<%s %s=\"%.100s\">",
			    name, a->name, a->value);
			return false;
		}
		if (strcmp(a->name, "href") == 0)
			has_href = true;
		if (strcmp(a->name, "rel") == 0)
			rel = a->value;
	}
	if (e->tag == GUMBO_TAG_IMG &&
	    gumbo_get_attribute(&e->attributes, "src") == NULL) {
		snprintf(c->why, sizeof(c->why), "<img> without src");
		return false;
	}
	if (has_href && (rel == NULL ||
	    strcmp(rel, "noopener noreferrer nofollow ugc") != 0)) {
		snprintf(c->why, sizeof(c->why), "link without rel");
		return false;
	}
	for (i = 0; i < e->children.length; i++)
		if (!check_node(c, e->children.data[i], depth + 1))
			return false;
	return true;
}

static char *
sanitize(const char *in, size_t len, size_t *outlen)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d;

	mb_diag_clear(&d);
	if (mb_sanitize_html(in, len, &b, &d) != MB_OK) {
		fprintf(stderr, "sanitize failed: %s\n", d.msg);
		return NULL;
	}
	*outlen = b.len;
	return mb_buf_steal(&b);
}

/* The whole oracle for one input. Returns NULL or what is wrong. */
static const char *
check_vector(struct check *c, const char *in, size_t len)
{
	GumboOptions	 opt = kGumboDefaultOptions;
	GumboOutput	*g;
	char		*out, *again;
	size_t		 olen, alen;
	unsigned	 i;
	bool		 ok = true;

	if ((out = sanitize(in, len, &olen)) == NULL)
		return "sanitize failed";
	if (!mb_utf8_valid(out, olen) || strlen(out) != olen) {
		free(out);
		return "output is not UTF-8 text";
	}
	opt.fragment_context = GUMBO_TAG_DIV;
	g = gumbo_parse_with_options(&opt, out, olen);
	c->maxdepth = 0;
	for (i = 0; ok && i < g->root->v.element.children.length; i++)
		ok = check_node(c, g->root->v.element.children.data[i], 1);
	gumbo_destroy_output(&opt, g);
	if (ok && c->maxdepth > MB_SANITIZE_MAX_DEPTH + 1) {
		snprintf(c->why, sizeof(c->why), "depth %u", c->maxdepth);
		ok = false;
	}
	/* Idempotence: a re-parse that mutates the tree shows up here. */
	if (ok && ((again = sanitize(out, olen, &alen)) == NULL ||
	    alen != olen || memcmp(again, out, olen) != 0)) {
		snprintf(c->why, sizeof(c->why), "not idempotent: %.200s",
		    again == NULL ? "(fail)" : again);
		ok = false;
	}
	if (ok)
		free(again);
	if (!ok)
		fprintf(stderr, "vector: %s\noutput: %s\n", c->vector, out);
	free(out);
	return ok ? NULL : c->why;
}

/* Undoes the escapes of xss_vectors.txt; returns the length. */
static size_t
unescape(char *s)
{
	char	*w = s, *r = s;

	while (*r != '\0') {
		if (*r != '\\' || r[1] == '\0') {
			*w++ = *r++;
			continue;
		}
		switch (r[1]) {
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case 't':
			*w++ = '\t';
			break;
		case '0':
			*w++ = '\0';
			break;
		case '\\':
			*w++ = '\\';
			break;
		case 'x':
			if (r[2] != '\0' && r[3] != '\0') {
				char hex[3] = { r[2], r[3], '\0' };

				*w++ = (char)strtol(hex, NULL, 16);
				r += 2;
				break;
			}
			/* FALLTHROUGH */
		default:
			*w++ = r[0];
			*w++ = r[1];
			break;
		}
		r += 2;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void
test_vectors(void **state)
{
	char		 line[8192], raw[8192];
	FILE		*f;
	struct check	 c;
	const char	*why;
	size_t		 len, n = 0, bad = 0;

	(void)state;
	f = fopen(MB_TEST_SRCDIR "/tests/unit/http/xss_vectors.txt", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		memcpy(raw, line, sizeof(raw));
		len = unescape(line);
		c.vector = raw;
		if ((why = check_vector(&c, line, len)) != NULL) {
			fprintf(stderr, "FAIL: %s\n", why);
			bad++;
		}
		n++;
	}
	fclose(f);
	fprintf(stderr, "%zu vectors\n", n);
	assert_true(n >= 300);
	assert_int_equal(bad, 0);
}

/*
 * Generated vectors: every way of hiding a scheme we know, in every URL
 * attribute the policy keeps, and every handler on every kept element.
 */
static void
test_generated(void **state)
{
	static const char *const prefix[] = {
		"javascript:", "JavaScript:", " javascript:", "\tjavascript:",
		"java\tscript:", "java&#x09;script:", "java&#10;script:",
		"&#x6a;avascript:", "&#106;avascript:", "javascript&#58;",
		"javascript&colon;", "java\x01script:", "\x01javascript:",
		"&#0;javascript:", "vbscript:", "data:text/html,",
		"data:image/svg+xml,", " &#14; javascript:", "jav&Tab;ascript:",
		"javascript&#x3A;", "\x7fjavascript:", "java\nscript:", NULL
	};
	static const char *const where[][2] = {
		{ "<a href=\"", "\">x</a>" }, { "<a href='", "'>x</a>" },
		{ "<a href=", ">x</a>" }, { "<img src=\"", "\">" },
		{ "<blockquote cite=\"", "\">x</blockquote>" },
		{ "<q cite=\"", "\">x</q>" }, { "<del cite=\"", "\">x</del>" },
		{ NULL, NULL }
	};
	static const char *const events[] = {
		"onclick", "onerror", "onload", "onmouseover", "ONFOCUS",
		"OnAnimationStart", "onpointerenter", NULL
	};
	char		 in[512];
	struct check	 c;
	const char	*why;
	size_t		 i, j;
	int		 k;

	(void)state;
	for (i = 0; prefix[i] != NULL; i++)
		for (j = 0; where[j][0] != NULL; j++) {
			snprintf(in, sizeof(in), "%s%salert(1)%s", where[j][0],
			    prefix[i], where[j][1]);
			c.vector = in;
			why = check_vector(&c, in, strlen(in));
			assert_null(why);
		}
	for (i = 0; events[i] != NULL; i++)
		for (j = 0; ok_elements[j] != NULL; j++) {
			k = snprintf(in, sizeof(in),
			    "<table><tr><td><%s src=x href=x %s=alert(1)>x</%s>"
			    "</td></tr></table><%s %s=alert(1) title=t>y",
			    ok_elements[j], events[i], ok_elements[j],
			    ok_elements[j], events[i]);
			assert_true(k > 0 && (size_t)k < sizeof(in));
			c.vector = in;
			why = check_vector(&c, in, strlen(in));
			assert_null(why);
		}
}

/* Exact outputs: ordinary news HTML must come through intact. */
static void
expect(const char *in, const char *want)
{
	char	*out;
	size_t	 len;

	out = sanitize(in, strlen(in), &len);
	assert_non_null(out);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "in:   %s\nwant: %s\ngot:  %s\n", in, want, out);
	assert_string_equal(out, want);
	free(out);
}

#define REL " rel=\"noopener noreferrer nofollow ugc\""

static void
test_news(void **state)
{
	(void)state;
	expect("", "");
	expect("plain text", "plain text");
	expect("<p>One.</p>\n<p>Two <b>bold</b> <i>it</i>.</p>",
	    "<p>One.</p>\n<p>Two <b>bold</b> <i>it</i>.</p>");
	expect("<p>Unclosed<p>paragraphs", "<p>Unclosed</p><p>paragraphs</p>");
	expect("<h1>Head</h1><h2>Sub</h2><h6>x</h6>",
	    "<h2>Head</h2><h2>Sub</h2><h6>x</h6>");
	expect("<a href=\"https://example.org/a?b=1&amp;c=2#d\" "
	    "title=\"T\" target=\"_blank\" rel=\"author\">link</a>",
	    "<a href=\"https://example.org/a?b=1&amp;c=2#d\" title=\"T\""
	    REL ">link</a>");
	expect("<a href=\"/local/page\">r</a><a href=\"#sec\">f</a>"
	    "<a href=\"mailto:desk@example.org\">m</a>",
	    "<a href=\"/local/page\"" REL ">r</a><a href=\"#sec\"" REL
	    ">f</a><a href=\"mailto:desk@example.org\"" REL ">m</a>");
	expect("<a href=\" https://example.org/ \">x</a>",
	    "<a href=\"https://example.org/\"" REL ">x</a>");
	expect("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>");
	expect("<img src=\"https://img.example/a.jpg\" alt=\"A &quot;cat&quot;\""
	    " width=\"640\" height=\"480\" class=\"x\" style=\"y\">",
	    "<img src=\"https://img.example/a.jpg\" alt=\"A &quot;cat&quot;\""
	    " width=\"640\" height=\"480\">");
	expect("<img src=\"javascript:alert(1)\" alt=\"x\">", "");
	expect("<figure><img src=\"a.jpg\" alt=\"\"><figcaption>Photo: "
	    "AFP</figcaption></figure>",
	    "<figure><img src=\"a.jpg\" alt=\"\"><figcaption>Photo: "
	    "AFP</figcaption></figure>");
	expect("<table><tr><th scope=col>Party</th><th>Seats</th></tr>"
	    "<tr><td colspan=2>None</td></tr></table>",
	    "<table><tbody><tr><th scope=\"col\">Party</th><th>Seats</th>"
	    "</tr><tr><td colspan=\"2\">None</td></tr></tbody></table>");
	expect("<table>\n<caption>C</caption>\n<thead><tr><th>h</th></tr>"
	    "</thead>\n</table>",
	    "<table>\n<caption>C</caption>\n<thead><tr><th>h</th></tr>"
	    "</thead>\n</table>");
	expect("<p dir=\"RTL\" lang=\"ar\">"
	    "\xd8\xa7\xd9\x84\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 "
	    "\xd8\xb9\xd9\x84\xd9\x8a\xd9\x83\xd9\x85</p>",
	    "<p dir=\"rtl\" lang=\"ar\">"
	    "\xd8\xa7\xd9\x84\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 "
	    "\xd8\xb9\xd9\x84\xd9\x8a\xd9\x83\xd9\x85</p>");
	expect("<p dir=\"sideways\" lang=\"x y\">t</p>", "<p>t</p>");
	expect("<p>&amp; &lt; &gt; &quot; &copy; &nbsp; &#8364; &euro; "
	    "&#x1F600;</p>",
	    "<p>&amp; &lt; &gt; \" \xc2\xa9 \xc2\xa0 \xe2\x82\xac "
	    "\xe2\x82\xac \xf0\x9f\x98\x80</p>");
	expect("<ul><li>a<li>b</ul><ol start=\"3\" reversed><li value=7>c"
	    "</ol>",
	    "<ul><li>a</li><li>b</li></ul><ol start=\"3\" reversed=\"\">"
	    "<li value=\"7\">c</li></ol>");
	expect("<dl><dt>T<dd>D</dl>", "<dl><dt>T</dt><dd>D</dd></dl>");
	expect("<blockquote cite=\"https://x.example/\"><p>Q</p></blockquote>"
	    "<q>q</q><cite>c</cite>",
	    "<blockquote cite=\"https://x.example/\"><p>Q</p></blockquote>"
	    "<q>q</q><cite>c</cite>");
	expect("<p>Published <time datetime=\"2024-05-01T10:00:00Z\">May 1"
	    "</time></p>",
	    "<p>Published <time datetime=\"2024-05-01T10:00:00Z\">May 1"
	    "</time></p>");
	expect("<pre>\n\ncode</pre>", "<pre>\n\ncode</pre>");
	expect("<pre>code &lt;b&gt;</pre>", "<pre>code &lt;b&gt;</pre>");
	expect("<p>a<br>b<br/>c</p><hr>", "<p>a<br>b<br>c</p><hr>");
	expect("<abbr title=\"United Nations\">UN</abbr> <sub>2</sub>"
	    "<sup>3</sup><small>s</small><mark>m</mark><u>u</u><s>s</s>"
	    "<strike>k</strike>",
	    "<abbr title=\"United Nations\">UN</abbr> <sub>2</sub>"
	    "<sup>3</sup><small>s</small><mark>m</mark><u>u</u><s>s</s>"
	    "<s>k</s>");
	expect("<div class=\"c\" id=\"i\" style=\"s\"><span>x</span></div>",
	    "<div><span>x</span></div>");
	expect("<article><section><font color=red>kept</font> text"
	    "</section></article>", "kept text");
	expect("<p>before<script>alert(1)</script>after</p>",
	    "<p>beforeafter</p>");
	expect("<p>a<!-- note -->b</p>", "<p>ab</p>");
	expect("<!DOCTYPE html><p>x</p>", "<p>x</p>");
	expect("<p>a\r\nb</p>", "<p>a\nb</p>");
	expect("<p>a&#13;b</p>", "<p>a&#13;b</p>");
	expect("<p>bad \xff byte</p>", "<p>bad \xef\xbf\xbd byte</p>");
}

static void
test_limits(void **state)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d;
	char		*big, *out;
	size_t		 i, len, n = 5000;
	struct check	 c;

	(void)state;
	mb_diag_clear(&d);
	assert_int_equal(mb_sanitize_html(NULL, 1, &b, &d), MB_ERR_INVAL);
	assert_int_equal(mb_sanitize_html(NULL, 0, &b, &d), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), "");
	mb_buf_reset(&b);
	/* Appends: what is in out stays. */
	assert_int_equal(mb_buf_puts(&b, "keep"), MB_OK);
	assert_int_equal(mb_sanitize_html("<b>x</b>", 8, &b, &d), MB_OK);
	assert_string_equal(mb_buf_cstr(&b), "keep<b>x</b>");

	big = calloc(1, MB_SANITIZE_MAX_INPUT + 1);
	assert_non_null(big);
	memset(big, 'a', MB_SANITIZE_MAX_INPUT + 1);
	assert_int_equal(mb_sanitize_html(big, MB_SANITIZE_MAX_INPUT + 1, &b,
	    &d), MB_ERR_TOOBIG);
	assert_string_equal(mb_buf_cstr(&b), "keep<b>x</b>");
	free(big);

	/* Deep nesting: below the parse limit it is flattened... */
	big = malloc(n * 5 + 16);
	assert_non_null(big);
	for (i = 0; i < 1000; i++)
		memcpy(big + i * 5, "<div>", 5);
	memcpy(big + 1000 * 5, "x", 2);
	c.vector = "1000 nested divs";
	assert_null(check_vector(&c, big, strlen(big)));
	out = sanitize(big, strlen(big), &len);
	assert_non_null(out);
	assert_non_null(strstr(out, "x"));
	free(out);
	/* ...and above it refused before gumbo goes quadratic. */
	for (i = 0; i < n; i++)
		memcpy(big + i * 5, "<div>", 5);
	big[n * 5] = '\0';
	assert_int_equal(mb_sanitize_html(big, n * 5, &b, &d), MB_ERR_TOOBIG);
	/* Closed elements do not count. */
	for (i = 0; i < n / 2; i++)
		memcpy(big + i * 10, "<i>x</i>  ", 10);
	assert_int_equal(mb_sanitize_html(big, n * 5, &b, &d), MB_OK);
	free(big);
	mb_buf_free(&b);
}

/* The speed figure: a ~20 KB news body, sanitized many times. */
static void
test_speed(void **state)
{
	struct mb_buf	 in = MB_BUF_INIT, out = MB_BUF_INIT;
	struct timespec	 t0, t1;
	double		 secs;
	int		 i, runs = 200;

	(void)state;
	while (in.len < 20000)
		assert_int_equal(mb_buf_printf(&in,
		    "<p class=\"x\">Paragraph %zu with <a href=\"https://ex"
		    "ample.org/%zu\">a link</a>, <b>bold</b> &amp; "
		    "<em>emphasis</em>, and some ordinary text that goes on."
		    "</p>\n<img src=\"/m/%zu.jpg\" alt=\"pic\">\n"
		    "<table><tr><td>1</td><td>2</td></tr></table>\n",
		    in.len, in.len, in.len), MB_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < runs; i++) {
		mb_buf_reset(&out);
		assert_int_equal(mb_sanitize_html(in.data, in.len, &out, NULL),
		    MB_OK);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "speed: %zu byte body, %.1f MB/s, %.3f ms each\n",
	    in.len, (double)in.len * runs / secs / 1e6, secs * 1e3 / runs);
	mb_buf_free(&in);
	mb_buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_news),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
