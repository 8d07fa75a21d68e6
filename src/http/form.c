/* SPDX-License-Identifier: MIT */
/* Form bodies decoded without libmicrohttpd, so that a fuzzer links only this. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes x-www-form-urlencoded in place; the decoded length. */
static size_t
form_decode(char *s)
{
	char *o = s, *start = s;

	for (; *s != '\0'; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%' && hexval(s[1]) >= 0 &&
		    hexval(s[2]) >= 0) {
			*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return (size_t)(o - start);
}

/*
 * Names field in f->bad when value (len bytes) is no text a handler can
 * take whole: a NUL byte (a C string ends there) or bytes that are not
 * UTF-8 (JSON and the store hold text only).
 */
static void
form_check_text(struct mb_form *f, const char *name, const char *value,
    size_t len)
{
	if (f->bad[0] != '\0')
		return;
	if (memchr(value, '\0', len) != NULL || !mb_utf8_valid(value, len))
		snprintf(f->bad, sizeof(f->bad), "%s", name);
}

/* Takes name and value (either NULL: no memory, both freed). */
static bool
form_add(struct mb_form *f, char *name, char *value)
{
	if (name == NULL || value == NULL) {
		free(name);
		free(value);
		return false;
	}
	f->kv[f->n][0] = name;
	f->kv[f->n][1] = value;
	f->n++;
	return true;
}

static void
form_urlencoded(struct mb_form *f, const char *body, size_t len)
{
	char *copy, *save = NULL, *tok;

	/* Up to the first NUL, as a C string. */
	if ((copy = strndup(body != NULL ? body : "", len)) == NULL)
		return;
	for (tok = strtok_r(copy, "&", &save); tok != NULL &&
	    f->n < MB_FORM_MAX; tok = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(tok, '=');

		if (eq != NULL)
			*eq++ = '\0';
		if (!form_add(f, strdup(tok), strdup(eq ? eq : "")))
			break;
		form_decode(f->kv[f->n - 1][0]);
		form_check_text(f, f->kv[f->n - 1][0], f->kv[f->n - 1][1],
		    form_decode(f->kv[f->n - 1][1]));
	}
	free(copy);
}

/* The text parts: a form that uploads a file carries its csrf field so. */
static void
form_multipart(struct mb_form *f, const char *ct, const char *body,
    size_t len)
{
	const char	*p, *end, *he, *nx;
	char		 b[72], delim[84];
	size_t		 dl;

	if (body == NULL || !mb_multipart_boundary(ct, b, sizeof(b)))
		return;
	dl = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", b);
	p = body;
	end = p + len;
	if ((size_t)(end - p) < dl - 2 || memcmp(p, delim + 2, dl - 2) != 0)
		return;
	p += dl - 2;
	while (f->n < MB_FORM_MAX && end - p >= 2 && p[0] == '\r' &&
	    p[1] == '\n') {
		const char	*nm, *ne;

		p += 2;
		if ((he = memmem(p, (size_t)(end - p), "\r\n\r\n", 4)) == NULL ||
		    (nx = memmem(he + 4, (size_t)(end - he - 4), delim, dl)) ==
		    NULL)
			return;
		nm = memmem(p, (size_t)(he - p), "name=\"", 6);
		if (nm != NULL && memmem(p, (size_t)(he - p), "filename=", 9) ==
		    NULL) {
			nm += 6;
			if ((ne = memchr(nm, '"', (size_t)(he - nm))) == NULL)
				return;
			if (nx - (he + 4) > MB_FORM_TEXT_MAX) {
				/* Not silently lost: the handler says so. */
				if (f->too_long[0] == '\0')
					snprintf(f->too_long,
					    sizeof(f->too_long), "%.*s",
					    (int)(ne - nm), nm);
			} else if (!form_add(f, strndup(nm, (size_t)(ne - nm)),
			    strndup(he + 4, (size_t)(nx - he - 4))))
				return;
			else
				form_check_text(f, f->kv[f->n - 1][0], he + 4,
				    (size_t)(nx - he - 4));
		}
		p = nx + dl;
	}
}

void
mb_form_parse(struct mb_form *f, const char *ct, const char *body,
    size_t len)
{
	if (ct == NULL)
		return;
	if (strncasecmp(ct, "multipart/form-data", 19) == 0)
		form_multipart(f, ct, body, len);
	else if (strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) == 0)
		form_urlencoded(f, body, len);
}

const char *
mb_form_get(const struct mb_form *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->kv[i][0], name) == 0)
			return f->kv[i][1];
	return NULL;
}

void
mb_form_free(struct mb_form *f)
{
	for (int i = 0; i < f->n; i++) {
		free(f->kv[i][0]);
		free(f->kv[i][1]);
	}
	f->n = 0;
}

bool
mb_multipart_boundary(const char *ct, char *out, size_t n)
{
	const char	*p = strcasestr(ct, "boundary=");
	size_t		 len;

	if (p == NULL)
		return false;
	p += 9;
	if (*p == '"') {
		p++;
		len = strcspn(p, "\"");
	} else
		len = strcspn(p, "; \t");
	if (len == 0 || len > 70 || len + 1 > n)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

bool
mb_multipart_file(const char *body, size_t len, const char *boundary,
    const char **data, size_t *dlen)
{
	char		 delim[80], ndelim[84];
	const char	*p, *end = body + len, *hdr_end, *next, *content;
	size_t		 dl, nl;

	if (body == NULL)
		return false;
	dl = (size_t)snprintf(delim, sizeof(delim), "--%s", boundary);
	if (dl >= sizeof(delim))
		return false;
	nl = (size_t)snprintf(ndelim, sizeof(ndelim), "\r\n%s", delim);
	if ((p = memmem(body, len, delim, dl)) == NULL)
		return false;
	for (;;) {
		p += dl;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return false;		/* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return false;
		p += 2;
		if ((hdr_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4)) ==
		    NULL)
			return false;
		content = hdr_end + 4;
		if ((next = memmem(content, (size_t)(end - content), ndelim,
		    nl)) == NULL)
			return false;	/* cut short: no closing */
		if (memmem(p, (size_t)(hdr_end - p), "filename=", 9) != NULL ||
		    memmem(p, (size_t)(hdr_end - p), "name=\"file\"", 11) !=
		    NULL) {
			*data = content;
			*dlen = (size_t)(next - content);
			return true;
		}
		p = next + 2;
	}
}
