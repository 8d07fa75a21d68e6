/* SPDX-License-Identifier: MIT */
/*
 * The branches' own events in the demo (HQ's conference is
 * demo_events.c): Cairo's Arabic verification workshop and Manama's
 * English open day for photographers, each written by the center's
 * editor through the newsroom, published, and opened for registration
 * (capacity, no questions) so that a reader can register on that
 * center's site. Runs before serve; only the dates change between runs
 * (a few days from today, so the events are always ahead).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "events/events.h"
#include "newsroom/items.h"
#include "store/store.h"

static const struct branch_event {
	const char	*center, *local, *lang, *title, *text, *place;
	int		 days, hour, hours;	/* from today, UTC */
	double		 lon, lat;
	int		 capacity;
} events[] = {
	{ "cairo", "demo-workshop", "ar", "ورشة التحقق من الصور في مركز "
	  "القاهرة", "ورشة عملية ليوم واحد للصحفيين الشباب حول التحقق من "
	  "الصور ومقاطع الفيديو قبل نشرها.", "القاهرة", 5, 7, 6, 31.2357,
	  30.0444, 40 },
	{ "manama", "demo-open-day", "en", "Open day for photographers at the "
	  "Manama center", "Portfolio reviews and a walk along the harbour "
	  "with the photographers of the exchange programme.", "Manama", 9, 5,
	  4, 50.5860, 26.2285, 25 },
};

static int
one(const char *dir, const struct branch_event *ev, char uri[MB_URI_MAX],
    struct mb_diag *d)
{
	struct mb_center_node	*n = NULL;
	struct mb_newsroom_env	 e;
	struct mb_events_env	 env;
	struct mb_ev_settings	 s;
	struct mb_nr_saved	 sv;
	struct mb_actor		 a;
	struct mb_user		 u;
	char			 from[32], to[32];
	time_t			 start = (time(NULL) / 86400 + ev->days) *
				    86400 + ev->hour * 3600;
	json_t			*item, *meta;
	int			 rc;

	memset(&e, 0, sizeof(e));
	memset(&sv, 0, sizeof(sv));
	snprintf(uri, MB_URI_MAX, "urn:mediabridge:%s:%s", ev->center,
	    ev->local);
	if ((rc = mb_demo_nr_open(dir, ev->center, &n, &e, d)) != MB_OK ||
	    (rc = mb_store_user_get(e.st, "editor", 0, &u, NULL, 0, d)) !=
	    MB_OK)
		goto out;
	a.user_id = u.id;
	a.name = "editor";
	a.role = MB_ROLE_EDITOR;
	mb_time_format((int64_t)start * 1000, from);
	mb_time_format((int64_t)(start + ev->hours * 3600) * 1000, to);
	item = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s}], s:[{s:s}], "
	    "s:{s:s, s:{s:s, s:s}, s:{s:s}}, s:[{s:s, s:{s:s, s:[f, f]}}]}",
	    "uri", uri, "type", "event", "profile", "event", "language",
	    ev->lang, "headlines", "value", ev->title, "descriptions", "value",
	    ev->text, "eventDetails", "eventStatus",
	    "http://cv.iptc.org/newscodes/eventstatus/scheduled", "dates",
	    "startDate", from, "endDate", to, "organiser", "name",
	    n->conf.name, "places", "name", ev->place, "geoJSON", "type",
	    "Point", "coordinates", ev->lon, ev->lat);
	meta = json_pack("{s:s}", "audience", "public");
	rc = mb_newsroom_create(&e, &a, item, meta, &sv, d);
	json_decref(meta);
	mb_nr_saved_free(&sv);
	if (rc != MB_OK || (rc = mb_newsroom_act(&e, &a, uri, MB_NR_PUBLISH,
	    NULL, 0, &sv, d)) != MB_OK)
		goto out;
	memset(&env, 0, sizeof(env));
	env.st = e.st;
	env.key = n->key;
	env.center = n->conf.id;
	env.site_url = n->conf.url;
	env.mail_from = "";
	memset(&s, 0, sizeof(s));
	snprintf(s.event, sizeof(s.event), "%s", uri);
	s.capacity = ev->capacity;
	snprintf(s.questions, sizeof(s.questions), "[]");
	rc = mb_event_configure(&env, NULL, &s, d);
out:
	mb_nr_saved_free(&sv);
	mb_demo_nr_close(n, &e);
	return rc;
}

int
mb_demo_branch_events(const char *dir, long port)
{
	struct mb_diag	d = { "" };
	char		uri[MB_URI_MAX];
	int		rc;

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if ((rc = one(dir, &events[i], uri, &d)) != MB_OK) {
			printf("  events: FAILED at %s: %s\n", events[i].center,
			    mb_diag_msg(&d, rc));
			return rc;
		}
	printf("  events: the branches' editors published their own, open "
	    "for registration:\n");
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		printf("    %-8s %s  http://127.0.0.1:%ld/%s/events/%s/%s\n",
		    events[i].center, events[i].lang, port + (i == 0 ? 1 : 2),
		    events[i].lang, events[i].center, events[i].local);
	return MB_OK;
}
