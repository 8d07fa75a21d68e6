/* SPDX-License-Identifier: MIT */
/* Framing, verifying and applying pulled batches of envelopes. */
#include "apply.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "item/envelope.h"
#include "item/id.h"

struct ring_entry {
	char	id[33];
	bool	revoked;
	uint8_t	pk[MB_PUBKEY_LEN];
};

struct mb_sync_keyring {
	struct ring_entry	*e;
	size_t			 n;
};

static int
ring_add(const struct mb_center *c, void *arg)
{
	struct mb_sync_keyring	*kr = arg;
	struct ring_entry	*e;

	if ((e = realloc(kr->e, (kr->n + 1) * sizeof(*e))) == NULL)
		return MB_ERR_NOMEM;
	kr->e = e;
	e += kr->n++;
	snprintf(e->id, sizeof(e->id), "%s", c->id);
	e->revoked = strcmp(c->status, "revoked") == 0;
	memcpy(e->pk, c->key, MB_PUBKEY_LEN);
	return MB_OK;
}

int
mb_sync_keyring_load(struct mb_store *st, struct mb_sync_keyring **out,
    struct mb_diag *d)
{
	struct mb_sync_keyring	*kr;
	int			 rc;

	if ((kr = calloc(1, sizeof(*kr))) == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_store_center_list(st, ring_add, kr, d)) != MB_OK) {
		mb_sync_keyring_free(kr);
		return rc;
	}
	*out = kr;
	return MB_OK;
}

void
mb_sync_keyring_free(struct mb_sync_keyring *kr)
{
	if (kr == NULL)
		return;
	free(kr->e);
	free(kr);
}

static const struct ring_entry *
ring_find(const struct mb_sync_keyring *kr, const char *id)
{
	for (size_t i = 0; i < kr->n; i++)
		if (strcmp(kr->e[i].id, id) == 0)
			return &kr->e[i];
	return NULL;
}

enum entry_state {
	ENTRY_NEW = 0,
	ENTRY_OK,
	ENTRY_REFUSED,
	ENTRY_UNKNOWN_ORIGIN
};

struct entry {
	int64_t			 seq;
	const char		*env;
	size_t			 len;
	enum entry_state	 state;
	struct mb_envelope	*e;
	char			*subjects;	/* item.subjects as JSON */
	char			 why[160];
};

struct mb_sync_batch {
	struct entry	*e;
	size_t		 n;
};

#define PREFIX "{\"seq\":"
#define MIDDLE ",\"envelope\":"

int
mb_sync_batch_parse(const char *body, size_t len, struct mb_sync_batch **out,
    struct mb_diag *d)
{
	struct mb_sync_batch	*b;
	const char		*p = body, *end = body + len, *nl;
	size_t			 cap = 0, lineno = 0;
	int64_t			 last = 0;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return MB_ERR_NOMEM;
	while (p < end) {
		struct entry	*e;
		const char	*q;
		int64_t		 seq = 0;

		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p) {
			p++;
			continue;
		}
		if ((size_t)(nl - p) < sizeof(PREFIX MIDDLE) ||
		    memcmp(p, PREFIX, sizeof(PREFIX) - 1) != 0)
			goto bad;
		q = p + sizeof(PREFIX) - 1;
		if (q >= nl || *q < '0' || *q > '9')
			goto bad;
		while (q < nl && *q >= '0' && *q <= '9' &&
		    seq < INT64_MAX / 10 - 10)
			seq = seq * 10 + (*q++ - '0');
		if ((size_t)(nl - q) < sizeof(MIDDLE) ||
		    memcmp(q, MIDDLE, sizeof(MIDDLE) - 1) != 0 ||
		    nl[-1] != '}' || seq <= last)
			goto bad;
		q += sizeof(MIDDLE) - 1;
		last = seq;
		if (b->n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((e = realloc(b->e, cap * sizeof(*e))) == NULL) {
				mb_sync_batch_free(b);
				return MB_ERR_NOMEM;
			}
			b->e = e;
		}
		e = &b->e[b->n++];
		memset(e, 0, sizeof(*e));
		e->seq = seq;
		e->env = q;
		e->len = (size_t)(nl - 1 - q);
		p = nl + 1;
	}
	*out = b;
	return MB_OK;
bad:
	mb_sync_batch_free(b);
	return mb_diag_set(d, MB_ERR_INVAL,
	    "log response: line %zu is not {\"seq\":N,\"envelope\":{...}} in "
	    "increasing seq order", lineno);
}

void
mb_sync_batch_free(struct mb_sync_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n; i++) {
		mb_envelope_free(b->e[i].e);
		free(b->e[i].subjects);
	}
	free(b->e);
	free(b);
}

size_t
mb_sync_batch_count(const struct mb_sync_batch *b)
{
	return b->n;
}

#define SIG_KEY ",\"signature\":\""

/*
 * The signature checked on the bytes as they came: a stored envelope is
 * JCS({item, meta, signature}), so JCS({item, meta}) — what the origin
 * signed — is those bytes up to ",\"signature\"" closed with '}'. This
 * spares re-serializing the item (as costly as parsing it). Bytes that
 * are not in that form (or do not verify) take the canonicalizing path.
 */
static bool
verify_raw(const char *env, size_t len, const uint8_t pk[MB_PUBKEY_LEN])
{
	char		 text[MB_SIG_TEXT_LEN];
	uint8_t		 sig[MB_SIG_LEN];
	const char	*p, *end = env + len;
	char		*msg;
	size_t		 n, k;
	bool		 ok;

	if (len < sizeof(SIG_KEY) + 3 || end[-1] != '}' || end[-2] != '"')
		return false;
	/* The signature is the last member: search back for its key. */
	for (p = end - 3; p > env && *p != '"'; p--)
		;
	n = (size_t)(end - 2 - (p + 1));
	k = sizeof(SIG_KEY) - 1;
	if (p - env < (ptrdiff_t)k || n >= sizeof(text) ||
	    memcmp(p + 1 - k, SIG_KEY, k) != 0)
		return false;
	memcpy(text, p + 1, n);
	text[n] = '\0';
	if (mb_sig_parse(text, sig) != MB_OK)
		return false;
	n = (size_t)(p + 1 - k - env);
	if ((msg = malloc(n + 1)) == NULL)
		return false;
	memcpy(msg, env, n);
	msg[n] = '}';
	ok = mb_sig_verify(pk, msg, n + 1, sig);
	free(msg);
	return ok;
}

static void
verify_one(struct entry *en, const struct mb_sync_keyring *kr)
{
	const struct mb_item_info	*info;
	const struct ring_entry		*k;
	const json_t			*subj;
	struct mb_diag			 d = { "" };
	int				 rc;

	if ((rc = mb_envelope_parse(en->env, en->len, &en->e, &d)) != MB_OK)
		goto refuse;
	info = mb_envelope_info(en->e);
	if (!mb_envelope_is_signed(en->e)) {
		mb_diag_set(&d, MB_ERR_SIG, "unsigned envelope");
		goto refuse;
	}
	if (strcmp(info->center, info->origin) != 0) {
		mb_diag_set(&d, MB_ERR_PERM,
		    "uri of center %s, signed as origin %s", info->center,
		    info->origin);
		goto refuse;
	}
	if ((k = ring_find(kr, info->origin)) == NULL) {
		en->state = ENTRY_UNKNOWN_ORIGIN;
		snprintf(en->why, sizeof(en->why), "%s", info->origin);
		return;
	}
	if (k->revoked) {
		mb_diag_set(&d, MB_ERR_PERM, "origin %s is revoked",
		    info->origin);
		goto refuse;
	}
	if (!verify_raw(en->env, en->len, k->pk) &&
	    mb_envelope_verify(en->e, k->pk, &d) != MB_OK)
		goto refuse;
	/*
	 * The store's topics from the tree at hand (on this core), so that
	 * the writer does not parse the envelope again for them.
	 */
	subj = json_object_get(mb_envelope_item(en->e), "subjects");
	if (json_is_array(subj))
		en->subjects = json_dumps(subj, JSON_COMPACT | JSON_ENCODE_ANY);
	en->state = ENTRY_OK;
	return;
refuse:
	en->state = ENTRY_REFUSED;
	snprintf(en->why, sizeof(en->why), "%s", mb_diag_msg(&d, MB_ERR_SIG));
	mb_envelope_free(en->e);
	en->e = NULL;
}

void
mb_sync_batch_verify(struct mb_sync_batch *b,
    const struct mb_sync_keyring *kr, size_t from, size_t to)
{
	for (size_t i = from; i < to && i < b->n; i++)
		if (b->e[i].state == ENTRY_NEW)
			verify_one(&b->e[i], kr);
}

static int
put_entry(struct mb_store *st, const struct entry *en, int64_t now,
    bool *dup, struct mb_diag *d)
{
	const struct mb_item_info	*info = mb_envelope_info(en->e);
	struct mb_store_version		 v;
	int64_t				 seq;
	int				 rc;

	memset(&v, 0, sizeof(v));
	v.uri = info->uri;
	v.center = info->center;
	v.local = info->local;
	v.version = info->version;
	v.origin = info->origin;
	v.audience = info->audience;
	v.pub_status = info->pub_status;
	v.workflow = info->workflow;
	v.language = info->language;
	v.type = info->type;
	v.profile = info->profile;
	v.headline = info->headline;
	v.embargo_ms = info->embargo_ms;
	v.created_ms = info->created_ms;
	v.first_ms = info->first_ms;
	v.received_ms = now;
	v.envelope = en->env;
	v.envelope_len = en->len;
	v.subjects = en->subjects;
	/* The search index follows in the indexer thread: text NULL. */
	rc = mb_store_put(st, &v, NULL, &seq, d);
	*dup = rc == MB_ERR_EXISTS;
	return rc == MB_ERR_EXISTS ? MB_OK : rc;
}

static atomic_int applying;

bool
mb_sync_applying(void)
{
	return atomic_load(&applying) > 0;
}

static int batch_apply(struct mb_store *st, struct mb_sync_batch *b,
    const char *peer, int64_t next, struct mb_sync_apply_result *r,
    struct mb_diag *d);

int
mb_sync_batch_apply(struct mb_store *st, struct mb_sync_batch *b,
    const char *peer, int64_t next, struct mb_sync_apply_result *r,
    struct mb_diag *d)
{
	int rc;

	atomic_fetch_add(&applying, 1);
	rc = batch_apply(st, b, peer, next, r, d);
	atomic_fetch_sub(&applying, 1);
	return rc;
}

static int
batch_apply(struct mb_store *st, struct mb_sync_batch *b, const char *peer,
    int64_t next, struct mb_sync_apply_result *r, struct mb_diag *d)
{
	int64_t	now = mb_time_now_ms(), cursor = next;
	bool	dup;
	int	rc;

	memset(r, 0, sizeof(*r));
	if ((rc = mb_store_begin(st, d)) != MB_OK)
		return rc;
	for (size_t i = 0; i < b->n; i++) {
		struct entry *en = &b->e[i];

		if (en->state == ENTRY_NEW) {
			rc = mb_diag_set(d, MB_ERR_INVAL,
			    "entry seq=%lld was not verified",
			    (long long)en->seq);
			goto fail;
		}
		if (en->state == ENTRY_UNKNOWN_ORIGIN) {
			snprintf(r->unknown_origin, sizeof(r->unknown_origin),
			    "%.32s", en->why);
			cursor = en->seq - 1;
			break;
		}
		if (en->state == ENTRY_REFUSED) {
			r->refused++;
			log_warn("sync: refused peer=%s seq=%lld why=\"%s\"",
			    peer, (long long)en->seq, en->why);
			continue;
		}
		if ((rc = put_entry(st, en, now, &dup, d)) != MB_OK)
			goto fail;
		if (dup)
			r->duplicates++;
		else
			r->applied++;
	}
	if ((rc = mb_store_peer_advance(st, peer, cursor, r->applied,
	    r->refused, now, d)) != MB_OK)
		goto fail;
	if ((rc = mb_store_commit(st, d)) != MB_OK)
		return rc;
	r->cursor = cursor;
	return MB_OK;
fail:
	mb_store_rollback(st);
	return rc;
}
