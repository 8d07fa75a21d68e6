/* SPDX-License-Identifier: MIT */
/*
 * The demo's event (docs/events.md): HQ publishes a conference in
 * Baghdad with its programme and opens registration; a reader registers
 * through HQ's site (the organising center: attendee data stays there),
 * the ticket comes by mail through a real SMTP server on 127.0.0.1
 * (python3 -m aiosmtpd writing a Maildir in DIR/mail), and the door
 * checks it with HQ's public key and nothing else (`ticket verify`),
 * then HQ's check-in admits it once and flags a second entry.
 *
 * Without python3-aiosmtpd no relay is configured and the demo reads
 * the ticket from the attendee's page instead, and says so.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/fs.h"
#include "base/timeutil.h"
#include "center/center.h"
#include "cli/cli.h"
#include "cli/demo_util.h"
#include "events/events.h"
#include "httpc/httpc.h"
#include "store/store.h"

#define EVENT_LOCAL	"baghdad-forum"
#define EVENT_URI	"urn:mediabridge:moscow:" EVENT_LOCAL
#define READER_NAME	"Huda Al-Rubaie"
#define READER_MAIL	"huda@reader.example"
#define PYTHON		"/usr/bin/python3"

static pid_t	smtpd;		/* the demo's SMTP server, or 0 */
static bool	with_mail;

static void
stop_smtpd(void)
{
	if (smtpd > 0) {
		kill(smtpd, SIGTERM);
		while (waitpid(smtpd, NULL, 0) < 0 && errno == EINTR)
			;
		smtpd = 0;
	}
}

int
mb_demo_events_mail(const char *dir)
{
	char		 mail[PATH_MAX], conf[PATH_MAX], listen[32];
	const char	*probe[] = { "-c", "import aiosmtpd", NULL };
	struct mb_buf	 text = MB_BUF_INIT;
	int		 port, rc;

	/* A previous demo's mailbox was removed with its centers (cmd_demo.c
	 * prepare_dir); nothing else is removed here. */
	snprintf(mail, sizeof(mail), "%s/mail", dir);
	if (access(PYTHON, X_OK) != 0 ||
	    mb_demo_run(PYTHON, probe, NULL, NULL) != 0 ||
	    (port = mb_demo_free_port()) == 0)
		return MB_ERR_NOTFOUND;
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	if ((smtpd = fork()) < 0) {
		smtpd = 0;
		return MB_ERR_IO;
	}
	if (smtpd == 0) {
		char *argv[] = { PYTHON, "-m", "aiosmtpd", "-n", "-l", listen,
		    "-c", "aiosmtpd.handlers.Mailbox", mail, NULL };
		int fd = open("/dev/null", O_RDWR);

		/* It goes when the demo goes, however it ends. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		signal(SIGINT, SIG_IGN);
		execv(argv[0], argv);
		_exit(127);
	}
	atexit(stop_smtpd);
	/* HQ's relay: read by serve when it starts, after this. */
	snprintf(conf, sizeof(conf), "%s/moscow/mediabridge.conf", dir);
	mb_buf_printf(&text, "\n[mail]\nrelay = smtp://%s\nfrom = "
	    "events@moscow.demo\n", listen);
	{
		FILE *f = fopen(conf, "a");

		rc = f != NULL && fwrite(text.data, 1, text.len, f) ==
		    text.len ? MB_OK : MB_ERR_IO;
		if (f != NULL && fclose(f) != 0)
			rc = MB_ERR_IO;
	}
	mb_buf_free(&text);
	if (rc != MB_OK) {
		stop_smtpd();
		return rc;
	}
	with_mail = true;
	return MB_OK;
}

/* The conference, starting at 06:00 UTC (09:00 in Baghdad) in two days. */
static int
write_event(const char *file, time_t start)
{
	static const struct {
		int		 at, len;	/* minutes from the start */
		const char	*id, *title, *room, *lang, *speaker, *uri;
	} s[] = {
		/* No profile named: the demo makes none for its speakers. */
		{ 0, 60, "s1", "الافتتاح: الإعلام عبر الحدود", "Hall A", "ar",
		  "Layla Hassan", NULL },
		{ 90, 120, "s2", "Verification workshop", "Room 2", "en",
		  "Omar Said", NULL },
		{ 300, 90, "s3", "Журналистика данных", "Hall A", "ru",
		  "Irina Volkova", NULL },
	};
	char	 a[32], b[32];
	FILE	*f;

	if ((f = fopen(file, "w")) == NULL)
		return MB_ERR_IO;
	mb_time_format((int64_t)start * 1000, a);
	mb_time_format((int64_t)(start + 2 * 86400 - 8 * 3600) * 1000, b);
	fprintf(f, "{\"uri\": \"" EVENT_URI "\", \"type\": \"event\", "
	    "\"profile\": \"event\", \"language\": \"en\", \"headlines\": "
	    "[{\"value\": \"Arab Media Forum, Baghdad\"}], \"descriptions\": "
	    "[{\"value\": \"The network's conference: two days, two rooms, "
	    "three languages.\"}], \"eventDetails\": {\"eventStatus\": "
	    "\"http://cv.iptc.org/newscodes/eventstatus/scheduled\", "
	    "\"dates\": {\"startDate\": \"%s\", \"endDate\": \"%s\"}, "
	    "\"organiser\": {\"name\": \"MediaBridge HQ\"}}, \"places\": "
	    "[{\"name\": \"Baghdad\", \"geoJSON\": {\"type\": \"Point\", "
	    "\"coordinates\": [44.3661, 33.3152]}}], \"associations\": [",
	    a, b);
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		mb_time_format((int64_t)(start + s[i].at * 60) * 1000, a);
		mb_time_format((int64_t)(start + (s[i].at + s[i].len) * 60) *
		    1000, b);
		fprintf(f, "%s{\"name\": \"%s\", \"rel\": \"session\", "
		    "\"uri\": \"" EVENT_URI "-%s\", \"type\": \"event\", "
		    "\"headlines\": [{\"value\": \"%s\"}], "
		    "\"language\": \"%s\", \"eventDetails\": {\"dates\": "
		    "{\"startDate\": \"%s\", \"endDate\": \"%s\"}}, "
		    "\"places\": "
		    "[{\"name\": \"%s\", \"rel\": \"room\"}], \"people\": "
		    "[{\"name\": \"%s\", \"rel\": \"speaker\"%s%s%s}]}",
		    i > 0 ? ", " : "", s[i].id, s[i].id, s[i].title, s[i].lang,
		    a, b, s[i].room, s[i].speaker, s[i].uri != NULL ?
		    ", \"uri\": \"" : "", s[i].uri != NULL ? s[i].uri : "",
		    s[i].uri != NULL ? "\"" : "");
	}
	fprintf(f, "]}\n");
	return fclose(f) == 0 ? MB_OK : MB_ERR_IO;
}

static void
on_location(const char *line, size_t len, void *arg)
{
	char *loc = arg;

	if (len > 10 && strncasecmp(line, "Location: ", 10) == 0 &&
	    len - 10 < 200)
		snprintf(loc, 200, "%.*s", (int)(len - 10), line + 10);
}

/* The reader fills in HQ's form; link gets the attendee's /events/r/... */
static int
register_reader(long port, char link[200], struct mb_diag *d)
{
	struct mb_httpc		*c = NULL;
	struct mb_httpc_opts	 o = { .allow_private = true };
	struct mb_httpc_resp	 resp = { 0 };
	char			 url[128];
	static const char	 form[] = "name=Huda+Al-Rubaie&email=huda%40"
	    "reader.example&organisation=Al-Sabah&country=IQ&language=ar";
	int			 rc;

	snprintf(url, sizeof(url), "http://127.0.0.1:%ld/en/events/moscow/"
	    EVENT_LOCAL "/register", port);
	link[0] = '\0';
	mb_httpc_global_init();
	if ((rc = mb_httpc_new(&o, &c)) != MB_OK)
		return mb_diag_set(d, rc, "no HTTP client");
	rc = mb_httpc_do(c, &(struct mb_httpc_req){ .method = "POST",
	    .url = url, .content_type = "application/x-www-form-urlencoded",
	    .body = form, .len = sizeof(form) - 1, .timeout_ms = 15000,
	    .on_header = on_location, .header_arg = link }, &resp, NULL, d);
	if (rc == MB_OK && (resp.status != 303 || strncmp(link, "/events/r/",
	    10) != 0))
		rc = mb_diag_set(d, MB_ERR_INVAL, "registration at HQ answered "
		    "%ld: %.200s", resp.status, mb_buf_cstr(&resp.body));
	mb_httpc_resp_free(&resp);
	mb_httpc_free(c);
	return rc;
}

/* The first MBT1:... in text (ticket is MB_TICKET_TEXT_MAX). */
static bool
find_ticket(const char *text, char *ticket)
{
	const char	*p = strstr(text, "MBT1:");
	size_t		 n;

	if (p == NULL)
		return false;
	n = 5 + strspn(p + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrst"
	    "uvwxyz0123456789-_");
	if (n >= 400)
		return false;
	memcpy(ticket, p, n);
	ticket[n] = '\0';
	return true;
}

/*
 * The ticket as the mail carries it: the message's text part (base64,
 * as mail.c writes it) decoded. file gets the message's path.
 */
static bool
ticket_from_mail(const char *dir, char *ticket, char file[PATH_MAX])
{
	char		 path[PATH_MAX - 300];
	DIR		*dp;
	struct dirent	*de;
	bool		 found = false;

	snprintf(path, sizeof(path), "%s/mail/new", dir);
	if ((dp = opendir(path)) == NULL)
		return false;
	while (!found && (de = readdir(dp)) != NULL) {
		char		*msg = NULL, *p, *end, *b64, *plain;
		size_t		 len, k = 0, plen;

		if (de->d_name[0] == '.')
			continue;
		snprintf(file, PATH_MAX, "%s/%s", path, de->d_name);
		if (mb_fs_read(file, 1 << 20, &msg, &len, NULL) != MB_OK)
			continue;
		/* The text part's body: after its headers' blank line. */
		p = strstr(msg, READER_MAIL) != NULL ?
		    strstr(msg, "Content-Type: text/plain") : NULL;
		if (p != NULL && (end = strstr(p, "\n\n")) == NULL)
			end = strstr(p, "\r\n\r\n");
		if (p == NULL || end == NULL) {
			free(msg);
			continue;
		}
		p = end;
		end = strstr(p, "--mediabridge-part");
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		b64 = malloc(len + 1);
		plain = malloc(len + 1);
		if (b64 != NULL && plain != NULL) {
			for (size_t i = 0; i < len; i++)
				if (p[i] != '\r' && p[i] != '\n' &&
				    p[i] != ' ')
					b64[k++] = p[i];
			b64[k] = '\0';
			if (sodium_base642bin((unsigned char *)plain, len,
			    b64, k, NULL, &plen, NULL,
			    sodium_base64_VARIANT_ORIGINAL) == 0) {
				plain[plen] = '\0';
				found = find_ticket(plain, ticket);
			}
		}
		free(b64);
		free(plain);
		free(msg);
	}
	closedir(dp);
	return found;
}

/* The ticket from the attendee's page (no mail server here). */
static int
ticket_from_page(long port, const char *link, char *ticket,
    struct mb_diag *d)
{
	struct mb_httpc		*c = NULL;
	struct mb_httpc_opts	 o = { .allow_private = true };
	struct mb_httpc_resp	 resp = { 0 };
	char			 url[300];
	int			 rc;

	snprintf(url, sizeof(url), "http://127.0.0.1:%ld%s", port, link);
	if ((rc = mb_httpc_new(&o, &c)) != MB_OK)
		return mb_diag_set(d, rc, "no HTTP client");
	rc = mb_httpc_do(c, &(struct mb_httpc_req){ .url = url,
	    .timeout_ms = 15000 }, &resp, NULL, d);
	if (rc == MB_OK && (resp.status != 200 ||
	    !find_ticket(mb_buf_cstr(&resp.body), ticket)))
		rc = mb_diag_set(d, MB_ERR_INVAL, "no ticket on the attendee's "
		    "page (%ld)", resp.status);
	mb_httpc_resp_free(&resp);
	mb_httpc_free(c);
	return rc;
}

/*
 * HQ's check-in, at the door on the day (at_ms): marks the entry; a
 * second scan is flagged.
 */
static int
check_in_twice(const char *dir, const char *ticket, int64_t at_ms,
    bool *first,
    bool *again, struct mb_diag *d)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_ev_checkin	 ci;
	char			 path[PATH_MAX];
	int			 rc;

	snprintf(path, sizeof(path), "%s/moscow", dir);
	if ((rc = mb_center_open(path, &n, d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, d)) != MB_OK)
		goto out;
	{
		struct mb_events_env env = { .st = st, .key = n->key,
		    .center = n->conf.id, .site_url = "", .mail_from = "",
		    .now_ms = at_ms };

		if ((rc = mb_event_checkin(&env, NULL, EVENT_URI, ticket, &ci,
		    d)) != MB_OK)
			goto out;
		*first = ci.admitted;
		if ((rc = mb_event_checkin(&env, NULL, EVENT_URI, ticket, &ci,
		    d)) == MB_OK)
			*again = ci.again && !ci.admitted;
	}
out:
	mb_store_close(st);
	mb_center_close(n);
	return rc;
}

int
mb_demo_events(const char *dir, long port)
{
	struct mb_diag	 d = { "" };
	struct mb_buf	 out = MB_BUF_INIT;
	char		 file[PATH_MAX], hq[PATH_MAX];
	char		 mailfile[PATH_MAX] = "";
	char		 link[200], ticket[400] = "", key[128], at[32];
	/* 06:00 UTC (09:00 in Baghdad), two days on. */
	time_t		 start = (time(NULL) / 86400 + 2) * 86400 +
			    6 * 3600;
	bool		 first = false, again = false, mailed = false;
	int		 rc = MB_ERR_INVAL;

	snprintf(file, sizeof(file), "%s/event.ndjson", dir);
	snprintf(hq, sizeof(hq), "%s/moscow", dir);
	if (write_event(file, start) != MB_OK) {
		mb_diag_set(&d, MB_ERR_IO, "%s: cannot write", file);
		goto fail;
	}
	{
		const char *im[] = { "import", hq, "--quiet", file, NULL };
		const char *se[] = { "event", "settings", hq, EVENT_URI,
		    "--capacity", "300", "--confirm-hours", "48",
		    "--question", "Which sessions will you attend?", NULL };
		const char *k[] = { "key", hq, NULL };

		if (mb_demo_self(im, &out) != 0 ||
		    mb_demo_self(se, &out) != 0 ||
		    (mb_buf_reset(&out), mb_demo_self(k, &out)) != 0) {
			mb_diag_set(&d, MB_ERR_INVAL, "HQ: %.300s",
			    mb_buf_cstr(&out));
			goto fail;
		}
		snprintf(key, sizeof(key), "%.*s",
		    (int)strcspn(mb_buf_cstr(&out), "\n"), mb_buf_cstr(&out));
		mb_buf_reset(&out);
	}
	if ((rc = register_reader(port, link, &d)) != MB_OK)
		goto fail;
	if (with_mail) {
		/* serve's events poller sends every few seconds. */
		for (int i = 0; i < 150 && !mailed; i++)
			if (!(mailed = ticket_from_mail(dir, ticket,
			    mailfile)))
				mb_demo_nap(200);
		if (!mailed) {
			rc = mb_diag_set(&d, MB_ERR_AGAIN, "no mail with the "
			    "ticket in %s/mail within 30 s", dir);
			goto fail;
		}
	} else if ((rc = ticket_from_page(port, link, ticket, &d)) != MB_OK)
		goto fail;
	/* At the door, on the day, with HQ's public key and no network. */
	mb_time_format((int64_t)(start + 1800) * 1000, at);
	{
		const char *v[] = { "ticket", "verify", "--key", key, ticket,
		    "--at", at, "--name", READER_NAME, NULL };

		if (mb_demo_self(v, &out) != 0) {
			rc = mb_diag_set(&d, MB_ERR_INVAL, "ticket verify "
			    "refused the ticket: %.300s", mb_buf_cstr(&out));
			goto fail;
		}
	}
	if ((rc = check_in_twice(dir, ticket,
	    (int64_t)(start + 1800) * 1000, &first, &again, &d)) != MB_OK)
		goto fail;
	if (!first || !again) {
		rc = mb_diag_set(&d, MB_ERR_INVAL, "HQ's check-in: admitted "
		    "%d, second entry flagged %d", first, again);
		goto fail;
	}
	printf("  event: HQ published \"Arab Media Forum, Baghdad\" with a "
	    "programme of 3 sessions;\n  reader \"%s\" registered on HQ's "
	    "site and %s;\n  at the door `ticket verify` admitted it with "
	    "HQ's key alone, and HQ's check-in\n  admitted it once and "
	    "flagged a second entry:\n"
	    "    event        http://127.0.0.1:%ld/en/events/moscow/"
	    EVENT_LOCAL "\n    calendar     http://127.0.0.1:%ld/events/"
	    "moscow/" EVENT_LOCAL ".ics\n    her ticket   "
	    "http://127.0.0.1:%ld%s\n", READER_NAME, mailed ?
	    "got her ticket by mail" : "read her ticket on her page (no mail: "
	    "python3-aiosmtpd is missing)", port, port, port, link);
	if (mailed)
		printf("    the mail     %s\n", mailfile);
	mb_buf_free(&out);
	return MB_OK;
fail:
	printf("  event: FAILED: %s\n", mb_diag_msg(&d, rc));
	mb_buf_free(&out);
	return rc;
}
