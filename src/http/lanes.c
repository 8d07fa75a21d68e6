/* SPDX-License-Identifier: MIT */
/*
 * serve's connections, spread evenly over its request threads ("lanes").
 *
 * libmicrohttpd's own thread pool lets every pool thread accept from the
 * listening socket, up to ten connections a wake-up, so whichever thread
 * wakes first takes a burst: 64 keep-alive clients ended 39/25 or 42/26 on
 * two threads. A thread serves only its own connections, so the clients of
 * the busier one waited half as long again, and serve's p90 was twice its
 * median where nginx's was 1.4x (docs/benchmarks.md, "The cached item's
 * tail"). Here one thread accepts and hands each connection
 * (MHD_add_connection) to the lane holding the fewest; each lane is a
 * libmicrohttpd daemon of its own, one epoll thread, no listening socket.
 *
 * The connection limit is the acceptor's: at the limit it stops accepting
 * and new clients wait in the listen backlog, as libmicrohttpd's own
 * accept loop leaves them.
 */
#include "server_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timeutil.h"

/* Connections taken from the backlog a wake-up, before looking at stop. */
#define ACCEPT_BURST	64

struct lane {
	struct MHD_Daemon	*mhd;
	struct mb_http_lanes	*set;
	/* Handed to this lane and not yet closed. */
	atomic_uint		 conns;
};

struct mb_http_lanes {
	struct lane		*lane;
	unsigned		 n;
	unsigned		 max_conns;
	atomic_uint		 total;
	int			 listen_fd;	/* not ours: the server's */
	int			 stop_fd;	/* eventfd: the acceptor ends */
	pthread_t		 acceptor;
	int			 acceptor_started;
	int64_t			 last_warn_ms;
};

/*
 * libmicrohttpd says STARTED then CLOSED for each connection it took,
 * including one it drops while setting it up; MHD_add_connection()
 * returning MHD_NO means neither comes. So the acceptor counts a
 * connection in before adding it and CLOSED counts it out.
 */
static void
lane_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	struct lane *l = cls;

	(void)conn;
	(void)socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		atomic_fetch_sub(&l->conns, 1);
		atomic_fetch_sub(&l->set->total, 1);
	}
}

static struct lane *
least_loaded(struct mb_http_lanes *ls)
{
	struct lane	*best = &ls->lane[0];
	unsigned	 best_n = atomic_load(&best->conns);

	for (unsigned i = 1; i < ls->n && best_n > 0; i++) {
		unsigned n = atomic_load(&ls->lane[i].conns);

		if (n < best_n) {
			best = &ls->lane[i];
			best_n = n;
		}
	}
	return best;
}

static void
hand_over(struct mb_http_lanes *ls, int fd, const struct sockaddr *sa,
    socklen_t salen)
{
	struct lane *l = least_loaded(ls);

	atomic_fetch_add(&l->conns, 1);
	atomic_fetch_add(&ls->total, 1);
	if (MHD_add_connection(l->mhd, fd, sa, salen) != MHD_YES) {
		/* libmicrohttpd closed the socket; nothing will notify. */
		atomic_fetch_sub(&l->conns, 1);
		atomic_fetch_sub(&ls->total, 1);
	}
}

/* Out of descriptors or memory: say so at most once a second, pause. */
static void
accept_trouble(struct mb_http_lanes *ls, int err)
{
	int64_t now = mb_time_mono_ms();

	if (now - ls->last_warn_ms >= 1000) {
		ls->last_warn_ms = now;
		log_warn("http: accept failed: %s", strerror(err));
	}
	usleep(10000);
}

/* Takes what the backlog holds, up to a burst; 0 to go on, -1 to end. */
static int
accept_burst(struct mb_http_lanes *ls)
{
	for (int i = 0; i < ACCEPT_BURST; i++) {
		struct sockaddr_storage	ss;
		socklen_t		len = sizeof(ss);
		int			fd;

		if (atomic_load(&ls->total) >= ls->max_conns)
			return 0;
		fd = accept4(ls->listen_fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			hand_over(ls, fd, (struct sockaddr *)&ss, len);
			continue;
		}
		switch (errno) {
		case EAGAIN:
#if EAGAIN != EWOULDBLOCK
		case EWOULDBLOCK:
#endif
			return 0;
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
			continue;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			accept_trouble(ls, errno);
			return 0;
		default:
			/* The listening socket itself is gone (shut down). */
			log_warn("http: accept failed: %s; no new connections",
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void *
acceptor_main(void *arg)
{
	struct mb_http_lanes *ls = arg;

	pthread_setname_np(pthread_self(), "mb-accept");
	for (;;) {
		struct pollfd	pf[2] = {
			{ .fd = ls->stop_fd, .events = POLLIN },
			{ .fd = ls->listen_fd, .events = POLLIN },
		};
		/* At the limit: only the stop, and a look again shortly. */
		int		at_limit = atomic_load(&ls->total) >=
		    ls->max_conns;

		if (poll(pf, at_limit ? 1 : 2, at_limit ? 20 : -1) < 0) {
			if (errno == EINTR)
				continue;
			log_warn("http: poll failed: %s", strerror(errno));
			break;
		}
		if (pf[0].revents != 0)
			break;
		if (!at_limit && pf[1].revents != 0 && accept_burst(ls) != 0)
			break;
	}
	return NULL;
}

int
mb_http_lanes_start(int listen_fd, unsigned n, unsigned max_conns,
    const struct MHD_OptionItem *opts, MHD_AccessHandlerCallback handler,
    void *handler_cls, struct mb_http_lanes **out, struct mb_diag *d)
{
	struct mb_http_lanes	*ls;
	int			 fl;

	if (n == 0)
		n = 1;
	if ((ls = calloc(1, sizeof(*ls))) == NULL ||
	    (ls->lane = calloc(n, sizeof(*ls->lane))) == NULL) {
		free(ls);
		return MB_ERR_NOMEM;
	}
	ls->n = n;
	ls->max_conns = max_conns > 0 ? max_conns : 1;
	ls->listen_fd = listen_fd;
	ls->stop_fd = -1;
	/* The acceptor takes until EAGAIN; poll() says when to look. */
	if ((fl = fcntl(listen_fd, F_GETFL)) < 0 ||
	    fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    (ls->stop_fd = eventfd(0, EFD_CLOEXEC)) < 0) {
		mb_diag_set(d, MB_ERR_IO, "http: listening socket: %s",
		    strerror(errno));
		mb_http_lanes_stop(ls);
		return MB_ERR_IO;
	}
	for (unsigned i = 0; i < n; i++) {
		struct lane *l = &ls->lane[i];

		l->set = ls;
		atomic_init(&l->conns, 0);
		/*
		 * No listening socket: connections come from the acceptor,
		 * through the daemon's ITC. Each lane may hold them all;
		 * the acceptor keeps the total.
		 */
		l->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
		    MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
		    MHD_USE_ERROR_LOG | MHD_USE_TURBO |
		    MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
		    handler, handler_cls,
		    MHD_OPTION_ARRAY, opts,
		    MHD_OPTION_CONNECTION_LIMIT, ls->max_conns,
		    MHD_OPTION_NOTIFY_CONNECTION, lane_notify, l,
		    MHD_OPTION_END);
		if (l->mhd == NULL) {
			mb_diag_set(d, MB_ERR_IO,
			    "http: libmicrohttpd would not start (lane %u of "
			    "%u)", i + 1, n);
			mb_http_lanes_stop(ls);
			return MB_ERR_IO;
		}
	}
	if (pthread_create(&ls->acceptor, NULL, acceptor_main, ls) != 0) {
		mb_diag_set(d, MB_ERR_NOMEM, "http: no thread");
		mb_http_lanes_stop(ls);
		return MB_ERR_NOMEM;
	}
	ls->acceptor_started = 1;
	*out = ls;
	return MB_OK;
}

void
mb_http_lanes_quiesce(struct mb_http_lanes *ls)
{
	uint64_t one = 1;

	if (ls == NULL || !ls->acceptor_started)
		return;
	if (write(ls->stop_fd, &one, sizeof(one)) != sizeof(one))
		log_warn("http: cannot stop the acceptor: %s", strerror(errno));
	pthread_join(ls->acceptor, NULL);
	ls->acceptor_started = 0;
}

int
mb_http_lanes_connections(const struct mb_http_lanes *ls, unsigned i)
{
	return ls != NULL && i < ls->n ?
	    (int)atomic_load(&ls->lane[i].conns) : -1;
}

void
mb_http_lanes_stop(struct mb_http_lanes *ls)
{
	if (ls == NULL)
		return;
	mb_http_lanes_quiesce(ls);
	for (unsigned i = 0; i < ls->n; i++)
		if (ls->lane[i].mhd != NULL)
			MHD_stop_daemon(ls->lane[i].mhd);
	if (ls->stop_fd >= 0)
		close(ls->stop_fd);
	free(ls->lane);
	free(ls);
}
