/* SPDX-License-Identifier: MIT */
/*
 * mediabridge user add|list|role|passwd|disable|enable: newsroom
 * accounts and their revocation.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "newsroom/accounts.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_user = {
	"user", "newsroom accounts: add, list, role, passwd, disable, enable",
	"usage: mediabridge user add DIR NAME --role ROLE [--password-stdin |\n"
	"           --password-file FILE]\n"
	"       mediabridge user list DIR\n"
	"       mediabridge user role DIR NAME ROLE\n"
	"       mediabridge user passwd DIR NAME [--password-file FILE]\n"
	"       mediabridge user disable DIR NAME\n"
	"       mediabridge user enable DIR NAME\n"
	"\n"
	"ROLE is admin, editor, journalist, translator, member or learner\n"
	"(courses; learners also sign up with an invitation code). With\n"
	"--password-stdin the first line of standard input is the password\n"
	"for web sign-in (hashed with Argon2id); without it the user signs\n"
	"in with API tokens only (mediabridge token add). --password-file\n"
	"reads the first line of FILE instead; passwd reads stdin without it.\n"
	"passwd and disable end every session and token of the user at once,\n"
	"so a leaked password or token stops working immediately; enable\n"
	"gives back the account, not the old tokens.\n",
	run
};

static int
print_user(const struct mb_user *u, void *arg)
{
	char made[MB_TIME_RFC3339_LEN];

	(void)arg;
	mb_time_format(u->created_ms, made);
	printf("%s\t%s\t%s\t%s\n", u->name, u->role, u->disabled ? "disabled" :
	    "active", made);
	return MB_OK;
}

/* The first line of file (stdin when NULL), without its end of line. */
static int
read_password(const char *file, char *pw, size_t n, struct mb_diag *d)
{
	FILE	*f = stdin;
	size_t	 len;
	bool	 got;

	if (file != NULL && (f = fopen(file, "r")) == NULL)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", file,
		    strerror(errno));
	got = fgets(pw, (int)n, f) != NULL;
	if (f != stdin)
		fclose(f);
	if (!got)
		return mb_diag_set(d, MB_ERR_INVAL, "no password in %s",
		    file != NULL ? file : "stdin");
	len = strlen(pw);
	while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
		pw[--len] = '\0';
	return MB_OK;
}

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	const char		*pos[4] = { NULL }, *role = NULL, *sub;
	const char		*pw_file = NULL;
	char			 pw[1100];
	int			 npos = 0, want_pw = 0, rc = MB_OK;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strncmp(argv[i], "--role=", 7) == 0)
			role = argv[i] + 7;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			want_pw = 1;
		else if (strcmp(argv[i], "--password-file") == 0 &&
		    i + 1 < argc) {
			pw_file = argv[++i];
			want_pw = 1;
		} else if (strncmp(argv[i], "--password-file=", 16) == 0) {
			pw_file = argv[i] + 16;
			want_pw = 1;
		}
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_user, "unknown option %s",
			    argv[i]);
		else if (npos < 4)
			pos[npos++] = argv[i];
		else
			return mb_cli_usage(&mb_cmd_user, "too many arguments");
	}
	sub = pos[0] != NULL ? pos[0] : "";
	if (strcmp(sub, "add") == 0) {
		if (npos != 3)
			return mb_cli_usage(&mb_cmd_user, "give add DIR NAME");
		if (role == NULL)
			return mb_cli_usage(&mb_cmd_user, "give --role");
	} else if (strcmp(sub, "list") == 0) {
		if (npos != 2)
			return mb_cli_usage(&mb_cmd_user, "give list DIR");
	} else if (strcmp(sub, "role") == 0) {
		if (npos != 4)
			return mb_cli_usage(&mb_cmd_user, "give role DIR NAME "
			    "ROLE");
	} else if (strcmp(sub, "passwd") == 0 || strcmp(sub, "disable") == 0 ||
	    strcmp(sub, "enable") == 0) {
		if (npos != 3)
			return mb_cli_usage(&mb_cmd_user, "give %s DIR NAME",
			    sub);
	} else {
		return mb_cli_usage(&mb_cmd_user, "give add, list, role, "
		    "passwd, disable or enable");
	}
	if (pw_file != NULL && strcmp(sub, "add") != 0 &&
	    strcmp(sub, "passwd") != 0)
		return mb_cli_usage(&mb_cmd_user, "--password-file is for add "
		    "and passwd");
	pw[0] = '\0';
	if ((want_pw && strcmp(sub, "add") == 0) || strcmp(sub, "passwd") == 0)
		if ((rc = read_password(pw_file, pw, sizeof(pw), &d)) != MB_OK)
			goto out;
	if ((rc = mb_center_open(pos[1], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	if (strcmp(sub, "add") == 0)
		rc = mb_accounts_user_add(st, pos[2], role, want_pw ? pw :
		    NULL, &d);
	else if (strcmp(sub, "list") == 0)
		rc = mb_store_user_list(st, print_user, NULL, &d);
	else if (strcmp(sub, "role") == 0)
		rc = mb_accounts_set_role(st, pos[2], pos[3], &d);
	else if (strcmp(sub, "passwd") == 0)
		rc = mb_accounts_set_password(st, pos[2], pw, &d);
	else
		rc = mb_accounts_user_disable(st, pos[2],
		    strcmp(sub, "disable") == 0, &d);
out:
	sodium_memzero(pw, sizeof(pw));
	mb_store_close(st);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("user", &d, rc);
}
