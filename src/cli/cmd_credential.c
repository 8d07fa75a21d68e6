/* SPDX-License-Identifier: MIT */
/* mediabridge credential: verify a certificate offline; issue them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fs.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "signed/credential.h"
#include "signed/multibase.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_credential = {
	"credential", "verify a certificate (Open Badges 3.0) offline",
	"usage: mediabridge credential verify FILE --key KEY [--status FILE]\n"
	"                                     [--name NAME] [--at TIME]\n"
	"       mediabridge credential issue DIR --achievement-id URI\n"
	"             --achievement NAME --description TEXT --criteria TEXT\n"
	"             (--subject NAME [--hash-subject] | --subject-id URI)\n"
	"             [--name TITLE] [--id URI] [--issuer-id URI]\n"
	"             [--type ACHIEVEMENT-TYPE] [--language L]\n"
	"             [--valid-from TIME] [--valid-until TIME]\n"
	"             [--status-list URL --status-index N] [-o FILE]\n"
	"       mediabridge credential status DIR --id URL [--revoke N]...\n"
	"             [--length N] [--valid-until TIME] [-o FILE]\n\n"
	"verify checks an OpenBadgeCredential (JSON; - reads standard input)\n"
	"with no network: its form, its eddsa-jcs-2022 Data Integrity proof\n"
	"against KEY (the issuing center's key as `mediabridge key DIR`\n"
	"prints it, or a did:key), its validity period (now, or --at an RFC\n"
	"3339 time), and with --status the issuer's signed Bitstring Status\n"
	"List: whether it was revoked. It prints what the credential says,\n"
	"one `field: value` a line, and exits 0 if it holds, 1 if not, saying why\n"
	"(a refused credential's fields are what it claims, not facts).\n"
	"--name checks the learner's name against the credential's.\n\n"
	"issue signs a credential with the center in DIR and prints it (the\n"
	"courses and events modules do this themselves; the command is for\n"
	"operators and tests). The issuer is the center, identified by the\n"
	"did:key of its key unless --issuer-id says otherwise.\n"
	"status signs a revocation status list (131,072 entries unless\n"
	"--length says more) with the bits of the given indexes set.\n",
	run
};

static int
read_file(const char *path, char **out, size_t *len, struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	char		chunk[8192];
	size_t		n;

	if (strcmp(path, "-") != 0)
		return mb_fs_read(path, MB_CREDENTIAL_MAX, out, len, d);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		if (b.len + n > MB_CREDENTIAL_MAX ||
		    mb_buf_append(&b, chunk, n) != MB_OK) {
			mb_buf_free(&b);
			return mb_diag_set(d, MB_ERR_TOOBIG,
			    "standard input: larger than 1 MiB");
		}
	}
	*len = b.len;
	*out = mb_buf_steal(&b);
	return MB_OK;
}

/*
 * A credential comes from anyone: its text may hold control characters
 * that a terminal would obey. They are shown as \xNN, here and in the
 * reasons (which quote the document's values).
 */
static void
put_safe(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static void
scrub(struct mb_diag *d)
{
	for (char *p = d->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static void
line(const char *field, const char *value)
{
	if (value == NULL)
		return;
	printf("%s: ", field);
	put_safe(stdout, value);
	putchar('\n');
}

static void
print_facts(const struct mb_credential_facts *f, const char *status,
    int checked_status)
{
	printf("status: %s\n", status);
	line("id", f->id);
	line("name", f->name);
	line("issuer", f->issuer_id);
	line("issuer-name", f->issuer_name);
	line("subject", f->subject_name ? f->subject_name :
	    f->subject_hashed ? "(hashed)" : NULL);
	line("subject-id", f->subject_id);
	line("achievement", f->achievement_name);
	line("achievement-id", f->achievement_id);
	line("valid-from", f->valid_from);
	line("valid-until", f->valid_until);
	line("verification-method", f->verification_method);
	line("created", f->created);
	if (f->status_list != NULL) {
		fputs("status-list: ", stdout);
		put_safe(stdout, f->status_list);
		printf(" #%lld (%s)\n", (long long)f->status_index,
		    checked_status ? "checked" : "not checked: give --status");
	}
}

static int
verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "status", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },
		{ "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char			*key = NULL, *stfile = NULL;
	const char			*name = NULL, *at = NULL;
	struct mb_status_list		*sl = NULL;
	struct mb_credential_check	 c;
	struct mb_credential_facts	 f;
	struct mb_diag			 d = { "" };
	enum mb_verdict			 why = MB_VERDICT_MALFORMED;
	uint8_t				 pk[MB_PUBKEY_LEN];
	json_t				*doc = NULL;
	char				*text = NULL;
	size_t				 len;
	int64_t				 now = 0;
	int				 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': key = optarg; break;
		case 's': stfile = optarg; break;
		case 'n': name = optarg; break;
		case 'a': at = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_credential, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_credential,
		    "give exactly one FILE");
	if (key == NULL)
		return mb_cli_usage(&mb_cmd_credential,
		    "--key (the issuing center's public key) is required");
	if (mb_key_parse_any(key, pk, &d) != MB_OK)
		return mb_cli_usage(&mb_cmd_credential, "--key: %s", d.msg);
	if (at != NULL && mb_time_parse(at, &now) != MB_OK)
		return mb_cli_usage(&mb_cmd_credential,
		    "--at: not an RFC 3339 date-time");
	if (stfile != NULL) {
		if ((rc = read_file(stfile, &text, &len, &d)) != MB_OK ||
		    (rc = mb_status_list_load(text, len, pk, now, &sl, &why,
		    &d)) != MB_OK) {
			free(text);
			scrub(&d);
			mb_diag_prefix(&d, "%s", stfile);
			return mb_cli_fail("credential verify: --status", &d,
			    rc);
		}
		free(text);
	}
	if ((rc = read_file(argv[optind], &text, &len, &d)) != MB_OK) {
		mb_status_list_free(sl);
		return mb_cli_fail("credential verify", &d, rc);
	}
	c.pk = pk;
	c.now_ms = now;
	c.status = sl;
	rc = mb_credential_verify_text(text, len, &c, &doc, &f, &why, &d);
	free(text);
	print_facts(&f, rc == MB_OK ? "valid" : mb_verdict_str(why),
	    sl != NULL);
	if (rc == MB_OK && name != NULL) {
		if (mb_credential_names(doc, name)) {
			printf("subject-name: matches\n");
		} else {
			printf("subject-name: does not match\n");
			rc = mb_diag_set(&d, MB_ERR_PERM, "the name given is "
			    "not the credential subject's");
		}
	}
	json_decref(doc);
	mb_status_list_free(sl);
	if (rc != MB_OK) {
		scrub(&d);
		mb_diag_prefix(&d, "%s", argv[optind]);
		return mb_cli_fail("credential verify", &d, rc);
	}
	return MB_EXIT_OK;
}

/* Writes text to path, or to standard output when path is NULL. */
static int
emit(const char *text, const char *path, struct mb_diag *d)
{
	if (path == NULL) {
		fputs(text, stdout);
		return MB_OK;
	}
	return mb_fs_write_atomic(path, text, strlen(text), 0644, d);
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
issue(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "achievement-id", required_argument, NULL, 'A' },
		{ "achievement", required_argument, NULL, 'a' },
		{ "description", required_argument, NULL, 'D' },
		{ "criteria", required_argument, NULL, 'c' },
		{ "subject", required_argument, NULL, 's' },
		{ "subject-id", required_argument, NULL, 'S' },
		{ "hash-subject", no_argument, NULL, 'H' },
		{ "name", required_argument, NULL, 'n' },
		{ "id", required_argument, NULL, 'i' },
		{ "issuer-id", required_argument, NULL, 'I' },
		{ "type", required_argument, NULL, 't' },
		{ "language", required_argument, NULL, 'l' },
		{ "valid-from", required_argument, NULL, 'f' },
		{ "valid-until", required_argument, NULL, 'u' },
		{ "status-list", required_argument, NULL, 'L' },
		{ "status-index", required_argument, NULL, 'X' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_badge		 b;
	struct mb_center_node	*n;
	struct mb_diag		 d = { "" };
	const char		*output = NULL, *from = NULL, *until = NULL;
	const char		*index = NULL;
	char			 title[256], *text = NULL;
	json_t			*doc = NULL;
	int			 ch, rc;

	memset(&b, 0, sizeof(b));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'A': b.achievement_id = optarg; break;
		case 'a': b.achievement_name = optarg; break;
		case 'D': b.achievement_description = optarg; break;
		case 'c': b.criteria_narrative = optarg; break;
		case 's': b.subject_name = optarg; break;
		case 'S': b.subject_id = optarg; break;
		case 'H': b.subject_hashed = true; break;
		case 'n': b.name = optarg; break;
		case 'i': b.id = optarg; break;
		case 'I': b.issuer_id = optarg; break;
		case 't': b.achievement_type = optarg; break;
		case 'l': b.language = optarg; break;
		case 'f': from = optarg; break;
		case 'u': until = optarg; break;
		case 'L': b.status_list = optarg; break;
		case 'X': index = optarg; break;
		case 'o': output = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_credential, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_credential, "give exactly one DIR");
	if ((from != NULL && mb_time_parse(from, &b.valid_from_ms) != MB_OK) ||
	    (until != NULL && mb_time_parse(until, &b.valid_until_ms) !=
	    MB_OK))
		return mb_cli_usage(&mb_cmd_credential,
		    "--valid-from, --valid-until: RFC 3339 date-times");
	if ((b.status_list == NULL) != (index == NULL))
		return mb_cli_usage(&mb_cmd_credential,
		    "--status-list and --status-index go together");
	if (index != NULL && parse_u64(index, &b.status_index) != 0)
		return mb_cli_usage(&mb_cmd_credential,
		    "--status-index: a number");
	if (b.name == NULL && b.achievement_name != NULL) {
		snprintf(title, sizeof(title), "%s", b.achievement_name);
		b.name = title;
	}
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("credential issue", &d, rc);
	b.issuer_name = n->conf.name;
	b.issuer_url = n->conf.url[0] ? n->conf.url : NULL;
	rc = mb_credential_issue(&b, n->key, &doc, &d);
	mb_center_close(n);
	if (rc == MB_OK && (rc = mb_credential_text(doc, &text)) == MB_OK)
		rc = emit(text, output, &d);
	free(text);
	json_decref(doc);
	if (rc != MB_OK)
		return mb_cli_fail("credential issue", &d, rc);
	return MB_EXIT_OK;
}

static int
status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "revoke", required_argument, NULL, 'r' },
		{ "length", required_argument, NULL, 'l' },
		{ "valid-until", required_argument, NULL, 'u' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct mb_status_list_opts	 o;
	struct mb_center_node		*n;
	struct mb_diag			 d = { "" };
	const char			*output = NULL, *until = NULL;
	uint64_t			*rev = NULL, *nr, v;
	size_t				 nrev = 0;
	char				*text = NULL;
	json_t				*doc = NULL;
	int				 ch, rc;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': o.id = optarg; break;
		case 'r':
			if (parse_u64(optarg, &v) != 0 ||
			    (nr = realloc(rev, (nrev + 1) * sizeof(*rev))) ==
			    NULL) {
				free(rev);
				return mb_cli_usage(&mb_cmd_credential,
				    "--revoke: an index");
			}
			rev = nr;
			rev[nrev++] = v;
			break;
		case 'l':
			if (parse_u64(optarg, &o.length) != 0 ||
			    o.length == 0) {
				free(rev);
				return mb_cli_usage(&mb_cmd_credential,
				    "--length: a number");
			}
			break;
		case 'u': until = optarg; break;
		case 'o': output = optarg; break;
		default:
			free(rev);
			return mb_cli_usage(&mb_cmd_credential, "bad option");
		}
	}
	if (optind != argc - 1 || o.id == NULL) {
		free(rev);
		return mb_cli_usage(&mb_cmd_credential,
		    "give one DIR and --id URL");
	}
	if (until != NULL && mb_time_parse(until, &o.valid_until_ms) != MB_OK) {
		free(rev);
		return mb_cli_usage(&mb_cmd_credential,
		    "--valid-until: an RFC 3339 date-time");
	}
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK) {
		free(rev);
		return mb_cli_fail("credential status", &d, rc);
	}
	o.issuer_name = n->conf.name;
	rc = mb_status_list_issue(&o, rev, nrev, n->key, &doc, &d);
	mb_center_close(n);
	free(rev);
	if (rc == MB_OK && (rc = mb_credential_text(doc, &text)) == MB_OK)
		rc = emit(text, output, &d);
	free(text);
	json_decref(doc);
	if (rc != MB_OK)
		return mb_cli_fail("credential status", &d, rc);
	return MB_EXIT_OK;
}

static const struct mb_cli_sub subs[] = {
	{ "verify", verify },
	{ "issue", issue },
	{ "status", status },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_credential,
		"verify, issue or status?",
		"%s: unknown; verify, issue or status?", 0, subs };

	return mb_cli_dispatch(&t, argc, argv);
}
