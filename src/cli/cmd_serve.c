/* SPDX-License-Identifier: MIT */
/* mediabridge serve: the center's server (serve/serve.h), until SIGTERM or SIGINT. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "serve/serve.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_serve = {
	"serve", "run the center's HTTP server (API, site, exchange)",
	"usage: mediabridge serve DIR [--listen HOST:PORT]\n\n"
	"Serves the center in DIR on the address of its configuration\n"
	"([server] listen) or --listen; port 0 picks a free port. Once\n"
	"listening, the bound address is written to DIR/serve.addr. SIGTERM\n"
	"or SIGINT stops accepting, lets requests in flight finish (up to\n"
	"10 seconds) and exits 0.\n",
	run
};

static int
run(int argc, char **argv)
{
	struct mb_serve_opts	 o = { NULL };
	struct mb_serve		*s = NULL;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL;
	sigset_t		 set;
	int			 sig, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			o.listen = argv[++i];
		else if (strncmp(argv[i], "--listen=", 9) == 0)
			o.listen = argv[i] + 9;
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_serve, "unknown option %s",
			    argv[i]);
		else if (dir == NULL)
			dir = argv[i];
		else
			return mb_cli_usage(&mb_cmd_serve, "give one DIR");
	}
	if (dir == NULL)
		return mb_cli_usage(&mb_cmd_serve, "give DIR");

	/* The signals go to this thread only, read by sigwait below. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((rc = mb_serve_start(dir, &o, &s, &d)) != MB_OK)
		return mb_cli_fail("serve", &d, rc);
	while (sigwait(&set, &sig) != 0 && errno == EINTR)
		;
	log_info("serve: signal=%s stopping", sig == SIGTERM ? "TERM" :
	    "INT");
	mb_serve_stop(s, 10000);
	return MB_EXIT_OK;
}
