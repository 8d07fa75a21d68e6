/* SPDX-License-Identifier: MIT */
/* mediabridge token add: a new API bearer token for a user, shown once. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "center/center.h"
#include "cli/cli.h"
#include "newsroom/accounts.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_token = {
	"token", "make a new API token for a user (printed once)",
	"usage: mediabridge token add DIR NAME\n\n"
	"Prints a new bearer token for the user NAME. Only its hash is kept:\n"
	"save it now. Send it as `Authorization: Bearer TOKEN`.\n",
	run
};

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	char			 tok[MB_SECRET_TEXT_LEN];
	int			 rc;

	if (argc != 4 || strcmp(argv[1], "add") != 0 || argv[2][0] == '-' ||
	    argv[3][0] == '-')
		return mb_cli_usage(&mb_cmd_token, "give add DIR NAME");
	if ((rc = mb_center_open(argv[2], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK ||
	    (rc = mb_accounts_token_new(st, argv[3], tok, &d)) != MB_OK) {
		mb_store_close(st);
		mb_center_close(n);
		return mb_cli_fail("token", &d, rc);
	}
	printf("%s\n", tok);
	sodium_memzero(tok, sizeof(tok));
	mb_store_close(st);
	mb_center_close(n);
	return MB_EXIT_OK;
}
