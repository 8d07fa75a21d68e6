/* SPDX-License-Identifier: MIT */
/*
 * mediabridge token add|list|revoke: API bearer tokens, shown once,
 * listed and revoked by id.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "newsroom/accounts.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_token = {
	"token", "API tokens: add (printed once), list, revoke",
	"usage: mediabridge token add DIR NAME\n"
	"       mediabridge token list DIR [NAME]\n"
	"       mediabridge token revoke DIR ID\n"
	"\n"
	"add prints a new bearer token for the user NAME, then its id on\n"
	"stderr. Only its hash is kept: save it now. Send it as\n"
	"`Authorization: Bearer TOKEN`.\n"
	"list prints one token a line: its id, its user, when it was made\n"
	"and when it expires (never the token itself).\n"
	"revoke ends the token with that id at once.\n",
	run
};

static int
print_token(const struct mb_token_info *t, void *arg)
{
	char made[MB_TIME_RFC3339_LEN], until[MB_TIME_RFC3339_LEN];

	(void)arg;
	mb_time_format(t->created_ms, made);
	if (t->expires_ms > 0)
		mb_time_format(t->expires_ms, until);
	else
		snprintf(until, sizeof(until), "never");
	printf("%s\t%s\t%s\t%s\n", t->id, t->user, made, until);
	return MB_OK;
}

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	char			 tok[MB_SECRET_TEXT_LEN], id[MB_TOKEN_ID_LEN];
	const char		*sub = argc > 1 ? argv[1] : "";
	int			 rc;

	for (int i = 2; i < argc; i++)
		if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_token, "unknown option %s",
			    argv[i]);
	if (!((strcmp(sub, "add") == 0 && argc == 4) ||
	    (strcmp(sub, "list") == 0 && (argc == 3 || argc == 4)) ||
	    (strcmp(sub, "revoke") == 0 && argc == 4)))
		return mb_cli_usage(&mb_cmd_token, "give add DIR NAME, list DIR "
		    "[NAME] or revoke DIR ID");
	if ((rc = mb_center_open(argv[2], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	if (strcmp(sub, "add") == 0) {
		if ((rc = mb_accounts_token_new(st, argv[3], tok, &d)) ==
		    MB_OK) {
			printf("%s\n", tok);
			mb_accounts_token_id(tok, id);
			fprintf(stderr, "token id %s (for token list and "
			    "token revoke)\n", id);
			sodium_memzero(tok, sizeof(tok));
		}
	} else if (strcmp(sub, "list") == 0) {
		rc = mb_accounts_token_list(st, argc == 4 ? argv[3] : NULL,
		    print_token, NULL, &d);
	} else {
		rc = mb_accounts_token_revoke(st, argv[3], &d);
	}
out:
	mb_store_close(st);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("token", &d, rc);
}
