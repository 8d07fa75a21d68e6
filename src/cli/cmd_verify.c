/* SPDX-License-Identifier: MIT */
/* mediabridge verify: re-checks every stored signature and the store. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "center/center.h"
#include "cli/cli.h"
#include "item/envelope.h"
#include "sync/indexer.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_verify = {
	"verify", "re-check every stored signature and the store's integrity",
	"usage: mediabridge verify [--repair] DIR\n\n"
	"Parses and checks every stored envelope, verifies its signature with\n"
	"its origin center's key, checks that it is what the store says it\n"
	"is: the columns derived from it, its topic and translation rows and\n"
	"the full-text index; and checks the database's integrity and the\n"
	"store's invariants. Names each bad record on standard error; exit\n"
	"status 1 if any.\n\n"
	"  --repair  rebuild what is derived from the signed envelopes (never\n"
	"            the reverse), in one transaction, re-index every item, and\n"
	"            check again; names each repair on standard output. Exit\n"
	"            status 1 if anything is left that only the envelopes could\n"
	"            fix (a bad signature: delete the item and pull it again).\n",
	run
};

struct verify_state {
	struct mb_store	*st;
	long		 checked, bad;
	bool		 repair;
	/* The versions whose derived columns to rewrite (--repair). */
	int64_t		*fix;
	size_t		 nfix, capfix;
	/* A one-entry cache: logs come in runs from one origin. */
	char		 origin[33];
	uint8_t		 pk[MB_PUBKEY_LEN];
	int		 have_pk;
};

static void
bad_record(struct verify_state *vs, const struct mb_store_version *v,
    const char *why)
{
	vs->bad++;
	fprintf(stderr, "mediabridge: verify: seq %lld %s version %lld: %s\n",
	    (long long)v->seq, v->uri, (long long)v->version, why);
}

/* NULL and "" are the same absence to the store. */
static bool
same_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/*
 * The columns the store derived from the envelope when it stored it
 * (what lists, filters and pages read): each must still say what the
 * signed envelope says. Writes the names of those that do not into
 * names, comma-separated ("" when all agree).
 */
static void
derived_mismatch(const struct mb_store_version *v,
    const struct mb_item_info *i, char *names, size_t size)
{
	const struct {
		const char	*name;
		bool		 same;
	} col[] = {
		{ "origin", same_str(v->origin, i->origin) },
		{ "audience", same_str(v->audience, i->audience) },
		{ "pubStatus", same_str(v->pub_status, i->pub_status) },
		{ "center", same_str(v->center, i->center) },
		{ "local", same_str(v->local, i->local) },
		{ "workflow", same_str(v->workflow, i->workflow) },
		{ "language", same_str(v->language, i->language) },
		{ "type", same_str(v->type, i->type) },
		{ "profile", same_str(v->profile, i->profile) },
		{ "headline", same_str(v->headline, i->headline) },
		{ "embargo", v->embargo_ms == i->embargo_ms },
		{ "versionCreated", v->created_ms == i->created_ms },
		{ "firstCreated", v->first_ms == i->first_ms },
	};
	size_t n = 0;

	names[0] = '\0';
	for (size_t k = 0; k < sizeof(col) / sizeof(col[0]); k++)
		if (!col[k].same && n < size)
			n += (size_t)snprintf(names + n, size - n, "%s%s",
			    n > 0 ? ", " : "", col[k].name);
}

static int
want_fix(struct verify_state *vs, int64_t seq)
{
	if (vs->nfix == vs->capfix) {
		size_t	 cap = vs->capfix ? vs->capfix * 2 : 64;
		int64_t	*p = realloc(vs->fix, cap * sizeof(*p));

		if (p == NULL)
			return MB_ERR_NOMEM;
		vs->fix = p;
		vs->capfix = cap;
	}
	vs->fix[vs->nfix++] = seq;
	return MB_OK;
}

/* Rewrites v's derived columns with what its envelope says. */
static int
fix_version(const struct mb_store_version *v, void *arg)
{
	struct verify_state		*vs = arg;
	const struct mb_item_info	*i;
	struct mb_store_version		 w;
	struct mb_envelope		*e;
	struct mb_diag			 d = { "" };
	int				 rc;

	if ((rc = mb_envelope_parse(v->envelope, v->envelope_len, &e, &d)) !=
	    MB_OK)
		return rc;
	i = mb_envelope_info(e);
	w = *v;
	w.center = i->center;
	w.local = i->local;
	w.origin = i->origin;
	w.audience = i->audience;
	w.pub_status = i->pub_status;
	w.workflow = i->workflow;
	w.language = i->language;
	w.type = i->type;
	w.profile = i->profile;
	w.headline = i->headline;
	w.embargo_ms = i->embargo_ms;
	w.created_ms = i->created_ms;
	w.first_ms = i->first_ms;
	rc = mb_store_repair_version(vs->st, &w, &d);
	mb_envelope_free(e);
	if (rc != MB_OK)
		fprintf(stderr, "mediabridge: verify: seq %lld: %s\n",
		    (long long)v->seq, mb_diag_msg(&d, rc));
	return rc;
}

static void
report_fixed(const char *fixed, void *arg)
{
	(void)arg;
	printf("%s\n", fixed);
}

/*
 * --repair after the walk (the log is not rewritten under its own
 * cursor): each version's columns, then in one transaction what the
 * store derives from the versions, then the index from the envelopes.
 */
static int
repair(struct verify_state *vs, int *fixed, struct mb_diag *d)
{
	int rc;

	for (size_t k = 0; k < vs->nfix; k++)
		if ((rc = mb_store_log(vs->st, vs->fix[k] - 1, 1, fix_version,
		    vs, d)) != MB_OK)
			return rc;
	if ((rc = mb_store_repair(vs->st, report_fixed, NULL, fixed, d)) !=
	    MB_OK)
		return rc;
	*fixed += (int)vs->nfix;
	return mb_sync_index_all(vs->st, d);
}

static int
check_version(const struct mb_store_version *v, void *arg)
{
	struct verify_state		*vs = arg;
	struct mb_envelope		*e;
	const struct mb_item_info	*info;
	struct mb_diag			 d = { "" };
	char				 cols[160];
	int				 rc;

	vs->checked++;
	if ((rc = mb_envelope_parse(v->envelope, v->envelope_len, &e, &d)) !=
	    MB_OK) {
		bad_record(vs, v, mb_diag_msg(&d, rc));
		return MB_OK;
	}
	info = mb_envelope_info(e);
	if (strcmp(info->uri, v->uri) != 0 || info->version != v->version) {
		bad_record(vs, v, "the envelope is not the version the store "
		    "lists");
		goto out;
	}
	if (!vs->have_pk || strcmp(vs->origin, info->origin) != 0) {
		vs->have_pk = 0;
		if ((rc = mb_center_key_of(vs->st, info->origin, vs->pk, &d)) !=
		    MB_OK) {
			bad_record(vs, v, mb_diag_msg(&d, rc));
			goto out;
		}
		snprintf(vs->origin, sizeof(vs->origin), "%s", info->origin);
		vs->have_pk = 1;
	}
	/* Signed before a key replacement (center add): its key then. */
	if (mb_center_verify(vs->st, info->origin, vs->pk, e, v->received_ms,
	    &d) != MB_OK) {
		bad_record(vs, v, "signature does not verify");
		goto out;
	}
	/* Only what verifies is the truth columns are rebuilt from. */
	derived_mismatch(v, info, cols, sizeof(cols));
	if (cols[0] != '\0') {
		char why[256];

		snprintf(why, sizeof(why), "the stored %s %s not the signed "
		    "envelope's", cols, strchr(cols, ',') ? "are" : "is");
		if (vs->repair) {
			if ((rc = want_fix(vs, v->seq)) != MB_OK) {
				mb_envelope_free(e);
				return rc;
			}
			printf("repaired: seq %lld %s version %lld: %s\n",
			    (long long)v->seq, v->uri, (long long)v->version,
			    why);
		} else
			bad_record(vs, v, why);
	}
out:
	mb_envelope_free(e);
	return MB_OK;
}

static void
report_problem(const char *problem, void *arg)
{
	struct verify_state *vs = arg;

	vs->bad++;
	fprintf(stderr, "mediabridge: verify: %s\n", problem);
}

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct verify_state	 vs;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL;
	int			 fixed = 0, rc;

	memset(&vs, 0, sizeof(vs));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--repair") == 0)
			vs.repair = true;
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_verify, "unknown option %s",
			    argv[i]);
		else if (dir == NULL)
			dir = argv[i];
		else
			return mb_cli_usage(&mb_cmd_verify, "give exactly one "
			    "DIR");
	}
	if (dir == NULL)
		return mb_cli_usage(&mb_cmd_verify, "give exactly one DIR");
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	vs.st = st;
	if ((rc = mb_store_log(st, 0, 0, check_version, &vs, &d)) != MB_OK)
		goto out;
	if (vs.repair && (rc = repair(&vs, &fixed, &d)) != MB_OK) {
		mb_diag_prefix(&d, "repair");
		goto out;
	}
	/* After a repair, the check says whether anything is left. */
	rc = mb_store_check(st, report_problem, &vs, &d);
	if (rc == MB_ERR_CORRUPT)
		rc = MB_OK; /* each problem was reported */
out:
	free(vs.fix);
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("verify", &d, rc);
	if (vs.repair)
		printf("verify: %d problem%s repaired\n", fixed,
		    fixed == 1 ? "" : "s");
	if (vs.bad) {
		fprintf(stderr, "mediabridge: verify: %ld version%s checked, %ld "
		    "problem%s\n", vs.checked, vs.checked == 1 ? "" : "s",
		    vs.bad, vs.bad == 1 ? "" : "s");
		return MB_EXIT_FAIL;
	}
	printf("verify: %ld version%s checked, all signatures good, store "
	    "intact\n", vs.checked, vs.checked == 1 ? "" : "s");
	return MB_EXIT_OK;
}
