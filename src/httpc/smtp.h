/* SPDX-License-Identifier: MIT */
/*
 * Mail out through the center's relay (SMTP, libcurl): one message to
 * one recipient at a time. The message is whole (headers and body, CRLF
 * line ends); the caller composes it and keeps the queue.
 */
#ifndef MB_HTTPC_SMTP_H
#define MB_HTTPC_SMTP_H

#include <stddef.h>

#include "base/err.h"

struct mb_smtp {
	const char	*relay;		/* smtp://host:port or smtps:// */
	const char	*from;		/* the envelope's sender */
	const char	*user;		/* "" or NULL: no AUTH */
	const char	*password;
	int		 timeout_s;	/* 0: 30 s */
};

/*
 * Sends msg[0..len) to rcpt. MB_ERR_NET (the relay unreachable, or it
 * refused: d says what it answered), MB_ERR_INVAL for an address with
 * line breaks or a relay that is not smtp:// or smtps://.
 */
int mb_smtp_send(const struct mb_smtp *s, const char *rcpt, const char *msg,
    size_t len, struct mb_diag *d);

#endif
