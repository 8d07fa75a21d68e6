/* SPDX-License-Identifier: MIT */
/* Unit tests for src/center/daemon.c: serve's worker sends its notifications through the signer parent, which passes on only the few it may. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "center/daemon.h"

static int sv[2];

static int
setup(void **state)
{
	(void)state;
	/* As in the worker: the calls go down a SOCK_SEQPACKET socket. */
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK,
	    0, sv), 0);
	mb_daemon_relay_to(sv[1]);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	mb_daemon_relay_to(-1);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

/* The next datagram on the parent's end, or "" when there is none. */
static const char *
next(void)
{
	static char	buf[1024];
	ssize_t		r = recv(sv[0], buf, sizeof(buf) - 1, 0);

	buf[r > 0 ? r : 0] = '\0';
	return buf;
}

static void
test_worker_sends_to_parent(void **state)
{
	(void)state;
	mb_daemon_ready("serving on 127.0.0.1:80");
	assert_string_equal(next(), "READY=1\nSTATUS=serving on 127.0.0.1:80");
	mb_daemon_watchdog();
	assert_string_equal(next(), "WATCHDOG=1");
	mb_daemon_stopping();
	assert_string_equal(next(), "STOPPING=1\nSTATUS=stopping");
	assert_string_equal(next(), "");
}

static void
test_parent_passes_on(void **state)
{
	static const char *const good[] = { "READY=1", "WATCHDOG=1",
		"RELOADING=1\nSTATUS=reloading the configuration",
		"STATUS=serving on [::1]:8080 — ok" };

	(void)state;
	/* Relayed as they came (here down the same socket again). */
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(mb_daemon_relay(good[i], strlen(good[i])), 0);
		assert_string_equal(next(), good[i]);
	}
}

static void
test_parent_refuses(void **state)
{
	static const char *const bad[] = { "", "MAINPID=1", "\n",
		"READY=1\nMAINPID=4242", "FDSTORE=1", "READY=2", "ready=1",
		"STATUS=a\x01z", "STATUS=a\nb", "ERRNO=0", "EXTEND_TIMEOUT_USEC=9",
		"WATCHDOG=trigger" };
	char	big[MB_DAEMON_MSG_MAX + 2];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (mb_daemon_relay(bad[i], strlen(bad[i])) != -1)
			fail_msg("relayed: %s", bad[i]);
		assert_string_equal(next(), "");
	}
	/* A NUL inside: not a line of printable text. */
	assert_int_equal(mb_daemon_relay("READY=1\0MAINPID=1", 17), -1);
	memcpy(big, "STATUS=", 7);
	memset(big + 7, 'x', sizeof(big) - 7);
	assert_int_equal(mb_daemon_relay(big, MB_DAEMON_MSG_MAX), 0);
	assert_int_equal(strlen(next()), MB_DAEMON_MSG_MAX);
	assert_int_equal(mb_daemon_relay(big, MB_DAEMON_MSG_MAX + 1), -1);
	assert_string_equal(next(), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_worker_sends_to_parent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_parent_passes_on, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parent_refuses, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
