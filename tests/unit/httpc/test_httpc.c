/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/httpc: which addresses are public, the guard that
 * refuses the others, limits, redirects, POST, timeouts and cancel,
 * against a small HTTP server on 127.0.0.1 in a thread of the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/timeutil.h"
#include "httpc/httpc.h"

/* ---- the server ------------------------------------------------------ */

static int		srv_fd = -1;
static int		srv_port;
static pthread_t	srv_thread;
static atomic_int	srv_stop;
static atomic_int	srv_conns;

static void
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void
answer(int fd, const char *status, const char *extra, const char *ctype,
    const char *body, size_t len)
{
	char head[512];

	snprintf(head, sizeof(head), "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n%s\r\n", status,
	    ctype, len, extra);
	send_all(fd, head, strlen(head));
	send_all(fd, body, len);
}

static void
serve_one(int fd)
{
	char	 req[8192], path[256] = "", ctype[128] = "";
	char	*he, *p;
	size_t	 n = 0, clen = 0;
	ssize_t	 r;

	while (n < sizeof(req) - 1 && (r = recv(fd, req + n,
	    sizeof(req) - 1 - n, 0)) > 0) {
		n += (size_t)r;
		req[n] = '\0';
		if ((he = strstr(req, "\r\n\r\n")) != NULL) {
			if ((p = strcasestr(req, "\r\nContent-Length:")) !=
			    NULL && p < he)
				clen = strtoul(p + 17, NULL, 10);
			if (n >= (size_t)(he + 4 - req) + clen)
				break;
		}
	}
	req[n] = '\0';
	if ((he = strstr(req, "\r\n\r\n")) == NULL)
		return;
	sscanf(req, "%*s %255s", path);
	if ((p = strcasestr(req, "\r\nContent-Type: ")) != NULL && p < he)
		sscanf(p + 16, "%127[^\r]", ctype);
	if (strcmp(path, "/hello") == 0) {
		answer(fd, "200 OK", "X-Test: 42\r\n",
		    "text/plain; charset=utf-8", "hello", 5);
	} else if (strcmp(path, "/big") == 0) {
		char *big = malloc(100000);

		memset(big, 'x', 100000);
		answer(fd, "200 OK", "", "text/plain", big, 100000);
		free(big);
	} else if (strcmp(path, "/redir") == 0) {
		answer(fd, "302 Found", "Location: /hello\r\n", "text/plain",
		    "", 0);
	} else if (strcmp(path, "/echo") == 0) {
		char out[9000];

		snprintf(out, sizeof(out), "%s|%s", ctype, he + 4);
		answer(fd, "200 OK", "", "text/plain", out, strlen(out));
	} else if (strcmp(path, "/hang") == 0) {
		/* No answer, until the client gives up (or 5 s). */
		for (int i = 0; i < 50 && !atomic_load(&srv_stop); i++) {
			struct pollfd	pfd = { fd, POLLIN, 0 };
			char		c;

			if (poll(&pfd, 1, 100) > 0 && recv(fd, &c, 1, 0) <= 0)
				break;
		}
	} else {
		answer(fd, "404 Not Found", "", "text/plain", "no", 2);
	}
}

static void *
srv_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&srv_stop)) {
		struct pollfd	pfd = { srv_fd, POLLIN, 0 };
		int		fd;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((fd = accept(srv_fd, NULL, NULL)) < 0)
			continue;
		atomic_fetch_add(&srv_conns, 1);
		serve_one(fd);
		close(fd);
	}
	return NULL;
}

static int
srv_up(void **state)
{
	struct sockaddr_in	sa;
	socklen_t		sl = sizeof(sa);

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((srv_fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(srv_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(srv_fd, 16) != 0 ||
	    getsockname(srv_fd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	srv_port = ntohs(sa.sin_port);
	atomic_store(&srv_stop, 0);
	return pthread_create(&srv_thread, NULL, srv_main, NULL) == 0 ? 0 : -1;
}

static int
srv_down(void **state)
{
	(void)state;
	atomic_store(&srv_stop, 1);
	pthread_join(srv_thread, NULL);
	close(srv_fd);
	return 0;
}

static void
url_of(char *out, size_t n, const char *host, const char *path)
{
	snprintf(out, n, "http://%s:%d%s", host, srv_port, path);
}

/* ---- which addresses are public ------------------------------------- */

static bool
pub(const char *a)
{
	struct sockaddr_in	s4;
	struct sockaddr_in6	s6;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, a, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		return mb_httpc_addr_public((struct sockaddr *)&s4);
	}
	assert_int_equal(inet_pton(AF_INET6, a, &s6.sin6_addr), 1);
	s6.sin6_family = AF_INET6;
	return mb_httpc_addr_public((struct sockaddr *)&s6);
}

static void
test_addr_public(void **state)
{
	static const char *const closed[] = {
		"127.0.0.1", "127.255.0.9", "0.0.0.0", "10.1.2.3",
		"172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
		"100.64.0.1", "224.0.0.1", "255.255.255.255", "192.0.2.1",
		"198.18.0.1", "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1",
		"ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
		"64:ff9b::7f00:1", "2001:db8::1", "2002:7f00:1::1", "::127.0.0.1",
	};
	static const char *const open[] = {
		"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1",
		"2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
		if (pub(closed[i]))
			fail_msg("%s counted as public", closed[i]);
	for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++)
		if (!pub(open[i]))
			fail_msg("%s not counted as public", open[i]);
	assert_false(mb_httpc_addr_public(NULL));
}

/* ---- the guard ------------------------------------------------------- */

static void
refused(const char *host)
{
	struct mb_httpc		*c;
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	enum mb_httpc_fail	 why;
	char			 url[128];
	int			 before = atomic_load(&srv_conns);

	url_of(url, sizeof(url), host, "/hello");
	rq.url = url;
	assert_int_equal(mb_httpc_new(NULL, &c), MB_OK);
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_REFUSED);
	assert_non_null(strstr(d.msg, "not a public address"));
	assert_null(resp.body.data);
	mb_httpc_free(c);
	/* Refused before connecting: the server never saw it. */
	usleep(100000);
	assert_int_equal(atomic_load(&srv_conns), before);
}

static void
test_guard_refuses_loopback(void **state)
{
	(void)state;
	refused("127.0.0.1");
	refused("localhost");
	refused("[::ffff:127.0.0.1]");
}

static void
test_not_http(void **state)
{
	struct mb_httpc		*c;
	struct mb_httpc_req	 rq = { .url = "file:///etc/passwd" };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };

	(void)state;
	assert_int_equal(mb_httpc_new(NULL, &c), MB_OK);
	assert_int_equal(mb_httpc_do(c, &rq, &resp, NULL, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "not an http URL"));
	rq.url = "gopher://127.0.0.1/";
	assert_int_equal(mb_httpc_do(c, &rq, &resp, NULL, &d), MB_ERR_INVAL);
	mb_httpc_free(c);
}

/* ---- requests, allowed to reach 127.0.0.1 ---------------------------- */

static struct mb_httpc *
lan_client(int redirects)
{
	struct mb_httpc_opts	 o = { .allow_private = true,
	    .max_redirects = redirects };
	struct mb_httpc		*c;

	assert_int_equal(mb_httpc_new(&o, &c), MB_OK);
	return c;
}

static void
count_header(const char *line, size_t len, void *arg)
{
	if (len == 10 && memcmp(line, "X-Test: 42", 10) == 0)
		(*(int *)arg)++;
}

static void
test_get(void **state)
{
	struct mb_httpc		*c = lan_client(0);
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	enum mb_httpc_fail	 why;
	char			 url[128];
	int			 seen = 0;

	(void)state;
	url_of(url, sizeof(url), "127.0.0.1", "/hello");
	rq.url = url;
	rq.on_header = count_header;
	rq.header_arg = &seen;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_OK);
	assert_int_equal(why, MB_HTTPC_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 5);
	assert_memory_equal(resp.body.data, "hello", 5);
	assert_string_equal(resp.content_type, "text/plain; charset=utf-8");
	assert_int_equal(seen, 1);
	assert_true(resp.wire_bytes > 5);
	mb_httpc_resp_free(&resp);
	/* The same client again: a second request works as the first. */
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(seen, 2);
	mb_httpc_resp_free(&resp);
	mb_httpc_free(c);
}

static void
test_too_big(void **state)
{
	struct mb_httpc		*c = lan_client(0);
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	enum mb_httpc_fail	 why;
	char			 url[128];

	(void)state;
	url_of(url, sizeof(url), "127.0.0.1", "/big");
	rq.url = url;
	rq.max_answer = 1000;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_TOOBIG);
	assert_non_null(strstr(d.msg, "answer over 1000 bytes"));
	assert_null(resp.body.data);
	rq.max_answer = 100000;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_OK);
	assert_int_equal(resp.body.len, 100000);
	mb_httpc_resp_free(&resp);
	mb_httpc_free(c);
}

/* What a sink saw: bytes, pieces, the status; refuses past stop_at. */
struct sink {
	size_t	got, pieces, stop_at;
	long	status;
	bool	all_x;
};

static bool
sink(long status, const char *p, size_t len, void *arg)
{
	struct sink *k = arg;

	k->status = status;
	k->pieces++;
	for (size_t i = 0; i < len; i++)
		k->all_x = k->all_x && p[i] == 'x';
	k->got += len;
	return k->stop_at == 0 || k->got < k->stop_at;
}

static void
test_body_sink(void **state)
{
	struct mb_httpc		*c = lan_client(0);
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	enum mb_httpc_fail	 why;
	struct sink		 k = { 0, 0, 0, 0, true };
	char			 url[128];

	(void)state;
	url_of(url, sizeof(url), "127.0.0.1", "/big");
	rq.url = url;
	rq.max_answer = 200000;
	rq.on_body = sink;
	rq.body_arg = &k;
	/* Every byte goes to the sink, with the status; none is kept. */
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(k.status, 200);
	assert_int_equal(k.got, 100000);
	assert_true(k.all_x);
	assert_true(k.pieces >= 1);
	assert_int_equal(resp.body.len, 0);
	mb_httpc_resp_free(&resp);
	/* A sink that says no ends the transfer, named as its doing. */
	k.got = k.pieces = 0;
	k.stop_at = 1;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_SINK);
	assert_true(k.got < 100000);
	/* max_answer still bounds what a sink is given. */
	k.got = 0;
	k.stop_at = 0;
	rq.max_answer = 1000;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_TOOBIG);
	assert_true(k.got <= 1000);
	mb_httpc_free(c);
}

static void
test_redirects(void **state)
{
	struct mb_httpc		*c = lan_client(0);
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	char			 url[128];

	(void)state;
	url_of(url, sizeof(url), "127.0.0.1", "/redir");
	rq.url = url;
	/* Not followed by default: the 302 is the answer. */
	assert_int_equal(mb_httpc_do(c, &rq, &resp, NULL, &d), MB_OK);
	assert_int_equal(resp.status, 302);
	mb_httpc_resp_free(&resp);
	mb_httpc_free(c);
	c = lan_client(1);
	assert_int_equal(mb_httpc_do(c, &rq, &resp, NULL, &d), MB_OK);
	assert_int_equal(resp.status, 200);
	assert_memory_equal(resp.body.data, "hello", 5);
	assert_string_equal(resp.content_type, "text/plain; charset=utf-8");
	mb_httpc_resp_free(&resp);
	mb_httpc_free(c);
}

static void
test_post(void **state)
{
	struct mb_httpc		*c = lan_client(0);
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	char			 url[128];

	(void)state;
	url_of(url, sizeof(url), "127.0.0.1", "/echo");
	rq.method = "POST";
	rq.url = url;
	rq.content_type = "application/json";
	rq.body = "{\"q\":1}";
	rq.len = 7;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, NULL, &d), MB_OK);
	assert_int_equal(resp.status, 200);
	assert_string_equal(mb_buf_cstr(&resp.body),
	    "application/json|{\"q\":1}");
	mb_httpc_resp_free(&resp);
	rq.method = "DELETE";
	assert_int_equal(mb_httpc_do(c, &rq, &resp, NULL, &d), MB_ERR_INVAL);
	mb_httpc_free(c);
}

static void
test_timeout(void **state)
{
	struct mb_httpc		*c = lan_client(0);
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	enum mb_httpc_fail	 why;
	char			 url[128];

	(void)state;
	url_of(url, sizeof(url), "127.0.0.1", "/hang");
	rq.url = url;
	rq.timeout_ms = 300;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_TIMEOUT);
	mb_httpc_free(c);
}

/* The same failure reads the same each time (logged once per change). */
static void
test_stable_message(void **state)
{
	struct mb_httpc		*c = lan_client(0);
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d1 = { "" }, d2 = { "" };
	struct sockaddr_in	 sa;
	socklen_t		 sl = sizeof(sa);
	enum mb_httpc_fail	 why;
	char			 url[128];
	int			 fd;

	(void)state;
	/* A port nobody listens on: bound, then closed. */
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(sa.sin_port));
	rq.url = url;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d1), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_CONNECT);
	usleep(20000);
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d2), MB_ERR_NET);
	assert_string_equal(d1.msg, d2.msg);
	url_of(url, sizeof(url), "127.0.0.1", "/hang");
	rq.timeout_ms = 150;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d1), MB_ERR_NET);
	rq.timeout_ms = 250;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d2), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_TIMEOUT);
	assert_string_equal(d1.msg, d2.msg);
	mb_httpc_free(c);
}

static bool
always(void *arg)
{
	(void)arg;
	return true;
}

static void
test_cancel(void **state)
{
	struct mb_httpc_opts	 o = { .allow_private = true,
	    .cancelled = always };
	struct mb_httpc		*c;
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	enum mb_httpc_fail	 why;
	char			 url[128];

	(void)state;
	assert_int_equal(mb_httpc_new(&o, &c), MB_OK);
	url_of(url, sizeof(url), "127.0.0.1", "/hang");
	rq.url = url;
	rq.timeout_ms = 5000;
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_CANCELLED);
	mb_httpc_free(c);
}

/* Cancelled once the body has begun: *arg counts the pieces seen. */
static bool
after_first_piece(void *arg)
{
	return atomic_load((atomic_int *)arg) > 0;
}

static bool
count_piece(long status, const char *p, size_t len, void *arg)
{
	(void)status;
	(void)p;
	(void)len;
	atomic_fetch_add((atomic_int *)arg, 1);
	return true;
}

/*
 * A transfer on a shared line is paced to the line's rate, and a cancel
 * seen while a piece waits its turn stops the body there (no more
 * pieces taken).
 */
static void
test_line(void **state)
{
	struct mb_httpc_line	*l = mb_httpc_line_new();
	struct mb_httpc		*c = lan_client(0), *cc;
	struct mb_httpc_opts	 o = { .allow_private = true,
	    .cancelled = after_first_piece };
	struct mb_httpc_req	 rq = { 0 };
	struct mb_httpc_resp	 resp;
	struct mb_diag		 d = { "" };
	enum mb_httpc_fail	 why;
	atomic_int		 pieces = 0;
	char			 url[128];
	int64_t			 t0;

	(void)state;
	assert_non_null(l);
	url_of(url, sizeof(url), "127.0.0.1", "/big");
	rq.url = url;
	rq.max_recv_bytes_s = 500000;	/* 100,000 bytes: 0.2 s */
	rq.line = l;
	t0 = mb_time_mono_ms();
	assert_int_equal(mb_httpc_do(c, &rq, &resp, &why, &d), MB_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.body.len, 100000);
	assert_true(mb_time_mono_ms() - t0 >= 150);
	mb_httpc_resp_free(&resp);

	/* Cancelled after its first piece: no more are taken. */
	o.cancel_arg = &pieces;
	assert_int_equal(mb_httpc_new(&o, &cc), MB_OK);
	rq.max_recv_bytes_s = 20000;	/* a piece of 16 KB: most of a second */
	rq.on_body = count_piece;
	rq.body_arg = &pieces;
	assert_int_equal(mb_httpc_do(cc, &rq, &resp, &why, &d), MB_ERR_NET);
	assert_int_equal(why, MB_HTTPC_CANCELLED);
	assert_int_equal(atomic_load(&pieces), 1);
	mb_httpc_free(cc);
	mb_httpc_free(c);
	mb_httpc_line_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_public),
		cmocka_unit_test(test_guard_refuses_loopback),
		cmocka_unit_test(test_not_http),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_body_sink),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_post),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_stable_message),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_line),
	};

	mb_httpc_global_init();
	return cmocka_run_group_tests(tests, srv_up, srv_down);
}
