/* SPDX-License-Identifier: MIT */
/* Fuzz target: the segmenter and the check of engines' answers. Whatever
 * the HTML, an engine that changes nothing must pass the check and give
 * the same tags back; whatever an engine answers, an answer that passes
 * the check must never change the document's tags. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "mt/mt.h"
#include "mt/mt_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The tags of s, sorted, one a line (engines may move tags in a segment). */
static char *
tags(const char *s, size_t len)
{
	struct mb_buf	 b = MB_BUF_INIT, o = MB_BUF_INIT;
	char		**v = NULL;
	size_t		 n = 0;

	if (mb_mt_html_skeleton(s, len, &b) != MB_OK || b.data == NULL) {
		mb_buf_free(&b);
		return strdup("");
	}
	for (size_t i = 0; i < b.len; i++)
		n += b.data[i] == '\n';
	v = calloc(n + 1, sizeof(*v));
	n = 0;
	for (char *p = b.data, *nl; (nl = strchr(p, '\n')) != NULL;
	    p = nl + 1) {
		*nl = '\0';
		v[n++] = p;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++) {
		mb_buf_puts(&o, v[i]);
		mb_buf_putc(&o, '\n');
	}
	free(v);
	mb_buf_free(&b);
	return o.data != NULL ? mb_buf_steal(&o) : strdup("");
}

static const struct mb_mt_term terms[] = {
	{ "en", NULL, "Moscow House", NULL },
	{ "en", "es", "media center", "centro <de> medios" },
	{ "en", NULL, "a", NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_mt__doc	*doc = NULL;
	struct mb_mt_glossary	*g = NULL;
	struct mb_buf		 out = MB_BUF_INIT;
	struct mb_diag		 d;
	const char		*text, *answer = NULL;
	char			**forms = NULL, *a, *b;
	size_t			 n = 0, tlen;
	bool			 plain, gloss;
	int			 rc;

	if (size == 0)
		return 0;
	/* First byte: plain text?, glossary?; then the document, then
	 * (after a NUL) an engine's answer for the first segment. */
	plain = data[0] & 1;
	gloss = data[0] & 2;
	text = (const char *)data + 1;
	tlen = size - 1;
	if ((a = memchr(text, '\0', tlen)) != NULL) {
		answer = a + 1;
		tlen = (size_t)(a - text);
		if (memchr(answer, '\0', size - 1 - tlen - 1) == NULL)
			answer = NULL;	/* not NUL-terminated: ignore it */
	}
	if (mb_mt__doc_parse(text, tlen, plain, &doc, &d) != MB_OK)
		return 0;
	if (gloss && (mb_mt_glossary_new(terms, 3, &g, &d) != MB_OK ||
	    mb_mt__doc_protect(doc, g, "en", "es", &d) != MB_OK))
		abort();
	n = mb_mt__doc_count(doc);
	forms = calloc(n + 1, sizeof(*forms));
	for (size_t k = 0; k < n; k++) {
		char *ok;

		if (mb_mt__doc_form(doc, k, &forms[k]) != MB_OK)
			abort();
		/* An engine that changes nothing always passes. */
		if (mb_mt__doc_check(doc, k, forms[k], &ok, &d) != MB_OK) {
			fprintf(stderr, "identity refused: %s\nform: %s\n",
			    d.msg, forms[k]);
			abort();
		}
		free(forms[k]);
		forms[k] = ok;
	}
	if (answer != NULL && n > 0) {
		char *ok;

		rc = mb_mt__doc_check(doc, 0, answer, &ok, &d);
		if (rc == MB_OK) {
			free(forms[0]);
			forms[0] = ok;
		} else if (rc != MB_ERR_CORRUPT && rc != MB_ERR_NOMEM) {
			abort();
		}
	}
	if (mb_mt__doc_assemble(doc, forms, &out, &d) != MB_OK)
		abort();
	if (!mb_utf8_valid(mb_buf_cstr(&out), out.len))
		abort();
	if (!plain) {
		a = tags(text, tlen);
		b = tags(mb_buf_cstr(&out), out.len);
		if (strcmp(a, b) != 0)
			abort();
		free(a);
		free(b);
	}
	for (size_t k = 0; k < n; k++)
		free(forms[k]);
	free(forms);
	mb_buf_free(&out);
	mb_mt_glossary_free(g);
	mb_mt__doc_free(doc);
	return 0;
}
