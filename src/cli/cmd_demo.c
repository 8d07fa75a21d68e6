/* SPDX-License-Identifier: MIT */
/* mediabridge demo: HQ (Moscow) and two branches (Cairo, Manama) on one machine. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fs.h"
#include "center/center.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "item/id.h"
#include "serve/privsep.h"
#include "store/store.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_demo = {
	"demo", "HQ and two branches with sample content, on one machine",
	"usage: mediabridge demo [--dir DIR] [--port P] [--samples DIR]\n\n"
	"Creates three centers in DIR (default ./demo) on SQLite: HQ Moscow\n"
	"(ru, en) on 127.0.0.1:P, Cairo (ar, en, fr) on P+1 and Manama (ar,\n"
	"en) on P+2 (P defaults to 8080); HQ admits the branches, each center\n"
	"imports its sample items (--samples, default data/demo of the source\n"
	"tree), and an admin, an editor, a journalist and a translator are\n"
	"made on each with passwords that are printed (a demo only); each\n"
	"center gets a story with a picture the demo draws (caption, alt\n"
	"text, credit), its translations and, at the branches, an event.\n"
	"Then it serves the three, publishes one item in Cairo, waits until\n"
	"Manama holds it (through HQ), prints the URLs and keeps serving\n"
	"until Ctrl-C or SIGTERM. Running it again with the same DIR starts over:\n"
	"the centers a previous demo made there are removed first (a DIR\n"
	"that holds anything else is refused).\n",
	run
};

#define DEMO_MARK ".mediabridge-demo"
/* The accounts made on each center: one of each newsroom role. */
static const struct demo_user {
	const char	*name, *role, *password, *hint;
} demo_users[] = {
	{ "admin", "admin", "demo-admin-pass", "People: roles, reset links" },
	{ "editor", "editor", "demo-editor-pass", "publishes, sends back" },
	{ "journalist", "journalist", "demo-journalist-pass",
	  "writes, adds pictures" },
	{ "translator", "translator", "demo-translator-pass",
	  "Translations" },
};
#define DEMO_USERS (sizeof(demo_users) / sizeof(demo_users[0]))

static const struct demo_center {
	const char	*id;
	const char	*name;
	const char	*country;
	const char	*languages;
} centers[3] = {
	{ "moscow", "Moscow", "RU", "ru,en" },
	{ "cairo", "Cairo", "EG", "ar,en,fr" },
	{ "manama", "Manama", "BH", "ar,en" },
};

static char		 self[PATH_MAX];
static pid_t		 kids[3];
static volatile sig_atomic_t stopping;

/* snprintf for paths; their parts were checked to fit (see run()). */
static void pathf(char *out, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pathf(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, n, fmt, ap);
	va_end(ap);
}

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* mb_demo_run() of this program, and on failure the child's output and "demo: <what>". */
static int
step(const char *what, const char *const *args, const char *in,
    struct mb_buf *out)
{
	struct mb_buf	own = MB_BUF_INIT;
	struct mb_buf	*o = out != NULL ? out : &own;
	int		rc;

	rc = mb_demo_run(self, args, in, o);
	if (rc != 0)
		fprintf(stderr, "%smediabridge: demo: %s failed\n",
		    mb_buf_cstr(o), what);
	mb_buf_free(&own);
	return rc == 0 ? MB_OK : MB_ERR_INVAL;
}

/* *empty: whether dir holds no entry at all (hidden ones count). */
static int
dir_empty(const char *dir, int *empty, struct mb_diag *d)
{
	DIR		*dp;
	struct dirent	*e;

	if ((dp = opendir(dir)) == NULL)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s", dir,
		    strerror(errno));
	*empty = 1;
	while ((e = readdir(dp)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			*empty = 0;
			break;
		}
	closedir(dp);
	return MB_OK;
}

static int
prepare_dir(const char *dir, struct mb_diag *d)
{
	static const char *const made[] = { "moscow", "cairo", "manama",
	    "mail" };
	char		 path[PATH_MAX];
	struct stat	 sb;
	char		*pidtext = NULL;
	size_t		 len;
	long		 pid;
	int		 rc;

	if (stat(dir, &sb) != 0)
		return mb_fs_mkdirs(dir, 0755, d);
	pathf(path, sizeof(path), "%s/" DEMO_MARK, dir);
	if (access(path, F_OK) != 0) {
		/* Without the mark the directory is not ours: anything in it
		 * (a mail folder, a user's files) may be someone's, so only an
		 * empty one is taken. */
		int empty = 0;

		if ((rc = dir_empty(dir, &empty, d)) != MB_OK)
			return rc;
		if (!empty)
			return mb_diag_set(d, MB_ERR_EXISTS,
			    "%s holds something that is not a demo; give "
			    "another --dir", dir);
		return MB_OK;
	}
	pathf(path, sizeof(path), "%s/demo.pid", dir);
	if (mb_fs_read(path, 64, &pidtext, &len, NULL) == MB_OK) {
		pid = strtol(pidtext, NULL, 10);
		free(pidtext);
		if (pid > 0 && pid != getpid() && kill((pid_t)pid, 0) == 0)
			return mb_diag_set(d, MB_ERR_EXISTS,
			    "a demo is already running in %s (pid %ld); stop "
			    "it first", dir, pid);
	}
	/* A previous demo's: only what it made goes (its three centers and
	 * the mailbox of its SMTP server), anything else in DIR stays. */
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		pathf(path, sizeof(path), "%s/%s", dir, made[i]);
		if (access(path, F_OK) == 0 &&
		    mb_fs_remove_tree(path) != 0) {
			rc = mb_diag_set(d, MB_ERR_IO, "%s: cannot remove: %s",
			    path, strerror(errno));
			return rc;
		}
	}
	return MB_OK;
}

/* Where the sample items are: --samples, else data/demo here or beside us. */
static int
find_samples(const char *given, char *out, size_t n, struct mb_diag *d)
{
	char		 up[PATH_MAX], *slash;
	const char	*tries[3];
	int		 k = 0;

	pathf(up, sizeof(up), "%s", self);
	if ((slash = strrchr(up, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(up, '/')) != NULL)
		snprintf(slash, sizeof(up) - (size_t)(slash - up),
		    "/data/demo");
	if (given != NULL)
		tries[k++] = given;
	else {
		tries[k++] = "data/demo";
		tries[k++] = up;
	}
	for (int i = 0; i < k; i++) {
		pathf(out, n, "%s/moscow.ndjson", tries[i]);
		if (access(out, R_OK) == 0) {
			pathf(out, n, "%s", tries[i]);
			return MB_OK;
		}
	}
	return mb_diag_set(d, MB_ERR_NOTFOUND,
	    "no sample items (moscow.ndjson, ...) in %s; give --samples DIR",
	    given != NULL ? given : "data/demo");
}

static int
make_centers(const char *dir, const char *samples, int port)
{
	char		 cdir[3][PATH_MAX], listen[3][32], url[3][48];
	char		 file[PATH_MAX], hqkey[128], key[128];
	struct mb_buf	 out = MB_BUF_INIT;
	int		 rc;

	for (int i = 0; i < 3; i++) {
		pathf(cdir[i], sizeof(cdir[i]), "%s/%s", dir, centers[i].id);
		pathf(listen[i], sizeof(listen[i]), "127.0.0.1:%d",
		    port + i);
		pathf(url[i], sizeof(url[i]), "http://127.0.0.1:%d",
		    port + i);
	}
	{
		const char *a[] = { "init", cdir[0], "--id", centers[0].id,
		    "--name", centers[0].name, "--country", centers[0].country,
		    "--languages", centers[0].languages, "--listen",
		    listen[0], "--hq", NULL };

		if (step("init moscow", a, NULL, NULL) != MB_OK)
			return MB_ERR_INVAL;
	}
	{
		const char *a[] = { "key", cdir[0], NULL };

		if (step("key moscow", a, NULL, &out) != MB_OK)
			return MB_ERR_INVAL;
		pathf(hqkey, sizeof(hqkey), "%.*s",
		    (int)strcspn(mb_buf_cstr(&out), "\n"), mb_buf_cstr(&out));
		mb_buf_reset(&out);
	}
	for (int i = 1; i < 3; i++) {
		const char *a[] = { "init", cdir[i], "--id", centers[i].id,
		    "--name", centers[i].name, "--country", centers[i].country,
		    "--languages", centers[i].languages, "--listen",
		    listen[i], "--hq-url", url[0], "--hq-key", hqkey, NULL };
		const char *k[] = { "key", cdir[i], NULL };

		if (step("init branch", a, NULL, NULL) != MB_OK ||
		    step("key", k, NULL, &out) != MB_OK)
			goto fail;
		pathf(key, sizeof(key), "%.*s",
		    (int)strcspn(mb_buf_cstr(&out), "\n"), mb_buf_cstr(&out));
		mb_buf_reset(&out);
		{
			const char *c[] = { "center", "add", cdir[0], "--id",
			    centers[i].id, "--url", url[i], "--key", key,
			    "--country", centers[i].country, "--name",
			    centers[i].name, "--languages",
			    centers[i].languages, NULL };

			if (step("center add", c, NULL, NULL) != MB_OK)
				goto fail;
		}
	}
	for (int i = 0; i < 3; i++) {
		const char *im[] = { "import", cdir[i], "--quiet", file,
		    NULL };

		for (size_t j = 0; j < DEMO_USERS; j++) {
			const char *u[] = { "user", "add", cdir[i],
			    demo_users[j].name, "--role", demo_users[j].role,
			    "--password-stdin", NULL };
			char pw[64];

			snprintf(pw, sizeof(pw), "%s\n", demo_users[j].password);
			if (step("user add", u, pw, NULL) != MB_OK)
				goto fail;
		}
		pathf(file, sizeof(file), "%s/%s.ndjson", samples,
		    centers[i].id);
		if (step("import", im, NULL, NULL) != MB_OK)
			goto fail;
	}
	rc = MB_OK;
	mb_buf_free(&out);
	return rc;
fail:
	mb_buf_free(&out);
	return MB_ERR_INVAL;
}

static pid_t
spawn_serve(const char *cdir)
{
	char	 log[PATH_MAX];
	pid_t	 pid;
	int	 fd;

	pathf(log, sizeof(log), "%s/serve.log", cdir);
	if ((pid = fork()) != 0)
		return pid;
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	execl(self, self, "serve", cdir, (char *)NULL);
	_exit(127);
}

static void
stop_kids(void)
{
	int status;

	for (int i = 0; i < 3; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	for (int i = 0; i < 3; i++)
		if (kids[i] > 0) {
			while (waitpid(kids[i], &status, 0) < 0 &&
			    errno == EINTR)
				;
			kids[i] = 0;
		}
}

/* A child gone early: its pid slot is cleared and its id returned. */
static const char *
dead_kid(void)
{
	int status;

	for (int i = 0; i < 3; i++)
		if (kids[i] > 0 && waitpid(kids[i], &status, WNOHANG) ==
		    kids[i]) {
			kids[i] = 0;
			return centers[i].id;
		}
	return NULL;
}

static int
wait_serving(const char *dir)
{
	char		 path[PATH_MAX];
	const char	*dead;

	for (int tries = 0; tries < 300 && !stopping; tries++) {
		int up = 0;

		if ((dead = dead_kid()) != NULL) {
			fprintf(stderr, "mediabridge: demo: %s stopped at "
			    "start (port in use?); see %s/%s/serve.log\n",
			    dead, dir, dead);
			return MB_ERR_INVAL;
		}
		for (int i = 0; i < 3; i++) {
			struct stat sb;

			pathf(path, sizeof(path), "%s/%s/serve.addr", dir,
			    centers[i].id);
			if (stat(path, &sb) == 0 && sb.st_size > 0)
				up++;
		}
		if (up == 3)
			return MB_OK;
		mb_demo_nap(100);
	}
	fprintf(stderr, "mediabridge: demo: the centers did not start; see "
	    "%s/*/serve.log\n", dir);
	return MB_ERR_INVAL;
}

/* Publishes one item in Cairo; *ms is how long Manama took to hold it. */
static int
check_exchange(const char *dir, char uri[MB_URI_MAX], int64_t *ms)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_diag		 d = { "" };
	struct timespec		 t0, t1;
	char			 local[MB_LOCAL_LEN + 1], file[PATH_MAX];
	char			 cdir[PATH_MAX], mdir[PATH_MAX], stamp[32];
	bool			 has = false;
	FILE			*f;
	time_t			 now = time(NULL);
	int			 rc = MB_ERR_INVAL;

	mb_local_id_mint(local);
	snprintf(uri, MB_URI_MAX, "urn:mediabridge:cairo:check-%s", local);
	pathf(file, sizeof(file), "%s/check.ndjson", dir);
	pathf(cdir, sizeof(cdir), "%s/cairo", dir);
	pathf(mdir, sizeof(mdir), "%s/manama", dir);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	if ((f = fopen(file, "w")) == NULL)
		return MB_ERR_IO;
	fprintf(f, "{\"uri\": \"%s\", \"type\": \"text\", \"language\": "
	    "\"en\", \"headlines\": [{\"value\": \"The exchange is up: "
	    "published in Cairo at %s\"}], \"bodies\": [{\"value\": "
	    "\"<p>This item was published in Cairo by the demo and travelled "
	    "to Manama through headquarters in Moscow.</p>\"}]}\n", uri,
	    stamp);
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	{
		const char *a[] = { "import", cdir, "--quiet", file, NULL };

		if (step("import in cairo", a, NULL, NULL) != MB_OK)
			return MB_ERR_INVAL;
	}
	if (mb_center_open(mdir, &n, &d) != MB_OK ||
	    mb_center_store(n, &st, &d) != MB_OK)
		goto out;
	for (int i = 0; i < 600 && !stopping; i++) {
		if (mb_store_has(st, uri, 1, &has, NULL) == MB_OK && has)
			break;
		mb_demo_nap(50);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	rc = has ? MB_OK : MB_ERR_AGAIN;
out:
	mb_store_close(st);
	mb_center_close(n);
	return rc;
}

static int
run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "samples", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction	 sa;
	struct mb_diag		 d = { "" };
	const char		*dir = "demo", *samples_opt = NULL;
	char			 samples[PATH_MAX], path[PATH_MAX], uri[MB_URI_MAX];
	char			 num[24];
	int64_t			 ms = 0;
	long			 port = 8080;
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *end;

		switch (ch) {
		case 'd': dir = optarg; break;
		case 's': samples_opt = optarg; break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end != '\0' || port < 1 || port > 65533)
				return mb_cli_usage(&mb_cmd_demo,
				    "--port: 1 to 65533");
			break;
		default:
			return mb_cli_usage(&mb_cmd_demo, "bad option");
		}
	}
	if (optind != argc)
		return mb_cli_usage(&mb_cmd_demo, "no arguments besides options");
	if (strlen(dir) > 1024 || (samples_opt != NULL &&
	    strlen(samples_opt) > 1024))
		return mb_cli_usage(&mb_cmd_demo, "a path longer than 1024");
	if (!mb_fs_self_exe(self, sizeof(self)))
		snprintf(self, sizeof(self), "%s", argv[0]);
	if ((rc = find_samples(samples_opt, samples, sizeof(samples), &d)) !=
	    MB_OK || (rc = prepare_dir(dir, &d)) != MB_OK ||
	    (rc = mb_privsep_become(dir, "nobody", &d)) != MB_OK)
		return mb_cli_fail("demo", &d, rc);
	pathf(path, sizeof(path), "%s/" DEMO_MARK, dir);
	if ((rc = mb_fs_write_atomic(path, "mediabridge demo\n", 17, 0644,
	    &d)) !=
	    MB_OK)
		return mb_cli_fail("demo", &d, rc);
	printf("demo: creating HQ moscow and branches cairo, manama in %s\n",
	    dir);
	fflush(stdout);
	if (make_centers(dir, samples, (int)port) != MB_OK)
		return MB_EXIT_FAIL;
	mb_demo_feeds(dir);	/* Cairo ingests an RSS feed and NewsML-G2 */
	mb_demo_pictures(dir, port);	/* illustrated, translated stories */
	mb_demo_branch_events(dir, port);	/* Cairo's and Manama's */
	mb_demo_events_mail(dir);	/* HQ's mail relay, before serve */
	mb_demo_mt_engines(dir, port);	/* APy, HQ's engine lent to Cairo */
	mb_demo_center_names(dir);	/* centers named in five languages */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	snprintf(num, sizeof(num), "%ld\n", (long)getpid());
	pathf(path, sizeof(path), "%s/demo.pid", dir);
	mb_fs_write_atomic(path, num, strlen(num), 0644, NULL);
	for (int i = 0; i < 3; i++) {
		pathf(path, sizeof(path), "%s/%s/serve.addr", dir,
		    centers[i].id);
		unlink(path);
		pathf(path, sizeof(path), "%s/%s", dir, centers[i].id);
		if ((kids[i] = spawn_serve(path)) < 0) {
			fprintf(stderr, "mediabridge: demo: fork: %s\n",
			    strerror(errno));
			stop_kids();
			return MB_EXIT_FAIL;
		}
	}
	if (wait_serving(dir) != MB_OK) {
		stop_kids();
		return MB_EXIT_FAIL;
	}
	printf("demo: serving; publishing one item in Cairo\n");
	fflush(stdout);
	rc = check_exchange(dir, uri, &ms);
	mb_demo_courses(dir, samples, port);	/* a course taught in Cairo */
	mb_demo_members(dir, (int)port);
	mb_demo_events(dir, port);	/* a conference in Baghdad */
	mb_demo_mt(dir, port);	/* HQ's item machine-translated at Cairo */
	mb_demo_impact(dir, (int)port, rc == MB_OK ? uri : "");	/* views */
	printf("\n");
	for (int i = 0; i < 3; i++)
		printf("  %-12s site      http://127.0.0.1:%ld/\n"
		    "  %-12s API       http://127.0.0.1:%ld/api/v1/items\n"
		    "  %-12s newsroom  http://127.0.0.1:%ld/newsroom/\n",
		    i == 0 ? "Moscow (HQ)" : centers[i].name, port + i, "",
		    port + i, "", port + i);
	printf("\n  sign in at any center's newsroom URL above; each center "
	    "has these accounts\n  (demo passwords only):\n");
	for (size_t j = 0; j < DEMO_USERS; j++)
		printf("    %-11s password %-24s %s\n", demo_users[j].name,
		    demo_users[j].password, demo_users[j].hint);
	if (rc == MB_OK)
		printf("  check: an item published in Cairo reached Manama "
		    "through HQ in %lld ms\n         %s\n",
		    (long long)ms, uri);
	else if (!stopping)
		printf("  check: FAILED: %s did not reach Manama within 30 s; "
		    "see %s/*/serve.log\n", uri, dir);
	printf("\n  logs: %s/*/serve.log; Ctrl-C stops the three centers\n",
	    dir);
	fflush(stdout);
	while (!stopping) {
		const char *dead = dead_kid();

		if (dead != NULL) {
			fprintf(stderr, "mediabridge: demo: %s stopped; see "
			    "%s/%s/serve.log\n", dead, dir, dead);
			rc = MB_ERR_INVAL;
			break;
		}
		mb_demo_nap(200);
	}
	stop_kids();
	pathf(path, sizeof(path), "%s/demo.pid", dir);
	unlink(path);
	printf("demo: stopped\n");
	return rc == MB_OK || stopping ? MB_EXIT_OK : MB_EXIT_FAIL;
}
