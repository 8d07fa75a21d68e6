/* SPDX-License-Identifier: MIT */
/* Writes Atom, JSON Feed 1.1 and iCalendar documents from item data. */
#include "feeds.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "base/xml.h"

/* ---- Atom ---- */

/*
 * Text and attribute values go through mb_xml_text() (base/xml.c, shared
 * with the NewsML-G2 writer): markup escaped, and what XML 1.0 cannot
 * carry dropped, as one U+FFFF in a headline made the whole feed
 * unreadable.
 */

static void
rfc3339(int64_t ms, char out[MB_TIME_RFC3339_LEN])
{
	/* Whole seconds: every consumer reads them. */
	mb_time_format(ms - ms % 1000, out);
}

static int
xml_elem(struct mb_buf *b, const char *name, const char *text)
{
	if (text == NULL)
		return MB_OK;
	mb_buf_printf(b, "<%s>", name);
	mb_xml_text(b, text);
	return mb_buf_printf(b, "</%s>", name);
}

static int64_t
feed_updated(const struct mb_feed *f)
{
	int64_t u = f->updated_ms;

	for (size_t i = 0; u == 0 && i < f->n; i++)
		if (f->entries[i].updated_ms > u)
			u = f->entries[i].updated_ms;
	return u != 0 ? u : 0;
}

int
mb_feed_atom(const struct mb_feed *f, struct mb_buf *b)
{
	char t[MB_TIME_RFC3339_LEN];

	mb_buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (f->language != NULL) {
		mb_buf_puts(b, " xml:lang=\"");
		mb_xml_text(b, f->language);
		mb_buf_putc(b, '"');
	}
	mb_buf_puts(b, ">\n");
	xml_elem(b, "id", f->id);
	mb_buf_puts(b, "<title type=\"text\">");
	mb_xml_text(b, f->title);
	mb_buf_puts(b, "</title>\n");
	rfc3339(feed_updated(f), t);
	mb_buf_printf(b, "<updated>%s</updated>\n", t);
	if (f->author != NULL) {
		mb_buf_puts(b, "<author>");
		xml_elem(b, "name", f->author);
		mb_buf_puts(b, "</author>\n");
	}
	if (f->self_url != NULL) {
		mb_buf_puts(b, "<link rel=\"self\" type=\"application/atom+xml\" "
		    "href=\"");
		mb_xml_text(b, f->self_url);
		mb_buf_puts(b, "\"/>\n");
	}
	if (f->home_url != NULL) {
		mb_buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" "
		    "href=\"");
		mb_xml_text(b, f->home_url);
		mb_buf_puts(b, "\"/>\n");
	}
	mb_buf_printf(b, "<generator uri=\"https://mediabridge.invalid/\" "
	    "version=\"%s\">mediabridge</generator>\n", "0.1");
	for (size_t i = 0; i < f->n; i++) {
		const struct mb_feed_entry *e = &f->entries[i];

		mb_buf_puts(b, "<entry");
		if (e->language != NULL) {
			mb_buf_puts(b, " xml:lang=\"");
			mb_xml_text(b, e->language);
			mb_buf_putc(b, '"');
		}
		mb_buf_puts(b, ">\n");
		xml_elem(b, "id", e->id);
		mb_buf_puts(b, "<title type=\"text\">");
		mb_xml_text(b, e->title != NULL ? e->title : "");
		mb_buf_puts(b, "</title>\n");
		rfc3339(e->updated_ms, t);
		mb_buf_printf(b, "<updated>%s</updated>\n", t);
		if (e->published_ms != 0) {
			rfc3339(e->published_ms, t);
			mb_buf_printf(b, "<published>%s</published>\n", t);
		}
		if (e->author != NULL) {
			mb_buf_puts(b, "<author>");
			xml_elem(b, "name", e->author);
			mb_buf_puts(b, "</author>\n");
		}
		if (e->url != NULL) {
			mb_buf_puts(b, "<link rel=\"alternate\" "
			    "type=\"text/html\" href=\"");
			mb_xml_text(b, e->url);
			mb_buf_puts(b, "\"/>\n");
		}
		for (size_t k = 0; k < e->ncategories; k++) {
			mb_buf_puts(b, "<category term=\"");
			mb_xml_text(b, e->categories[k]);
			mb_buf_puts(b, "\"/>\n");
		}
		if (e->summary != NULL) {
			mb_buf_puts(b, "<summary type=\"text\">");
			mb_xml_text(b, e->summary);
			mb_buf_puts(b, "</summary>\n");
		}
		if (e->content_html != NULL) {
			mb_buf_puts(b, "<content type=\"html\">");
			mb_xml_text(b, e->content_html);
			mb_buf_puts(b, "</content>\n");
		}
		mb_buf_puts(b, "</entry>\n");
	}
	return mb_buf_puts(b, "</feed>\n");
}

/* ---- JSON Feed 1.1 ---- */

static void
jset(json_t *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, k, json_string(v));
}

int
mb_feed_json(const struct mb_feed *f, struct mb_buf *b)
{
	json_t	*root = json_object(), *items = json_array(), *a;
	char	 t[MB_TIME_RFC3339_LEN], *s;
	int	 rc;

	if (root == NULL || items == NULL) {
		json_decref(root);
		json_decref(items);
		return MB_ERR_NOMEM;
	}
	jset(root, "version", "https://jsonfeed.org/version/1.1");
	jset(root, "title", f->title != NULL ? f->title : "");
	jset(root, "home_page_url", f->home_url);
	jset(root, "feed_url", f->self_url);
	jset(root, "language", f->language);
	if (f->author != NULL && (a = json_array()) != NULL) {
		json_array_append_new(a, json_pack("{s:s}", "name",
		    f->author));
		json_object_set_new(root, "authors", a);
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct mb_feed_entry	*e = &f->entries[i];
		json_t				*it = json_object();

		if (it == NULL)
			continue;
		jset(it, "id", e->id);
		jset(it, "url", e->url);
		jset(it, "title", e->title);
		jset(it, "summary", e->summary);
		if (e->content_html != NULL)
			jset(it, "content_html", e->content_html);
		else
			jset(it, "content_text", e->summary != NULL ?
			    e->summary : "");
		if (e->published_ms != 0) {
			rfc3339(e->published_ms, t);
			jset(it, "date_published", t);
		}
		rfc3339(e->updated_ms, t);
		jset(it, "date_modified", t);
		jset(it, "language", e->language);
		if (e->author != NULL && (a = json_array()) != NULL) {
			json_array_append_new(a, json_pack("{s:s}", "name",
			    e->author));
			json_object_set_new(it, "authors", a);
		}
		if (e->ncategories > 0 && (a = json_array()) != NULL) {
			for (size_t k = 0; k < e->ncategories; k++)
				json_array_append_new(a,
				    json_string(e->categories[k]));
			json_object_set_new(it, "tags", a);
		}
		json_array_append_new(items, it);
	}
	json_object_set_new(root, "items", items);
	s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL)
		return MB_ERR_NOMEM;
	rc = mb_buf_puts(b, s);
	free(s);
	return rc == MB_OK ? mb_buf_putc(b, '\n') : rc;
}

/* ---- iCalendar ---- */

/*
 * RFC 5545 TEXT (§3.3.11): a control other than HTAB (§3.1 CONTROL, DEL
 * too) has no place in it and is dropped; a line break becomes \\n.
 */
int
mb_ical_escape(struct mb_buf *out, const char *s)
{
	int rc = MB_OK;

	for (; s != NULL && *s != '\0' && rc == MB_OK; s++) {
		switch (*s) {
		case '\\': rc = mb_buf_puts(out, "\\\\"); break;
		case ';': rc = mb_buf_puts(out, "\\;"); break;
		case ',': rc = mb_buf_puts(out, "\\,"); break;
		case '\n': rc = mb_buf_puts(out, "\\n"); break;
		default:
			if (((unsigned char)*s < 0x20 && *s != '\t') ||
			    *s == 0x7f)
				break;
			rc = mb_buf_putc(out, *s);
		}
	}
	return rc;
}

/* Appends one content line, folded at 75 octets, ended by CRLF. */
static int
ical_line(struct mb_buf *b, const char *line)
{
	size_t	len = strlen(line), pos = 0, width = 75;
	int	rc = MB_OK;

	while (pos < len && rc == MB_OK) {
		size_t n = len - pos;

		if (n > width) {
			n = width;
			/* Back up to the start of a UTF-8 sequence. */
			while (n > 0 && ((unsigned char)line[pos + n] & 0xc0) ==
			    0x80)
				n--;
		}
		if (pos > 0)
			rc = mb_buf_putc(b, ' ');
		if (rc == MB_OK)
			rc = mb_buf_append(b, line + pos, n);
		if (rc == MB_OK)
			rc = mb_buf_puts(b, "\r\n");
		pos += n;
		width = 74;	/* the leading space counts */
	}
	return rc;
}

static void
ical_time(int64_t ms, char out[24])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y%m%dT%H%M%SZ", &tm);
}

static int
ical_prop(struct mb_buf *b, const char *name, const char *text, bool esc)
{
	struct mb_buf	l = MB_BUF_INIT;
	int		rc;

	mb_buf_puts(&l, name);
	mb_buf_putc(&l, ':');
	if (esc)
		mb_ical_escape(&l, text);
	else
		mb_buf_puts(&l, text);
	rc = l.data != NULL ? ical_line(b, l.data) : MB_ERR_NOMEM;
	mb_buf_free(&l);
	return rc;
}

int
mb_feed_ical(const struct mb_feed *f, int64_t now_ms, struct mb_buf *b)
{
	char t[24];

	ical_line(b, "BEGIN:VCALENDAR");
	ical_line(b, "VERSION:2.0");
	ical_line(b, "PRODID:-//mediabridge//mediabridge 0.1//EN");
	ical_line(b, "CALSCALE:GREGORIAN");
	if (f->title != NULL)
		ical_prop(b, "X-WR-CALNAME", f->title, true);
	for (size_t i = 0; i < f->n; i++) {
		const struct mb_feed_entry *e = &f->entries[i];

		if (e->ical != NULL) {
			mb_buf_puts(b, e->ical);
			continue;
		}
		if (e->start_ms == 0 || e->id == NULL)
			continue;
		ical_line(b, "BEGIN:VEVENT");
		ical_prop(b, "UID", e->id, true);
		ical_time(now_ms, t);
		ical_prop(b, "DTSTAMP", t, false);
		ical_time(e->start_ms, t);
		ical_prop(b, "DTSTART", t, false);
		if (e->end_ms > e->start_ms) {
			ical_time(e->end_ms, t);
			ical_prop(b, "DTEND", t, false);
		}
		if (e->updated_ms != 0) {
			ical_time(e->updated_ms, t);
			ical_prop(b, "LAST-MODIFIED", t, false);
		}
		ical_prop(b, "SUMMARY", e->title != NULL ? e->title : "",
		    true);
		if (e->summary != NULL)
			ical_prop(b, "DESCRIPTION", e->summary, true);
		if (e->location != NULL)
			ical_prop(b, "LOCATION", e->location, true);
		if (e->url != NULL)
			ical_prop(b, "URL", e->url, false);
		ical_line(b, "END:VEVENT");
	}
	return ical_line(b, "END:VCALENDAR");
}
