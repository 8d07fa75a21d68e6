/* SPDX-License-Identifier: MIT */
/* mediabridge sync: pull from every peer now, then exit. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "sync/indexer.h"
#include "sync/puller.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_sync = {
	"sync", "pull from every peer now, then exit",
	"usage: mediabridge sync DIR --once\n"
	"       mediabridge sync DIR --sign-get URL\n\n"
	"--once: fetches the registry (a branch), then pulls from each peer\n"
	"until it is caught up, applying and indexing what arrives; prints one\n"
	"line per peer, then when every item was searchable (\"searchable:\").\n"
	"Exit status 1 when a peer failed (the others are\n"
	"still pulled). A running serve does the same continuously.\n"
	"--sign-get: prints the Signature-Input and Signature headers of a\n"
	"signed GET of URL by this center (for checking a peer by hand).\n",
	run
};

/*
 * When what came became searchable (issue 23): the pull indexes each
 * version in its batch's transaction; what it could not (and what was
 * queued before) the index takes after the pull. One line, no tab (the
 * peers' lines are the ones with tabs).
 */
static void
searchable(const struct mb_store_stats *before,
    const struct mb_store_stats *after, int64_t got, int64_t start_ms,
    int64_t pulled_ms)
{
	int64_t now = mb_time_mono_ms();

	if (after->unindexed > 0) {
		printf("searchable: %lld items still waiting for the index\n",
		    (long long)after->unindexed);
		return;
	}
	printf("searchable: every item, %.1f s from the start (%lld indexed "
	    "as they were stored, %lld in %.1f s after the pull)\n",
	    (double)(now - start_ms) / 1000.0, (long long)got,
	    (long long)(before->unindexed - after->unindexed),
	    (double)(now - pulled_ms) / 1000.0);
}

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "sign-get", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	struct mb_buf		 b = MB_BUF_INIT;
	const char		*sign = NULL;
	struct mb_sync_result	*res = NULL;
	size_t			 nres = 0;
	int64_t			 start_ms, pulled_ms, got = 0;
	int			 ch, rc, once = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': once = 1; break;
		case 's': sign = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_sync, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_sync, "give exactly one DIR");
	if (!once && sign == NULL)
		return mb_cli_usage(&mb_cmd_sync, "--once or --sign-get");
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("sync", &d, rc);
	if (sign != NULL) {
		if ((rc = mb_sync_sign_get(n, sign, &b, &d)) == MB_OK)
			fputs(mb_buf_cstr(&b), stdout);
		mb_buf_free(&b);
		mb_center_close(n);
		return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("sync", &d, rc);
	}
	start_ms = mb_time_mono_ms();
	rc = mb_sync_once(n, NULL, &res, &nres, &d);
	pulled_ms = mb_time_mono_ms();
	/* One line a peer: its id, what came, and how it ended. */
	for (size_t i = 0; i < nres; i++)
		printf("%s\t%lld new\t%lld refused\t%s\n", res[i].center,
		    (long long)res[i].got, (long long)res[i].refused,
		    res[i].rc == MB_OK ? "ok" : res[i].error);
	for (size_t i = 0; i < nres; i++)
		got += res[i].got;
	free(res);
	fflush(stdout);
	if (mb_center_store(n, &st, NULL) == MB_OK) {
		struct mb_store_stats	s0, s1;
		bool			have = mb_store_stats(st, &s0, NULL) ==
		    MB_OK;

		mb_sync_index_all(st, NULL);
		if (have && mb_store_stats(st, &s1, NULL) == MB_OK)
			searchable(&s0, &s1, got - s0.unindexed > 0 ?
			    got - s0.unindexed : 0, start_ms, pulled_ms);
		mb_store_close(st);
	}
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("sync", &d, rc);
}
