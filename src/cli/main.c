/* SPDX-License-Identifier: MIT */
/* mediabridge: the entry point, dispatching to one command. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "media/sandbox.h"

static const struct mb_cli_cmd *const commands[] = {
	&mb_cmd_init,
	&mb_cmd_key,
	&mb_cmd_import,
	&mb_cmd_export,
	&mb_cmd_verify,
	&mb_cmd_search,
	&mb_cmd_center,
	&mb_cmd_peer,
	&mb_cmd_sync,
	&mb_cmd_serve,
	&mb_cmd_user,
	&mb_cmd_token,
	&mb_cmd_demo,
	&mb_cmd_gc,
	&mb_cmd_migrate,
	&mb_cmd_ticket,
	&mb_cmd_event,
	&mb_cmd_credential,
	&mb_cmd_engine,
	&mb_cmd_translate_text,
	&mb_cmd_translate,
	&mb_cmd_backup,
	&mb_cmd_restore,
	&mb_cmd_doctor,
	&mb_cmd_course,
	&mb_cmd_feed,
	&mb_cmd_campaign,
	&mb_cmd_member,
	&mb_cmd_agenda,
	&mb_cmd_bundle,
	&mb_cmd_dict,
	NULL
};

int
mb_cli_fail(const char *what, const struct mb_diag *d, int err)
{
	fprintf(stderr, "mediabridge: %s: %s\n", what, mb_diag_msg(d, err));
	return MB_EXIT_FAIL;
}

int
mb_cli_usage(const struct mb_cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mediabridge: %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s(see mediabridge %s --help)\n",
	    strchr(cmd->usage, '\n') ? "" : cmd->usage, cmd->name);
	return MB_EXIT_USAGE;
}

int
mb_cli_wants_help(const struct mb_cli_cmd *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(cmd->usage, stdout);
			return 1;
		}
	}
	return 0;
}

static void
overview(FILE *f)
{
	fputs("usage: mediabridge COMMAND DIR [OPTIONS]\n\n"
	    "mediabridge runs one media center of a network: a newsroom, a\n"
	    "public site and feeds, and a relay that exchanges signed items.\n\n"
	    "commands:\n", f);
	for (int i = 0; commands[i]; i++)
		fprintf(f, "  %-14s %s\n", commands[i]->name,
		    commands[i]->summary);
	fputs("\n`mediabridge COMMAND --help` tells more.\n"
	    "Exit status: 0 ok, 1 failure, 2 usage error.\n", f);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		overview(stderr);
		return MB_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		overview(stdout);
		return MB_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mediabridge %s\n", MB_VERSION);
		return MB_EXIT_OK;
	}
	/*
	 * Not a command: serve starts its media decoder so (posix_spawn,
	 * the socket on fd 3), as a process that shares nothing with it.
	 */
	if (strcmp(argv[1], "media-sandbox") == 0 && argc == 2)
		return mb_media_sandbox_main(3);
	for (int i = 0; commands[i]; i++)
		if (strcmp(argv[1], commands[i]->name) == 0) {
			if (mb_cli_wants_help(commands[i], argc - 1, argv + 1))
				return MB_EXIT_OK;
			return commands[i]->run(argc - 1, argv + 1);
		}
	fprintf(stderr, "mediabridge: %s: unknown command\n", argv[1]);
	overview(stderr);
	return MB_EXIT_USAGE;
}
