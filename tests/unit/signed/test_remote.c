/* SPDX-License-Identifier: MIT */
/* Unit tests: tickets, revocation lists and Data Integrity proofs signed as serve's worker signs them, by a remote key whose signer answers over a socketpair (item/signer.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "item/key.h"
#include "item/signer.h"
#include "signed/proof.h"
#include "signed/ticket.h"

struct signer {
	struct mb_key	*key;		/* the secret: the "parent" */
	struct mb_key	*remote;	/* what the "worker" holds */
	uint8_t		 pk[MB_PUBKEY_LEN];
	int		 fd;
	pthread_t	 thread;
};

/* The parent's loop: answers until the worker's end is closed. */
static void *
answer_all(void *arg)
{
	struct signer *s = arg;

	while (mb_signer_answer(s->key, "cairo", s->fd, NULL) == MB_OK)
		;
	return NULL;
}

static int
setup(void **state)
{
	struct signer	*s = calloc(1, sizeof(*s));
	int		 sv[2];

	assert_int_equal(mb_key_generate(&s->key), MB_OK);
	mb_key_public(s->key, s->pk);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(mb_key_remote(sv[0], s->pk, &s->remote), MB_OK);
	s->fd = sv[1];
	pthread_create(&s->thread, NULL, answer_all, s);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	struct signer *s = *state;

	mb_key_free(s->remote);		/* closes the worker's end */
	pthread_join(s->thread, NULL);
	close(s->fd);
	mb_key_free(s->key);
	free(s);
	return 0;
}

static void
ticket_and_revocations(void **state)
{
	struct signer		*s = *state;
	struct mb_ticket	 t, got;
	struct mb_revoked	*rl = NULL;
	struct mb_buf		 list = MB_BUF_INIT;
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;
	char			 text[MB_TICKET_TEXT_MAX];
	const char		*regs[] = { "01jr3a0b1c2d3e4f5g6h7j8k9m" };

	memset(&t, 0, sizeof(t));
	snprintf(t.issuer, sizeof(t.issuer), "cairo");
	snprintf(t.event, sizeof(t.event),
	    "urn:mediabridge:cairo:01jr2h9k3m4n5p6q7r8s9t0v1w");
	snprintf(t.registration, sizeof(t.registration), "%s", regs[0]);
	t.valid_from_ms = 1807344000000LL;
	t.valid_until_ms = t.valid_from_ms + 86400000LL;
	assert_int_equal(mb_ticket_issue(&t, "Amal", s->remote, text, &d),
	    MB_OK);
	assert_int_equal(mb_ticket_verify(text, strlen(text), s->pk,
	    t.valid_from_ms + 1000, NULL, &got, &why, &d), MB_OK);
	assert_string_equal(got.registration, regs[0]);
	assert_int_equal(mb_revoked_issue("cairo", t.event, t.valid_from_ms,
	    regs, 1, s->remote, &list, &d), MB_OK);
	assert_int_equal(mb_revoked_load(list.data, list.len, s->pk, &rl,
	    &why, &d), MB_OK);
	assert_int_equal(mb_revoked_count(rl), 1);
	/* The revoked ticket no longer verifies. */
	assert_int_not_equal(mb_ticket_verify(text, strlen(text), s->pk,
	    t.valid_from_ms + 1000, rl, &got, &why, &d), MB_OK);
	mb_revoked_free(rl);
	mb_buf_free(&list);
}

static void
proof(void **state)
{
	struct signer	*s = *state;
	struct mb_diag	 d = { "" };
	enum mb_verdict	 why;
	json_t		*doc = json_pack("{s:[s], s:s, s:{s:s}}", "type",
			    "VerifiableCredential", "issuer", "did:web:cairo",
			    "credentialSubject", "name", "Amal");

	assert_int_equal(mb_proof_sign(doc, s->remote, NULL, &d), MB_OK);
	assert_int_equal(mb_proof_verify(doc, s->pk, NULL, NULL, &why, &d),
	    MB_OK);
	json_decref(doc);
}

/* The signer gone: an error naming it, not a hang nor a crash. */
static void
signer_gone(void **state)
{
	struct signer	*s = *state;
	struct mb_diag	 d = { "" };
	char		 text[MB_TICKET_TEXT_MAX];
	struct mb_ticket t;

	shutdown(s->fd, SHUT_RDWR);
	memset(&t, 0, sizeof(t));
	snprintf(t.issuer, sizeof(t.issuer), "cairo");
	snprintf(t.event, sizeof(t.event),
	    "urn:mediabridge:cairo:01jr2h9k3m4n5p6q7r8s9t0v1w");
	snprintf(t.registration, sizeof(t.registration), "r1");
	t.valid_until_ms = 1000;
	assert_int_equal(mb_ticket_issue(&t, "Amal", s->remote, text, &d),
	    MB_ERR_IO);
	assert_non_null(strstr(d.msg, "signer"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ticket_and_revocations, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(proof, setup, teardown),
		cmocka_unit_test_setup_teardown(signer_gone, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
