/* SPDX-License-Identifier: MIT */
/*
 * An event for calendars and search engines: iCalendar (RFC 5545), one
 * VEVENT per session, and schema.org/Event as JSON-LD.
 */
#include "events/events_int.h"

#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/utf8.h"

/* A content line folded at 75 octets, never inside a UTF-8 sequence. */
static int
line(struct mb_buf *b, const char *s)
{
	size_t	n = strlen(s), col = 0;
	int	rc = MB_OK;

	for (size_t i = 0; i < n && rc == MB_OK;) {
		size_t k = 1;

		while (i + k < n && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k++;
		if (col + k > 75) {
			rc = mb_buf_append(b, "\r\n ", 3);
			col = 1;
		}
		if (rc == MB_OK)
			rc = mb_buf_append(b, s + i, k);
		col += k;
		i += k;
	}
	return rc == MB_OK ? mb_buf_append(b, "\r\n", 2) : rc;
}

/*
 * NAME:text with TEXT escaping (RFC 5545 §3.3.11): \\ ; , escaped, a
 * line break as \\n, and the controls TEXT has no room for dropped
 * (§3.1 CONTROL: all but HTAB, DEL among them; TSAFE-CHAR allows WSP,
 * so a TAB stays). A BEL in a headline made the file one a strict
 * reader refuses.
 */
static int
prop(struct mb_buf *b, const char *name, const char *text)
{
	struct mb_buf	l = MB_BUF_INIT;
	int		rc;

	mb_buf_printf(&l, "%s:", name);
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\\' || c == ';' || c == ',')
			mb_buf_printf(&l, "\\%c", c);
		else if (c == '\n')
			mb_buf_printf(&l, "\\n");
		else if ((c >= 0x20 && c != 0x7f) || c == '\t')
			mb_buf_append(&l, p, 1);
	}
	rc = l.data != NULL ? line(b, l.data) : MB_ERR_NOMEM;
	mb_buf_free(&l);
	return rc;
}

static void
ical_time(int64_t ms, char out[24])
{
	char iso[MB_TIME_RFC3339_LEN];
	int  j = 0;

	/* 2026-12-05T08:30:00.000Z -> 20261205T083000Z */
	mb_time_format(ms, iso);
	for (int i = 0; iso[i] != '\0' && iso[i] != '.' && j < 22; i++)
		if (iso[i] != '-' && iso[i] != ':' && iso[i] != 'Z')
			out[j++] = iso[i];
	out[j++] = 'Z';
	out[j] = '\0';
}

static int
vevent(struct mb_buf *b, const struct mb_event *e, const char *uid,
    const char *title, int64_t start, int64_t end, const char *where,
    const char *desc, const char *url, int64_t now_ms)
{
	char t[24];

	line(b, "BEGIN:VEVENT");
	prop(b, "UID", uid);
	ical_time(now_ms, t);
	prop(b, "DTSTAMP", t);
	ical_time(start, t);
	prop(b, "DTSTART", t);
	if (end > start) {
		ical_time(end, t);
		prop(b, "DTEND", t);
	}
	mb_buf_printf(b, "SEQUENCE:%lld\r\n", (long long)(e->version > 0 ?
	    e->version - 1 : 0));
	line(b, strcmp(e->status, "canceled") == 0 ? "STATUS:CANCELLED" :
	    strcmp(e->status, "postponed") == 0 ? "STATUS:TENTATIVE" :
	    "STATUS:CONFIRMED");
	if (e->repeat.freq != NULL) {
		struct mb_buf r = MB_BUF_INIT;

		mb_buf_printf(&r, "RRULE:FREQ=%s", e->repeat.freq);
		if (e->repeat.interval > 1)
			mb_buf_printf(&r, ";INTERVAL=%d", e->repeat.interval);
		if (e->repeat.count > 0)
			mb_buf_printf(&r, ";COUNT=%d", e->repeat.count);
		if (e->repeat.until_ms != 0) {
			/* DTSTART is UTC, so UNTIL is too (§3.3.10). */
			ical_time(e->repeat.until_ms, t);
			mb_buf_printf(&r, ";UNTIL=%s", t);
		}
		line(b, mb_buf_cstr(&r));
		mb_buf_free(&r);
	}
	if (e->updated_ms != 0) {
		ical_time(e->updated_ms, t);
		prop(b, "LAST-MODIFIED", t);
	}
	prop(b, "SUMMARY", title != NULL ? title : "");
	if (desc != NULL && desc[0] != '\0')
		prop(b, "DESCRIPTION", desc);
	if (where != NULL && where[0] != '\0')
		prop(b, "LOCATION", where);
	if (e->has_geo) {
		char g[64];

		snprintf(g, sizeof(g), "GEO:%.6f;%.6f", e->lat, e->lon);
		line(b, g);
	}
	if (url != NULL && url[0] != '\0') {
		/* A URI value, not TEXT: folded like any line (§3.1). */
		struct mb_buf u = MB_BUF_INIT;

		mb_buf_printf(&u, "URL:%s", url);
		line(b, mb_buf_cstr(&u));
		mb_buf_free(&u);
	}
	return line(b, "END:VEVENT");
}

int
mb_event_ical_vevents(const struct mb_event *e, const char *url,
    int64_t now_ms, struct mb_buf *out)
{
	char uid[MB_EV_URI_MAX + 80];

	if (e->nsessions == 0 && e->start_ms != 0)
		vevent(out, e, e->uri, e->title, e->start_ms, e->end_ms,
		    e->place, e->summary, url, now_ms);
	for (int i = 0; i < e->nsessions; i++) {
		const struct mb_ev_session	*s = &e->sessions[i];
		struct mb_buf			 where = MB_BUF_INIT;
		struct mb_buf			 desc = MB_BUF_INIT;

		snprintf(uid, sizeof(uid), "%s/%s", e->uri, s->id != NULL ?
		    s->id : "session");
		if (s->room != NULL)
			mb_buf_printf(&where, "%s", s->room);
		if (e->place != NULL)
			mb_buf_printf(&where, "%s%s", s->room != NULL ? ", " :
			    "", e->place);
		for (int k = 0; k < s->nspeakers; k++)
			mb_buf_printf(&desc, "%s%s", k == 0 ? "Speakers: " :
			    ", ", s->speakers[k].name);
		if (s->language != NULL)
			mb_buf_printf(&desc, "%sLanguage: %s",
			    desc.len ? "\n" : "", s->language);
		vevent(out, e, uid, s->title, s->start_ms, s->end_ms,
		    mb_buf_cstr(&where), mb_buf_cstr(&desc), url, now_ms);
		mb_buf_free(&where);
		mb_buf_free(&desc);
	}
	return out->data != NULL || out->len == 0 ? MB_OK : MB_ERR_NOMEM;
}

int
mb_event_ical(const struct mb_event *e, const char *url, int64_t now_ms,
    struct mb_buf *out)
{
	line(out, "BEGIN:VCALENDAR");
	line(out, "VERSION:2.0");
	line(out, "PRODID:-//mediabridge//mediabridge events//EN");
	line(out, "CALSCALE:GREGORIAN");
	if (strcmp(e->status, "canceled") == 0)
		line(out, "METHOD:PUBLISH");
	if (e->title != NULL)
		prop(out, "X-WR-CALNAME", e->title);
	mb_event_ical_vevents(e, url, now_ms, out);
	line(out, "END:VCALENDAR");
	return out->data != NULL ? MB_OK : MB_ERR_NOMEM;
}

static const char *
schema_status(const char *s)
{
	if (strcmp(s, "canceled") == 0)
		return "https://schema.org/EventCancelled";
	if (strcmp(s, "postponed") == 0)
		return "https://schema.org/EventPostponed";
	if (strcmp(s, "rescheduled") == 0)
		return "https://schema.org/EventRescheduled";
	return "https://schema.org/EventScheduled";
}

static json_t *
iso(int64_t ms)
{
	char t[MB_TIME_RFC3339_LEN];

	mb_time_format(ms, t);
	return json_string(t);
}

int
mb_event_jsonld(const struct mb_event *e, const char *url,
    const struct mb_ev_counts *c, const struct mb_ev_settings *s,
    struct mb_buf *out)
{
	json_t	*ld = json_object(), *sub = json_array(), *loc;
	char	*text;
	int	 rc = MB_OK;

	json_object_set_new(ld, "@context", json_string("https://schema.org"));
	json_object_set_new(ld, "@type", json_string("Event"));
	json_object_set_new(ld, "@id", json_string(e->uri));
	json_object_set_new(ld, "name", json_string(e->title != NULL ?
	    e->title : e->uri));
	if (e->summary != NULL)
		json_object_set_new(ld, "description",
		    json_string(e->summary));
	if (url != NULL)
		json_object_set_new(ld, "url", json_string(url));
	if (e->start_ms != 0)
		json_object_set_new(ld, "startDate", iso(e->start_ms));
	if (e->end_ms != 0)
		json_object_set_new(ld, "endDate", iso(e->end_ms));
	json_object_set_new(ld, "eventStatus",
	    json_string(schema_status(e->status)));
	json_object_set_new(ld, "eventAttendanceMode", json_string(
	    "https://schema.org/OfflineEventAttendanceMode"));
	if (e->language != NULL)
		json_object_set_new(ld, "inLanguage",
		    json_string(e->language));
	if (e->place != NULL) {
		loc = json_pack("{s:s, s:s}", "@type", "Place", "name",
		    e->place);
		if (e->has_geo)
			json_object_set_new(loc, "geo", json_pack("{s:s, s:f, "
			    "s:f}", "@type", "GeoCoordinates", "latitude",
			    e->lat, "longitude", e->lon));
		json_object_set_new(ld, "location", loc);
	}
	if (e->repeat.freq != NULL) {
		/* schema.org/Schedule: the period as an ISO 8601 duration. */
		static const char *const per[][3] = {
			{ "SECONDLY", "PT", "S" }, { "MINUTELY", "PT", "M" },
			{ "HOURLY", "PT", "H" }, { "DAILY", "P", "D" },
			{ "WEEKLY", "P", "W" }, { "MONTHLY", "P", "M" },
			{ "YEARLY", "P", "Y" },
		};
		json_t	*sc = json_pack("{s:s}", "@type", "Schedule");
		char	 dur[32] = "";

		for (size_t i = 0; i < sizeof(per) / sizeof(per[0]); i++)
			if (strcmp(e->repeat.freq, per[i][0]) == 0)
				snprintf(dur, sizeof(dur), "%s%d%s",
				    per[i][1], e->repeat.interval, per[i][2]);
		json_object_set_new(sc, "repeatFrequency", json_string(dur));
		if (e->start_ms != 0)
			json_object_set_new(sc, "startDate", iso(e->start_ms));
		if (e->repeat.count > 0)
			json_object_set_new(sc, "repeatCount",
			    json_integer(e->repeat.count));
		if (e->repeat.until_ms != 0)
			json_object_set_new(sc, "endDate",
			    iso(e->repeat.until_ms));
		json_object_set_new(ld, "eventSchedule", sc);
	}
	if (e->organiser != NULL)
		json_object_set_new(ld, "organizer", json_pack("{s:s, s:s}",
		    "@type", "Organization", "name", e->organiser));
	if (s != NULL && c != NULL && s->capacity > 0) {
		int64_t left = s->capacity - c->complete - c->pending;

		json_object_set_new(ld, "maximumAttendeeCapacity",
		    json_integer(s->capacity));
		json_object_set_new(ld, "remainingAttendeeCapacity",
		    json_integer(left > 0 ? left : 0));
	}
	for (int i = 0; i < e->nsessions; i++) {
		const struct mb_ev_session	*ss = &e->sessions[i];
		json_t				*j, *sp = json_array();

		j = json_pack("{s:s, s:s, s:o}", "@type", "Event", "name",
		    ss->title, "startDate", iso(ss->start_ms));
		if (ss->end_ms != 0)
			json_object_set_new(j, "endDate", iso(ss->end_ms));
		if (ss->language != NULL)
			json_object_set_new(j, "inLanguage",
			    json_string(ss->language));
		if (ss->room != NULL)
			json_object_set_new(j, "location", json_pack("{s:s, "
			    "s:s}", "@type", "Place", "name", ss->room));
		for (int k = 0; k < ss->nspeakers; k++) {
			json_t *p = json_pack("{s:s, s:s}", "@type", "Person",
			    "name", ss->speakers[k].name);

			if (ss->speakers[k].uri != NULL)
				json_object_set_new(p, "@id",
				    json_string(ss->speakers[k].uri));
			json_array_append_new(sp, p);
		}
		if (json_array_size(sp) > 0)
			json_object_set_new(j, "performer", sp);
		else
			json_decref(sp);
		json_array_append_new(sub, j);
	}
	if (json_array_size(sub) > 0)
		json_object_set(ld, "subEvent", sub);
	json_decref(sub);
	/* Inside <script>: no "</" may close it, so "<" is written \u003c. */
	if ((text = json_dumps(ld, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		rc = MB_ERR_NOMEM;
	for (char *p = text; rc == MB_OK && *p; p++)
		rc = *p == '<' ? mb_buf_append(out, "\\u003c", 6) :
		    *p == '>' ? mb_buf_append(out, "\\u003e", 6) :
		    *p == '&' ? mb_buf_append(out, "\\u0026", 6) :
		    mb_buf_append(out, p, 1);
	free(text);
	json_decref(ld);
	return rc;
}
