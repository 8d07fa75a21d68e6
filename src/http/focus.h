/* SPDX-License-Identifier: MIT */
/*
 * A picture's focal point (its crop point): what must stay in view when a
 * page crops the picture to another shape. Kept in the item as ninjs's
 * own rendition "poi" (point of interest, in the rendition's pixels) on
 * every rendition with a size (docs/media.md, "Focal point").
 */
#ifndef MB_HTTP_FOCUS_H
#define MB_HTTP_FOCUS_H

#include <stdbool.h>

#include <jansson.h>

/*
 * Reads the form's two fields (numbers from 0 to 1, "." or "," as the
 * decimal mark). Both empty: MB_OK with *given false. One missing, not a
 * number or out of range: MB_ERR_INVAL.
 */
int mb_focus_parse(const char *x, const char *y, double *fx, double *fy,
    bool *given);
/* Sets poi on every rendition of rends that has a width and a height. */
void mb_focus_set(json_t *rends, double fx, double fy);
/* The focal point of rends (its first rendition with poi and a size). */
bool mb_focus_get(const json_t *rends, double *fx, double *fy);
/*
 * The site.css class that puts the focal point of rends in view when a
 * picture is cropped with object-fit: cover ("fp03": x 0 %, y 75 %, on
 * a grid of quarters); NULL when it has none or it is the middle.
 */
const char *mb_focus_class(const json_t *rends, char out[8]);

#endif
