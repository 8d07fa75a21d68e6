/* SPDX-License-Identifier: MIT */
/*
 * Private to the newsroom's editor files (nr_form.c, routes_nr_edit.c,
 * routes_nr_actions.c): the item form, fetching an item as the caller
 * may see it, and the edit page.
 */
#ifndef MB_HTTP_NR_FORM_H
#define MB_HTTP_NR_FORM_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "site_int.h"

/* What the form carries, from a request or from a stored item. */
struct mb_nr_form {
	const char	*headline, *language, *byline, *profile, *audience;
	const char	*body, *start, *end, *where, *of, *version;
	const char	*format;	/* "markdown" or "html" (the body's) */
	const char	*html;		/* the body as stored, once rendered */
	bool		 plain;		/* the stored body is text/plain */
	char		 start_buf[24], end_buf[24];
};

/*
 * The body as it will be stored: Markdown rendered and sanitized
 * (markdown.h), HTML as given. into holds what fm->html points to.
 */
int mb_nr_form_render(struct mb_nr_form *fm, struct mb_buf *into,
    struct mb_diag *d);
/* A stored body for the editor: Markdown when it says the same, else HTML. */
void mb_nr_form_body_for_editing(struct mb_nr_form *fm, struct mb_buf *md);
/* "2026-11-29T14:00" (UTC) -> ms; false when malformed. */
bool mb_nr_parse_local(const char *s, int64_t *ms);
void mb_nr_form_from_request(struct mb_req *r, struct mb_nr_form *fm);
void mb_nr_form_from_item(const struct mb_item_view *v,
    struct mb_nr_form *fm);
/* Checks the form; each problem goes next to its field in errs. */
bool mb_nr_form_check(struct mb_page *p, const struct mb_nr_form *fm,
    struct mb_tval *errs);
/* The form's values and choices on page p ("form"), posting to action. */
void mb_nr_form_values(struct mb_page *p, const struct mb_nr_form *fm,
    const char *action, const char *default_lang);
/* The body rendered as readers would see it ("preview"). */
void mb_nr_preview(struct mb_page *p, const struct mb_nr_form *fm);
/* The service's refusal beside the field it names, else above the form. */
void mb_nr_service_error(struct mb_page *p, struct mb_tval *errs,
    const char *msg);
/* Writes the form's fields into item (a ninjs object; references kept). */
void mb_nr_form_to_item(const struct mb_nr_form *fm, json_t *item);
/*
 * Whether a field's bytes are no text (a NUL byte, not UTF-8): then
 * *field is where the page shows msg, the refusal naming it.
 */
bool mb_nr_form_bad(struct mb_req *r, const char **field, char *msg,
    size_t n);
/* Whether the form asked for a preview (do=preview). */
bool mb_nr_is_preview(struct mb_req *r);
/* Checks a submitted form in the site's default language. */
bool mb_nr_form_ok(struct mb_req *r, const struct mb_nr_form *fm);

/*
 * Fetches an item as the caller may see it: 200 and the view (raw holds
 * its envelope), else the HTTP status to answer.
 */
unsigned mb_nr_fetch(struct mb_req *r, const char *center,
    const char *local, struct mb_item_view *v, struct mb_buf *raw);
/*
 * Answers the edit page of the item named by the route's center and
 * local: given (NULL: the stored values), an error beside err_field,
 * and the preview when asked.
 */
void mb_nr_edit_page(struct mb_req *r, unsigned status,
    const struct mb_nr_form *given, const char *err_field,
    const char *err_msg, bool with_preview);

#endif
