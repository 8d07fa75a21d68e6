/* SPDX-License-Identifier: MIT */
/*
 * mediabridge agenda propose|admit|vote|tally|close|answer|show|list|
 * comment|report|moderate: proposals, votes and signed tallies.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "members/agenda.h"
#include "members/members.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_agenda = {
	"agenda", "proposals, supports and votes, signed tallies",
	"usage: mediabridge agenda propose DIR --member M --title T --text T\n"
	"           --language L --closes DATE --threshold N [--topics A,B]\n"
	"           [--scope network|public|center] [--event NAME]\n"
	"           [--poll open|secret]\n"
	"       mediabridge agenda admit|close|tally DIR PROPOSAL\n"
	"       mediabridge agenda answer DIR PROPOSAL --text T\n"
	"       mediabridge agenda vote DIR PROPOSAL --member M\n"
	"           [--choice yes|no|abstain]\n"
	"       mediabridge agenda show DIR PROPOSAL [--json]\n"
	"       mediabridge agenda list DIR\n"
	"       mediabridge agenda comment DIR PROPOSAL --member M --text T\n"
	"       mediabridge agenda report DIR PROPOSAL|comment:ID --member M\n"
	"       mediabridge agenda moderate DIR PROPOSAL|comment:ID "
	"--hide|--show\n"
	"\n"
	"A member (M: an id, a profile uri or an account, of this center)\n"
	"drafts a proposal; propose prints its uri. admit opens it for\n"
	"support until DATE (RFC 3339); a network proposal travels, signed,\n"
	"to every center, whose members vote at home (public: readers see it\n"
	"and its result too). vote records one vote\n"
	"per member (yes, the default, is a support; a second vote is\n"
	"refused). In a secret poll (--poll secret) the ballot is kept\n"
	"without the member and without a time. tally publishes this\n"
	"center's signed count (counts only) of a network proposal, refused\n"
	"once it is closed; an open poll's tally follows each vote by\n"
	"itself. show prints the state,\n"
	"each center's tally (counted, or refused with the reason) and the\n"
	"total; close, at the proposal's own center, makes it accepted (on\n"
	"the agenda of its --event) when the supports reach the threshold,\n"
	"else rejected. Three reports hide a proposal or comment here until\n"
	"a moderator decides (moderate).\n",
	run
};

static void
print_json(const json_t *j, bool compact)
{
	char *s = json_dumps(j, compact ? JSON_COMPACT | JSON_SORT_KEYS :
	    JSON_INDENT(2) | JSON_SORT_KEYS);

	if (s != NULL)
		puts(s);
	free(s);
}

static int
print_line(const json_t *p, void *arg)
{
	(void)arg;
	printf("%s\t%s\t%s\t%s\n", json_string_value(json_object_get(p, "uri")),
	    json_string_value(json_object_get(p, "state")),
	    json_string_value(json_object_get(p, "scope")),
	    json_string_value(json_object_get(p, "title")));
	return MB_OK;
}

/* The human form of show: state, then one line per center, then total. */
static void
print_result(const json_t *p)
{
	const json_t	*t, *total = json_object_get(p, "total");
	size_t		 i;

	printf("%s\n  %s\n  state: %s", json_string_value(json_object_get(p,
	    "uri")), json_string_value(json_object_get(p, "title")),
	    json_string_value(json_object_get(p, "state")));
	if (json_object_get(p, "agenda") != NULL)
		printf(", on the agenda of %s",
		    json_string_value(json_object_get(p, "agenda")));
	printf("\n  poll: %s, closes %s, threshold %lld supports\n",
	    json_string_value(json_object_get(p, "poll")),
	    json_string_value(json_object_get(p, "closes")),
	    (long long)json_integer_value(json_object_get(p, "threshold")));
	json_array_foreach(json_object_get(p, "tallies"), i, t)
		printf("  %-12s yes %lld  no %lld  abstain %lld  voters %lld  "
		    "(v%lld) %s%s%s\n",
		    json_string_value(json_object_get(t, "center")),
		    (long long)json_integer_value(json_object_get(t, "yes")),
		    (long long)json_integer_value(json_object_get(t, "no")),
		    (long long)json_integer_value(json_object_get(t,
		    "abstain")),
		    (long long)json_integer_value(json_object_get(t,
		    "voters")),
		    (long long)json_integer_value(json_object_get(t,
		    "version")),
		    json_string_value(json_object_get(t, "status")),
		    json_object_get(t, "reason") != NULL ? ": " : "",
		    json_object_get(t, "reason") != NULL ? json_string_value(
		    json_object_get(t, "reason")) : "");
	printf("  %-12s yes %lld  no %lld  abstain %lld  voters %lld\n",
	    "total", (long long)json_integer_value(json_object_get(total,
	    "yes")), (long long)json_integer_value(json_object_get(total,
	    "no")), (long long)json_integer_value(json_object_get(total,
	    "abstain")), (long long)json_integer_value(json_object_get(total,
	    "voters")));
	if (json_object_get(p, "answer") != NULL)
		printf("  answer: %s\n", json_string_value(json_object_get(p,
		    "answer")));
}

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "member", required_argument, NULL, 'm' },
		{ "title", required_argument, NULL, 't' },
		{ "text", required_argument, NULL, 'T' },
		{ "language", required_argument, NULL, 'l' },
		{ "closes", required_argument, NULL, 'c' },
		{ "threshold", required_argument, NULL, 'n' },
		{ "topics", required_argument, NULL, 'o' },
		{ "scope", required_argument, NULL, 's' },
		{ "event", required_argument, NULL, 'e' },
		{ "poll", required_argument, NULL, 'p' },
		{ "choice", required_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' },
		{ "hide", no_argument, NULL, 'h' },
		{ "show", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const subs[] = { "propose", "admit", "close",
		"tally", "answer", "vote", "show", "list", "comment", "report",
		"moderate", NULL };
	struct mb_center_node	*n = NULL;
	struct mb_newsroom_env	 e;
	struct mb_proposal_in	 in;
	struct mb_member	 m;
	struct mb_diag		 d = { "" };
	json_t			*j = NULL;
	const char		*sub = argc > 1 ? argv[1] : "", *member = NULL;
	const char		*choice = "yes", *uri = NULL, *code = NULL;
	char			 made[MB_URI_MAX], *end;
	bool			 as_json = false, known = false, hidden;
	int			 ch, rc = MB_OK, want, mod = -1;

	memset(&in, 0, sizeof(in));
	memset(&e, 0, sizeof(e));
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm': member = optarg; break;
		case 't': in.title = optarg; break;
		case 'T': in.text = optarg; break;
		case 'l': in.language = optarg; break;
		case 'c': in.closes = optarg; break;
		case 'o': in.topics = optarg; break;
		case 's': in.scope = optarg; break;
		case 'e': in.event = optarg; break;
		case 'p': in.poll = optarg; break;
		case 'C': choice = optarg; break;
		case 'j': as_json = true; break;
		case 'h': mod = 1; break;
		case 'S': mod = 0; break;
		case 'n':
			in.threshold = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				return mb_cli_usage(&mb_cmd_agenda,
				    "--threshold: a number of supports");
			break;
		default:
			return mb_cli_usage(&mb_cmd_agenda, "bad option");
		}
	}
	for (int i = 0; subs[i] != NULL; i++)
		known = known || strcmp(sub, subs[i]) == 0;
	if (!known)
		return mb_cli_usage(&mb_cmd_agenda, "give propose, admit, "
		    "vote, tally, close, answer, show, list, comment, report or "
		    "moderate");
	want = strcmp(sub, "propose") == 0 || strcmp(sub, "list") == 0 ? 1 : 2;
	if (argc - optind != want)
		return mb_cli_usage(&mb_cmd_agenda, want == 1 ? "give %s DIR" :
		    "give %s DIR PROPOSAL", sub);
	if ((strcmp(sub, "propose") == 0 || strcmp(sub, "vote") == 0 ||
	    strcmp(sub, "comment") == 0 || strcmp(sub, "report") == 0) &&
	    member == NULL)
		return mb_cli_usage(&mb_cmd_agenda, "%s: give --member", sub);
	if ((strcmp(sub, "answer") == 0 || strcmp(sub, "comment") == 0) &&
	    in.text == NULL)
		return mb_cli_usage(&mb_cmd_agenda, "%s: give --text", sub);
	if (strcmp(sub, "moderate") == 0 && mod < 0)
		return mb_cli_usage(&mb_cmd_agenda, "moderate: give --hide or "
		    "--show");
	if (want == 2)
		uri = argv[optind + 1];
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &e.st, &d)) != MB_OK ||
	    (rc = mb_ingest_new(n, e.st, &e.ing, &d)) != MB_OK)
		goto out;
	e.center = n->conf.id;
	if (member != NULL && (rc = mb_members_find(&e, member, &m, &d)) !=
	    MB_OK)
		goto out;
	if (strcmp(sub, "propose") == 0) {
		if ((rc = mb_agenda_propose(&e, &m, &in, made, &d)) == MB_OK)
			printf("%s\n", made);
	} else if (strcmp(sub, "admit") == 0) {
		rc = mb_agenda_admit(&e, NULL, uri, &d);
	} else if (strcmp(sub, "close") == 0) {
		rc = mb_agenda_close(&e, NULL, uri, &d);
	} else if (strcmp(sub, "answer") == 0) {
		rc = mb_agenda_answer(&e, NULL, uri, in.text, &d);
	} else if (strcmp(sub, "tally") == 0) {
		int64_t v = 0;

		if ((rc = mb_agenda_tally(&e, uri, &v, &d)) == MB_OK)
			printf("tally version %lld\n", (long long)v);
	} else if (strcmp(sub, "vote") == 0) {
		rc = mb_agenda_vote(&e, &m, uri, choice, &code, &d);
	} else if (strcmp(sub, "show") == 0) {
		if ((rc = mb_agenda_get(&e, NULL, uri, &j, &d)) == MB_OK) {
			if (as_json)
				print_json(j, true);
			else
				print_result(j);
		}
	} else if (strcmp(sub, "list") == 0) {
		rc = mb_agenda_list(&e, NULL, print_line, NULL, &d);
	} else if (strcmp(sub, "comment") == 0) {
		int64_t id = 0;

		if ((rc = mb_agenda_comment(&e, &m, uri, in.text, &id, &d)) ==
		    MB_OK)
			printf("comment:%lld\n", (long long)id);
	} else if (strcmp(sub, "report") == 0) {
		if ((rc = mb_agenda_report(&e, &m, uri, &hidden, &d)) == MB_OK)
			printf("%s\n", hidden ? "hidden" : "reported");
	} else {
		rc = mb_agenda_moderate(&e, NULL, uri, mod == 1, &d);
	}
out:
	json_decref(j);
	mb_ingest_free(e.ing);
	mb_store_close(e.st);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("agenda", &d, rc);
}
