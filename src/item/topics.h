/* SPDX-License-Identifier: MIT */
/* The topics an item's subjects give it, derived where the envelope is parsed anyway. */
#ifndef MB_ITEM_TOPICS_H
#define MB_ITEM_TOPICS_H

#include <jansson.h>

#include "base/buf.h"

/*
 * Appends to out the topics that subjects (an item's "subjects",
 * borrowed) derive, exactly as the store's SQL derives them when it has
 * only the envelope (sqlite_search.c, SQL_TOPICS; verify compares the
 * two): each subject's uri, name and code, and the uri's last segment
 * (after its last '/' or ':'), in Unicode lower case (mb_fold_lower, as
 * PostgreSQL's lower() and the SQLite backend fold), none empty, each
 * once. Each topic ends with a NUL; an empty string ends the list. MB_ERR_INVAL, out as it was: a shape whose derivation
 * is left to the store (anything but an array of objects whose uri,
 * name and code are absent, null or strings without a NUL).
 */
int mb_item_topics(const json_t *subjects, struct mb_buf *out);

#endif
