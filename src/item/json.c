/* SPDX-License-Identifier: MIT */
/* Parsing JSON into jansson trees with yajl's lexer (see json.h). */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "base/utf8.h"

/* Containers open at once, as jansson allows (jansson_config.h). */
#define DEPTH_MAX JSON_PARSER_MAX_DEPTH

struct frame {
	json_t	*c;		/* the open object or array */
	char	*key;		/* an object's pending member name */
	size_t	 keylen, keycap;
};

struct builder {
	yajl_handle	 h;
	struct frame	*f;
	size_t		 n, cap;
	json_t		*root;
	size_t		 root_end;	/* the offset just past the root */
	bool		 reject_dups;
};

/* Adds a finished value to the open container, or makes it the root. */
static int
add(struct builder *b, json_t *v)
{
	struct frame *top;

	if (v == NULL)
		return 0;
	/* jansson counts every value's depth, a scalar's too. */
	if (b->n >= DEPTH_MAX && !json_is_object(v) && !json_is_array(v)) {
		json_decref(v);
		return 0;
	}
	if (b->n == 0) {
		/*
		 * Only an object or an array: a scalar root ends where
		 * yajl must see past it (and it is rare: jansson's).
		 */
		if (b->root != NULL || (!json_is_object(v) &&
		    !json_is_array(v))) {
			json_decref(v);
			return 0;
		}
		b->root = v;
		b->root_end = yajl_get_bytes_consumed(b->h);
		return 1;
	}
	top = &b->f[b->n - 1];
	if (json_is_array(top->c))
		return json_array_append_new(top->c, v) == 0;
	if (b->reject_dups && json_object_getn(top->c, top->key,
	    top->keylen) != NULL) {
		json_decref(v);
		return 0;
	}
	/* Validates the name's UTF-8 as json_loadb() does. */
	/*
	 * ASCII names and strings skip jansson's UTF-8 check, which cannot
	 * refuse them (issue 23: it was a third of parsing an envelope,
	 * after yajl had checked the same bytes).
	 */
	if (mb_utf8_ascii(top->key, top->keylen))
		return json_object_setn_new_nocheck(top->c, top->key,
		    top->keylen, v) == 0;
	return json_object_setn_new(top->c, top->key, top->keylen, v) == 0;
}

static int
on_null(void *ctx)
{
	return add(ctx, json_null());
}

static int
on_boolean(void *ctx, int v)
{
	return add(ctx, json_boolean(v));
}

/* Numbers as jansson reads them: an integer unless '.', 'e' or 'E'. */
static int
on_number(void *ctx, const char *s, size_t len)
{
	char		 num[64], *end;
	json_int_t	 i;
	double		 r;

	if (len == 0 || len >= sizeof(num))
		return 0;
	memcpy(num, s, len);
	num[len] = '\0';
	errno = 0;
	if (strpbrk(num, ".eE") != NULL) {
		r = strtod(num, &end);
		if (*end != '\0' || errno != 0 || !isfinite(r))
			return 0;
		return add(ctx, json_real(r));
	}
	i = strtoll(num, &end, 10);
	if (*end != '\0' || errno != 0)
		return 0;
	return add(ctx, json_integer(i));
}

static int
on_string(void *ctx, const unsigned char *s, size_t len)
{
	/* json_stringn() checks the UTF-8 again, jansson's way. */
	if (mb_utf8_ascii((const char *)s, len))
		return add(ctx, json_stringn_nocheck((const char *)s, len));
	return add(ctx, json_stringn((const char *)s, len));
}

static int
open_container(struct builder *b, json_t *c)
{
	struct frame *f;

	if (c == NULL || b->n >= DEPTH_MAX) {
		json_decref(c);
		return 0;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;

		if ((f = realloc(b->f, cap * sizeof(*f))) == NULL) {
			json_decref(c);
			return 0;
		}
		memset(f + b->cap, 0, (cap - b->cap) * sizeof(*f));
		b->f = f;
		b->cap = cap;
	}
	b->f[b->n++].c = c;
	return 1;
}

static int
on_start_map(void *ctx)
{
	return open_container(ctx, json_object());
}

static int
on_start_array(void *ctx)
{
	return open_container(ctx, json_array());
}

static int
on_map_key(void *ctx, const unsigned char *s, size_t len)
{
	struct builder	*b = ctx;
	struct frame	*top = &b->f[b->n - 1];
	char		*k;

	if (len + 1 > top->keycap) {
		if ((k = realloc(top->key, len + 1)) == NULL)
			return 0;
		top->key = k;
		top->keycap = len + 1;
	}
	memcpy(top->key, s, len);
	top->key[len] = '\0';
	top->keylen = len;
	return 1;
}

static int
on_end(void *ctx)
{
	struct builder	*b = ctx;
	json_t		*c;

	if (b->n == 0)
		return 0;
	c = b->f[--b->n].c;
	b->f[b->n].c = NULL;
	return add(b, c);
}

static const yajl_callbacks callbacks = {
	on_null, on_boolean, NULL, NULL, on_number, on_string,
	on_start_map, on_map_key, on_end, on_start_array, on_end
};

/* The fast path; NULL when it cannot vouch for the input. */
static json_t *
fast_parse(const char *buf, size_t len, size_t flags)
{
	struct builder	b;
	yajl_handle	h;
	bool		ok;

	memset(&b, 0, sizeof(b));
	b.reject_dups = (flags & JSON_REJECT_DUPLICATES) != 0;
	if ((h = yajl_alloc(&callbacks, NULL, &b)) == NULL)
		return NULL;
	b.h = h;
	ok = yajl_parse(h, (const unsigned char *)buf, len) == yajl_status_ok &&
	    yajl_complete_parse(h) == yajl_status_ok && b.n == 0 &&
	    b.root != NULL;
	yajl_free(h);
	/*
	 * yajl ignores a token left unfinished after a complete root
	 * ("[1] \"x"); jansson, like JSON, allows only whitespace there.
	 */
	for (size_t i = b.root_end; ok && i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r')
			ok = false;
	for (size_t i = 0; i < b.cap; i++) {
		json_decref(b.f[i].c);
		free(b.f[i].key);
	}
	free(b.f);
	if (!ok) {
		json_decref(b.root);
		return NULL;
	}
	return b.root;
}

/*
 * yajl also takes form feed and vertical tab for whitespace; JSON and
 * jansson do not (inside strings both refuse raw control characters).
 */
static bool
plain_whitespace(const char *buf, size_t len)
{
	return memchr(buf, '\f', len) == NULL && memchr(buf, '\v', len) == NULL;
}

/*
 * Whether buf has a \u escape. memchr finds each backslash (most bodies
 * have few) and the escape's pair is skipped, so an escaped backslash
 * before a u ("\\u") is not taken for one; outside strings a backslash
 * is not JSON, and yajl refuses it.
 */
static bool
has_u_escape(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		if (end - p < 3)
			return end - p == 2 && p[1] == 'u';
		if (p[1] == 'u')
			return true;
		p += 2;
	}
	return false;
}

json_t *
mb_json_loadb(const char *buf, size_t len, size_t flags,
    json_error_t *err)
{
	json_t *v;

	/*
	 * yajl turns a lone surrogate escape into "?" where jansson refuses
	 * it, and decodes \u0000 into the string: leave any \u to jansson
	 * (canonical JSON escapes only control characters, so news text
	 * rarely has one).
	 */
	if ((flags & ~(size_t)(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)) ==
	    0 && buf != NULL && !has_u_escape(buf, len) &&
	    plain_whitespace(buf, len) &&
	    (v = fast_parse(buf, len, flags)) != NULL)
		return v;
	return json_loadb(buf, len, flags, err);
}
