/* SPDX-License-Identifier: MIT */
/*
 * The demo's impact figures (docs/impact.md): readers' views at the
 * three centers -- browsers on 127.0.0.1 reading the item that crossed
 * the network -- counted by each center's server, published by each as
 * its signed daily report, and added up in HQ's network view. A
 * campaign at Cairo shows its reach. Views go over real HTTP, as a
 * reader's would; nothing of the readers is kept.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "impact/campaign.h"
#include "impact/impact.h"
#include "newsroom/accounts.h"

static const char *const ids[3] = { "moscow", "cairo", "manama" };
static const char *const langs[3] = { "ru", "ar", "ar" };

/* Three browsers: three unique visitors where they read. */
static const char *const browsers[3] = {
	"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 "
	"Firefox/120.0",
	"Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like "
	"Gecko) Chrome/119.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Version/17.1 Safari/605.1.15",
};

/* Cairo's campaign for the item: its reach is on its newsroom page. */
static void
campaign(const char *dir, const char *uri)
{
	struct mb_campaign_args	 a;
	struct mb_campaign	 c;
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	char			 path[1200], today[MB_IMPACT_DAY_LEN + 1];
	int64_t			 id = 0;

	mb_impact_day(mb_time_now_ms(), today);
	memset(&a, 0, sizeof(a));
	a.name = "The Nile, open to the network";
	a.utm = "demo-nile";
	a.topics = "tourism,culture";
	a.items = uri;
	a.starts = today;
	snprintf(path, sizeof(path), "%s/cairo", dir);
	if (mb_campaign_parse(&a, &c, &d) == MB_OK &&
	    mb_center_open(path, &n, &d) == MB_OK &&
	    mb_center_store(n, &st, &d) == MB_OK) {
		c.created_ms = mb_time_now_ms();
		if (mb_store_campaign_add(st, &c, &id, &d) == MB_OK)
			printf("  impact: Cairo's campaign \"%s\" "
			    "(utm_campaign=%s): /newsroom/campaigns/%lld\n",
			    c.name, c.utm, (long long)id);
	}
	mb_store_close(st);
	mb_center_close(n);
}

/* views[i] of center i in HQ's figures by center; -1 when not there. */
static void
hq_figures(int port, const char *tok, int64_t views[3], int64_t uniques[3])
{
	struct mb_buf	 body = MB_BUF_INIT;
	json_t		*j = NULL, *row;
	size_t		 k;

	for (int i = 0; i < 3; i++)
		views[i] = uniques[i] = -1;
	(void)mb_demo_http(port, "POST", "/api/v1/stats/report", tok, NULL,
	    NULL, NULL, 10);
	if (mb_demo_http(port, "GET", "/api/v1/stats?by=center", tok, NULL,
	    NULL, &body, 10) != 200 ||
	    (j = json_loads(body.data != NULL ? body.data : "", 0, NULL)) ==
	    NULL)
		goto out;
	json_array_foreach(json_object_get(j, "rows"), k, row) {
		const char *c = json_string_value(json_object_get(row,
		    "center"));

		for (int i = 0; c != NULL && i < 3; i++)
			if (strcmp(c, ids[i]) == 0) {
				views[i] = json_integer_value(json_object_get(
				    row, "views"));
				uniques[i] = json_integer_value(
				    json_object_get(row, "uniques"));
			}
	}
out:
	json_decref(j);
	mb_buf_free(&body);
}

int
mb_demo_impact(const char *dir, int port, const char *uri)
{
	/* How many views each center's readers make: told apart at HQ. */
	static const int	 reads[3] = { 2, 5, 3 };
	char			 tok[3][MB_SECRET_TEXT_LEN], path[400];
	char			 hdr[600];
	const char		*local;
	struct mb_diag		 d = { "" };
	int64_t			 views[3], uniques[3];
	bool			 all = false;
	int			 rc;

	if (strncmp(uri, "urn:mediabridge:cairo:", 22) != 0)
		return MB_ERR_INVAL;
	local = uri + 22;
	for (int i = 0; i < 3; i++)
		if ((rc = mb_demo_token(dir, ids[i], "editor", tok[i],
		    &d)) != MB_OK) {
			printf("  impact: FAILED: %s\n", d.msg);
			return rc;
		}
	campaign(dir, uri);
	/*
	 * Readers at each center read Cairo's item there, in the center's
	 * first language; one of Cairo's came by the campaign's link.
	 */
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < reads[i]; k++) {
			snprintf(path, sizeof(path), "/%s/items/cairo/%s%s",
			    langs[i], local, i == 1 && k == 0 ?
			    "?utm_campaign=demo-nile&utm_source=newsletter"
			    : "");
			snprintf(hdr, sizeof(hdr), "User-Agent: %s\r\n"
			    "Referer: https://news.example.org/today\r\n",
			    browsers[k % 3]);
			if (mb_demo_http(port + i, "GET", path, NULL, hdr,
			    NULL, NULL, 10) != 200) {
				printf("  impact: FAILED: %s %s\n", ids[i],
				    path);
				return MB_ERR_NET;
			}
		}
		/* Flushed now, and published as the center's signed report. */
		if (mb_demo_http(port + i, "POST", "/api/v1/stats/report",
		    tok[i], NULL, NULL, NULL, 10) != 200) {
			printf("  impact: FAILED: %s's report\n", ids[i]);
			return MB_ERR_NET;
		}
	}
	printf("  impact: readers read Cairo's item at Moscow (%d views), "
	    "Cairo (%d), Manama (%d);\n          each center published its "
	    "signed report of the day\n", reads[0], reads[1], reads[2]);
	fflush(stdout);
	/* The reports travel through the exchange; HQ applies them. */
	for (int t = 0; t < 120 && !all; t++) {
		hq_figures(port, tok[0], views, uniques);
		all = true;
		for (int i = 0; i < 3; i++)
			if (views[i] < reads[i])
				all = false;
		if (!all)
			mb_demo_nap(500);
	}
	if (!all) {
		printf("  impact: FAILED: the reports did not reach HQ within "
		    "60 s\n");
		return MB_ERR_AGAIN;
	}
	printf("  impact: HQ's network view (/newsroom/impact/network) adds "
	    "up the signed reports:\n");
	for (int i = 0; i < 3; i++)
		printf("          %-7s %lld views, %lld unique visitors\n",
		    ids[i], (long long)views[i], (long long)uniques[i]);
	fflush(stdout);
	return MB_OK;
}
