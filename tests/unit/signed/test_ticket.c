/* SPDX-License-Identifier: MIT */
/* Unit tests for signed/ticket: tickets and revocation lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/buf.h"
#include "signed/multibase.h"
#include "signed/signed_int.h"
#include "signed/ticket.h"

#include "helpers.h"

/* 2027-04-10T08:00:00Z: the conference opens; it ends three days on. */
#define T0 1807344000000LL
#define DAY 86400000LL
#define EVENT "urn:mediabridge:moscow:01jr2h9k3m4n5p6q7r8s9t0v1w"
#define REG "01jr3a0b1c2d3e4f5g6h7j8k9m"

static struct mb_ticket
ticket(void)
{
	struct mb_ticket t;

	memset(&t, 0, sizeof(t));
	snprintf(t.issuer, sizeof(t.issuer), "cairo");
	snprintf(t.event, sizeof(t.event), "%s", EVENT);
	snprintf(t.registration, sizeof(t.registration), "%s", REG);
	t.valid_from_ms = T0;
	t.valid_until_ms = T0 + 3 * DAY;
	return t;
}

static void
issue(struct mb_ticket *t, const char *name, const struct mb_key *k,
    char out[MB_TICKET_TEXT_MAX])
{
	struct mb_diag d = { "" };

	if (mb_ticket_issue(t, name, k, out, &d) != MB_OK)
		fail_msg("issue: %s", d.msg);
}

static int
verify(const char *text, const struct mb_key *k, int64_t now,
    const struct mb_revoked *rl, struct mb_ticket *t, enum mb_verdict *why,
    struct mb_diag *d)
{
	uint8_t pk[32];

	mb_key_public(k, pk);
	return mb_ticket_verify(text, strlen(text), pk, now, rl, t, why, d);
}

static void
test_round_trip(void **state)
{
	struct mb_key		*k = key_of_byte(3);
	struct mb_ticket	 t = ticket(), got;
	char			 text[MB_TICKET_TEXT_MAX];
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;

	(void)state;
	issue(&t, "Amira Haddad", k, text);
	assert_memory_equal(text, "MBT1:", 5);
	/* Small enough for a QR code a phone reads at arm's length. */
	assert_true(strlen(text) < 200);
	print_message("ticket: %zu characters: %s\n", strlen(text), text);
	assert_int_equal(verify(text, k, T0 + DAY, NULL, &got, &why, &d),
	    MB_OK);
	assert_int_equal(why, MB_VERDICT_VALID);
	assert_string_equal(got.issuer, "cairo");
	assert_string_equal(got.event, EVENT);
	assert_string_equal(got.registration, REG);
	assert_int_equal(got.valid_from_ms, T0);
	assert_int_equal(got.valid_until_ms, T0 + 3 * DAY);
	assert_memory_equal(got.name_hash, t.name_hash, 16);
	assert_true(mb_ticket_holder_is(&got, "Amira Haddad"));
	assert_false(mb_ticket_holder_is(&got, "Amira Hadad"));
	/* Pasted with white space around: the same ticket. */
	{
		char padded[MB_TICKET_TEXT_MAX + 8];

		snprintf(padded, sizeof(padded), "  %s\r\n", text);
		assert_int_equal(verify(padded, k, T0, NULL, &got, &why, &d),
		    MB_OK);
	}

	/* Text ids, and an event of another center than the issuer. */
	t = ticket();
	snprintf(t.event, sizeof(t.event), "urn:mediabridge:cairo:press-day");
	snprintf(t.registration, sizeof(t.registration), "42");
	issue(&t, "X", k, text);
	assert_int_equal(verify(text, k, T0, NULL, &got, &why, &d), MB_OK);
	assert_string_equal(got.event, "urn:mediabridge:cairo:press-day");
	assert_string_equal(got.registration, "42");
	/* An upper-case ULID is not packed, and comes back as it was. */
	t = ticket();
	snprintf(t.registration, sizeof(t.registration),
	    "01JR3A0B1C2D3E4F5G6H7J8K9M");
	issue(&t, "X", k, text);
	assert_int_equal(verify(text, k, T0, NULL, &got, &why, &d), MB_OK);
	assert_string_equal(got.registration, "01JR3A0B1C2D3E4F5G6H7J8K9M");
	/* The longest ids fit MB_TICKET_TEXT_MAX. */
	t = ticket();
	snprintf(t.issuer, sizeof(t.issuer), "%s",
	    "a234567890123456789012345678901b");
	snprintf(t.event, sizeof(t.event), "urn:mediabridge:%s:%s",
	    "b234567890123456789012345678901c",
	    "L234567890123456789012345678901234567890123456789012345678901234");
	snprintf(t.registration, sizeof(t.registration), "%s",
	    "R234567890123456789012345678901234567890123456789012345678901234");
	issue(&t, "X", k, text);
	assert_int_equal(verify(text, k, T0, NULL, &got, &why, &d), MB_OK);
	assert_string_equal(got.registration, t.registration);
	mb_key_free(k);
}

static void
test_names(void **state)
{
	struct mb_key		*k = key_of_byte(3);
	struct mb_ticket	 t = ticket(), t2;
	char			 text[MB_TICKET_TEXT_MAX];
	struct mb_diag		 d = { "" };
	static const char *same[][2] = {
		{ "Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1""ez", "jose nunez" },
		{ "JOS\xc3\x89   N\xc3\x9a\xc3\x91""EZ", "Jose Nunez" },
		{ "Jean-Pierre O'Brien", "jean pierre obrien" },
		{ "  Amira\tHaddad ", "amira haddad" },
		/* Arabic with its short vowels, and without. */
		{ "\xd9\x85\xd9\x8f\xd8\xad\xd9\x8e\xd9\x85\xd9\x91\xd9\x8e"
		  "\xd8\xaf", "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf" },
		/* Full-width Latin (NFKC). */
		{ "\xef\xbc\xa1\xef\xbd\x8d\xef\xbd\x89\xef\xbd\x92\xef\xbd"
		  "\x81", "amira" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		t = ticket();
		issue(&t, same[i][0], k, text);
		if (!mb_ticket_holder_is(&t, same[i][1]))
			fail_msg("%s should match %s", same[i][0], same[i][1]);
	}
	t = ticket();
	issue(&t, "Amira Haddad", k, text);
	assert_false(mb_ticket_holder_is(&t, "Amira"));
	assert_false(mb_ticket_holder_is(&t, "Amira Haddadi"));
	assert_false(mb_ticket_holder_is(&t, ""));
	/* The same name on another registration: another hash. */
	t2 = ticket();
	snprintf(t2.registration, sizeof(t2.registration), "43");
	issue(&t2, "Amira Haddad", k, text);
	assert_memory_not_equal(t.name_hash, t2.name_hash, 16);
	/* Names that fold to nothing, or are not UTF-8. */
	t = ticket();
	assert_int_equal(mb_ticket_issue(&t, " -- ", k, text, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_ticket_issue(&t, "\xc3\x28", k, text, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_ticket_issue(&t, NULL, k, text, &d), MB_ERR_INVAL);
	mb_key_free(k);
}

static void
test_issue_refuses(void **state)
{
	struct mb_key		*k = key_of_byte(3);
	struct mb_ticket	 t;
	char			 text[MB_TICKET_TEXT_MAX];
	struct mb_diag		 d = { "" };

	(void)state;
	t = ticket();
	snprintf(t.issuer, sizeof(t.issuer), "Cairo");
	assert_int_equal(mb_ticket_issue(&t, "X", k, text, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "issuer"));
	t = ticket();
	snprintf(t.event, sizeof(t.event), "https://hq.example/events/1");
	assert_int_equal(mb_ticket_issue(&t, "X", k, text, &d), MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "event"));
	t = ticket();
	snprintf(t.registration, sizeof(t.registration), "a/b");
	assert_int_equal(mb_ticket_issue(&t, "X", k, text, &d), MB_ERR_INVAL);
	t = ticket();
	t.valid_until_ms = t.valid_from_ms - 1000;
	assert_int_equal(mb_ticket_issue(&t, "X", k, text, &d), MB_ERR_INVAL);
	t = ticket();
	t.valid_until_ms = 4294967296000LL;	/* 2106-02-07 */
	assert_int_equal(mb_ticket_issue(&t, "X", k, text, &d), MB_ERR_INVAL);
	t = ticket();
	t.valid_from_ms = -1000;
	assert_int_equal(mb_ticket_issue(&t, "X", k, text, &d), MB_ERR_INVAL);
	mb_key_free(k);
}

/* "MBT1:" and base64url of raw[0..n): a ticket text from bytes. */
static void
reencode(const uint8_t *raw, size_t n, char *out, size_t cap)
{
	struct mb_buf b = MB_BUF_INIT;

	mb_buf_puts(&b, "MBT1:");
	mb_b64url_encode(raw, n, &b);
	snprintf(out, cap, "%s", b.data);
	mb_buf_free(&b);
}

static void
test_tamper_every_bit(void **state)
{
	struct mb_key		*k = key_of_byte(3);
	struct mb_ticket	 t = ticket(), got;
	char			 text[MB_TICKET_TEXT_MAX], forged[1024];
	uint8_t			 raw[512];
	size_t			 n;
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;
	int			 malformed = 0, badsig = 0;

	(void)state;
	issue(&t, "Amira Haddad", k, text);
	assert_int_equal(mb_b64url_decode(text + 5, strlen(text + 5), raw,
	    sizeof(raw), &n), MB_OK);
	/* Every bit of body and signature, flipped one at a time. */
	for (size_t i = 0; i < n * 8; i++) {
		raw[i / 8] ^= (uint8_t)(1u << (i % 8));
		reencode(raw, n, forged, sizeof(forged));
		if (verify(forged, k, T0, NULL, &got, &why, &d) == MB_OK)
			fail_msg("bit %zu flipped went unnoticed", i);
		if (why == MB_VERDICT_MALFORMED)
			malformed++;
		else if (why == MB_VERDICT_BAD_SIGNATURE)
			badsig++;
		else
			fail_msg("bit %zu: verdict %s", i, mb_verdict_str(why));
		raw[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	assert_true(badsig > (int)n * 4);
	print_message("flipped %zu bits: %d malformed, %d bad signature\n",
	    n * 8, malformed, badsig);
	/* A byte more, a byte less. */
	raw[n] = 0;
	n++;
	reencode(raw, n, forged, sizeof(forged));
	assert_int_not_equal(verify(forged, k, T0, NULL, &got, &why, &d),
	    MB_OK);
	n -= 2;
	reencode(raw, n, forged, sizeof(forged));
	assert_int_not_equal(verify(forged, k, T0, NULL, &got, &why, &d),
	    MB_OK);
	mb_key_free(k);
}

static void
test_refused(void **state)
{
	struct mb_key		*k = key_of_byte(3), *other = key_of_byte(4);
	struct mb_ticket	 t = ticket(), got;
	char			 text[MB_TICKET_TEXT_MAX];
	char			 bad[MB_TICKET_TEXT_MAX + 16];
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;

	(void)state;
	issue(&t, "Amira Haddad", k, text);
	/* Another center's key: forged, and the message names who it
	 * claims to be from. */
	assert_int_equal(verify(text, other, T0, NULL, &got, &why, &d),
	    MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_BAD_SIGNATURE);
	assert_non_null(strstr(d.msg, "cairo"));
	/* A ticket another center signed, checked with Cairo's key. */
	issue(&t, "Amira Haddad", other, bad);
	assert_int_equal(verify(bad, k, T0, NULL, &got, &why, &d), MB_ERR_SIG);

	/* Time. */
	assert_int_equal(verify(text, k, T0 - 1000, NULL, &got, &why, &d),
	    MB_ERR_PERM);
	assert_int_equal(why, MB_VERDICT_NOT_YET_VALID);
	assert_non_null(strstr(d.msg, "2027-04-10T08:00:00Z"));
	assert_int_equal(verify(text, k, T0 + 3 * DAY + 1000, NULL, &got, &why,
	    &d), MB_ERR_PERM);
	assert_int_equal(why, MB_VERDICT_EXPIRED);
	assert_int_equal(verify(text, k, T0 + 3 * DAY, NULL, &got, &why, &d),
	    MB_OK);

	/* Not a ticket; another version; broken text. */
	assert_int_equal(verify("hello", k, T0, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_MALFORMED);
	snprintf(bad, sizeof(bad), "MBT2:%s", text + 5);
	assert_int_equal(verify(bad, k, T0, NULL, &got, &why, &d),
	    MB_ERR_UNSUPPORTED);
	assert_int_equal(why, MB_VERDICT_UNSUPPORTED);
	snprintf(bad, sizeof(bad), "%s=", text);
	assert_int_equal(verify(bad, k, T0, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	snprintf(bad, sizeof(bad), "%.40s", text);
	assert_int_equal(verify(bad, k, T0, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	assert_int_equal(verify("MBT1:", k, T0, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	snprintf(bad, sizeof(bad), "MBT1:%s", text);
	assert_int_equal(verify(bad, k, T0, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	mb_key_free(k);
	mb_key_free(other);
}

/* A body written by hand, signed properly: only its form is wrong. */
static int
crafted(const struct mb_buf *body, const struct mb_key *k, char *out,
    size_t cap)
{
	struct mb_buf text = MB_BUF_INIT;

	assert_int_equal(mb_signed__wrap("MBT1:", "mediabridge ticket v1",
	    body, k, &text, NULL), MB_OK);
	snprintf(out, cap, "%s", text.data);
	mb_buf_free(&text);
	return 0;
}

static void
test_canonical(void **state)
{
	struct mb_key		*k = key_of_byte(3);
	struct mb_buf		 b = MB_BUF_INIT;
	struct mb_ticket	 got;
	char			 text[1024];
	uint8_t			 hash[16] = { 0 };
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;

	(void)state;
	/* A minted id written as text instead of packed. */
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_center(&b, "");
	mb_buf_putc(&b, 26);
	mb_buf_puts(&b, "01jr2h9k3m4n5p6q7r8s9t0v1w");
	mb_signed__put_id(&b, "42");
	mb_signed__put_u32(&b, 1);
	mb_signed__put_u32(&b, 2);
	mb_buf_append(&b, hash, 16);
	crafted(&b, k, text, sizeof(text));
	assert_int_equal(verify(text, k, 1500, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_MALFORMED);
	assert_non_null(strstr(d.msg, "event"));
	/* The event's center spelled out when it is the issuer. */
	mb_buf_reset(&b);
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_id(&b, "01jr2h9k3m4n5p6q7r8s9t0v1w");
	mb_signed__put_id(&b, "42");
	mb_signed__put_u32(&b, 1);
	mb_signed__put_u32(&b, 2);
	mb_buf_append(&b, hash, 16);
	crafted(&b, k, text, sizeof(text));
	assert_int_equal(verify(text, k, 1500, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	/* The same, written the one right way, is fine. */
	mb_buf_reset(&b);
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_center(&b, "");
	mb_signed__put_id(&b, "01jr2h9k3m4n5p6q7r8s9t0v1w");
	mb_signed__put_id(&b, "42");
	mb_signed__put_u32(&b, 1);
	mb_signed__put_u32(&b, 2);
	mb_buf_append(&b, hash, 16);
	crafted(&b, k, text, sizeof(text));
	assert_int_equal(verify(text, k, 1500, NULL, &got, &why, &d), MB_OK);
	assert_string_equal(got.event,
	    "urn:mediabridge:cairo:01jr2h9k3m4n5p6q7r8s9t0v1w");
	/* Bad ids: a center with capitals, an id with a slash. */
	mb_buf_reset(&b);
	mb_signed__put_center(&b, "Cairo");
	crafted(&b, k, text, sizeof(text));
	assert_int_equal(verify(text, k, 1500, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	mb_buf_reset(&b);
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_center(&b, "");
	mb_buf_putc(&b, 3);
	mb_buf_puts(&b, "a/b");
	crafted(&b, k, text, sizeof(text));
	assert_int_equal(verify(text, k, 1500, NULL, &got, &why, &d),
	    MB_ERR_INVAL);
	mb_buf_free(&b);
	mb_key_free(k);
}

static struct mb_revoked *
load(const char *text, const struct mb_key *k, int *rc, enum mb_verdict *why,
    struct mb_diag *d)
{
	struct mb_revoked	*rl = NULL;
	uint8_t			 pk[32];

	mb_key_public(k, pk);
	*rc = mb_revoked_load(text, strlen(text), pk, &rl, why, d);
	return rl;
}

static void
test_revocations(void **state)
{
	struct mb_key		*k = key_of_byte(3), *other = key_of_byte(4);
	struct mb_ticket	 t = ticket(), got;
	char			 text[MB_TICKET_TEXT_MAX];
	const char		*regs[] = { "77", REG, "01jr3a0b1c2d3e4f5g6h7j8k9n",
	    "77", "a-registration" };
	struct mb_buf		 list = MB_BUF_INIT, other_list = MB_BUF_INIT;
	struct mb_revoked	*rl;
	struct mb_diag		 d = { "" };
	enum mb_verdict		 why;
	int			 rc;

	(void)state;
	issue(&t, "Amira Haddad", k, text);
	assert_int_equal(mb_revoked_issue("cairo", EVENT, T0, regs, 5, k,
	    &list, &d), MB_OK);
	assert_memory_equal(list.data, "MBR1:", 5);
	print_message("revocation list of 4: %zu characters\n", list.len);
	rl = load(list.data, k, &rc, &why, &d);
	assert_int_equal(rc, MB_OK);
	assert_string_equal(mb_revoked_issuer(rl), "cairo");
	assert_string_equal(mb_revoked_event(rl), EVENT);
	assert_int_equal(mb_revoked_issued(rl), T0);
	assert_int_equal(mb_revoked_count(rl), 4);	/* "77" once */
	assert_string_equal(mb_revoked_at(rl, 0), REG);
	assert_null(mb_revoked_at(rl, 4));
	assert_true(mb_revoked_has(rl, "77"));
	assert_true(mb_revoked_has(rl, REG));
	assert_false(mb_revoked_has(rl, "78"));

	/* The ticket of a withdrawn registration is refused. */
	assert_int_equal(verify(text, k, T0, rl, &got, &why, &d), MB_ERR_PERM);
	assert_int_equal(why, MB_VERDICT_REVOKED);
	assert_non_null(strstr(d.msg, REG));
	mb_revoked_free(rl);

	/* A list for another event does not answer for this one. */
	assert_int_equal(mb_revoked_issue("cairo", "urn:mediabridge:cairo:x",
	    T0, regs, 1, k, &other_list, &d), MB_OK);
	rl = load(other_list.data, k, &rc, &why, &d);
	assert_int_equal(rc, MB_OK);
	assert_int_equal(verify(text, k, T0, rl, &got, &why, &d),
	    MB_ERR_INVAL);
	assert_int_equal(why, MB_VERDICT_WRONG_LIST);
	mb_revoked_free(rl);
	/* An empty list revokes nothing. */
	mb_buf_reset(&other_list);
	assert_int_equal(mb_revoked_issue("cairo", EVENT, T0, NULL, 0, k,
	    &other_list, &d), MB_OK);
	rl = load(other_list.data, k, &rc, &why, &d);
	assert_int_equal(rc, MB_OK);
	assert_int_equal(verify(text, k, T0, rl, &got, &why, &d), MB_OK);
	mb_revoked_free(rl);

	/* Someone else's list; an altered list. */
	rl = load(list.data, other, &rc, &why, &d);
	assert_int_equal(rc, MB_ERR_SIG);
	assert_int_equal(why, MB_VERDICT_BAD_SIGNATURE);
	assert_null(rl);
	{
		uint8_t	raw[4096];
		size_t	n;
		char	forged[8192];

		assert_int_equal(mb_b64url_decode(list.data + 5, list.len - 5,
		    raw, sizeof(raw), &n), MB_OK);
		for (size_t i = 0; i < n * 8; i++) {
			struct mb_buf b = MB_BUF_INIT;

			raw[i / 8] ^= (uint8_t)(1u << (i % 8));
			mb_buf_puts(&b, "MBR1:");
			mb_b64url_encode(raw, n, &b);
			snprintf(forged, sizeof(forged), "%s", b.data);
			mb_buf_free(&b);
			rl = load(forged, k, &rc, &why, &d);
			if (rc == MB_OK)
				fail_msg("list bit %zu went unnoticed", i);
			assert_null(rl);
			raw[i / 8] ^= (uint8_t)(1u << (i % 8));
		}
	}
	/* Refusals when issuing. */
	{
		const char *badreg[] = { "ok", "not/ok" };

		assert_int_equal(mb_revoked_issue("cairo", EVENT, T0, badreg,
		    2, k, &other_list, &d), MB_ERR_INVAL);
		assert_int_equal(mb_revoked_issue("Cairo", EVENT, T0, NULL, 0,
		    k, &other_list, &d), MB_ERR_INVAL);
		assert_int_equal(mb_revoked_issue("cairo", "x", T0, NULL, 0,
		    k, &other_list, &d), MB_ERR_INVAL);
	}
	mb_buf_free(&list);
	mb_buf_free(&other_list);
	mb_key_free(k);
	mb_key_free(other);
}

static void
test_revocations_form(void **state)
{
	struct mb_key		*k = key_of_byte(3);
	struct mb_buf		 b = MB_BUF_INIT, text = MB_BUF_INIT;
	struct mb_revoked	*rl = NULL;
	struct mb_diag		 d = { "" };

	(void)state;
	/* Out of order: one list would have several texts. */
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_center(&b, "");
	mb_signed__put_id(&b, "ev");
	mb_signed__put_u32(&b, 1);
	mb_signed__put_u32(&b, 2);
	mb_signed__put_id(&b, "b");
	mb_signed__put_id(&b, "a");
	mb_signed__wrap("MBR1:", "mediabridge revocations v1", &b, k, &text,
	    NULL);
	assert_int_equal(mb_revoked_parse(text.data, text.len, &rl, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "order"));
	/* A count larger than the bytes that follow. */
	mb_buf_reset(&b);
	mb_buf_reset(&text);
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_center(&b, "");
	mb_signed__put_id(&b, "ev");
	mb_signed__put_u32(&b, 1);
	mb_signed__put_u32(&b, 4000000000u);
	mb_signed__put_id(&b, "a");
	mb_signed__wrap("MBR1:", "mediabridge revocations v1", &b, k, &text,
	    NULL);
	assert_int_equal(mb_revoked_parse(text.data, text.len, &rl, &d),
	    MB_ERR_INVAL);
	assert_non_null(strstr(d.msg, "count"));
	/* Bytes after the last entry. */
	mb_buf_reset(&b);
	mb_buf_reset(&text);
	mb_signed__put_center(&b, "cairo");
	mb_signed__put_center(&b, "");
	mb_signed__put_id(&b, "ev");
	mb_signed__put_u32(&b, 1);
	mb_signed__put_u32(&b, 1);
	mb_signed__put_id(&b, "a");
	mb_buf_putc(&b, 0);
	mb_signed__wrap("MBR1:", "mediabridge revocations v1", &b, k, &text,
	    NULL);
	assert_int_equal(mb_revoked_parse(text.data, text.len, &rl, &d),
	    MB_ERR_INVAL);
	/* A ticket is not a list, and the other way round. */
	assert_int_equal(mb_revoked_parse("MBT1:AAAA", 9, &rl, &d),
	    MB_ERR_INVAL);
	assert_int_equal(mb_revoked_parse("MBR7:AAAA", 9, &rl, &d),
	    MB_ERR_UNSUPPORTED);
	mb_buf_free(&b);
	mb_buf_free(&text);
	mb_key_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_issue_refuses),
		cmocka_unit_test(test_tamper_every_bit),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_revocations),
		cmocka_unit_test(test_revocations_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
