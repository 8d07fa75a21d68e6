/* SPDX-License-Identifier: MIT */
/* Courses in the browser: the catalogue, a course, its lessons and quizzes, sign-up and sign-in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "courses/courses.h"
#include "courses/package.h"
#include "http/sanitize.h"
#include "http_int.h"
#include "media/media.h"
#include "site_int.h"
#include "text/lang.h"

/*
 * Plain HTML forms, no JavaScript, every rule in src/courses/ (the pages
 * only read the request and show the answer). A lesson page carries the
 * lesson and the site's frame: a few KB before its pictures, which come
 * in sizes (srcset) so that a phone takes the smallest that fits. Forms
 * carry the session's CSRF token, which the server checks before a
 * handler runs. Certificates and their status list are in
 * routes_certificates.c.
 */

#define SESSION_TTL_MS (12LL * 3600 * 1000)
#define CATALOGUE_MAX 100

static const char *
lang_or_404(struct mb_req *r)
{
	const struct mb_site	*s = mb_site_get(NULL);
	const char		*l = mb_req_param(r, "lang");
	const struct mb_catalog	*c;

	if (s != NULL && l != NULL && (c = mb_i18n_get(mb_site_i18n(s), l)) !=
	    NULL && strcmp(mb_catalog_lang(c), l) == 0)
		return l;
	if (!mb_site_not_found(r))
		mb_resp_error(r, 404, "not_found", "no such page");
	return NULL;
}

static bool
env_or_reply(struct mb_req *r, struct mb_courses_env *e)
{
	if ((e->st = mb_req_store_or_reply(r)) == NULL)
		return false;
	e->node = mb_req_node(r);
	return true;
}

/* The page's frame, with who is signed in. */
static bool
begin(struct mb_page *p, struct mb_req *r, const char *lang,
    const char *rest, const char *title)
{
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_tval			*pg;

	if (!mb_page_begin(p, r, lang, rest))
		return false;
	pg = mb_tv_map(p->td, p->root, "page");
	mb_tv_str(p->td, pg, "title", title);
	if (u != NULL) {
		struct mb_tval *m = mb_tv_map(p->td, p->root, "user");

		mb_resp_private(r);
		mb_tv_str(p->td, m, "name", u->name);
		mb_tv_str(p->td, m, "csrf", u->csrf);
	}
	mb_tv_printf(p->td, p->root, "login", "/%s/login?next=/%s%s", p->lang,
	    p->lang, rest);
	return true;
}

/* A service failure as a page: the status its code means, the reason. */
static void
fail_page(struct mb_req *r, const char *lang, int rc, struct mb_diag *d)
{
	struct mb_page	 p;
	const char	*path = mb_req_path(r), *rest = "/courses";

	/* Signing in comes back to the page that was refused (a GET). */
	if (strcmp(mb_req_method(r), "GET") == 0 && lang != NULL &&
	    path[0] == '/' && strncmp(path + 1, lang, strlen(lang)) == 0 &&
	    path[1 + strlen(lang)] == '/')
		rest = path + 1 + strlen(lang);
	if (!begin(&p, r, lang, rest, "courses.error"))
		return;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    mb_page_msg(&p, "courses.error"));
	/* A reader not signed in is told so in the page's language. */
	mb_tv_str(p.td, p.root, "error", rc == MB_ERR_PERM &&
	    mb_req_user(r) == NULL ? mb_page_msg(&p, "courses.signin_first") :
	    mb_diag_msg(d, rc));
	mb_page_finish(&p, mb_newsroom_http_status(rc), "course_error.html");
}

/* ---- The catalogue ---- */

struct cat_walk {
	struct mb_page	*p;
	struct mb_store	*st;
	struct mb_tval	*list;
	int		 n;
};

static int
cat_cb(const struct mb_store_version *sv, void *arg)
{
	struct cat_walk		*w = arg;
	struct mb_item_view	 v;
	struct mb_course_info	*ci;
	struct mb_tval		*m;

	if (mb_item_view_load(&v, sv) != MB_OK)
		return MB_OK;
	if ((ci = malloc(sizeof(*ci))) == NULL) {
		mb_item_view_free(&v);
		return MB_ERR_NOMEM;
	}
	if (mb_course_read(v.item, ci, NULL) == MB_OK) {
		m = mb_tv_map(w->p->td, w->list, NULL);
		mb_page_card(w->p, m, &v, w->st);
		mb_tv_printf(w->p->td, m, "url", "/%s/courses/%s/%s",
		    w->p->lang, v.center, v.local);
		if (ci->level != NULL)
			mb_tv_str(w->p->td, m, "level", ci->level);
		mb_tv_int(w->p->td, m, "steps", ci->nsteps);
		mb_tv_str(w->p->td, m, "langname", mb_site_lang_name(
		    w->p->site, v.lang[0] ? v.lang : "und"));
		w->n++;
	}
	free(ci);
	mb_item_view_free(&v);
	return w->n < CATALOGUE_MAX ? MB_OK : 1;
}

static void
catalogue(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	struct mb_store_filter	 f;
	struct cat_walk		 w;
	struct mb_page		 p;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (lang == NULL || (st = mb_req_store_or_reply(r)) == NULL)
		return;
	if (!begin(&p, r, lang, "/courses", NULL))
		return;
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    mb_page_msg(&p, "courses.title"));
	memset(&f, 0, sizeof(f));
	f.profile = "course";
	f.limit = CATALOGUE_MAX;
	f.audiences = MB_SITE_PUBLIC;
	f.now_ms = mb_time_now_ms();
	memset(&w, 0, sizeof(w));
	w.p = &p;
	w.st = st;
	w.list = mb_tv_list(p.td, p.root, "courses");
	if ((rc = mb_store_list(st, &f, cat_cb, &w, &d)) != MB_OK) {
		mb_page_free(&p);
		mb_resp_err(r, rc, &d);
		return;
	}
	mb_resp_cache_ttl(r, 5000);
	mb_page_finish(&p, 200, "courses.html");
}

/* ---- A course ---- */

/* The course of the request's :center/:local, as the actor may see it. */
static int
course_of(struct mb_req *r, const struct mb_courses_env *e,
    const struct mb_actor *a, struct mb_course **c, struct mb_diag *d)
{
	char uri[MB_URI_MAX];

	if (mb_uri_make(uri, sizeof(uri), mb_req_param(r, "center"),
	    mb_req_param(r, "local")) != MB_OK)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "no such course");
	return mb_courses_get(e, a, uri, c, d);
}

static const char *
state_msg(struct mb_page *p, const char *state)
{
	char k[48];

	snprintf(k, sizeof(k), "courses.state.%s", state[0] ? state :
	    "new");
	return mb_page_msg(p, k);
}

static void
course_frame(struct mb_page *p, const struct mb_course *c, const char *base)
{
	struct mb_tval	*m = mb_tv_map(p->td, p->root, "course");
	char		 lang[16] = "und";

	if (c->info.language != NULL)
		mb_lang_primary(c->info.language, lang);
	mb_tv_str(p->td, m, "title", c->info.title);
	mb_tv_str(p->td, m, "description", c->info.description);
	mb_tv_str(p->td, m, "by", c->info.by);
	mb_tv_str(p->td, m, "level", c->info.level);
	mb_tv_str(p->td, m, "lang", lang);
	mb_tv_str(p->td, m, "dir", mb_lang_is_rtl(lang) ? "rtl" : "ltr");
	mb_tv_str(p->td, m, "url", base);
	mb_tv_int(p->td, m, "total", c->info.nsteps);
}

static void
course_page(struct mb_req *r)
{
	const char			*lang = lang_or_404(r);
	const struct mb_http_user	*u = mb_req_user(r);
	struct mb_courses_env		 e;
	struct mb_course		*c = NULL;
	struct mb_course_progress	*pr = NULL;
	struct mb_actor			 a;
	struct mb_page			 p;
	struct mb_diag			 d = { "" };
	struct mb_tval			*steps;
	const char			*last = NULL, *msg;
	char				 base[200];
	int				 rc;

	if (lang == NULL || !env_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = course_of(r, &e, &a, &c, &d)) != MB_OK) {
		fail_page(r, lang, rc, &d);
		return;
	}
	snprintf(base, sizeof(base), "/%s/courses/%s/%s", lang, c->center,
	    c->local);
	if ((pr = calloc(1, sizeof(*pr))) == NULL ||
	    (u != NULL && (rc = mb_courses_progress(&e, u->id, c, pr, &d)) !=
	    MB_OK)) {
		free(pr);
		mb_course_free(c);
		mb_resp_err(r, pr == NULL ? MB_ERR_NOMEM : rc, &d);
		return;
	}
	if (!begin(&p, r, lang, base + strlen(lang) + 1, c->info.title))
		goto out;
	course_frame(&p, c, base);
	steps = mb_tv_list(p.td, p.root, "steps");
	for (int i = 0; i < c->info.nsteps; i++) {
		struct mb_tval	*s = mb_tv_map(p.td, steps, NULL);
		const char	*m = c->info.step[i].module;

		if (m != NULL && (last == NULL || strcmp(m, last) != 0))
			mb_tv_str(p.td, s, "module", m);
		last = m;
		mb_tv_int(p.td, s, "n", i + 1);
		mb_tv_str(p.td, s, "title", c->info.step[i].title != NULL ?
		    c->info.step[i].title : "");
		mb_tv_str(p.td, s, "kind", mb_page_msg(&p, c->info.step[i].kind
		    == MB_STEP_QUIZ ? "courses.quiz" : "courses.lesson"));
		mb_tv_printf(p.td, s, "url", "%s/%d", base, i + 1);
		if (pr->enrolled)
			mb_tv_str(p.td, s, "state", state_msg(&p, pr->step[i]));
		if (pr->best[i] >= 0)
			mb_tv_int(p.td, s, "best", pr->best[i]);
	}
	if (u == NULL) {
		mb_tv_bool(p.td, p.root, "anonymous", true);
	} else if (!pr->enrolled) {
		struct mb_course_setting	 set;
		struct mb_tval			*en = mb_tv_map(p.td, p.root,
						    "enrol");

		mb_tv_printf(p.td, en, "action", "%s/enrol", base);
		if (mb_store_course_setting_get(e.st, c->info.uri, &set,
		    NULL) == MB_OK) {
			mb_tv_bool(p.td, en, "code", strcmp(set.enrol, "code")
			    == 0);
			mb_tv_bool(p.td, en, "approval", strcmp(set.enrol,
			    "approval") == 0);
		}
	} else {
		struct mb_tval *m = mb_tv_map(p.td, p.root, "progress");

		mb_tv_int(p.td, m, "done", pr->done);
		mb_tv_int(p.td, m, "total", pr->total);
		mb_tv_str(p.td, m, "state", state_msg(&p, pr->state));
		mb_tv_bool(p.td, m, "pending", strcmp(pr->state, "pending") ==
		    0);
		if (pr->certificate[0])
			mb_tv_printf(p.td, m, "certificate", "/%s/certificates/"
			    "%s", lang, pr->certificate + 9);
	}
	if (mb_actor_role(&a) >= MB_ROLE_TRANSLATOR || (pr->enrolled &&
	    strcmp(pr->state, "pending") != 0))
		mb_tv_printf(p.td, p.root, "package", "/courses/%s/%s/package",
		    c->center, c->local);
	if (mb_actor_role(&a) >= MB_ROLE_EDITOR)
		mb_tv_printf(p.td, p.root, "class", "/courses/%s/%s/class.csv",
		    c->center, c->local);
	if ((msg = mb_req_query(r, "done")) != NULL && (strcmp(msg, "enrol") ==
	    0 || strcmp(msg, "pending") == 0)) {
		char k[40];

		snprintf(k, sizeof(k), "courses.done.%s", msg);
		mb_tv_str(p.td, p.root, "note", mb_page_msg(&p, k));
	}
	mb_page_finish(&p, 200, "course.html");
out:
	free(pr);
	mb_course_free(c);
}

static void
enrol(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	struct mb_courses_env	 e;
	struct mb_course	*c = NULL;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	char			 st[MB_COURSE_STATE_MAX], to[200];
	int			 rc;

	if (lang == NULL || !env_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = course_of(r, &e, &a, &c, &d)) == MB_OK)
		rc = mb_courses_enrol(&e, &a, c, mb_req_form(r, "code"), st,
		    &d);
	if (rc != MB_OK) {
		mb_course_free(c);
		fail_page(r, lang, rc, &d);
		return;
	}
	snprintf(to, sizeof(to), "/%s/courses/%s/%s?done=%s", lang, c->center,
	    c->local, strcmp(st, "pending") == 0 ? "pending" : "enrol");
	mb_course_free(c);
	mb_resp_see_other(r, to);
}

/* ---- A step: a lesson or a quiz ---- */

static int
step_no(struct mb_req *r)
{
	const char	*s = mb_req_param(r, "n");
	char		*end;
	long		 n;

	if (s == NULL || *s < '1' || *s > '9')
		return -1;
	n = strtol(s, &end, 10);
	return *end == '\0' && n <= MB_COURSE_MAX_STEPS ? (int)n - 1 : -1;
}

/*
 * Pictures of a lesson: every image rendition in srcset, the smallest
 * src; its video or audio: the smallest file (the first when no size).
 */
static void
lesson_media(struct mb_page *p, const json_t *item)
{
	const json_t	*o;
	struct mb_buf	 set = MB_BUF_INIT;
	struct mb_tval	*m;
	char		 hx[65], src[80] = "", av[80] = "";
	const char	*avtype = NULL;
	int64_t		 smallest = 0, avsize = 0, w;
	size_t		 i;

	json_array_foreach(json_object_get(item, "renditions"), i, o) {
		const char *ct = json_string_value(json_object_get(o,
		    "contentType"));
		int64_t size = json_integer_value(json_object_get(o,
		    "sizeInBytes"));

		if (ct == NULL || mb_media_href_hash(json_string_value(
		    json_object_get(o, "href")), hx) != MB_OK)
			continue;
		if (strncmp(ct, "image/", 6) == 0) {
			w = json_integer_value(json_object_get(o, "width"));
			if (w > 0)
				mb_buf_printf(&set, "%s/media/%s %lldw",
				    set.len ? ", " : "", hx, (long long)w);
			if (src[0] == '\0' || (w > 0 && w < smallest)) {
				snprintf(src, sizeof(src), "/media/%s", hx);
				smallest = w;
			}
		} else if ((strncmp(ct, "video/", 6) == 0 ||
		    strncmp(ct, "audio/", 6) == 0) && (av[0] == '\0' ||
		    (size > 0 && (avsize <= 0 || size < avsize)))) {
			/* By bytes, its own measure: not an image's width. */
			snprintf(av, sizeof(av), "/media/%s", hx);
			avtype = strncmp(ct, "video/", 6) == 0 ? "video" :
			    "audio";
			avsize = size;
		}
	}
	if (src[0] != '\0') {
		m = mb_tv_map(p->td, p->root, "picture");
		mb_tv_str(p->td, m, "src", src);
		if (set.len > 0)
			mb_tv_str(p->td, m, "srcset", mb_buf_cstr(&set));
	}
	if (av[0] != '\0') {
		m = mb_tv_map(p->td, p->root, avtype);
		mb_tv_str(p->td, m, "src", av);
	}
	mb_buf_free(&set);
}

static int
lesson_body(struct mb_page *p, const json_t *item, struct mb_diag *d)
{
	struct mb_buf	 b = MB_BUF_INIT;
	const json_t	*body;
	size_t		 i;
	int		 rc = MB_OK;

	json_array_foreach(json_object_get(item, "bodies"), i, body) {
		const char *v = json_string_value(json_object_get(body,
		    "value"));
		const char *ct = json_string_value(json_object_get(body,
		    "contentType"));

		/*
		 * As the site, the package and /api/v1/items/.../html show
		 * a body: HTML sanitized, text/plain escaped a line a
		 * paragraph; other kinds are not for reading.
		 */
		if (v == NULL || (ct != NULL && strcmp(ct, "text/html") != 0 &&
		    strcmp(ct, "text/plain") != 0))
			continue;
		if ((rc = mb_item_body_html(body, &b, d)) != MB_OK)
			break;
	}
	if (rc == MB_OK)
		mb_tv_html(p->td, p->root, "body", b.data != NULL ? b.data :
		    "");
	mb_buf_free(&b);
	return rc;
}

static void
quiz_form(struct mb_page *p, const struct mb_quiz *q, const json_t *given)
{
	struct mb_tval *qs = mb_tv_list(p->td, p->root, "questions");

	for (int i = 0; i < q->n; i++) {
		const struct mb_quiz_question	*qq = &q->q[i];
		struct mb_tval			*m = mb_tv_map(p->td, qs, NULL);
		struct mb_tval			*cs;
		const json_t			*mine = json_object_get(given,
						    qq->id);

		mb_tv_int(p->td, m, "n", i + 1);
		mb_tv_str(p->td, m, "id", qq->id);
		mb_tv_str(p->td, m, "text", qq->text);
		if (qq->kind == MB_QUIZ_SHORT) {
			mb_tv_bool(p->td, m, "short", true);
			mb_tv_str(p->td, m, "value", json_string_value(
			    json_array_get(mine, 0)));
			continue;
		}
		cs = mb_tv_list(p->td, m, "choices");
		for (int k = 0; k < qq->nchoices; k++) {
			struct mb_tval	*ch = mb_tv_map(p->td, cs, NULL);
			const json_t	*v;
			size_t		 j;

			mb_tv_str(p->td, ch, "text", qq->choices[k]);
			mb_tv_printf(p->td, ch, "name", qq->kind ==
			    MB_QUIZ_SINGLE ? "q_%s" : "q_%s_%d", qq->id, k);
			mb_tv_printf(p->td, ch, "value", "%d", k);
			mb_tv_printf(p->td, ch, "id", "q_%s_%d", qq->id, k);
			mb_tv_str(p->td, ch, "type", qq->kind == MB_QUIZ_SINGLE ?
			    "radio" : "checkbox");
			json_array_foreach(mine, j, v)
				if (json_is_string(v) && atoi(
				    json_string_value(v)) == k)
					mb_tv_bool(p->td, ch, "checked", true);
		}
	}
}

/*
 * The step's page: the lesson, or the quiz (its form while attempts are
 * left, else where the learner stands). result: after a submission.
 * offline: the key of answers an offline package sent (given), which
 * the form sends back with them.
 */
static void
step_page(struct mb_req *r, unsigned status, const struct mb_quiz_result *res,
    const json_t *given, const char *error, const char *offline)
{
	const char			*lang = lang_or_404(r);
	struct mb_courses_env		 e;
	struct mb_course		*c = NULL;
	struct mb_course_progress	*pr = NULL;
	struct mb_quiz			*q = NULL;
	struct mb_actor			 a;
	struct mb_page			 p;
	struct mb_diag			 d = { "" };
	struct mb_tval			*s;
	json_t				*item = NULL;
	char				 base[200], rest[200];
	int				 n = step_no(r), rc;

	if (lang == NULL || !env_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = course_of(r, &e, &a, &c, &d)) != MB_OK ||
	    (rc = mb_courses_step(&e, &a, c, n, &item, &d)) != MB_OK) {
		mb_course_free(c);
		fail_page(r, lang, rc, &d);
		return;
	}
	if ((pr = calloc(1, sizeof(*pr))) == NULL ||
	    (a.user_id != 0 && mb_courses_progress(&e, a.user_id, c, pr,
	    &d) != MB_OK)) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	snprintf(base, sizeof(base), "/%s/courses/%s/%s", lang, c->center,
	    c->local);
	snprintf(rest, sizeof(rest), "/courses/%s/%s/%d", c->center,
	    c->local, n + 1);
	if (!begin(&p, r, lang, rest, mb_course_headline(item)))
		goto out;
	course_frame(&p, c, base);
	s = mb_tv_map(p.td, p.root, "step");
	mb_tv_int(p.td, s, "n", n + 1);
	mb_tv_str(p.td, s, "title", mb_course_headline(item));
	mb_tv_str(p.td, s, "module", c->info.step[n].module);
	mb_tv_printf(p.td, s, "action", "%s/%d", base, n + 1);
	if (n > 0)
		mb_tv_printf(p.td, s, "prev", "%s/%d", base, n);
	if (n + 1 < c->info.nsteps)
		mb_tv_printf(p.td, s, "next", "%s/%d", base, n + 2);
	{
		char l[16] = "und";
		const char *il = json_string_value(json_object_get(item,
		    "language"));

		if (il != NULL)
			mb_lang_primary(il, l);
		mb_tv_str(p.td, s, "lang", l);
		mb_tv_str(p.td, s, "dir", mb_lang_is_rtl(l) ? "rtl" : "ltr");
	}
	if (error != NULL)
		mb_tv_str(p.td, p.root, "error", error);
	if (c->info.step[n].kind == MB_STEP_LESSON) {
		mb_tv_bool(p.td, s, "lesson", true);
		lesson_media(&p, item);
		if ((rc = lesson_body(&p, item, &d)) != MB_OK) {
			mb_page_free(&p);
			goto fail;
		}
		if (strcmp(pr->step[n], "completed") == 0)
			mb_tv_bool(p.td, s, "completed", true);
		else if (pr->enrolled)
			mb_tv_bool(p.td, s, "can_complete", true);
	} else {
		if ((rc = mb_quiz_from_item(item, &q, &d)) != MB_OK) {
			mb_page_free(&p);
			goto fail;
		}
		mb_tv_bool(p.td, s, "quiz", true);
		mb_tv_int(p.td, s, "pass", q->pass_mark);
		mb_tv_int(p.td, s, "attempts", q->attempts);
		mb_tv_int(p.td, s, "tries", pr->tries[n]);
		if (pr->best[n] >= 0)
			mb_tv_int(p.td, s, "best", pr->best[n]);
		if (res != NULL) {
			struct mb_tval *m = mb_tv_map(p.td, p.root, "result");

			mb_tv_int(p.td, m, "score", res->score);
			mb_tv_bool(p.td, m, "passed", res->passed);
			mb_tv_int(p.td, m, "left", res->left);
			if (res->completed)
				mb_tv_bool(p.td, m, "completed", true);
			if (res->duplicate)
				mb_tv_bool(p.td, m, "duplicate", true);
		}
		if (offline != NULL && res == NULL)
			mb_tv_str(p.td, s, "offline", offline);
		if (pr->certificate[0])
			mb_tv_printf(p.td, s, "certificate", "/%s/certificates/"
			    "%s", lang, pr->certificate + 9);
		if (strcmp(pr->step[n], "completed") == 0)
			mb_tv_bool(p.td, s, "closed", true);
		else if (pr->enrolled && pr->tries[n] >= q->attempts)
			mb_tv_bool(p.td, s, "no_attempts", true);
		else if (pr->enrolled)
			quiz_form(&p, q, given);
		else
			quiz_form(&p, q, NULL);	/* staff: a preview */
		mb_tv_bool(p.td, s, "open", pr->enrolled && strcmp(pr->step[n],
		    "completed") != 0 && pr->tries[n] < q->attempts);
	}
	mb_page_finish(&p, status, "course_step.html");
	goto out;
fail:
	fail_page(r, lang, rc, &d);
out:
	mb_quiz_free(q);
	json_decref(item);
	free(pr);
	mb_course_free(c);
}

/* An offline attempt's key: 8 to 63 of [A-Za-z0-9_-]. */
static bool
offline_key_ok(const char *k)
{
	size_t n = k != NULL ? strlen(k) : 0;

	return n >= 8 && n <= 63 && strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static json_t *form_answers(struct mb_req *r, const struct mb_quiz *q,
    const char *(*get)(struct mb_req *, const char *));

/*
 * Answers taken offline in a package, in the query with their key
 * (package_quiz.c): the quiz's form ticked with them, to be sent as
 * they are. Nothing is recorded by a GET. Signed out, the sign-in page
 * comes first and brings the learner back here with the same query.
 */
static void
step_offline(struct mb_req *r, const char *key)
{
	const char		*lang = lang_or_404(r);
	struct mb_courses_env	 e;
	struct mb_course	*c = NULL;
	struct mb_quiz		*q = NULL;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	struct mb_buf		 next = MB_BUF_INIT, to = MB_BUF_INIT;
	json_t			*given = NULL, *v, *vals;
	const char		*id;
	int			 n = step_no(r), rc;
	size_t			 k;

	if (lang == NULL || !env_or_reply(r, &e))
		return;
	if (!offline_key_ok(key)) {
		mb_diag_set(&d, MB_ERR_INVAL, "offline: the answers' key is 8 "
		    "to 63 letters, digits, - or _");
		fail_page(r, lang, MB_ERR_INVAL, &d);
		return;
	}
	mb_req_actor(r, &a);
	/* The quiz is read only for its questions' names. */
	if ((rc = course_of(r, &e, &a, &c, &d)) != MB_OK ||
	    (rc = mb_courses_quiz_form(&e, c, n, &q, &d)) != MB_OK) {
		fail_page(r, lang, rc, &d);
		goto out;
	}
	if ((given = form_answers(r, q, mb_req_query)) == NULL) {
		rc = MB_ERR_NOMEM;
		fail_page(r, lang, rc, &d);
		goto out;
	}
	if (a.user_id == 0) {
		mb_buf_printf(&next, "/%s/courses/%s/%s/%d?offline=%s", lang,
		    c->center, c->local, n + 1, key);
		json_object_foreach(given, id, vals) {
			for (k = 0; k < json_array_size(vals); k++) {
				v = json_array_get(vals, k);
				for (int i = 0; i < q->n; i++) {
					if (strcmp(q->q[i].id, id) != 0)
						continue;
					if (q->q[i].kind == MB_QUIZ_MULTIPLE)
						mb_buf_printf(&next, "&q_%s_%s="
						    "%s", id,
						    json_string_value(v),
						    json_string_value(v));
					else {
						mb_buf_printf(&next, "&q_%s=",
						    id);
						mb_http_urlencode(
						    json_string_value(v),
						    &next);
					}
				}
			}
		}
		mb_buf_printf(&to, "/%s/login?next=", lang);
		mb_http_urlencode(mb_buf_cstr(&next), &to);
		mb_resp_see_other(r, mb_buf_cstr(&to));
		goto out;
	}
	step_page(r, 200, NULL, given, NULL, key);
out:
	mb_buf_free(&next);
	mb_buf_free(&to);
	json_decref(given);
	mb_quiz_free(q);
	mb_course_free(c);
}

static void
step_get(struct mb_req *r)
{
	const char *key = mb_req_query(r, "offline");

	if (key != NULL)
		step_offline(r, key);
	else
		step_page(r, 200, NULL, NULL, NULL, NULL);
}

/*
 * The form's answers as quiz.h wants them: q_<id> is a single choice or
 * a short answer, q_<id>_<k> a ticked box of a multiple choice. get is
 * mb_req_form, or mb_req_query for answers an offline package sends.
 */
static json_t *
form_answers(struct mb_req *r, const struct mb_quiz *q,
    const char *(*get)(struct mb_req *, const char *))
{
	json_t	*a = json_object();
	char	 name[64];

	for (int i = 0; a != NULL && i < q->n; i++) {
		const struct mb_quiz_question	*qq = &q->q[i];
		json_t				*vals = json_array();
		const char			*v;

		if (qq->kind != MB_QUIZ_MULTIPLE) {
			snprintf(name, sizeof(name), "q_%s", qq->id);
			if ((v = get(r, name)) != NULL && *v != '\0')
				json_array_append_new(vals, json_string(v));
		} else {
			for (int k = 0; k < qq->nchoices; k++) {
				snprintf(name, sizeof(name), "q_%s_%d", qq->id,
				    k);
				if (get(r, name) != NULL)
					json_array_append_new(vals,
					    json_sprintf("%d", k));
			}
		}
		json_object_set_new(a, qq->id, vals);
	}
	return a;
}

/*
 * The first q_ field of the form that names no question of q, nor one
 * of its choices (q_<id>_<k> past the last); NULL when none. Such an
 * answer was dropped and the attempt still counted.
 */
static const char *
form_stray(struct mb_req *r, const struct mb_quiz *q)
{
	const char	*f;
	char		 name[64];

	for (int n = 0; (f = mb_req_form_name(r, n)) != NULL; n++) {
		bool known = false;

		if (strncmp(f, "q_", 2) != 0)
			continue;
		for (int i = 0; i < q->n && !known; i++) {
			const struct mb_quiz_question *qq = &q->q[i];

			if (qq->kind != MB_QUIZ_MULTIPLE) {
				snprintf(name, sizeof(name), "q_%s", qq->id);
				known = strcmp(f, name) == 0;
			}
			for (int k = 0; qq->kind == MB_QUIZ_MULTIPLE &&
			    k < qq->nchoices && !known; k++) {
				snprintf(name, sizeof(name), "q_%s_%d", qq->id,
				    k);
				known = strcmp(f, name) == 0;
			}
		}
		if (!known)
			return f;
	}
	return NULL;
}

static void
step_post(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	struct mb_courses_env	 e;
	struct mb_course	*c = NULL;
	struct mb_quiz		*q = NULL;
	struct mb_quiz_result	 res;
	struct mb_actor		 a;
	struct mb_diag		 d = { "" };
	json_t			*item = NULL, *ans = NULL;
	const char		*key = mb_req_form(r, "offline"), *stray;
	char			 to[220];
	int			 n = step_no(r), rc;

	if (lang == NULL || !env_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if (a.user_id == 0) {
		mb_resp_error(r, 401, "unauthorized", "sign in first");
		return;
	}
	if ((rc = course_of(r, &e, &a, &c, &d)) != MB_OK)
		goto fail;
	if (n >= 0 && n < c->info.nsteps && c->info.step[n].kind ==
	    MB_STEP_LESSON) {
		if ((rc = mb_courses_lesson_done(&e, &a, c, n, &d)) != MB_OK)
			goto fail;
		snprintf(to, sizeof(to), "/%s/courses/%s/%s/%d", lang,
		    c->center, c->local, n + 2 <= c->info.nsteps ? n + 2 :
		    n + 1);
		if (n + 1 == c->info.nsteps)
			snprintf(to, sizeof(to), "/%s/courses/%s/%s", lang,
			    c->center, c->local);
		mb_course_free(c);
		mb_resp_see_other(r, to);
		return;
	}
	if ((rc = mb_courses_step(&e, &a, c, n, &item, &d)) != MB_OK ||
	    (rc = mb_quiz_from_item(item, &q, &d)) != MB_OK)
		goto fail;
	if ((ans = form_answers(r, q, mb_req_form)) == NULL) {
		rc = MB_ERR_NOMEM;
		goto fail;
	}
	if ((stray = form_stray(r, q)) != NULL) {
		char msg[160];

		snprintf(msg, sizeof(msg), "%.64s: no such question or choice "
		    "in this quiz", stray);
		mb_quiz_free(q);
		json_decref(item);
		mb_course_free(c);
		step_page(r, 422, NULL, ans, msg, key);
		json_decref(ans);
		return;
	}
	/* Answers taken offline come back with their key: once only. */
	if (key != NULL && !offline_key_ok(key)) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "offline: the answers' key "
		    "is 8 to 63 letters, digits, - or _");
		goto fail;
	}
	rc = mb_courses_quiz_submit(&e, &a, c, n, ans, key, &res, &d);
	mb_quiz_free(q);
	json_decref(item);
	mb_course_free(c);
	if (rc == MB_OK)
		step_page(r, 200, &res, res.passed ? NULL : ans, NULL, NULL);
	else if (rc == MB_ERR_INVAL)
		step_page(r, 422, NULL, ans, mb_diag_msg(&d, rc), key);
	else
		fail_page(r, lang, rc, &d);
	json_decref(ans);
	return;
fail:
	json_decref(ans);
	mb_quiz_free(q);
	json_decref(item);
	mb_course_free(c);
	fail_page(r, lang, rc, &d);
}

/* ---- For instructors and learners outside the pages ---- */

static void
class_csv(struct mb_req *r)
{
	struct mb_courses_env	 e;
	struct mb_course	*c = NULL;
	struct mb_actor		 a;
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	int			 rc;

	mb_resp_private(r);
	if (mb_req_user(r) == NULL) {
		mb_resp_error(r, 401, "unauthorized", "sign in as an "
		    "instructor (editor or admin)");
		return;
	}
	if (!env_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	if ((rc = course_of(r, &e, &a, &c, &d)) == MB_OK &&
	    (rc = mb_courses_class_csv(&e, &a, c, &b, &d)) == MB_OK) {
		mb_resp_header(r, "Content-Disposition", "attachment; "
		    "filename=\"class.csv\"");
		mb_resp_bytes(r, 200, "text/csv; charset=utf-8", b.data,
		    b.len);
	} else {
		mb_resp_err(r, rc, &d);
	}
	mb_buf_free(&b);
	mb_course_free(c);
}

static void
package(struct mb_req *r)
{
	struct mb_courses_env	 e;
	struct mb_course	*c = NULL;
	struct mb_package_opts	 o;
	struct mb_actor		 a;
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	char			 disp[200];
	int			 rc;

	mb_resp_private(r);
	if (mb_req_user(r) == NULL) {
		mb_resp_error(r, 401, "unauthorized", "sign in and enrol to "
		    "take a course offline");
		return;
	}
	if (!env_or_reply(r, &e))
		return;
	mb_req_actor(r, &a);
	memset(&o, 0, sizeof(o));
	o.clean = mb_sanitize_html;
	o.blob_dir = e.node->conf.dir;
	if ((rc = course_of(r, &e, &a, &c, &d)) == MB_OK &&
	    (rc = mb_courses_package(&e, &a, c, &o, &b, &d)) == MB_OK) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s."
		    "zip\"", c->center, c->local);
		size_t len = b.len;

		mb_resp_header(r, "Content-Disposition", disp);
		mb_resp_take(r, 200, "application/zip", mb_buf_steal(&b), len);
		log_info("courses: package course=%s user=%s", c->info.uri,
		    a.name);
	} else {
		mb_resp_err(r, rc, &d);
	}
	mb_buf_free(&b);
	mb_course_free(c);
}

/* ---- Learners: sign in, sign up with an invitation code ---- */

/* A local path to go back to after signing in; "/<lang>/courses" else. */
static void
next_of(struct mb_req *r, const char *lang, char *out, size_t n)
{
	const char *next = mb_req_form(r, "next");

	if (next == NULL)
		next = mb_req_query(r, "next");
	if (mb_http_local_path(next) && strlen(next) < n)
		snprintf(out, n, "%s", next);
	else
		snprintf(out, n, "/%s/courses", lang);
}

static void
account_form(struct mb_req *r, const char *lang, unsigned status,
    bool signup, const char *name, const char *error)
{
	struct mb_page	p;
	char		next[2048];

	next_of(r, lang, next, sizeof(next));
	if (!begin(&p, r, lang, signup ? "/signup" : "/login", NULL))
		return;
	mb_resp_private(r);
	mb_tv_str(p.td, mb_tv_map(p.td, p.root, "page"), "title",
	    mb_page_msg(&p, signup ? "courses.signup" : "courses.login"));
	mb_tv_bool(p.td, p.root, "signup", signup);
	if (signup && mb_req_node(r) != NULL &&
	    mb_req_node(r)->conf.courses_signup_approval)
		mb_tv_bool(p.td, p.root, "approval", true);
	if (signup && status == 202)
		mb_tv_bool(p.td, p.root, "pending", true);
	mb_tv_str(p.td, p.root, "name", name);
	mb_tv_str(p.td, p.root, "next", next);
	mb_tv_printf(p.td, p.root, "action", "/%s/%s", lang, signup ?
	    "signup" : "login");
	{
		/* next may hold a query (answers sent from a package). */
		struct mb_buf o = MB_BUF_INIT;

		mb_buf_printf(&o, "/%s/%s?next=", lang, signup ? "login" :
		    "signup");
		mb_http_urlencode(next, &o);
		mb_tv_str(p.td, p.root, "other", mb_buf_cstr(&o));
		mb_buf_free(&o);
	}
	if (error != NULL)
		mb_tv_str(p.td, p.root, "error", error);
	mb_page_finish(&p, status, "course_account.html");
}

static void
login_get(struct mb_req *r)
{
	const char *lang = lang_or_404(r);

	if (lang != NULL)
		account_form(r, lang, 200, false, NULL, NULL);
}

static void
signup_get(struct mb_req *r)
{
	const char *lang = lang_or_404(r);

	if (lang != NULL)
		account_form(r, lang, 200, true, NULL, NULL);
}

/* Starts a session for the user (the newsroom's cookie) and goes on. */
static void
session(struct mb_req *r, struct mb_store *st, const struct mb_user *u,
    const char *to)
{
	struct mb_diag	d = { "" };
	char		secret[MB_SECRET_TEXT_LEN], csrf[MB_SECRET_TEXT_LEN];
	char		cookie[200];
	int		rc;

	if ((rc = mb_accounts_session_new(st, u->id, SESSION_TTL_MS, secret,
	    csrf, &d)) != MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	snprintf(cookie, sizeof(cookie), "mb_session=%s; Path=/; HttpOnly; "
	    "SameSite=Lax; Max-Age=%lld%s", secret,
	    (long long)(SESSION_TTL_MS / 1000),
	    strncmp(mb_req_node(r)->conf.url, "https:", 6) == 0 ?
	    "; Secure" : "");
	mb_resp_header(r, "Set-Cookie", cookie);
	mb_resp_see_other(r, to);
}

static void
login_post(struct mb_req *r)
{
	const char	*lang = lang_or_404(r);
	const char	*name = mb_req_form(r, "name");
	const char	*pw = mb_req_form(r, "password");
	struct mb_store	*st;
	struct mb_user	 u;
	struct mb_diag	 d = { "" };
	char		 next[2048];
	int64_t		 now = mb_time_now_ms();
	int		 rc;

	if (lang == NULL)
		return;
	if (name == NULL || *name == '\0' || pw == NULL || *pw == '\0') {
		account_form(r, lang, 422, false, name, "name, password: "
		    "both are required");
		return;
	}
	if (mb_throttle_check(mb_req_throttle(r), name, mb_req_client(r),
	    now) > 0) {
		account_form(r, lang, 429, false, name, "too many tries: wait "
		    "a little");
		return;
	}
	if ((st = mb_req_store_or_reply(r)) == NULL)
		return;
	if ((rc = mb_accounts_login(st, name, pw, &u, &d)) != MB_OK) {
		if (rc == MB_ERR_PERM)
			mb_throttle_fail(mb_req_throttle(r), name,
			    mb_req_client(r), now);
		account_form(r, lang, rc == MB_ERR_PERM ? 401 :
		    mb_newsroom_http_status(rc), false, name,
		    mb_diag_msg(&d, rc));
		return;
	}
	mb_throttle_ok(mb_req_throttle(r), u.name, mb_req_client(r));
	log_info("courses: login user=%s", u.name);
	next_of(r, lang, next, sizeof(next));
	session(r, st, &u, next);
}

static void
signup_post(struct mb_req *r)
{
	const char		*lang = lang_or_404(r);
	const char		*name = mb_req_form(r, "name");
	struct mb_courses_env	 e;
	struct mb_user		 u;
	struct mb_diag		 d = { "" };
	char			 next[2048];
	bool			 pending = false;
	int			 rc;

	if (lang == NULL || !env_or_reply(r, &e))
		return;
	if ((rc = mb_courses_signup(&e, name, mb_req_form(r, "password"),
	    mb_req_form(r, "code"), &pending, &d)) != MB_OK) {
		account_form(r, lang, rc == MB_ERR_AGAIN ? 429 :
		    mb_newsroom_http_status(rc), true, name,
		    mb_diag_msg(&d, rc));
		return;
	}
	if (pending) {
		/* No session: the account waits for an admin. */
		account_form(r, lang, 202, true, name, NULL);
		return;
	}
	if ((rc = mb_store_user_get(e.st, name, 0, &u, NULL, 0, &d)) !=
	    MB_OK) {
		mb_resp_err(r, rc, &d);
		return;
	}
	next_of(r, lang, next, sizeof(next));
	session(r, e.st, &u, next);
}

static void
logout(struct mb_req *r)
{
	const char	*lang = lang_or_404(r);
	const char	*cookie = mb_req_cookie(r, "mb_session");
	struct mb_store	*st;
	char		 to[64];

	if (lang == NULL)
		return;
	if (cookie != NULL && (st = mb_req_store_or_reply(r)) != NULL)
		mb_accounts_session_end(st, cookie, NULL);
	mb_resp_header(r, "Set-Cookie", "mb_session=; Path=/; HttpOnly; "
	    "SameSite=Lax; Max-Age=0");
	snprintf(to, sizeof(to), "/%s/courses", lang);
	mb_resp_see_other(r, to);
}

const struct mb_route mb_routes_courses[] = {
	{ "GET", "/:lang/courses", catalogue, MB_ROUTE_CACHE,
	  "courses.catalogue" },
	{ "GET", "/:lang/courses/:center/:local", course_page, 0,
	  "courses.course" },
	{ "POST", "/:lang/courses/:center/:local/enrol", enrol,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL, "courses.enrol" },
	{ "GET", "/:lang/courses/:center/:local/:n", step_get, 0,
	  "courses.step" },
	{ "POST", "/:lang/courses/:center/:local/:n", step_post,
	  MB_ROUTE_FORM | MB_ROUTE_SMALL, "courses.answer" },
	{ "GET", "/courses/:center/:local/class.csv", class_csv, 0,
	  "courses.class" },
	{ "GET", "/courses/:center/:local/package", package, 0,
	  "courses.package" },
	{ "GET", "/:lang/login", login_get, 0, "courses.login" },
	{ "POST", "/:lang/login", login_post, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "courses.login" },
	{ "POST", "/:lang/logout", logout, MB_ROUTE_FORM | MB_ROUTE_SMALL,
	  "courses.logout" },
	{ "GET", "/:lang/signup", signup_get, 0, "courses.signup" },
	{ "POST", "/:lang/signup", signup_post, MB_ROUTE_FORM |
	  MB_ROUTE_SMALL, "courses.signup" },
	MB_ROUTES_END
};
