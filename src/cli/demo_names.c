/* SPDX-License-Identifier: MIT */
/*
 * The demo's center names in other languages (issue 15): HQ's operator
 * names the three centers in Arabic, Russian, Spanish, French and
 * Chinese, as `center name` does, and signs one new registry; each
 * center fetches it when it serves, and its site names the centers in
 * the reader's language (/ar/, /ru/, /es/...), the default name in
 * English.
 */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "center/center.h"
#include "center/names.h"
#include "cli/cli.h"
#include "sync/registry.h"

static const struct {
	const char	*id, *lang, *name;
} names[] = {
	{ "moscow", "ar", "موسكو" }, { "moscow", "ru", "Москва" },
	{ "moscow", "es", "Moscú" }, { "moscow", "fr", "Moscou" },
	{ "moscow", "zh", "莫斯科" },
	{ "cairo", "ar", "القاهرة" }, { "cairo", "ru", "Каир" },
	{ "cairo", "es", "El Cairo" }, { "cairo", "fr", "Le Caire" },
	{ "cairo", "zh", "开罗" },
	{ "manama", "ar", "المنامة" }, { "manama", "ru", "Манама" },
	{ "manama", "es", "Manama" }, { "manama", "fr", "Manama" },
	{ "manama", "zh", "麦纳麦" },
};

int
mb_demo_center_names(const char *dir)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_center	 c;
	struct mb_diag		 d = { "" };
	char			 path[1200];
	int64_t			 v = 0;
	int			 rc;

	snprintf(path, sizeof(path), "%s/moscow", dir);
	if ((rc = mb_center_open(path, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((rc = mb_store_center_get(st, names[i].id, &c, &d)) !=
		    MB_OK || (rc = mb_center_name_set(&c, names[i].lang,
		    names[i].name, &d)) != MB_OK)
			goto out;
		c.updated_ms = mb_time_now_ms();
		if ((rc = mb_store_center_put(st, &c, &d)) != MB_OK)
			goto out;
	}
	rc = mb_sync_registry_publish(st, n, &v, &d);
out:
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		printf("demo: center names: FAILED: %s\n", d.msg);
	else
		printf("demo: HQ named the centers in ar, ru, es, fr and zh "
		    "(center name; registry version %lld)\n", (long long)v);
	fflush(stdout);
	return rc;
}
