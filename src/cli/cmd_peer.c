/* SPDX-License-Identifier: MIT */
/* mediabridge peer: follow another center directly; show every peer's state. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "item/id.h"
#include "sync/puller.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_peer = {
	"peer", "follow one more center directly; list peers and their state",
	"usage: mediabridge peer add DIR URL [--id ID]\n"
	"       mediabridge peer list DIR\n\n"
	"add: pull from the center at URL too (its id is asked from\n"
	"URL/federation/v1/center unless --id gives it). It must be an active\n"
	"member of the registry. Extra links are safe: versions are kept once.\n"
	"list: one peer a line: center, URL, cursor, items received, refused,\n"
	"last success, last error.\n",
	run
};

static int
add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	const char		*given = NULL;
	char			 id[33];
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'i')
			return mb_cli_usage(&mb_cmd_peer, "bad option");
		given = optarg;
	}
	if (optind != argc - 2)
		return mb_cli_usage(&mb_cmd_peer, "give DIR and URL");
	if (strncmp(argv[optind + 1], "http://", 7) != 0 &&
	    strncmp(argv[optind + 1], "https://", 8) != 0)
		return mb_cli_usage(&mb_cmd_peer, "URL: an http(s) URL");
	if (given != NULL) {
		if (!mb_center_id_valid(given))
			return mb_cli_usage(&mb_cmd_peer, "--id: not an id");
		snprintf(id, sizeof(id), "%s", given);
	} else if ((rc = mb_sync_fetch_center_id(argv[optind + 1], id, &d)) !=
	    MB_OK) {
		return mb_cli_fail("peer add", &d, rc);
	}
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("peer add", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) == MB_OK) {
		if (strcmp(id, n->conf.id) == 0)
			rc = mb_diag_set(&d, MB_ERR_INVAL,
			    "%s is this center", id);
		else
			rc = mb_store_peer_put(st, id, argv[optind + 1], 1, &d);
		mb_store_close(st);
	}
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("peer add", &d, rc);
	printf("peer %s at %s added\n", id, argv[optind + 1]);
	return MB_EXIT_OK;
}

static int
print_peer(const struct mb_peer *p, void *arg)
{
	char ok[MB_TIME_RFC3339_LEN] = "-", err[MB_TIME_RFC3339_LEN] = "-";

	(*(int *)arg)++;
	if (p->last_ok_ms > 0)
		mb_time_format(p->last_ok_ms, ok);
	if (p->last_err_ms > 0)
		mb_time_format(p->last_err_ms, err);
	printf("%s\t%s\tcursor=%lld\treceived=%lld\trefused=%lld\t"
	    "last_ok=%s\tlast_error=%s%s%s%s\n", p->center, p->url,
	    (long long)p->cursor, (long long)p->received,
	    (long long)p->refused, ok, err, p->last_error[0] ? " (" : "",
	    p->last_error, p->last_error[0] ? ")" : "");
	return MB_OK;
}

static int
list(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int			 rc, rows = 0;

	if (argc != 2)
		return mb_cli_usage(&mb_cmd_peer, "give DIR");
	if ((rc = mb_center_open(argv[1], &n, &d)) != MB_OK)
		return mb_cli_fail("peer list", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) == MB_OK) {
		rc = mb_store_peer_list(st, print_peer, &rows, &d);
		mb_store_close(st);
	}
	/* A new branch: say why the list is empty rather than nothing. */
	if (rc == MB_OK && rows == 0 && n->conf.hq_url[0] != '\0')
		fprintf(stderr, "peer list: no peers yet; HQ (%s) is pulled "
		    "from once `serve` or `sync` has fetched its registry\n",
		    n->conf.hq_url);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("peer list", &d, rc);
}

static int
run(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return add(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return list(argc - 1, argv + 1);
	return mb_cli_usage(&mb_cmd_peer, "add or list?");
}
