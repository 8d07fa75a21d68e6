/* SPDX-License-Identifier: MIT */
/* The store's domains, and their migrations, each counted apart from the core's. */
#include "store_int.h"

#include "base/log.h"

#include <string.h>

/*
 * Every domain, in the order its tables are created and copied: a domain
 * whose tables refer to another's comes after it. One line per domain
 * here and in the list below; the slots are kept for the domains under
 * way, each apart from the next so that branches filling different
 * slots merge without a conflict (docs/store.md, "Adding a domain's
 * tables").
 */
extern const struct mb_store_domain mb_store_accounts_domain;

extern const struct mb_store_domain mb_store_members_domain;

extern const struct mb_store_domain mb_store_agenda_domain;

extern const struct mb_store_domain mb_store_events_domain;

extern const struct mb_store_domain mb_store_courses_domain;

extern const struct mb_store_domain mb_store_mt_domain;

extern const struct mb_store_domain mb_store_feeds_domain;

extern const struct mb_store_domain mb_store_impact_domain;

extern const struct mb_store_domain mb_store_bundles_domain;

extern const struct mb_store_domain mb_store_links_domain;

extern const struct mb_store_domain mb_store_scale_domain;

extern const struct mb_store_domain mb_store_envelopes_domain;

const struct mb_store_domain *const mb_store_domains[] = {
	&mb_store_accounts_domain,

	&mb_store_members_domain,

	&mb_store_agenda_domain,

	&mb_store_events_domain,

	&mb_store_courses_domain,

	&mb_store_mt_domain,

	&mb_store_feeds_domain,

	&mb_store_impact_domain,

	&mb_store_bundles_domain,

	&mb_store_links_domain,

	&mb_store_scale_domain,

	&mb_store_envelopes_domain,

	NULL
};

/*
 * A domain's version is its row in schema_domains (core migration 8 on
 * both backends), not PRAGMA user_version: two branches that each add a
 * domain never want the same core migration number. Each step runs in a
 * transaction of its own with its version's update, under the schema's
 * write lock; the version is read again under that lock, so processes
 * opening a PostgreSQL store at once run each step once.
 */
static int
migrate(struct mb_store *st, const struct mb_store_domain *dom,
    bool readonly, struct mb_diag *d)
{
	const char *const	*steps = dom->migrations[mb_store__backend(st)];
	int			 have, from, want = 0, rc;

	while (steps != NULL && steps[want] != NULL)
		want++;
	if ((rc = st->ops->domain_version(st, dom->name, &have, d)) != MB_OK)
		return rc;
	from = have;
	for (;;) {
		if (have > want)
			return mb_diag_set(d, MB_ERR_UNSUPPORTED, "store: "
			    "domain %s: schema version %d is newer than this "
			    "program's (%d); upgrade mediabridge", dom->name,
			    have, want);
		if (have == want)
			break;
		if (readonly)
			return mb_diag_set(d, MB_ERR_UNSUPPORTED, "store: "
			    "domain %s: schema version %d needs migrating; "
			    "open it read-write once", dom->name, have);
		if ((rc = st->ops->mig_begin(st, d)) != MB_OK)
			return rc;
		if ((rc = st->ops->domain_version(st, dom->name, &have, d)) !=
		    MB_OK)
			goto fail;
		if (have >= want) {
			/* Another process went first. */
			st->ops->mig_end(st, false, NULL);
			continue;
		}
		if ((rc = st->ops->exec(st, steps[have], d)) != MB_OK) {
			mb_diag_prefix(d, "domain %s: migration %d", dom->name,
			    have + 1);
			goto fail;
		}
		if ((rc = st->ops->domain_version_set(st, dom->name, have + 1,
		    d)) != MB_OK)
			goto fail;
		if ((rc = st->ops->mig_end(st, true, d)) != MB_OK)
			return rc;
		have++;
	}
	/* A new store says nothing; an upgraded one says what happened. */
	if (from > 0 && from < want)
		log_info("store: migrated domain=%s schema=%d to=%d",
		    dom->name, from, want);
	return MB_OK;
fail:
	st->ops->mig_end(st, false, NULL);
	return rc;
}

int
mb_store__migrate_domains(struct mb_store *st, bool readonly,
    struct mb_diag *d)
{
	int rc;

	for (const struct mb_store_domain *const *dp = st->domains;
	    dp != NULL && *dp != NULL; dp++)
		if ((rc = migrate(st, *dp, readonly, d)) != MB_OK)
			return rc;
	return MB_OK;
}

bool
mb_store__has_domain(const struct mb_store *st, const char *name)
{
	for (const struct mb_store_domain *const *dp = st->domains;
	    dp != NULL && *dp != NULL; dp++)
		if (strcmp((*dp)->name, name) == 0)
			return true;
	return false;
}

int
mb_store__domain_version(struct mb_store *st, const char *domain,
    int *version, struct mb_diag *d)
{
	return st->ops->domain_version(st, domain, version, d);
}
