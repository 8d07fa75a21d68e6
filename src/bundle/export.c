/* SPDX-License-Identifier: MIT */
/* bundle export: the log after a point, its media and the registry, into signed tar + zstd volumes. */
#include "bundle/bundle.h"
#include "bundle_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "base/blobpath.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "item/json.h"
#include "media/media.h"
#include "store/bundles.h"
#include "sync/log.h"
#include "sync/registry.h"

/* The versions looked at per store read. */
#define CHUNK	500

/* One volume being gathered. */
struct volume {
	int64_t		 after, through;
	struct mb_buf	 log;
	json_t		*envelopes;	/* [{seq, uri, version, sha256, size}] */
	json_t		*origins;	/* {origin: {versions, first, last}} */
	json_t		*blobs;		/* {hash: {mime, size}}, in order */
	int64_t		 bytes;		/* log and blobs so far */
	int64_t		 missing;	/* blobs the store has, files gone */
};

struct blob_pick {
	struct volume		*v;
	struct mb_store		*st;
	const char		*dir;
	enum mb_bundle_media	 media;
	int64_t			 added;
	bool			 tell;	/* warn of a missing file (once) */
	struct mb_diag		*d;
};

/*
 * A blob an exported version refers to, into the volume when the media
 * policy takes it and this node holds it. A bundle carries exactly what
 * its envelopes name: the store's references follow each item's current
 * version, which may be internal or unpublished and is not what the log
 * serves.
 */
static int
pick_blob(const char *hash, const json_t *rendition, void *arg)
{
	struct blob_pick	*p = arg;
	struct mb_store_blob	 b;
	struct stat		 sb;
	char			 path[1200];
	json_t			*o;
	int			 rc;

	(void)rendition;	/* its size and type are the sender's word */
	if (p->media == MB_BUNDLE_MEDIA_NONE ||
	    json_object_get(p->v->blobs, hash) != NULL)
		return MB_OK;
	rc = mb_store_blob_get(p->st, hash, &b, p->d);
	if (rc == MB_ERR_NOTFOUND || (rc == MB_OK && !b.here))
		return MB_OK;	/* not here: the importer fetches it later */
	if (rc != MB_OK)
		return rc;
	if (p->media == MB_BUNDLE_MEDIA_THUMBNAILS &&
	    (strncmp(b.mime, "image/", 6) != 0 || b.size >
	    MB_BUNDLE_THUMB_MAX))
		return MB_OK;
	/*
	 * The store's row says here, but the file is gone (removed by
	 * hand, a disk restored in part) or not the size recorded: left
	 * out, as a blob not here is, rather than failing the export.
	 */
	if (mb_blob_path(p->dir, hash, path, sizeof(path)) != MB_OK ||
	    stat(path, &sb) != 0 || sb.st_size != b.size) {
		if (p->tell) {
			log_warn("bundle: blob=%.12s missing here (%s): left "
			    "out, the importer fetches it later", hash, path);
			p->v->missing++;
		}
		return MB_OK;
	}
	if ((o = json_pack("{s:s, s:I}", "mime", b.mime, "size",
	    (json_int_t)b.size)) == NULL ||
	    json_object_set_new(p->v->blobs, hash, o) != 0)
		return mb_diag_set(p->d, MB_ERR_NOMEM, "out of memory");
	p->added += b.size;
	return MB_OK;
}

/* Notes the line {"seq":N,"envelope":{...}} in v's lists. */
static int
note_line(struct volume *v, struct mb_store *st, const char *dir,
    enum mb_bundle_media media, const char *line, size_t len, int64_t *seq,
    struct mb_diag *d)
{
	struct blob_pick	 p = { v, st, dir, media, 0, false, d };
	json_error_t		 je;
	json_t			*j, *env, *item, *meta, *e;
	const char		*uri, *origin;
	char			 hex[65];
	int64_t			 version;
	int			 rc = MB_OK;

	if ((j = mb_json_loadb(line, len, 0, &je)) == NULL)
		return mb_diag_set(d, MB_ERR_CORRUPT, "log line: %s", je.text);
	env = json_object_get(j, "envelope");
	item = json_object_get(env, "item");
	meta = json_object_get(env, "meta");
	uri = mb_bundle__str(item, "uri");
	origin = mb_bundle__str(meta, "origin");
	/* ninjs gives the version as a string of digits. */
	version = json_is_string(json_object_get(item, "version")) ?
	    strtoll(mb_bundle__str(item, "version"), NULL, 10) : 0;
	if (!mb_bundle__int(j, "seq", seq) || uri == NULL || origin == NULL ||
	    version <= 0) {
		rc = mb_diag_set(d, MB_ERR_CORRUPT, "log line: not a stored "
		    "envelope");
		goto out;
	}
	mb_bundle__sha256(line, len, hex);
	if ((e = json_pack("{s:I, s:s, s:I, s:s, s:s, s:I}", "seq",
	    (json_int_t)*seq, "uri", uri, "version", (json_int_t)version,
	    "origin", origin, "sha256", hex, "size", (json_int_t)len)) ==
	    NULL || json_array_append_new(v->envelopes, e) != 0) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* item is borrowed from j. */
	if ((rc = mb_media_item_blobs(item, pick_blob, &p)) != MB_OK)
		goto out;
	v->bytes += (int64_t)len + 1 + p.added;
out:
	json_decref(j);
	return rc;
}

/*
 * Gathers the versions after v->after into v, up to max bytes (at least
 * one version), through the log as the network serves it.
 */
static int
gather(struct volume *v, struct mb_store *st, const char *dir,
    const char *peer, enum mb_bundle_media media, int64_t last, int64_t max,
    struct mb_diag *d)
{
	struct mb_buf	chunk = MB_BUF_INIT;
	int64_t		cur = v->after, next, seq;
	size_t		count;
	int		rc = MB_OK;

	while (cur < last) {
		const char	*p, *end, *nl;
		bool		 full = false;

		mb_buf_reset(&chunk);
		if ((rc = mb_sync_log_build(st, peer, cur, CHUNK, &chunk,
		    &next, &count, d)) != MB_OK)
			break;
		p = chunk.data != NULL ? chunk.data : "";
		end = p + chunk.len;
		for (; p < end; p = nl + 1) {
			int64_t before = v->bytes;
			size_t	at = v->log.len;

			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			if ((rc = note_line(v, st, dir, media, p,
			    (size_t)(nl - p), &seq, d)) != MB_OK)
				goto out;
			if (v->bytes > max && before > 0) {
				/* Full: this line opens the next volume. */
				v->bytes = before;
				json_array_remove(v->envelopes,
				    json_array_size(v->envelopes) - 1);
				v->log.len = at;
				full = true;
				break;
			}
			if (mb_buf_append(&v->log, p, (size_t)(nl - p)) !=
			    MB_OK || mb_buf_putc(&v->log, '\n') != MB_OK) {
				rc = mb_diag_set(d, MB_ERR_NOMEM, "out of "
				    "memory");
				goto out;
			}
			cur = seq;
		}
		if (full || next <= cur)
			break;
		cur = next;
	}
out:
	v->through = cur;
	mb_buf_free(&chunk);
	return rc;
}

/*
 * The blobs the envelope of one log line refers to, by the policy. The
 * line was parsed once already, when gathered; most lines name no
 * blob, and without \u escapes (a relayed envelope need not be
 * canonical) one that does has these bytes: the others are not parsed
 * again.
 */
static int
line_blobs(struct blob_pick *p, const char *line, size_t len)
{
	json_t	*j;
	int	 rc;

	if (p->media == MB_BUNDLE_MEDIA_NONE ||
	    (memmem(line, len, "\"renditions\"", 12) == NULL &&
	    memmem(line, len, "\\u", 2) == NULL))
		return MB_OK;
	if ((j = mb_json_loadb(line, len, 0, NULL)) == NULL)
		return mb_diag_set(p->d, MB_ERR_CORRUPT, "log line: not JSON");
	/* Borrowed from j. */
	rc = mb_media_item_blobs(json_object_get(json_object_get(j,
	    "envelope"), "item"), pick_blob, p);
	json_decref(j);
	return rc;
}

/*
 * The per-origin ranges and the blobs, from the lines kept: a full
 * volume counted the blobs of the line it put back, and a blob belongs
 * in the volume whose envelopes refer to it.
 */
static int
settle(struct volume *v, struct mb_store *st, const char *dir,
    enum mb_bundle_media media, struct mb_diag *d)
{
	struct blob_pick	 p = { v, st, dir, media, 0, true, d };
	const char		*l, *end, *nl;
	size_t			 i;
	json_t			*e, *o;
	int			 rc;

	json_object_clear(v->blobs);
	json_object_clear(v->origins);
	json_array_foreach(v->envelopes, i, e) {
		const char	*origin = mb_bundle__str(e, "origin");
		json_t		*seq = json_object_get(e, "seq");

		if ((o = json_object_get(v->origins, origin)) == NULL) {
			if ((o = json_pack("{s:i, s:O}", "versions", 0,
			    "first", seq)) == NULL ||
			    json_object_set_new(v->origins, origin, o) != 0)
				return mb_diag_set(d, MB_ERR_NOMEM, "out of "
				    "memory");
		}
		json_object_set_new(o, "versions", json_integer(
		    json_integer_value(json_object_get(o, "versions")) + 1));
		json_object_set(o, "last", seq);
	}
	/* The kept lines, one an envelope, each ending in a newline. */
	l = v->log.data != NULL ? v->log.data : "";
	end = l + v->log.len;
	for (; l < end; l = nl + 1) {
		if ((nl = memchr(l, '\n', (size_t)(end - l))) == NULL)
			nl = end;
		if ((rc = line_blobs(&p, l, (size_t)(nl - l))) != MB_OK)
			return rc;
	}
	return MB_OK;
}

static int
arc_err(struct archive *a, const char *file, struct mb_diag *d)
{
	return mb_diag_set(d, MB_ERR_IO, "%s: %s", file,
	    archive_error_string(a) != NULL ? archive_error_string(a) :
	    "cannot write");
}

static int
put_member(struct archive *a, const char *file, const char *name,
    const void *data, size_t len, int64_t mtime, struct mb_diag *d)
{
	struct archive_entry	*e;
	int			 rc = MB_OK;

	if ((e = archive_entry_new()) == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (len > 0 && archive_write_data(a, data, len) != (la_ssize_t)len))
		rc = arc_err(a, file, d);
	archive_entry_free(e);
	return rc;
}

/* A blob file streamed in, checked against the size the store has. */
static int
put_blob(struct archive *a, const char *file, const char *dir,
    const char *hash, int64_t size, int64_t mtime, struct mb_diag *d)
{
	struct archive_entry	*e;
	char			 path[1200], name[80], buf[65536];
	struct stat		 sb;
	int64_t			 left = size;
	int			 fd, rc = MB_OK;

	if ((rc = mb_blob_path(dir, hash, path, sizeof(path))) != MB_OK)
		return mb_diag_set(d, rc, "blob %s: bad name", hash);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return mb_diag_set(d, MB_ERR_IO, "blob %s: %s", hash,
		    strerror(errno));
	if (fstat(fd, &sb) != 0 || sb.st_size != size) {
		close(fd);
		return mb_diag_set(d, MB_ERR_CORRUPT, "blob %s: the file is "
		    "%lld bytes, the store says %lld", hash,
		    (long long)sb.st_size, (long long)size);
	}
	snprintf(name, sizeof(name), MB_BUNDLE_BLOBS "%s", hash);
	if ((e = archive_entry_new()) == NULL) {
		close(fd);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		rc = arc_err(a, file, d);
	while (rc == MB_OK && left > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0) {
			rc = mb_diag_set(d, MB_ERR_IO, "blob %s: %s", hash,
			    n < 0 ? strerror(errno) : "shorter than it was");
			break;
		}
		if (archive_write_data(a, buf, (size_t)n) != n)
			rc = arc_err(a, file, d);
		left -= n;
	}
	archive_entry_free(e);
	close(fd);
	return rc;
}

static json_t *
member(const char *name, const void *data, size_t len)
{
	char hex[65];

	mb_bundle__sha256(data, len, hex);
	return json_pack("{s:s, s:s, s:I}", "name", name, "sha256", hex,
	    "size", (json_int_t)len);
}

static const char *const media_names[] = { "none", "thumbnails", "all" };

/* Writes v as the bundle file path (through a temporary, renamed). */
static int
write_volume(const struct mb_center_node *n, struct volume *v,
    const struct mb_bundle_export_opts *o, const struct mb_buf *registry,
    const char *previous, const char *path, char manifest_hex[65],
    struct mb_diag *d)
{
	struct mb_buf	 man = MB_BUF_INIT;
	struct archive	*a = NULL;
	json_t		*body, *members, *b;
	const char	*hash;
	char		 now[MB_TIME_RFC3339_LEN], tmp[1300], name[80];
	int64_t		 ms = mb_time_now_ms();
	int		 fd = -1, rc;

	mb_time_format(ms, now);
	/* A member left out would make a bundle every importer refuses. */
	if ((members = json_array()) == NULL || (registry->len > 0 &&
	    json_array_append_new(members, member(MB_BUNDLE_REGISTRY,
	    registry->data, registry->len)) != 0) ||
	    json_array_append_new(members, member(MB_BUNDLE_LOG,
	    v->log.data != NULL ? v->log.data : "", v->log.len)) != 0) {
		json_decref(members);
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	}
	json_object_foreach(v->blobs, hash, b) {
		snprintf(name, sizeof(name), MB_BUNDLE_BLOBS "%s", hash);
		if (json_array_append_new(members, json_pack("{s:s, s:s, s:O, "
		    "s:O}", "name", name, "sha256", hash, "size",
		    json_object_get(b, "size"), "mime",
		    json_object_get(b, "mime"))) != 0) {
			json_decref(members);
			return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		}
	}
	body = json_pack("{s:s, s:s, s:o, s:s, s:{s:I, s:I}, s:O, s:o, "
	    "s:s, s:o, s:O}", "format", MB_BUNDLE_FORMAT, "exporter",
	    n->conf.id, "for", o->for_center != NULL ?
	    json_string(o->for_center) : json_null(), "created", now, "log",
	    "after", (json_int_t)v->after, "through", (json_int_t)v->through,
	    "origins", v->origins, "previous", previous != NULL ?
	    json_string(previous) : json_null(), "media",
	    media_names[o->media], "members", members, "envelopes",
	    v->envelopes);
	if (body == NULL)
		return mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
	if ((rc = mb_bundle__sign(n->key, "bundle", body, &man, d)) != MB_OK)
		return rc;
	mb_bundle__sha256(man.data, man.len, manifest_hex);

	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if ((a = archive_write_new()) == NULL) {
		rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		rc = arc_err(a, path, d);
		goto out;
	}
	if ((rc = put_member(a, path, MB_BUNDLE_MANIFEST, man.data, man.len,
	    ms / 1000, d)) != MB_OK)
		goto out;
	if (registry->len > 0 && (rc = put_member(a, path, MB_BUNDLE_REGISTRY,
	    registry->data, registry->len, ms / 1000, d)) != MB_OK)
		goto out;
	if ((rc = put_member(a, path, MB_BUNDLE_LOG, v->log.data, v->log.len,
	    ms / 1000, d)) != MB_OK)
		goto out;
	json_object_foreach(v->blobs, hash, b)
		if ((rc = put_blob(a, path, n->conf.dir, hash,
		    json_integer_value(json_object_get(b, "size")), ms / 1000,
		    d)) != MB_OK)
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		rc = arc_err(a, path, d);
		goto out;
	}
	if (fsync(fd) != 0 || rename(tmp, path) != 0) {
		rc = mb_diag_set(d, MB_ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
out:
	if (a != NULL)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (rc != MB_OK && tmp[0] != '\0' && fd >= 0)
		unlink(tmp);
	mb_buf_free(&man);
	return rc;
}

/* Where this export starts, whom it is for, and the bundle before it. */
static int
start_point(const struct mb_center_node *n, struct mb_store *st,
    const struct mb_bundle_export_opts *o, char for_center[33],
    int64_t *since, struct mb_bundle_mark *prev, bool *have_prev,
    struct mb_diag *d)
{
	int64_t	last;
	int	rc;

	for_center[0] = '\0';
	if (o->for_center != NULL)
		snprintf(for_center, 33, "%s", o->for_center);
	if (o->ack != NULL) {
		char	from[33];
		int64_t	through;

		if ((rc = mb_bundle_ack_read(n, st, o->ack, from, &through,
		    d)) != MB_OK)
			return rc;
		if (for_center[0] != '\0' && strcmp(for_center, from) != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "%s: the ack is "
			    "from %s, not %s", o->ack, from, for_center);
		snprintf(for_center, 33, "%s", from);
		*since = through;
	}
	if (for_center[0] != '\0') {
		struct mb_center c;

		if (strcmp(for_center, n->conf.id) == 0)
			return mb_diag_set(d, MB_ERR_INVAL, "--for %s: this "
			    "center itself", for_center);
		if ((rc = mb_store_center_get(st, for_center, &c, d)) != MB_OK)
			return rc == MB_ERR_NOTFOUND ? mb_diag_set(d, rc,
			    "--for %s: no such center here", for_center) : rc;
		/* As the network: a peer not active is answered nothing. */
		if (strcmp(c.status, "active") != 0)
			return mb_diag_set(d, MB_ERR_INVAL, "--for %s: %s "
			    "here, and a center not active is sent nothing",
			    for_center, c.status);
	}
	rc = mb_store_bundle_mark(st, "out", for_center[0] != '\0' ?
	    for_center : "*", prev, d);
	if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
		return rc;
	*have_prev = rc == MB_OK;
	if (o->ack == NULL)
		*since = o->since >= 0 ? o->since : *have_prev ?
		    prev->through : 0;
	/*
	 * Past the log's end, the bundle's through and so the mark would
	 * be a seq no bundle reached (the store keeps the larger one):
	 * every later export for the center would start there and leave
	 * out what the log gains meanwhile.
	 */
	last = mb_sync_log_last(st);
	if (*since > last && o->ack != NULL)
		return mb_diag_set(d, MB_ERR_INVAL, "%s: the ack says through "
		    "%lld, but this center's log ends at seq %lld: not an ack "
		    "of its bundles", o->ack, (long long)*since,
		    (long long)last);
	if (*since > last && o->since >= 0)
		return mb_diag_set(d, MB_ERR_INVAL, "--since %lld: this "
		    "center's log ends at seq %lld", (long long)*since,
		    (long long)last);
	if (*since > last)
		return mb_diag_set(d, MB_ERR_INVAL, "the last bundle for %s "
		    "ended at seq %lld, but this center's log ends at seq "
		    "%lld: give --since", for_center[0] != '\0' ? for_center :
		    "nobody in particular", (long long)*since,
		    (long long)last);
	return MB_OK;
}

int
mb_bundle_export(const struct mb_center_node *n, struct mb_store *st,
    const struct mb_bundle_export_opts *o,
    void (*print)(const char *file, void *arg), void *arg,
    struct mb_bundle_export_result *r, struct mb_diag *d)
{
	struct mb_bundle_export_opts	 eo = *o;
	struct mb_bundle_mark		 prev, mark;
	struct mb_buf			 registry = MB_BUF_INIT;
	char				 for_center[33], manifest[65];
	char				 previous[65], path[1200];
	bool				 have_prev = false;
	int64_t				 since = 0, last, version;
	int				 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = start_point(n, st, o, for_center, &since, &prev,
	    &have_prev, d)) != MB_OK)
		return rc;
	eo.for_center = for_center[0] != '\0' ? for_center : NULL;
	previous[0] = '\0';
	if (have_prev)
		snprintf(previous, sizeof(previous), "%s", prev.manifest);
	rc = mb_sync_registry_current(st, n, &registry, &version, d);
	if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
		goto out;
	last = mb_sync_log_last(st);
	r->after = since;
	do {
		struct volume v;

		memset(&v, 0, sizeof(v));
		v.after = since;
		v.envelopes = json_array();
		v.origins = json_object();
		v.blobs = json_object();
		if (v.envelopes == NULL || v.origins == NULL ||
		    v.blobs == NULL) {
			rc = mb_diag_set(d, MB_ERR_NOMEM, "out of memory");
			goto vol_out;
		}
		if ((rc = gather(&v, st, n->conf.dir, eo.for_center,
		    o->media, last, o->max_size > 0 ? o->max_size : INT64_MAX,
		    d)) != MB_OK || (rc = settle(&v, st, n->conf.dir, o->media,
		    d)) != MB_OK)
			goto vol_out;
		if (r->volumes == 0)
			snprintf(path, sizeof(path), "%s", o->out);
		else
			snprintf(path, sizeof(path), "%s.%d", o->out,
			    r->volumes + 1);
		if ((rc = write_volume(n, &v, &eo, &registry, previous[0] ?
		    previous : NULL, path, manifest, d)) != MB_OK)
			goto vol_out;
		memset(&mark, 0, sizeof(mark));
		snprintf(mark.center, sizeof(mark.center), "%s",
		    eo.for_center != NULL ? eo.for_center : "*");
		mark.through = v.through;
		snprintf(mark.manifest, sizeof(mark.manifest), "%s", manifest);
		mark.at_ms = mb_time_now_ms();
		if ((rc = mb_store_bundle_mark_set(st, "out", &mark, d)) !=
		    MB_OK)
			goto vol_out;
		snprintf(previous, sizeof(previous), "%s", manifest);
		r->volumes++;
		r->versions += (int64_t)json_array_size(v.envelopes);
		r->blobs += (int64_t)json_object_size(v.blobs);
		r->missing += v.missing;
		r->through = v.through;
		since = v.through;
		if (print != NULL)
			print(path, arg);
vol_out:
		mb_buf_free(&v.log);
		json_decref(v.envelopes);
		json_decref(v.origins);
		json_decref(v.blobs);
	} while (rc == MB_OK && since < last);
	if (rc == MB_OK && r->volumes == 0)
		rc = mb_diag_set(d, MB_ERR_INVAL, "nothing written");
out:
	mb_buf_free(&registry);
	return rc;
}
