/* SPDX-License-Identifier: MIT */
/* mediabridge backup: the whole center in one archive, while it serves. */
#include <stdio.h>
#include <string.h>

#include "center/backup.h"
#include "center/center.h"
#include "cli/cli.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_backup = {
	"backup", "write the whole center to one archive, while it serves",
	"usage: mediabridge backup DIR -o FILE\n\n"
	"Writes the center in DIR to FILE (tar, zstd-compressed), which must\n"
	"not exist: its configuration, its keys (center.key stays mode 0600:\n"
	"keep FILE as safe as the key), engines.conf, the media blobs and the\n"
	"store. SQLite is copied with its online backup API, PostgreSQL with\n"
	"pg_dump: either is the store as of one commit, so serve may keep\n"
	"running and writing. `mediabridge restore FILE NEWDIR` brings it\n"
	"back, on this machine or another.\n\n"
	"  -o, --output FILE  the archive to write (not inside DIR)\n",
	run
};

static int
run(int argc, char **argv)
{
	struct mb_center_node	*n = NULL;
	struct mb_backup_info	 info;
	struct mb_diag		 d = { "" };
	const char		*dir = NULL, *out = NULL;
	int			 rc;

	for (int i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "-o") == 0 ||
		    strcmp(argv[i], "--output") == 0) && i + 1 < argc)
			out = argv[++i];
		else if (strncmp(argv[i], "--output=", 9) == 0)
			out = argv[i] + 9;
		else if (argv[i][0] == '-')
			return mb_cli_usage(&mb_cmd_backup, "unknown option %s",
			    argv[i]);
		else if (dir == NULL)
			dir = argv[i];
		else
			return mb_cli_usage(&mb_cmd_backup, "give one DIR");
	}
	if (dir == NULL || out == NULL || *out == '\0')
		return mb_cli_usage(&mb_cmd_backup, "give DIR and -o FILE");
	if ((rc = mb_center_open(dir, &n, &d)) != MB_OK)
		return mb_cli_fail("backup", &d, rc);
	rc = mb_backup_write(n, out, &info, &d);
	mb_center_close(n);
	if (rc != MB_OK)
		return mb_cli_fail("backup", &d, rc);
	printf("backup: center %s (%s): %lld item%s, %lld version%s, last "
	    "seq %lld; %lld file%s, %lld bytes before compression -> %s\n",
	    info.center, info.backend, (long long)info.items,
	    info.items == 1 ? "" : "s", (long long)info.versions,
	    info.versions == 1 ? "" : "s", (long long)info.last_seq,
	    (long long)info.files, info.files == 1 ? "" : "s",
	    (long long)info.bytes, out);
	return MB_EXIT_OK;
}
