/* SPDX-License-Identifier: MIT */
/*
 * mediabridge member add|edit|list|show|suspend|reinstate|remove|
 * directory: this center's members and the network's directory.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "members/members.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_member = {
	"member", "members: add, edit, list, show, suspend, remove; the "
	"directory",
	"usage: mediabridge member add DIR --name NAME --category C\n"
	"           --country CC --languages L[,L...] [--affiliation A]\n"
	"           [--bio LANG=TEXT]... [--email E] [--phone P]\n"
	"           [--audience public|network|internal] [--user ACCOUNT]\n"
	"       mediabridge member edit DIR MEMBER [the same options]\n"
	"       mediabridge member list DIR [--status S] [--category C]\n"
	"           [--country CC]\n"
	"       mediabridge member show DIR MEMBER [--json]\n"
	"       mediabridge member suspend|reinstate|remove DIR MEMBER\n"
	"       mediabridge member directory DIR [--category C] [--country CC]\n"
	"           [--language L] [--center ID] [--json]\n"
	"\n"
	"A member's record lives at their home center (this one). C is one\n"
	"of politician, diplomat, academic, expert, youth-representative,\n"
	"journalist, other. The profile (name, category, country, languages,\n"
	"affiliation, bio) is published as a signed item to the audience\n"
	"given (default network; internal: not published); --email and\n"
	"--phone are contact fields, internal always: they never leave this\n"
	"center. --user links an account with role member, with which the\n"
	"member signs in, edits their own profile and votes. MEMBER is the\n"
	"id that add prints, the profile's uri or the account's name.\n"
	"add prints the id and the profile's uri. list prints this center's\n"
	"records (no contact fields); show prints one in full. suspend\n"
	"withholds the profile (reinstate publishes it again); remove\n"
	"withdraws it for good: either way it leaves every directory once\n"
	"the signed version has travelled. directory prints the network's\n"
	"directory as this center holds it: uri, center, category,\n"
	"country, name.\n",
	run
};

static int
print_record(const struct mb_member *m, void *arg)
{
	(void)arg;
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)m->id, m->status,
	    m->category, m->country, m->name, m->uri);
	return MB_OK;
}

static int
print_profile(const json_t *p, void *arg)
{
	if (arg != NULL) {
		char *s = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);

		if (s != NULL)
			puts(s);
		free(s);
		return MB_OK;
	}
	printf("%s\t%s\t%s\t%s\t%s\n",
	    json_string_value(json_object_get(p, "uri")),
	    json_string_value(json_object_get(p, "center")),
	    json_string_value(json_object_get(p, "category")),
	    json_string_value(json_object_get(p, "country")),
	    json_string_value(json_object_get(p, "name")));
	return MB_OK;
}

static void
show(const struct mb_member *m, bool as_json)
{
	json_t	*j = mb_member_record_json(m);
	char	*s = j != NULL ? json_dumps(j, as_json ? JSON_COMPACT |
	    JSON_SORT_KEYS : JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

	if (s != NULL)
		puts(s);
	free(s);
	json_decref(j);
}

/* Adds LANG=TEXT to the bio object. */
static int
add_bio(json_t *bio, const char *arg)
{
	const char	*eq = strchr(arg, '=');
	char		 lang[32];

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(lang))
		return -1;
	snprintf(lang, sizeof(lang), "%.*s", (int)(eq - arg), arg);
	return json_object_set_new(bio, lang, json_string(eq + 1));
}

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "category", required_argument, NULL, 'c' },
		{ "country", required_argument, NULL, 'C' },
		{ "languages", required_argument, NULL, 'l' },
		{ "language", required_argument, NULL, 'L' },
		{ "affiliation", required_argument, NULL, 'a' },
		{ "bio", required_argument, NULL, 'b' },
		{ "email", required_argument, NULL, 'e' },
		{ "phone", required_argument, NULL, 'p' },
		{ "audience", required_argument, NULL, 'A' },
		{ "user", required_argument, NULL, 'u' },
		{ "status", required_argument, NULL, 's' },
		{ "center", required_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node		*n = NULL;
	struct mb_newsroom_env		 e;
	struct mb_member_in		 in;
	struct mb_member		 m;
	struct mb_store_member_filter	 lf;
	struct mb_directory_filter	 df;
	struct mb_diag			 d = { "" };
	json_t				*bio = NULL;
	const char			*sub, *dir, *key = NULL;
	const char			*status = NULL, *language = NULL;
	const char			*center = NULL;
	bool				 as_json = false;
	int				 ch, rc = MB_OK, want;

	memset(&in, 0, sizeof(in));
	memset(&e, 0, sizeof(e));
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n': in.name = optarg; break;
		case 'c': in.category = optarg; break;
		case 'C': in.country = optarg; break;
		case 'l': in.languages = optarg; break;
		case 'L': language = optarg; break;
		case 'a': in.affiliation = optarg; break;
		case 'e': in.email = optarg; break;
		case 'p': in.phone = optarg; break;
		case 'A': in.audience = optarg; break;
		case 'u': in.user = optarg; break;
		case 's': status = optarg; break;
		case 'x': center = optarg; break;
		case 'j': as_json = true; break;
		case 'b':
			if (bio == NULL && (bio = json_object()) == NULL)
				return mb_cli_fail("member", NULL,
				    MB_ERR_NOMEM);
			if (add_bio(bio, optarg) != 0) {
				json_decref(bio);
				return mb_cli_usage(&mb_cmd_member, "--bio: "
				    "LANG=TEXT, like en=\"Economist\"");
			}
			break;
		default:
			json_decref(bio);
			return mb_cli_usage(&mb_cmd_member, "bad option");
		}
	}
	in.bio = bio;
	sub = argc > 1 ? argv[1] : "";
	want = strcmp(sub, "add") == 0 || strcmp(sub, "list") == 0 ||
	    strcmp(sub, "directory") == 0 ? 1 : 2;
	if (strcmp(sub, "add") != 0 && strcmp(sub, "edit") != 0 &&
	    strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "suspend") != 0 && strcmp(sub, "reinstate") != 0 &&
	    strcmp(sub, "remove") != 0 && strcmp(sub, "directory") != 0) {
		json_decref(bio);
		return mb_cli_usage(&mb_cmd_member, "give add, edit, list, "
		    "show, suspend, reinstate, remove or directory");
	}
	if (argc - optind != want) {
		json_decref(bio);
		return mb_cli_usage(&mb_cmd_member, want == 1 ? "give %s DIR" :
		    "give %s DIR MEMBER", sub);
	}
	dir = argv[optind];
	if (want == 2)
		key = argv[optind + 1];
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &e.st, &d)) != MB_OK ||
	    (rc = mb_ingest_new(n, e.st, &e.ing, &d)) != MB_OK)
		goto out;
	e.center = n->conf.id;
	if (key != NULL && (rc = mb_members_find(&e, key, &m, &d)) != MB_OK)
		goto out;
	if (strcmp(sub, "add") == 0) {
		if ((rc = mb_members_add(&e, NULL, &in, &m, &d)) == MB_OK)
			printf("%lld\t%s\n", (long long)m.id, m.uri);
	} else if (strcmp(sub, "edit") == 0) {
		rc = mb_members_update(&e, NULL, m.id, &in, NULL, &d);
	} else if (strcmp(sub, "list") == 0) {
		memset(&lf, 0, sizeof(lf));
		lf.status = status;
		lf.category = in.category;
		lf.country = in.country;
		rc = mb_store_member_list(e.st, &lf, print_record, NULL, &d);
	} else if (strcmp(sub, "show") == 0) {
		show(&m, as_json);
	} else if (strcmp(sub, "directory") == 0) {
		struct mb_actor member = { 0, NULL, MB_ROLE_MEMBER };

		memset(&df, 0, sizeof(df));
		df.category = in.category;
		df.country = in.country;
		df.language = language;
		df.center = center;
		df.limit = -1;
		rc = mb_members_directory(&e, &member, &df, print_profile,
		    as_json ? &df : NULL, &d);
	} else {
		rc = mb_members_set_status(&e, NULL, m.id,
		    strcmp(sub, "suspend") == 0 ? "suspended" :
		    strcmp(sub, "remove") == 0 ? "removed" : "active", &d);
	}
out:
	json_decref(bio);
	mb_ingest_free(e.ing);
	mb_store_close(e.st);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("member", &d, rc);
}
