/* SPDX-License-Identifier: MIT */
/* Learners' accounts: invitation codes and sign-up, never open to all. */
#include "courses.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "newsroom/accounts.h"

static void
code_hash(const char *code, uint8_t h[MB_COURSE_INVITE_HASH])
{
	crypto_hash_sha256(h, (const unsigned char *)code, strlen(code));
}

int
mb_courses_invite(const struct mb_courses_env *e, const struct mb_actor *a,
    char code[MB_INVITE_TEXT_LEN], struct mb_diag *d)
{
	uint8_t	raw[16], h[MB_COURSE_INVITE_HASH];
	char	text[MB_INVITE_TEXT_LEN];
	int	rc;

	if (a != NULL && mb_actor_role(a) < MB_ROLE_ADMIN)
		return mb_diag_set(d, MB_ERR_PERM, "only an admin makes "
		    "invitation codes");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(text, sizeof(text), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	code_hash(text, h);
	if ((rc = mb_store_course_invite_add(e->st, h, d)) != MB_OK)
		return rc;
	memcpy(code, text, MB_INVITE_TEXT_LEN);
	return MB_OK;
}

int
mb_courses_signup(const struct mb_courses_env *e, const char *name,
    const char *password, const char *code, struct mb_diag *d)
{
	struct mb_user	u;
	uint8_t		h[MB_COURSE_INVITE_HASH];
	int		rc;

	if (code == NULL || *code == '\0' || strlen(code) > 64)
		return mb_diag_set(d, MB_ERR_PERM, "code: an invitation code "
		    "is required to sign up here");
	if (name == NULL || !mb_user_name_valid(name))
		return mb_diag_set(d, MB_ERR_INVAL, "name: 1 to 63 of a-z 0-9 "
		    ". _ -, starting with a letter or digit");
	code_hash(code, h);
	if ((rc = mb_store_begin(e->st, d)) != MB_OK)
		return rc;
	if ((rc = mb_accounts_user_add(e->st, name, "learner", password,
	    d)) != MB_OK ||
	    (rc = mb_store_user_get(e->st, name, 0, &u, NULL, 0, d)) != MB_OK)
		goto fail;
	if ((rc = mb_store_course_invite_use(e->st, h, u.id, d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND || rc == MB_ERR_EXISTS)
			rc = mb_diag_set(d, MB_ERR_PERM, "code: not a valid "
			    "invitation code (unknown, or used already)");
		goto fail;
	}
	if ((rc = mb_store_commit(e->st, d)) != MB_OK)
		return rc;
	log_info("courses: signup user=%s", name);
	return MB_OK;
fail:
	mb_store_rollback(e->st);
	return rc;
}
