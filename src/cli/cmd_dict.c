/* SPDX-License-Identifier: MIT */
/* mediabridge dict: HQ trains the exchange's zstd dictionary; bench measures it against zstd alone and gzip. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "center/center.h"
#include "cli/cli.h"
#include "sync/dict.h"
#include "sync/log.h"
#include "sync/registry.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_dict = {
	"dict", "the exchange's zstd dictionary: train it at HQ, measure it",
	"usage: mediabridge dict train DIR [--size BYTES] [--samples N]\n"
	"       mediabridge dict show DIR\n"
	"       mediabridge dict bench DIR [--after SEQ] [--batch N]...\n"
	"           [--dict FILE]\n\n"
	"train (HQ): a dictionary of --size bytes (default 64k) from the\n"
	"newest --samples log lines (default 5000), kept as\n"
	"DIR/dicts/<sha256>.zdict, made current with the next version, and\n"
	"announced in a newly signed registry: branches fetch it, check its\n"
	"hash against the registry, and pull with it (docs/links.md).\n"
	"show: the current dictionary's version and hash.\n"
	"bench: the log after SEQ in batches of N (default 1, 10, 100 and\n"
	"1000) compressed as the exchange would: bytes per item raw, gzip,\n"
	"zstd, zstd -3, and zstd -3 with the dictionary (FILE, else the\n"
	"current one).\n",
	run
};

static int
train(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "samples", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	struct mb_buf		 dict = MB_BUF_INIT;
	char			 hash[65], old[65], *end;
	long			 size = 65536, samples = 5000;
	int64_t			 v = 0, reg = 0;
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 's') {
			size = strtol(optarg, &end, 10);
			if (*end == 'k' || *end == 'K')
				size *= 1024, end++;
			if (*end != '\0' || size < 1024 || size > MB_DICT_MAX)
				return mb_cli_usage(&mb_cmd_dict, "--size: 1k "
				    "to 1024k");
		} else if (ch == 'n') {
			samples = strtol(optarg, &end, 10);
			if (*end != '\0' || samples < 64 || samples > 1000000)
				return mb_cli_usage(&mb_cmd_dict, "--samples: "
				    "64 to 1000000");
		} else {
			return mb_cli_usage(&mb_cmd_dict, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_dict, "give DIR");
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("dict train", &d, rc);
	if (strcmp(n->conf.role, "hq") != 0) {
		mb_center_close(n);
		mb_diag_set(&d, MB_ERR_PERM, "only HQ trains the network's "
		    "dictionary; branches get it with the registry");
		return mb_cli_fail("dict train", &d, MB_ERR_PERM);
	}
	if ((rc = mb_center_store(n, &st, &d)) != MB_OK) {
		mb_center_close(n);
		return mb_cli_fail("dict train", &d, rc);
	}
	if ((rc = mb_sync_dict_train(st, (size_t)samples, (size_t)size, &dict,
	    &d)) == MB_OK &&
	    (rc = mb_sync_dict_put(n->conf.dir, dict.data, dict.len, hash,
	    &d)) == MB_OK) {
		(void)mb_sync_dict_current(n->conf.dir, &v, old, NULL);
		if ((rc = mb_sync_dict_set_current(n->conf.dir, v + 1, hash,
		    &d)) == MB_OK)
			rc = mb_sync_registry_publish(st, n, &reg, &d);
	}
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK) {
		mb_buf_free(&dict);
		return mb_cli_fail("dict train", &d, rc);
	}
	printf("dictionary version %lld sha256 %s (%zu bytes), announced in "
	    "registry version %lld\n", (long long)(v + 1), hash, dict.len,
	    (long long)reg);
	mb_buf_free(&dict);
	return MB_EXIT_OK;
}

static int
show(int argc, char **argv)
{
	struct mb_diag	d = { "" };
	char		hash[65];
	int64_t		v;
	int		rc;

	if (argc != 2)
		return mb_cli_usage(&mb_cmd_dict, "give DIR");
	if ((rc = mb_sync_dict_current(argv[1], &v, hash, &d)) ==
	    MB_ERR_NOTFOUND) {
		printf("no wire dictionary\n");
		return MB_EXIT_OK;
	}
	if (rc != MB_OK)
		return mb_cli_fail("dict show", &d, rc);
	printf("version %lld sha256 %s%s\n", (long long)v, hash,
	    mb_sync_dict_have(argv[1], hash) ? "" : " (file missing)");
	return MB_EXIT_OK;
}

/* The sizes of one batch's body under each coding, added to sum. */
struct sizes {
	int64_t	items, raw, gzip, zstd1, zstd3, dict;
};

static int
measure(const struct mb_buf *body, size_t count, const void *dict,
    size_t dlen, struct sizes *s, struct mb_diag *d)
{
	struct mb_buf	 z = MB_BUF_INIT;
	const char	*enc;
	int		 rc;

	s->items += (int64_t)count;
	s->raw += (int64_t)body->len;
#define ONE(expr, field) do {						\
	mb_buf_reset(&z);						\
	if ((rc = (expr)) != MB_OK)					\
		goto out;						\
	s->field += (int64_t)(z.len > 0 ? z.len : body->len);		\
} while (0)
	ONE(mb_sync_compress("gzip", body->data, body->len, &z, &enc), gzip);
	ONE(mb_sync_compress("zstd", body->data, body->len, &z, &enc), zstd1);
	ONE(mb_sync_dict_compress(NULL, 0, 3, body->data, body->len, &z, d),
	    zstd3);
	ONE(mb_sync_dict_compress(dict, dlen, 3, body->data, body->len, &z,
	    d), dict);
#undef ONE
out:
	mb_buf_free(&z);
	return rc;
}

static int
bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "after", required_argument, NULL, 'a' },
		{ "batch", required_argument, NULL, 'b' },
		{ "dict", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_diag		 d = { "" };
	struct mb_buf		 body = MB_BUF_INIT;
	const char		*file = NULL;
	char			*dict = NULL, hash[65], path[1200];
	size_t			 dlen = 0, count;
	long			 batches[8] = { 1, 10, 100, 1000 };
	int			 nb = 0, ch, rc;
	int64_t			 after0 = 0, after, next, v;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'a')
			after0 = atoll(optarg);
		else if (ch == 'b' && nb < 8 && atol(optarg) > 0)
			batches[nb++] = atol(optarg);
		else if (ch == 'f')
			file = optarg;
		else
			return mb_cli_usage(&mb_cmd_dict, "bad option");
	}
	if (nb == 0)
		nb = 4;
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_dict, "give DIR");
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("dict bench", &d, rc);
	if (file == NULL && mb_sync_dict_current(n->conf.dir, &v, hash,
	    NULL) == MB_OK) {
		snprintf(path, sizeof(path), "%s/dicts/%s.zdict", n->conf.dir,
		    hash);
		file = path;
	}
	if (file == NULL) {
		mb_center_close(n);
		mb_diag_set(&d, MB_ERR_NOTFOUND, "no dictionary: train one or "
		    "give --dict");
		return mb_cli_fail("dict bench", &d, MB_ERR_NOTFOUND);
	}
	if ((rc = mb_fs_read(file, MB_DICT_MAX, &dict, &dlen, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK) {
		free(dict);
		mb_center_close(n);
		return mb_cli_fail("dict bench", &d, rc);
	}
	printf("batch\titems\traw/item\tgzip\tzstd\tzstd-3\tzstd-3+dict\t"
	    "dict/raw\n");
	for (int i = 0; i < nb && rc == MB_OK; i++) {
		struct sizes s = { 0, 0, 0, 0, 0, 0 };

		for (after = after0; rc == MB_OK; after = next) {
			mb_buf_reset(&body);
			if ((rc = mb_sync_log_build(st, NULL, after, batches[i],
			    &body, &next, &count, &d)) != MB_OK || count == 0)
				break;
			rc = measure(&body, count, dict, dlen, &s, &d);
		}
		if (rc == MB_OK && s.items > 0)
			printf("%ld\t%lld\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\n",
			    batches[i], (long long)s.items,
			    (double)s.raw / s.items, (double)s.gzip / s.items,
			    (double)s.zstd1 / s.items,
			    (double)s.zstd3 / s.items,
			    (double)s.dict / s.items,
			    (double)s.dict / (double)s.raw);
	}
	mb_buf_free(&body);
	free(dict);
	mb_store_close(st);
	mb_center_close(n);
	return rc == MB_OK ? MB_EXIT_OK : mb_cli_fail("dict bench", &d, rc);
}

static const struct mb_cli_sub subs[] = {
	{ "train", train },
	{ "show", show },
	{ "bench", bench },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_dict,
		"train, show or bench?", "train, show or bench?", 0, subs };

	return mb_cli_dispatch(&t, argc, argv);
}
