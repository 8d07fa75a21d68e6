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
#include "item/topics.h"
#include "store/zenv.h"
#include "sync/apply_text.h"
#include "sync/registry.h"
#include "text/tokenizer.h"

struct ring_entry {
	char	id[33];
	bool	revoked;
	uint8_t	pk[MB_PUBKEY_LEN];
};

struct mb_sync_keyring {
	struct ring_entry	*e;
	size_t			 n;
	int64_t			 version;
	atomic_int		 refs;
	/*
	 * The store's packer (NULL: none): the verifying cores compress
	 * what they checked, as the store would, so that the writer does
	 * not (issue 23: zstd was a seventh of the writer's CPU).
	 */
	struct mb_zenv_packer	*packer;
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
mb_sync_keyring_put(struct mb_sync_keyring *kr, const struct mb_center *c)
{
	for (size_t i = 0; i < kr->n; i++)
		if (strcmp(kr->e[i].id, c->id) == 0) {
			kr->e[i].revoked = strcmp(c->status, "revoked") == 0;
			memcpy(kr->e[i].pk, c->key, MB_PUBKEY_LEN);
			return MB_OK;
		}
	return ring_add(c, kr);
}

int
mb_sync_keyring_load(struct mb_store *st, struct mb_sync_keyring **out,
    struct mb_diag *d)
{
	struct mb_sync_keyring	*kr;
	int			 rc;

	if ((kr = calloc(1, sizeof(*kr))) == NULL)
		return MB_ERR_NOMEM;
	atomic_init(&kr->refs, 1);
	kr->version = mb_sync_registry_version(st);
	if ((rc = mb_store_center_list(st, ring_add, kr, d)) != MB_OK) {
		mb_sync_keyring_free(kr);
		return rc;
	}
	/* Without one (out of memory), the writer compresses. */
	if (mb_store_packer(st, &kr->packer, NULL) != MB_OK)
		kr->packer = NULL;
	*out = kr;
	return MB_OK;
}

struct mb_sync_keyring *
mb_sync_keyring_ref(struct mb_sync_keyring *kr)
{
	if (kr != NULL)
		atomic_fetch_add(&kr->refs, 1);
	return kr;
}

void
mb_sync_keyring_free(struct mb_sync_keyring *kr)
{
	if (kr == NULL || atomic_fetch_sub(&kr->refs, 1) > 1)
		return;
	mb_zenv_packer_free(kr->packer);
	free(kr->e);
	free(kr);
}

int64_t
mb_sync_keyring_version(const struct mb_sync_keyring *kr)
{
	return kr->version;
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
	ENTRY_UNKNOWN_ORIGIN,
	ENTRY_FAILED		/* not judged (out of memory): retry */
};

/*
 * What the writer needs of a verified entry, copied out of its parsed
 * tree in one block on the verifying core, which then frees the tree at
 * once: a batch of trees is ~15 MB, and freeing them only with the batch
 * made every batch fault a fresh heap in (page faults were a fifth of
 * the branch's CPU).
 */
struct facts {
	struct mb_store_version	 v;	/* strings point into buf */
	char			 buf[];
};

struct entry {
	int64_t			 seq;
	const char		*env;
	size_t			 len;
	enum entry_state	 state;
	struct facts		*f;	/* ENTRY_OK only */
	/*
	 * ENTRY_OK sent in another form than RFC 8785's (whitespace, key
	 * order, escapes): the canonical bytes, stored instead, so that a
	 * version is the same bytes at every center. NULL: env is canonical.
	 */
	char			*canon;
	size_t			 canon_len;
	/* ENTRY_OK: the stored form (the keyring's packer), or NULL. */
	char			*packed;
	size_t			 packed_len;
	/*
	 * ENTRY_OK: its search text and tokens, so that the writer indexes
	 * it in the batch's own transaction (NULL: queued for the indexer).
	 */
	struct mb_sync_text	*tx;
	/*
	 * ENTRY_REFUSED because its origin is revoked: a version it signed
	 * before, that the log still serves and every importer skips.
	 */
	bool			 revoked;
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
		free(b->e[i].f);
		free(b->e[i].canon);
		free(b->e[i].packed);
		mb_sync_text_free(b->e[i].tx);
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

/* Copies s (may be NULL) to *p, moving it on; returns the copy. */
static const char *
put_str(char **p, const char *s)
{
	char	*out = *p;
	size_t	 n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(out, s, n);
	*p += n;
	return out;
}

static size_t
str_size(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

static const char *
put_mem(char **p, const struct mb_buf *b)
{
	char *out = *p;

	if (b->len == 0)
		return NULL;
	memcpy(out, b->data, b->len);
	*p += b->len;
	return out;
}

/* The store's facts of a checked envelope, in one allocation. */
static struct facts *
facts_new(const struct mb_item_info *info, const struct mb_buf *topics)
{
	struct facts	*f;
	char		*p;
	size_t		 n;

	n = str_size(info->uri) + str_size(info->center) +
	    str_size(info->local) + str_size(info->origin) +
	    str_size(info->audience) + str_size(info->pub_status) +
	    str_size(info->workflow) + str_size(info->language) +
	    str_size(info->type) + str_size(info->profile) +
	    str_size(info->headline) + topics->len;
	if ((f = malloc(sizeof(*f) + n)) == NULL)
		return NULL;
	memset(&f->v, 0, sizeof(f->v));
	p = f->buf;
	f->v.uri = put_str(&p, info->uri);
	f->v.center = put_str(&p, info->center);
	f->v.local = put_str(&p, info->local);
	f->v.version = info->version;
	f->v.origin = put_str(&p, info->origin);
	f->v.audience = put_str(&p, info->audience);
	f->v.pub_status = put_str(&p, info->pub_status);
	f->v.workflow = put_str(&p, info->workflow);
	f->v.language = put_str(&p, info->language);
	f->v.type = put_str(&p, info->type);
	f->v.profile = put_str(&p, info->profile);
	f->v.headline = put_str(&p, info->headline);
	f->v.embargo_ms = info->embargo_ms;
	f->v.created_ms = info->created_ms;
	f->v.first_ms = info->first_ms;
	f->v.topics = put_mem(&p, topics);
	return f;
}

/*
 * The stored form of what en will store, made here (best effort: without
 * it the writer compresses).
 */
static void
pack(struct entry *en, const struct mb_sync_keyring *kr)
{
	struct mb_buf	 b = MB_BUF_INIT;

	if (kr->packer == NULL)
		return;
	if (mb_zenv_packer_pack(kr->packer, en->canon != NULL ? en->canon :
	    en->env, en->canon != NULL ? en->canon_len : en->len, &b,
	    NULL) != MB_OK) {
		mb_buf_free(&b);
		return;
	}
	en->packed_len = b.len;
	en->packed = mb_buf_steal(&b);
}

static void
verify_one(struct entry *en, const struct mb_sync_keyring *kr,
    struct mb_text_tokenizer *tk)
{
	const struct mb_item_info	*info;
	const struct ring_entry		*k;
	const json_t			*subj;
	struct mb_envelope		*e = NULL;
	struct mb_diag			 d = { "" };
	struct mb_buf			 topics = MB_BUF_INIT;
	int				 rc;

	if ((rc = mb_envelope_parse(en->env, en->len, &e, &d)) != MB_OK)
		goto refuse;
	info = mb_envelope_info(e);
	if (!mb_envelope_is_signed(e)) {
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
		mb_envelope_free(e);
		return;
	}
	if (k->revoked) {
		mb_diag_set(&d, MB_ERR_PERM, "origin %s is revoked",
		    info->origin);
		en->revoked = true;
		goto refuse;
	}
	if (!verify_raw(en->env, en->len, k->pk)) {
		struct mb_buf canon = MB_BUF_INIT;

		/*
		 * Not canonical as sent (or not good): what is verified is
		 * the canonical form, and that is what is stored.
		 */
		if (mb_envelope_verify_dump(e, k->pk, &canon, &d) != MB_OK) {
			mb_buf_free(&canon);
			goto refuse;
		}
		en->canon_len = canon.len;
		en->canon = mb_buf_steal(&canon);
	}
	/*
	 * The store's topics from the tree at hand (on this core), so that
	 * the writer neither parses the envelope again nor derives them.
	 */
	subj = json_object_get(mb_envelope_item(e), "subjects");
	/*
	 * Out of memory says nothing about the envelope: the batch must
	 * fail and be fetched again, not skip a good version for good.
	 */
	if (subj == NULL)
		rc = mb_buf_putc(&topics, '\0');
	else if ((rc = mb_item_topics(subj, &topics)) == MB_ERR_INVAL)
		rc = MB_OK;	/* a shape the store derives itself */
	if (rc != MB_OK || (en->f = facts_new(info, &topics)) == NULL) {
		en->state = ENTRY_FAILED;
		mb_buf_free(&topics);
		mb_envelope_free(e);
		return;
	}
	mb_buf_free(&topics);
	/*
	 * The search text and tokens from the same tree, on this core: the
	 * writer then indexes the version as it stores it (issue 23).
	 */
	en->tx = mb_sync_text_new(e, tk);
	mb_envelope_free(e);
	pack(en, kr);
	en->state = ENTRY_OK;
	return;
refuse:
	en->state = ENTRY_REFUSED;
	snprintf(en->why, sizeof(en->why), "%s", mb_diag_msg(&d, MB_ERR_SIG));
	mb_envelope_free(e);
}

void
mb_sync_batch_unverify(struct mb_sync_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].f);
		b->e[i].f = NULL;
		free(b->e[i].canon);
		b->e[i].canon = NULL;
		free(b->e[i].packed);
		b->e[i].packed = NULL;
		mb_sync_text_free(b->e[i].tx);
		b->e[i].tx = NULL;
		b->e[i].state = ENTRY_NEW;
		b->e[i].revoked = false;
		b->e[i].why[0] = '\0';
	}
}

void
mb_sync_batch_verify(struct mb_sync_batch *b,
    const struct mb_sync_keyring *kr, size_t from, size_t to)
{
	struct mb_text_tokenizer *tk = NULL;

	for (size_t i = from; i < to && i < b->n; i++)
		if (b->e[i].state == ENTRY_NEW) {
			if (tk == NULL)
				tk = mb_sync_tokenizer_get();
			verify_one(&b->e[i], kr, tk);
		}
	mb_sync_tokenizer_put(tk);
}

static int
put_entry(struct mb_store *st, const struct entry *en, const char *peer,
    int64_t now, bool *dup, struct mb_diag *d)
{
	struct mb_store_version	v = en->f->v;
	struct mb_store_text	t;
	int64_t			seq;
	int			rc;

	v.received_ms = now;
	v.envelope = en->canon != NULL ? en->canon : en->env;
	v.envelope_len = en->canon != NULL ? en->canon_len : en->len;
	v.via = peer;
	v.packed = en->packed;
	v.packed_len = en->packed_len;
	/*
	 * Indexed in this transaction with the text and tokens prepared on
	 * the verifying core: searchable when the batch commits. Without
	 * them (out of memory there) the indexer thread follows: text NULL.
	 */
	if (en->tx != NULL)
		mb_sync_text_store(en->tx, &t);
	rc = mb_store_put(st, &v, en->tx != NULL ? &t : NULL, &seq, d);
	mb_text_tokens_offer(NULL, 0);
	*dup = rc == MB_ERR_EXISTS;
	return rc == MB_ERR_EXISTS ? MB_OK : rc;
}

static atomic_int applying, backlog;

void
mb_sync_backlog_add(int delta)
{
	atomic_fetch_add(&backlog, delta);
}

bool
mb_sync_applying(void)
{
	return atomic_load(&applying) > 0;
}

bool
mb_sync_defer(int64_t last_ms)
{
	/*
	 * Batches are applied back to back while a puller catches up (the
	 * next one is verified meanwhile): the cap holds for both, or the
	 * indexes would wait for the whole catch-up.
	 */
	return (atomic_load(&applying) > 0 || atomic_load(&backlog) > 0) &&
	    mb_time_mono_ms() - last_ms < MB_SYNC_DEFER_MAX_MS;
}

static int batch_apply(struct mb_store *st, struct mb_sync_batch *b,
    const char *peer, bool advance, int64_t next,
    struct mb_sync_apply_result *r, struct mb_diag *d);

int
mb_sync_batch_apply(struct mb_store *st, struct mb_sync_batch *b,
    const char *peer, int64_t next, struct mb_sync_apply_result *r,
    struct mb_diag *d)
{
	int rc;

	/*
	 * Lines reaching past where the peer says the answer ends are not
	 * the log's (the framing already has them rising): nothing of it
	 * is applied, the cursor stays.
	 */
	if (b->n > 0 && b->e[b->n - 1].seq > next)
		return mb_diag_set(d, MB_ERR_NET, "log answer from %s: seq "
		    "%lld past its Mb-Log-Next %lld", peer,
		    (long long)b->e[b->n - 1].seq, (long long)next);
	atomic_fetch_add(&applying, 1);
	rc = batch_apply(st, b, peer, true, next, r, d);
	atomic_fetch_sub(&applying, 1);
	return rc;
}

const char *
mb_sync_batch_unknown(const struct mb_sync_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].state == ENTRY_UNKNOWN_ORIGIN)
			return b->e[i].why;
	return NULL;
}

const char *
mb_sync_batch_refused(const struct mb_sync_batch *b, int64_t *seq)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].state == ENTRY_REFUSED && !b->e[i].revoked) {
			*seq = b->e[i].seq;
			return b->e[i].why;
		}
	return NULL;
}

int
mb_sync_batch_apply_from(struct mb_store *st, struct mb_sync_batch *b,
    const char *via, struct mb_sync_apply_result *r, struct mb_diag *d)
{
	const char	*unknown;
	int		 rc;

	if ((unknown = mb_sync_batch_unknown(b)) != NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "origin %s is unknown "
		    "here", unknown);
	atomic_fetch_add(&applying, 1);
	rc = batch_apply(st, b, via, false, 0, r, d);
	atomic_fetch_sub(&applying, 1);
	return rc;
}

static int
batch_apply(struct mb_store *st, struct mb_sync_batch *b, const char *peer,
    bool advance, int64_t next, struct mb_sync_apply_result *r,
    struct mb_diag *d)
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
		if (en->state == ENTRY_FAILED) {
			rc = mb_diag_set(d, MB_ERR_NOMEM, "entry seq=%lld: out "
			    "of memory while verifying", (long long)en->seq);
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
		if ((rc = put_entry(st, en, peer, now, &dup, d)) != MB_OK)
			goto fail;
		if (dup)
			r->duplicates++;
		else
			r->applied++;
	}
	if (advance && (rc = mb_store_peer_advance(st, peer, cursor,
	    r->applied, r->refused, now, d)) != MB_OK)
		goto fail;
	if ((rc = mb_store_commit(st, d)) != MB_OK)
		return rc;
	r->cursor = cursor;
	return MB_OK;
fail:
	mb_store_rollback(st);
	return rc;
}
