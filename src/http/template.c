/* SPDX-License-Identifier: MIT */
/* The template language: values in an arena, parsing, escaping rendering. */
#include "template.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"

#define TPL_MAX_BYTES (256 * 1024)
#define TPL_MAX_NEST 32
#define TPL_MAX_INCLUDE 16
#define CHUNK_SIZE 8192

/* ---------------------------------------------------------------- */
/* Values                                                           */

enum tv_type { TV_STR, TV_HTML, TV_INT, TV_BOOL, TV_MAP, TV_LIST };

struct mb_tval {
	enum tv_type	 type;
	const char	*key;		/* in a map */
	struct mb_tval	*next;		/* the next sibling */
	const char	*s;		/* STR, HTML */
	size_t		 n;		/* STR, HTML: length; LIST: count */
	int64_t		 i;		/* INT, BOOL */
	struct mb_tval	*head, *tail;	/* MAP (newest first), LIST */
};

struct chunk {
	struct chunk	*next;
	size_t		 used, cap;
	max_align_t	 data[];
};

struct mb_tdata {
	struct chunk	*chunks;
	bool		 failed;
	struct mb_tval	 root;
};

static void *
arena_alloc(struct mb_tdata *td, size_t n)
{
	struct chunk	*c = td->chunks;
	size_t		 a = (n + sizeof(max_align_t) - 1) &
			     ~(sizeof(max_align_t) - 1);
	void		*p;

	if (c == NULL || c->cap - c->used < a) {
		size_t cap = a > CHUNK_SIZE ? a : CHUNK_SIZE;

		if ((c = malloc(sizeof(*c) + cap)) == NULL) {
			td->failed = true;
			return NULL;
		}
		c->cap = cap;
		c->used = 0;
		c->next = td->chunks;
		td->chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += a;
	return p;
}

int
mb_tdata_new(struct mb_tdata **out)
{
	struct mb_tdata *td = calloc(1, sizeof(*td));

	if (td == NULL)
		return MB_ERR_NOMEM;
	td->root.type = TV_MAP;
	*out = td;
	return MB_OK;
}

void
mb_tdata_free(struct mb_tdata *td)
{
	struct chunk *c, *n;

	if (td == NULL)
		return;
	for (c = td->chunks; c != NULL; c = n) {
		n = c->next;
		free(c);
	}
	free(td);
}

struct mb_tval *
mb_tdata_root(struct mb_tdata *td)
{
	return &td->root;
}

bool
mb_tdata_failed(const struct mb_tdata *td)
{
	return td->failed;
}

static char *
arena_strdup(struct mb_tdata *td, const char *s, size_t n)
{
	char *p = arena_alloc(td, n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static struct mb_tval *
add(struct mb_tdata *td, struct mb_tval *parent, const char *key,
    enum tv_type type)
{
	struct mb_tval *v;

	if (parent == NULL || td == NULL)
		return NULL;
	if ((parent->type == TV_MAP) != (key != NULL) ||
	    (parent->type != TV_MAP && parent->type != TV_LIST))
		return NULL;
	if ((v = arena_alloc(td, sizeof(*v))) == NULL)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = type;
	if (key != NULL) {
		if ((v->key = arena_strdup(td, key, strlen(key))) == NULL)
			return NULL;
		v->next = parent->head;
		parent->head = v;
	} else {
		if (parent->tail != NULL)
			parent->tail->next = v;
		else
			parent->head = v;
		parent->tail = v;
		parent->n++;
	}
	return v;
}

struct mb_tval *
mb_tv_strn(struct mb_tdata *td, struct mb_tval *parent, const char *key,
    const char *s, size_t n)
{
	struct mb_tval	*v;
	char		*c;

	if (s == NULL || (c = arena_strdup(td, s, n)) == NULL ||
	    (v = add(td, parent, key, TV_STR)) == NULL)
		return NULL;
	v->s = c;
	v->n = n;
	return v;
}

struct mb_tval *
mb_tv_str(struct mb_tdata *td, struct mb_tval *parent, const char *key,
    const char *s)
{
	return s != NULL ? mb_tv_strn(td, parent, key, s, strlen(s)) : NULL;
}

struct mb_tval *
mb_tv_printf(struct mb_tdata *td, struct mb_tval *parent, const char *key,
    const char *fmt, ...)
{
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_tval	*v;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = mb_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc != MB_OK) {
		td->failed = true;
		mb_buf_free(&b);
		return NULL;
	}
	v = mb_tv_strn(td, parent, key, mb_buf_cstr(&b), b.len);
	mb_buf_free(&b);
	return v;
}

struct mb_tval *
mb_tv_html(struct mb_tdata *td, struct mb_tval *parent, const char *key,
    const char *html)
{
	struct mb_tval *v = mb_tv_str(td, parent, key, html);

	if (v != NULL)
		v->type = TV_HTML;
	return v;
}

struct mb_tval *
mb_tv_int(struct mb_tdata *td, struct mb_tval *parent, const char *key,
    int64_t i)
{
	struct mb_tval *v = add(td, parent, key, TV_INT);

	if (v != NULL)
		v->i = i;
	return v;
}

struct mb_tval *
mb_tv_bool(struct mb_tdata *td, struct mb_tval *parent, const char *key,
    bool b)
{
	struct mb_tval *v = add(td, parent, key, TV_BOOL);

	if (v != NULL)
		v->i = b;
	return v;
}

struct mb_tval *
mb_tv_map(struct mb_tdata *td, struct mb_tval *parent, const char *key)
{
	return add(td, parent, key, TV_MAP);
}

struct mb_tval *
mb_tv_list(struct mb_tdata *td, struct mb_tval *parent, const char *key)
{
	return add(td, parent, key, TV_LIST);
}

static struct mb_tval *
map_getn(const struct mb_tval *m, const char *key, size_t n)
{
	if (m == NULL || m->type != TV_MAP)
		return NULL;
	for (struct mb_tval *v = m->head; v != NULL; v = v->next)
		if (strncmp(v->key, key, n) == 0 && v->key[n] == '\0')
			return v;
	return NULL;
}

struct mb_tval *
mb_tv_get(const struct mb_tval *map, const char *key)
{
	return map_getn(map, key, strlen(key));
}

size_t
mb_tv_len(const struct mb_tval *list)
{
	return list != NULL && list->type == TV_LIST ? list->n : 0;
}

struct mb_tval *
mb_tv_at(const struct mb_tval *list, size_t i)
{
	struct mb_tval *v;

	if (list == NULL || list->type != TV_LIST)
		return NULL;
	for (v = list->head; v != NULL && i > 0; v = v->next)
		i--;
	return v;
}

/* ---------------------------------------------------------------- */
/* Escaping                                                         */

int
mb_html_escape(struct mb_buf *out, const char *s, size_t n)
{
	size_t	start = 0;
	int	rc = MB_OK;

	if (mb_buf_reserve(out, n) != MB_OK)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < n && rc == MB_OK; i++) {
		const char *e;

		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default:
			/* HTML allows no other control characters as text;
			 * an item's headline may still carry them. */
			if (((unsigned char)s[i] < 0x20 && s[i] != '\t' &&
			    s[i] != '\n' && s[i] != '\r') || s[i] == 0x7f) {
				e = "";
				break;
			}
			continue;
		}
		if ((rc = mb_buf_append(out, s + start, i - start)) == MB_OK)
			rc = mb_buf_puts(out, e);
		start = i + 1;
	}
	if (rc == MB_OK)
		rc = mb_buf_append(out, s + start, n - start);
	return rc;
}

bool
mb_url_safe(const char *u)
{
	const char *p;

	if (u == NULL)
		return false;
	if (strncasecmp(u, "http://", 7) == 0 ||
	    strncasecmp(u, "https://", 8) == 0)
		return true;
	/* No scheme at all: relative, absolute path, query or fragment. */
	for (p = u; *p != '\0' && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':' || (unsigned char)*p < 0x21)
			return false;
	return true;
}

/* ---------------------------------------------------------------- */
/* Templates                                                        */

enum node_type { N_TEXT, N_VAR, N_URL, N_TR, N_IF, N_FOR, N_INCLUDE };

struct node {
	enum node_type	 type;
	int		 line;
	char		*text;		/* TEXT; VAR/URL/IF/FOR path; TR key;
					   INCLUDE name */
	size_t		 len;		/* TEXT */
	char		*arg;		/* TR path; FOR variable */
	bool		 negate;	/* IF: unless */
	struct node	*kids, *else_kids, *next;
};

struct tpl {
	char		*name;
	struct node	*nodes;
};

struct mb_tpl_set {
	struct tpl	*t;
	size_t		 n, cap;
};

static void
nodes_free(struct node *n)
{
	struct node *next;

	for (; n != NULL; n = next) {
		next = n->next;
		nodes_free(n->kids);
		nodes_free(n->else_kids);
		free(n->text);
		free(n->arg);
		free(n);
	}
}

int
mb_tpl_set_new(struct mb_tpl_set **out)
{
	struct mb_tpl_set *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return MB_ERR_NOMEM;
	*out = s;
	return MB_OK;
}

void
mb_tpl_set_free(struct mb_tpl_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->t[i].name);
		nodes_free(set->t[i].nodes);
	}
	free(set->t);
	free(set);
}

static const struct tpl *
find(const struct mb_tpl_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->t[i].name, name) == 0)
			return &set->t[i];
	return NULL;
}

bool
mb_tpl_has(const struct mb_tpl_set *set, const char *name)
{
	return find(set, name) != NULL;
}

static bool
path_valid(const char *p)
{
	if (*p == '\0' || *p == '.')
		return false;
	for (; *p != '\0'; p++)
		if ((!isalnum((unsigned char)*p) && *p != '_' && *p != '.' &&
		    *p != '-') || (p[0] == '.' && p[1] == '.'))
			return false;
	return p[-1] != '.';
}

struct parser {
	const char	*name;
	int		 line;
	struct mb_diag	*d;
	/* The open blocks: each level's list tail and its node. */
	struct node	**tail[TPL_MAX_NEST + 1];
	struct node	*block[TPL_MAX_NEST + 1];
	int		 depth;
};

static struct node *
emit(struct parser *p, enum node_type type)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->type = type;
	n->line = p->line;
	*p->tail[p->depth] = n;
	p->tail[p->depth] = &n->next;
	return n;
}

static int perr(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
perr(struct parser *p, const char *fmt, ...)
{
	char	msg[200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mb_diag_set(p->d, MB_ERR_INVAL, "%s:%d: %s", p->name, p->line,
	    msg);
}

/* Copies text, dropping the blanks that start each line. */
static int
add_text(struct parser *p, const char *s, size_t len)
{
	struct node	*n;
	char		*t;
	size_t		 o = 0;
	bool		 bol = false;

	if (len == 0)
		return MB_OK;
	if ((t = malloc(len + 1)) == NULL)
		return MB_ERR_NOMEM;
	for (size_t i = 0; i < len; i++) {
		if (bol && (s[i] == ' ' || s[i] == '\t'))
			continue;
		bol = s[i] == '\n';
		t[o++] = s[i];
	}
	t[o] = '\0';
	if (o == 0 || (n = emit(p, N_TEXT)) == NULL) {
		free(t);
		return o == 0 ? MB_OK : MB_ERR_NOMEM;
	}
	n->text = t;
	n->len = o;
	return MB_OK;
}

/* Parses one tag's words (already trimmed, NUL-terminated). */
static int
tag(struct parser *p, char *s)
{
	char		*w[6];
	int		 nw = 0;
	struct node	*n;

	if (*s == '!')
		return MB_OK;
	for (char *save = NULL, *t = strtok_r(s, " \t\r\n", &save);
	    t != NULL; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (nw == 6)
			return perr(p, "too many words in {{ %s ... }}", w[0]);
		w[nw++] = t;
	}
	if (nw == 0)
		return perr(p, "an empty {{ }}");
	if (strcmp(w[0], "if") == 0 || strcmp(w[0], "unless") == 0 ||
	    strcmp(w[0], "for") == 0) {
		bool isfor = w[0][0] == 'f';

		if ((isfor && (nw != 4 || strcmp(w[2], "in") != 0 ||
		    !path_valid(w[1]) || strchr(w[1], '.') != NULL ||
		    !path_valid(w[3]))) || (!isfor && (nw != 2 ||
		    !path_valid(w[1]))))
			return perr(p, "write {{ if a.b }}, {{ unless a.b }} "
			    "or {{ for x in a.list }}");
		if (p->depth == TPL_MAX_NEST)
			return perr(p, "blocks nest too deep");
		if ((n = emit(p, isfor ? N_FOR : N_IF)) == NULL)
			return MB_ERR_NOMEM;
		n->negate = w[0][0] == 'u';
		if ((n->text = strdup(isfor ? w[3] : w[1])) == NULL ||
		    (isfor && (n->arg = strdup(w[1])) == NULL))
			return MB_ERR_NOMEM;
		p->depth++;
		p->block[p->depth] = n;
		p->tail[p->depth] = &n->kids;
		return MB_OK;
	}
	if (strcmp(w[0], "else") == 0 || strcmp(w[0], "end") == 0) {
		if (nw != 1 || p->depth == 0)
			return perr(p, "{{ %s }} without an open block", w[0]);
		if (w[0][1] == 'n') {
			p->depth--;
			return MB_OK;
		}
		n = p->block[p->depth];
		if (n->type != N_IF || p->tail[p->depth] == &n->else_kids ||
		    n->else_kids != NULL)
			return perr(p, "{{ else }} belongs to one {{ if }}");
		p->tail[p->depth] = &n->else_kids;
		return MB_OK;
	}
	if (strcmp(w[0], "include") == 0) {
		size_t l = nw == 2 ? strlen(w[1]) : 0;

		if (l < 3 || w[1][0] != '"' || w[1][l - 1] != '"')
			return perr(p, "write {{ include \"name.html\" }}");
		if ((n = emit(p, N_INCLUDE)) == NULL ||
		    (n->text = strndup(w[1] + 1, l - 2)) == NULL)
			return MB_ERR_NOMEM;
		return MB_OK;
	}
	if (strcmp(w[0], "_") == 0) {
		if (nw < 2 || nw > 3 || (nw == 3 && !path_valid(w[2])))
			return perr(p, "write {{ _ key }} or {{ _ key a.n }}");
		if ((n = emit(p, N_TR)) == NULL ||
		    (n->text = strdup(w[1])) == NULL ||
		    (nw == 3 && (n->arg = strdup(w[2])) == NULL))
			return MB_ERR_NOMEM;
		return MB_OK;
	}
	if (strcmp(w[0], "url") == 0) {
		if (nw != 2 || !path_valid(w[1]))
			return perr(p, "write {{ url a.b }}");
		if ((n = emit(p, N_URL)) == NULL ||
		    (n->text = strdup(w[1])) == NULL)
			return MB_ERR_NOMEM;
		return MB_OK;
	}
	if (nw != 1 || !path_valid(w[0]))
		return perr(p, "\"%.40s\": not a value's name (letters, "
		    "digits, _ and dots)", w[0]);
	if ((n = emit(p, N_VAR)) == NULL || (n->text = strdup(w[0])) == NULL)
		return MB_ERR_NOMEM;
	return MB_OK;
}

int
mb_tpl_add(struct mb_tpl_set *set, const char *name, const char *text,
    size_t len, struct mb_diag *d)
{
	struct parser	 p;
	struct node	*root = NULL;
	const char	*s = text, *end = text + len;
	int		 rc = MB_OK;

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.line = 1;
	p.d = d;
	p.tail[0] = &root;
	while (s < end && rc == MB_OK) {
		const char	*open = NULL, *close;
		char		 buf[512];
		size_t		 n;

		for (const char *q = s; q + 1 < end; q++)
			if (q[0] == '{' && q[1] == '{') {
				open = q;
				break;
			}
		if (open == NULL) {
			rc = add_text(&p, s, (size_t)(end - s));
			break;
		}
		if ((rc = add_text(&p, s, (size_t)(open - s))) != MB_OK)
			break;
		for (const char *q = s; q < open; q++)
			p.line += *q == '\n';
		close = NULL;
		for (const char *q = open + 2; q + 1 < end; q++)
			if (q[0] == '}' && q[1] == '}') {
				close = q;
				break;
			}
		if (close == NULL) {
			rc = perr(&p, "{{ without }}");
			break;
		}
		n = (size_t)(close - open - 2);
		if (n >= sizeof(buf)) {
			rc = perr(&p, "a tag longer than 500 bytes");
			break;
		}
		memcpy(buf, open + 2, n);
		buf[n] = '\0';
		rc = tag(&p, buf);
		for (const char *q = open; q < close; q++)
			p.line += *q == '\n';
		s = close + 2;
	}
	if (rc == MB_OK && p.depth > 0)
		rc = perr(&p, "{{ %s }} is not closed by {{ end }}",
		    p.block[p.depth]->type == N_FOR ? "for" : "if");
	if (rc == MB_OK && set->n == set->cap) {
		size_t		 cap = set->cap ? set->cap * 2 : 16;
		struct tpl	*nt = realloc(set->t, cap * sizeof(*nt));

		if (nt == NULL)
			rc = MB_ERR_NOMEM;
		else {
			set->t = nt;
			set->cap = cap;
		}
	}
	if (rc != MB_OK) {
		nodes_free(root);
		return rc;
	}
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->t[i].name, name) == 0) {
			nodes_free(set->t[i].nodes);
			set->t[i].nodes = root;
			return MB_OK;
		}
	if ((set->t[set->n].name = strdup(name)) == NULL) {
		nodes_free(root);
		return MB_ERR_NOMEM;
	}
	set->t[set->n++].nodes = root;
	return MB_OK;
}

int
mb_tpl_load(const char *dir, struct mb_tpl_set **out, struct mb_diag *d)
{
	struct mb_tpl_set	*set;
	struct dirent		*e;
	DIR			*dp;
	char			 path[1200], *buf;
	size_t			 len, nl;
	int			 rc;

	if ((dp = opendir(dir)) == NULL)
		return mb_diag_set(d, MB_ERR_IO, "%s: cannot read the "
		    "templates", dir);
	if ((rc = mb_tpl_set_new(&set)) != MB_OK) {
		closedir(dp);
		return rc;
	}
	while ((e = readdir(dp)) != NULL) {
		nl = strlen(e->d_name);
		if (nl < 6 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + nl - 5, ".html") != 0)
			continue;
		if ((rc = mb_fs_join(path, sizeof(path), dir, e->d_name)) !=
		    MB_OK || (rc = mb_fs_read(path, TPL_MAX_BYTES, &buf, &len,
		    d)) != MB_OK)
			break;
		rc = mb_tpl_add(set, e->d_name, buf, len, d);
		free(buf);
		if (rc != MB_OK)
			break;
	}
	closedir(dp);
	if (rc != MB_OK) {
		mb_tpl_set_free(set);
		return rc;
	}
	*out = set;
	return MB_OK;
}

/* ---------------------------------------------------------------- */
/* Rendering                                                        */

struct scope {
	const char		*name;
	const struct mb_tval	*v;
	const struct scope	*up;
};

struct rctx {
	const struct mb_tpl_set	*set;
	const struct mb_tdata	*td;
	const struct mb_catalog	*cat;
	struct mb_buf		*out;
	struct mb_diag		*d;
	int			 depth;
};

static const struct mb_tval *
resolve(const struct rctx *c, const struct scope *sc, const char *path)
{
	const struct mb_tval	*v = NULL;
	const char		*dot = strchr(path, '.');
	size_t			 n = dot ? (size_t)(dot - path) : strlen(path);

	for (; sc != NULL; sc = sc->up)
		if (strncmp(sc->name, path, n) == 0 && sc->name[n] == '\0') {
			v = sc->v;
			break;
		}
	if (sc == NULL)
		v = map_getn(&c->td->root, path, n);
	while (v != NULL && dot != NULL) {
		path = dot + 1;
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		v = map_getn(v, path, n);
	}
	return v;
}

static bool
truthy(const struct mb_tval *v)
{
	if (v == NULL)
		return false;
	switch (v->type) {
	case TV_STR:
	case TV_HTML:
		return v->n > 0;
	case TV_INT:
	case TV_BOOL:
		return v->i != 0;
	case TV_LIST:
		return v->n > 0;
	case TV_MAP:
		return true;
	}
	return false;
}

static int
print(struct mb_buf *out, const struct mb_tval *v)
{
	if (v == NULL)
		return MB_OK;
	switch (v->type) {
	case TV_STR:
		return mb_html_escape(out, v->s, v->n);
	case TV_HTML:
		return mb_buf_append(out, v->s, v->n);
	case TV_INT:
		return mb_buf_printf(out, "%lld", (long long)v->i);
	case TV_BOOL:
		return v->i ? mb_buf_puts(out, "true") : MB_OK;
	default:
		return MB_OK;
	}
}

static int render_nodes(struct rctx *c, const struct node *n,
    const struct scope *sc);

static int
render_tr(struct rctx *c, const struct node *n, const struct scope *sc)
{
	const struct mb_tval	*v = n->arg ? resolve(c, sc, n->arg) : NULL;
	struct mb_buf		 arg = MB_BUF_INIT, msg = MB_BUF_INIT;
	const char		*m;
	int			 rc;

	if (v != NULL && v->type == TV_INT) {
		m = mb_catalog_plural(c->cat, n->text, v->i);
		rc = mb_catalog_format_int(c->cat, v->i, &arg);
	} else {
		m = mb_catalog_get(c->cat, n->text);
		rc = (v != NULL && (v->type == TV_STR || v->type == TV_HTML)) ?
		    mb_buf_append(&arg, v->s, v->n) : MB_OK;
	}
	if (rc == MB_OK)
		rc = mb_i18n_subst(m, mb_buf_cstr(&arg), &msg);
	if (rc == MB_OK)
		rc = mb_html_escape(c->out, mb_buf_cstr(&msg), msg.len);
	mb_buf_free(&arg);
	mb_buf_free(&msg);
	return rc;
}

static int
render_node(struct rctx *c, const struct node *n, const struct scope *sc)
{
	const struct mb_tval	*v;
	const struct tpl	*t;
	struct scope		 inner;
	int			 rc = MB_OK;

	switch (n->type) {
	case N_TEXT:
		return mb_buf_append(c->out, n->text, n->len);
	case N_VAR:
		return print(c->out, resolve(c, sc, n->text));
	case N_URL:
		v = resolve(c, sc, n->text);
		if (v == NULL || (v->type != TV_STR && v->type != TV_HTML))
			return MB_OK;
		if (!mb_url_safe(v->s))
			return mb_buf_putc(c->out, '#');
		return mb_html_escape(c->out, v->s, v->n);
	case N_TR:
		return render_tr(c, n, sc);
	case N_IF:
		if (truthy(resolve(c, sc, n->text)) != n->negate)
			return render_nodes(c, n->kids, sc);
		return render_nodes(c, n->else_kids, sc);
	case N_FOR:
		v = resolve(c, sc, n->text);
		if (v == NULL || v->type != TV_LIST)
			return MB_OK;
		inner.name = n->arg;
		inner.up = sc;
		for (const struct mb_tval *e = v->head; e != NULL &&
		    rc == MB_OK; e = e->next) {
			inner.v = e;
			rc = render_nodes(c, n->kids, &inner);
		}
		return rc;
	case N_INCLUDE:
		if ((t = find(c->set, n->text)) == NULL)
			return mb_diag_set(c->d, MB_ERR_NOTFOUND, "include "
			    "\"%s\": no such template", n->text);
		if (c->depth == TPL_MAX_INCLUDE)
			return mb_diag_set(c->d, MB_ERR_TOOBIG, "includes "
			    "nest deeper than %d (\"%s\")", TPL_MAX_INCLUDE,
			    n->text);
		c->depth++;
		rc = render_nodes(c, t->nodes, sc);
		c->depth--;
		return rc;
	}
	return MB_OK;
}

static int
render_nodes(struct rctx *c, const struct node *n, const struct scope *sc)
{
	int rc = MB_OK;

	for (; n != NULL && rc == MB_OK; n = n->next)
		rc = render_node(c, n, sc);
	return rc;
}

int
mb_tpl_render(const struct mb_tpl_set *set, const char *name,
    const struct mb_tdata *td, const struct mb_catalog *cat,
    struct mb_buf *out, struct mb_diag *d)
{
	const struct tpl	*t = find(set, name);
	struct rctx		 c;
	size_t			 len0 = out->len;
	int			 rc;

	if (t == NULL)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s: no such template",
		    name);
	if (td->failed)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	memset(&c, 0, sizeof(c));
	c.set = set;
	c.td = td;
	c.cat = cat;
	c.out = out;
	c.d = d;
	if ((rc = render_nodes(&c, t->nodes, NULL)) != MB_OK) {
		out->len = len0;
		if (out->data != NULL)
			out->data[len0] = '\0';
		if (rc == MB_ERR_NOMEM)
			mb_diag_set(d, rc, "out of memory");
	}
	return rc;
}
