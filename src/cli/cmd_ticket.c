/* SPDX-License-Identifier: MIT */
/* mediabridge ticket: check a ticket offline; issue tickets and lists. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/fs.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "signed/multibase.h"
#include "signed/qr.h"
#include "signed/ticket.h"

static int run(int argc, char **argv);

const struct mb_cli_cmd mb_cmd_ticket = {
	"ticket", "check an event ticket offline; issue tickets and lists",
	"usage: mediabridge ticket verify --key KEY PAYLOAD [--revoked FILE]\n"
	"                                 [--name NAME] [--at TIME]\n"
	"       mediabridge ticket issue DIR --event URI --registration ID\n"
	"                                --name NAME --until TIME\n"
	"                                [--from TIME]\n"
	"                                [--svg FILE] [--png FILE]\n"
	"       mediabridge ticket revoked DIR --event URI [ID...] [-o FILE]\n"
	"       mediabridge ticket qr PAYLOAD [--svg FILE] [--png FILE]\n"
	"                                [--label TEXT]\n\n"
	"verify checks a ticket (the text of its QR code, MBT1:...; - reads\n"
	"it from standard input) with the issuing center's public key, the\n"
	"form `mediabridge key DIR` prints, and no network: the signature,\n"
	"the validity (now, or --at an RFC 3339 time) and, with --revoked,\n"
	"the center's revocation list for the event. It prints what the ticket\n"
	"says, one `field: value` a line, and exits 0 if it admits, 1 if not,\n"
	"saying why (forged or altered, not yet valid, expired, revoked); the\n"
	"fields of a refused ticket are what it claims, not facts.\n"
	"--name checks a name read off an identity document against the\n"
	"ticket's name hash (case, accents and punctuation do not matter).\n\n"
	"issue signs a ticket with the center in DIR (the events module does\n"
	"this for each complete registration; the command is for operators\n"
	"and tests) and prints it; --svg and --png write its QR code.\n"
	"revoked prints the center's signed revocation list of the event:\n"
	"the registrations given, whose tickets no longer admit.\n"
	"qr writes the QR code of any payload.\n",
	run
};

static int
read_arg(const char *arg, char **out, size_t *len, struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	char		chunk[4096];
	size_t		n;

	if (strcmp(arg, "-") != 0) {
		if ((*out = strdup(arg)) == NULL)
			return MB_ERR_NOMEM;
		*len = strlen(arg);
		return MB_OK;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		if (b.len + n > 64 * 1024) {
			mb_buf_free(&b);
			return mb_diag_set(d, MB_ERR_TOOBIG,
			    "standard input: longer than 64 KB");
		}
		if (mb_buf_append(&b, chunk, n) != MB_OK) {
			mb_buf_free(&b);
			return MB_ERR_NOMEM;
		}
	}
	*len = b.len;
	*out = mb_buf_steal(&b);
	return MB_OK;
}

static void
print_ticket(const struct mb_ticket *t, const char *status)
{
	char from[MB_TIME_RFC3339_LEN], until[MB_TIME_RFC3339_LEN];
	char hash[2 * MB_TICKET_NAME_HASH_LEN + 1];

	mb_time_format(t->valid_from_ms, from);
	mb_time_format(t->valid_until_ms, until);
	sodium_bin2hex(hash, sizeof(hash), t->name_hash, sizeof(t->name_hash));
	printf("status: %s\nissuer: %s\nevent: %s\nregistration: %s\n"
	    "valid-from: %s\nvalid-until: %s\nname-hash: %s\n", status,
	    t->issuer, t->event, t->registration, from, until, hash);
}

static int
verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "revoked", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*key = NULL, *revfile = NULL, *name = NULL;
	const char		*at = NULL;
	struct mb_revoked	*rl = NULL;
	struct mb_ticket	 t;
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why = MB_VERDICT_MALFORMED;
	uint8_t			 pk[MB_PUBKEY_LEN];
	char			*text = NULL, *list = NULL;
	size_t			 len, listlen;
	int64_t			 now = 0;
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k': key = optarg; break;
		case 'r': revfile = optarg; break;
		case 'n': name = optarg; break;
		case 'a': at = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_ticket, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_ticket, "give exactly one PAYLOAD");
	if (key == NULL)
		return mb_cli_usage(&mb_cmd_ticket,
		    "--key (the issuing center's public key) is required");
	if (mb_key_parse_any(key, pk, &d) != MB_OK)
		return mb_cli_usage(&mb_cmd_ticket, "--key: %s", d.msg);
	if (at != NULL && mb_time_parse(at, &now) != MB_OK)
		return mb_cli_usage(&mb_cmd_ticket,
		    "--at: not an RFC 3339 date-time");
	if ((rc = read_arg(argv[optind], &text, &len, &d)) != MB_OK)
		return mb_cli_fail("ticket verify", &d, rc);
	if (revfile != NULL) {
		if ((rc = mb_fs_read(revfile, 128u << 20, &list, &listlen,
		    &d)) != MB_OK ||
		    (rc = mb_revoked_load(list, listlen, pk, &rl, &why, &d)) !=
		    MB_OK) {
			free(text);
			free(list);
			mb_diag_prefix(&d, "%s", revfile);
			return mb_cli_fail("ticket verify: --revoked", &d, rc);
		}
		free(list);
	}
	rc = mb_ticket_verify(text, len, pk, now, rl, &t, &why, &d);
	free(text);
	mb_revoked_free(rl);
	if (rc != MB_OK) {
		/* Say whose ticket it claims to be, when it could be read. */
		if (why != MB_VERDICT_MALFORMED &&
		    why != MB_VERDICT_UNSUPPORTED)
			print_ticket(&t, mb_verdict_str(why));
		else
			printf("status: %s\n", mb_verdict_str(why));
		return mb_cli_fail("ticket verify", &d, rc);
	}
	print_ticket(&t, "valid");
	if (name != NULL) {
		if (!mb_ticket_holder_is(&t, name)) {
			printf("name: does not match\n");
			mb_diag_set(&d, MB_ERR_PERM, "the name given is not "
			    "the ticket holder's");
			return mb_cli_fail("ticket verify", &d, MB_ERR_PERM);
		}
		printf("name: matches\n");
	}
	return MB_EXIT_OK;
}

static int
write_qr(const char *payload, const char *label, const char *svg,
    const char *png, struct mb_diag *d)
{
	struct mb_buf	b = MB_BUF_INIT;
	int		rc = MB_OK;

	if (svg != NULL && ((rc = mb_qr_svg(payload, label, &b, d)) != MB_OK ||
	    (rc = mb_fs_write_atomic(svg, b.data, b.len, 0644, d)) != MB_OK))
		goto out;
	mb_buf_reset(&b);
	if (png != NULL && ((rc = mb_qr_png(payload, 4, &b, d)) != MB_OK ||
	    (rc = mb_fs_write_atomic(png, b.data, b.len, 0644, d)) != MB_OK))
		goto out;
out:
	mb_buf_free(&b);
	return rc;
}

static int
issue(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "registration", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "from", required_argument, NULL, 'f' },
		{ "until", required_argument, NULL, 'u' },
		{ "svg", required_argument, NULL, 's' },
		{ "png", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*event = NULL, *reg = NULL, *name = NULL;
	const char		*from = NULL, *until = NULL, *svg = NULL;
	const char		*png = NULL;
	struct mb_center_node	*n;
	struct mb_ticket	 t;
	struct mb_diag		 d = { "" };
	char			 text[MB_TICKET_TEXT_MAX];
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e': event = optarg; break;
		case 'r': reg = optarg; break;
		case 'n': name = optarg; break;
		case 'f': from = optarg; break;
		case 'u': until = optarg; break;
		case 's': svg = optarg; break;
		case 'p': png = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_ticket, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_ticket, "give exactly one DIR");
	if (event == NULL || reg == NULL || name == NULL || until == NULL)
		return mb_cli_usage(&mb_cmd_ticket, "--event, --registration, "
		    "--name and --until are required");
	memset(&t, 0, sizeof(t));
	if (strlen(event) >= sizeof(t.event) ||
	    strlen(reg) >= sizeof(t.registration))
		return mb_cli_usage(&mb_cmd_ticket,
		    "--event or --registration: too long");
	snprintf(t.event, sizeof(t.event), "%s", event);
	snprintf(t.registration, sizeof(t.registration), "%s", reg);
	if (mb_time_parse(until, &t.valid_until_ms) != MB_OK ||
	    (from != NULL && mb_time_parse(from, &t.valid_from_ms) != MB_OK))
		return mb_cli_usage(&mb_cmd_ticket,
		    "--from, --until: RFC 3339 date-times");
	if (from == NULL)
		t.valid_from_ms = mb_time_now_ms();
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("ticket issue", &d, rc);
	snprintf(t.issuer, sizeof(t.issuer), "%s", n->conf.id);
	rc = mb_ticket_issue(&t, name, n->key, text, &d);
	mb_center_close(n);
	if (rc == MB_OK)
		rc = write_qr(text, "Ticket", svg, png, &d);
	if (rc != MB_OK)
		return mb_cli_fail("ticket issue", &d, rc);
	printf("%s\n", text);
	return MB_EXIT_OK;
}

static int
revoked(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*event = NULL, *output = NULL;
	struct mb_center_node	*n;
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	int			 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e': event = optarg; break;
		case 'o': output = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_ticket, "bad option");
		}
	}
	if (optind >= argc)
		return mb_cli_usage(&mb_cmd_ticket, "give DIR");
	if (event == NULL)
		return mb_cli_usage(&mb_cmd_ticket, "--event is required");
	if ((rc = mb_center_open(argv[optind], &n, &d)) != MB_OK)
		return mb_cli_fail("ticket revoked", &d, rc);
	rc = mb_revoked_issue(n->conf.id, event, 0,
	    (const char *const *)argv + optind + 1,
	    (size_t)(argc - optind - 1), n->key, &b, &d);
	mb_center_close(n);
	if (rc == MB_OK)
		rc = mb_buf_putc(&b, '\n');
	if (rc == MB_OK && output != NULL)
		rc = mb_fs_write_atomic(output, b.data, b.len, 0644, &d);
	else if (rc == MB_OK)
		fputs(b.data, stdout);
	mb_buf_free(&b);
	if (rc != MB_OK)
		return mb_cli_fail("ticket revoked", &d, rc);
	return MB_EXIT_OK;
}

static int
qr(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "png", required_argument, NULL, 'p' },
		{ "label", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*svg = NULL, *png = NULL, *label = NULL;
	struct mb_diag	 d = { "" };
	char		*text;
	size_t		 len;
	int		 ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': svg = optarg; break;
		case 'p': png = optarg; break;
		case 'l': label = optarg; break;
		default:
			return mb_cli_usage(&mb_cmd_ticket, "bad option");
		}
	}
	if (optind != argc - 1)
		return mb_cli_usage(&mb_cmd_ticket, "give exactly one PAYLOAD");
	if (svg == NULL && png == NULL)
		return mb_cli_usage(&mb_cmd_ticket, "--svg or --png, or both");
	if ((rc = read_arg(argv[optind], &text, &len, &d)) != MB_OK)
		return mb_cli_fail("ticket qr", &d, rc);
	/* A payload read from a file or a pipe ends with its newline. */
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	if (strlen(text) != len)
		rc = mb_diag_set(&d, MB_ERR_INVAL, "the payload holds a NUL");
	else
		rc = write_qr(text, label, svg, png, &d);
	free(text);
	if (rc != MB_OK)
		return mb_cli_fail("ticket qr", &d, rc);
	return MB_EXIT_OK;
}

static const struct mb_cli_sub subs[] = {
	{ "verify", verify },
	{ "issue", issue },
	{ "revoked", revoked },
	{ "qr", qr },
	{ NULL, NULL }
};

static int
run(int argc, char **argv)
{
	static const struct mb_cli_subs t = { &mb_cmd_ticket,
		"verify, issue, revoked or qr?",
		"%s: unknown; verify, issue, revoked or qr?", 0, subs };

	return mb_cli_dispatch(&t, argc, argv);
}
