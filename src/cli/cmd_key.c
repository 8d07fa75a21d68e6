/* SPDX-License-Identifier: MIT */
/* mediabridge key: prints the center's public key. */
#include <stdio.h>

#include "center/center.h"
#include "cli/cli.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_key = {
	"key", "print the center's public key (ed25519:<base64>)",
	"usage: mediabridge key DIR\n\n"
	"Prints the center's public key in the form that init --hq-key and\n"
	"center add --key take.\n",
	run
};

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_diag		 d = { "" };
	char			 pub[MB_PUBKEY_TEXT_LEN];
	int			 rc;

	if (argc != 2 || argv[1][0] == '-')
		return mb_cli_usage(&mb_cmd_key, "give exactly one DIR");
	if ((rc = mb_center_open(argv[1], &n, &d)) != MB_OK)
		return mb_cli_fail("key", &d, rc);
	mb_pubkey_format(n->pk, pub);
	printf("%s\n", pub);
	mb_center_close(n);
	return MB_EXIT_OK;
}
