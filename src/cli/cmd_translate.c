/* SPDX-License-Identifier: MIT */
/* mediabridge translate: a machine draft of an item, linked to its original
 * (the newsroom's translate step, as the operator or as a user). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "mt/mt.h"
#include "newsroom/translate.h"
#include "serve/mt_signer.h"
#include "store/accounts.h"
#include "store/store.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_translate = {
	"translate", "make a machine draft of an item in another language",
	"usage: mediabridge translate DIR URI --to L [--as USER] [--json]\n"
	"\n"
	"Translates the item URI (this center's or one received from\n"
	"another) into L (BCP 47: es, pt-BR...) with DIR's engines\n"
	"(mediabridge engine add) and stores the result as a draft at this\n"
	"center, linked to its original: meta.translation says of which\n"
	"version, by machine, with which engine, pair and engine version,\n"
	"and when. When this center already has a draft of URI in L, it is\n"
	"made again (a new version). --as USER: as that user (a translator,\n"
	"journalist, editor or admin), else as the operator. Prints the\n"
	"draft's uri and version, or with --json its signed envelope.\n",
	run
};

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_ingest	*ig = NULL;
	struct mb_mt		*mt = NULL;
	struct mb_newsroom_env	 e;
	struct mb_nr_saved	 sv;
	struct mb_actor		 a = { 0, "operator", MB_ROLE_ADMIN };
	struct mb_user		 u;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL, *uri = NULL, *to = NULL;
	const char		*as = NULL;
	bool			 json = false, made = false;
	int			 rc;

	memset(&sv, 0, sizeof(sv));
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "--json") == 0) {
			json = true;
			continue;
		}
		if (o[0] != '-') {
			if (dir == NULL)
				dir = o;
			else if (uri == NULL)
				uri = o;
			else
				return mb_cli_usage(&mb_cmd_translate,
				    "one DIR and one URI");
			continue;
		}
		if (v == NULL)
			return mb_cli_usage(&mb_cmd_translate,
			    "%s: give a value", o);
		i++;
		if (strcmp(o, "--to") == 0)
			to = v;
		else if (strcmp(o, "--as") == 0)
			as = v;
		else
			return mb_cli_usage(&mb_cmd_translate,
			    "unknown option %s", o);
	}
	if (dir == NULL || uri == NULL || to == NULL)
		return mb_cli_usage(&mb_cmd_translate, "give DIR, URI and --to");
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK ||
	    (rc = mb_ingest_new(n, st, &ig, &d)) != MB_OK ||
	    (rc = mb_mt_open(dir, &mt, &d)) != MB_OK)
		goto out;
	mb_mt_set_signer(mt, mb_serve_mt_sign, n);
	if (as != NULL) {
		if ((rc = mb_store_user_get(st, as, 0, &u, NULL, 0, &d)) !=
		    MB_OK) {
			mb_diag_prefix(&d, "--as %s", as);
			goto out;
		}
		if (u.disabled) {
			rc = mb_diag_set(&d, MB_ERR_PERM, "user %s is "
			    "disabled", as);
			goto out;
		}
		a.user_id = u.id;
		a.name = u.name;
		a.role = mb_role_parse(u.role);
	}
	memset(&e, 0, sizeof(e));
	e.st = st;
	e.ing = ig;
	e.center = n->conf.id;
	if ((rc = mb_newsroom_translate(&e, &a, mt, uri, to, &sv, &made,
	    &d)) != MB_OK)
		goto out;
	if (json)
		printf("%.*s\n", (int)sv.wire.len, sv.wire.data);
	else
		printf("%s version %lld: machine draft %s\n", sv.uri,
		    (long long)sv.version, made ? "made" : "made again");
out:
	mb_nr_saved_free(&sv);
	mb_mt_close(mt);
	mb_ingest_free(ig);
	mb_store_close(st);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("translate", &d, rc);
}
