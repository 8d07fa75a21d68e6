/* SPDX-License-Identifier: MIT */
/* mediabridge search: what the site's search finds, from the command line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "text/highlight.h"
#include "text/query.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_search = {
	"search", "search the items as the site does",
	"usage: mediabridge search DIR QUERY [--lang L] [--json] [--limit N]\n"
	"    [--offset N] [--type T] [--profile P] [--center C] [--topic T]\n"
	"    [--country CC] [--in L] [--prefer L] [--network | --all]\n\n"
	"Prints what the site's search finds for QUERY, best first: one hit a\n"
	"line, the item's uri, a tab, its headline. QUERY is what a reader\n"
	"types: words, \"a phrase\", a OR b, -word, word*.\n\n"
	"  --lang L      the query's language (stems its words so); default:\n"
	"                guessed from the script, else every language\n"
	"  --json        the hits as JSON, one object: hits with snippets\n"
	"                (HTML, hits in <mark>), scores, and counts\n"
	"  --limit N     hits to print, 1-100 (default 20)\n"
	"  --offset N    skip the first N hits (pages)\n"
	"  --type, --profile, --center, --topic, --country, --in (language)\n"
	"                only items so\n"
	"  --prefer L    show a hit's translation in L when there is one\n"
	"  --network     what member centers see (public and network items)\n"
	"  --all         everything: drafts, withheld, embargoed, internal\n",
	run
};

struct out {
	json_t	*hits;		/* --json: the array, else NULL */
	long	 n;
};

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static int
on_hit(const struct mb_store_search_hit *h, void *arg)
{
	struct out	*o = arg;
	struct mb_buf	 b = MB_BUF_INIT, s = MB_BUF_INIT;
	json_t		*j;
	int		 rc;

	o->n++;
	if (o->hits == NULL) {
		/* A headline is one line: no tabs or newlines in it. */
		if ((rc = mb_text_marks_strip(h->headline,
		    strlen(h->headline), &b)) != MB_OK)
			return rc;
		for (size_t i = 0; i < b.len; i++)
			if (b.data[i] == '\t' || b.data[i] == '\n')
				b.data[i] = ' ';
		printf("%s\t%s\n", h->uri, mb_buf_cstr(&b));
		mb_buf_free(&b);
		return MB_OK;
	}
	if ((rc = mb_text_marks_to_html(h->headline_marked,
	    strlen(h->headline_marked), &b)) != MB_OK ||
	    (rc = mb_text_marks_to_html(h->snippet, strlen(h->snippet),
	    &s)) != MB_OK)
		goto out;
	/* json_pack "o" steals the references it is given. */
	j = json_pack("{s:s, s:I, s:o, s:o, s:o, s:s, s:s, s:s, s:I, "
	    "s:f, s:f, s:o}",
	    "uri", h->uri, "version", (json_int_t)h->version,
	    "language", str_or_null(h->language),
	    "type", str_or_null(h->type),
	    "profile", str_or_null(h->profile),
	    "headline", h->headline,
	    "headline_html", mb_buf_cstr(&b),
	    "snippet_html", mb_buf_cstr(&s),
	    "first_ms", (json_int_t)h->first_ms,
	    "score", h->score, "bm25", h->bm25,
	    "translation_of_hit", str_or_null(h->matched_uri));
	rc = j != NULL && json_array_append_new(o->hits, j) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
out:
	mb_buf_free(&b);
	mb_buf_free(&s);
	return rc;
}

static int
int_arg(const char *s, int lo, int hi, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int
run(int argc, char **argv)
{
	struct mb_store_search_query	 q;
	struct mb_store_search_result	 r = { 0, false, 0, false };
	struct mb_center_node		*n = NULL;
	struct mb_store			*st = NULL;
	struct mb_buf			 m = MB_BUF_INIT;
	struct mb_diag			 d = { "" };
	struct out			 o = { NULL, 0 };
	const char			*dir = NULL, *text = NULL, *lang = NULL;
	int				 json = 0, rc, ex = MB_EXIT_FAIL;

	if (mb_cli_wants_help(&mb_cmd_search, argc, argv))
		return MB_EXIT_OK;
	memset(&q, 0, sizeof(q));
	q.limit = 20;
	q.audiences = MB_AUD_PUBLIC;
	for (int i = 1; i < argc; i++) {
		const char	*a = argv[i];
		const char	*v = i + 1 < argc ? argv[i + 1] : NULL;
		const char	**dst = NULL;

		if (strcmp(a, "--json") == 0) {
			json = 1;
			continue;
		} else if (strcmp(a, "--all") == 0) {
			q.all = true;
			continue;
		} else if (strcmp(a, "--network") == 0) {
			q.audiences = MB_AUD_PUBLIC | MB_AUD_NETWORK;
			continue;
		} else if (strcmp(a, "--limit") == 0 || strcmp(a,
		    "--offset") == 0) {
			int lo = a[2] == 'l' ? 1 : 0;
			int hi = a[2] == 'l' ? MB_STORE_SEARCH_MAX_LIMIT :
			    MB_STORE_SEARCH_CANDIDATES - 1;

			if (v == NULL || int_arg(v, lo, hi, a[2] == 'l' ?
			    &q.limit : &q.offset) != 0)
				return mb_cli_usage(&mb_cmd_search,
				    "%s takes a number from %d to %d", a, lo,
				    hi);
			i++;
			continue;
		}
		if (strcmp(a, "--lang") == 0)
			dst = &lang;
		else if (strcmp(a, "--type") == 0)
			dst = &q.type;
		else if (strcmp(a, "--profile") == 0)
			dst = &q.profile;
		else if (strcmp(a, "--center") == 0)
			dst = &q.center;
		else if (strcmp(a, "--topic") == 0)
			dst = &q.topic;
		else if (strcmp(a, "--country") == 0)
			dst = &q.country;
		else if (strcmp(a, "--in") == 0)
			dst = &q.language;
		else if (strcmp(a, "--prefer") == 0)
			dst = &q.prefer_language;
		if (dst != NULL) {
			if (v == NULL)
				return mb_cli_usage(&mb_cmd_search,
				    "%s needs a value", a);
			*dst = v;
			i++;
		} else if (a[0] == '-' && a[1] == '-') {
			return mb_cli_usage(&mb_cmd_search, "unknown option %s",
			    a);
		} else if (dir == NULL) {
			dir = a;
		} else if (text == NULL) {
			text = a;
		} else {
			return mb_cli_usage(&mb_cmd_search,
			    "give one DIR and one QUERY (quote the query)");
		}
	}
	if (dir == NULL || text == NULL)
		return mb_cli_usage(&mb_cmd_search, "give a DIR and a QUERY");
	if (lang == NULL)
		lang = mb_text_detect_query_lang(text, strlen(text));
	if ((rc = mb_text_query_translate(text, strlen(text), lang, &m, &d)) !=
	    MB_OK)
		return mb_cli_fail("search", &d, rc);
	q.match = m.data;
	q.now_ms = mb_time_now_ms();
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK) {
		mb_cli_fail("search", &d, rc);
		goto out;
	}
	if (json && (o.hits = json_array()) == NULL) {
		rc = MB_ERR_NOMEM;
		mb_cli_fail("search", &d, rc);
		goto out;
	}
	if ((rc = mb_store_search(st, &q, on_hit, &o, &r, &d)) != MB_OK) {
		mb_cli_fail("search", &d, rc);
		goto out;
	}
	if (json) {
		json_t	*doc;
		char	*s;

		/* "o" steals o.hits. */
		doc = json_pack("{s:s, s:s, s:I, s:I, s:b, s:o}", "query", text,
		    "lang", lang, "offset", (json_int_t)q.offset, "ranked",
		    (json_int_t)r.ranked, "more", r.more, "hits", o.hits);
		o.hits = NULL;
		if (doc == NULL || (s = json_dumps(doc, JSON_COMPACT)) ==
		    NULL) {
			json_decref(doc);
			mb_cli_fail("search", &d, MB_ERR_NOMEM);
			goto out;
		}
		printf("%s\n", s);
		free(s);
		json_decref(doc);
	}
	if (fflush(stdout) != 0) {
		mb_cli_fail("search", &d, MB_ERR_IO);
		goto out;
	}
	ex = MB_EXIT_OK;
out:
	json_decref(o.hits);
	mb_store_close(st);
	mb_center_close(n);
	mb_buf_free(&m);
	return ex;
}
