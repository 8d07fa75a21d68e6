/* SPDX-License-Identifier: MIT */
/* Private to the site's route files: pages, item views, language names. */
#ifndef MB_HTTP_SITE_INT_H
#define MB_HTTP_SITE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/http.h"
#include "http/site.h"
#include "item/id.h"
#include "text/lang.h"

/* ---- A page being built (site_page.c) ---- */

struct mb_page {
	struct mb_req		*r;
	const struct mb_site	*site;
	const struct mb_catalog	*cat;		/* the interface language */
	struct mb_tdata		*td;
	struct mb_tval		*root;
	char			 lang[16];	/* cat's code */
	bool			 scripts;	/* may run /static scripts */
};

/*
 * Starts a page in the interface language lang (NULL: the reader's,
 * from the mb_lang cookie or Accept-Language). rest is the path after
 * "/<lang>" (the switcher links to the same page in other languages);
 * with lang NULL, a page of a path without a language (/verify/<id>),
 * rest is its whole path, kept as it is, except "/" (the front page).
 * False when it could not (the request has been answered 500/503).
 */
bool mb_page_begin(struct mb_page *p, struct mb_req *r, const char *lang,
    const char *rest);
/* Renders template tpl and answers with status; frees the page. */
void mb_page_finish(struct mb_page *p, unsigned status, const char *tpl);
/* Frees the page without answering. */
void mb_page_free(struct mb_page *p);
/*
 * A page built by walking a list: mb_page_finish() when rc is MB_OK;
 * else the page freed and the error for rc and d answered.
 */
void mb_page_finish_rc(struct mb_page *p, int rc, const struct mb_diag *d,
    unsigned status, const char *tpl);
/*
 * A form's page again: "error" says why it was refused; else, when flash
 * (a catalog key) is not NULL, "flash" says what was done.
 */
void mb_page_notice(struct mb_page *p, const char *error, const char *flash);
/*
 * Points the language switcher's entry for lang (a catalog's code) at
 * path (e.g. the item's translation in that language) instead of the
 * same page in lang. Nothing when the site has no such catalog.
 */
void mb_page_switch_to(struct mb_page *p, const char *lang,
    const char *path);
/* A catalog message of the page's language. */
const char *mb_page_msg(const struct mb_page *p, const char *key);
/* A date in the page's language, into a new string value. */
struct mb_tval *mb_page_date(struct mb_page *p, struct mb_tval *parent,
    const char *key, int64_t ms);

/* The name of a language in itself ("العربية"); the code when unknown. */
const char *mb_site_lang_name(const struct mb_site *s, const char *lang);

/*
 * tag for a lang attribute, into out (MB_LANG_TAG_MAX + 1 bytes): the
 * whole tag ("zh-Hant-TW") when well formed, else its primary subtag,
 * else "". Catalogs and URLs take the primary subtag; lang= the whole
 * one, by which a browser picks fonts and hyphenation.
 */
const char *mb_site_lang_attr(const char *tag, char *out);

/* ---- An item's facts, read from its envelope (site_page.c) ---- */

struct mb_item_view {
	json_t		*root;		/* the parsed envelope (owned) */
	const json_t	*item, *meta;
	const char	*uri, *headline, *language, *type, *profile;
	const char	*byline, *summary, *origin, *where, *audience;
	const char	*translation_of, *source_uri;
	char		 center[MB_CENTER_MAX + 1];
	char		 local[MB_LOCAL_MAX + 1];
	char		 lang[16];	/* primary subtag, "" when none */
	char		 tag[MB_LANG_TAG_MAX + 1];	/* whole, for lang= */
	int64_t		 version, first_ms, updated_ms, start_ms, end_ms;
	int64_t		 embargo_ms, seq;
	bool		 machine, rtl;
	bool		 summary_html;	/* summary is HTML, shown as text */
	char		 workflow[16], pub_status[16];
};

/* Parses a stored version's envelope. MB_ERR_CORRUPT when it won't. */
int mb_item_view_load(struct mb_item_view *v,
    const struct mb_store_version *sv);
void mb_item_view_free(struct mb_item_view *v);
/*
 * Where a reader goes for an item of this profile: "events" for an event
 * (its page has the programme and the registration form: the item page
 * has the dates only), "items" for the rest.
 */
const char *mb_site_item_dir(const char *profile);
/* Every body as mb_item_body_html() writes it, appended to out. */
int mb_item_view_body(const struct mb_item_view *v, struct mb_buf *out);
/*
 * One ninjs body object (borrowed) as the site shows it, appended to
 * out: contentType text/plain escaped, one <p> a line; HTML (the rest)
 * through the sanitizer. What leaves as HTML anywhere (pages, feeds,
 * NewsML-G2, the API's HTML view) is made here, so a plain-text body
 * is never read as markup. MB_OK, or the sanitizer's error (d says
 * why; NULL for none).
 */
int mb_item_body_html(const json_t *body, struct mb_buf *out,
    struct mb_diag *d);
/* Bytes of sanitized bodies kept for the next call (bounded; tests). */
size_t mb_item_view_body_kept(void);
/* A plain-text summary: the description, else the body's first words. */
int mb_item_view_summary(const struct mb_item_view *v, size_t max,
    struct mb_buf *out);

/*
 * Fills map with what a card shows (headline, url, lang, dir, date,
 * datetime, summary, center, kind) for the page's language.
 */
void mb_page_card(struct mb_page *p, struct mb_tval *map,
    const struct mb_item_view *v, struct mb_store *st);
/*
 * The item's pictures (figures: src, srcset, webp, alt, caption, credit)
 * and players (video, sound) into it's "pictures" and "players"
 * (site_media.c); a card's thumbnail into map's "thumb".
 */
void mb_site_media(struct mb_page *p, struct mb_tval *it, const json_t *item,
    const char *headline);
void mb_site_thumb(struct mb_page *p, struct mb_tval *map,
    const json_t *item);
/*
 * Machine translation for readers (routes_site_mt.c): a translation's
 * labels and provenance (machine-made, reviewed, stale, the engine and
 * the center that served it, the original's link) into it; and, for an
 * item with no version in the page's language, the offer of an
 * on-demand machine translation when the center's engines allow it.
 */
void mb_site_mt_labels(struct mb_page *p, struct mb_tval *it,
    struct mb_store *st, const struct mb_item_view *v);
void mb_site_mt_offer(struct mb_page *p, struct mb_req *r, struct mb_tval *it,
    const struct mb_item_view *v);

/*
 * A center's display name for a reader of lang (NULL: the default name):
 * its name in lang when the registry carries one (center/names.h), else
 * its default name, else its id; into out.
 */
void mb_site_center_name(struct mb_store *st, const char *id,
    const char *lang, char *out, size_t n);

/* The visibility rule for anonymous readers (lists, feeds, search). */
#define MB_SITE_PUBLIC MB_AUD_PUBLIC

#endif
