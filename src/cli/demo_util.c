/* SPDX-License-Identifier: MIT */
/*
 * What the demo's steps share: processes, waits, plain HTTP/1.1 to the
 * demo's own centers on 127.0.0.1 (no TLS, no redirects: a few lines of
 * sockets are all it needs), ports, tokens. See demo_util.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fs.h"
#include "center/center.h"
#include "center/ingest.h"
#include "cli/demo_util.h"
#include "store/store.h"

void
mb_demo_nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

int
mb_demo_run(const char *exe, const char *const *args, const char *in,
    struct mb_buf *out)
{
	char	*argv[32];
	int	 op[2], ip[2], status, n = 0;
	pid_t	 pid;
	char	 buf[4096];
	ssize_t	 got;

	argv[n++] = (char *)(uintptr_t)exe;
	while (args[n - 1] != NULL && n < 31) {
		argv[n] = (char *)(uintptr_t)args[n - 1];
		n++;
	}
	argv[n] = NULL;
	if (pipe(op) != 0)
		return -1;
	if (pipe(ip) != 0) {
		close(op[0]);
		close(op[1]);
		return -1;
	}
	if ((pid = fork()) < 0) {
		close(op[0]);
		close(op[1]);
		close(ip[0]);
		close(ip[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(ip[0], 0);
		dup2(op[1], 1);
		dup2(op[1], 2);
		close(ip[0]);
		close(ip[1]);
		close(op[0]);
		close(op[1]);
		execv(exe, argv);
		_exit(127);
	}
	close(ip[0]);
	close(op[1]);
	if (in != NULL && write(ip[1], in, strlen(in)) < 0)
		status = -1;
	close(ip[1]);
	while ((got = read(op[0], buf, sizeof(buf))) > 0 ||
	    (got < 0 && errno == EINTR))
		if (got > 0 && out != NULL)
			mb_buf_append(out, buf, (size_t)got);
	close(op[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
mb_demo_self(const char *const *args, struct mb_buf *out)
{
	char	 exe[PATH_MAX];

	if (!mb_fs_self_exe(exe, sizeof(exe)))
		return -1;
	return mb_demo_run(exe, args, NULL, out);
}

int
mb_demo_free_port(void)
{
	struct sockaddr_in	a = { .sin_family = AF_INET };
	socklen_t		len = sizeof(a);
	int			s, port = 0;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 0;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(s);
	return port;
}

int
mb_demo_http(int port, const char *method, const char *path,
    const char *token, const char *extra, const char *body,
    struct mb_buf *out, int timeout_s)
{
	struct sockaddr_in	 sa;
	struct timeval		 tv = { timeout_s, 0 };
	struct mb_buf		 req = MB_BUF_INIT, resp = MB_BUF_INIT;
	char			 chunk[4096];
	const char		*end;
	ssize_t			 n;
	int			 fd, status = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		goto out;
	mb_buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
	    "Connection: close\r\nContent-Length: %zu\r\n", method, path, port,
	    body != NULL ? strlen(body) : (size_t)0);
	if (token != NULL)
		mb_buf_printf(&req, "Authorization: Bearer %s\r\n", token);
	if (body != NULL)
		mb_buf_puts(&req, "Content-Type: application/json\r\n");
	mb_buf_printf(&req, "%s\r\n%s", extra != NULL ? extra : "",
	    body != NULL ? body : "");
	if (write(fd, req.data, req.len) != (ssize_t)req.len)
		goto out;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 &&
	    resp.len < (1u << 22))
		mb_buf_append(&resp, chunk, (size_t)n);
	if (resp.data == NULL || sscanf(mb_buf_cstr(&resp), "HTTP/1.%*d %d",
	    &status) != 1)
		goto out;
	if (out != NULL && (end = strstr(resp.data, "\r\n\r\n")) != NULL)
		mb_buf_puts(out, end + 4);
out:
	close(fd);
	mb_buf_free(&req);
	mb_buf_free(&resp);
	return status;
}

int
mb_demo_token(const char *dir, const char *id, const char *user,
    char tok[MB_SECRET_TEXT_LEN], struct mb_diag *d)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	char			 path[1200];
	int			 rc;

	snprintf(path, sizeof(path), "%s/%s", dir, id);
	if ((rc = mb_center_open(path, &n, d)) == MB_OK &&
	    (rc = mb_center_store(n, &st, d)) == MB_OK)
		rc = mb_accounts_token_new(st, user, tok, d);
	mb_store_close(st);
	mb_center_close(n);
	return rc;
}

int
mb_demo_nr_open(const char *dir, const char *id, struct mb_center_node **n,
    struct mb_newsroom_env *e, struct mb_diag *d)
{
	char path[1200];
	int  rc;

	*n = NULL;
	memset(e, 0, sizeof(*e));
	snprintf(path, sizeof(path), "%s/%s", dir, id);
	if ((rc = mb_center_open(path, n, d)) != MB_OK ||
	    (rc = mb_center_store(*n, &e->st, d)) != MB_OK ||
	    (rc = mb_ingest_new(*n, e->st, &e->ing, d)) != MB_OK)
		return rc;
	e->center = (*n)->conf.id;
	return MB_OK;
}

void
mb_demo_nr_close(struct mb_center_node *n, struct mb_newsroom_env *e)
{
	mb_ingest_free(e->ing);
	mb_store_close(e->st);
	mb_center_close(n);
	memset(e, 0, sizeof(*e));
}
