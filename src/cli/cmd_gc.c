/* SPDX-License-Identifier: MIT */
/* mediabridge gc: removes the media blobs that no item refers to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "media/media.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_gc = {
	"gc", "remove media blobs that no item refers to",
	"usage: mediabridge gc DIR [--grace SECONDS] [--dry-run]\n\n"
	"Brings the media references up to date (which blobs the current\n"
	"version of each item lists in its renditions; a canceled item\n"
	"lists none), then removes every blob under DIR/blobs that nothing\n"
	"refers to and that is older than the grace period (default 86400\n"
	"seconds: an upload not yet put in an item is kept that long), and\n"
	"leftover temporary files as old (a killed fetch's or bundle\n"
	"import's: DIR/blobs/.bundle-*). --dry-run only counts. Safe while\n"
	"serve runs: an upload of a collected blob writes it again.\n",
	run
};

static int
run(int argc, char **argv)
{
	struct mb_center_node		*n;
	struct mb_store			*st;
	struct mb_media_gc_result	 r;
	struct mb_diag			 d = { "" };
	const char			*dir = NULL;
	int64_t				 grace_s = 86400;
	bool				 dry = false;
	char				*e;
	int				 rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry = true;
		else if (strcmp(argv[i], "--grace") == 0 && i + 1 < argc) {
			grace_s = strtoll(argv[++i], &e, 10);
			if (*e != '\0' || grace_s < 0)
				return mb_cli_usage(&mb_cmd_gc, "--grace takes "
				    "seconds, 0 or more");
		} else if (argv[i][0] != '-' && dir == NULL)
			dir = argv[i];
		else
			return mb_cli_usage(&mb_cmd_gc, "unexpected %s",
			    argv[i]);
	}
	if (dir == NULL)
		return mb_cli_usage(&mb_cmd_gc, "give DIR");
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK)
		return mb_cli_fail("gc", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) != MB_OK) {
		mb_center_close(n);
		return mb_cli_fail("gc", &d, rc);
	}
	rc = mb_media_gc(n->conf.dir, st, mb_time_now_ms(), grace_s * 1000,
	    dry, &r, &d);
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("gc", &d, rc);
	printf("gc: %s %lld blobs (%lld bytes), kept %lld\n",
	    dry ? "would remove" : "removed", (long long)r.removed,
	    (long long)r.bytes, (long long)r.kept);
	return MB_EXIT_OK;
}
