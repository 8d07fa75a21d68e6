/* SPDX-License-Identifier: MIT */
/* Upload bodies spooled to a file as they arrive, then mapped, instead of held in memory up to max_body. */
#include "server_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/fdio.h"

/*
 * An upload route's body (MB_ROUTE_RAW, not JSON) past SPOOL_AT bytes
 * goes to a file in the center's directory, unlinked as soon as it is
 * made: nothing is left on disk whatever happens to the request or the
 * process, and a body refused as it passes its limit (413) takes its
 * file with it when the descriptor closes. Once the body is all in, the
 * file is mapped read-only and r->body points at the mapping, so every
 * reader (the multipart parser, the media pipeline, which reads from it)
 * sees the bytes as before; the pages are the file's, read in as they
 * are touched and given back by the kernel as it needs, not the
 * process's heap (issue 23). One more byte, a NUL, ends the file, as
 * mb_buf ends what it holds.
 */
#define SPOOL_AT	(256 * 1024)

bool
mb_spool_wanted(const struct mb_req *r, size_t more)
{
	unsigned flags = r->m.route ? r->m.route->flags : 0;

	return r->spool_fd >= 0 || ((flags & MB_ROUTE_RAW) && !r->json_body &&
	    r->body.len + more > SPOOL_AT);
}

static int
spool_open(struct mb_req *r)
{
	char	path[4096];
	int	fd;

	if (snprintf(path, sizeof(path), "%s/.upload-XXXXXX",
	    r->srv->node != NULL ? r->srv->node->conf.dir : "/tmp") >=
	    (int)sizeof(path))
		return -1;
	if ((fd = mkstemp(path)) < 0)
		return -1;
	unlink(path);
	if (r->body.len > 0 && mb_fd_write_all(fd, r->body.data, r->body.len) !=
	    MB_OK) {
		close(fd);
		return -1;
	}
	r->spool_len = (int64_t)r->body.len;
	mb_buf_free(&r->body);
	r->spool_fd = fd;
	return 0;
}

int
mb_spool_append(struct mb_req *r, const char *data, size_t n)
{
	if (r->spool_fd < 0 && spool_open(r) != 0)
		return MB_ERR_IO;
	if (mb_fd_write_all(r->spool_fd, data, n) != 0)
		return MB_ERR_IO;
	r->spool_len += (int64_t)n;
	return MB_OK;
}

int
mb_spool_finish(struct mb_req *r)
{
	void *p;

	if (r->spool_fd < 0 || r->body_mapped)
		return MB_OK;
	if (mb_fd_write_all(r->spool_fd, "", 1) != 0)
		return MB_ERR_IO;
	p = mmap(NULL, (size_t)r->spool_len + 1, PROT_READ, MAP_PRIVATE,
	    r->spool_fd, 0);
	if (p == MAP_FAILED)
		return MB_ERR_IO;
	r->body.data = p;
	r->body.len = (size_t)r->spool_len;
	r->body.cap = 0;
	r->body_mapped = true;
	return MB_OK;
}

void
mb_spool_free(struct mb_req *r)
{
	if (r->body_mapped) {
		munmap(r->body.data, r->body.len + 1);
		memset(&r->body, 0, sizeof(r->body));
		r->body_mapped = false;
	} else {
		mb_buf_free(&r->body);
	}
	if (r->spool_fd >= 0) {
		close(r->spool_fd);
		r->spool_fd = -1;
	}
	r->spool_len = 0;
}

int
mb_req_body_fd(const struct mb_req *r, const char *data, size_t len)
{
	return r->body_mapped && data == r->body.data && len == r->body.len ?
	    r->spool_fd : -1;
}
