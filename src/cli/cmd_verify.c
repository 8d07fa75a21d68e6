/* SPDX-License-Identifier: MIT */
/* mediabridge verify: re-checks every stored signature and the store. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "center/center.h"
#include "cli/cli.h"
#include "item/envelope.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_verify = {
	"verify", "re-check every stored signature and the store's integrity",
	"usage: mediabridge verify DIR\n\n"
	"Parses and checks every stored envelope, verifies its signature with\n"
	"its origin center's key, checks that it is what the store says it\n"
	"is, and checks the database's integrity and the store's invariants.\n"
	"Names each bad record on standard error; exit status 1 if any.\n",
	run
};

struct verify_state {
	struct mb_store	*st;
	long		 checked, bad;
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
 * signed envelope says. Names the first that does not.
 */
static const char *
derived_mismatch(const struct mb_store_version *v,
    const struct mb_item_info *i)
{
	if (!same_str(v->center, i->center))
		return "center";
	if (!same_str(v->local, i->local))
		return "local";
	if (!same_str(v->workflow, i->workflow))
		return "workflow";
	if (!same_str(v->language, i->language))
		return "language";
	if (!same_str(v->type, i->type))
		return "type";
	if (!same_str(v->profile, i->profile))
		return "profile";
	if (!same_str(v->headline, i->headline))
		return "headline";
	if (v->embargo_ms != i->embargo_ms)
		return "embargo";
	if (v->created_ms != i->created_ms)
		return "versionCreated";
	if (v->first_ms != i->first_ms)
		return "firstCreated";
	return NULL;
}

static int
check_version(const struct mb_store_version *v, void *arg)
{
	struct verify_state		*vs = arg;
	struct mb_envelope		*e;
	const struct mb_item_info	*info;
	struct mb_diag			 d = { "" };
	const char			*col;
	int				 rc;

	vs->checked++;
	if ((rc = mb_envelope_parse(v->envelope, v->envelope_len, &e, &d)) !=
	    MB_OK) {
		bad_record(vs, v, mb_diag_msg(&d, rc));
		return MB_OK;
	}
	info = mb_envelope_info(e);
	if (strcmp(info->uri, v->uri) != 0 || info->version != v->version ||
	    strcmp(info->origin, v->origin) != 0 ||
	    strcmp(info->audience, v->audience) != 0 ||
	    strcmp(info->pub_status, v->pub_status) != 0) {
		bad_record(vs, v, "the envelope is not the version the store "
		    "lists");
		goto out;
	}
	if ((col = derived_mismatch(v, info)) != NULL) {
		char why[128];

		snprintf(why, sizeof(why), "the stored %s is not the signed "
		    "envelope's", col);
		bad_record(vs, v, why);
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
	if ((rc = mb_envelope_verify(e, vs->pk, &d)) != MB_OK)
		bad_record(vs, v, "signature does not verify");
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
	int			 rc;

	if (argc != 2 || argv[1][0] == '-')
		return mb_cli_usage(&mb_cmd_verify, "give exactly one DIR");
	memset(&vs, 0, sizeof(vs));
	if ((rc = mb_center_open(argv[1], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	vs.st = st;
	if ((rc = mb_store_log(st, 0, 0, check_version, &vs, &d)) != MB_OK)
		goto out;
	rc = mb_store_check(st, report_problem, &vs, &d);
	if (rc == MB_ERR_CORRUPT)
		rc = MB_OK; /* each problem was reported */
out:
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("verify", &d, rc);
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
