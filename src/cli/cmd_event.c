/* SPDX-License-Identifier: MIT */
/* mediabridge event: an organiser's registration settings, attendees, revocations, certificates. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/fs.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "events/events.h"
#include "store/store.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_event = {
	"event", "an event's registration, attendees and certificates",
	"usage: mediabridge event settings DIR URI [--capacity N]\n"
	"                          [--deadline TIME|none]\n"
	"                          [--approval | --no-approval]\n"
	"                          [--confirm-hours H]\n"
	"                          [--question TEXT]... [--no-questions]\n"
	"       mediabridge event attendees DIR URI\n"
	"       mediabridge event revoked DIR URI [-o FILE]\n"
	"       mediabridge event certificate DIR REGISTRATION [-o FILE]\n\n"
	"settings opens the event URI (an item of this center whose profile is\n"
	"event) to registration: --capacity places (0: no limit), --deadline\n"
	"an RFC 3339 time (default: when it starts), --approval to decide on\n"
	"each registration, --confirm-hours to take up a place offered from\n"
	"the waitlist (0: at once), and the organiser's own questions; the\n"
	"options given change the current settings, the others stay.\n"
	"attendees prints the attendee list as CSV (personal data: it stays\n"
	"with the organiser). revoked prints the event's signed revocation\n"
	"list for offline check-in (`ticket verify --revoked`). certificate\n"
	"signs a certificate of attendance (Open Badges 3.0) for a\n"
	"registration that checked in, once the event is over.\n",
	run
};

static int
open_env(const char *dir, struct mb_center_node **n,
    struct mb_events_env *env, struct mb_diag *d)
{
	int rc;

	memset(env, 0, sizeof(*env));
	if ((rc = mb_center_open(dir, n, d)) != MB_OK)
		return rc;
	if ((rc = mb_center_store(*n, &env->st, d)) != MB_OK) {
		mb_center_close(*n);
		return rc;
	}
	env->key = (*n)->key;
	env->center = (*n)->conf.id;
	env->site_url = (*n)->conf.url;
	env->mail_from = (*n)->conf.mail_relay[0] != '\0' ?
	    (*n)->conf.mail_from : "";
	return MB_OK;
}

static void
close_env(struct mb_center_node *n, struct mb_events_env *env)
{
	mb_store_close(env->st);
	mb_center_close(n);
}

/*
 * The options given change the event's current settings and leave the
 * others as they are: a later --capacity alone reset approval, the
 * questions, the deadline and the time to confirm.
 */
static int
settings(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "capacity", required_argument, NULL, 'c' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "approval", no_argument, NULL, 'a' },
		{ "no-approval", no_argument, NULL, 'A' },
		{ "confirm-hours", required_argument, NULL, 'h' },
		{ "question", required_argument, NULL, 'q' },
		{ "no-questions", no_argument, NULL, 'Q' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_ev_settings	 s;
	struct mb_center_node	*n;
	struct mb_events_env	 env;
	struct mb_diag		 d = { "" };
	json_t			*qs = json_array();
	char			*end, *text;
	int64_t			 capacity = 0, deadline_ms = 0, hours = 0;
	bool			 set_capacity = false, set_deadline = false;
	bool			 set_hours = false, set_questions = false;
	int			 approval = -1, ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			capacity = strtoll(optarg, &end, 10);
			if (*end != '\0' || end == optarg)
				goto usage_capacity;
			set_capacity = true;
			break;
		case 'd':
			if (strcmp(optarg, "none") != 0 &&
			    mb_time_parse(optarg, &deadline_ms) != MB_OK)
				goto usage_deadline;
			set_deadline = true;
			break;
		case 'a':
		case 'A':
			approval = ch == 'a';
			break;
		case 'h':
			hours = strtoll(optarg, &end, 10);
			if (*end != '\0' || end == optarg)
				goto usage_hours;
			if (hours < 0 || hours > MB_EV_CONFIRM_HOURS_MAX)
				goto range_hours;
			set_hours = true;
			break;
		case 'q':
			json_array_append_new(qs, json_string(optarg));
			set_questions = true;
			break;
		case 'Q':
			json_array_clear(qs);
			set_questions = true;
			break;
		default:
			json_decref(qs);
			return mb_cli_usage(&mb_cmd_event, "bad option");
		}
	}
	if (argc - optind != 2) {
		json_decref(qs);
		return mb_cli_usage(&mb_cmd_event, "give DIR and URI");
	}
	text = json_dumps(qs, JSON_COMPACT);
	json_decref(qs);
	if (text == NULL || strlen(text) >= sizeof(s.questions)) {
		free(text);
		return mb_cli_usage(&mb_cmd_event, "--question: too long");
	}
	if (strlen(argv[optind + 1]) >= sizeof(s.event)) {
		free(text);
		return mb_cli_usage(&mb_cmd_event, "URI: too long");
	}
	if ((rc = open_env(argv[optind], &n, &env, &d)) != MB_OK) {
		free(text);
		return mb_cli_fail("event settings", &d, rc);
	}
	/* An event not yet open starts from none: no limit, no questions. */
	if ((rc = mb_store_ev_settings_get(env.st, argv[optind + 1], &s, &d))
	    == MB_ERR_NOTFOUND) {
		memset(&s, 0, sizeof(s));
		snprintf(s.questions, sizeof(s.questions), "[]");
		rc = MB_OK;
	}
	if (rc == MB_OK) {
		snprintf(s.event, sizeof(s.event), "%s", argv[optind + 1]);
		if (set_capacity)
			s.capacity = capacity;
		if (set_deadline)
			s.deadline_ms = deadline_ms;
		if (approval != -1)
			s.approval = approval == 1;
		if (set_hours)
			s.confirm_ms = hours * 3600000;
		if (set_questions)
			snprintf(s.questions, sizeof(s.questions), "%s", text);
		rc = mb_event_configure(&env, NULL, &s, &d);
	}
	free(text);
	close_env(n, &env);
	if (rc != MB_OK)
		return mb_cli_fail("event settings", &d, rc);
	return MB_EXIT_OK;
usage_capacity:
	json_decref(qs);
	return mb_cli_usage(&mb_cmd_event, "--capacity: not a number");
usage_deadline:
	json_decref(qs);
	return mb_cli_usage(&mb_cmd_event, "--deadline: not an RFC 3339 time "
	    "or none");
usage_hours:
	json_decref(qs);
	return mb_cli_usage(&mb_cmd_event, "--confirm-hours: not a number");
range_hours:
	json_decref(qs);
	return mb_cli_usage(&mb_cmd_event, "--confirm-hours: 0 to "
	    MB_EV_CONFIRM_HOURS_MAX_TEXT);
}

/* Writes b to output, or to standard output. */
static int
put(struct mb_buf *b, const char *output, struct mb_diag *d)
{
	if (output != NULL)
		return mb_fs_write_atomic(output, b->data, b->len, 0600, d);
	fwrite(b->data, 1, b->len, stdout);
	return MB_OK;
}

static int
listing(int argc, char **argv)
{
	const char		*what = argv[0];
	struct mb_center_node	*n;
	struct mb_events_env	 env;
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	const char		*output = NULL;
	char			 label[64];
	char			*cert = NULL;
	int			 ch, rc;

	snprintf(label, sizeof(label), "event %s", what);
	optind = 1;
	while ((ch = getopt(argc, argv, "o:")) != -1) {
		if (ch != 'o')
			return mb_cli_usage(&mb_cmd_event, "bad option");
		output = optarg;
	}
	if (argc - optind != 2)
		return mb_cli_usage(&mb_cmd_event, "give DIR and %s",
		    strcmp(what, "certificate") == 0 ? "REGISTRATION" : "URI");
	if ((rc = open_env(argv[optind], &n, &env, &d)) != MB_OK)
		return mb_cli_fail(label, &d, rc);
	if (strcmp(what, "attendees") == 0)
		rc = mb_event_csv(&env, NULL, argv[optind + 1], &b, &d);
	else if (strcmp(what, "revoked") == 0) {
		if ((rc = mb_event_revoked(&env, argv[optind + 1], &b, &d)) ==
		    MB_OK)
			rc = mb_buf_putc(&b, '\n');
	} else if ((rc = mb_event_certificate(&env, NULL, argv[optind + 1],
	    n->conf.name, &cert, &d)) == MB_OK) {
		rc = mb_buf_append(&b, cert, strlen(cert));
		free(cert);
	}
	close_env(n, &env);
	if (rc == MB_OK && b.data != NULL)
		rc = put(&b, output, &d);
	mb_buf_free(&b);
	if (rc != MB_OK)
		return mb_cli_fail(label, &d, rc);
	return MB_EXIT_OK;
}

static const struct mb_cli_sub subs[] = {
	{ "settings", settings },
	{ "attendees", listing },
	{ "revoked", listing },
	{ "certificate", listing },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_event,
		"settings, attendees, revoked or certificate?",
		"%s: unknown; settings, attendees, revoked or certificate?", 0,
		subs };

	return mb_cli_dispatch(&t, argc, argv);
}
