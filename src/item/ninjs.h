/* SPDX-License-Identifier: MIT */
/* Validation of an item against the IPTC ninjs 3.1 JSON schema. */
#ifndef MB_ITEM_NINJS_H
#define MB_ITEM_NINJS_H

#include <jansson.h>

#include "base/err.h"

/*
 * Checks item (borrowed) against every rule of the ninjs 3.1 schema
 * (draft 2020-12): types, enums, required members, min/max, formats
 * (date-time, uri), truncated date-times, oneOf/anyOf, and no member
 * that the schema does not define (unevaluatedProperties / additional
 * properties false). On failure returns MB_ERR_INVAL and the diagnostic
 * names the first bad field by its path and says why, e.g.
 * "headlines[0].value: must be a string" or
 * "colour: not a ninjs 3.1 field".
 */
int mb_ninjs_validate(const json_t *item, struct mb_diag *d);

#endif
