/* SPDX-License-Identifier: MIT */
/* mediabridge center: HQ admits, suspends and revokes member centers. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "center/names.h"
#include "cli/cli.h"
#include "item/id.h"
#include "sync/registry.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_center = {
	"center", "HQ: admit, suspend, revoke or name a member center",
	"usage: mediabridge center add HQDIR --id ID --url URL --key KEY\n"
	"                          --country CC --name NAME [--languages L,L]\n"
	"       mediabridge center suspend|revoke|activate HQDIR ID\n"
	"       mediabridge center name HQDIR ID --lang LANG (--name NAME|--clear)\n"
	"       mediabridge center list DIR\n"
	"       mediabridge center show DIR ID\n\n"
	"On HQ: changes the registry of member centers and signs a new\n"
	"version of it, which branches fetch and apply. KEY is what `key`\n"
	"prints on the new center. A suspended center may not pull; a revoked\n"
	"one's new items are refused everywhere (its earlier items stay).\n"
	"A revoked center stays revoked: activate refuses it, and add refuses\n"
	"its old key; it comes back only with a new key (init a new data\n"
	"directory on the center and add its key).\n"
	"name: the center's name in LANG (ISO 639-1: ar, ru, es, fr...),\n"
	"at most 127 bytes of UTF-8, carried in the signed registry; each\n"
	"center's site shows it to readers of that language (--clear: the\n"
	"default name again). ID may be HQ's own.\n"
	"show: the center's registry entry, with its names in other\n"
	"languages and the translation pairs it lends (mt_pairs).\n",
	run
};

static int
open_hq(const char *dir, struct mb_center_node **n, struct mb_store **st,
    struct mb_diag *d)
{
	int rc;

	if ((rc = mb_center_open(dir, n, d)) != MB_OK)
		return rc;
	if (strcmp((*n)->conf.role, "hq") != 0) {
		mb_center_close(*n);
		return mb_diag_set(d, MB_ERR_PERM,
		    "%s is a branch: only HQ keeps the registry", dir);
	}
	if ((rc = mb_center_store(*n, st, d)) != MB_OK)
		mb_center_close(*n);
	return rc;
}

static int
add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "url", required_argument, NULL, 'u' },
		{ "key", required_argument, NULL, 'k' },
		{ "country", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "languages", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*id = NULL, *url = NULL, *key = NULL;
	const char		*country = NULL, *name = NULL, *langs = "en";
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_center	 c;
	struct mb_diag		 d = { "" };
	int64_t			 v;
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': id = optarg; break;
		case 'u': url = optarg; break;
		case 'k': key = optarg; break;
		case 'c': country = optarg; break;
		case 'n': name = optarg; break;
		case 'l': langs = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_center, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_center, "give exactly one HQDIR");
	if (id == NULL || url == NULL || key == NULL || country == NULL ||
	    name == NULL)
		return mb_cli_usage(&mb_cmd_center,
		    "--id, --url, --key, --country and --name are required");
	memset(&c, 0, sizeof(c));
	if (!mb_center_id_valid(id))
		return mb_cli_usage(&mb_cmd_center, "--id: not a center id");
	/* What init checks on the center's own side: the card is the same. */
	if (!mb_center_url_valid(url) || strlen(url) >= sizeof(c.url))
		return mb_cli_usage(&mb_cmd_center, "--url: an http:// or "
		    "https:// URL with a host");
	if (!mb_center_country_valid(country))
		return mb_cli_usage(&mb_cmd_center, "--country: an ISO 3166 "
		    "two-letter code such as EG");
	if (!mb_center_name_valid(name) || strlen(name) >= sizeof(c.name))
		return mb_cli_usage(&mb_cmd_center, "--name: one line, at "
		    "most 120 bytes");
	if (!mb_center_languages_valid(langs) ||
	    strlen(langs) >= sizeof(c.languages))
		return mb_cli_usage(&mb_cmd_center, "--languages: language "
		    "codes separated by commas, such as ar,en");
	if (mb_pubkey_parse(key, c.key, &d) != MB_OK)
		return mb_cli_fail("center add: --key", &d, MB_ERR_INVAL);
	snprintf(c.id, sizeof(c.id), "%s", id);
	snprintf(c.url, sizeof(c.url), "%s", url);
	snprintf(c.country, sizeof(c.country), "%s", country);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.languages, sizeof(c.languages), "%s", langs);
	snprintf(c.role, sizeof(c.role), "branch");
	snprintf(c.status, sizeof(c.status), "active");
	c.updated_ms = mb_time_now_ms();
	if ((rc = open_hq(argv[optind], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("center add", &d, rc);
	rc = mb_sync_registry_admit(st, n, &c, &v, &d);
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("center add", &d, rc);
	printf("center %s admitted; registry version %lld\n", id,
	    (long long)v);
	return MB_EXIT_OK;
}

static int
set_status(const char *status, int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_center	 c;
	struct mb_diag		 d = { "" };
	int64_t			 v = 0;
	int			 rc;

	if (argc != 3)
		return mb_cli_usage(&mb_cmd_center, "give HQDIR and ID");
	if ((rc = open_hq(argv[1], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("center", &d, rc);
	if ((rc = mb_store_center_get(st, argv[2], &c, &d)) == MB_OK) {
		if (strcmp(c.id, n->conf.id) == 0) {
			rc = mb_diag_set(&d, MB_ERR_INVAL, "%s is HQ itself",
			    c.id);
		} else if (strcmp(c.status, "revoked") == 0 &&
		    strcmp(status, "revoked") != 0) {
			rc = mb_diag_set(&d, MB_ERR_PERM, "%s is revoked, and a "
			    "revoked center stays revoked: its key may be in "
			    "someone else's hands. Admit it again with a new "
			    "key: mediabridge init a new data directory on the "
			    "center, then center add its key here", c.id);
		} else {
			snprintf(c.status, sizeof(c.status), "%s", status);
			c.updated_ms = mb_time_now_ms();
			if ((rc = mb_store_center_put(st, &c, &d)) == MB_OK)
				rc = mb_sync_registry_publish(st, n, &v, &d);
		}
	}
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("center", &d, rc);
	printf("center %s %s; registry version %lld\n", argv[2], status,
	    (long long)v);
	return MB_EXIT_OK;
}

static int
name(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "name", required_argument, NULL, 'n' },
		{ "clear", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*lang = NULL, *nm = NULL;
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_center	 c;
	struct mb_diag		 d = { "" };
	int64_t			 v = 0;
	int			 ch, rc, clear = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': lang = optarg; break;
		case 'n': nm = optarg; break;
		case 'c': clear = 1; break;
		default:
			return mb_cli_usage(&mb_cmd_center, "bad option");
		}
	}
	if (optind != argc - 2)
		return mb_cli_usage(&mb_cmd_center, "give HQDIR and ID");
	if (lang == NULL || (nm == NULL) == !clear)
		return mb_cli_usage(&mb_cmd_center, "give --lang and either "
		    "--name or --clear");
	if (nm != NULL && *nm == '\0')
		return mb_cli_usage(&mb_cmd_center, "--name: empty (--clear "
		    "removes a name)");
	if ((rc = open_hq(argv[optind], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("center name", &d, rc);
	if ((rc = mb_store_center_get(st, argv[optind + 1], &c, &d)) ==
	    MB_OK && (rc = mb_center_name_set(&c, lang, nm, &d)) == MB_OK) {
		c.updated_ms = mb_time_now_ms();
		if ((rc = mb_store_center_put(st, &c, &d)) == MB_OK)
			rc = mb_sync_registry_publish(st, n, &v, &d);
	}
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("center name", &d, rc);
	printf("center %s: name in %s %s; registry version %lld\n",
	    argv[optind + 1], lang, clear ? "cleared" : "set", (long long)v);
	return MB_EXIT_OK;
}

static int
show(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_center	 c;
	struct mb_diag		 d = { "" };
	json_t			*o;
	char			 key[MB_PUBKEY_TEXT_LEN];
	int			 rc;

	if (argc != 3)
		return mb_cli_usage(&mb_cmd_center, "give DIR and ID");
	if ((rc = mb_center_open(argv[1], &n, &d)) != MB_OK)
		return mb_cli_fail("center show", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) == MB_OK) {
		rc = mb_store_center_get(st, argv[2], &c, &d);
		mb_store_close(st);
	}
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("center show", &d, rc);
	mb_pubkey_format(c.key, key);
	printf("id\t%s\nname\t%s\nrole\t%s\nstatus\t%s\ncountry\t%s\n"
	    "languages\t%s\nurl\t%s\nkey\t%s\n", c.id, c.name, c.role,
	    c.status, c.country, c.languages, c.url, key);
	if ((o = mb_center_names_json(&c)) != NULL) {
		const char	*k;
		json_t		*val;

		json_object_foreach(o, k, val)
			printf("name.%s\t%s\n", k, json_string_value(val));
		json_decref(o);
	}
	printf("mt_pairs\t%s\n", c.mt_pairs);
	return MB_EXIT_OK;
}

static int
print_center(const struct mb_center *c, void *arg)
{
	char key[MB_PUBKEY_TEXT_LEN];

	(void)arg;
	mb_pubkey_format(c->key, key);
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c->id, c->role, c->status,
	    c->country, c->url, key, c->name);
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
		return mb_cli_usage(&mb_cmd_center, "give DIR");
	if ((rc = mb_center_open(argv[1], &n, &d)) != MB_OK)
		return mb_cli_fail("center list", &d, rc);
	if ((rc = mb_center_store(n, &st, &d)) == MB_OK) {
		rc = mb_store_center_list(st, print_center, NULL, &d);
		mb_store_close(st);
	}
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("center list", &d, rc);
}

static int
run(int argc, char **argv)
{
	if (argc < 2)
		return mb_cli_usage(&mb_cmd_center,
		    "add, suspend, revoke, activate, name, list or show?");
	if (strcmp(argv[1], "add") == 0)
		return add(argc - 1, argv + 1);
	if (strcmp(argv[1], "suspend") == 0)
		return set_status("suspended", argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke") == 0)
		return set_status("revoked", argc - 1, argv + 1);
	if (strcmp(argv[1], "activate") == 0)
		return set_status("active", argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return list(argc - 1, argv + 1);
	if (strcmp(argv[1], "name") == 0)
		return name(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return show(argc - 1, argv + 1);
	return mb_cli_usage(&mb_cmd_center, "%s: unknown subcommand", argv[1]);
}
