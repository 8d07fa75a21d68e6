/* SPDX-License-Identifier: MIT */
/* serve's signer parent and its worker: the fork, the parent's loop, dropping root (privsep.h). */
#include "privsep.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fdio.h"
#include "base/fs.h"
#include "base/log.h"
#include "center/daemon.h"
#include "item/signer.h"

/* The signer's first words to the worker: its magic and the public key. */
#define HELLO "MBSH"
#define HELLO_LEN (4 + MB_PUBKEY_LEN)

/*
 * A request the worker starts must arrive whole within this: a worker
 * that stalls mid-request is taken as broken, so that the parent is
 * never stuck and always passes signals on.
 */
#define REQUEST_TIMEOUT_S 10

int
mb_privsep_fork(const char *dir, struct mb_privsep *ps, struct mb_diag *d)
{
	struct mb_conf	 c;
	pid_t		 parent = getpid(), pid;
	int		 sv[2], nv[2], rc;

	memset(ps, 0, sizeof(*ps));
	ps->signer_fd = ps->notify_fd = -1;
	if ((rc = mb_conf_load(dir, &c, d)) != MB_OK)
		return rc;
	snprintf(ps->dir, sizeof(ps->dir), "%s", dir);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return mb_diag_set(d, MB_ERR_IO, "socketpair: %s",
		    strerror(errno));
	/* Datagrams: one notification each, cut at the size asked for. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, nv) != 0) {
		rc = mb_diag_set(d, MB_ERR_IO, "socketpair: %s",
		    strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return rc;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		rc = mb_diag_set(d, MB_ERR_IO, "fork: %s",
		    strerror(errno));
		close(sv[0]);
		close(sv[1]);
		close(nv[0]);
		close(nv[1]);
		return rc;
	}
	if (pid == 0) {
		close(sv[0]);
		close(nv[0]);
		/* Without the signer nothing can be signed: go with it,
		 * as a crash (the store is crash-safe). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		ps->signer_fd = sv[1];
		ps->notify_fd = nv[1];
		return MB_OK;
	}
	close(sv[1]);
	close(nv[1]);
	ps->worker = pid;
	ps->signer_fd = sv[0];
	ps->notify_fd = nv[0];
	return MB_OK;
}

static int
load_key(const char *dir, struct mb_key **k, struct mb_diag *d)
{
	char path[1200];

	if (mb_fs_join(path, sizeof(path), dir, "keys/center.key") != MB_OK)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: path too long", dir);
	return mb_key_load(path, k, d);
}

/* SIGHUP: the new configuration and key must load before anything stops. */
static bool
reload_good(const char *dir)
{
	struct mb_conf	 c;
	struct mb_key	*k = NULL;
	struct mb_diag	 d = { "" };
	int		 rc;

	if ((rc = mb_conf_load(dir, &c, &d)) == MB_OK &&
	    (rc = load_key(dir, &k, &d)) == MB_OK) {
		mb_key_free(k);
		return true;
	}
	log_error("serve: reload refused, keeping the running "
	    "configuration: %s", mb_diag_msg(&d, rc));
	return false;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A request from the worker, or its end of the socket closing. */
static void
answer(struct mb_privsep *ps, const struct mb_key *k, const char *id)
{
	struct mb_diag	d = { "" };
	char		b;
	ssize_t		r;
	int		rc;

	r = recv(ps->signer_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		/* The worker is stopping (its key is freed last). */
		close_fd(&ps->signer_fd);
		return;
	}
	if ((rc = mb_signer_answer(k, id, ps->signer_fd, &d)) != MB_OK) {
		/* Broken framing: the worker is not to be trusted. */
		log_error("serve: %s; stopping the worker",
		    mb_diag_msg(&d, rc));
		kill(ps->worker, SIGKILL);
		close_fd(&ps->signer_fd);
	}
}

/* Notifications from the worker, on to systemd; non-blocking. */
static void
relay(struct mb_privsep *ps, int flags)
{
	char	buf[MB_DAEMON_MSG_MAX + 1];
	ssize_t	r;

	for (;;) {
		r = recv(ps->notify_fd, buf, sizeof(buf), flags | MSG_TRUNC);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return;
		if (r <= 0) {
			close_fd(&ps->notify_fd);
			return;
		}
		if ((size_t)r >= sizeof(buf) || mb_daemon_relay(buf,
		    (size_t)r) != 0)
			log_warn("serve: a notification from the worker "
			    "refused (%zd bytes)", r);
		if (!(flags & MSG_DONTWAIT))
			return;
	}
}

/* How the worker ended, as the parent's exit status. */
static int
worker_status(int st)
{
	if (WIFSIGNALED(st)) {
		log_error("serve: the worker was killed by signal %d (%s)",
		    WTERMSIG(st), strsignal(WTERMSIG(st)));
		return 128 + WTERMSIG(st);
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
		log_error("serve: the worker exited with status %d",
		    WEXITSTATUS(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static void
end_worker(struct mb_privsep *ps)
{
	int st;

	close_fd(&ps->signer_fd);
	close_fd(&ps->notify_fd);
	/* It was waiting for the hello: the closed socket ends it. */
	while (waitpid(ps->worker, &st, 0) < 0 && errno == EINTR)
		;
}

int
mb_privsep_signer(struct mb_privsep *ps, int *status, bool *reexec,
    struct mb_diag *d)
{
	struct signalfd_siginfo	 si;
	struct timeval		 tv = { REQUEST_TIMEOUT_S, 0 };
	struct mb_conf		 c;
	struct mb_key		*k = NULL;
	struct pollfd		 p[3];
	uint8_t			 hello[HELLO_LEN];
	bool			 stopping = false, reloading = false;
	sigset_t		 set;
	int			 sfd, st = 0, rc;

	*status = 1;
	*reexec = false;
	/* Neither ptrace nor /proc/PID/mem by the worker (same user). */
	prctl(PR_SET_DUMPABLE, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if ((rc = mb_conf_load(ps->dir, &c, d)) != MB_OK ||
	    (rc = load_key(ps->dir, &k, d)) != MB_OK) {
		end_worker(ps);
		return rc;
	}
	if ((sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		rc = mb_diag_set(d, MB_ERR_IO, "signalfd: %s",
		    strerror(errno));
		mb_key_free(k);
		end_worker(ps);
		return rc;
	}
	setsockopt(ps->signer_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(ps->signer_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memcpy(hello, HELLO, 4);
	mb_key_public(k, hello + 4);
	/* A worker already gone shows as SIGCHLD below. */
	(void)send(ps->signer_fd, hello, sizeof(hello), MSG_NOSIGNAL);
	log_info("serve: signer=%d worker=%d", (int)getpid(),
	    (int)ps->worker);
	for (;;) {
		p[0] = (struct pollfd){ sfd, POLLIN, 0 };
		p[1] = (struct pollfd){ ps->signer_fd, POLLIN, 0 };
		p[2] = (struct pollfd){ ps->notify_fd, POLLIN, 0 };
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("serve: poll: %s", strerror(errno));
			kill(ps->worker, SIGTERM);
			stopping = true;
			while (waitpid(ps->worker, &st, 0) < 0 &&
			    errno == EINTR)
				;
			break;
		}
		if (p[1].revents != 0)
			answer(ps, k, c.id);
		if (p[2].revents != 0)
			relay(ps, MSG_DONTWAIT);
		if (!(p[0].revents & POLLIN) ||
		    read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo == SIGCHLD) {
			if (waitpid(ps->worker, &st, WNOHANG) == ps->worker)
				break;
		} else if (si.ssi_signo != SIGHUP) {
			stopping = true;
			kill(ps->worker, (int)si.ssi_signo);
		} else if (!stopping && !reloading && reload_good(ps->dir)) {
			reloading = true;
			kill(ps->worker, SIGHUP);
		}
	}
	/* What it said last (STOPPING=1) goes out before we exit. */
	if (ps->notify_fd >= 0)
		relay(ps, MSG_DONTWAIT);
	close(sfd);
	mb_key_free(k);
	close_fd(&ps->signer_fd);
	close_fd(&ps->notify_fd);
	*status = worker_status(st);
	*reexec = reloading && !stopping && *status == 0;
	return MB_OK;
}

int
mb_privsep_worker_key(struct mb_privsep *ps, struct mb_key **out,
    struct mb_diag *d)
{
	uint8_t	hello[HELLO_LEN];
	int	rc;

	if (mb_fd_read_all(ps->signer_fd, hello, sizeof(hello)) != 0 ||
	    memcmp(hello, HELLO, 4) != 0)
		return mb_diag_set(d, MB_ERR_IO, "the signer did not start");
	if ((rc = mb_key_remote(ps->signer_fd, hello + 4, out)) != MB_OK)
		return mb_diag_set(d, rc, "out of memory");
	ps->signer_fd = -1;	/* the key's now */
	return MB_OK;
}

int
mb_privsep_drop_root(const struct mb_conf *c, struct mb_diag *d)
{
	struct passwd	 pw, *res = NULL;
	struct stat	 st;
	char		 buf[4096];
	uid_t		 uid;
	gid_t		 gid;

	if (geteuid() != 0 && getuid() != 0)
		return MB_OK;
	if (c->user[0] != '\0') {
		if (getpwnam_r(c->user, &pw, buf, sizeof(buf), &res) != 0 ||
		    res == NULL)
			return mb_diag_set(d, MB_ERR_INVAL, "%s: [server] "
			    "user: no user %s on this system", c->file,
			    c->user);
		uid = pw.pw_uid;
		gid = pw.pw_gid;
	} else {
		if (stat(c->dir, &st) != 0)
			return mb_diag_set(d, MB_ERR_IO, "%s: %s", c->dir,
			    strerror(errno));
		uid = st.st_uid;
		gid = st.st_gid;
	}
	if (uid == 0)
		return mb_diag_set(d, MB_ERR_PERM, "will not run as root: "
		    "set [server] user in %s to the user it should run "
		    "as (one that owns %s), or give %s to that user (chown)",
		    c->file, c->dir, c->dir);
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
		return mb_diag_set(d, MB_ERR_PERM, "cannot become uid "
		    "%u gid %u: %s", (unsigned)uid, (unsigned)gid,
		    strerror(errno));
	if (setuid(0) == 0 || seteuid(0) == 0)
		return mb_diag_set(d, MB_ERR_PERM, "root could be had back "
		    "after dropping it");
	/* A change of credentials clears the parent-death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	log_info("serve: running as uid=%u gid=%u", (unsigned)uid,
	    (unsigned)gid);
	return MB_OK;
}

int
mb_privsep_become(const char *dir, const char *user, struct mb_diag *d)
{
	struct passwd	 pw, *res = NULL;
	struct mb_conf	 c;
	char		 buf[4096];

	if (geteuid() != 0)
		return MB_OK;
	if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "started as root, and "
		    "there is no user %s to run as", user);
	if (chown(dir, pw.pw_uid, pw.pw_gid) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", dir,
		    strerror(errno));
	memset(&c, 0, sizeof(c));
	snprintf(c.dir, sizeof(c.dir), "%s", dir);
	snprintf(c.file, sizeof(c.file), "%s", dir);
	snprintf(c.user, sizeof(c.user), "%s", user);
	return mb_privsep_drop_root(&c, d);
}
