/* SPDX-License-Identifier: MIT */
/* Acks: an importer tells an exporter, signed, how far its bundles arrived. */
#include "bundle/bundle.h"
#include "bundle_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "base/timeutil.h"
#include "store/bundles.h"

/* An ack is a few hundred bytes; a file much larger is not one. */
#define ACK_MAX	(64 * 1024)

int
mb_bundle_ack(const struct mb_center_node *n, struct mb_store *st,
    const char *exporter, struct mb_buf *out, struct mb_diag *d)
{
	struct mb_bundle_mark	 m;
	char			 now[MB_TIME_RFC3339_LEN];
	json_t			*body;
	int			 rc;

	if ((rc = mb_store_bundle_mark(st, "in", exporter, &m, d)) != MB_OK)
		return rc == MB_ERR_NOTFOUND ? mb_diag_set(d, rc, "no bundle "
		    "from %s was imported here", exporter) : rc;
	mb_time_format(mb_time_now_ms(), now);
	if ((body = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "format",
	    MB_BUNDLE_ACK_FORMAT, "from", n->conf.id, "for", exporter,
	    "through", (json_int_t)m.through, "manifest", m.manifest,
	    "created", now)) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((rc = mb_bundle__sign(n->key, "ack", body, out, d)) != MB_OK)
		return rc;
	return mb_buf_putc(out, '\n') == MB_OK ? MB_OK : mb_diag_set(d,
	    MB_ERR_NOMEM, "out of memory");
}

int
mb_bundle_ack_read(const struct mb_center_node *n, struct mb_store *st,
    const char *file, char from[33], int64_t *through, struct mb_diag *d)
{
	struct mb_center	 c;
	const char		*format, *sender, *to;
	json_t			*body = NULL;
	char			*doc = NULL;
	size_t			 len;
	int64_t			 t;
	int			 rc;

	if ((rc = mb_fs_read(file, ACK_MAX, &doc, &len, d)) != MB_OK)
		return rc;
	if ((rc = mb_bundle__open(doc, len, "ack", &body, d)) != MB_OK) {
		mb_diag_prefix(d, "%s", file);
		goto out;
	}
	format = mb_bundle__str(body, "format");
	sender = mb_bundle__str(body, "from");
	to = mb_bundle__str(body, "for");
	if (format == NULL || strcmp(format, MB_BUNDLE_ACK_FORMAT) != 0 ||
	    !mb_bundle__center_ok(sender) || to == NULL ||
	    !mb_bundle__int(body, "through", &t) || t < 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: not an ack (format "
		    MB_BUNDLE_ACK_FORMAT ", from, for, through)", file);
		goto out;
	}
	if (strcmp(to, n->conf.id) != 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: an ack for %s, not "
		    "for this center (%s)", file, to, n->conf.id);
		goto out;
	}
	if ((rc = mb_store_center_get(st, sender, &c, d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND)
			rc = mb_diag_set(d, rc, "%s: from %s, a center this "
			    "one does not know", file, sender);
		goto out;
	}
	/* Its key no longer speaks for it (docs/operations.md, revoke). */
	if (strcmp(c.status, "revoked") == 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: from %s, a center "
		    "revoked here", file, sender);
		goto out;
	}
	if ((rc = mb_bundle__check(doc, len, "ack", c.key, d)) != MB_OK) {
		mb_diag_prefix(d, "%s: from %s?", file, sender);
		goto out;
	}
	snprintf(from, 33, "%s", sender);
	*through = t;
out:
	json_decref(body);
	free(doc);
	return rc;
}
