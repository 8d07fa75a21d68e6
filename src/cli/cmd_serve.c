/* SPDX-License-Identifier: MIT */
/* mediabridge serve: the center's server (serve/serve.h), until SIGTERM or SIGINT. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "center/center.h"
#include "center/daemon.h"
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
	"10 seconds) and exits 0. SIGHUP reloads: the configuration is read\n"
	"again and, when it is good, serve stops as for SIGTERM and starts\n"
	"afresh in the same process (a bad one is logged and the running\n"
	"one kept). Under systemd (Type=notify) it reports readiness,\n"
	"reloading and stopping, and pings the watchdog.\n",
	run
};

/*
 * SIGHUP: the new configuration must open (file, key) before anything
 * stops; a bad one leaves the running server as it is.
 */
static int
config_good(const char *dir)
{
	struct mb_center_node	*n;
	struct mb_diag		 d = { "" };
	int			 rc;

	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK) {
		log_error("serve: reload refused, keeping the running "
		    "configuration: %s", mb_diag_msg(&d, rc));
		return 0;
	}
	mb_center_close(n);
	return 1;
}

/*
 * Waits for a signal, pinging the watchdog every wd_ms (0: no watchdog).
 * Returns the signal.
 */
static int
wait_signal(const sigset_t *set, int64_t wd_ms)
{
	struct timespec	ts;
	int		sig;

	for (;;) {
		if (wd_ms <= 0) {
			if (sigwait(set, &sig) == 0)
				return sig;
			continue;
		}
		ts.tv_sec = wd_ms / 1000;
		ts.tv_nsec = (wd_ms % 1000) * 1000000L;
		if ((sig = sigtimedwait(set, NULL, &ts)) > 0)
			return sig;
		if (errno == EAGAIN)
			mb_daemon_watchdog();
	}
}

/*
 * A reload starts the program again in this process (same pid, as
 * systemd expects of a Type=notify service): everything that was read
 * at start-up -- configuration, templates, catalogs, engines -- is read
 * anew. argv is serve's own (argv[0] is "serve").
 */
static void
reexec(int argc, char **argv)
{
	char	*args[64], exe[1024];
	ssize_t	 len;
	int	 n = 0;

	args[n++] = "mediabridge";
	for (int i = 0; i < argc && n < 63; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	/* By its name, so that the journal still says "mediabridge"; a
	 * binary replaced on disk (an upgrade) is started as it was. */
	if ((len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[len] = '\0';
		if (strstr(exe, " (deleted)") == NULL)
			execv(exe, args);
	}
	execv("/proc/self/exe", args);
	log_error("serve: reload: cannot start again: %s", strerror(errno));
}

static int
run(int argc, char **argv)
{
	struct mb_serve_opts	 o = { NULL };
	struct mb_serve		*s = NULL;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL;
	char			 status[200];
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
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((rc = mb_serve_start(dir, &o, &s, &d)) != MB_OK)
		return mb_cli_fail("serve", &d, rc);
	snprintf(status, sizeof(status), "serving on %s",
	    mb_serve_address(s));
	mb_daemon_ready(status);
	while ((sig = wait_signal(&set, mb_daemon_watchdog_ms())) == SIGHUP &&
	    !config_good(dir))
		;
	log_info("serve: signal=%s %s", sig == SIGTERM ? "TERM" : sig ==
	    SIGINT ? "INT" : "HUP", sig == SIGHUP ? "reloading" : "stopping");
	if (sig == SIGHUP)
		mb_daemon_reloading();
	else
		mb_daemon_stopping();
	mb_serve_stop(s, 10000);
	if (sig == SIGHUP) {
		/* The signal mask is inherited across exec: SIGHUP stays
		 * blocked until the new image sets its own. */
		reexec(argc, argv);
		return MB_EXIT_FAIL;
	}
	return MB_EXIT_OK;
}
