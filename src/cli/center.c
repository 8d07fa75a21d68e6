/* SPDX-License-Identifier: MIT */
/* Opening a center and its store for one command, and closing them. */
#include "center/center.h"
#include "cli/cli.h"
#include "store/store.h"

int
mb_cli_open(const char *dir, struct mb_center_node **n, struct mb_store **st,
    struct mb_diag *d)
{
	int rc;

	*n = NULL;
	*st = NULL;
	if ((rc = mb_center_open(dir, n, d)) != MB_OK ||
	    (rc = mb_center_store(*n, st, d)) != MB_OK) {
		mb_center_close(*n);
		*n = NULL;
	}
	return rc;
}

void
mb_cli_close(struct mb_center_node *n, struct mb_store *st)
{
	mb_store_close(st);
	mb_center_close(n);
}
