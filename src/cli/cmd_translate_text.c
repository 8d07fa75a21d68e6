/* SPDX-License-Identifier: MIT */
/* mediabridge translate-text: HTML (or plain text) on stdin through the
 * center's engines, the translation on stdout. For operators and benches;
 * drafts linked to their original come with `translate`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/fs.h"
#include "center/conf.h"
#include "cli/cli.h"
#include "mt/mt.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_translate_text = {
	"translate-text", "translate HTML from stdin with the center's "
	"engines",
	"usage: mediabridge translate-text DIR --from L --to L\n"
	"           [--engine NAME] [--glossary FILE] [--text] [--json]\n"
	"           < FILE\n"
	"\n"
	"Translates the HTML on standard input (at most 1 MB) from --from to\n"
	"--to (BCP 47: en, es, pt-BR...) with the first engine of DIR's that\n"
	"can (or --engine NAME), through a pivot language when no engine has\n"
	"the pair (en to pt via es), and prints it. Tags, attributes, code\n"
	"and translate=\"no\" come back as they were. --text: the input is\n"
	"plain text. --json: prints {\"text\", \"translation\" (the\n"
	"provenance), \"cacheKey\", \"segments\", \"requests\", \"ms\"}.\n"
	"--glossary FILE: lines FROM<TAB>TO<TAB>TERM[<TAB>TRANSLATION]; TO\n"
	"may be * (every language); no translation keeps the term as it is;\n"
	"# starts a comment.\n",
	run
};

/* Reads a glossary file of tab-separated lines. */
static int
read_glossary(const char *path, struct mb_mt_glossary **out,
    struct mb_diag *d)
{
	struct mb_mt_term	*v = NULL;
	char			*buf = NULL, *line, *next;
	size_t			 len = 0, n = 0, cap = 0;
	int			 rc, lineno = 0;

	if ((rc = mb_fs_read(path, 16u * 1024 * 1024, &buf, &len, d)) !=
	    MB_OK)
		return rc;
	for (line = buf; line != NULL && rc == MB_OK; line = next) {
		char	*f[4] = { NULL, NULL, NULL, NULL };
		int	 nf = 0;

		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		for (char *p = line; p != NULL && nf < 4; nf++) {
			f[nf] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
		}
		if (nf < 3) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "%s:%d: want FROM, "
			    "TO, TERM and maybe a TRANSLATION, separated by "
			    "tabs", path, lineno);
			break;
		}
		if (n == cap) {
			void *p = realloc(v, (cap ? cap * 2 : 64) * sizeof(*v));

			if (p == NULL) {
				rc = MB_ERR_NOMEM;
				break;
			}
			v = p;
			cap = cap ? cap * 2 : 64;
		}
		v[n++] = (struct mb_mt_term){ f[0], f[1], f[2], f[3] };
	}
	if (rc == MB_OK && (rc = mb_mt_glossary_new(v, n, out, d)) != MB_OK)
		mb_diag_prefix(d, "%s", path);
	free(v);
	free(buf);
	return rc;
}

/* Reads stdin, refusing more than MB_MT_INPUT_MAX bytes. */
static int
read_input(struct mb_buf *b, struct mb_diag *d)
{
	char	chunk[65536];
	size_t	n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		if (b->len + n > MB_MT_INPUT_MAX)
			return mb_diag_set(d, MB_ERR_TOOBIG, "the input is "
			    "over 1 MB (%u bytes); at most that is translated "
			    "at once: split it", MB_MT_INPUT_MAX);
		if (mb_buf_append(b, chunk, n) != MB_OK)
			return MB_ERR_NOMEM;
	}
	if (ferror(stdin))
		return mb_diag_set(d, MB_ERR_IO, "stdin: %s", strerror(errno));
	return b->data == NULL ? mb_buf_puts(b, "") : MB_OK;
}

static int
print_json(const struct mb_mt_result *r)
{
	json_t	*o, *prov = mb_mt_provenance(&r->route, r->at_ms);
	char	*s;

	o = json_pack("{s:s%, s:o, s:s, s:I, s:I, s:I}", "text", r->text,
	    r->len, "translation", prov, "cacheKey", r->cache_key, "segments",
	    (json_int_t)r->segments, "requests", (json_int_t)r->requests,
	    "ms", (json_int_t)r->took_ms);
	if (o == NULL || (s = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return MB_ERR_NOMEM;
	}
	puts(s);
	free(s);
	json_decref(o);
	return MB_OK;
}

static int
run(int argc, char **argv)
{
	struct mb_mt_request	 rq = { NULL, NULL, NULL, NULL, 0, false,
				    NULL, 0 };
	struct mb_mt_glossary	*g = NULL;
	struct mb_mt_result	 r;
	struct mb_mt		*mt = NULL;
	struct mb_buf		 in = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	struct mb_conf		 conf;
	const char		*dir = NULL, *gfile = NULL;
	bool			 json = false;
	int			 rc;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "--text") == 0) {
			rq.plain = true;
			continue;
		}
		if (strcmp(o, "--json") == 0) {
			json = true;
			continue;
		}
		if (o[0] != '-') {
			if (dir != NULL)
				return mb_cli_usage(&mb_cmd_translate_text,
				    "one DIR");
			dir = o;
			continue;
		}
		if (v == NULL)
			return mb_cli_usage(&mb_cmd_translate_text,
			    "%s: give a value", o);
		i++;
		if (strcmp(o, "--from") == 0)
			rq.from = v;
		else if (strcmp(o, "--to") == 0)
			rq.to = v;
		else if (strcmp(o, "--engine") == 0)
			rq.engine = v;
		else if (strcmp(o, "--glossary") == 0)
			gfile = v;
		else
			return mb_cli_usage(&mb_cmd_translate_text,
			    "unknown option %s", o);
	}
	if (dir == NULL || rq.from == NULL || rq.to == NULL)
		return mb_cli_usage(&mb_cmd_translate_text, "give DIR, --from "
		    "and --to");
	if ((rc = mb_conf_load(dir, &conf, &d)) != MB_OK ||
	    (gfile != NULL && (rc = read_glossary(gfile, &g, &d)) != MB_OK) ||
	    (rc = read_input(&in, &d)) != MB_OK ||
	    (rc = mb_mt_open(dir, &mt, &d)) != MB_OK)
		goto fail;
	rq.text = in.data;
	rq.len = in.len;
	rq.glossary = g;
	if ((rc = mb_mt_translate(mt, &rq, &r, &d)) != MB_OK)
		goto fail;
	if (json)
		rc = print_json(&r);
	else
		fwrite(r.text, 1, r.len, stdout);
	mb_mt_result_free(&r);
	if (rc != MB_OK || fflush(stdout) != 0) {
		rc = rc != MB_OK ? rc : mb_diag_set(&d, MB_ERR_IO, "stdout: %s",
		    strerror(errno));
		goto fail;
	}
	mb_mt_close(mt);
	mb_mt_glossary_free(g);
	mb_buf_free(&in);
	return MB_EXIT_OK;
fail:
	mb_mt_close(mt);
	mb_mt_glossary_free(g);
	mb_buf_free(&in);
	return mb_cli_fail("translate-text", &d, rc);
}
