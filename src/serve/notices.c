/* SPDX-License-Identifier: MIT */
/* The notice listener: the store's change notices make the waker look at the log. */
#include "serve/notices.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "base/log.h"
#include "store/store.h"

static struct {
	pthread_t			 thread;
	bool				 running;
	atomic_int			 stop;
	const struct mb_center_node	*node;
	struct mb_http_server		*srv;
} L;

static void
nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void *
listen_main(void *arg)
{
	struct mb_store	*st = NULL;
	struct mb_diag	 d;
	bool		 got;
	int		 rc;

	(void)arg;
	while (!atomic_load(&L.stop)) {
		if (st == NULL) {
			mb_diag_clear(&d);
			if ((rc = mb_center_store(L.node, &st, &d)) != MB_OK ||
			    (rc = mb_store_listen(st, &d)) != MB_OK) {
				log_warn("serve: notices: %s; retrying",
				    mb_diag_msg(&d, rc));
				mb_store_close(st);
				st = NULL;
				nap_ms(1000);
				continue;
			}
			/* What was missed while not listening counts too. */
			mb_http_recheck(L.srv);
		}
		/* A short wait, so that stopping never waits long. */
		if ((rc = mb_store_wait(st, 250, &got, &d)) != MB_OK) {
			log_warn("serve: notices: %s; reconnecting",
			    mb_diag_msg(&d, rc));
			mb_store_close(st);
			st = NULL;
			continue;
		}
		/*
		 * The waker compares the log with what this process knows:
		 * a notice of our own commit (already announced by
		 * mb_http_notify()) moves nothing twice.
		 */
		if (got)
			mb_http_recheck(L.srv);
	}
	mb_store_close(st);
	return NULL;
}

int
mb_serve_notices_start(const struct mb_center_node *n, struct mb_http_server *s,
    struct mb_diag *d)
{
	struct mb_store	*st;
	int		 rc;

	/* Only a store that sends notices gets a listener. */
	if ((rc = mb_center_store(n, &st, d)) != MB_OK)
		return rc;
	rc = mb_store_listen(st, d);
	mb_store_close(st);
	if (rc == MB_ERR_UNSUPPORTED) {
		mb_diag_clear(d);
		return MB_OK;
	}
	if (rc != MB_OK)
		return rc;
	L.node = n;
	L.srv = s;
	atomic_store(&L.stop, 0);
	if (pthread_create(&L.thread, NULL, listen_main, NULL) != 0)
		return mb_diag_set(d, MB_ERR_NOMEM,
		    "serve: cannot start the notice listener");
	L.running = true;
	log_info("serve: listening for store notices across processes");
	return MB_OK;
}

void
mb_serve_notices_stop(void)
{
	if (!L.running)
		return;
	atomic_store(&L.stop, 1);
	pthread_join(L.thread, NULL);
	L.running = false;
}
