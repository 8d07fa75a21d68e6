/* SPDX-License-Identifier: MIT */
/*
 * The demo's members and agenda: members at each center, two network
 * proposals from Moscow (one an open poll, one secret) supported by
 * members at Cairo and Manama, their centers' signed tallies, and HQ's
 * result per center and in total (docs/members.md).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "members/agenda.h"
#include "members/members.h"

/* One center opened for the service: its node, store and signer. */
struct demo_env {
	struct mb_center_node	*n;
	struct mb_newsroom_env	 e;
};

static int
open_env(const char *dir, const char *id, struct demo_env *de,
    struct mb_diag *d)
{
	return mb_demo_nr_open(dir, id, &de->n, &de->e, d);
}

static void
close_env(struct demo_env *de)
{
	mb_demo_nr_close(de->n, &de->e);
	de->n = NULL;
}

/*
 * The keys of the centers a store knows are read when the signer is
 * made: after the registry has travelled, a fresh one verifies more.
 */
static int
reopen(const char *dir, struct demo_env *de, struct mb_diag *d)
{
	char id[40];

	snprintf(id, sizeof(id), "%s", de->e.center);
	close_env(de);
	return open_env(dir, id, de, d);
}

static int
add(struct demo_env *de, const char *name, const char *category,
    const char *country, const char *langs, const char *email,
    const char *bio_en, struct mb_member *m, struct mb_diag *d)
{
	struct mb_member_in	 in;
	json_t			*bio = json_pack("{s:s}", "en", bio_en);
	int			 rc;

	memset(&in, 0, sizeof(in));
	in.name = name;
	in.category = category;
	in.country = country;
	in.languages = langs;
	in.email = email;	/* internal: stays at home */
	in.bio = bio;
	in.audience = "public";
	rc = mb_members_add(&de->e, NULL, &in, m, d);
	json_decref(bio);
	return rc;
}

/*
 * Waits up to 30 s for a center to hold version 2 of uri: the admitted
 * one (the draft, version 1, never leaves its center).
 */
static bool
arrives(struct demo_env *de, const char *uri)
{
	bool has = false;

	for (int i = 0; i < 300 && !has; i++) {
		if (mb_store_has(de->e.st, uri, 2, &has, NULL) == MB_OK && has)
			break;
		mb_demo_nap(100);
	}
	return has;
}

static int
counted(const json_t *p)
{
	const json_t	*t;
	size_t		 i;
	int		 n = 0;

	json_array_foreach(json_object_get(p, "tallies"), i, t)
		n += strcmp(json_string_value(json_object_get(t, "status")),
		    "counted") == 0;
	return n;
}

static void
print_result(const json_t *p, int port)
{
	const json_t	*t, *total = json_object_get(p, "total");
	size_t		 i;
	char		 c[40], l[80];

	sscanf(json_string_value(json_object_get(p, "uri")),
	    "urn:mediabridge:%39[^:]:%79s", c, l);
	printf("  \"%s\" (%s poll, %s)\n",
	    json_string_value(json_object_get(p, "title")),
	    json_string_value(json_object_get(p, "poll")),
	    json_string_value(json_object_get(p, "state")));
	json_array_foreach(json_object_get(p, "tallies"), i, t)
		printf("    %-8s yes %lld  no %lld  voters %lld  signed tally "
		    "v%lld, %s\n",
		    json_string_value(json_object_get(t, "center")),
		    (long long)json_integer_value(json_object_get(t, "yes")),
		    (long long)json_integer_value(json_object_get(t, "no")),
		    (long long)json_integer_value(json_object_get(t,
		    "voters")),
		    (long long)json_integer_value(json_object_get(t,
		    "version")),
		    json_string_value(json_object_get(t, "status")));
	printf("    %-8s yes %lld  no %lld  voters %lld  (threshold %lld)\n"
	    "    at HQ (port %d): GET /api/v1/proposals/%s/%s\n", "total",
	    (long long)json_integer_value(json_object_get(total, "yes")),
	    (long long)json_integer_value(json_object_get(total, "no")),
	    (long long)json_integer_value(json_object_get(total, "voters")),
	    (long long)json_integer_value(json_object_get(p, "threshold")),
	    port, c, l);
}

int
mb_demo_members(const char *dir, int port)
{
	struct demo_env		 hq, cairo, manama;
	struct mb_member	 olga, zeinab, youssef, fatima;
	struct mb_proposal_in	 in;
	struct mb_diag		 d = { "" };
	enum mb_log_level	 level = mb_log_get_level();
	char			 p[2][MB_URI_MAX], closes[MB_TIME_RFC3339_LEN];
	json_t			*res = NULL;
	int			 rc;

	/* The service's log lines would drown the demo's own. */
	mb_log_set_level(MB_LOG_WARN);
	memset(&hq, 0, sizeof(hq));
	memset(&cairo, 0, sizeof(cairo));
	memset(&manama, 0, sizeof(manama));
	if ((rc = open_env(dir, "moscow", &hq, &d)) != MB_OK ||
	    (rc = open_env(dir, "cairo", &cairo, &d)) != MB_OK ||
	    (rc = open_env(dir, "manama", &manama, &d)) != MB_OK)
		goto out;
	if ((rc = add(&hq, "Olga Petrova", "journalist", "RU", "ru,en",
	    "olga@example.org", "Editor of a network of regional papers",
	    &olga, &d)) != MB_OK ||
	    (rc = add(&cairo, "Zeinab Haddad", "diplomat", "EG", "ar,en,fr",
	    "zeinab@example.org", "Former ambassador, water diplomacy",
	    &zeinab, &d)) != MB_OK ||
	    (rc = add(&cairo, "Youssef Kamel", "youth-representative", "EG",
	    "ar,en", "youssef@example.org", "Student union, Cairo University",
	    &youssef, &d)) != MB_OK ||
	    (rc = add(&manama, "Fatima Al-Khalifa", "academic", "BH", "ar,en",
	    "fatima@example.org", "Professor of media studies", &fatima,
	    &d)) != MB_OK)
		goto out;
	mb_time_format(mb_time_now_ms() + 30LL * 24 * 3600 * 1000, closes);
	memset(&in, 0, sizeof(in));
	in.language = "en";
	in.closes = closes;
	in.threshold = 3;
	in.event = "Network conference 2027";
	in.scope = "public";	/* readers see the result too */
	in.title = "Joint coverage of water security";
	in.text = "Every center covers its rivers and coasts for one week, "
	    "and the stories are exchanged in every language of the "
	    "network.";
	in.topics = "water,environment";
	in.poll = "open";
	if ((rc = mb_agenda_propose(&hq.e, &olga, &in, p[0], &d)) != MB_OK)
		goto out;
	in.title = "A youth media forum at the conference";
	in.text = "A day of the conference given to young journalists of "
	    "every center.";
	in.topics = "youth,media";
	in.poll = "secret";
	if ((rc = mb_agenda_propose(&hq.e, &olga, &in, p[1], &d)) != MB_OK ||
	    (rc = mb_agenda_admit(&hq.e, NULL, p[0], &d)) != MB_OK ||
	    (rc = mb_agenda_admit(&hq.e, NULL, p[1], &d)) != MB_OK)
		goto out;
	if (!arrives(&cairo, p[1]) || !arrives(&manama, p[1])) {
		rc = mb_diag_set(&d, MB_ERR_AGAIN, "the proposals did not "
		    "reach Cairo and Manama within 30 s");
		goto out;
	}
	/* Votes at home; the secret poll's tallies published after. */
	for (int i = 0; i < 2; i++)
		if ((rc = mb_agenda_vote(&cairo.e, &zeinab, p[i], "yes", NULL,
		    &d)) != MB_OK ||
		    (rc = mb_agenda_vote(&cairo.e, &youssef, p[i], i == 0 ?
		    "yes" : "no", NULL, &d)) != MB_OK ||
		    (rc = mb_agenda_vote(&manama.e, &fatima, p[i], "yes",
		    NULL, &d)) != MB_OK ||
		    (rc = mb_agenda_vote(&hq.e, &olga, p[i], "yes", NULL,
		    &d)) != MB_OK)
			goto out;
	if ((rc = mb_agenda_tally(&cairo.e, p[1], NULL, &d)) != MB_OK ||
	    (rc = mb_agenda_tally(&manama.e, p[1], NULL, &d)) != MB_OK ||
	    (rc = mb_agenda_tally(&hq.e, p[1], NULL, &d)) != MB_OK)
		goto out;
	printf("\n  members and the agenda (docs/members.md): members at "
	    "Cairo and Manama\n  voted at home on two network proposals "
	    "from Moscow; HQ sums the\n  centers' signed tallies:\n");
	for (int i = 0; i < 2; i++) {
		for (int k = 0; k < 300; k++) {
			json_decref(res);
			res = NULL;
			if (k % 20 == 0 && (rc = reopen(dir, &hq, &d)) != MB_OK)
				goto out;
			if ((rc = mb_agenda_get(&hq.e, NULL, p[i], &res, &d)) !=
			    MB_OK)
				goto out;
			if (counted(res) == 3)
				break;
			mb_demo_nap(100);
		}
		print_result(res, port);
	}
	rc = MB_OK;
out:
	if (rc != MB_OK)
		printf("  members: FAILED: %s\n", mb_diag_msg(&d, rc));
	json_decref(res);
	close_env(&hq);
	close_env(&cairo);
	close_env(&manama);
	mb_log_set_level(level);
	return rc;
}
