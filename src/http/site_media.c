/* SPDX-License-Identifier: MIT */
/*
 * An item's pictures, video and sound on the reader's pages: figures with
 * captions and credits, srcset per format, HTML5 players, card thumbnails.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "focus.h"
#include "http/template.h"
#include "media/media.h"
#include "site_int.h"

/*
 * Where a rendition is served here: a content-addressed href (ni:) is
 * /media/<hash> (docs/media.md); an http(s) one as it is. NULL when
 * neither, or when it would not survive a srcset (spaces, commas).
 */
static const char *
local_href(const json_t *o, char out[80])
{
	const char	*href = json_string_value(json_object_get(o, "href"));
	char		 hx[65];

	if (href != NULL && mb_media_href_hash(href, hx) == MB_OK) {
		snprintf(out, 80, "/media/%s", hx);
		return out;
	}
	if (href == NULL || !mb_url_safe(href) || strpbrk(href, " ,") != NULL)
		return NULL;
	return href;
}

static bool
starts(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * One picture: src the widest up to 1024 px (for old browsers), a
 * srcset of WebP and one of the rest, so no width appears twice in a
 * list (a <picture> offers WebP to browsers that take it).
 */
static struct mb_tval *
picture(struct mb_page *p, struct mb_tval *list, const json_t *rends,
    const char *alt, const char *caption, const char *credit)
{
	struct mb_buf	 webp = MB_BUF_INIT, other = MB_BUF_INIT;
	struct mb_buf	 srcb = MB_BUF_INIT;
	int64_t		 w = 0, h = 0, best = 0;
	const json_t	*o;
	size_t		 i;
	bool		 found = false;
	struct mb_tval	*m = NULL;

	json_array_foreach(rends, i, o) {
		const char	*ct = json_string_value(json_object_get(o,
				    "contentType"));
		const char	*n = json_string_value(json_object_get(o,
				    "name"));
		int64_t		 rw = json_integer_value(json_object_get(o,
				    "width"));
		int64_t		 rh = json_integer_value(json_object_get(o,
				    "height"));
		char		 lb[80];
		const char	*href = local_href(o, lb);
		struct mb_buf	*set;

		/* A video's poster frame is the player's, not a picture. */
		if (href == NULL || !starts(ct, "image/") || starts(n,
		    "poster"))
			continue;
		set = strcmp(ct, "image/webp") == 0 ? &webp : &other;
		if (rw > 0) {
			if (set->len > 0)
				mb_buf_puts(set, ", ");
			mb_buf_printf(set, "%s %lldw", href, (long long)rw);
		}
		if (set == &other && (!found || (rw > best && rw <= 1024))) {
			mb_buf_reset(&srcb);
			mb_buf_puts(&srcb, href);
			best = rw;
			w = rw;
			h = rh;
			found = true;
		}
	}
	/* Only WebP: its list is the img's own. */
	if (!found && webp.len > 0) {
		json_array_foreach(rends, i, o) {
			char		 lb[80];
			const char	*href = local_href(o, lb);

			if (href != NULL && starts(json_string_value(
			    json_object_get(o, "contentType")), "image/")) {
				mb_buf_puts(&srcb, href);
				w = json_integer_value(json_object_get(o,
				    "width"));
				h = json_integer_value(json_object_get(o,
				    "height"));
				found = true;
				break;
			}
		}
		mb_buf_reset(&other);
		mb_buf_append(&other, webp.data, webp.len);
		mb_buf_reset(&webp);
	}
	if (found) {
		m = mb_tv_map(p->td, list, NULL);
		mb_tv_str(p->td, m, "src", mb_buf_cstr(&srcb));
		if (other.len > 0)
			mb_tv_str(p->td, m, "srcset", mb_buf_cstr(&other));
		if (webp.len > 0)
			mb_tv_str(p->td, m, "webp", mb_buf_cstr(&webp));
		mb_tv_str(p->td, m, "alt", alt != NULL ? alt : "");
		mb_tv_str(p->td, m, "caption", caption);
		mb_tv_str(p->td, m, "credit", credit);
		if (w > 0 && h > 0) {
			mb_tv_int(p->td, m, "width", w);
			mb_tv_int(p->td, m, "height", h);
		}
	}
	mb_buf_free(&webp);
	mb_buf_free(&other);
	mb_buf_free(&srcb);
	return m;
}

/* A video or sound rendition becomes a player, with its poster frame. */
static void
player(struct mb_page *p, struct mb_tval *list, const json_t *rends,
    const char *caption, const char *credit)
{
	const json_t	*o;
	size_t		 i;
	char		 lb[80], pb[80];
	const char	*poster = NULL;

	json_array_foreach(rends, i, o)
		if (starts(json_string_value(json_object_get(o, "name")),
		    "poster") && starts(json_string_value(json_object_get(o,
		    "contentType")), "image/") && strcmp(json_string_value(
		    json_object_get(o, "contentType")), "image/webp") != 0 &&
		    poster == NULL)
			poster = local_href(o, pb);
	json_array_foreach(rends, i, o) {
		const char	*ct = json_string_value(json_object_get(o,
				    "contentType"));
		const char	*href = local_href(o, lb);
		struct mb_tval	*m;

		if (href == NULL || !(starts(ct, "video/") || starts(ct,
		    "audio/")))
			continue;
		m = mb_tv_map(p->td, list, NULL);
		mb_tv_str(p->td, m, "src", href);
		mb_tv_str(p->td, m, "type", ct);
		mb_tv_bool(p->td, m, "video", starts(ct, "video/"));
		mb_tv_str(p->td, m, "poster", poster);
		mb_tv_str(p->td, m, "caption", caption);
		mb_tv_str(p->td, m, "credit", credit);
		if (json_integer_value(json_object_get(o, "width")) > 0) {
			mb_tv_int(p->td, m, "width", json_integer_value(
			    json_object_get(o, "width")));
			mb_tv_int(p->td, m, "height", json_integer_value(
			    json_object_get(o, "height")));
		}
		return;
	}
}

static const char *
first_value(const json_t *list)
{
	return json_string_value(json_object_get(json_array_get(list, 0),
	    "value"));
}

/* A picture's caption: its first description that is not its alt text. */
static const char *
caption_of(const json_t *list)
{
	const json_t	*o;
	size_t		 i;

	json_array_foreach(list, i, o) {
		const char *role = json_string_value(json_object_get(o,
		    "role"));

		if (role == NULL || strcmp(role, "alt") != 0)
			return json_string_value(json_object_get(o, "value"));
	}
	return NULL;
}

/*
 * A picture's alt text: its description with role "alt" (what the
 * picture shows, for readers who cannot see it), else its caption.
 */
static const char *
alt_text(const json_t *list, const char *caption)
{
	const json_t	*o;
	size_t		 i;

	json_array_foreach(list, i, o) {
		const char *role = json_string_value(json_object_get(o,
		    "role"));

		if (role != NULL && strcmp(role, "alt") == 0 &&
		    json_string_value(json_object_get(o, "value")) != NULL)
			return json_string_value(json_object_get(o, "value"));
	}
	return caption;
}

void
mb_site_media(struct mb_page *p, struct mb_tval *it, const json_t *item,
    const char *headline)
{
	struct mb_tval	*pics = mb_tv_list(p->td, it, "pictures");
	struct mb_tval	*players = mb_tv_list(p->td, it, "players");
	const char	*desc = first_value(json_object_get(item,
			    "descriptions"));
	const char	*il = json_string_value(json_object_get(item,
			    "language"));
	const json_t	*o;
	size_t		 i;

	/*
	 * A picture item: its description is its caption and alt text; the
	 * headline only when it has none (an empty alt would hide it).
	 */
	player(p, players, json_object_get(item, "renditions"), NULL, NULL);
	picture(p, pics, json_object_get(item, "renditions"), desc != NULL ?
	    desc : headline, desc, NULL);
	json_array_foreach(json_object_get(item, "associations"), i, o) {
		const char	*t = json_string_value(json_object_get(o,
				    "type"));
		const char	*rel = json_string_value(json_object_get(o,
				    "rel"));
		const char	*cap = caption_of(json_object_get(o,
				    "descriptions"));

		/* One placed in the text is shown there, as a figure. */
		if (t == NULL || (rel != NULL && strcmp(rel, "inline") == 0))
			continue;
		if (cap == NULL)
			cap = first_value(json_object_get(o, "headlines"));
		if (strcmp(t, "picture") == 0) {
			struct mb_tval *m = picture(p, pics, json_object_get(o,
			    "renditions"), alt_text(json_object_get(o,
			    "descriptions"), cap != NULL ? cap : ""), cap,
			    json_string_value(json_object_get(o, "by")));
			const char *ml = json_string_value(json_object_get(o,
			    "language"));

			/* Words not yet in the item's language say which
			 * they are in (a screen reader reads them so). */
			if (m != NULL && ml != NULL && (il == NULL ||
			    strcmp(ml, il) != 0))
				mb_tv_str(p->td, m, "lang", ml);
		}
		else if (strcmp(t, "video") == 0 || strcmp(t, "audio") == 0)
			player(p, players, json_object_get(o, "renditions"),
			    cap, json_string_value(json_object_get(o, "by")));
	}
}

/* The smallest image rendition at least min px wide (else the widest). */
static const json_t *
smallest(const json_t *rends, int64_t min)
{
	const json_t	*o, *pick = NULL;
	int64_t		 pw = 0;
	size_t		 i;

	json_array_foreach(rends, i, o) {
		const char	*ct = json_string_value(json_object_get(o,
				    "contentType"));
		int64_t		 w = json_integer_value(json_object_get(o,
				    "width"));

		if (!starts(ct, "image/") || w <= 0)
			continue;
		/* JPEG or PNG for the card: every browser shows them. */
		if (strcmp(ct, "image/webp") == 0)
			continue;
		if (pick == NULL || (pw < min && w > pw) || (w >= min &&
		    w < pw))
			pick = o, pw = w;
	}
	return pick;
}

void
mb_site_thumb(struct mb_page *p, struct mb_tval *m, const json_t *item)
{
	const json_t	*rends = json_object_get(item, "renditions");
	const json_t	*o, *t;
	const json_t	*set = rends;
	const char	*alt = NULL;
	size_t		 i;
	char		 lb[80], fc[8];
	const char	*href;
	struct mb_tval	*th;

	if ((t = smallest(rends, 160)) == NULL)
		json_array_foreach(json_object_get(item, "associations"), i,
		    o) {
			const char *rel = json_string_value(json_object_get(o,
			    "rel"));

			if ((rel != NULL && strcmp(rel, "inline") == 0) ||
			    (t = smallest(json_object_get(o, "renditions"),
			    160)) == NULL)
				continue;
			alt = alt_text(json_object_get(o, "descriptions"),
			    caption_of(json_object_get(o, "descriptions")));
			set = json_object_get(o, "renditions");
			break;
		}
	if (t == NULL || (href = local_href(t, lb)) == NULL)
		return;
	th = mb_tv_map(p->td, m, "thumb");
	mb_tv_str(p->td, th, "src", href);
	/* The card's headline names the story: the picture says itself. */
	mb_tv_str(p->td, th, "alt", alt != NULL ? alt : "");
	/* The card crops it (site.css): around its focal point. */
	mb_tv_str(p->td, th, "fp", mb_focus_class(set, fc));
	mb_tv_int(p->td, th, "width", json_integer_value(json_object_get(t,
	    "width")));
	mb_tv_int(p->td, th, "height", json_integer_value(json_object_get(t,
	    "height")));
}
