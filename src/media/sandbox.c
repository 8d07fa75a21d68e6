/* SPDX-License-Identifier: MIT */
/* The server's side of the media sandbox: starting the child, one request at a time, restarting. */
#include "sandbox.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fdio.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "media/wire.h"

/* The child's CPU seconds (RLIMIT_CPU); recycled past half of them. */
#define CHILD_CPU_MS (300 * 1000)

extern char **environ;

struct mb_media_sandbox {
	pthread_mutex_t	 lock;
	char		*exe;
	int		 timeout_ms;
	pid_t		 pid;	/* 0: none running */
	int		 fd;	/* our end; -1 with no child */
};

/*
 * Waits for the child and says how it ended, for the upload's error;
 * returns its wait status (0 when none ran).
 */
static int
reap(struct mb_media_sandbox *sb, bool kill_it, char *how, size_t n)
{
	int status = 0;

	if (sb->pid == 0)
		return 0;
	if (kill_it)
		kill(sb->pid, SIGKILL);
	while (waitpid(sb->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		snprintf(how, n, "killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else
		snprintf(how, n, "exited with status %d",
		    WEXITSTATUS(status));
	log_warn("media: sandbox pid=%d %s", (int)sb->pid, how);
	sb->pid = 0;
	close(sb->fd);
	sb->fd = -1;
	return status;
}

static int
spawn(struct mb_media_sandbox *sb, struct mb_diag *d)
{
	posix_spawn_file_actions_t	 fa;
	char				*argv[] = { "mediabridge",
					    "media-sandbox", NULL };
	int				 sv[2], rc;
	pid_t				 pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return mb_diag_set(d, MB_ERR_IO, "media sandbox: socketpair: "
		    "%s", strerror(errno));
	/* dup2 onto fd 3 clears close-on-exec there only. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
	rc = posix_spawn(&pid, sb->exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		return mb_diag_set(d, MB_ERR_IO, "media sandbox: cannot start "
		    "%s: %s", sb->exe, strerror(rc));
	}
	sb->pid = pid;
	sb->fd = sv[0];
	log_info("media: sandbox started pid=%d", (int)pid);
	return MB_OK;
}

int
mb_media_sandbox_new(const char *exe, int timeout_ms,
    struct mb_media_sandbox **out, struct mb_diag *d)
{
	struct mb_media_sandbox	*sb;
	int			 rc;

	if ((sb = calloc(1, sizeof(*sb))) == NULL ||
	    (sb->exe = strdup(exe)) == NULL) {
		free(sb);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	pthread_mutex_init(&sb->lock, NULL);
	sb->timeout_ms = timeout_ms > 0 ? timeout_ms : 120 * 1000;
	sb->fd = -1;
	if ((rc = spawn(sb, d)) != MB_OK) {
		mb_media_sandbox_free(sb);
		return rc;
	}
	*out = sb;
	return MB_OK;
}

void
mb_media_sandbox_free(struct mb_media_sandbox *sb)
{
	char how[80];

	if (sb == NULL)
		return;
	if (sb->pid != 0) {
		/* Closing our end makes the child exit; then it is reaped. */
		shutdown(sb->fd, SHUT_RDWR);
		reap(sb, true, how, sizeof(how));
	}
	pthread_mutex_destroy(&sb->lock);
	free(sb->exe);
	free(sb);
}

pid_t
mb_media_sandbox_pid(struct mb_media_sandbox *sb)
{
	pid_t pid;

	pthread_mutex_lock(&sb->lock);
	pid = sb->pid;
	pthread_mutex_unlock(&sb->lock);
	return pid;
}

/* A child that died while idle (its end closed) is replaced first. */
static int
ensure_child(struct mb_media_sandbox *sb, struct mb_diag *d)
{
	struct pollfd	pfd;
	char		how[80];

	if (sb->pid != 0) {
		pfd.fd = sb->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) == 0)
			return MB_OK;
		/* Nothing is owed to us: input or hang-up means it is gone. */
		reap(sb, true, how, sizeof(how));
	}
	return spawn(sb, d);
}

/* Reads n bytes before deadline_ms; -1 on EOF, error or time out. */
static int
recv_all(int fd, void *p, size_t n, int64_t deadline_ms, bool *late)
{
	char		*c = p;
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	while (n > 0) {
		int64_t	left = deadline_ms - mb_time_now_ms();
		ssize_t	r;
		int	pr;

		if (left <= 0) {
			*late = true;
			return -1;
		}
		if ((pr = poll(&pfd, 1, (int)left)) < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			*late = true;
			return -1;
		}
		if ((r = recv(fd, c, n, 0)) < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The child failed us: kill it, say how, and start the next one. */
static int
child_failed(struct mb_media_sandbox *sb, bool late, struct mb_diag *d)
{
	char		how[80];
	struct mb_diag	ignored = { "" };
	int		status, rc = MB_ERR_INVAL;

	status = reap(sb, true, how, sizeof(how));
	if (WIFEXITED(status) && WEXITSTATUS(status) ==
	    MB_MEDIA_SANDBOX_NO_CODECS) {
		/* Not the file: the server cannot decode anything. */
		rc = mb_diag_set(d, MB_ERR_IO, "this server cannot decode "
		    "media: its media codecs did not start (its log says why: "
		    "\"media: sandbox: ...\"); nothing was stored");
		log_error("media: the sandbox cannot start the codecs; every "
		    "upload fails until that is fixed");
	} else if (late)
		mb_diag_set(d, MB_ERR_INVAL, "the media decoder took longer "
		    "than %d s on this file and was stopped; nothing was "
		    "stored", sb->timeout_ms / 1000);
	else
		mb_diag_set(d, MB_ERR_INVAL, "the media decoder failed on "
		    "this file (%s); nothing was stored", how);
	if (spawn(sb, &ignored) != MB_OK)
		log_error("media: %s", ignored.msg);
	return rc;
}

/*
 * len bytes of fd from its start, by sendfile(2): an upload spooled to a
 * file (http/spool.c) goes to the decoder without passing through this
 * process's memory.
 */
static int
send_file(int sock, int fd, size_t len)
{
	off_t off = 0;

	while ((size_t)off < len) {
		ssize_t n = sendfile(sock, fd, &off, len - (size_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
	}
	return 0;
}

static int
exchange(struct mb_media_sandbox *sb, const void *data, int data_fd,
    size_t len, const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d)
{
	uint8_t				 hdr[MB_MEDIA_WIRE_HEADER];
	uint8_t				 lim[MB_MEDIA_WIRE_LIMITS];
	struct mb_media_wire_hdr	 h;
	int64_t				 deadline;
	uint64_t			 cpu_ms = 0, max;
	uint8_t				*p = NULL;
	bool				 late = false;
	int				 rc;

	mb_media_wire_hdr_put(hdr, "MBMQ", MB_MEDIA_WIRE_MAKE,
	    MB_MEDIA_WIRE_LIMITS + (uint64_t)len);
	mb_media_wire_limits_put(lim, l);
	if (mb_fd_send_all(sb->fd, hdr, sizeof(hdr)) != 0 ||
	    mb_fd_send_all(sb->fd, lim, sizeof(lim)) != 0 ||
	    (data_fd >= 0 ? send_file(sb->fd, data_fd, len) :
	    mb_fd_send_all(sb->fd, data, len)) != 0)
		return child_failed(sb, false, d);
	deadline = mb_time_now_ms() + sb->timeout_ms;
	if (recv_all(sb->fd, hdr, sizeof(hdr), deadline, &late) != 0)
		return child_failed(sb, late, d);
	/* Renditions: the original again at most, and pictures beside it. */
	max = 2 * (uint64_t)len + 64 * 1024 * 1024;
	if ((rc = mb_media_wire_hdr_get(hdr, "MBMR", max, &h, d)) != MB_OK)
		goto broken;
	if (h.code != MB_OK && (h.len > MB_MEDIA_WIRE_MSG ||
	    h.code < MB_ERR_UNSUPPORTED || h.code > 0)) {
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "media sandbox: an error "
		    "reply out of range");
		goto broken;
	}
	if ((p = malloc(h.len + 1)) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto broken;
	}
	if (recv_all(sb->fd, p, h.len, deadline, &late) != 0) {
		free(p);
		return child_failed(sb, late, d);
	}
	if (h.code != MB_OK) {
		/* The decoder's own refusal: its words, made printable. */
		for (size_t i = 0; i < h.len; i++)
			if (p[i] < 0x20 || p[i] > 0x7e)
				p[i] = '?';
		p[h.len] = '\0';
		rc = mb_diag_set(d, h.code, "%s", (char *)p);
		free(p);
		return rc;
	}
	rc = mb_media_wire_reply_parse(p, h.len, out, &cpu_ms, d);
	free(p);
	if (rc != MB_OK)
		goto broken;
	/* RLIMIT_CPU counts the child's life: a fresh one before it bites. */
	if (cpu_ms > CHILD_CPU_MS / 2) {
		char how[80];

		shutdown(sb->fd, SHUT_RDWR);
		reap(sb, false, how, sizeof(how));
	}
	return MB_OK;
broken:
	/* A child that breaks the protocol is not trusted again. */
	log_error("media: %s", d != NULL ? d->msg : "sandbox broke the "
	    "protocol");
	{
		char how[80];

		reap(sb, true, how, sizeof(how));
	}
	return mb_diag_set(d, MB_ERR_INVAL, "the media decoder failed on "
	    "this file (it broke the protocol); nothing was stored");
}

int
mb_media_sandbox_make(struct mb_media_sandbox *sb, const void *data,
    size_t len, const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d)
{
	int rc;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&sb->lock);
	if ((rc = ensure_child(sb, d)) == MB_OK)
		rc = exchange(sb, data, -1, len, l, out, d);
	pthread_mutex_unlock(&sb->lock);
	return rc;
}

int
mb_media_sandbox_make_fd(struct mb_media_sandbox *sb, int fd, size_t len,
    const struct mb_media_limits *l, struct mb_media_set *out,
    struct mb_diag *d)
{
	int rc;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&sb->lock);
	if ((rc = ensure_child(sb, d)) == MB_OK)
		rc = exchange(sb, NULL, fd, len, l, out, d);
	pthread_mutex_unlock(&sb->lock);
	return rc;
}
