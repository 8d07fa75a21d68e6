/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/http/lanes.c: serve's acceptor hands each connection
 * to the request thread holding the fewest, and at the connection limit
 * stops accepting until one closes (clients wait in the backlog).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/err.h"
#include "http/server_int.h"

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	static char		 ok[] = "ok";
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;

	(void)cls; (void)url; (void)method; (void)version; (void)upload;
	(void)upload_size;
	/* The first call sees the headers; answer on the second. */
	if (*con_cls == NULL) {
		*con_cls = ok;
		return MHD_YES;
	}
	resp = MHD_create_response_from_buffer(2, ok, MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static int
listener(uint16_t *port)
{
	struct sockaddr_in	sa = { .sin_family = AF_INET };
	socklen_t		len = sizeof(sa);
	int			fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static int
client(uint16_t port)
{
	struct sockaddr_in	sa = { .sin_family = AF_INET };
	int			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void
ask(int fd)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

	assert_int_equal(write(fd, req, sizeof(req) - 1),
	    (ssize_t)sizeof(req) - 1);
}

/* 1: a whole answer came within wait_ms; 0: none did. */
static int
answered(int fd, int wait_ms)
{
	char		buf[1024];
	size_t		n = 0;
	struct pollfd	pf = { .fd = fd, .events = POLLIN };

	while (poll(&pf, 1, wait_ms) == 1) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);

		if (r <= 0)
			return 0;
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\nok") != NULL) {
			assert_memory_equal(buf, "HTTP/1.1 200", 12);
			return 1;
		}
	}
	return 0;
}

static const struct MHD_OptionItem no_opts[] = {
	{ MHD_OPTION_END, 0, NULL },
};

/* Waits (up to 5 s) until lane i holds n connections. */
static int
holds(struct mb_http_lanes *ls, unsigned i, int n)
{
	for (int t = 0; t < 500; t++) {
		if (mb_http_lanes_connections(ls, i) == n)
			return 1;
		usleep(10000);
	}
	return 0;
}

static void
test_spread_evenly(void **state)
{
	struct mb_http_lanes	*ls = NULL;
	struct mb_diag		 d = { "" };
	uint16_t		 port;
	int			 lfd = listener(&port), c[9];

	(void)state;
	assert_int_equal(mb_http_lanes_start(lfd, 3, 100, no_opts, answer,
	    NULL, &ls, &d), MB_OK);
	/* One at a time, so that none is in flight when the next comes. */
	for (int i = 0; i < 9; i++) {
		c[i] = client(port);
		ask(c[i]);
		assert_true(answered(c[i], 5000));
	}
	for (unsigned i = 0; i < 3; i++)
		assert_true(holds(ls, i, 3));
	assert_int_equal(mb_http_lanes_connections(ls, 3), -1);
	/*
	 * The first two went to threads 0 and 1 (all empty: the first
	 * wins); once they are gone, the next two fill their places.
	 */
	close(c[0]);
	close(c[1]);
	assert_true(holds(ls, 0, 2));
	assert_true(holds(ls, 1, 2));
	for (int i = 0; i < 2; i++) {
		c[i] = client(port);
		ask(c[i]);
		assert_true(answered(c[i], 5000));
	}
	for (unsigned i = 0; i < 3; i++)
		assert_true(holds(ls, i, 3));
	mb_http_lanes_stop(ls);
	for (int i = 0; i < 9; i++)
		close(c[i]);
	close(lfd);
}

static void
test_limit_waits_in_backlog(void **state)
{
	struct mb_http_lanes	*ls = NULL;
	struct mb_diag		 d = { "" };
	uint16_t		 port;
	int			 lfd = listener(&port), c[3], extra;

	(void)state;
	assert_int_equal(mb_http_lanes_start(lfd, 2, 3, no_opts, answer,
	    NULL, &ls, &d), MB_OK);
	for (int i = 0; i < 3; i++) {
		c[i] = client(port);
		ask(c[i]);
		assert_true(answered(c[i], 5000));
	}
	/* The fourth connects (the kernel's backlog) but is not served... */
	extra = client(port);
	ask(extra);
	assert_false(answered(extra, 300));
	/* ...until one of the three leaves; the others go on being served. */
	close(c[1]);
	assert_true(answered(extra, 5000));
	ask(c[0]);
	assert_true(answered(c[0], 5000));
	mb_http_lanes_stop(ls);
	close(c[0]);
	close(c[2]);
	close(extra);
	close(lfd);
}

static void
test_stop_before_any(void **state)
{
	struct mb_http_lanes	*ls = NULL;
	struct mb_diag		 d = { "" };
	uint16_t		 port;
	int			 lfd = listener(&port);

	(void)state;
	assert_int_equal(mb_http_lanes_start(lfd, 1, 10, no_opts, answer,
	    NULL, &ls, &d), MB_OK);
	mb_http_lanes_quiesce(ls);
	mb_http_lanes_quiesce(ls);	/* twice: nothing more */
	mb_http_lanes_stop(ls);
	mb_http_lanes_stop(NULL);
	close(lfd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread_evenly),
		cmocka_unit_test(test_limit_waits_in_backlog),
		cmocka_unit_test(test_stop_before_any),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
