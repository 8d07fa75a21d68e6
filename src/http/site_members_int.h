/* SPDX-License-Identifier: MIT */
/* Private to the members' and agenda's site pages: the frame they share. */
#ifndef MB_HTTP_SITE_MEMBERS_INT_H
#define MB_HTTP_SITE_MEMBERS_INT_H

#include <stdbool.h>

#include "site_int.h"

/* The request's :lang when the site has that catalog; else a 404 answered. */
const char *mb_mp_lang_or_404(struct mb_req *r);

/*
 * Starts a page titled by catalog key title, with who is signed in
 * ("user": name, csrf; the page is then private) and the sign-in link
 * back to rest ("login"). False when the request has been answered.
 */
bool mb_mp_begin(struct mb_page *p, struct mb_req *r, const char *lang,
    const char *rest, const char *title);

/* The label of a category ("mem.cat.<code>") in the page's language. */
const char *mb_mp_category(struct mb_page *p, const char *code);

#endif
