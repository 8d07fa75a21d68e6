/* SPDX-License-Identifier: MIT */
/* Handing a packaged center's files to the service's user (init, restore). */
#include <ftw.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "center/conf.h"
#include "cli/cli.h"

static uid_t	owner_uid;
static gid_t	owner_gid;

static int
chown_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return lchown(path, owner_uid, owner_gid) == 0 ? 0 : -1;
}

int
mb_cli_hand_over(const char *dir, struct mb_diag *d)
{
	struct passwd	*pw;
	char		 conf[1200];
	int		 exists;

	/* Packaged: its configuration in CONFDIR, not in DIR. */
	if (geteuid() != 0 || mb_conf_locate(dir, conf, sizeof(conf),
	    &exists) != MB_OK || strncmp(conf, mb_conf_confdir(),
	    strlen(mb_conf_confdir())) != 0 || (pw = getpwnam("mediabridge"))
	    == NULL)
		return MB_OK;
	owner_uid = pw->pw_uid;
	owner_gid = pw->pw_gid;
	if (nftw(dir, chown_one, 16, FTW_PHYS) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: cannot hand it to the "
		    "mediabridge user", dir);
	/* The service (User=mediabridge) reads its configuration: 0600. */
	if (lchown(conf, owner_uid, owner_gid) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: cannot hand it to the "
		    "mediabridge user", conf);
	return MB_OK;
}
