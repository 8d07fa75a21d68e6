/* SPDX-License-Identifier: MIT */
/*
 * The words that go with an item's pictures, per language: whether each
 * picture has a text for readers who cannot see it in the item's
 * language (the publishing gate), and a translation's copies of the
 * original's pictures, marked with the language their texts are in.
 */
#ifndef MB_NEWSROOM_PICTEXT_H
#define MB_NEWSROOM_PICTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * The first picture association of item with neither alt text (role
 * "alt") nor caption (role "caption", or no role) in the item's
 * language: its name (else its uri) into name, and true. A picture's
 * texts are in the language its association names ("language"), else
 * in the item's. False when every picture has one.
 */
bool mb_newsroom_picture_lacks_text(const json_t *item, char *name,
    size_t n);

/*
 * The picture, video and sound associations of orig copied into item
 * (a translation), each marked with the language its texts are in,
 * from_lang (the original's): the translator or the engine gives them
 * the translation's language. Associations of item with the same name
 * are kept as they are. MB_OK or MB_ERR_NOMEM.
 */
int mb_newsroom_pictures_copy(json_t *item, const json_t *orig,
    const char *from_lang);

/*
 * Sets the texts of item's association called name: caption and alt
 * (NULL or blank: none of that role; the caption falls back to the alt
 * text and the other way round is left to readers' pages), in lang (the
 * item's language: the association's mark is removed). MB_ERR_NOTFOUND
 * when item has no such association; MB_ERR_INVAL when both are blank.
 */
int mb_newsroom_picture_set_text(json_t *item, const char *name,
    const char *caption, const char *alt);

/* True for an association that is a picture, a video or a sound. */
bool mb_newsroom_is_media_assoc(const json_t *o);

#endif
