/* SPDX-License-Identifier: MIT */
/* Learners' accounts: invitation codes, sign-up with one or approved by the center; never open to all. */
#include "courses.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/log.h"
#include "center/center.h"
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

static int
count_pending(const struct mb_user *u, void *arg)
{
	if (u->disabled && strcmp(u->role, "learner") == 0)
		(*(int *)arg)++;
	return 0;
}

/*
 * Without a code where the center approves sign-ups: the account made
 * disabled in one transaction, so that it never signs in before an
 * admin enables it.
 */
static int
signup_pending(const struct mb_courses_env *e, const char *name,
    const char *password, struct mb_diag *d)
{
	int n = 0, rc;

	if ((rc = mb_store_begin(e->st, d)) != MB_OK)
		return rc;
	if ((rc = mb_store_user_list(e->st, count_pending, &n, d)) != MB_OK)
		goto fail;
	if (n >= MB_COURSE_PENDING_MAX) {
		rc = mb_diag_set(d, MB_ERR_AGAIN, "too many sign-ups wait for "
		    "the center's approval; try again later");
		goto fail;
	}
	if ((rc = mb_accounts_user_add(e->st, name, "learner", password,
	    d)) != MB_OK ||
	    (rc = mb_store_user_disable(e->st, name, true, d)) != MB_OK)
		goto fail;
	if ((rc = mb_store_commit(e->st, d)) != MB_OK)
		return rc;
	log_info("courses: signup user=%s pending approval", name);
	return MB_OK;
fail:
	mb_store_rollback(e->st);
	return rc;
}

int
mb_courses_signup(const struct mb_courses_env *e, const char *name,
    const char *password, const char *code, bool *pending,
    struct mb_diag *d)
{
	struct mb_user	u;
	uint8_t		h[MB_COURSE_INVITE_HASH];
	bool		approval = e->node != NULL &&
			    e->node->conf.courses_signup_approval;
	int		rc;

	if (pending != NULL)
		*pending = false;
	if ((code == NULL || *code == '\0') && !approval)
		return mb_diag_set(d, MB_ERR_PERM, "code: an invitation code "
		    "is required to sign up here");
	if (code != NULL && strlen(code) > 64)
		return mb_diag_set(d, MB_ERR_PERM, "code: not a valid "
		    "invitation code (unknown, or used already)");
	if (name == NULL || !mb_user_name_valid(name))
		return mb_diag_set(d, MB_ERR_INVAL, "name: 1 to 63 of a-z 0-9 "
		    ". _ -, starting with a letter or digit");
	if (code == NULL || *code == '\0') {
		if ((rc = signup_pending(e, name, password, d)) == MB_OK &&
		    pending != NULL)
			*pending = true;
		return rc;
	}
	code_hash(code, h);
	/*
	 * The code first: adding the account first answered "exists" for
	 * a taken name whatever the code, so anyone could learn which
	 * account names a center has. A bad code is 403 whatever the name;
	 * using it below is still what decides, in one transaction.
	 */
	if ((rc = mb_store_course_invite_check(e->st, h, d)) != MB_OK) {
		if (rc == MB_ERR_NOTFOUND || rc == MB_ERR_EXISTS)
			rc = mb_diag_set(d, MB_ERR_PERM, "code: not a valid "
			    "invitation code (unknown, or used already)");
		return rc;
	}
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
