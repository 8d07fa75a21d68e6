/* SPDX-License-Identifier: MIT */
/* mediabridge course: publish courses, set enrolment, invite learners, package and check offline copies. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fs.h"
#include "center/center.h"
#include "center/ingest.h"
#include "cli/cli.h"
#include "courses/courses.h"
#include "courses/package.h"
/*
 * The sanitizer is a pure library (mb_sanitize: gumbo, no server) that
 * lives beside the pages; the package's lessons need the pages' rule.
 */
#include "http/sanitize.h"
#include "item/key.h"
#include "signed/multibase.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_course = {
	"course", "training courses: publish, enrol, invite, package",
	"usage: mediabridge course publish DIR FILE\n"
	"       mediabridge course enrolment DIR URI open|approval|code CODE\n"
	"       mediabridge course approve DIR URI USER\n"
	"       mediabridge course invite DIR\n"
	"       mediabridge course revoke DIR CERTIFICATE-ID\n"
	"       mediabridge course class DIR URI\n"
	"       mediabridge course package DIR URI -o FILE\n"
	"       mediabridge course check FILE --key KEY [--extract NEWDIR]\n\n"
	"publish signs and stores a course with its lessons and quizzes from\n"
	"one JSON document ({\"items\": [{\"item\": {...}, \"audience\": ...,\n"
	"\"translationOf\": ...}]}, docs/courses.md), checked whole first:\n"
	"a bad quiz or a step that is not there stores nothing.\n"
	"enrolment sets how learners join a course here (open by default).\n"
	"approve lets a pending learner in. invite prints a new invitation\n"
	"code for a learner's sign-up (shown once). revoke marks a certificate\n"
	"revoked in this center's status list. class prints the class's\n"
	"progress as CSV (learners' answers stay here: it is for instructors).\n"
	"package writes the offline package of a course (a zip of static\n"
	"pages, the smallest media and the signed items, with a manifest\n"
	"signed by this center). check verifies a package with no network:\n"
	"paths, the manifest's signature against KEY (the packaging center's\n"
	"key, as `mediabridge key DIR` prints it, or a did:key) and every\n"
	"file's SHA-256; with --extract it then writes the files to NEWDIR.\n",
	run
};

static int
publish(int argc, char **argv)
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_ingest	*ig = NULL;
	struct mb_courses_env	 e;
	struct mb_diag		 d = { "" };
	json_error_t		 je;
	json_t			*doc;
	int			 stored = 0, rc;

	if (argc != 4)
		return mb_cli_usage(&mb_cmd_course, "publish DIR FILE");
	if ((doc = json_load_file(argv[3], JSON_REJECT_DUPLICATES, &je)) ==
	    NULL) {
		mb_diag_set(&d, MB_ERR_INVAL, "%s:%d: %s", argv[3], je.line,
		    je.text);
		return mb_cli_fail("course publish", &d, MB_ERR_INVAL);
	}
	if ((rc = mb_cli_open(argv[2], &n, &st, &d)) != MB_OK) {
		json_decref(doc);
		return mb_cli_fail("course publish", &d, rc);
	}
	e.st = st;
	e.node = n;
	if ((rc = mb_ingest_new(n, st, &ig, &d)) == MB_OK)
		rc = mb_courses_publish(&e, NULL, ig, doc, &stored, &d);
	mb_ingest_free(ig);
	mb_cli_close(n, st);
	json_decref(doc);
	if (rc != MB_OK) {
		mb_diag_prefix(&d, "%s", argv[3]);
		return mb_cli_fail("course publish", &d, rc);
	}
	printf("course publish: %d version%s stored\n", stored, stored == 1 ?
	    "" : "s");
	return MB_EXIT_OK;
}

/* Runs fn on the center in argv[2] with the operator as the actor. */
static int
simple(const char *what, int argc, char **argv, int want,
    int (*fn)(const struct mb_courses_env *e, int argc, char **argv,
    struct mb_diag *d))
{
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_courses_env	 e;
	struct mb_diag		 d = { "" };
	char			 label[64];
	int			 rc;

	snprintf(label, sizeof(label), "course %s", what);
	if (argc < want)
		return mb_cli_usage(&mb_cmd_course, "%s: missing arguments",
		    what);
	if ((rc = mb_cli_open(argv[2], &n, &st, &d)) != MB_OK)
		return mb_cli_fail(label, &d, rc);
	e.st = st;
	e.node = n;
	rc = fn(&e, argc, argv, &d);
	mb_cli_close(n, st);
	if (rc != MB_OK)
		return mb_cli_fail(label, &d, rc);
	return MB_EXIT_OK;
}

static int
do_enrolment(const struct mb_courses_env *e, int argc, char **argv,
    struct mb_diag *d)
{
	if (strcmp(argv[4], "code") == 0 && argc != 6)
		return mb_diag_set(d, MB_ERR_INVAL, "code: give the code");
	return mb_courses_set_enrolment(e, NULL, argv[3], argv[4],
	    argc > 5 ? argv[5] : NULL, d);
}

static int
do_approve(const struct mb_courses_env *e, int argc, char **argv,
    struct mb_diag *d)
{
	(void)argc;
	return mb_courses_approve(e, NULL, argv[3], argv[4], d);
}

static int
do_invite(const struct mb_courses_env *e, int argc, char **argv,
    struct mb_diag *d)
{
	char	code[MB_INVITE_TEXT_LEN];
	int	rc;

	(void)argc;
	(void)argv;
	if ((rc = mb_courses_invite(e, NULL, code, d)) == MB_OK)
		printf("%s\n", code);
	return rc;
}

static int
do_revoke(const struct mb_courses_env *e, int argc, char **argv,
    struct mb_diag *d)
{
	(void)argc;
	return mb_courses_revoke(e, NULL, argv[3], d);
}

static int
do_class(const struct mb_courses_env *e, int argc, char **argv,
    struct mb_diag *d)
{
	struct mb_course	*c = NULL;
	struct mb_actor		 op = { 0, "operator", MB_ROLE_ADMIN };
	struct mb_buf		 b = MB_BUF_INIT;
	int			 rc;

	(void)argc;
	if ((rc = mb_courses_get(e, &op, argv[3], &c, d)) == MB_OK &&
	    (rc = mb_courses_class_csv(e, NULL, c, &b, d)) == MB_OK)
		fputs(mb_buf_cstr(&b), stdout);
	mb_buf_free(&b);
	mb_course_free(c);
	return rc;
}

static int
package(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_center_node	*n;
	struct mb_store		*st;
	struct mb_courses_env	 e;
	struct mb_course	*c = NULL;
	struct mb_package_opts	 o;
	struct mb_actor		 op = { 0, "operator", MB_ROLE_ADMIN };
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	const char		*out = NULL;
	int			 ch, rc;

	optind = 2;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		if (ch != 'o')
			return mb_cli_usage(&mb_cmd_course, "bad option");
		out = optarg;
	}
	if (optind != argc - 2 || out == NULL)
		return mb_cli_usage(&mb_cmd_course, "package DIR URI -o FILE");
	if ((rc = mb_cli_open(argv[optind], &n, &st, &d)) != MB_OK)
		return mb_cli_fail("course package", &d, rc);
	e.st = st;
	e.node = n;
	memset(&o, 0, sizeof(o));
	o.clean = mb_sanitize_html;
	o.blob_dir = n->conf.dir;
	if ((rc = mb_courses_get(&e, &op, argv[optind + 1], &c, &d)) ==
	    MB_OK &&
	    (rc = mb_courses_package(&e, &op, c, &o, &b, &d)) == MB_OK)
		rc = mb_fs_write_atomic(out, b.data, b.len, 0644, &d);
	mb_course_free(c);
	mb_cli_close(n, st);
	if (rc == MB_OK)
		printf("course package: %s (%zu bytes)\n", out, b.len);
	mb_buf_free(&b);
	if (rc != MB_OK)
		return mb_cli_fail("course package", &d, rc);
	return MB_EXIT_OK;
}

static int
check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "extract", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_package_report rep;
	struct mb_diag		 d = { "" };
	const char		*key = NULL, *dir = NULL;
	uint8_t			 pk[MB_PUBKEY_LEN];
	char			*buf;
	size_t			 len;
	int			 ch, rc;

	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': key = optarg; break;
		case 'x': dir = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_course, "bad option");
		}
	}
	if (optind != argc - 1 || key == NULL)
		return mb_cli_usage(&mb_cmd_course, "check FILE --key KEY");
	if (mb_key_parse_any(key, pk, &d) != MB_OK)
		return mb_cli_usage(&mb_cmd_course, "--key: %s", d.msg);
	if ((rc = mb_fs_read(argv[optind], MB_PACKAGE_MAX, &buf, &len, &d)) !=
	    MB_OK)
		return mb_cli_fail("course check", &d, rc);
	rc = mb_courses_package_check(buf, len, pk, dir, &rep, &d);
	free(buf);
	if (rc != MB_OK) {
		mb_diag_prefix(&d, "%s", argv[optind]);
		return mb_cli_fail("course check", &d, rc);
	}
	printf("course check: valid: %s, packaged by %s, %d files, %zu bytes"
	    "%s%s\n", rep.course, rep.packager, rep.files, rep.bytes,
	    dir != NULL ? ", written to " : "", dir != NULL ? dir : "");
	return MB_EXIT_OK;
}

/* The subcommands that make one courses call; how many words each needs. */
static int
enrolment(int argc, char **argv)
{
	return simple(argv[1], argc, argv, 5, do_enrolment);
}

static int
approve(int argc, char **argv)
{
	return simple(argv[1], argc, argv, 5, do_approve);
}

static int
invite(int argc, char **argv)
{
	return simple(argv[1], argc, argv, 3, do_invite);
}

static int
revoke(int argc, char **argv)
{
	return simple(argv[1], argc, argv, 4, do_revoke);
}

static int
class_(int argc, char **argv)
{
	return simple(argv[1], argc, argv, 4, do_class);
}

static const struct mb_cli_sub subs[] = {
	{ "publish", publish },
	{ "enrolment", enrolment },
	{ "approve", approve },
	{ "invite", invite },
	{ "revoke", revoke },
	{ "class", class_ },
	{ "package", package },
	{ "check", check },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	/* The subcommands read the command's argv: getopt names it so. */
	static const struct mb_cli_subs t = { &mb_cmd_course,
		"(nothing): publish, enrolment, approve, invite, revoke, class, "
		"package or check?",
		"%s: publish, enrolment, approve, invite, revoke, class, package "
		"or check?", 1, subs };

	/* An empty word was always taken for none. */
	if (argc > 1 && argv[1][0] == '\0')
		argc = 1;
	return mb_cli_dispatch(&t, argc, argv);
}
