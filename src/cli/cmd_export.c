/* SPDX-License-Identifier: MIT */
/* mediabridge export: every stored version as signed envelopes, in log order. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "center/center.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "http/newsml.h"
#include "wire/wire.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_export = {
	"export", "write every stored version as NDJSON envelopes",
	"usage: mediabridge export DIR [--format newsml-g2]\n\n"
	"Writes every stored item version to standard output, one signed\n"
	"envelope a line (NDJSON), in log order, exactly as stored: any\n"
	"center can verify each line and import it. --format newsml-g2\n"
	"writes them as one NewsML-G2 newsMessage instead, a newsItem per\n"
	"version, bodies sanitized, for an agency's system.\n",
	run
};

static int
write_line(const struct mb_store_version *v, void *arg)
{
	FILE *f = arg;

	if (fwrite(v->envelope, 1, v->envelope_len, f) != v->envelope_len ||
	    putc('\n', f) == EOF)
		return MB_ERR_IO;
	return MB_OK;
}

/*
 * One version as a newsItem of the message: a copy whose bodies are as
 * the API and the feeds give them (text/plain escaped, a line a
 * paragraph; HTML sanitized), not plain text read as markup.
 */
static int
write_g2(const struct mb_store_version *v, void *arg)
{
	struct mb_buf	*out = arg;
	json_t		*root, *item;
	int		 rc;

	if ((root = json_loadb(v->envelope, v->envelope_len, 0, NULL)) == NULL)
		return MB_ERR_CORRUPT;
	item = mb_http_newsml_item_copy(json_object_get(root, "item"));
	json_decref(root);
	if (item == NULL)
		return MB_ERR_NOMEM;
	rc = mb_wire_newsml_message_item(item, v->origin, out, NULL);
	json_decref(item);
	if (rc == MB_ERR_NOMEM)
		return rc;
	if (out->len > (1u << 20)) {
		if (fwrite(out->data, 1, out->len, stdout) != out->len)
			return MB_ERR_IO;
		mb_buf_reset(out);
	}
	return MB_OK;
}

static int
export_g2(struct mb_store *st, const char *center, struct mb_diag *d)
{
	struct mb_buf	out = MB_BUF_INIT;
	int		rc;

	if ((rc = mb_wire_newsml_message_begin(center, mb_time_now_ms(),
	    &out)) == MB_OK &&
	    (rc = mb_store_log(st, 0, 0, write_g2, &out, d)) == MB_OK &&
	    (rc = mb_wire_newsml_message_end(&out)) == MB_OK &&
	    fwrite(out.data, 1, out.len, stdout) != out.len)
		rc = MB_ERR_IO;
	mb_buf_free(&out);
	return rc;
}

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	bool			 g2 = false;
	int			 ch, rc;

	/* Options before or after DIR, --format X or --format=X. */
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "newsml-g2") != 0 &&
			    strcmp(optarg, "ndjson") != 0)
				return mb_cli_usage(&mb_cmd_export, "--format: "
				    "\"%s\": ndjson or newsml-g2", optarg);
			g2 = strcmp(optarg, "newsml-g2") == 0;
			break;
		default:
			return mb_cli_usage(&mb_cmd_export, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_export, "give exactly one DIR");
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	if (g2)
		rc = export_g2(st, n->conf.id, &d);
	else
		rc = mb_store_log(st, 0, 0, write_line, stdout, &d);
	if (rc == MB_ERR_IO)
		mb_diag_set(&d, rc, "standard output: write failed");
	if (fflush(stdout) != 0 && rc == MB_OK)
		rc = mb_diag_set(&d, MB_ERR_IO, "standard output: write failed");
out:
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("export", &d, rc);
	return MB_EXIT_OK;
}
