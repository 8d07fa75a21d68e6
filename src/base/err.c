/* SPDX-License-Identifier: MIT */
/* Error codes and diagnostics. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *
mb_strerror(int err)
{
	switch (err) {
	case MB_OK:
		return "success";
	case MB_ERR_NOMEM:
		return "out of memory";
	case MB_ERR_INVAL:
		return "invalid input";
	case MB_ERR_NOTFOUND:
		return "not found";
	case MB_ERR_EXISTS:
		return "already exists";
	case MB_ERR_IO:
		return "input/output error";
	case MB_ERR_SIG:
		return "signature does not verify";
	case MB_ERR_CONFLICT:
		return "version conflict";
	case MB_ERR_STORE:
		return "database error";
	case MB_ERR_PERM:
		return "permission denied";
	case MB_ERR_TOOBIG:
		return "too large";
	case MB_ERR_CORRUPT:
		return "data is corrupt";
	case MB_ERR_NET:
		return "network error";
	case MB_ERR_AGAIN:
		return "try again later";
	case MB_ERR_UNSUPPORTED:
		return "not supported";
	case MB_ERR_NOSPACE:
		return "no space left: the disk is full";
	}
	return "unknown error";
}

int
mb_diag_set(struct mb_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return err;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}

void
mb_diag_prefix(struct mb_diag *d, const char *fmt, ...)
{
	char	prefix[256], old[sizeof(d->msg)];
	size_t	n, m;
	va_list	ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, d->msg, sizeof(old));
	n = strlen(prefix);
	memcpy(d->msg, prefix, n + 1);
	if (old[0] != '\0' && n + 2 < sizeof(d->msg)) {
		/* Cut the old message to fit rather than the prefix. */
		memcpy(d->msg + n, ": ", 2);
		m = strnlen(old, sizeof(d->msg) - n - 3);
		memcpy(d->msg + n + 2, old, m);
		d->msg[n + 2 + m] = '\0';
	}
}

const char *
mb_diag_msg(const struct mb_diag *d, int err)
{
	if (d != NULL && d->msg[0] != '\0')
		return d->msg;
	return mb_strerror(err);
}

void
mb_diag_clear(struct mb_diag *d)
{
	if (d != NULL)
		d->msg[0] = '\0';
}
