/* SPDX-License-Identifier: MIT */
/* sd_notify: readiness, reloading, stopping and the watchdog (daemon.h). */
#include "daemon.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#ifdef MB_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "base/log.h"

/* serve's worker: where its notifications go instead (-1: systemd). */
static int relay_fd = -1;

static void
notify(const char *state)
{
	if (relay_fd >= 0) {
		/* One datagram per message; a gone parent is the end anyway. */
		(void)send(relay_fd, state, strlen(state), MSG_NOSIGNAL);
		return;
	}
#ifdef MB_HAVE_SYSTEMD
	/* 0: keep $NOTIFY_SOCKET, so that a re-executed serve finds it. */
	if (sd_notify(0, state) < 0)
		log_warn("daemon: sd_notify failed: %s", state);
#endif
}

void
mb_daemon_relay_to(int fd)
{
	relay_fd = fd;
}

/* A line the worker may have sent on: a known state, or a status. */
static bool
relay_line(const char *p, size_t n)
{
	static const char *const states[] = { "READY=1", "RELOADING=1",
		"STOPPING=1", "WATCHDOG=1" };

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (n == strlen(states[i]) && memcmp(p, states[i], n) == 0)
			return true;
	if (n < 7 || memcmp(p, "STATUS=", 7) != 0)
		return false;
	for (size_t i = 7; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] == 0x7f)
			return false;
	return true;
}

int
mb_daemon_relay(const char *msg, size_t len)
{
	char		 state[MB_DAEMON_MSG_MAX + 1];
	const char	*p = msg, *end = msg + len, *nl;

	if (len == 0 || len > MB_DAEMON_MSG_MAX)
		return -1;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (!relay_line(p, (size_t)(nl - p)))
			return -1;
	}
	memcpy(state, msg, len);
	state[len] = '\0';
	notify(state);
	return 0;
}

void
mb_daemon_ready(const char *status)
{
	char	msg[MB_DAEMON_MSG_MAX];

	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status != NULL ?
	    status : "serving");
	notify(msg);
}

void
mb_daemon_reloading(void)
{
	notify("RELOADING=1\nSTATUS=reloading the configuration");
}

void
mb_daemon_stopping(void)
{
	notify("STOPPING=1\nSTATUS=stopping");
}

void
mb_daemon_watchdog(void)
{
	notify("WATCHDOG=1");
}

int64_t
mb_daemon_watchdog_ms(void)
{
#ifdef MB_HAVE_SYSTEMD
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
		return (int64_t)(usec / 2000);
#endif
	return 0;
}
