/* SPDX-License-Identifier: MIT */
/*
 * The demo's ingest: Cairo takes in a member's Arabic RSS feed and an
 * agency's NewsML-G2 item, both served on 127.0.0.1 by a small server
 * here, as published items of its own that name their source; HQ gets
 * them over the exchange and can hand them on as NewsML-G2.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "center/center.h"
#include "cli/cli.h"
#include "feeds/feeds.h"
#include "serve/feed_poller.h"

static const char rss[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>صوت الدلتا</title>"
    "<link>https://delta.example/</link><language>ar</language><ttl>30"
    "</ttl>\n<item><guid>delta-101</guid><title>افتتاح عيادة جديدة في "
    "الدلتا</title><link>/news/101</link><pubDate>Sat, 05 Dec 2026 "
    "07:30:00 +0200</pubDate><category>صحة</category><description>"
    "&lt;p&gt;افتتحت وزارة الصحة عيادة جديدة تخدم ثلاث قرى في محافظة "
    "الغربية.&lt;/p&gt;&lt;p&gt;&lt;img src=\"/img/clinic.jpg\" alt=\"\"&gt;"
    "&lt;/p&gt;</description></item>\n<item><guid>delta-102</guid><title>"
    "مهرجان الكتاب يعود إلى طنطا</title><link>/news/102</link><pubDate>"
    "Sat, 05 Dec 2026 08:10:00 +0200</pubDate><category>ثقافة</category>"
    "<description>&lt;p&gt;يعود مهرجان الكتاب بمشاركة خمسين دار نشر."
    "&lt;/p&gt;</description></item>\n</channel></rss>\n";

static const char g2[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" "
    "guid=\"urn:newsml:wire.example:20261205:nile-water\" version=\"1\" "
    "standard=\"NewsML-G2\" standardversion=\"2.35\" xml:lang=\"ar\">"
    "<itemMeta><itemClass qcode=\"ninat:text\"/><provider literal="
    "\"wire.example\"/><versionCreated>2026-12-05T06:00:00Z"
    "</versionCreated></itemMeta><contentMeta><infoSource uri="
    "\"https://wire.example/\"><name>وكالة المثال</name></infoSource>"
    "<language tag=\"ar\"/><subject qcode=\"medtop:20000736\"><name>"
    "الماء</name></subject><headline>جولة جديدة من محادثات مياه النيل"
    "</headline></contentMeta><contentSet><inlineXML contenttype="
    "\"application/xhtml+xml\"><html xmlns=\"http://www.w3.org/1999/"
    "xhtml\"><head><title>t</title></head><body><p>تستأنف الدول الثلاث "
    "المحادثات الأسبوع المقبل.</p></body></html></inlineXML></contentSet>"
    "</newsItem>\n";

struct tiny {
	int		fd;
	int		served;
	pthread_t	th;
};

/* Answers the two documents, one request a connection, then closes. */
static void *
serve_files(void *arg)
{
	struct tiny	*t = arg;
	char		 req[2048], head[256];
	int		 c;
	ssize_t		 n;

	while (t->served < 2 && (c = accept(t->fd, NULL, NULL)) >= 0) {
		const char *body = NULL, *type = "text/plain";

		n = read(c, req, sizeof(req) - 1);
		req[n > 0 ? n : 0] = '\0';
		if (strncmp(req, "GET /delta.xml ", 15) == 0) {
			body = rss;
			type = "application/rss+xml; charset=utf-8";
		} else if (strncmp(req, "GET /wire.xml ", 14) == 0) {
			body = g2;
			type = "application/vnd.iptc.g2.newsitem+xml";
		}
		snprintf(head, sizeof(head), "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		    body != NULL ? "200 OK" : "404 Not Found", type,
		    body != NULL ? strlen(body) : 0);
		/* A failed write: the poll says what went wrong. */
		if (write(c, head, strlen(head)) >= 0 && body != NULL)
			(void)!write(c, body, strlen(body));
		close(c);
		if (body != NULL)
			t->served++;
	}
	return NULL;
}

int
mb_demo_feeds(const char *dir)
{
	struct mb_center_node	*n = NULL;
	struct mb_store		*st = NULL;
	struct mb_feeds		*f = NULL;
	struct mb_feeds_result	 r;
	struct mb_feeds_add	 a;
	struct mb_diag		 d = { "" };
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);
	struct tiny		 t = { -1, 0, 0 };
	char			 cdir[1200], url[2][80];
	int64_t			 id[2];
	int			 rc = MB_ERR_IO, i, added = 0;

	snprintf(cdir, sizeof(cdir), "%s/cairo", dir);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((t.fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(t.fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(t.fd, 4) != 0 ||
	    getsockname(t.fd, (struct sockaddr *)&sin, &sl) != 0 ||
	    pthread_create(&t.th, NULL, serve_files, &t) != 0) {
		mb_diag_set(&d, MB_ERR_IO, "cannot serve the feeds on "
		    "127.0.0.1");
		if (t.fd >= 0)
			close(t.fd);
		goto out;
	}
	snprintf(url[0], sizeof(url[0]), "http://127.0.0.1:%d/delta.xml",
	    ntohs(sin.sin_port));
	snprintf(url[1], sizeof(url[1]), "http://127.0.0.1:%d/wire.xml",
	    ntohs(sin.sin_port));
	if ((rc = mb_center_open(cdir, &n, &d)) != MB_OK ||
	    (rc = mb_center_store(n, &st, &d)) != MB_OK ||
	    (rc = mb_serve_feeds_new(n, st, &f, &d)) != MB_OK)
		goto stop;
	for (i = 0; i < 2; i++) {
		memset(&a, 0, sizeof(a));
		a.url = url[i];
		a.workflow = "publish";
		a.topics = i == 0 ? "members" : "wire";
		/* The demo's sources are on this host: the operator allows it. */
		a.allow_private = true;
		if ((rc = mb_feeds_add(st, &a, &id[i], &d)) != MB_OK ||
		    (rc = mb_feeds_poll(f, id[i], &r, &d)) != MB_OK)
			goto stop;
		added += r.added;
	}
	printf("demo: cairo ingested %d items from an Arabic RSS feed and a "
	    "NewsML-G2 item served on 127.0.0.1 (mediabridge feed list "
	    "%s); every center hands them on as NewsML-G2 at "
	    "/feeds/ar.newsml\n", added, cdir);
stop:
	/* Wake the server if a poll never came, then wait for it. */
	shutdown(t.fd, SHUT_RDWR);
	close(t.fd);
	pthread_join(t.th, NULL);
out:
	mb_feeds_free(f);
	mb_store_close(st);
	mb_center_close(n);
	if (rc != MB_OK)
		fprintf(stderr, "mediabridge: demo: feeds: %s\n",
		    mb_diag_msg(&d, rc));
	fflush(stdout);
	return rc;
}
