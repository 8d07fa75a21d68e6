/* SPDX-License-Identifier: MIT */
/* mediabridge user add: a newsroom account with a role. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "center/center.h"
#include "cli/cli.h"
#include "newsroom/accounts.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_user = {
	"user", "add a user: admin, editor, journalist, translator, member",
	"usage: mediabridge user add DIR NAME --role ROLE [--password-stdin]\n"
	"\n"
	"Adds the user NAME with ROLE (admin, editor, journalist, translator,\n"
	"member). With --password-stdin the first line of standard input is\n"
	"the password for web sign-in (hashed with Argon2id); without it the\n"
	"user signs in with API tokens only (mediabridge token add).\n",
	run
};

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	const char		*pos[3] = { NULL, NULL, NULL }, *role = NULL;
	char			 pw[1100];
	int			 npos = 0, want_pw = 0, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strncmp(argv[i], "--role=", 7) == 0)
			role = argv[i] + 7;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			want_pw = 1;
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_user, "unknown option %s",
			    argv[i]);
		else if (npos < 3)
			pos[npos++] = argv[i];
		else
			return mb_cli_usage(&mb_cmd_user, "too many arguments");
	}
	if (npos != 3 || strcmp(pos[0], "add") != 0)
		return mb_cli_usage(&mb_cmd_user, "give add DIR NAME");
	if (role == NULL)
		return mb_cli_usage(&mb_cmd_user, "give --role");
	pw[0] = '\0';
	if (want_pw) {
		size_t len;

		if (fgets(pw, sizeof(pw), stdin) == NULL) {
			mb_diag_set(&d, MB_ERR_INVAL, "no password on stdin");
			return mb_cli_fail("user", &d, MB_ERR_INVAL);
		}
		len = strlen(pw);
		while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
			pw[--len] = '\0';
	}
	if ((rc = mb_center_open(pos[1], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto fail;
	if ((rc = mb_accounts_user_add(st, pos[2], role, want_pw ? pw : NULL,
	    &d)) != MB_OK)
		goto fail;
	sodium_memzero(pw, sizeof(pw));
	mb_store_close(st);
	mb_center_close(n);
	return MB_EXIT_OK;
fail:
	sodium_memzero(pw, sizeof(pw));
	mb_store_close(st);
	mb_center_close(n);
	return mb_cli_fail("user", &d, rc);
}
