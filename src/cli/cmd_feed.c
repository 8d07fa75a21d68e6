/* SPDX-License-Identifier: MIT */
/* mediabridge feed: the sources a center ingests, their state, a poll now. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "feeds/feeds.h"
#include "serve/feed_poller.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_feed = {
	"feed", "ingest RSS, Atom, JSON Feed and NewsML-G2 sources",
	"usage: mediabridge feed add DIR --url URL [--language LANG]\n"
	"           [--topics A,B] [--audience public|network|internal]\n"
	"           [--workflow draft|publish] [--every 15m] [--allow-private]\n"
	"       mediabridge feed list DIR\n"
	"       mediabridge feed remove DIR ID\n"
	"       mediabridge feed poll DIR [ID]\n\n"
	"add: take the feed at URL in as items of this center, signed by it\n"
	"with the source named; serve polls it every 15 minutes (--every) or\n"
	"as rarely as the feed asks. Entries become drafts unless --workflow\n"
	"publish. --language overrides what entries declare; --topics adds\n"
	"subjects. A URL on a private, loopback or link-local address (also\n"
	"after a redirect) is refused unless --allow-private.\n"
	"list: one source a line: id, URL, entries, updates, last fetch, last\n"
	"new entry, next poll, failures in a row and the last error.\n"
	"remove: stop ingesting (the items stay).\n"
	"poll: poll the source ID (or every source) now.\n",
	run
};

static int
add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "language", required_argument, NULL, 'l' },
		{ "topics", required_argument, NULL, 't' },
		{ "audience", required_argument, NULL, 'a' },
		{ "workflow", required_argument, NULL, 'w' },
		{ "every", required_argument, NULL, 'e' },
		{ "allow-private", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_feeds_add	 a;
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int64_t			 id;
	int			 ch, rc;

	memset(&a, 0, sizeof(a));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': a.url = optarg; break;
		case 'l': a.language = optarg; break;
		case 't': a.topics = optarg; break;
		case 'a': a.audience = optarg; break;
		case 'w': a.workflow = optarg; break;
		case 'p': a.allow_private = true; break;
		case 'e':
			if (mb_feeds_parse_every(optarg, &a.every_s, &d) !=
			    MB_OK)
				return mb_cli_usage(&mb_cmd_feed, "--%s", d.msg);
			break;
		default:
			return mb_cli_usage(&mb_cmd_feed, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_feed, "give one DIR");
	if (a.url == NULL)
		return mb_cli_usage(&mb_cmd_feed, "give --url URL");
	if ((rc = mb_cli_open(argv[optind], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("feed add", &d, rc);
	rc = mb_feeds_add(st, &a, &id, &d);
	mb_cli_close(n, st);
	if (rc != MB_OK)
		return mb_cli_fail("feed add", &d, rc);
	printf("feed %lld: %s\n", (long long)id, a.url);
	return MB_EXIT_OK;
}

static void
when(int64_t ms, char out[MB_TIME_RFC3339_LEN])
{
	if (ms == 0)
		snprintf(out, MB_TIME_RFC3339_LEN, "-");
	else
		mb_time_format(ms - ms % 1000, out);
}

static int
print_source(const struct mb_feed_source *s, void *arg)
{
	char	fetch[MB_TIME_RFC3339_LEN], fresh[MB_TIME_RFC3339_LEN],
		next[MB_TIME_RFC3339_LEN];

	(void)arg;
	when(s->last_fetch_ms, fetch);
	when(s->last_new_ms, fresh);
	when(s->next_poll_ms, next);
	printf("%lld %s entries=%lld updates=%lld fetched=%s new=%s next=%s "
	    "failures=%lld%s%s%s\n", (long long)s->id, s->url,
	    (long long)s->entries, (long long)s->updates, fetch, fresh, next,
	    (long long)s->failures, s->title[0] != '\0' ? " title=\"" : "",
	    s->title, s->title[0] != '\0' ? "\"" : "");
	if (s->last_error[0] != '\0')
		printf("  error: %s\n", s->last_error);
	return MB_OK;
}

static int
list(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (argc != 2)
		return mb_cli_usage(&mb_cmd_feed, "give one DIR");
	if ((rc = mb_cli_open(argv[1], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("feed list", &d, rc);
	rc = mb_store_feed_list(st, print_source, NULL, &d);
	mb_cli_close(n, st);
	if (rc != MB_OK)
		return mb_cli_fail("feed list", &d, rc);
	return MB_EXIT_OK;
}

static bool
parse_id(const char *s, int64_t *id)
{
	char *end;

	*id = strtoll(s, &end, 10);
	return *s != '\0' && *end == '\0' && *id > 0;
}

static int
remove_(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	int64_t			 id;
	int			 rc;

	if (argc != 3)
		return mb_cli_usage(&mb_cmd_feed, "give DIR and ID");
	if (!parse_id(argv[2], &id))
		return mb_cli_usage(&mb_cmd_feed, "ID: \"%s\": not a source id "
		    "(feed list shows them)", argv[2]);
	if ((rc = mb_cli_open(argv[1], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("feed remove", &d, rc);
	rc = mb_store_feed_remove(st, id, &d);
	mb_cli_close(n, st);
	if (rc != MB_OK)
		return mb_cli_fail("feed remove", &d, rc);
	return MB_EXIT_OK;
}

struct ids {
	int64_t	*v;
	size_t	 n, cap;
};

static int
collect(const struct mb_feed_source *s, void *arg)
{
	struct ids *l = arg;

	if (l->n == l->cap) {
		size_t	 cap = l->cap ? l->cap * 2 : 16;
		int64_t	*v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return MB_ERR_NOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s->id;
	return MB_OK;
}

static int
poll_(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_feeds		*f = NULL;
	struct mb_feeds_result	 r;
	struct mb_diag		 d = { "" };
	struct ids		 l = { NULL, 0, 0 };
	int64_t			 one;
	size_t			 i;
	int			 rc, failed = 0;

	if (argc != 2 && argc != 3)
		return mb_cli_usage(&mb_cmd_feed, "give DIR and maybe ID");
	if (argc == 3 && !parse_id(argv[2], &one))
		return mb_cli_usage(&mb_cmd_feed, "ID: \"%s\": not a source id "
		    "(feed list shows them)", argv[2]);
	if ((rc = mb_cli_open(argv[1], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("feed poll", &d, rc);
	if (argc == 3)
		rc = collect(&(struct mb_feed_source){ .id = one }, &l);
	else
		rc = mb_store_feed_list(st, collect, &l, &d);
	if (rc == MB_OK)
		rc = mb_serve_feeds_new(n, st, &f, &d);
	for (i = 0; rc == MB_OK && i < l.n; i++) {
		struct mb_diag	pd = { "" };
		int		prc = mb_feeds_poll(f, l.v[i], &r, &pd);

		if (prc == MB_ERR_NOTFOUND && argc == 3) {
			rc = prc;
			d = pd;
			break;
		}
		if (prc != MB_OK) {
			fprintf(stderr, "mediabridge: feed poll: %lld: %s\n",
			    (long long)l.v[i], mb_diag_msg(&pd, prc));
			failed++;
			continue;
		}
		printf("%lld added=%d updated=%d unchanged=%d refused=%d "
		    "held=%d%s\n", (long long)l.v[i], r.added, r.updated,
		    r.unchanged, r.refused, r.held,
		    r.not_modified ? " not-modified" : "");
	}
	mb_feeds_free(f);
	free(l.v);
	mb_cli_close(n, st);
	if (rc != MB_OK)
		return mb_cli_fail("feed poll", &d, rc);
	return failed > 0 ? MB_EXIT_FAIL : MB_EXIT_OK;
}

static const struct mb_cli_sub subs[] = {
	{ "add", add },
	{ "list", list },
	{ "remove", remove_ },
	{ "poll", poll_ },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_feed,
		"give add, list, remove or poll", "unknown subcommand \"%s\"",
		0, subs };

	return mb_cli_dispatch(&t, argc, argv);
}
