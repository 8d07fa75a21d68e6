/* SPDX-License-Identifier: MIT */
/* mediabridge campaign: add and list a center's campaigns, show one's reach. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "impact/campaign.h"
#include "impact/impact.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_campaign = {
	"campaign", "campaigns and their reach (impact figures)",
	"usage: mediabridge campaign add DIR --name NAME --utm VALUE\n"
	"           --starts YYYY-MM-DD [--ends YYYY-MM-DD] [--topics A,B]\n"
	"           [--items 'URI URI ...']\n"
	"       mediabridge campaign list DIR\n"
	"       mediabridge campaign show DIR ID\n\n"
	"add: a campaign groups the items it promotes and the links that\n"
	"carry its utm_campaign VALUE, for its dates (no --ends: open).\n"
	"list: one campaign a line: id, utm_campaign, dates, name.\n"
	"show: its reach before, during and after it (as many days before\n"
	"and after as it lasts), views and unique visitors by country and\n"
	"by language, every center known here.\n",
	run
};

static int
add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "utm", required_argument, NULL, 'u' },
		{ "starts", required_argument, NULL, 's' },
		{ "ends", required_argument, NULL, 'e' },
		{ "topics", required_argument, NULL, 't' },
		{ "items", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_campaign_args	 a;
	struct mb_campaign	 c;
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int64_t			 id = 0;
	int			 ch, rc;

	memset(&a, 0, sizeof(a));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n': a.name = optarg; break;
		case 'u': a.utm = optarg; break;
		case 's': a.starts = optarg; break;
		case 'e': a.ends = optarg; break;
		case 't': a.topics = optarg; break;
		case 'i': a.items = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_campaign, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_campaign, "give one DIR");
	if ((rc = mb_campaign_parse(&a, &c, &d)) != MB_OK)
		return mb_cli_fail("campaign add", &d, rc);
	if ((rc = mb_cli_open(argv[optind], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("campaign add", &d, rc);
	c.created_ms = mb_time_now_ms();
	rc = mb_store_campaign_add(st, &c, &id, &d);
	mb_cli_close(n, st);
	if (rc != MB_OK)
		return mb_cli_fail("campaign add", &d, rc);
	printf("campaign %lld: %s\n", (long long)id, c.utm);
	return MB_EXIT_OK;
}

static int
print_one(const struct mb_campaign *c, void *arg)
{
	(void)arg;
	printf("%lld %s %s..%s %s\n", (long long)c->id, c->utm, c->starts,
	    c->ends[0] != '\0' ? c->ends : "", c->name);
	return MB_OK;
}

static void
print_rows(const char *what, const struct mb_reach_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("  %s %s views=%lld uniques=%lld\n", what, rows[i].key,
		    (long long)rows[i].views, (long long)rows[i].uniques);
}

static int
show(struct mb_store *st, const char *ids, struct mb_diag *d)
{
	static const char *const names[MB_REACH__N] = { "before", "during",
		"after" };
	struct mb_reach_period	 reach[MB_REACH__N];
	struct mb_campaign	 c;
	char			 today[MB_IMPACT_DAY_LEN + 1], *end;
	long long		 id = strtoll(ids, &end, 10);
	int			 rc;

	if (*ids == '\0' || *end != '\0' || id <= 0)
		return mb_diag_set(d, MB_ERR_INVAL, "ID: a campaign's number");
	if ((rc = mb_store_campaign_get(st, id, &c, d)) != MB_OK)
		return rc;
	mb_impact_day(mb_time_now_ms(), today);
	if ((rc = mb_campaign_reach(st, &c, today, reach, d)) != MB_OK)
		return rc;
	print_one(&c, NULL);
	for (int i = 0; i < MB_REACH__N; i++) {
		if (reach[i].empty) {
			printf("%s %s..%s not begun\n", names[i],
			    reach[i].from, reach[i].to);
			continue;
		}
		printf("%s %s..%s views=%lld uniques=%lld\n", names[i],
		    reach[i].from, reach[i].to, (long long)reach[i].views,
		    (long long)reach[i].uniques);
		print_rows("country", reach[i].country, reach[i].ncountry);
		print_rows("language", reach[i].lang, reach[i].nlang);
	}
	return MB_OK;
}

/* What an unknown subcommand, or list or show with the wrong words, says. */
static const char wrong[] = "add, list DIR or show DIR ID";

/* list (id NULL) or show the campaign id, at the center in dir. */
static int
on_center(const char *what, const char *dir, const char *id)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int			 rc;

	if ((rc = mb_cli_open(dir, &n, &st, &d)) == MB_OK) {
		rc = id == NULL ? mb_store_campaign_list(st, print_one, NULL,
		    &d) : show(st, id, &d);
		mb_cli_close(n, st);
	}
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail(what, &d, rc);
}

static int
list(int argc, char **argv)
{
	if (argc != 2)
		return mb_cli_usage(&mb_cmd_campaign, "%s", wrong);
	return on_center("campaign list", argv[1], NULL);
}

static int
show_one(int argc, char **argv)
{
	if (argc != 3)
		return mb_cli_usage(&mb_cmd_campaign, "%s", wrong);
	return on_center("campaign show", argv[1], argv[2]);
}

static const struct mb_cli_sub subs[] = {
	{ "add", add },
	{ "list", list },
	{ "show", show_one },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_campaign,
		"give a subcommand", wrong, 0, subs };

	return mb_cli_dispatch(&t, argc, argv);
}
