/* SPDX-License-Identifier: MIT */
/* mediabridge serve: the HTTP server, until SIGTERM or SIGINT. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/log.h"
#include "center/center.h"
#include "cli/cli.h"
#include "http/federation.h"
#include "http/listen.h"
#include "http/routes_media.h"
#include "http/server.h"
#include "http/site.h"

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
	struct mb_center_node	*n = NULL;
	struct mb_http_server	*srv = NULL;
	struct mb_http_opts	 o;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL, *listen_on = NULL;
	char			 path[1200], line[200];
	sigset_t		 set;
	int			 sig, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			listen_on = argv[++i];
		else if (strncmp(argv[i], "--listen=", 9) == 0)
			listen_on = argv[i] + 9;
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
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK)
		return mb_cli_fail("serve", &d, rc);
	mb_http_opts_from_conf(&n->conf, &o);
	if (listen_on != NULL)
		o.listen = listen_on;

	/* The signals go to this thread only, read by sigwait below. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The site's templates and catalogs: a broken one stops start-up. */
	if ((rc = mb_site_init(&d)) == MB_ERR_NOTFOUND)
		log_warn("serve: the site is off: %s", d.msg);
	else if (rc != MB_OK) {
		mb_center_close(n);
		return mb_cli_fail("serve", &d, rc);
	}
	if ((rc = mb_http_start(n, &o, &srv, &d)) != MB_OK) {
		mb_center_close(n);
		return mb_cli_fail("serve", &d, rc);
	}
	snprintf(line, sizeof(line), "%s\n", mb_http_address(srv));
	if (mb_fs_join(path, sizeof(path), dir, "serve.addr") != MB_OK ||
	    (rc = mb_fs_write_atomic(path, line, strlen(line), 0644, &d)) !=
	    MB_OK) {
		mb_http_stop(srv, 0);
		mb_center_close(n);
		return mb_cli_fail("serve", &d, rc ? rc : MB_ERR_INVAL);
	}
	/* The exchange: pullers (waking long-polls) and the indexer. */
	if ((rc = mb_http_federation_start(n, srv, &d)) != MB_OK) {
		mb_http_stop(srv, 0);
		unlink(path);
		mb_center_close(n);
		return mb_cli_fail("serve", &d, rc);
	}
	/* Several processes on one database: their commits wake ours. */
	if ((rc = mb_http_listen_start(n, srv, &d)) != MB_OK)
		log_warn("serve: no notices from other processes: %s", d.msg);
	/* Media: fetching the blobs that arriving items refer to. */
	if ((rc = mb_http_media_start(n, &d)) != MB_OK)
		log_warn("serve: media fetching is off: %s", d.msg);
	while (sigwait(&set, &sig) != 0 && errno == EINTR)
		;
	log_info("serve: signal=%s stopping", sig == SIGTERM ? "TERM" :
	    "INT");
	mb_http_media_stop();
	mb_http_listen_stop();
	mb_http_federation_stop();
	mb_http_stop(srv, 10000);
	unlink(path);
	mb_center_close(n);
	return MB_EXIT_OK;
}
