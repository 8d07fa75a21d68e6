/* SPDX-License-Identifier: MIT */
/* mediabridge peer: follow another center directly; set a link's policy; show every peer's state. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "item/id.h"
#include "store/links.h"
#include "sync/link.h"
#include "sync/puller.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_peer = {
	"peer", "follow one more center directly; list peers and their state",
	"usage: mediabridge peer add DIR URL [--id ID]\n"
	"       mediabridge peer set DIR CENTER [--window HH:MM-HH:MM]\n"
	"           [--max-rate BITS] [--media none|thumbnails|window|all]\n"
	"           [--quota BYTES/day|week|month] [--clear]\n"
	"       mediabridge peer list DIR\n\n"
	"add: pull from the center at URL too (its id is asked from\n"
	"URL/federation/v1/center unless --id gives it). It must be an active\n"
	"member of the registry (a branch before its first registry may add\n"
	"one it does not list yet). Extra links are safe: versions are kept\n"
	"once.\n"
	"set: the policy of the link to CENTER (what is not given is kept;\n"
	"--clear starts from none): text always first, thumbnails next,\n"
	"originals and video only as --media says (window: inside --window,\n"
	"local time; thumbnails: when a reader asks); --max-rate caps the\n"
	"puller and the blob fetcher (bit/s: 64k); --quota counts the bytes\n"
	"the link carries (500M/month): once used up, text only.\n"
	"list: one peer a line: center, URL, cursor, items received, refused,\n"
	"last success, last error; then a link's policy and bytes used.\n",
	run
};

/* Counts the registry's centers other than this one (arg: its id). */
static int
count_other(const struct mb_center *c, void *arg)
{
	const char **self = arg;

	if (strcmp(c->id, self[0]) != 0)
		self[1] = c->id;	/* any: non-NULL says there is one */
	return MB_OK;
}

/*
 * The puller takes only an active member of the registry: anything else
 * is refused now rather than added and never pulled from. A branch that
 * has not had its first registry yet (it lists only itself) may add one
 * (HQ, most often), which is pulled from once the registry lists it.
 */
static int
check_member(struct mb_center_node *n, struct mb_store *st, const char *id,
    int *later, struct mb_diag *d)
{
	struct mb_center	 c;
	const char		*self[2] = { n->conf.id, NULL };
	int			 rc;

	*later = 0;
	if (strcmp(id, n->conf.id) == 0)
		return mb_diag_set(d, MB_ERR_INVAL, "%s is this center", id);
	if ((rc = mb_store_center_get(st, id, &c, d)) == MB_OK) {
		if (strcmp(c.status, "active") != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "%s is %s in the "
			    "registry; only an active member is pulled from",
			    id, c.status);
		return MB_OK;
	}
	if (rc != MB_ERR_NOTFOUND)
		return rc;
	if ((rc = mb_store_center_list(st, count_other, self, d)) != MB_OK)
		return rc;
	if (self[1] != NULL || strcmp(n->conf.role, "hq") == 0)
		return mb_diag_set(d, MB_ERR_NOTFOUND, "%s: not in the "
		    "registry (mediabridge center list %s); only an active "
		    "member is pulled from", id, n->conf.dir);
	*later = 1;
	return MB_OK;
}

static int
add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	const char		*given = NULL;
	char			 id[33];
	int			 ch, later = 0, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'i')
			return mb_cli_usage(&mb_cmd_peer, "bad option");
		given = optarg;
	}
	if (optind != argc - 2)
		return mb_cli_usage(&mb_cmd_peer, "give DIR and URL");
	if (!mb_center_url_valid(argv[optind + 1]))
		return mb_cli_usage(&mb_cmd_peer, "URL: an http:// or https:// "
		    "URL with a host");
	if (given != NULL) {
		if (!mb_center_id_valid(given))
			return mb_cli_usage(&mb_cmd_peer, "--id: not an id");
		snprintf(id, sizeof(id), "%s", given);
	} else if ((rc = mb_sync_fetch_center_id(argv[optind + 1], id, &d)) !=
	    MB_OK) {
		return mb_cli_fail("peer add", &d, rc);
	}
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("peer add", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) == MB_OK) {
		if ((rc = check_member(n, st, id, &later, &d)) == MB_OK)
			rc = mb_store_peer_put(st, id, argv[optind + 1], 1, &d);
		mb_store_close(st);
	}
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("peer add", &d, rc);
	printf("peer %s at %s added%s\n", id, argv[optind + 1], later ?
	    " (not in the registry yet: pulled from once the registry lists "
	    "it active)" : "");
	return MB_EXIT_OK;
}

struct listing {
	struct mb_store	*st;
	int		 rows;
};

/* "\twindow=... used=N" where the link has a policy, else "". */
static void
link_text(struct mb_store *st, const char *center, char *out, size_t n)
{
	struct mb_link_policy	pol;

	out[0] = '\0';
	if (mb_store_link_get(st, center, &pol, NULL) == MB_OK) {
		out[0] = '\t';
		mb_link_format(&pol, out + 1, n - 1);
	}
}

static int
print_peer(const struct mb_peer *p, void *arg)
{
	struct listing	*l = arg;
	char ok[MB_TIME_RFC3339_LEN] = "-", err[MB_TIME_RFC3339_LEN] = "-";
	char link[256];

	l->rows++;
	link_text(l->st, p->center, link, sizeof(link));
	if (p->last_ok_ms > 0)
		mb_time_format(p->last_ok_ms, ok);
	if (p->last_err_ms > 0)
		mb_time_format(p->last_err_ms, err);
	printf("%s\t%s\tcursor=%lld\treceived=%lld\trefused=%lld\t"
	    "last_ok=%s\tlast_error=%s%s%s%s%s\n", p->center, p->url,
	    (long long)p->cursor, (long long)p->received,
	    (long long)p->refused, ok, err, p->last_error[0] ? " (" : "",
	    p->last_error, p->last_error[0] ? ")" : "", link);
	return MB_OK;
}

/* A link set before its peer came (HQ before the registry): shown too. */
static int
print_link_only(const struct mb_link_policy *pol, void *arg)
{
	struct listing	*l = arg;
	struct mb_peer	 p;
	char		 link[256];

	if (mb_store_peer_get(l->st, pol->center, &p, NULL) == MB_OK)
		return MB_OK;
	l->rows++;
	mb_link_format(pol, link, sizeof(link));
	printf("%s\t-\tnot a peer yet\t%s\n", pol->center, link);
	return MB_OK;
}

static int
set(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "window", required_argument, NULL, 'w' },
		{ "max-rate", required_argument, NULL, 'r' },
		{ "media", required_argument, NULL, 'm' },
		{ "quota", required_argument, NULL, 'q' },
		{ "clear", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_link_policy	 pol, given;
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	const char		*window = NULL, *rate = NULL, *media = NULL;
	const char		*quota = NULL;
	char			 shown[256];
	bool			 clear = false;
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'w': window = optarg; break;
		case 'r': rate = optarg; break;
		case 'm': media = optarg; break;
		case 'q': quota = optarg; break;
		case 'c': clear = true; break;
		default: return mb_cli_usage(&mb_cmd_peer, "bad option");
		}
	}
	if (optind != argc - 2)
		return mb_cli_usage(&mb_cmd_peer, "give DIR and CENTER");
	if (!mb_center_id_valid(argv[optind + 1]))
		return mb_cli_usage(&mb_cmd_peer, "CENTER: not a center id");
	/* Every argument checked before the store is opened. */
	memset(&given, 0, sizeof(given));
	given.window_from = given.window_to = -1;
	if ((window != NULL && strcmp(window, "none") != 0 &&
	    (rc = mb_link_parse_window(window, &given.window_from,
	    &given.window_to, &d)) != MB_OK) ||
	    (rate != NULL && strcmp(rate, "none") != 0 &&
	    (rc = mb_link_parse_rate(rate, &given.max_rate, &d)) != MB_OK) ||
	    (quota != NULL && strcmp(quota, "none") != 0 &&
	    (rc = mb_link_parse_quota(quota, &given.quota, given.period,
	    &d)) != MB_OK))
		return mb_cli_usage(&mb_cmd_peer, "%s", d.msg);
	if (media != NULL && strcmp(media, "none") != 0 && strcmp(media,
	    "thumbnails") != 0 && strcmp(media, "window") != 0 &&
	    strcmp(media, "all") != 0)
		return mb_cli_usage(&mb_cmd_peer, "--media: none, thumbnails, "
		    "window or all");
	if (media != NULL && strcmp(media, "window") == 0 && window == NULL)
		return mb_cli_usage(&mb_cmd_peer, "--media window needs "
		    "--window");
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("peer set", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) != MB_OK) {
		mb_center_close(n);
		return mb_cli_fail("peer set", &d, rc);
	}
	if (strcmp(argv[optind + 1], n->conf.id) == 0) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "%s is this center",
		    argv[optind + 1]);
		goto out;
	}
	rc = clear ? MB_ERR_NOTFOUND : mb_store_link_get(st, argv[optind + 1],
	    &pol, &d);
	if (rc == MB_ERR_NOTFOUND) {
		memset(&pol, 0, sizeof(pol));
		snprintf(pol.center, sizeof(pol.center), "%s",
		    argv[optind + 1]);
		pol.window_from = pol.window_to = -1;
		snprintf(pol.media, sizeof(pol.media), "all");
	} else if (rc != MB_OK) {
		goto out;
	}
	if (window != NULL) {
		pol.window_from = given.window_from;
		pol.window_to = given.window_to;
	}
	if (rate != NULL)
		pol.max_rate = given.max_rate;
	if (quota != NULL) {
		pol.quota = given.quota;
		snprintf(pol.period, sizeof(pol.period), "%s", given.period);
	}
	if (media != NULL)
		snprintf(pol.media, sizeof(pol.media), "%s", media);
	if (strcmp(pol.media, "window") == 0 && pol.window_from < 0) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "media window without a "
		    "--window");
		goto out;
	}
	if ((rc = mb_store_link_set(st, &pol, &d)) == MB_OK) {
		(void)mb_store_link_get(st, pol.center, &pol, NULL);
		mb_link_format(&pol, shown, sizeof(shown));
		printf("link %s: %s\n", pol.center, shown);
	}
out:
	mb_store_close(st);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("peer set", &d, rc);
}

static int
list(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	struct listing		 l = { NULL, 0 };
	int			 rc;

	if (argc != 2)
		return mb_cli_usage(&mb_cmd_peer, "give DIR");
	if ((rc = mb_center_open(argv[1], &n, &d)) != MB_OK)
		return mb_cli_fail("peer list", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) == MB_OK) {
		l.st = st;
		rc = mb_store_peer_list(st, print_peer, &l, &d);
		if (rc == MB_OK)
			rc = mb_store_link_list(st, print_link_only, &l, &d);
		mb_store_close(st);
	}
	/* A new branch: say why the list is empty rather than nothing. */
	if (rc == MB_OK && l.rows == 0 && n->conf.hq_url[0] != '\0')
		fprintf(stderr, "peer list: no peers yet; HQ (%s) is pulled "
		    "from once `serve` or `sync` has fetched its registry\n",
		    n->conf.hq_url);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("peer list", &d, rc);
}

static const struct mb_cli_sub subs[] = {
	{ "add", add },
	{ "list", list },
	{ "set", set },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_peer,
		"add, set or list?", "add, set or list?", 0, subs };

	return mb_cli_dispatch(&t, argc, argv);
}
