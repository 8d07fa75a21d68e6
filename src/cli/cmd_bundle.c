/* SPDX-License-Identifier: MIT */
/* mediabridge bundle: export, import and ack offline bundles (the exchange carried by hand). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "bundle/bundle.h"
#include "center/center.h"
#include "cli/cli.h"
#include "media/media.h"
#include "sync/indexer.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_bundle = {
	"bundle", "carry the exchange by hand: signed offline bundles",
	"usage: mediabridge bundle export DIR [--for CENTER] [--since SEQ |\n"
	"           --ack FILE] [--media none|thumbnails|all] [--max-size N]\n"
	"           -o FILE\n"
	"       mediabridge bundle import DIR FILE...\n"
	"       mediabridge bundle ack DIR --for CENTER -o FILE\n\n"
	"A bundle is one archive (tar + zstd) holding a manifest signed by\n"
	"the exporting center, HQ's signed registry, the versions of the log\n"
	"(each signed by its origin) and media, so that a center with no\n"
	"link -- or a link billed by the megabyte -- exchanges by USB stick.\n"
	"Internal items never enter one. docs/bundles.md has the format.\n\n"
	"export writes the versions after a starting point: --since SEQ (of\n"
	"this center's log), else the ack's, else where the last bundle for\n"
	"the same CENTER ended (0 the first time).\n"
	"  --for CENTER   for that center: leaves out what it sent or signed\n"
	"  --since SEQ    start after this seq of this center's log\n"
	"  --ack FILE     start where the importer's ack says it is\n"
	"  --media M      none, thumbnails (pictures up to 128 KiB) or all\n"
	"                 (default thumbnails)\n"
	"  --max-size N   bytes per volume (k, M, G suffixes; default 2G);\n"
	"                 further volumes are FILE.2, FILE.3, ...\n"
	"  -o FILE        the bundle to write\n\n"
	"import checks each bundle whole -- the exporter's signature, every\n"
	"member's and every version's hash, nothing missing, nothing added --\n"
	"before it stores anything, then applies it as a pull would (each\n"
	"origin's signature checked, duplicates and a revoked origin's\n"
	"versions skipped) and indexes it.\n"
	"Volumes are imported in order; one whose predecessor is missing is\n"
	"refused.\n\n"
	"ack writes, signed by this center, how far the bundles from CENTER\n"
	"arrived, for CENTER's next `bundle export --ack FILE`.\n",
	run
};

/* "2G", "500M", "64k", "1000": bytes; -1 when not a size. */
static int64_t
parse_size(const char *s)
{
	char		*end;
	long long	 v;
	int64_t		 mul = 1;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v <= 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1024;
		end++;
		break;
	case 'm': case 'M':
		mul = 1024 * 1024;
		end++;
		break;
	case 'g': case 'G':
		mul = (int64_t)1024 * 1024 * 1024;
		end++;
		break;
	default:
		return -1;
	}
	if (*end != '\0' || v > INT64_MAX / mul)
		return -1;
	return v * mul;
}

static void
print_file(const char *file, void *arg)
{
	(void)arg;
	printf("%s\n", file);
}

static int
do_export(int argc, char **argv)
{
	struct mb_bundle_export_opts	 o = { NULL, -1, NULL,
					    MB_BUNDLE_MEDIA_THUMBNAILS,
					    (int64_t)2 << 30, NULL };
	struct mb_bundle_export_result	 r;
	struct mb_center_node		*n = NULL;
	struct mb_store			*st = NULL;
	struct mb_diag			 d = { "" };
	const char			*dir = NULL;
	int				 rc;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--for") == 0 && v != NULL)
			o.for_center = argv[++i];
		else if (strcmp(a, "--since") == 0 && v != NULL) {
			char *end;

			errno = 0;
			o.since = strtoll(v, &end, 10);
			if (errno != 0 || *end != '\0' || end == v || o.since < 0)
				return mb_cli_usage(&mb_cmd_bundle, "--since %s: "
				    "not a seq (0 or more)", v);
			i++;
		} else if (strcmp(a, "--ack") == 0 && v != NULL)
			o.ack = argv[++i];
		else if (strcmp(a, "--media") == 0 && v != NULL) {
			if (strcmp(v, "none") == 0)
				o.media = MB_BUNDLE_MEDIA_NONE;
			else if (strcmp(v, "thumbnails") == 0)
				o.media = MB_BUNDLE_MEDIA_THUMBNAILS;
			else if (strcmp(v, "all") == 0)
				o.media = MB_BUNDLE_MEDIA_ALL;
			else
				return mb_cli_usage(&mb_cmd_bundle, "--media "
				    "%s: none, thumbnails or all", v);
			i++;
		} else if (strcmp(a, "--max-size") == 0 && v != NULL) {
			if ((o.max_size = parse_size(v)) < 0)
				return mb_cli_usage(&mb_cmd_bundle, "--max-size "
				    "%s: not a size (e.g. 2G, 500M, 64k)", v);
			i++;
		} else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") ==
		    0) && v != NULL)
			o.out = argv[++i];
		else if (a[0] == '-')
			return mb_cli_usage(&mb_cmd_bundle, "export: unknown "
			    "option %s (or its value is missing)", a);
		else if (dir == NULL)
			dir = a;
		else
			return mb_cli_usage(&mb_cmd_bundle, "export: give one "
			    "DIR");
	}
	if (dir == NULL || o.out == NULL || *o.out == '\0')
		return mb_cli_usage(&mb_cmd_bundle, "export: give DIR and -o "
		    "FILE");
	if (o.since >= 0 && o.ack != NULL)
		return mb_cli_usage(&mb_cmd_bundle, "export: --since or --ack, "
		    "not both");
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	/* Which blobs each item refers to, up to date with the log. */
	if ((rc = mb_media_index(st, NULL, &d)) != MB_OK)
		goto out;
	rc = mb_bundle_export(n, st, &o, print_file, NULL, &r, &d);
out:
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("bundle export", &d, rc);
	fprintf(stderr, "bundle export: %lld version%s after seq %lld through "
	    "%lld, %lld blob%s, %d volume%s\n", (long long)r.versions,
	    r.versions == 1 ? "" : "s", (long long)r.after,
	    (long long)r.through, (long long)r.blobs, r.blobs == 1 ? "" : "s",
	    r.volumes, r.volumes == 1 ? "" : "s");
	if (r.missing > 0)
		fprintf(stderr, "bundle export: %lld blob%s missing here, left "
		    "out (the importer fetches %s later)\n",
		    (long long)r.missing, r.missing == 1 ? "" : "s",
		    r.missing == 1 ? "it" : "them");
	return MB_EXIT_OK;
}

static int
do_import(int argc, char **argv)
{
	struct mb_bundle_import_result	 r;
	struct mb_center_node		*n = NULL;
	struct mb_store			*st = NULL;
	struct mb_diag			 d = { "" };
	int				 rc = MB_OK, failed = 0;

	if (argc < 4 || argv[2][0] == '-')
		return mb_cli_usage(&mb_cmd_bundle, "import: give DIR and one "
		    "FILE or more");
	for (int i = 3; i < argc; i++)
		if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_bundle, "import: unknown "
			    "option %s", argv[i]);
	if ((rc = mb_center_open(argv[2], &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK)
		goto out;
	/* In the order given: a volume after a refused one would be too. */
	for (int i = 3; i < argc; i++) {
		if ((rc = mb_bundle_import(n, st, argv[i], &r, &d)) != MB_OK) {
			failed = 1;
			break;
		}
		printf("bundle import: %s from %s, seqs %lld-%lld: %lld "
		    "applied, %lld already here, %lld refused, %lld blob%s%s\n",
		    argv[i], r.exporter, (long long)r.after + 1,
		    (long long)r.through, (long long)r.applied,
		    (long long)r.duplicates, (long long)r.refused,
		    (long long)r.blobs, r.blobs == 1 ? "" : "s",
		    r.registry ? ", a newer registry" : "");
		/* The rest was taken and the mark moved on: not a failure. */
		if (r.refused > 0)
			fprintf(stderr, "bundle import: %s: %lld version%s of a "
			    "revoked origin skipped\n", argv[i],
			    (long long)r.refused, r.refused == 1 ? "" : "s");
	}
	if (rc == MB_OK)
		rc = mb_sync_index_all(st, &d);
out:
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("bundle import", &d, rc);
	return failed ? MB_EXIT_FAIL : MB_EXIT_OK;
}

static int
do_ack(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_buf		 out = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL, *from = NULL, *file = NULL;
	int			 rc;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--for") == 0 && i + 1 < argc)
			from = argv[++i];
		else if ((strcmp(argv[i], "-o") == 0 ||
		    strcmp(argv[i], "--output") == 0) && i + 1 < argc)
			file = argv[++i];
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_bundle, "ack: unknown "
			    "option %s", argv[i]);
		else if (dir == NULL)
			dir = argv[i];
		else
			return mb_cli_usage(&mb_cmd_bundle, "ack: give one DIR");
	}
	if (dir == NULL || from == NULL || file == NULL)
		return mb_cli_usage(&mb_cmd_bundle, "ack: give DIR, --for "
		    "CENTER and -o FILE");
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK ||
	    (rc = mb_bundle_ack(n, st, from, &out, &d)) != MB_OK)
		goto out;
	rc = mb_fs_write_atomic(file, out.data, out.len, 0644, &d);
out:
	mb_buf_free(&out);
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("bundle ack", &d, rc);
	return MB_EXIT_OK;
}

static const struct mb_cli_sub subs[] = {
	{ "export", do_export },
	{ "import", do_import },
	{ "ack", do_ack },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_bundle,
		"give export, import or ack", "%s: give export, import or ack",
		1, subs };

	return mb_cli_dispatch(&t, argc, argv);
}
