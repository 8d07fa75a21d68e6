/* SPDX-License-Identifier: MIT */
/* mediabridge sync: pull from every peer now, then exit. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	"line per peer. Exit status 1 when a peer failed (the others are\n"
	"still pulled). A running serve does the same continuously.\n"
	"--sign-get: prints the Signature-Input and Signature headers of a\n"
	"signed GET of URL by this center (for checking a peer by hand).\n",
	run
};

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
	rc = mb_sync_once(n, NULL, &res, &nres, &d);
	/* One line a peer: its id, what came, and how it ended. */
	for (size_t i = 0; i < nres; i++)
		printf("%s\t%lld new\t%lld refused\t%s\n", res[i].center,
		    (long long)res[i].got, (long long)res[i].refused,
		    res[i].rc == MB_OK ? "ok" : res[i].error);
	free(res);
	if (mb_center_store(n, &st, NULL) == MB_OK) {
		mb_sync_index_all(st, NULL);
		mb_store_close(st);
	}
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("sync", &d, rc);
}
