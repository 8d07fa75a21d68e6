/* SPDX-License-Identifier: MIT */
/* serve's two processes: the signer parent that holds the key, and the worker that serves. */
#ifndef MB_SERVE_PRIVSEP_H
#define MB_SERVE_PRIVSEP_H

/*
 * `mediabridge serve` forks before it reads anything secret
 * (docs/architecture.md, Privilege separation):
 *
 *   parent  the signer: loads the center's key, is not dumpable, and
 *           does nothing but answer the worker's typed signing requests
 *           (item/signer.h), relay its notifications to systemd
 *           (center/daemon.h), pass SIGTERM, SIGINT and SIGHUP on, and
 *           exit with the worker's status;
 *   worker  everything else (HTTP, exchange, store, media): it never
 *           opens the key file and holds only a remote key; started as
 *           root, it drops root once its listener is bound.
 *
 * Other commands (import, sync --once, ...) sign in their own process.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"
#include "center/conf.h"
#include "item/key.h"

struct mb_privsep {
	pid_t	worker;		/* in the parent: the worker; in it: 0 */
	int	signer_fd;	/* this process's end of the signer socket */
	int	notify_fd;	/* this process's end of the notify relay */
	char	dir[1024];
};

/*
 * Reads dir's configuration (so that a bad one is an error here, before
 * anything starts) and forks. Returns MB_OK in both processes, telling
 * them apart by ps->worker. Call with SIGTERM, SIGINT, SIGHUP and
 * SIGCHLD blocked, before any thread is started.
 */
int mb_privsep_fork(const char *dir, struct mb_privsep *ps,
    struct mb_diag *d);

/*
 * The parent, for the worker's life: loads the key (a failure is
 * returned, the worker told to go), then answers. Returns MB_OK once
 * the worker has ended: *status is the exit status for the parent (the
 * worker's, or 128 + the signal that killed it), and *reexec says the
 * worker stopped for a reload (SIGHUP with a configuration and key that
 * load), after which the parent starts itself again.
 */
int mb_privsep_signer(struct mb_privsep *ps, int *status, bool *reexec,
    struct mb_diag *d);

/*
 * The worker: waits for the signer's public key and returns a remote key
 * that asks the signer (mb_key_remote). MB_ERR_IO when the parent went
 * away (it reported why).
 */
int mb_privsep_worker_key(struct mb_privsep *ps, struct mb_key **out,
    struct mb_diag *d);

/*
 * Started as root: becomes [server] user of c, or else the owner of the
 * data directory (setgroups, setgid, setuid), and checks that root
 * cannot be had back. Refuses when that would be root. Not root: does
 * nothing.
 */
int mb_privsep_drop_root(const struct mb_conf *c, struct mb_diag *d);

/*
 * `demo` started as root: gives dir (just made, empty) to user and goes
 * on as that user, so that the centers it makes there can be served.
 * Not root: does nothing.
 */
int mb_privsep_become(const char *dir, const char *user, struct mb_diag *d);

#endif
