/* SPDX-License-Identifier: MIT */
/* sd_notify: readiness, reloading, stopping and the watchdog (daemon.h). */
#include "daemon.h"

#include <stdio.h>

#ifdef MB_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "base/log.h"

#ifdef MB_HAVE_SYSTEMD
static void
notify(const char *state)
{
	/* 0: keep $NOTIFY_SOCKET, so that a re-executed serve finds it. */
	if (sd_notify(0, state) < 0)
		log_warn("daemon: sd_notify failed: %s", state);
}
#else
static void
notify(const char *state)
{
	(void)state;
}
#endif

void
mb_daemon_ready(const char *status)
{
	char	msg[300];

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
