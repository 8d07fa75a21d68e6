/* SPDX-License-Identifier: MIT */
/* mediabridge engine: the center's machine translation engines (add, list
 * with their pairs and health, remove). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "center/center.h"
#include "center/conf.h"
#include "cli/cli.h"
#include "mt/mt.h"
#include "serve/mt_announce.h"
#include "serve/mt_signer.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_engine = {
	"engine", "machine translation engines: add, list (pairs, health), "
	"remove, announce",
	"usage: mediabridge engine add DIR --name NAME --kind KIND --url URL\n"
	"           [--api-key-file F] [--timeout S] [--retries N]\n"
	"           [--concurrency N] [--queue N] [--max-chars N]\n"
	"           [--engine-version V] [--share] [--readers]\n"
	"       mediabridge engine list DIR\n"
	"       mediabridge engine remove DIR NAME\n"
	"       mediabridge engine announce DIR [--pairs LIST]\n\n"
	"KIND is apertium-apy (Apertium APy: /listPairs, /translate),\n"
	"libretranslate (the LibreTranslate API: /languages, /translate) or\n"
	"mediabridge (a member center's shared engines, URL its address:\n"
	"asked by signed POST /federation/v1/translate). --share: offer this\n"
	"engine's pairs to member centers; --readers: readers may ask it for\n"
	"on-demand translations of items (docs/translation.md).\n"
	"Engines are kept in DIR/engines.conf; an API key is copied from F to\n"
	"DIR/keys/engine-NAME.key (mode 0600) and never printed or logged.\n"
	"--timeout: seconds one request may take (30); --retries: after a\n"
	"refused connection, 429 or 5xx (2); --concurrency: translations sent\n"
	"at once (2); --queue: translations that may wait for one (16);\n"
	"--max-chars: bytes of text per request (20000); --engine-version:\n"
	"what provenance and cache keys record (default: derived from the\n"
	"pairs the engine reports, since neither API says its version).\n"
	"list: one engine a line (name, kind, URL, up or down, pairs, answer\n"
	"time, version), then its pairs as the engine names them and in\n"
	"BCP 47, one a line, indented; then the pairs member centers lend,\n"
	"as HQ's registry says (\"network\"): the center, its address and\n"
	"its pairs. A translation that no engine here can make is asked of\n"
	"one of them, and its provenance names that center (via).\n"
	"announce: tells HQ now which pairs this center's --share engines\n"
	"translate, for the registry (serve does it at start and every 5\n"
	"minutes); on HQ it signs a new registry itself. --pairs: announce\n"
	"LIST (\"en|es,fr|es\"; \"\" none) instead, as given, for HQ to check;\n"
	"serve's next announcement of the engines' pairs replaces it.\n",
	run
};

static int
num(const char *s, int lo, int hi, int *out)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* DIR must hold a center. */
static int
center_check(const char *dir, struct mb_diag *d)
{
	struct mb_conf c;

	return mb_conf_load(dir, &c, d);
}

/* The engines, with this center's key for asking other centers'. */
static int
open_engines(const char *dir, struct mb_center_node **n, struct mb_mt **mt,
    struct mb_diag *d)
{
	int rc;

	*n = NULL;
	if ((rc = mb_mt_open(dir, mt, d)) != MB_OK)
		return rc;
	for (size_t i = 0; i < mb_mt_engine_count(*mt); i++)
		if (mb_mt_engine_at(*mt, i)->kind == MB_MT_PEER) {
			if ((rc = mb_center_open(dir, n, d)) != MB_OK) {
				mb_mt_close(*mt);
				return rc;
			}
			mb_mt_set_signer(*mt, mb_serve_mt_sign, *n);
			break;
		}
	return MB_OK;
}

static void
print_probe(struct mb_mt *mt, size_t i, bool pairs)
{
	const struct mb_mt_engine_conf	*c = mb_mt_engine_at(mt, i);
	struct mb_mt_probe		 p;
	struct mb_diag			 d = { "" };
	int				 rc;

	rc = mb_mt_engine_probe(mt, i, &p, &d);
	if (rc != MB_OK) {
		printf("%s\t%s\t%s\tdown\t%s\n", c->name,
		    mb_mt_kind_name(c->kind), c->url, mb_diag_msg(&d, rc));
		return;
	}
	printf("%s\t%s\t%s\tup\t%zu pairs\t%lld ms\t%s\n", c->name,
	    mb_mt_kind_name(c->kind), c->url, p.n, (long long)p.latency_ms,
	    p.version);
	for (size_t k = 0; pairs && k < p.n; k++)
		printf("\t%s|%s\t%s|%s\n", p.pairs[k].engine_from,
		    p.pairs[k].engine_to, p.pairs[k].from, p.pairs[k].to);
	mb_mt_probe_free(&p);
}

static int
add(int argc, char **argv)
{
	struct mb_mt_engine_conf	 c;
	struct mb_center_node		*n;
	struct mb_mt			*mt;
	struct mb_diag			 d = { "" };
	const char			*dir = NULL, *keyf = NULL;
	const char			*name = NULL, *kind = NULL, *url = NULL;
	int				 rc;

	mb_mt_engine_conf_defaults(&c);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (strcmp(o, "--share") == 0 || strcmp(o, "--readers") == 0) {
			*(o[2] == 's' ? &c.share : &c.readers) = true;
			continue;
		}
		if (o[0] != '-') {
			if (dir != NULL)
				return mb_cli_usage(&mb_cmd_engine, "one DIR");
			dir = o;
			continue;
		}
		if (v == NULL)
			return mb_cli_usage(&mb_cmd_engine, "%s: give a value",
			    o);
		i++;
		if (strcmp(o, "--name") == 0)
			name = v;
		else if (strcmp(o, "--kind") == 0)
			kind = v;
		else if (strcmp(o, "--url") == 0)
			url = v;
		else if (strcmp(o, "--api-key-file") == 0)
			keyf = v;
		else if (strcmp(o, "--timeout") == 0)
			bad = num(v, 1, 3600, &c.timeout_s);
		else if (strcmp(o, "--retries") == 0)
			bad = num(v, 0, 10, &c.retries);
		else if (strcmp(o, "--concurrency") == 0)
			bad = num(v, 1, 256, &c.concurrency);
		else if (strcmp(o, "--queue") == 0)
			bad = num(v, 0, 100000, &c.queue);
		else if (strcmp(o, "--max-chars") == 0)
			bad = num(v, 100, 1 << 24, &c.max_chars);
		else if (strcmp(o, "--engine-version") == 0)
			bad = !mb_mt_engine_version_valid(v) ? -1 :
			    (memcpy(c.version, v, strlen(v) + 1), 0);
		else
			return mb_cli_usage(&mb_cmd_engine, "unknown option "
			    "%s", o);
		if (bad)
			return mb_cli_usage(&mb_cmd_engine, "%s: bad value "
			    "\"%.40s\"", o, v);
	}
	if (dir == NULL || name == NULL || kind == NULL || url == NULL)
		return mb_cli_usage(&mb_cmd_engine, "give DIR, --name, --kind "
		    "and --url");
	if (strlen(name) >= sizeof(c.name) || strlen(url) >= sizeof(c.url))
		return mb_cli_usage(&mb_cmd_engine, "--name or --url too long");
	memcpy(c.name, name, strlen(name) + 1);
	memcpy(c.url, url, strlen(url) + 1);
	if ((rc = mb_mt_kind_parse(kind, &c.kind, &d)) != MB_OK)
		return mb_cli_usage(&mb_cmd_engine, "--kind: %s", d.msg);
	if ((rc = center_check(dir, &d)) != MB_OK ||
	    (rc = mb_mt_conf_add(dir, &c, keyf, &d)) != MB_OK)
		return mb_cli_fail("engine add", &d, rc);
	printf("engine %s added (%s at %s)\n", c.name,
	    mb_mt_kind_name(c.kind), c.url);
	/* Say now whether it answers; an engine may be started later. */
	if ((rc = open_engines(dir, &n, &mt, &d)) != MB_OK)
		return mb_cli_fail("engine add", &d, rc);
	for (size_t i = 0; i < mb_mt_engine_count(mt); i++)
		if (strcmp(mb_mt_engine_at(mt, i)->name, c.name) == 0)
			print_probe(mt, i, false);
	mb_mt_close(mt);
	mb_center_close(n);
	return MB_EXIT_OK;
}

/* One member center's lent pairs, as the registry says. */
static int
print_lender(const struct mb_center *c, void *arg)
{
	const struct mb_center_node	*n = arg;
	int				 k = 1;

	if (strcmp(c->id, n->conf.id) == 0 || strcmp(c->status, "active") !=
	    0 || c->mt_pairs[0] == '\0')
		return MB_OK;
	for (const char *p = c->mt_pairs; *p != '\0'; p++)
		k += *p == ',';
	printf("%s\tnetwork\t%s\tfrom the registry\t%d pairs\n", c->id,
	    c->url, k);
	for (const char *p = c->mt_pairs; *p != '\0';) {
		size_t l = strcspn(p, ",");

		printf("\t%.*s\tfrom %s\n", (int)l, p, c->id);
		p += l;
		if (*p == ',')
			p++;
	}
	return MB_OK;
}

static int
list(int argc, char **argv)
{
	struct mb_center_node	*n, *self = NULL;
	struct mb_store		*st;
	struct mb_mt		*mt;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (argc != 2)
		return mb_cli_usage(&mb_cmd_engine, "give DIR");
	if ((rc = center_check(argv[1], &d)) != MB_OK ||
	    (rc = open_engines(argv[1], &n, &mt, &d)) != MB_OK)
		return mb_cli_fail("engine list", &d, rc);
	if (mb_mt_engine_count(mt) == 0)
		fprintf(stderr, "engine list: no engines yet (mediabridge "
		    "engine add)\n");
	for (size_t i = 0; i < mb_mt_engine_count(mt); i++)
		print_probe(mt, i, true);
	mb_mt_close(mt);
	mb_center_close(n);
	/* The pairs other centers lend, from the stored registry. */
	if ((rc = mb_center_open(argv[1], &self, &d)) == MB_OK &&
	    (rc = mb_center_store(self, &st, &d)) == MB_OK) {
		rc = mb_store_center_list(st, print_lender, self, &d);
		mb_store_close(st);
	}
	mb_center_close(self);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("engine list", &d, rc);
}

static int
announce(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_mt		*mt = NULL;
	struct mb_buf		 said = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	enum mb_mt_announced	 out = MB_MT_ANNOUNCE_SAME;
	int			 rc;

	if (argc == 4 && strcmp(argv[2], "--pairs") == 0) {
		/* As given: "a|b,c|d" split at commas, nothing checked. */
		json_t *l = json_array();

		for (const char *p = argv[3]; l != NULL && *p != '\0';) {
			size_t k = strcspn(p, ",");

			json_array_append_new(l, json_stringn(p, k));
			p += k;
			if (*p == ',')
				p++;
		}
		mb_buf_puts(&said, argv[3]);
		if ((rc = mb_center_open(argv[1], &n, &d)) == MB_OK &&
		    (rc = mb_center_store(n, &st, &d)) == MB_OK)
			rc = mb_serve_mt_announce_list(n, st, l, &out, &d);
		json_decref(l);
	} else if (argc != 2) {
		return mb_cli_usage(&mb_cmd_engine, "give DIR [--pairs LIST]");
	} else if ((rc = mb_center_open(argv[1], &n, &d)) == MB_OK &&
	    (rc = mb_center_store(n, &st, &d)) == MB_OK &&
	    (rc = mb_mt_open(argv[1], &mt, &d)) == MB_OK) {
		rc = mb_serve_mt_announce(n, st, mt, &out, &said, &d);
	}
	mb_mt_close(mt);
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK) {
		mb_buf_free(&said);
		return mb_cli_fail("engine announce", &d, rc);
	}
	printf("%s: %s\n", out == MB_MT_ANNOUNCE_SAME ? "the registry says "
	    "so already" : out == MB_MT_ANNOUNCE_SENT ? "announced to HQ" :
	    "a new registry signed", said.len > 0 ? mb_buf_cstr(&said) :
	    "no pairs");
	mb_buf_free(&said);
	return MB_EXIT_OK;
}

static int
rm(int argc, char **argv)
{
	struct mb_diag	d = { "" };
	int		rc;

	if (argc != 3)
		return mb_cli_usage(&mb_cmd_engine, "give DIR and NAME");
	if ((rc = center_check(argv[1], &d)) != MB_OK ||
	    (rc = mb_mt_conf_remove(argv[1], argv[2], &d)) != MB_OK)
		return mb_cli_fail("engine remove", &d, rc);
	printf("engine %s removed\n", argv[2]);
	return MB_EXIT_OK;
}

static int
run(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return add(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "remove") == 0)
		return rm(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "announce") == 0)
		return announce(argc - 1, argv + 1);
	return mb_cli_usage(&mb_cmd_engine, "add, list, remove or announce?");
}
