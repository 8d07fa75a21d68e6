/* SPDX-License-Identifier: MIT */
/* Private to the newsroom's page files: the banner, redirects, sessions. */
#ifndef MB_HTTP_NR_INT_H
#define MB_HTTP_NR_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "site_int.h"

/*
 * Starts a newsroom page (private, the signed-in user's name, role and
 * CSRF token in "user"), titled by the catalog key title (NULL: the
 * newsroom's name). False when the request has been answered.
 */
bool mb_nr_begin(struct mb_page *p, struct mb_req *r, const char *title);
/* 303 See Other to a path of this site. */
void mb_nr_see_other(struct mb_req *r, const char *to);
/* 404: the site's page for a GET, a plain answer for a form POST. */
void mb_nr_not_found(struct mb_req *r);
/* A signed-in newsroom user (translator and up); else 303 to sign in. */
bool mb_nr_staff_or_login(struct mb_req *r);
/* A signed-in user of any role; else 303 to sign in. */
bool mb_nr_user_or_login(struct mb_req *r);
/*
 * Starts a web session for user_id and sets its cookie; MB_OK or the
 * store's error (the caller answers).
 */
int mb_nr_session_start(struct mb_req *r, struct mb_store *st,
    int64_t user_id, struct mb_diag *d);
/* The item's state for the desk ("embargoed" included), its label in m. */
void mb_nr_status_text(struct mb_page *p, struct mb_tval *m,
    const struct mb_item_view *v);

/*
 * Machine translation on the edit page ("mt": the translate form, the
 * stale badge, the translator's last edits as a diff; routes_nr_mt.c).
 */
void mb_nr_mt_panel(struct mb_page *p, struct mb_req *r,
    const struct mb_item_view *v);
/* Whether v is a translation whose original has moved on. */
bool mb_nr_mt_stale(struct mb_store *st, const struct mb_item_view *v);

/* The item's pictures, video and audio for the edit page ("pictures"). */
void mb_nr_pictures(struct mb_page *p, const json_t *item);

/*
 * The catalog's message key in the newsroom's language for this request,
 * with "{}" replaced by arg (may be NULL), into out.
 */
void mb_nr_msg(struct mb_req *r, const char *key, const char *arg,
    struct mb_buf *out);

/*
 * The item form's fields for each picture's caption and alt text
 * (routes_nr_pictext.c): for item's pictures ("form.pictures"), beside
 * the original's texts when orig is given (a translation). Values posted
 * with the form win over the item's.
 */
void mb_nr_picture_fields(struct mb_page *p, struct mb_req *r,
    const json_t *item, const json_t *orig);
/*
 * Writes the posted caption and alt text fields into item's pictures (a
 * picture whose fields are both blank keeps what it had).
 */
void mb_nr_picture_fields_apply(struct mb_req *r, json_t *item);
/* The most bytes a picture's caption, alt text or credit may have. */
#define MB_NR_PICTURE_TEXT_MAX 1000
/*
 * Whether a posted caption or alt text of one of item's pictures is over
 * MB_NR_PICTURE_TEXT_MAX: then msg (n bytes) says which, for the form.
 */
bool mb_nr_picture_fields_long(struct mb_req *r, const json_t *item,
    char *msg, size_t n);
/*
 * A picture placed in the original's text that the translation's text
 * does not show becomes a main picture, so that it is still seen.
 */
void mb_nr_picture_inline_fallback(json_t *item);

#endif
