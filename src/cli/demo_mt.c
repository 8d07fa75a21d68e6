/* SPDX-License-Identifier: MIT */
/*
 * The demo's machine translation (docs/translation.md): Debian's
 * apertium-apy with apertium-eng-spa is HQ's engine, shared with member
 * centers: HQ's serve announces its pairs in the signed registry, and
 * Cairo, which has no engine of its own and none configured, finds HQ
 * there when its translator asks for a pair (docs/translation.md,
 * "Shared engines"). An English
 * item published at HQ reaches Cairo, where a translator asks for a
 * Spanish machine draft (Cairo -> HQ's signed /federation/v1/translate
 * -> APy), edits it and submits it, an editor publishes it, and Cairo's
 * Spanish page shows it labelled with its provenance. Everything goes
 * over HTTP, as the newsroom's would. Without Apertium installed the
 * demo says so and goes on without this step.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "center/center.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "mt/mt.h"
#include "newsroom/accounts.h"
#include "store/store.h"

#define APY		"/usr/bin/apertium-apy"
#define MODES		"/usr/share/apertium/modes"
#define EN_ES_MODE	MODES "/eng-spa.mode"

static pid_t	apy;		/* APy's process (and group), or 0 */
static pid_t	apy_owner;	/* the demo's pid: only it stops APy */
static int	apy_port;

static void
stop_apy(void)
{
	if (apy <= 0 || getpid() != apy_owner)
		return;
	/* APy starts a pipeline per pair: the whole group goes. */
	kill(-apy, SIGTERM);
	while (waitpid(apy, NULL, 0) < 0 && errno == EINTR)
		;
	apy = 0;
}

int
mb_demo_mt_engines(const char *dir, long hq_port)
{
	struct mb_mt_engine_conf	 c;
	struct mb_diag			 d = { "" };
	char				 path[1200], port[16], log[1200];
	int				 rc;

	if (access(APY, X_OK) != 0 || access(EN_ES_MODE, R_OK) != 0) {
		printf("demo: machine translation: Debian's apertium-apy and "
		    "apertium-eng-spa are not installed,\n      so that step "
		    "is skipped (scripts/deps.sh test installs them)\n");
		fflush(stdout);
		return MB_ERR_NOTFOUND;
	}
	if ((apy_port = mb_demo_free_port()) == 0)
		return MB_ERR_IO;
	snprintf(port, sizeof(port), "%d", apy_port);
	snprintf(log, sizeof(log), "%s/apy.log", dir);
	fflush(stdout);
	if ((apy = fork()) < 0) {
		apy = 0;
		return MB_ERR_IO;
	}
	if (apy == 0) {
		/* -j1: one HTTP process; -t 60: as tests/lib/apy.py. */
		char *argv[] = { APY, "-p", port, "-j1", "-t", "60", MODES,
		    NULL };
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		int nul = open("/dev/null", O_RDONLY);

		setsid();
		/* It goes when the demo goes, however it ends. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (nul >= 0)
			dup2(nul, 0);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (chdir(dir) != 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	apy_owner = getpid();
	atexit(stop_apy);
	/*
	 * HQ's engine, shared (announced in the registry when HQ serves);
	 * Cairo configures nothing: it borrows through the registry.
	 */
	mb_mt_engine_conf_defaults(&c);
	snprintf(c.name, sizeof(c.name), "apy");
	c.kind = MB_MT_APY;
	snprintf(c.url, sizeof(c.url), "http://127.0.0.1:%d", apy_port);
	c.share = true;
	snprintf(path, sizeof(path), "%s/moscow", dir);
	if ((rc = mb_mt_conf_add(path, &c, NULL, &d)) != MB_OK)
		goto fail;
	(void)hq_port;
	return MB_OK;
fail:
	printf("demo: machine translation: FAILED: %s\n", d.msg);
	stop_apy();
	return rc;
}

/* ---- once the centers serve ---- */

/* The answer's JSON (NULL when it is not). */
static json_t *
parse(const struct mb_buf *b)
{
	return b->data != NULL ? json_loadb(b->data, b->len, 0, NULL) : NULL;
}

#define FAIL(...) do {							\
	printf("  mt: FAILED: " __VA_ARGS__);				\
	printf("\n");							\
	fflush(stdout);							\
	rc = MB_ERR_INVAL;						\
	goto out;							\
} while (0)

static const char *const HEADLINE = "The river festival opens in Moscow";
static const char *const BODY = "<p>The city's <a href=\"https://example.org"
    "/festival\">river festival</a> opens on Friday with music and boats.</p>"
    "<p>The organisers said that <b>ten thousand</b> people are expected."
    "</p>";

int
mb_demo_mt(const char *dir, long port)
{
	char		 hq[MB_SECRET_TEXT_LEN], tr[MB_SECRET_TEXT_LEN];
	char		 ed[MB_SECRET_TEXT_LEN], path[400], etag[64];
	char		 local[80], dlocal[80];
	struct mb_buf	 b = MB_BUF_INIT;
	struct mb_diag	 d = { "" };
	json_t		*j = NULL, *item, *t;
	char		*body = NULL;
	const char	*s, *by;
	int		 cairo = (int)port + 1, st = -1, rc = MB_OK;

	if (apy <= 0)
		return MB_ERR_NOTFOUND;
	/* APy answers /listPairs once its pairs are loaded. */
	for (int i = 0; i < 600 && (st = mb_demo_http(apy_port, "GET",
	    "/listPairs", NULL, NULL, NULL, NULL, 5)) != 200; i++)
		mb_demo_nap(100);
	if (st != 200)
		FAIL("apertium-apy did not start; see %s/apy.log", dir);
	if (mb_demo_token(dir, "moscow", "editor", hq, &d) != MB_OK ||
	    mb_demo_token(dir, "cairo", "translator", tr, &d) != MB_OK ||
	    mb_demo_token(dir, "cairo", "editor", ed, &d) != MB_OK)
		FAIL("%s", d.msg);
	/* 1. HQ publishes an English item. */
	j = json_pack("{s:{s:s, s:s, s:[{s:s}], s:[{s:s, s:s}]}, s:{s:s}}",
	    "item", "type", "text", "language", "en", "headlines", "value",
	    HEADLINE, "bodies", "value", BODY, "contentType", "text/html",
	    "meta", "workflow", "published");
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	j = NULL;
	if ((st = mb_demo_http((int)port, "POST", "/api/v1/items", hq, NULL,
	    body, &b, 30)) != 201 || (j = parse(&b)) == NULL ||
	    (s = json_string_value(json_object_get(json_object_get(j, "item"),
	    "uri"))) == NULL ||
	    sscanf(s, "urn:mediabridge:moscow:%79s", local) != 1)
		FAIL("HQ's item: HTTP %d %.200s", st, mb_buf_cstr(&b));
	json_decref(j);
	j = NULL;
	printf("  mt: HQ published \"%s\" in English: urn:mediabridge:moscow:"
	    "%s\n", HEADLINE, local);
	fflush(stdout);
	/* 2. It reaches Cairo through the exchange. */
	snprintf(path, sizeof(path), "/api/v1/items/moscow/%s", local);
	for (int i = 0; i < 600 && (st = mb_demo_http(cairo, "GET", path, tr,
	    NULL, NULL, NULL, 5)) != 200; i++)
		mb_demo_nap(100);
	if (st != 200)
		FAIL("HQ's item did not reach Cairo within 60 s");
	/* 3. Cairo's translator: a Spanish machine draft, with HQ's engine. */
	mb_buf_reset(&b);
	snprintf(path, sizeof(path), "/api/v1/items/moscow/%s/translate",
	    local);
	/*
	 * Until Cairo holds the registry that says HQ lends en|es (HQ's
	 * announcement, then Cairo's next fetch), no engine has the pair.
	 */
	for (int i = 0; i < 120; i++) {
		mb_buf_reset(&b);
		if ((st = mb_demo_http(cairo, "POST", path, tr, NULL,
		    "{\"language\":\"es\"}", &b, 120)) != 422)
			break;
		mb_demo_nap(500);
	}
	if (st != 201 || (j = parse(&b)) == NULL)
		FAIL("Cairo's machine draft: HTTP %d %.300s", st,
		    mb_buf_cstr(&b));
	t = json_object_get(json_object_get(j, "meta"), "translation");
	item = json_object_get(j, "item");
	if ((s = json_string_value(json_object_get(item, "uri"))) == NULL ||
	    sscanf(s, "urn:mediabridge:cairo:%79s", dlocal) != 1)
		FAIL("the draft has no uri");
	printf("  mt: Cairo's translator asked for Spanish: a machine draft "
	    "made with engine %s via %s\n      (%s, %s), \"%s\"\n",
	    json_string_value(json_object_get(t, "engine")),
	    json_string_value(json_object_get(t, "via")),
	    json_string_value(json_object_get(t, "pair")),
	    json_string_value(json_object_get(t, "engineVersion")),
	    json_string_value(json_object_get(json_array_get(json_object_get(
	    item, "headlines"), 0), "value")));
	fflush(stdout);
	/* 4. The translator edits it (machine + human), and submits it. */
	{
		json_t	*h = json_array_get(json_object_get(item, "headlines"),
		    0);
		char	 nh[600];

		snprintf(nh, sizeof(nh), "%s (revisado)", json_string_value(
		    json_object_get(h, "value")));
		json_object_set_new(h, "value", json_string(nh));
	}
	free(body);
	t = json_pack("{s:O}", "item", item);
	body = t != NULL ? json_dumps(t, JSON_COMPACT) : NULL;
	json_decref(t);
	json_decref(j);
	j = NULL;
	if (body == NULL)
		FAIL("out of memory");
	snprintf(path, sizeof(path), "/api/v1/items/cairo/%s", dlocal);
	snprintf(etag, sizeof(etag), "If-Match: \"1\"\r\n");
	mb_buf_reset(&b);
	if ((st = mb_demo_http(cairo, "PUT", path, tr, etag, body, &b,
	    30)) != 200)
		FAIL("the translator's edit: HTTP %d %.300s", st,
		    mb_buf_cstr(&b));
	snprintf(path, sizeof(path), "/api/v1/items/cairo/%s/submit", dlocal);
	if ((st = mb_demo_http(cairo, "POST", path, tr, NULL, NULL, NULL,
	    30)) != 200)
		FAIL("submit: HTTP %d", st);
	/* 5. Cairo's editor publishes it: reviewed. */
	snprintf(path, sizeof(path), "/api/v1/items/cairo/%s/publish", dlocal);
	mb_buf_reset(&b);
	if ((st = mb_demo_http(cairo, "POST", path, ed, NULL, NULL, &b,
	    30)) != 200 ||
	    (j = parse(&b)) == NULL)
		FAIL("publish: HTTP %d %.300s", st, mb_buf_cstr(&b));
	t = json_object_get(json_object_get(j, "meta"), "translation");
	by = json_string_value(json_object_get(t, "by"));
	printf("  mt: the translator edited it (by: %s) and Cairo's editor "
	    "published it (reviewedBy: %s)\n", by != NULL ? by : "?",
	    json_string_value(json_object_get(t, "reviewedBy")));
	json_decref(j);
	j = NULL;
	/* 6. A reader of Cairo's Spanish page sees it labelled. */
	snprintf(path, sizeof(path), "/es/items/cairo/%s", dlocal);
	mb_buf_reset(&b);
	if ((st = mb_demo_http(cairo, "GET", path, NULL, NULL, NULL, &b,
	    30)) != 200)
		FAIL("Cairo's Spanish page: HTTP %d", st);
	{
		/* The label as the reader sees it: its text, tags dropped. */
		const char	*page = mb_buf_cstr(&b);
		const char	*at = strstr(page, "traducción automática");
		const char	*p0, *p1;
		struct mb_buf	 label = MB_BUF_INIT;
		bool		 tag = false;

		if (at == NULL || strstr(page, "<bdi>moscow</bdi>") == NULL)
			FAIL("Cairo's Spanish page does not label the "
			    "translation with its provenance");
		for (p0 = at; p0 > page && strncmp(p0, "<p ", 3) != 0; p0--)
			;
		if ((p1 = strstr(at, "</p>")) == NULL)
			p1 = at;
		for (const char *c = p0; c < p1; c++) {
			if (*c == '<')
				tag = true;
			else if (*c == '>')
				tag = false;
			else if (!tag)
				mb_buf_putc(&label, *c);
		}
		printf("  mt: Cairo's Spanish page http://127.0.0.1:%d%s says\n"
		    "      \"%s\"\n      and links the original\n", cairo,
		    path, mb_buf_cstr(&label));
		mb_buf_free(&label);
	}
	fflush(stdout);
out:
	json_decref(j);
	free(body);
	mb_buf_free(&b);
	return rc;
}
