/* SPDX-License-Identifier: MIT */
/* The router: the list of route tables, and matching a request to one. */
#include "http_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * Each handler file exports one table; list it here (and nowhere else)
 * to serve it. Order only breaks ties between equally specific patterns.
 */
extern const struct mb_route mb_routes_ops[];
extern const struct mb_route mb_routes_items[];
extern const struct mb_route mb_routes_accounts[];
extern const struct mb_route mb_routes_search[];
extern const struct mb_route mb_routes_html[];
extern const struct mb_route mb_routes_federation[];
extern const struct mb_route mb_routes_media[];
extern const struct mb_route mb_routes_site[];
extern const struct mb_route mb_routes_feeds[];
extern const struct mb_route mb_routes_ingest[];
extern const struct mb_route mb_routes_newsroom[];
extern const struct mb_route mb_routes_nr_edit[];
extern const struct mb_route mb_routes_nr_actions[];
extern const struct mb_route mb_routes_nr_versions[];
extern const struct mb_route mb_routes_api_versions[];
extern const struct mb_route mb_routes_events[];
extern const struct mb_route mb_routes_nr_events[];
extern const struct mb_route mb_routes_nr_people[];
extern const struct mb_route mb_routes_mt[];
extern const struct mb_route mb_routes_members[];
extern const struct mb_route mb_routes_fed_mt[];
extern const struct mb_route mb_routes_courses[];
extern const struct mb_route mb_routes_certificates[];
extern const struct mb_route mb_routes_api_courses[];
extern const struct mb_route mb_routes_stats[];
extern const struct mb_route mb_routes_nr_media[];
extern const struct mb_route mb_routes_nr_picker[];
extern const struct mb_route mb_routes_nr_impact[];
extern const struct mb_route mb_routes_nr_mt[];
extern const struct mb_route mb_routes_nr_glossary[];
extern const struct mb_route mb_routes_campaigns[];
extern const struct mb_route mb_routes_site_members[];
extern const struct mb_route mb_routes_site_agenda[];
extern const struct mb_route mb_routes_site_mt[];
extern const struct mb_route mb_routes_nr_members[];
extern const struct mb_route mb_routes_site_member_me[];
extern const struct mb_route mb_routes_nr_sources[];

static const struct mb_route *const tables[] = {
	mb_routes_ops,
	mb_routes_items,
	mb_routes_accounts,
	mb_routes_search,
	mb_routes_html,
	mb_routes_federation,
	mb_routes_media,
	mb_routes_site,
	mb_routes_feeds,
	mb_routes_ingest,
	mb_routes_newsroom,
	mb_routes_nr_edit,
	mb_routes_nr_actions,
	mb_routes_nr_versions,
	mb_routes_api_versions,
	mb_routes_events,
	mb_routes_nr_events,
	mb_routes_nr_people,
	mb_routes_mt,
	mb_routes_members,
	mb_routes_fed_mt,
	mb_routes_courses,
	mb_routes_certificates,
	mb_routes_api_courses,
	mb_routes_stats,
	mb_routes_nr_media,
	mb_routes_nr_picker,
	mb_routes_nr_impact,
	mb_routes_nr_mt,
	mb_routes_nr_glossary,
	mb_routes_campaigns,
	mb_routes_site_members,
	mb_routes_site_agenda,
	mb_routes_site_mt,
	mb_routes_nr_members,
	mb_routes_site_member_me,
	mb_routes_nr_sources,
	NULL
};

int
mb_router_count(void)
{
	int n = 0;

	for (int t = 0; tables[t] != NULL; t++)
		for (int i = 0; tables[t][i].method != NULL; i++)
			n++;
	return n;
}

const struct mb_route *
mb_router_at(int i)
{
	for (int t = 0; tables[t] != NULL; t++)
		for (int j = 0; tables[t][j].method != NULL; j++)
			if (i-- == 0)
				return &tables[t][j];
	return NULL;
}

/*
 * Matches pattern against path; returns the number of literal segments
 * (>= 0) or -1. Parameter values point into scratch, which is path's
 * copy with the '/' after each parameter replaced by NUL.
 */
static int
match_one(const char *pattern, const char *path, char *scratch,
    struct mb_route_match *m)
{
	const char	*p = pattern, *s = path;
	int		 literal = 0, np = 0;

	if (*p != '/' || *s != '/')
		return -1;
	while (*p == '/' && *s == '/') {
		const char	*pe, *se;
		size_t		 pl, sl;

		p++;
		s++;
		pe = strchr(p, '/');
		pl = pe ? (size_t)(pe - p) : strlen(p);
		se = strchr(s, '/');
		sl = se ? (size_t)(se - s) : strlen(s);
		if (pl == 1 && *p == '*' && pe == NULL) {
			if (np == MB_ROUTE_MAX_PARAMS)
				return -1;
			m->names[np] = "*";
			m->values[np++] = scratch + (s - path);
			m->nparams = np;
			return literal;
		}
		if (*p == ':') {
			if (sl == 0 || np == MB_ROUTE_MAX_PARAMS)
				return -1;
			m->names[np] = p + 1;	/* up to '/' in pattern */
			m->values[np++] = scratch + (s - path);
		} else {
			if (pl != sl || memcmp(p, s, pl) != 0)
				return -1;
			literal++;
		}
		p += pl;
		s += sl;
	}
	if (*p != '\0' || *s != '\0')
		return -1;
	m->nparams = np;
	return literal;
}

/*
 * What a path must have for a pattern to match it, worked out once per
 * pattern: its number of '/' (exactly, or at least for a trailing "*"),
 * and its first two segments where they are literal. Every request used
 * to run match_one() on all the routes, a sixth of a cached item's CPU
 * (docs/benchmarks.md, "http"); this check turns nearly all of them
 * away, and match_one() decides for the few left.
 */
#define PRE_SEGS 2

struct pre {
	const struct mb_route	*rt;
	int			 slashes;
	bool			 star;		/* at least that many */
	const char		*lit[PRE_SEGS];	/* NULL: a parameter */
	size_t			 len[PRE_SEGS];
};

/* A path's (or pattern's) number of '/' and first segments. */
struct shape {
	int		 slashes;
	const char	*seg[PRE_SEGS];
	size_t		 len[PRE_SEGS];
};

/* For each number of '/' up to MAX_SLASHES, the routes that may match. */
#define MAX_SLASHES 16

static struct pre	*pres;
static int		 npres;
static int		*by_slashes[MAX_SLASHES + 1];
static int		 by_count[MAX_SLASHES + 1];
static pthread_once_t	 pres_once = PTHREAD_ONCE_INIT;

static void
shape_of(const char *s, struct shape *sh)
{
	memset(sh, 0, sizeof(*sh));
	for (; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		if (sh->slashes < PRE_SEGS) {
			sh->seg[sh->slashes] = s + 1;
			sh->len[sh->slashes] = strcspn(s + 1, "/");
		}
		sh->slashes++;
	}
}

static void
pres_build(void)
{
	int n = mb_router_count();

	/* Without the table every route goes to match_one(), as before. */
	if ((pres = calloc((size_t)n, sizeof(*pres))) == NULL)
		return;
	for (int i = 0; i < n; i++) {
		struct pre	*pr = &pres[i];
		struct shape	 sh;
		size_t		 len;

		pr->rt = mb_router_at(i);
		shape_of(pr->rt->pattern, &sh);
		pr->slashes = sh.slashes;
		len = strlen(pr->rt->pattern);
		/* match_one(): "*" is a wildcard as the last segment only. */
		pr->star = len >= 2 && strcmp(pr->rt->pattern + len - 2,
		    "/*") == 0;
		for (int k = 0; k < PRE_SEGS && k < sh.slashes; k++) {
			/* A "*" or ":name" segment takes any value. */
			if (sh.seg[k][0] == ':' || (sh.seg[k][0] == '*' &&
			    sh.len[k] == 1))
				continue;
			pr->lit[k] = sh.seg[k];
			pr->len[k] = sh.len[k];
		}
	}
	for (int k = 0; k <= MAX_SLASHES; k++) {
		if ((by_slashes[k] = calloc((size_t)n, sizeof(int))) == NULL) {
			/* npres stays 0: the whole table, as before. */
			while (k-- > 0)
				free(by_slashes[k]);
			free(pres);
			pres = NULL;
			return;
		}
		for (int i = 0; i < n; i++)
			if (pres[i].star ? k >= pres[i].slashes :
			    k == pres[i].slashes)
				by_slashes[k][by_count[k]++] = i;
	}
	npres = n;
}

/* False when pattern pr cannot match a path of shape sh. */
static bool
may_match(const struct pre *pr, const struct shape *sh)
{
	if (pr->star ? sh->slashes < pr->slashes : sh->slashes != pr->slashes)
		return false;
	for (int k = 0; k < PRE_SEGS && k < pr->slashes; k++) {
		/* A trailing "*" takes the rest, whatever it is. */
		if (pr->star && k == pr->slashes - 1)
			break;
		if (pr->lit[k] != NULL && (sh->len[k] != pr->len[k] ||
		    memcmp(sh->seg[k], pr->lit[k], pr->len[k]) != 0))
			return false;
	}
	return true;
}

/* Route idx (rt) against path: the best so far in m, *best, *any. */
static void
consider(const struct mb_route *rt, int idx, const char *want,
    const char *path, char *scratch, struct mb_route_match *m, int *best,
    int *any)
{
	struct mb_route_match	cand;
	int			score;

	memset(&cand, 0, sizeof(cand));
	if ((score = match_one(rt->pattern, path, scratch, &cand)) < 0)
		return;
	if (strcmp(rt->method, want) != 0) {
		if (strstr(m->allow, rt->method) == NULL &&
		    strlen(m->allow) + strlen(rt->method) + 3 <
		    sizeof(m->allow)) {
			if (m->allow[0] != '\0')
				strcat(m->allow, ", ");
			strcat(m->allow, rt->method);
		}
		*any = 1;
		return;
	}
	if (score > *best) {
		char allow[sizeof(m->allow)];

		memcpy(allow, m->allow, sizeof(allow));
		*m = cand;
		memcpy(m->allow, allow, sizeof(allow));
		m->route = rt;
		m->index = idx;
		*best = score;
	}
}

int
mb_router_match(const char *method, const char *path, char *scratch,
    struct mb_route_match *m)
{
	struct shape		 sh;
	int			 best = -1, any = 0, idx = 0;
	const char		*want = strcmp(method, "HEAD") == 0 ? "GET" :
				     method;

	memset(m, 0, sizeof(*m));
	m->index = -1;
	pthread_once(&pres_once, pres_build);
	shape_of(path, &sh);
	if (npres > 0 && sh.slashes <= MAX_SLASHES) {
		/* The routes a path with this many '/' may match, in order. */
		for (int j = 0; j < by_count[sh.slashes]; j++) {
			idx = by_slashes[sh.slashes][j];
			if (may_match(&pres[idx], &sh))
				consider(pres[idx].rt, idx, want, path,
				    scratch, m, &best, &any);
		}
	} else {
		for (int t = 0; tables[t] != NULL; t++)
			for (int i = 0; tables[t][i].method != NULL; i++,
			    idx++)
				if (idx >= npres || may_match(&pres[idx], &sh))
					consider(&tables[t][i], idx, want,
					    path, scratch, m, &best, &any);
	}
	if (m->route == NULL)
		return any ? MB_ERR_PERM : MB_ERR_NOTFOUND;
	/* Cut each parameter value at its '/'. */
	for (int i = 0; i < m->nparams; i++) {
		char *v = (char *)m->values[i], *e;

		if (strcmp(m->names[i], "*") != 0 &&
		    (e = strchr(v, '/')) != NULL)
			*e = '\0';
	}
	return MB_OK;
}
