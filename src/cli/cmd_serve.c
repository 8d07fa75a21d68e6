/* SPDX-License-Identifier: MIT */
/* mediabridge serve: the signer parent and the worker that serves (serve/privsep.h), until SIGTERM or SIGINT. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"
#include "base/log.h"
#include "center/center.h"
#include "center/daemon.h"
#include "cli/cli.h"
#include "serve/privsep.h"
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
	"reloading and stopping, and pings the watchdog.\n\n"
	"serve runs as two processes: a small parent that holds the\n"
	"center's key and signs only what the other asks for in a few\n"
	"typed requests, and the worker that serves and never reads the\n"
	"key. Started as root, the worker drops root once it listens, to\n"
	"[server] user or else the owner of DIR, and refuses to go on as\n"
	"root. A worker that dies ends the parent with a non-zero status.\n",
	run
};

/*
 * How often the worker hands freed memory back (malloc_trim): glibc
 * keeps what its per-thread arenas freed, and a page or a response
 * built once for a burst of readers would otherwise stay in serve's
 * Rss for good (docs/benchmarks.md, "pages": serve's memory). Every
 * second, not 10: any commit (the indexer, a poller) resets the request
 * threads' SQLite page caches, and under mixed reads at 1M items
 * glibc's arenas held 12-39 MiB of freed memory just before a trim 10 s
 * apart (docs/benchmarks.md, "serve's memory at 1M items").
 */
#define TRIM_MS	1000

/*
 * Waits for a signal, pinging the watchdog every wd_ms (0: no watchdog)
 * and trimming the heap every TRIM_MS. Returns the signal.
 */
static int
wait_signal(const sigset_t *set, int64_t wd_ms)
{
	struct timespec	ts;
	int64_t		tick = wd_ms > 0 && wd_ms < TRIM_MS ? wd_ms : TRIM_MS;
	int		sig;

	for (;;) {
		ts.tv_sec = tick / 1000;
		ts.tv_nsec = (tick % 1000) * 1000000L;
		if ((sig = sigtimedwait(set, NULL, &ts)) > 0)
			return sig;
		if (errno != EAGAIN)
			continue;
		if (wd_ms > 0)
			mb_daemon_watchdog();
		malloc_trim(0);
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
	char	*args[64], exe[PATH_MAX];
	int	 n = 0;

	args[n++] = "mediabridge";
	for (int i = 0; i < argc && n < 63; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	/* By its name, so that the journal still says "mediabridge"; a
	 * binary replaced on disk (an upgrade) is started as it was. */
	if (mb_fs_self_exe(exe, sizeof(exe)))
		execv(exe, args);
	execv("/proc/self/exe", args);
	log_error("serve: reload: cannot start again: %s", strerror(errno));
}

/*
 * The worker (serve/privsep.h): serves with the signer's remote key until
 * SIGTERM or SIGINT (stop) or SIGHUP (stop for the parent to start
 * afresh), both passed on by the parent. wd_ms is the watchdog's period
 * as the parent found it.
 */
static int
worker(const char *dir, struct mb_privsep *ps, struct mb_serve_opts *o,
    int64_t wd_ms)
{
	struct mb_serve	*s = NULL;
	struct mb_diag	 d = { "" };
	char		 status[200];
	sigset_t	 set;
	int		 sig, rc;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	mb_daemon_relay_to(ps->notify_fd);
	/* The parent says why when there is no key to be had. */
	if (mb_privsep_worker_key(ps, &o->key, &d) != MB_OK)
		return MB_EXIT_FAIL;
	if ((rc = mb_serve_start(dir, o, &s, &d)) != MB_OK)
		return mb_cli_fail("serve", &d, rc);
	snprintf(status, sizeof(status), "serving on %s",
	    mb_serve_address(s));
	mb_daemon_ready(status);
	sig = wait_signal(&set, wd_ms);
	log_info("serve: signal=%s %s", sig == SIGTERM ? "TERM" : sig ==
	    SIGINT ? "INT" : "HUP", sig == SIGHUP ? "reloading" : "stopping");
	if (sig == SIGHUP)
		mb_daemon_reloading();
	else
		mb_daemon_stopping();
	mb_serve_stop(s, 10000);
	return MB_EXIT_OK;
}

static int
run(int argc, char **argv)
{
	struct mb_serve_opts	 o = { NULL, NULL };
	struct mb_privsep	 ps;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL;
	sigset_t		 set;
	int64_t			 wd_ms;
	bool			 again;
	int			 status, rc;

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

	/* Read by sigwait (the worker) and a signalfd (the signer). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Before the fork: systemd's $WATCHDOG_PID names this process. */
	wd_ms = mb_daemon_watchdog_ms();

	if ((rc = mb_privsep_fork(dir, &ps, &d)) != MB_OK)
		return mb_cli_fail("serve", &d, rc);
	if (ps.worker == 0)
		return worker(dir, &ps, &o, wd_ms);
	if ((rc = mb_privsep_signer(&ps, &status, &again, &d)) != MB_OK)
		return mb_cli_fail("serve", &d, rc);
	if (again) {
		/* The signal mask is inherited across exec: the signals
		 * stay blocked until the new image reads them. */
		reexec(argc, argv);
		return MB_EXIT_FAIL;
	}
	return status;
}
