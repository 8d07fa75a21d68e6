/* SPDX-License-Identifier: MIT */
/* Page templates: a small language that escapes every value it prints. */
#ifndef MB_HTTP_TEMPLATE_H
#define MB_HTTP_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/i18n.h"

/*
 * The language (docs/site.md has the whole reference):
 *
 *	{{ a.b }}		the value, HTML-escaped -- unless the C code
 *				made it with mb_tv_html() (trusted HTML: the
 *				sanitizer's output), which is printed as is
 *	{{ url a.b }}		the same for an href/src: a value that is not
 *				http(s), relative or a fragment prints "#"
 *	{{ _ key }}		an interface string of the reader's language,
 *				escaped; {{ _ key a.n }} picks the plural
 *				form for the number a.n and puts it for {}
 *	{{ if a }} {{ else }} {{ end }}, {{ unless a }} ... {{ end }}
 *	{{ for x in a.list }} ... {{ x.name }} ... {{ end }}
 *	{{ include "name.html" }}
 *	{{! a comment }}
 *
 * A template cannot print a string unescaped: only C can make a trusted
 * HTML value. Text between tags loses the indentation after each line
 * break, so templates may be indented without weighing on the page.
 */

/* ---- Values: a tree built for one rendering, freed at once ---- */

struct mb_tdata;
struct mb_tval;

int mb_tdata_new(struct mb_tdata **out);
/* NULL is a no-op. */
void mb_tdata_free(struct mb_tdata *td);
/* The root map. */
struct mb_tval *mb_tdata_root(struct mb_tdata *td);
/* True when an allocation failed while building (render then fails). */
bool mb_tdata_failed(const struct mb_tdata *td);

/*
 * Each of these adds a value to parent: a map (under key; a later value
 * for the same key wins) or a list (key NULL: appended). Strings are
 * copied. They return the new value, or NULL when memory ran out (the
 * failure is remembered in td, so callers need not check each call) or
 * when parent is NULL.
 */
struct mb_tval *mb_tv_str(struct mb_tdata *td, struct mb_tval *parent,
    const char *key, const char *s);
struct mb_tval *mb_tv_strn(struct mb_tdata *td, struct mb_tval *parent,
    const char *key, const char *s, size_t n);
struct mb_tval *mb_tv_printf(struct mb_tdata *td, struct mb_tval *parent,
    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Trusted HTML, printed as is: only ever the sanitizer's output or
 * markup this program wrote. */
struct mb_tval *mb_tv_html(struct mb_tdata *td, struct mb_tval *parent,
    const char *key, const char *html);
struct mb_tval *mb_tv_int(struct mb_tdata *td, struct mb_tval *parent,
    const char *key, int64_t v);
struct mb_tval *mb_tv_bool(struct mb_tdata *td, struct mb_tval *parent,
    const char *key, bool v);
struct mb_tval *mb_tv_map(struct mb_tdata *td, struct mb_tval *parent,
    const char *key);
struct mb_tval *mb_tv_list(struct mb_tdata *td, struct mb_tval *parent,
    const char *key);

/* A map's value by key, a list's length (NULL/0 when not so). */
struct mb_tval *mb_tv_get(const struct mb_tval *map, const char *key);
size_t mb_tv_len(const struct mb_tval *list);
/* A list's i-th value (from 0), NULL past its end or when not a list. */
struct mb_tval *mb_tv_at(const struct mb_tval *list, size_t i);

/* ---- Templates ---- */

struct mb_tpl_set;

/*
 * Parses every *.html file in dir. MB_ERR_INVAL names the file and line
 * of the first syntax error; MB_ERR_IO when dir cannot be read.
 */
int mb_tpl_load(const char *dir, struct mb_tpl_set **out, struct mb_diag *d);
/* Parses one template from memory into a set (tests; name e.g. "t"). */
int mb_tpl_add(struct mb_tpl_set *set, const char *name, const char *text,
    size_t len, struct mb_diag *d);
int mb_tpl_set_new(struct mb_tpl_set **out);
void mb_tpl_set_free(struct mb_tpl_set *set);
bool mb_tpl_has(const struct mb_tpl_set *set, const char *name);

/*
 * Renders template name with data, interface strings from cat (may be
 * NULL: keys print as themselves), appending to out. MB_ERR_NOTFOUND
 * (no such template or include), MB_ERR_NOMEM (also when td failed),
 * MB_ERR_TOOBIG (includes nested deeper than 16).
 */
int mb_tpl_render(const struct mb_tpl_set *set, const char *name,
    const struct mb_tdata *td, const struct mb_catalog *cat,
    struct mb_buf *out, struct mb_diag *d);

/* Appends s HTML-escaped (& < > " '). */
int mb_html_escape(struct mb_buf *out, const char *s, size_t n);

/* True when u is safe in an href: http(s), relative, or a fragment. */
bool mb_url_safe(const char *u);

#endif
