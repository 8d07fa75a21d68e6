/* SPDX-License-Identifier: MIT */
/*
 * From the bytes a server sent to an XML tree: the encoding found (BOM,
 * HTTP, the XML declaration, the bytes themselves), everything turned
 * into UTF-8 with iconv, characters XML forbids dropped, then libxml2
 * with no network, no DTD, no entity substitution, recovering from what
 * real feeds get wrong. Plus the node helpers every format parser uses.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include "base/utf8.h"
#include "base/xml.h"
#include "wire_int.h"

/* Appends the code point cp unless XML 1.0 forbids it. */
static int
put_cp(struct mb_buf *out, unsigned cp, const char *s, size_t n)
{
	if (!mb_xml_char(cp))
		return MB_OK;
	return mb_buf_append(out, s, n);
}

/* UTF-8 in, clean UTF-8 out: bad sequences and forbidden chars dropped. */
static int
clean_utf8(const char *s, size_t len, struct mb_buf *out)
{
	size_t		i = 0, n;
	unsigned	cp;
	int		rc;

	if ((rc = mb_buf_reserve(out, len + 1)) != MB_OK)
		return rc;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			if ((rc = put_cp(out, (unsigned char)s[i], s + i, 1)) !=
			    MB_OK)
				return rc;
			i++;
			continue;
		}
		if ((n = mb_utf8_decode(s + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		if ((rc = put_cp(out, cp, s + i, n)) != MB_OK)
			return rc;
		i += n;
	}
	return MB_OK;
}

/* iconv from cs to UTF-8; bytes it cannot convert are skipped. */
static int
convert(const char *cs, const char *s, size_t len, struct mb_buf *out,
    struct mb_diag *d)
{
	struct mb_buf	 tmp = MB_BUF_INIT;
	iconv_t		 cd;
	char		*in = (char *)s, *o;
	size_t		 inleft = len, oleft, r;
	int		 rc;

	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return mb_diag_set(d, MB_ERR_INVAL, "encoding \"%.40s\": not "
		    "known", cs);
	if ((rc = mb_buf_reserve(&tmp, len * 4 + 16)) != MB_OK)
		goto out;
	o = tmp.data;
	oleft = tmp.cap - 1;
	while (inleft > 0) {
		r = iconv(cd, &in, &inleft, &o, &oleft);
		if (r != (size_t)-1)
			break;
		if (errno == EILSEQ || errno == EINVAL) {
			/* A byte the encoding has no character for. */
			in++;
			inleft--;
			continue;
		}
		rc = mb_diag_set(d, MB_ERR_INVAL, "encoding \"%.40s\": "
		    "conversion failed", cs);
		goto out;
	}
	tmp.len = (size_t)(o - tmp.data);
	tmp.data[tmp.len] = '\0';
	rc = clean_utf8(tmp.data, tmp.len, out);
out:
	mb_buf_free(&tmp);
	iconv_close(cd);
	return rc;
}

/* The encoding named by the XML declaration at s, or "". */
static void
declared(const char *s, size_t len, char out[64])
{
	const char	*p, *e, *end;
	char		 q;
	size_t		 n;

	out[0] = '\0';
	if (len > 512)
		len = 512;
	end = s + len;
	if ((p = memmem(s, len, "<?xml", 5)) == NULL ||
	    (e = memmem(p, (size_t)(end - p), "?>", 2)) == NULL)
		return;
	if ((p = memmem(p, (size_t)(e - p), "encoding", 8)) == NULL)
		return;
	p += 8;
	while (p < e && (*p == ' ' || *p == '='))
		p++;
	if (p >= e || (*p != '"' && *p != '\''))
		return;
	q = *p++;
	for (n = 0; p < e && *p != q && n < 63; p++)
		out[n++] = *p;
	out[n] = '\0';
}

static bool
is_utf8_name(const char *cs)
{
	return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0;
}

int
mb_wire__utf8(const char *buf, size_t len, const char *charset,
    struct mb_buf *out, struct mb_diag *d)
{
	const unsigned char	*u = (const unsigned char *)buf;
	char			 decl[64];
	const char		*cands[3];
	int			 i, n = 0, rc;

	/* UTF-16, with a BOM or sniffed from "<" (3C 00 / 00 3C). */
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	    (u[0] == 0x3c && u[1] == 0x00)))
		return convert("UTF-16LE", buf + (u[0] == 0xff ? 2 : 0),
		    len - (u[0] == 0xff ? 2 : 0), out, d);
	if (len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) ||
	    (u[0] == 0x00 && u[1] == 0x3c)))
		return convert("UTF-16BE", buf + (u[0] == 0xfe ? 2 : 0),
		    len - (u[0] == 0xfe ? 2 : 0), out, d);
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return clean_utf8(buf + 3, len - 3, out);
	/*
	 * Bytes that are UTF-8 are UTF-8, whatever a header or declaration
	 * says: a feed that says ISO-8859-1 and sends UTF-8 is common, one
	 * whose Latin-1 or Cyrillic text is by chance valid UTF-8 is not.
	 */
	if (mb_utf8_valid(buf, len))
		return clean_utf8(buf, len, out);
	declared(buf, len, decl);
	if (charset != NULL && charset[0] != '\0' && !is_utf8_name(charset))
		cands[n++] = charset;
	if (decl[0] != '\0' && !is_utf8_name(decl))
		cands[n++] = decl;
	/* No usable declaration: what servers meant by Latin-1. */
	cands[n++] = "WINDOWS-1252";
	rc = MB_ERR_INVAL;
	for (i = 0; i < n; i++) {
		/* GB2312 documents use GBK's characters too. */
		const char *cs = strcasecmp(cands[i], "gb2312") == 0 ? "GBK" :
		    cands[i];

		if ((rc = convert(cs, buf, len, out, d)) != MB_ERR_INVAL)
			return rc;
	}
	return rc;
}

/*
 * Ampersands the way feeds write them: a bare "&" ("Fish & Chips") and
 * HTML's named entities (&nbsp;, undeclared in XML) become "&amp;", so
 * the text keeps them (HTML fields decode them later) and the parser
 * does not drop what follows. CDATA sections and comments are copied as
 * they are.
 */
static int
fix_amps(const char *s, size_t len, struct mb_buf *out)
{
	static const char *const xml_names[] = { "amp;", "lt;", "gt;",
		"quot;", "apos;", NULL };
	const char	*p = s, *end = s + len, *q;
	int		 rc = MB_OK;

	if (memchr(s, '&', len) == NULL)
		return mb_buf_append(out, s, len);
	while (p < end && rc == MB_OK) {
		if (*p == '<' && end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			q = memmem(p, (size_t)(end - p), "]]>", 3);
			q = q != NULL ? q + 3 : end;
			rc = mb_buf_append(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (*p == '<' && end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			q = memmem(p, (size_t)(end - p), "-->", 3);
			q = q != NULL ? q + 3 : end;
			rc = mb_buf_append(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (*p != '&') {
			rc = mb_buf_putc(out, *p++);
			continue;
		}
		q = p + 1;
		if (q < end && *q == '#') {
			q++;
			if (q < end && (*q == 'x' || *q == 'X'))
				while (++q < end && isxdigit((unsigned char)*q))
					;
			else
				while (q < end && isdigit((unsigned char)*q))
					q++;
			if (q < end && *q == ';' && q - p > 2) {
				rc = mb_buf_append(out, p, (size_t)(q + 1 - p));
				p = q + 1;
				continue;
			}
		} else {
			size_t i;

			for (i = 0; xml_names[i] != NULL; i++)
				if ((size_t)(end - q) >= strlen(xml_names[i]) &&
				    memcmp(q, xml_names[i],
				    strlen(xml_names[i])) == 0)
					break;
			if (xml_names[i] != NULL) {
				rc = mb_buf_append(out, p, 1 +
				    strlen(xml_names[i]));
				p += 1 + strlen(xml_names[i]);
				continue;
			}
		}
		rc = mb_buf_puts(out, "&amp;");
		p++;
	}
	return rc;
}

static pthread_once_t	xml_once = PTHREAD_ONCE_INIT;

/* Errors are counted by libxml2 and never printed. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
xml_init(void)
{
	xmlInitParser();
}

int
mb_wire__xml(const char *utf8, size_t len, const char *url, xmlDoc **out,
    struct mb_diag *d)
{
	const char	*p = utf8, *end = utf8 + len;
	struct mb_buf	 fixed = MB_BUF_INIT;
	xmlDoc		*doc;

	pthread_once(&xml_once, xml_init);
	/* Blank lines before "<?xml" (PHP's output): not XML, but common. */
	while (p < end && isspace((unsigned char)*p))
		p++;
	/*
	 * No entity is ever declared in a feed that is meant well: refusing
	 * the declarations refuses the billion laughs and external entities
	 * whatever the parser would do with them.
	 */
	if (memmem(p, (size_t)(end - p), "<!ENTITY", 8) != NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "the document declares "
		    "entities (<!ENTITY>), which are not accepted");
	if (end - p > (long)INT32_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "document too large");
	if (fix_amps(p, (size_t)(end - p), &fixed) != MB_OK)
		return MB_ERR_NOMEM;
	xmlSetGenericErrorFunc(NULL, quiet);
	doc = xmlReadMemory(fixed.data, (int)fixed.len, url != NULL && *url != '\0' ?
	    url : NULL, "UTF-8", XML_PARSE_NONET | XML_PARSE_RECOVER |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
	    XML_PARSE_IGNORE_ENC);
	mb_buf_free(&fixed);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		return mb_diag_set(d, MB_ERR_INVAL, "not XML");
	}
	*out = doc;
	return MB_OK;
}

bool
mb_wire__is(const xmlNode *n, const char *ns, const char *name)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE ||
	    strcmp((const char *)n->name, name) != 0)
		return false;
	if (ns == NULL)
		return n->ns == NULL || n->ns->href == NULL;
	return n->ns != NULL && n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0;
}

int
mb_wire__set(struct mb_buf *out, const char *s)
{
	mb_buf_reset(out);
	return mb_buf_puts(out, s != NULL ? s : "");
}

static int
append_trimmed(struct mb_buf *out, const char *s)
{
	size_t	n;

	if (s == NULL)
		return MB_OK;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return mb_buf_append(out, s, n);
}

int
mb_wire__text(const xmlNode *n, struct mb_buf *out)
{
	xmlChar	*c;
	int	 rc;

	if (n == NULL)
		return MB_OK;
	if ((c = xmlNodeGetContent(n)) == NULL)
		return MB_OK;
	rc = append_trimmed(out, (const char *)c);
	xmlFree(c);
	return rc;
}

int
mb_wire__attr(const xmlNode *n, const char *name, struct mb_buf *out)
{
	xmlChar	*c;
	int	 rc;

	if ((c = xmlGetNoNsProp(n, (const xmlChar *)name)) == NULL)
		return MB_OK;
	rc = append_trimmed(out, (const char *)c);
	xmlFree(c);
	return rc;
}

int
mb_wire__base(const xmlNode *n, const char *url, struct mb_buf *out)
{
	xmlChar	*b;
	int	 rc;

	/* xmlNodeGetBase walks up the xml:base attributes to the URL. */
	if ((b = xmlNodeGetBase(n->doc, n)) == NULL)
		return mb_buf_puts(out, url != NULL ? url : "");
	rc = mb_buf_puts(out, (const char *)b);
	xmlFree(b);
	return rc;
}

int
mb_wire__inner_xml(xmlNode *n, struct mb_buf *out)
{
	xmlBuffer	*xb;
	xmlNode		*c;
	int		 rc = MB_OK;

	if ((xb = xmlBufferCreate()) == NULL)
		return MB_ERR_NOMEM;
	for (c = n->children; c != NULL; c = c->next)
		if (xmlNodeDump(xb, n->doc, c, 0, 0) < 0) {
			rc = MB_ERR_NOMEM;
			break;
		}
	if (rc == MB_OK)
		rc = mb_buf_append(out, xmlBufferContent(xb),
		    (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return rc;
}

int64_t
mb_wire__date_of(const xmlNode *n)
{
	struct mb_buf	b = MB_BUF_INIT;
	int64_t		ms = 0;

	if (n != NULL && mb_wire__text(n, &b) == MB_OK &&
	    mb_wire_date(mb_buf_cstr(&b), &ms) != MB_OK)
		ms = 0;
	mb_buf_free(&b);
	return ms;
}
