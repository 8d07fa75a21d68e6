/* SPDX-License-Identifier: MIT */
/* The daily signed aggregate report each center sends to HQ through the exchange. */
#ifndef MB_IMPACT_REPORT_H
#define MB_IMPACT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "center/center.h"
#include "store/store.h"

/*
 * Publishes this center's aggregates of day as its signed report
 * (urn:mediabridge:<center>:impact-<day>, the next version when one
 * exists and the figures moved; nothing when they did not, or when
 * the day has no rows). *published: a new version was stored.
 */
int mb_impact_report_publish(const struct mb_center_node *n,
    struct mb_store *st, const char *day, bool *published,
    struct mb_diag *d);

/*
 * Applies one received report version: MB_ERR_SIG when it is not
 * signed by the center it reports on (the origin is not the uri's
 * center, the signature is not that center's key, or the report names
 * another center), MB_ERR_INVAL when its rows are malformed; else its
 * rows replace that center's rows of that day.
 */
int mb_impact_report_apply(struct mb_store *st,
    const struct mb_store_version *v, struct mb_diag *d);

/*
 * Applies every report version the log got since the last call (the
 * cursor is the domain's state "report_seq"); refused ones are logged
 * and skipped. *applied (may be NULL): how many were applied.
 */
int mb_impact_reports_catch_up(struct mb_store *st, const char *self,
    int *applied, struct mb_diag *d);

/*
 * mb_impact_report_apply's checks alone: MB_OK with the report's rows
 * (*rows to free) when v is a report its center signed, else its error.
 */
struct mb_impact_row;
int mb_impact_report_check(struct mb_store *st,
    const struct mb_store_version *v, struct mb_impact_row **rows,
    size_t *n, struct mb_diag *d);

/* What a view shows of one center's report of one day. */
struct mb_impact_report_info {
	char	center[33];
	char	day[11];
	char	uri[160];
	char	origin[64];	/* who signed it */
	int64_t	version;
	int64_t	received_ms;
	bool	verified;	/* signed by its center, checked again now */
	char	why[160];	/* when not verified: why */
	size_t	rows;
	int64_t	views, uniques;
};

/* The current report of (center, day); MB_ERR_NOTFOUND when none. */
int mb_impact_report_info(struct mb_store *st, const char *center,
    const char *day, struct mb_impact_report_info *out, struct mb_diag *d);

#endif
