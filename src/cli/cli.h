/* SPDX-License-Identifier: MIT */
/* The command line: one file per command, and what they share. */
#ifndef MB_CLI_CLI_H
#define MB_CLI_CLI_H

#include "base/err.h"

/* Exit codes (DESIGN §6). */
#define MB_EXIT_OK 0
#define MB_EXIT_FAIL 1
#define MB_EXIT_USAGE 2

struct mb_cli_cmd {
	const char	*name;
	const char	*summary;
	const char	*usage;	/* the full --help text */
	int		(*run)(int argc, char **argv);
};

/* One subcommand of a command (dispatch.c). */
struct mb_cli_sub {
	const char	*name;
	int		(*run)(int argc, char **argv);
};

/*
 * A command's subcommands, the list ended by a NULL name. run gets the
 * arguments from the subcommand's own word on (argv[0] is "add" in
 * `mediabridge feed add DIR`), or with whole_argv the command's (argv[0]
 * the command, argv[1] the subcommand). With no subcommand the usage
 * error says none; with one not listed, unknown, its first %s (if any)
 * standing for the word given.
 */
struct mb_cli_subs {
	const struct mb_cli_cmd	*cmd;
	const char		*none;
	const char		*unknown;
	int			 whole_argv;
	const struct mb_cli_sub	*subs;
};

/* Runs the subcommand argv[1] of t; a usage error if there is none such. */
int mb_cli_dispatch(const struct mb_cli_subs *t, int argc, char **argv);

/* Prints "mediabridge: <what>: <why>" on stderr; returns MB_EXIT_FAIL. */
int mb_cli_fail(const char *what, const struct mb_diag *d, int err);

/* Prints "mediabridge: <cmd>: <msg>" and the usage line; MB_EXIT_USAGE. */
int mb_cli_usage(const struct mb_cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* True when argv holds -h or --help (then the usage is printed). */
int mb_cli_wants_help(const struct mb_cli_cmd *cmd, int argc, char **argv);

/*
 * A packaged center (its configuration in /etc/mediabridge) made or
 * restored by root is handed to the mediabridge user the service runs
 * as; otherwise nothing is done (owner.c).
 */
int mb_cli_hand_over(const char *dir, struct mb_diag *d);

/*
 * Opens the center in dir and its store (center.c); on failure *n and
 * *st are NULL. mb_cli_close() closes both (either may be NULL).
 */
struct mb_center_node;
struct mb_store;
int mb_cli_open(const char *dir, struct mb_center_node **n,
    struct mb_store **st, struct mb_diag *d);
void mb_cli_close(struct mb_center_node *n, struct mb_store *st);


/* The demo's feed ingest in DIR/cairo (demo_feeds.c); MB_OK or why not. */
int mb_demo_feeds(const char *dir);
/*
 * The demo's impact figures (demo_impact.c): readers' views of uri (an
 * item of Cairo's) at the three centers (HQ at port), each center's
 * signed report, HQ's figures by center.
 */
int mb_demo_impact(const char *dir, int port, const char *uri);
/* The demo's course: HQ publishes, a learner at Cairo completes it. */
int mb_demo_courses(const char *dir, const char *samples, long port);
/*
 * The demo's event (demo_events.c): _mail, before the centers serve,
 * starts an SMTP server and makes it HQ's relay (MB_ERR_NOTFOUND: no
 * python3-aiosmtpd, no mail); then HQ publishes a conference, a reader
 * registers on HQ's site, and the ticket checks in offline.
 */
int mb_demo_events_mail(const char *dir);
int mb_demo_events(const char *dir, long port);

extern const struct mb_cli_cmd mb_cmd_init;
extern const struct mb_cli_cmd mb_cmd_bundle;
extern const struct mb_cli_cmd mb_cmd_dict;
extern const struct mb_cli_cmd mb_cmd_key;
extern const struct mb_cli_cmd mb_cmd_import;
extern const struct mb_cli_cmd mb_cmd_export;
extern const struct mb_cli_cmd mb_cmd_verify;
extern const struct mb_cli_cmd mb_cmd_search;
extern const struct mb_cli_cmd mb_cmd_center;
extern const struct mb_cli_cmd mb_cmd_peer;
extern const struct mb_cli_cmd mb_cmd_sync;
extern const struct mb_cli_cmd mb_cmd_serve;
extern const struct mb_cli_cmd mb_cmd_user;
extern const struct mb_cli_cmd mb_cmd_token;
extern const struct mb_cli_cmd mb_cmd_demo;
extern const struct mb_cli_cmd mb_cmd_gc;
extern const struct mb_cli_cmd mb_cmd_migrate;
extern const struct mb_cli_cmd mb_cmd_ticket;
extern const struct mb_cli_cmd mb_cmd_event;
extern const struct mb_cli_cmd mb_cmd_credential;
extern const struct mb_cli_cmd mb_cmd_engine;
extern const struct mb_cli_cmd mb_cmd_translate_text;
extern const struct mb_cli_cmd mb_cmd_translate;
extern const struct mb_cli_cmd mb_cmd_backup;
extern const struct mb_cli_cmd mb_cmd_restore;
extern const struct mb_cli_cmd mb_cmd_doctor;
extern const struct mb_cli_cmd mb_cmd_course;
extern const struct mb_cli_cmd mb_cmd_feed;
extern const struct mb_cli_cmd mb_cmd_campaign;
extern const struct mb_cli_cmd mb_cmd_member;
extern const struct mb_cli_cmd mb_cmd_agenda;

/*
 * The demo's members and agenda (demo_members.c), once the three
 * centers serve: port is HQ's.
 */
int mb_demo_members(const char *dir, int port);

/*
 * The demo's machine translation (demo_mt.c): _engines, before the
 * centers serve, starts Debian's apertium-apy (MB_ERR_NOTFOUND, said,
 * when it or apertium-eng-spa is not installed), makes it HQ's shared
 * engine and HQ Cairo's engine; then an English item of HQ's gets a
 * Spanish machine draft at Cairo, edited, published and shown labelled.
 */
int mb_demo_mt_engines(const char *dir, long hq_port);
/* HQ names the centers in other languages (demo_names.c). */
int mb_demo_center_names(const char *dir);
int mb_demo_mt(const char *dir, long port);

/*
 * The demo's illustrated stories (demo_pictures.c), before the centers
 * serve: at each center a story with a picture drawn by the demo
 * (caption, alt text, credit), translated by the translator into the
 * center's other languages, all published; prints their pages' URLs.
 */
int mb_demo_pictures(const char *dir, long port);

/*
 * The branches' own events (demo_branch_events.c), before serve: Cairo's
 * workshop and Manama's open day, published by their editors and open
 * for registration; prints their pages' URLs.
 */
int mb_demo_branch_events(const char *dir, long port);

#endif
