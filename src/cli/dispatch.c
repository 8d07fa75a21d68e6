/* SPDX-License-Identifier: MIT */
/*
 * Subcommands: one table a command (campaign add, feed poll, ...) and one
 * place that finds the word given and says what is wrong when there is
 * none or it is unknown. Each command keeps its own words for that: the
 * messages are part of the interface scripts read.
 */
#include <string.h>

#include "cli/cli.h"

/* `unknown` with its first %s (if any) replaced by the word given. */
static int
say_unknown(const struct mb_cli_subs *t, const char *word)
{
	const char *p = strstr(t->unknown, "%s");

	if (p == NULL)
		return mb_cli_usage(t->cmd, "%s", t->unknown);
	return mb_cli_usage(t->cmd, "%.*s%s%s", (int)(p - t->unknown),
	    t->unknown, word, p + 2);
}

int
mb_cli_dispatch(const struct mb_cli_subs *t, int argc, char **argv)
{
	if (argc < 2)
		return mb_cli_usage(t->cmd, "%s", t->none);
	for (const struct mb_cli_sub *s = t->subs; s->name != NULL; s++)
		if (strcmp(argv[1], s->name) == 0)
			return t->whole_argv ? s->run(argc, argv) :
			    s->run(argc - 1, argv + 1);
	return say_unknown(t, argv[1]);
}
