/* SPDX-License-Identifier: MIT */
/*
 * Tallies: each center's signed count of its own members' votes on a
 * network proposal, and the network result as the sum of the tallies
 * that pass the checks (docs/members.md, "Tallies: the trust model").
 */
#include "agenda_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "center/center.h"
#include "item/envelope.h"
#include "members/members.h"
#include "members_int.h"
#include "store/agenda.h"
#include "store/store.h"

int
mb_agenda_tally_uri(const char *center, const char *proposal,
    char out[MB_URI_MAX])
{
	unsigned char	h[16];
	char		local[6 + 2 * sizeof(h) + 1];

	crypto_generichash(h, sizeof(h), (const unsigned char *)proposal,
	    strlen(proposal), NULL, 0);
	memcpy(local, "tally-", 6);
	sodium_bin2hex(local + 6, sizeof(local) - 6, h, sizeof(h));
	return mb_uri_make(out, MB_URI_MAX, center, local);
}

/* The current tally version, its data, envelope and the center's key. */
struct got_tally {
	int64_t	 version;
	int64_t	 received_ms;
	json_t	*data;
	char	*envelope;
	size_t	 len;
};

static int
tally_cb(const struct mb_store_version *v, void *arg)
{
	struct got_tally	*g = arg;
	json_t			*item = NULL, *meta = NULL;

	g->version = v->version;
	g->received_ms = v->received_ms;
	if ((g->envelope = malloc(v->envelope_len + 1)) == NULL)
		return MB_ERR_NOMEM;
	memcpy(g->envelope, v->envelope, v->envelope_len);
	g->envelope[v->envelope_len] = '\0';
	g->len = v->envelope_len;
	if (strcmp(v->pub_status, "usable") == 0 &&
	    mb_members__parse(v->envelope, v->envelope_len, &item, &meta,
	    NULL) == MB_OK)
		g->data = mb_members__data(item, "tally");
	json_decref(item);
	json_decref(meta);
	return MB_OK;
}

static void
got_free(struct got_tally *g)
{
	json_decref(g->data);
	free(g->envelope);
	memset(g, 0, sizeof(*g));
}

static json_int_t
count_of(const json_t *data, const char *k)
{
	const json_t *v = json_object_get(data, k);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

int
mb_agenda_tally(const struct mb_newsroom_env *e, const char *uri,
    int64_t *version, struct mb_diag *d)
{
	struct mb_proposal	 p;
	struct mb_agenda_counts	 c;
	struct got_tally	 g;
	json_t			*item = NULL, *data = NULL;
	char			 turi[MB_URI_MAX], title[200];
	int			 rc;

	memset(&g, 0, sizeof(g));
	if ((rc = mb_proposal__load(e->st, uri, &p, d)) != MB_OK)
		return rc;
	if (strcmp(p.audience, "internal") == 0 ||
	    strcmp(p.workflow, "published") != 0) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s is not a network "
		    "proposal: its votes are counted here, not tallied", uri);
		goto out;
	}
	if (strcmp(mb_proposal__str(&p, "state"), "accepted") == 0 ||
	    strcmp(mb_proposal__str(&p, "state"), "rejected") == 0) {
		/* Its result is signed: a later count would change nothing. */
		rc = mb_diag_set(d, MB_ERR_EXISTS, "%s is closed (%s): no "
		    "tally after the close, its result is signed", uri,
		    mb_proposal__str(&p, "state"));
		goto out;
	}
	if ((rc = mb_store_agenda_count(e->st, uri, true, &c, d)) != MB_OK)
		goto out;
	if ((rc = mb_agenda_tally_uri(e->center, uri, turi)) != MB_OK) {
		rc = mb_diag_set(d, rc, "center id: not valid");
		goto out;
	}
	rc = mb_store_get(e->st, turi, 0, tally_cb, &g, d);
	if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
		goto out;
	rc = MB_OK;
	if (g.data != NULL && count_of(g.data, "yes") == c.yes &&
	    count_of(g.data, "no") == c.no && count_of(g.data, "abstain") ==
	    c.abstain && count_of(g.data, "voters") == c.voters) {
		/* Nothing new to sign. */
		if (version != NULL)
			*version = g.version;
		goto out;
	}
	snprintf(title, sizeof(title), "Tally at %s: %.150s", e->center,
	    json_string_value(json_object_get(json_array_get(json_object_get(
	    p.item, "headlines"), 0), "value")) != NULL ?
	    json_string_value(json_object_get(json_array_get(json_object_get(
	    p.item, "headlines"), 0), "value")) : uri);
	data = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "proposal", uri,
	    "center", e->center, "yes", (json_int_t)c.yes, "no",
	    (json_int_t)c.no, "abstain", (json_int_t)c.abstain, "voters",
	    (json_int_t)c.voters);
	item = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s}]}", "uri", turi,
	    "type", "text", "profile", "tally", "language", "en",
	    "headlines", "value", title);
	if (data == NULL || item == NULL || mb_members__set_data(item, "tally",
	    data) != MB_OK) {
		json_decref(item);
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = mb_members__publish(e, item, p.audience, "published", version, d);
out:
	json_decref(data);
	got_free(&g);
	mb_proposal__free(&p);
	return rc;
}

/*
 * Checks one center's tally and appends what the result shows of it.
 * A refused tally is listed, with its reason, and not added.
 */
static int
check_tally(const struct mb_newsroom_env *e, const struct mb_proposal *p,
    const char *center, json_t *tallies, json_t *total, struct mb_diag *d)
{
	struct got_tally	 g;
	struct mb_envelope	*env = NULL;
	char			 turi[MB_URI_MAX], reason[200];
	json_int_t		 yes, no, abstain, voters;
	int64_t			 members = 0;
	json_t			*row;
	int			 rc;

	memset(&g, 0, sizeof(g));
	reason[0] = '\0';
	if (mb_agenda_tally_uri(center, p->uri, turi) != MB_OK)
		return MB_OK;
	rc = mb_store_get(e->st, turi, 0, tally_cb, &g, d);
	if (rc == MB_ERR_NOTFOUND)
		return MB_OK;	/* no tally from that center (yet) */
	if (rc != MB_OK)
		return rc;
	yes = count_of(g.data, "yes");
	no = count_of(g.data, "no");
	abstain = count_of(g.data, "abstain");
	voters = count_of(g.data, "voters");
	/* Signed by the center whose members it counts? Check it again. */
	/* (A tally signed before a key replacement: with the key of then.) */
	if (mb_envelope_parse(g.envelope, g.len, &env, NULL) != MB_OK ||
	    mb_center_verify(e->st, center, NULL, env, g.received_ms, NULL) !=
	    MB_OK)
		snprintf(reason, sizeof(reason), "not signed by %s", center);
	else if (g.data == NULL)
		snprintf(reason, sizeof(reason), "withdrawn or unreadable");
	else if (!json_is_string(json_object_get(g.data, "proposal")) ||
	    strcmp(json_string_value(json_object_get(g.data, "proposal")),
	    p->uri) != 0 ||
	    !json_is_string(json_object_get(g.data, "center")) ||
	    strcmp(json_string_value(json_object_get(g.data, "center")),
	    center) != 0)
		snprintf(reason, sizeof(reason), "it counts another proposal "
		    "or center");
	else if (yes < 0 || no < 0 || abstain < 0 || voters < 0 ||
	    yes + no + abstain != voters)
		snprintf(reason, sizeof(reason), "its counts do not add up");
	else if ((rc = mb_members_count(e->st, center, &members, d)) != MB_OK)
		goto out;
	else if (voters > members)
		snprintf(reason, sizeof(reason), "it claims %lld voters; %s "
		    "has published %lld members", (long long)voters, center,
		    (long long)members);
	row = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s}",
	    "center", center, "uri", turi, "version", (json_int_t)g.version,
	    "yes", yes < 0 ? 0 : yes, "no", no < 0 ? 0 : no,
	    "abstain", abstain < 0 ? 0 : abstain, "voters",
	    voters < 0 ? 0 : voters, "status", reason[0] != '\0' ? "refused" :
	    "counted");
	if (row == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (reason[0] != '\0')
		json_object_set_new(row, "reason", json_string(reason));
	else {
		static const char *const k[] = { "yes", "no", "abstain",
			"voters" };
		json_int_t v[] = { yes, no, abstain, voters };

		for (int i = 0; i < 4; i++)
			json_object_set_new(total, k[i], json_integer(
			    json_integer_value(json_object_get(total, k[i])) +
			    v[i]));
	}
	json_array_append_new(tallies, row);
	rc = MB_OK;
out:
	mb_envelope_free(env);
	got_free(&g);
	return rc;
}

struct centers {
	char	(*id)[MB_CENTER_MAX + 1];
	size_t	 n, cap;
};

static int
center_cb(const struct mb_center *c, void *arg)
{
	struct centers *cs = arg;

	if (cs->n == cs->cap) {
		size_t	 cap = cs->cap != 0 ? cs->cap * 2 : 16;
		void	*p = realloc(cs->id, cap * sizeof(*cs->id));

		if (p == NULL)
			return MB_ERR_NOMEM;
		cs->id = p;
		cs->cap = cap;
	}
	snprintf(cs->id[cs->n++], sizeof(cs->id[0]), "%s", c->id);
	return MB_OK;
}

/* A secret poll not closed yet (accepted or rejected). */
static bool
sealed(const struct mb_proposal *p)
{
	const char *state = mb_proposal__str(p, "state");

	return strcmp(mb_proposal__str(p, "poll"), "secret") == 0 &&
	    strcmp(state, "accepted") != 0 && strcmp(state, "rejected") != 0;
}

int
mb_agenda__results(const struct mb_newsroom_env *e,
    const struct mb_proposal *p, bool closing, json_t *tallies,
    json_t *total, struct mb_diag *d)
{
	struct mb_agenda_counts	c;
	struct centers		cs = { NULL, 0, 0 };
	int			rc;

	json_object_set_new(total, "yes", json_integer(0));
	json_object_set_new(total, "no", json_integer(0));
	json_object_set_new(total, "abstain", json_integer(0));
	json_object_set_new(total, "voters", json_integer(0));
	if (strcmp(p->audience, "internal") == 0) {
		/*
		 * One center's proposal: its own count, never published. A
		 * secret poll's is shown once the proposal is closed, and
		 * not before: a count that moves after each vote tells
		 * whoever watches it, beside the moments members voted, who
		 * voted what (a network proposal's secret tally is signed
		 * at a moderator's "agenda tally" and at the close, never
		 * after each vote). Closed, no vote moves it any more.
		 */
		if (!closing && sealed(p))
			return MB_OK;
		if ((rc = mb_store_agenda_count(e->st, p->uri, false,
		    &c, d)) != MB_OK)
			return rc;
		json_object_set_new(total, "yes", json_integer(c.yes));
		json_object_set_new(total, "no", json_integer(c.no));
		json_object_set_new(total, "abstain", json_integer(c.abstain));
		json_object_set_new(total, "voters", json_integer(c.voters));
		return json_array_append_new(tallies, json_pack("{s:s, s:I, "
		    "s:I, s:I, s:I, s:s}", "center", e->center, "yes",
		    (json_int_t)c.yes, "no", (json_int_t)c.no, "abstain",
		    (json_int_t)c.abstain, "voters", (json_int_t)c.voters,
		    "status", "local")) == 0 ? MB_OK : MB_ERR_NOMEM;
	}
	/* Every center of the registry this node holds, by id. */
	if ((rc = mb_store_center_list(e->st, center_cb, &cs, d)) != MB_OK)
		goto out;
	for (size_t i = 0; i < cs.n; i++)
		if ((rc = check_tally(e, p, cs.id[i], tallies, total, d)) !=
		    MB_OK)
			goto out;
out:
	free(cs.id);
	return rc;
}
