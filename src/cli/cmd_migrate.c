/* SPDX-License-Identifier: MIT */
/* mediabridge migrate: moves a center's store from SQLite to PostgreSQL and checks the copy. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "center/center.h"
#include "cli/cli.h"
#include "item/envelope.h"
#include "sync/indexer.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_migrate = {
	"migrate", "copy a center's store to PostgreSQL and switch to it",
	"usage: mediabridge migrate DIR --to postgresql://USER@HOST/DB\n\n"
	"Copies everything in DIR's store (items and the log with their seq\n"
	"numbers, centers, peers and cursors, users, tokens and sessions,\n"
	"media records) into the PostgreSQL database, which must be empty,\n"
	"in one transaction; rebuilds the search index there; verifies every\n"
	"signature in the copy and that it holds what the original holds;\n"
	"then sets `database` in DIR/mediabridge.conf to the URL. Stop the\n"
	"center's processes first. The SQLite file is left as it was.\n",
	run
};

struct check {
	struct mb_store	*st;
	long		 checked, bad;
	char		 origin[33];
	uint8_t		 pk[MB_PUBKEY_LEN];
	int		 have_pk;
};

static int
check_version(const struct mb_store_version *v, void *arg)
{
	struct check			*c = arg;
	struct mb_envelope		*e;
	const struct mb_item_info	*info;
	struct mb_diag			 d = { "" };
	int				 rc;

	c->checked++;
	if ((rc = mb_envelope_parse(v->envelope, v->envelope_len, &e, &d)) !=
	    MB_OK) {
		fprintf(stderr, "mediabridge: migrate: seq %lld: %s\n",
		    (long long)v->seq, mb_diag_msg(&d, rc));
		c->bad++;
		return MB_OK;
	}
	info = mb_envelope_info(e);
	if (!c->have_pk || strcmp(c->origin, info->origin) != 0) {
		c->have_pk = 0;
		if ((rc = mb_center_key_of(c->st, info->origin, c->pk, &d)) ==
		    MB_OK) {
			snprintf(c->origin, sizeof(c->origin), "%s",
			    info->origin);
			c->have_pk = 1;
		}
	}
	if (!c->have_pk || strcmp(info->uri, v->uri) != 0 ||
	    info->version != v->version ||
	    mb_center_verify(c->st, info->origin, c->pk, e, v->received_ms,
	    &d) != MB_OK) {
		fprintf(stderr, "mediabridge: migrate: seq %lld %s version "
		    "%lld: signature does not verify in the copy\n",
		    (long long)v->seq, v->uri, (long long)v->version);
		c->bad++;
	}
	mb_envelope_free(e);
	return MB_OK;
}

static void
progress(const char *table, int64_t rows, void *arg)
{
	(void)arg;
	if (rows > 0)
		fprintf(stderr, "migrate: %s rows=%lld\n", table,
		    (long long)rows);
}

/*
 * What a failed migrate leaves in the target: nothing when the copy did
 * not commit (one transaction); else the copy, kept for a look, which
 * a second migrate refuses ("not empty"). The message says how to empty
 * it: drop the database and create it again as the docs say.
 */
static int
explain_target(struct mb_diag *d, int rc, bool copied)
{
	char msg[sizeof(d->msg)];

	snprintf(msg, sizeof(msg), "%s", mb_diag_msg(d, rc));
	if (copied)
		return mb_diag_set(d, rc, "%s; the configuration still names "
		    "the old store, and the PostgreSQL database holds the "
		    "failed copy: drop it and create it again empty (dropdb "
		    "NAME; createdb -E UTF8 -T template0 NAME) before "
		    "migrating again", msg);
	if (rc == MB_ERR_EXISTS)
		return mb_diag_set(d, rc, "%s (a migrate that failed after "
		    "copying leaves its copy there: drop the database and "
		    "create it again empty: dropdb NAME; createdb -E UTF8 -T "
		    "template0 NAME)", msg);
	return rc;
}

static void
report_problem(const char *problem, void *arg)
{
	struct check *c = arg;

	c->bad++;
	fprintf(stderr, "mediabridge: migrate: %s\n", problem);
}

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*from = NULL, *to = NULL;
	struct mb_store_stats	 a, b;
	struct mb_conf		 conf;
	struct check		 c;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL, *url = NULL;
	bool			 copied = false;
	int			 rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			url = argv[++i];
		else if (strncmp(argv[i], "--to=", 5) == 0)
			url = argv[i] + 5;
		else if (argv[i][0] != '-' && dir == NULL)
			dir = argv[i];
		else
			return mb_cli_usage(&mb_cmd_migrate, "unexpected %s",
			    argv[i]);
	}
	if (dir == NULL || url == NULL)
		return mb_cli_usage(&mb_cmd_migrate, "give DIR and --to URL");
	if (strncmp(url, "postgresql://", 13) != 0 &&
	    strncmp(url, "postgres://", 11) != 0)
		return mb_cli_usage(&mb_cmd_migrate,
		    "--to takes a postgresql:// URL");
	memset(&c, 0, sizeof(c));
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &from, &d)) != MB_OK)
		goto out;
	conf = n->conf;
	snprintf(conf.database, sizeof(conf.database), "%s", url);
	if (strlen(url) >= sizeof(conf.database)) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "--to: URL too long");
		goto out;
	}
	snprintf(n->conf.database, sizeof(n->conf.database), "%s", url);
	if ((rc = mb_center_store(n, &to, &d)) != MB_OK)
		goto out;
	if ((rc = mb_store_copy(from, to, progress, NULL, &d)) != MB_OK) {
		rc = explain_target(&d, rc, false);
		goto out;
	}
	copied = true;
	if ((rc = mb_sync_index_all(to, &d)) != MB_OK)
		goto out;
	/* The copy holds what the original holds, every signature good. */
	if ((rc = mb_store_stats(from, &a, &d)) != MB_OK ||
	    (rc = mb_store_stats(to, &b, &d)) != MB_OK)
		goto out;
	if (a.items != b.items || a.versions != b.versions ||
	    a.last_seq != b.last_seq) {
		rc = mb_diag_set(&d, MB_ERR_CORRUPT, "the copy differs: "
		    "items %lld/%lld versions %lld/%lld last seq %lld/%lld",
		    (long long)a.items, (long long)b.items,
		    (long long)a.versions, (long long)b.versions,
		    (long long)a.last_seq, (long long)b.last_seq);
		goto out;
	}
	c.st = to;
	if ((rc = mb_store_log(to, 0, 0, check_version, &c, &d)) != MB_OK)
		goto out;
	rc = mb_store_check(to, report_problem, &c, &d);
	if (rc == MB_ERR_CORRUPT)
		rc = MB_OK;
	if (rc == MB_OK && c.bad > 0)
		rc = mb_diag_set(&d, MB_ERR_CORRUPT, "%ld problem%s in the "
		    "copy", c.bad, c.bad == 1 ? "" : "s");
	if (rc != MB_OK)
		goto out;
	rc = mb_conf_set(&conf, "store", "database", url, &d);
out:
	mb_store_close(to);
	mb_store_close(from);
	mb_center_close(n);
	if (rc != MB_OK && copied)
		rc = explain_target(&d, rc, true);
	if (rc != MB_OK)
		return mb_cli_fail("migrate", &d, rc);
	printf("migrate: %ld version%s copied and verified, %lld item%s; "
	    "database = postgresql\n", c.checked, c.checked == 1 ? "" : "s",
	    (long long)b.items, b.items == 1 ? "" : "s");
	return MB_EXIT_OK;
}
