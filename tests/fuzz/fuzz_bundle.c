/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the signed documents a bundle carries from another center
 * on a USB stick (bundle/bundle_int.h): the manifest ("bundle") and an
 * ack, opened and their signatures checked, in memory, no store. Checks
 * that a document whose signature checks also opens, and that a body
 * that opens, signed afresh over its JCS form, checks (on its bytes too).
 * The checks import makes before any tree (mb_bundle__check_raw and
 * mb_bundle__peek) leave the bytes as they were, and what peek finds is
 * what the parse finds.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "base/buf.h"
#include "bundle/bundle_int.h"
#include "item/jcs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The key the seeds in corpus/bundle/ are signed with: seed 0x42 x 32. */
static uint8_t pk[crypto_sign_PUBLICKEYBYTES];
static uint8_t sk[crypto_sign_SECRETKEYBYTES];

/* {kind: body, "signature": ...} signed with sk, as JCS text into out. */
static void
resign(const char *kind, json_t *body, struct mb_buf *out)
{
	struct mb_buf	 canon = MB_BUF_INIT;
	uint8_t		 sig[MB_SIG_LEN];
	char		 sig64[MB_SIG_TEXT_LEN];
	json_t		*doc;

	if ((doc = json_object()) == NULL || json_object_set(doc, kind,
	    body) != 0 || mb_jcs_dump(doc, &canon, NULL) != MB_OK)
		abort();
	crypto_sign_detached(sig, NULL, (const uint8_t *)canon.data,
	    canon.len, sk);
	mb_sig_format(sig, sig64);
	if (json_object_set_new(doc, "signature", json_string(sig64)) != 0 ||
	    mb_jcs_dump(doc, out, NULL) != MB_OK)
		abort();
	mb_buf_free(&canon);
	json_decref(doc);
}

/*
 * Whether v holds a real of 2^53 or more in magnitude: JCS writes it in
 * integer form, which the parser reads back as an integer too big, or
 * one JCS refuses (as mb_jcs_dump says); such a body does not round-trip.
 */
static bool
big_real(const json_t *v)
{
	const char	*k;
	json_t		*e;
	size_t		 i;

	if (json_is_real(v))
		return fabs(json_real_value(v)) >= 9007199254740992.0;
	if (json_is_array(v))
		json_array_foreach(v, i, e)
			if (big_real(e))
				return true;
	if (json_is_object(v))
		json_object_foreach((json_t *)v, k, e)
			if (big_real(e))
				return true;
	return false;
}

/* The checks on bytes, before any tree; body the parse's, or NULL. */
static void
raw(const char *kind, const char *doc, size_t len, const json_t *body)
{
	char		*copy, who[33];
	const char	*e;

	if ((copy = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(copy, doc, len);
	(void)mb_bundle__check_raw(copy, len, kind, pk, NULL);
	if (memcmp(copy, doc, len) != 0)
		abort();
	free(copy);
	if (mb_bundle__peek(doc, len, kind, "exporter", who, sizeof(who)) !=
	    MB_OK)
		return;
	if (strlen(who) >= sizeof(who) || strchr(who, '\\') != NULL)
		abort();
	if (body != NULL && ((e = mb_bundle__str(body, "exporter")) ==
	    NULL || strcmp(e, who) != 0))
		abort();
}

static void
one(const char *kind, const char *doc, size_t len)
{
	struct mb_buf	 canon = MB_BUF_INIT, again = MB_BUF_INIT;
	struct mb_buf	 canon2 = MB_BUF_INIT;
	json_t		*body = NULL, *body2 = NULL;
	int64_t		 v;
	int		 opened, checked;

	opened = mb_bundle__open(doc, len, kind, &body, NULL);
	checked = mb_bundle__check(doc, len, kind, pk, NULL);
	if (checked == MB_OK && opened != MB_OK)
		abort();
	raw(kind, doc, len, opened == MB_OK ? body : NULL);
	if (opened != MB_OK)
		return;
	if (!json_is_object(body))
		abort();
	/* What import and ack read of it. */
	(void)mb_bundle__center_ok(mb_bundle__str(body, "exporter"));
	(void)mb_bundle__center_ok(mb_bundle__str(body, "from"));
	(void)mb_bundle__int(json_object_get(body, "log"), "through", &v);
	/*
	 * JCS refuses some of what parses (integers past 2^53); a body it
	 * writes, signed, must open to the same canonical form and check.
	 */
	if (!big_real(body) && mb_jcs_dump(body, &canon, NULL) == MB_OK) {
		resign(kind, body, &again);
		if (mb_bundle__open(again.data, again.len, kind, &body2,
		    NULL) != MB_OK || mb_jcs_dump(body2, &canon2, NULL) !=
		    MB_OK || canon2.len != canon.len || memcmp(canon.data,
		    canon2.data, canon.len) != 0 ||
		    mb_bundle__check(again.data, again.len, kind, pk, NULL) !=
		    MB_OK || mb_bundle__check_raw(again.data, again.len, kind,
		    pk, NULL) != MB_OK)
			abort();
		json_decref(body2);
	}
	mb_buf_free(&canon);
	mb_buf_free(&canon2);
	mb_buf_free(&again);
	json_decref(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t seed[32];

	if (sodium_init() < 0)
		abort();
	memset(seed, 0x42, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	one("bundle", (const char *)data, size);
	one("ack", (const char *)data, size);
	return 0;
}
