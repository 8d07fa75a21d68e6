/* SPDX-License-Identifier: MIT */
/* Form bodies: x-www-form-urlencoded and multipart/form-data (RFC 7578), pure. */
#ifndef MB_HTTP_FORM_H
#define MB_HTTP_FORM_H

#include <stdbool.h>
#include <stddef.h>

/* The most fields a form carries, and the longest multipart text value. */
#define MB_FORM_MAX		32
#define MB_FORM_TEXT_MAX	4096

/* A form's text fields, decoded; zero-initialized before mb_form_parse. */
struct mb_form {
	int	 n;
	char	*kv[MB_FORM_MAX][2];
	/* The first multipart text field over MB_FORM_TEXT_MAX (left out
	 * of kv, so that a handler can refuse it by name); "" when none. */
	char	 too_long[64];
	/* The first field whose value holds a NUL byte or is no UTF-8
	 * text (kept in kv as decoded, cut at a NUL, so that a handler
	 * can refuse it by name); "" when none. */
	char	 bad[64];
};

/*
 * The text fields of a body of Content-Type ct: urlencoded fields (of
 * any length, the request's max_body bounds them: the newsroom posts an
 * article's body so), or the parts of a multipart form without a
 * filename (each value up to MB_FORM_TEXT_MAX, a longer one named in
 * too_long; file parts are the handler's). Another type, a malformed body or no memory leaves the
 * fields read so far.
 */
void		 mb_form_parse(struct mb_form *f, const char *ct,
		    const char *body, size_t len);
/* The first field called name, or NULL. */
const char	*mb_form_get(const struct mb_form *f, const char *name);
void		 mb_form_free(struct mb_form *f);

/* The boundary parameter of a multipart Content-Type (1..70 bytes). */
bool		 mb_multipart_boundary(const char *ct, char *out, size_t n);
/*
 * The file part of a multipart body: the first part with a filename, or
 * named "file", as a slice of body. false when there is none complete.
 * Its filename is never used: the bytes are named by their hash.
 */
bool		 mb_multipart_file(const char *body, size_t len,
		    const char *boundary, const char **data, size_t *dlen);

#endif
