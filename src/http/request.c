/* SPDX-License-Identifier: MIT */
/* The request side of the server: accessors, headers, cookies, forms and bodies. */
#include "server_int.h"

#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"

/* ---------------------------------------------------------------- */
/* Request accessors                                                */

const char *
mb_req_method(const struct mb_req *r)
{
	return r->method;
}

const char *
mb_req_path(const struct mb_req *r)
{
	return r->path;
}

const char *
mb_req_param(const struct mb_req *r, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < r->m.nparams; i++) {
		const char *p = r->m.names[i];

		if (strncmp(p, name, n) == 0 && (p[n] == '\0' || p[n] == '/'))
			return r->m.values[i];
	}
	return NULL;
}

const char *
mb_req_query(struct mb_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
mb_req_header(struct mb_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
mb_req_cookie(struct mb_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *
mb_req_client(const struct mb_req *r)
{
	return r->client;
}

const char *
mb_req_body(const struct mb_req *r, size_t *len)
{
	if (len != NULL)
		*len = r->body.len;
	return mb_buf_cstr(&r->body);
}

json_t *
mb_req_json_or_reply(struct mb_req *r)
{
	struct mb_diag	 d = { "" };
	json_t		*v;
	int		 rc;

	rc = mb_http_json_parse(mb_buf_cstr(&r->body), r->body.len,
	    &r->json_lim, &v, &d);
	if (rc == MB_ERR_TOOBIG) {
		mb_resp_error(r, 413, "too_large", "%s", d.msg);
		return NULL;
	}
	if (rc != MB_OK) {
		mb_resp_error(r, 400, "bad_json", "%s", d.msg);
		return NULL;
	}
	return v;
}

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

/* Decodes x-www-form-urlencoded in place. */
static void
form_decode(char *s)
{
	char *o = s;

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
}

/*
 * The text fields of a multipart/form-data body (RFC 7578): parts
 * without a filename, each value up to 4 KiB (a form that uploads a file
 * also carries its csrf field this way). File parts are the handler's.
 */
static void
form_multipart(struct mb_req *r, const char *ct)
{
	const char	*b = strcasestr(ct, "boundary="), *p, *end, *he, *nx;
	char		 delim[84];
	size_t		 bl, dl;

	if (b == NULL)
		return;
	b += 9;
	if (*b == '"')
		b++;
	bl = strcspn(b, "\"; \t");
	if (bl == 0 || bl > 70)
		return;
	dl = (size_t)snprintf(delim, sizeof(delim), "\r\n--%.*s", (int)bl, b);
	p = r->body.data;
	end = p + r->body.len;
	if (p == NULL || (size_t)(end - p) < dl - 2 ||
	    memcmp(p, delim + 2, dl - 2) != 0)
		return;
	p += dl - 2;
	while (r->nform < MAX_FORM && end - p >= 2 && p[0] == '\r' &&
	    p[1] == '\n') {
		const char	*nm, *ne;

		p += 2;
		if ((he = memmem(p, (size_t)(end - p), "\r\n\r\n", 4)) == NULL ||
		    (nx = memmem(he + 4, (size_t)(end - he - 4), delim, dl)) ==
		    NULL)
			return;
		nm = memmem(p, (size_t)(he - p), "name=\"", 6);
		if (nm != NULL && memmem(p, (size_t)(he - p), "filename=", 9) ==
		    NULL && nx - (he + 4) <= 4096) {
			nm += 6;
			if ((ne = memchr(nm, '"', (size_t)(he - nm))) == NULL)
				return;
			r->form[r->nform][0] = strndup(nm, (size_t)(ne - nm));
			r->form[r->nform][1] = strndup(he + 4,
			    (size_t)(nx - he - 4));
			if (r->form[r->nform][0] == NULL ||
			    r->form[r->nform][1] == NULL) {
				free(r->form[r->nform][0]);
				free(r->form[r->nform][1]);
				return;
			}
			r->nform++;
		}
		p = nx + dl;
	}
}

const char *
mb_req_form(struct mb_req *r, const char *name)
{
	if (!r->form_parsed) {
		const char	*ct = mb_req_header(r, "Content-Type");
		char		*copy, *save = NULL, *tok;

		r->form_parsed = true;
		if (ct != NULL && strncasecmp(ct, "multipart/form-data",
		    19) == 0) {
			form_multipart(r, ct);
			return mb_req_form(r, name);
		}
		if (ct == NULL || strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) != 0)
			return NULL;
		if ((copy = strdup(mb_buf_cstr(&r->body))) == NULL)
			return NULL;
		for (tok = strtok_r(copy, "&", &save); tok != NULL &&
		    r->nform < MAX_FORM; tok = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(tok, '=');

			if (eq != NULL)
				*eq++ = '\0';
			r->form[r->nform][0] = strdup(tok);
			r->form[r->nform][1] = strdup(eq ? eq : "");
			if (r->form[r->nform][0] == NULL ||
			    r->form[r->nform][1] == NULL) {
				free(r->form[r->nform][0]);
				free(r->form[r->nform][1]);
				break;
			}
			form_decode(r->form[r->nform][0]);
			form_decode(r->form[r->nform][1]);
			r->nform++;
		}
		free(copy);
	}
	for (int i = 0; i < r->nform; i++)
		if (strcmp(r->form[i][0], name) == 0)
			return r->form[i][1];
	return NULL;
}

const struct mb_http_user *
mb_req_user(const struct mb_req *r)
{
	return r->have_user ? &r->user : NULL;
}

enum mb_role
mb_req_role(const struct mb_req *r)
{
	return r->have_user ? r->user.role : MB_ROLE_NONE;
}

void
srv_close_store(void *p)
{
	mb_store_close(p);
}

static struct mb_store *
thread_store(struct mb_http_server *s, struct mb_diag *d)
{
	struct mb_store	*st = pthread_getspecific(s->store_key);

	if (st == NULL) {
		if (mb_center_store(s->node, &st, d) != MB_OK)
			return NULL;
		pthread_setspecific(s->store_key, st);
	}
	return st;
}

struct mb_store *
mb_req_store_or_reply(struct mb_req *r)
{
	struct mb_diag d = { "" };

	if (r->store == NULL && (r->store = thread_store(r->srv, &d)) ==
	    NULL) {
		log_error("http: store unavailable: %s", d.msg);
		mb_resp_error(r, 503, "unavailable",
		    "the store is unavailable; try again");
	}
	return r->store;
}

const struct mb_center_node *
mb_req_node(const struct mb_req *r)
{
	return r->srv->node;
}

struct mb_ingest *
mb_req_ingest(const struct mb_req *r)
{
	return r->srv->ingest;
}

struct mb_media_sandbox *
mb_req_media(const struct mb_req *r)
{
	return r->srv->opts.media;
}

struct mb_http_server *
mb_req_server(const struct mb_req *r)
{
	return r->srv;
}

struct mb_throttle *
mb_req_throttle(const struct mb_req *r)
{
	return r->srv->throttle;
}

void *
mb_req_data(const struct mb_req *r)
{
	return r->data;
}

void
mb_req_set_data(struct mb_req *r, void *p, void (*free_fn)(void *))
{
	if (r->data != NULL && r->data_free != NULL && r->data != p)
		r->data_free(r->data);
	r->data = p;
	r->data_free = free_fn;
}

unsigned
mb_req_wakeups(const struct mb_req *r)
{
	return r->wakeups;
}

