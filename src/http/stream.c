/* SPDX-License-Identifier: MIT */
/* Bodies made as the client reads (mb_resp_stream): the content reader that parks the connection until there is more. */
#include "server_int.h"

#include "base/timeutil.h"

/*
 * A parked stream is looked at again this often even unwoken: a lost
 * wake-up costs a pause, not a reader stuck for good.
 */
#define STREAM_RECHECK_MS 30000

ssize_t
srv_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream	*sh = cls;
	struct mb_req	*r = sh->r;
	ssize_t		 n;

	if (r == NULL || sh->done == NULL || atomic_load(&r->srv->stopping))
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if ((n = sh->read(sh->arg, pos, buf, max)) < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (n > 0)
		return n;
	/*
	 * None yet: the connection leaves the event loop (libmicrohttpd
	 * would call again at once, a spin) until mb_req_wake() or the
	 * recheck; suspended first, then parked, so a wake-up that came
	 * meanwhile resumes it at once.
	 */
	r->wake_only = true;
	r->deadline = mb_time_mono_ms() + STREAM_RECHECK_MS;
	MHD_suspend_connection(r->conn);
	srv_park(r->srv, r);
	return 0;
}

static void
stream_done(struct stream *sh)
{
	if (sh->done != NULL) {
		sh->done(sh->arg);
		sh->done = NULL;
	}
}

void
srv_stream_free(void *cls)
{
	struct stream *sh = cls;

	if (sh->r != NULL) {
		sh->r->stream = NULL;
		stream_done(sh);
	}
	free(sh);
}

void
srv_stream_detach(struct mb_req *r)
{
	struct stream *sh = r->stream;

	if (sh == NULL)
		return;
	r->stream = NULL;
	stream_done(sh);
	sh->r = NULL;
	if (!sh->in_resp)
		free(sh);
}
