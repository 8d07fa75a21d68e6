/* SPDX-License-Identifier: MIT */
/* How the core's rows fill its structs, written once for both backends. */
#include "store_int.h"

static const struct mb_store_col center_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_center, id),
	MB_COL(MB_COL_CHARS, struct mb_center, name),
	MB_COL(MB_COL_CHARS, struct mb_center, country),
	MB_COL(MB_COL_CHARS, struct mb_center, languages),
	MB_COL(MB_COL_CHARS, struct mb_center, url),
	MB_COL(MB_COL_BYTES, struct mb_center, key),
	MB_COL(MB_COL_CHARS, struct mb_center, role),
	MB_COL(MB_COL_CHARS, struct mb_center, status),
	MB_COL(MB_COL_INT, struct mb_center, updated_ms),
	MB_COL(MB_COL_CHARS, struct mb_center, names),
	MB_COL(MB_COL_CHARS, struct mb_center, mt_pairs),
};
const struct mb_store_cols mb_store__center_cols =
    MB_COLS(struct mb_center, center_col);

static const struct mb_store_col peer_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_peer, center),
	MB_COL(MB_COL_CHARS, struct mb_peer, url),
	MB_COL(MB_COL_INT, struct mb_peer, manual),
	MB_COL(MB_COL_INT, struct mb_peer, cursor),
	MB_COL(MB_COL_INT, struct mb_peer, last_ok_ms),
	MB_COL(MB_COL_INT, struct mb_peer, last_err_ms),
	MB_COL(MB_COL_CHARS, struct mb_peer, last_error),
	MB_COL(MB_COL_INT, struct mb_peer, received),
	MB_COL(MB_COL_INT, struct mb_peer, refused),
};
const struct mb_store_cols mb_store__peer_cols =
    MB_COLS(struct mb_peer, peer_col);

static const struct mb_store_col blob_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_store_blob, hash),
	MB_COL(MB_COL_CHARS, struct mb_store_blob, mime),
	MB_COL(MB_COL_INT, struct mb_store_blob, size),
	MB_COL(MB_COL_INT, struct mb_store_blob, created_ms),
	MB_COL(MB_COL_INT, struct mb_store_blob, refs),
};
const struct mb_store_cols mb_store__blob_cols =
    MB_COLS(struct mb_store_blob, blob_col);

static const struct mb_store_col center_key_col[] = {
	MB_COL(MB_COL_CHARS, struct mb_center_key, id),
	MB_COL(MB_COL_BYTES, struct mb_center_key, key),
	MB_COL(MB_COL_INT, struct mb_center_key, until_ms),
	MB_COL(MB_COL_INT, struct mb_center_key, revoked),
};
const struct mb_store_cols mb_store__center_key_cols =
    MB_COLS(struct mb_center_key, center_key_col);
