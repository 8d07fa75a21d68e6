/* SPDX-License-Identifier: MIT */
/* Whole reads and writes on a descriptor (see fdio.h). */
#include "fdio.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

int
mb_fd_read_all(int fd, void *p, size_t n)
{
	char *c = p;

	while (n > 0) {
		ssize_t r = read(fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One loop for both writers: send with MSG_NOSIGNAL, or plain write. */
static int
put_all(int fd, const void *p, size_t n, int as_socket)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = as_socket ? send(fd, c, n, MSG_NOSIGNAL) :
		    write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int
mb_fd_write_all(int fd, const void *p, size_t n)
{
	return put_all(fd, p, n, 0);
}

int
mb_fd_send_all(int fd, const void *p, size_t n)
{
	return put_all(fd, p, n, 1);
}
