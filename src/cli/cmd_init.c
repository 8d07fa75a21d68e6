/* SPDX-License-Identifier: MIT */
/* mediabridge init: a new center, its keys, configuration and store. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "center/center.h"
#include "cli/cli.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_init = {
	"init", "create a new center: keys, configuration, empty store",
	"usage: mediabridge init DIR --id ID --name NAME --country CC\n"
	"                        --languages L,L [--url URL] [--listen HOST:PORT]\n"
	"                        [--database URL] [--hq | --hq-url URL --hq-key KEY]\n\n"
	"Creates a center in DIR: an Ed25519 key pair (keys/center.key, mode\n"
	"0600), mediabridge.conf and an empty store. For DIR in\n"
	"/var/lib/mediabridge (the package's layout) the configuration goes\n"
	"to /etc/mediabridge/ID.conf instead, and when run as root the data\n"
	"directory is handed to the mediabridge user the service runs as.\n\n"
	"  --id ID            the center's id: a-z, 0-9, '-' (e.g. cairo)\n"
	"  --name NAME        its name (e.g. \"Cairo Media Center\")\n"
	"  --country CC       ISO 3166 code (e.g. EG)\n"
	"  --languages L,L    the languages it publishes in (e.g. ar,en)\n"
	"  --url URL          how other centers reach it (default from --listen)\n"
	"  --listen HOST:PORT where serve listens (default 127.0.0.1:8080)\n"
	"  --database URL     sqlite:PATH (default sqlite:store.db in DIR), or\n"
	"                     postgresql://USER@HOST/DB (an empty database; several\n"
	"                     serve processes may share it: docs/operations.md)\n"
	"  --hq               this center is the network's headquarters\n"
	"  --hq-url URL       a branch: HQ's URL\n"
	"  --hq-key KEY       a branch: HQ's public key (mediabridge key on HQ)\n",
	run
};

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "country", required_argument, NULL, 'c' },
		{ "languages", required_argument, NULL, 'l' },
		{ "url", required_argument, NULL, 'u' },
		{ "listen", required_argument, NULL, 'L' },
		{ "database", required_argument, NULL, 'D' },
		{ "hq", no_argument, NULL, 'H' },
		{ "hq-url", required_argument, NULL, 'U' },
		{ "hq-key", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_init_opts	o;
	struct mb_diag		d = { "" };
	int			ch, rc;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': o.id = optarg; break;
		case 'n': o.name = optarg; break;
		case 'c': o.country = optarg; break;
		case 'l': o.languages = optarg; break;
		case 'u': o.url = optarg; break;
		case 'L': o.listen = optarg; break;
		case 'D': o.database = optarg; break;
		case 'H': o.hq = 1; break;
		case 'U': o.hq_url = optarg; break;
		case 'K': o.hq_key = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_init, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_init, "give exactly one DIR");
	if (o.id == NULL || o.name == NULL || o.country == NULL ||
	    o.languages == NULL)
		return mb_cli_usage(&mb_cmd_init,
		    "--id, --name, --country and --languages are required");
	if ((rc = mb_center_init(argv[optind], &o, &d)) != MB_OK ||
	    (rc = mb_cli_hand_over(argv[optind], &d)) != MB_OK)
		return mb_cli_fail("init", &d, rc);
	printf("initialized center %s in %s\n", o.id, argv[optind]);
	return MB_EXIT_OK;
}
