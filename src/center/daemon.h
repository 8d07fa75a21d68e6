/* SPDX-License-Identifier: MIT */
/* Telling the service manager (systemd) how a long-running command is. */
#ifndef MB_CENTER_DAEMON_H
#define MB_CENTER_DAEMON_H

#include <stdint.h>

/*
 * sd_notify(3) through libsystemd: each call is a no-op when the process
 * was not started by systemd with Type=notify (no $NOTIFY_SOCKET), or
 * when the build has no libsystemd. They are called from the main
 * process only (the unit says NotifyAccess=main).
 *
 *   ready      the service answers requests (status: a line for
 *              `systemctl status`)
 *   reloading  SIGHUP was received; ready follows when done
 *   stopping   shutting down
 *   watchdog   still alive; due every mb_daemon_watchdog_ms()
 */
void mb_daemon_ready(const char *status);
void mb_daemon_reloading(void);
void mb_daemon_stopping(void);
void mb_daemon_watchdog(void);

/*
 * How often to call mb_daemon_watchdog: half the unit's WatchdogSec,
 * or 0 when no watchdog is asked for.
 */
int64_t mb_daemon_watchdog_ms(void);

#endif
