/* SPDX-License-Identifier: MIT */
/* mediabridge export: every stored version as signed envelopes, in log order. */
#include <stdio.h>
#include <string.h>

#include "center/center.h"
#include "cli/cli.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_export = {
	"export", "write every stored version as NDJSON envelopes",
	"usage: mediabridge export DIR\n\n"
	"Writes every stored item version to standard output, one signed\n"
	"envelope a line (NDJSON), in log order, exactly as stored: any\n"
	"center can verify each line and import it.\n",
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

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	int			 rc;

	if (argc != 2 || argv[1][0] == '-')
		return mb_cli_usage(&mb_cmd_export, "give exactly one DIR");
	if ((rc = mb_center_open(argv[1], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
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
