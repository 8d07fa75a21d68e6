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

const char *
mb_req_form(struct mb_req *r, const char *name)
{
	if (!r->form_parsed) {
		r->form_parsed = true;
		mb_form_parse(&r->form, mb_req_header(r, "Content-Type"),
		    r->body.data, r->body.len);
	}
	return mb_form_get(&r->form, name);
}

const char *
mb_req_form_name(struct mb_req *r, int i)
{
	(void)mb_req_form(r, "");
	return i >= 0 && i < r->form.n ? r->form.kv[i][0] : NULL;
}

const char *
mb_req_form_too_long(struct mb_req *r)
{
	(void)mb_req_form(r, "");
	return r->form.too_long[0] != '\0' ? r->form.too_long : NULL;
}

const char *
mb_req_form_bad(struct mb_req *r)
{
	(void)mb_req_form(r, "");
	return r->form.bad[0] != '\0' ? r->form.bad : NULL;
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

struct mb_store *
mb_req_store(struct mb_req *r)
{
	struct mb_diag d = { "" };

	if (r->store == NULL)
		r->store = thread_store(r->srv, &d);
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

struct mb_mt *
mb_req_mt(const struct mb_req *r)
{
	return r->srv->opts.mt;
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

