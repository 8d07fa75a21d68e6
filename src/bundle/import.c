/* SPDX-License-Identifier: MIT */
/* bundle import: a bundle checked whole while it streams in, then applied through the exchange's path. */
#include "bundle/bundle.h"
#include "bundle_int.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "base/blobpath.h"
#include "base/fs.h"
#include "base/timeutil.h"
#include "item/id.h"
#include "item/json.h"
#include "item/json_scan.h"
#include "media/media.h"
#include "store/bundles.h"
#include "sync/apply.h"
#include "sync/registry.h"

/* A member the manifest promises, in the order it promises them. */
struct member {
	char	name[80];
	char	sha256[65];
	char	mime[48];
	int64_t	size;
	/*
	 * A blob once checked: the staging file it waits in (allocated
	 * then: a manifest may list a million members).
	 */
	char	*staged;
};

struct reading {
	const struct mb_center_node	*n;
	struct mb_store			*st;
	const char			*file;
	struct archive			*a;
	json_t				*manifest;	/* its "bundle" */
	struct member			*m;
	size_t				 nm;
	char				 exporter[MB_CENTER_MAX + 1];
	int64_t				 after, through;
	struct mb_buf			 man, registry, log;
	json_t				*refs;	/* {hash: true}: the log's blobs */
	uint8_t				 pk[MB_PUBKEY_LEN];
	bool				 registry_read;	/* before the manifest's tree */
	struct mb_diag			*d;
};

static int refuse(struct reading *rd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
refuse(struct reading *rd, const char *fmt, ...)
{
	va_list	ap;
	char	why[512];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return mb_diag_set(rd->d, MB_ERR_INVAL, "%s: %s", rd->file, why);
}

/* Reads the current member, exactly size bytes, into out. */
static int
read_all(struct reading *rd, const char *name, int64_t size,
    struct mb_buf *out)
{
	char		buf[65536];
	int64_t		got = 0;
	la_ssize_t	k;

	mb_buf_reset(out);
	if (mb_buf_reserve(out, (size_t)size + 1) != MB_OK)
		return mb_diag_set(rd->d, MB_ERR_NOMEM, "out of memory");
	while ((k = archive_read_data(rd->a, buf, sizeof(buf))) > 0) {
		if (got + k > size)
			return refuse(rd, "%s: longer than its header says",
			    name);
		mb_buf_append(out, buf, (size_t)k);
		got += k;
	}
	if (k < 0)
		return mb_diag_set(rd->d, MB_ERR_INVAL, "%s: %s: %s",
		    rd->file, name, archive_error_string(rd->a));
	if (got != size)
		return refuse(rd, "%s: shorter than its header says", name);
	return MB_OK;
}

/* The next header: a regular file named want, of the size promised. */
static int
next_member(struct reading *rd, const char *want, int64_t size, bool sized,
    int64_t *got)
{
	struct archive_entry	*e;
	const char		*name;
	int			 r;

	if ((r = archive_read_next_header(rd->a, &e)) == ARCHIVE_EOF)
		return refuse(rd, "truncated: %s is missing", want);
	if (r != ARCHIVE_OK)
		return mb_diag_set(rd->d, MB_ERR_INVAL, "%s: not a bundle (%s)",
		    rd->file, archive_error_string(rd->a) != NULL ?
		    archive_error_string(rd->a) : "unreadable");
	name = archive_entry_pathname(e);
	if (name == NULL || strcmp(name, want) != 0)
		return refuse(rd, "member %s where %s was due",
		    name != NULL ? name : "(no name)", want);
	if (archive_entry_filetype(e) != AE_IFREG ||
	    archive_entry_hardlink(e) != NULL ||
	    archive_entry_symlink(e) != NULL)
		return refuse(rd, "member %s is not a regular file", name);
	if (!archive_entry_size_is_set(e) || (sized &&
	    archive_entry_size(e) != size))
		return refuse(rd, "member %s is not the size the manifest "
		    "says", name);
	if (got != NULL)
		*got = archive_entry_size(e);
	return MB_OK;
}

/*
 * A media type as serve sends it in Content-Type: type/subtype of
 * RFC 6838's restricted-name characters, nothing more (the first
 * import of a blob records its type, and /media/ answers with it).
 */
static bool
mime_ok(const char *mime, size_t max)
{
	size_t	n, slash = 0;

	if (mime == NULL || (n = strlen(mime)) == 0 || n >= max)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)mime[i];

		if (c == '/') {
			if (slash++ > 0 || i == 0 || i + 1 == n)
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("!#$&^_.+-", c) != NULL))
			return false;
	}
	return slash == 1;
}

static int
by_hash(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Each blob once, and room for them all: a signed manifest could list
 * the same blob a thousand times, each staged (up to 4 GiB) before any
 * is placed. The space asked is what the blobs promise; statvfs's
 * f_bavail is what an unprivileged writer may use.
 */
static int
blobs_once(struct reading *rd)
{
	const char	**sorted;
	struct statvfs	 vfs;
	size_t		 nb = 0;
	int64_t		 need = 0;

	if ((sorted = malloc((rd->nm + 1) * sizeof(*sorted))) == NULL)
		return mb_diag_set(rd->d, MB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < rd->nm; i++)
		if (strncmp(rd->m[i].name, MB_BUNDLE_BLOBS, 6) == 0) {
			sorted[nb++] = rd->m[i].sha256;
			need += rd->m[i].size;
		}
	qsort(sorted, nb, sizeof(*sorted), by_hash);
	for (size_t i = 1; i < nb; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0) {
			const char *h = sorted[i];

			free(sorted);
			return refuse(rd, "manifest: blob %s is listed twice", h);
		}
	free(sorted);
	if (need > 0 && statvfs(rd->n->conf.dir, &vfs) == 0 &&
	    (uint64_t)need > (uint64_t)vfs.f_bavail * vfs.f_frsize)
		return mb_diag_set(rd->d, MB_ERR_IO, "%s: its blobs need %lld "
		    "MB and %s has %llu MB free: nothing imported", rd->file,
		    (long long)(need >> 20), rd->n->conf.dir,
		    (unsigned long long)((uint64_t)vfs.f_bavail *
		    vfs.f_frsize >> 20));
	return MB_OK;
}

/* The manifest's members, each name and size checked before any read. */
static int
members_of(struct reading *rd)
{
	json_t	*list = json_object_get(rd->manifest, "members"), *j;
	size_t	 i;
	int	 logs = 0;

	if (!json_is_array(list) || json_array_size(list) > 1000000)
		return refuse(rd, "manifest: members is not a list");
	if ((rd->m = calloc(json_array_size(list) + 1, sizeof(*rd->m))) ==
	    NULL)
		return mb_diag_set(rd->d, MB_ERR_NOMEM, "out of memory");
	json_array_foreach(list, i, j) {
		struct member	*m = &rd->m[i];
		const char	*name = mb_bundle__str(j, "name");
		const char	*h = mb_bundle__str(j, "sha256");
		const char	*mime = mb_bundle__str(j, "mime");
		int64_t		 max;

		if (name == NULL || h == NULL || !mb_blob_hash_ok(h) ||
		    !mb_bundle__int(j, "size", &m->size) || m->size < 0 ||
		    strlen(name) >= sizeof(m->name))
			return refuse(rd, "manifest: member %zu is not "
			    "{name, sha256, size}", i);
		if (strcmp(name, MB_BUNDLE_REGISTRY) == 0 && i == 0)
			max = MB_BUNDLE_REGISTRY_MAX;
		else if (strcmp(name, MB_BUNDLE_LOG) == 0 && logs++ == 0 &&
		    i <= 1)
			max = MB_BUNDLE_LOG_MAX;
		else if (strncmp(name, MB_BUNDLE_BLOBS, 6) == 0 && logs == 1 &&
		    strcmp(name + 6, h) == 0 && mime_ok(mime, sizeof(m->mime)))
			max = MB_BUNDLE_BLOB_MAX;
		else
			return refuse(rd, "manifest: member %s is not one a "
			    "bundle has, or is out of order", name);
		if (m->size > max)
			return refuse(rd, "manifest: member %s is larger than "
			    "a bundle may hold", name);
		snprintf(m->name, sizeof(m->name), "%s", name);
		snprintf(m->sha256, sizeof(m->sha256), "%s", h);
		snprintf(m->mime, sizeof(m->mime), "%s", mime != NULL ? mime :
		    "");
	}
	if (logs != 1)
		return refuse(rd, "manifest: no %s", MB_BUNDLE_LOG);
	rd->nm = json_array_size(list);
	return blobs_once(rd);
}

/* The manifest: the first member, bounded before it is read. */
static int
read_manifest_member(struct reading *rd)
{
	int64_t	size;
	int	rc;

	if ((rc = next_member(rd, MB_BUNDLE_MANIFEST, 0, false, &size)) !=
	    MB_OK)
		return rc;
	if (size <= 0 || size > MB_BUNDLE_MANIFEST_MAX)
		return refuse(rd, "%s: empty or larger than a manifest may be",
		    MB_BUNDLE_MANIFEST);
	return read_all(rd, MB_BUNDLE_MANIFEST, size, &rd->man);
}

/* Checks data against the member's promised hash. */
static int
hash_ok(struct reading *rd, const struct member *m, const void *data,
    size_t len)
{
	char hex[65];

	mb_bundle__sha256(data, len, hex);
	if (strcmp(hex, m->sha256) != 0)
		return refuse(rd, "%s: its SHA-256 is not the manifest's",
		    m->name);
	return MB_OK;
}

struct find_center {
	const char	*id;
	uint8_t		 pk[MB_PUBKEY_LEN];
	char		 status[16];
	bool		 found;
};

static int
find_center(const struct mb_center *c, void *arg)
{
	struct find_center *f = arg;

	if (strcmp(c->id, f->id) == 0) {
		memcpy(f->pk, c->key, sizeof(f->pk));
		snprintf(f->status, sizeof(f->status), "%s", c->status);
		f->found = true;
	}
	return MB_OK;
}

/* The HQ key this center pins (its own, at HQ). */
static int
hq_key(struct reading *rd, uint8_t hq[MB_PUBKEY_LEN])
{
	if (strcmp(rd->n->conf.role, "hq") == 0)
		memcpy(hq, rd->n->pk, MB_PUBKEY_LEN);
	else if (mb_pubkey_parse(rd->n->conf.hq_key, hq, rd->d) != MB_OK)
		return mb_diag_set(rd->d, MB_ERR_INVAL, "mediabridge.conf: "
		    "[hq] key: not a public key");
	return MB_OK;
}

/*
 * The exporter's key from the bundle's own registry (checked with the
 * HQ key this center trusts), for a center this one does not know yet.
 */
static int
key_from_registry(struct reading *rd)
{
	struct find_center	f = { rd->exporter, { 0 }, "", false };
	uint8_t			hq[MB_PUBKEY_LEN];
	int64_t			version;
	int			rc;

	if ((rc = hq_key(rd, hq)) != MB_OK)
		return rc;
	if ((rc = mb_sync_registry_verify(rd->registry.data, rd->registry.len,
	    hq, &version, find_center, &f, rd->d)) != MB_OK) {
		mb_diag_prefix(rd->d, "%s: %s", rd->file, MB_BUNDLE_REGISTRY);
		return rc;
	}
	if (!f.found)
		return refuse(rd, "from %s, a center neither this one nor the "
		    "bundle's registry knows", rd->exporter);
	if (strcmp(f.status, "active") != 0)
		return refuse(rd, "from %s, which the registry lists as %s",
		    rd->exporter, f.status);
	memcpy(rd->pk, f.pk, sizeof(rd->pk));
	return MB_OK;
}

/* The manifest's signature, on its bytes: before any tree is built. */
static int
check_signature(struct reading *rd)
{
	int rc;

	if ((rc = mb_bundle__check_raw(rd->man.data, rd->man.len, "bundle",
	    rd->pk, rd->d)) != MB_OK) {
		mb_diag_prefix(rd->d, "%s: signed by %s?", rd->file,
		    rd->exporter);
		return rc;
	}
	return MB_OK;
}

/* A blob streamed into a staging file beside the blobs, hashed as it goes. */
static int
stage_blob(struct reading *rd, struct member *m)
{
	crypto_hash_sha256_state	h;
	uint8_t				sum[crypto_hash_sha256_BYTES];
	char				hex[65], top[1100], path[1200];
	char				buf[65536];
	unsigned char			head[MB_MEDIA_HEAD_LEN];
	size_t				headlen = 0;
	int64_t				got = 0;
	la_ssize_t			k;
	int				fd, rc = MB_OK;

	if ((rc = mb_fs_join(top, sizeof(top), rd->n->conf.dir,
	    MB_BLOB_TOP)) != MB_OK || (rc = mb_fs_mkdirs(top, 0755,
	    rd->d)) != MB_OK)
		return rc == MB_OK ? MB_OK : rc;
	snprintf(path, sizeof(path), "%s/.bundle-XXXXXX", top);
	if ((fd = mkstemp(path)) < 0)
		return mb_diag_set(rd->d, MB_ERR_IO, "%s: %s", top,
		    strerror(errno));
	if ((m->staged = strdup(path)) == NULL) {
		unlink(path);
		close(fd);
		return mb_diag_set(rd->d, MB_ERR_NOMEM, "out of memory");
	}
	/* As every blob writer's: serve may run as another user. */
	if (fchmod(fd, 0644) != 0) {
		close(fd);
		return mb_diag_set(rd->d, MB_ERR_IO, "%s: %s", m->staged,
		    strerror(errno));
	}
	crypto_hash_sha256_init(&h);
	while ((k = archive_read_data(rd->a, buf, sizeof(buf))) > 0) {
		if (got + k > m->size) {
			rc = refuse(rd, "%s: longer than the manifest says",
			    m->name);
			break;
		}
		crypto_hash_sha256_update(&h, (const unsigned char *)buf,
		    (unsigned long long)k);
		if (headlen < sizeof(head)) {
			size_t take = sizeof(head) - headlen < (size_t)k ?
			    sizeof(head) - headlen : (size_t)k;

			memcpy(head + headlen, buf, take);
			headlen += take;
		}
		if (write(fd, buf, (size_t)k) != k) {
			rc = mb_diag_set(rd->d, MB_ERR_IO, "%s: %s",
			    m->staged, strerror(errno));
			break;
		}
		got += k;
	}
	if (rc == MB_OK && k < 0)
		rc = mb_diag_set(rd->d, MB_ERR_INVAL, "%s: %s: %s", rd->file,
		    m->name, archive_error_string(rd->a));
	if (rc == MB_OK && got != m->size)
		rc = refuse(rd, "%s: shorter than the manifest says", m->name);
	if (rc == MB_OK) {
		crypto_hash_sha256_final(&h, sum);
		sodium_bin2hex(hex, sizeof(hex), sum, sizeof(sum));
		if (strcmp(hex, m->sha256) != 0)
			rc = refuse(rd, "%s: its SHA-256 is not the "
			    "manifest's", m->name);
	}
	if (rc == MB_OK && fsync(fd) != 0)
		rc = mb_diag_set(rd->d, MB_ERR_IO, "%s: %s", m->staged,
		    strerror(errno));
	close(fd);
	/*
	 * The manifest's type is the exporter's word: recorded as a fetch
	 * records one (served under it only when the bytes are that type).
	 */
	if (rc == MB_OK)
		snprintf(m->mime, sizeof(m->mime), "%s", mb_media_checked_type(
		    m->mime, head, headlen));
	return rc;
}

static int
add_ref(const char *hash, const json_t *rendition, void *arg)
{
	(void)rendition;
	return json_object_set_new(arg, hash, json_true()) == 0 ? MB_OK :
	    MB_ERR_NOMEM;
}

/*
 * The blobs the log's envelopes refer to (mb_media_item_blobs, the one
 * rule), the only ones taken: a blob no version names is not the
 * exchange's to store, and a center would serve it. Most lines name
 * none, and without \u escapes one that does has these bytes (export's
 * rule): the others are not parsed.
 */
static int
referred_blobs(struct reading *rd)
{
	const char	*p = rd->log.data != NULL ? rd->log.data : "";
	const char	*end = p + rd->log.len, *nl;
	int		 rc = MB_OK;

	if ((rd->refs = json_object()) == NULL)
		return mb_diag_set(rd->d, MB_ERR_NOMEM, "out of memory");
	for (; p < end && rc == MB_OK; p = nl + 1) {
		json_t *j;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (memmem(p, (size_t)(nl - p), "\"renditions\"", 12) == NULL &&
		    memmem(p, (size_t)(nl - p), "\\u", 2) == NULL)
			continue;
		if ((j = mb_json_loadb(p, (size_t)(nl - p), 0, NULL)) == NULL)
			return refuse(rd, "%s: a line is not JSON",
			    MB_BUNDLE_LOG);
		/* Borrowed from j. */
		rc = mb_media_item_blobs(json_object_get(json_object_get(j,
		    "envelope"), "item"), add_ref, rd->refs);
		json_decref(j);
	}
	return rc == MB_ERR_NOMEM ? mb_diag_set(rd->d, rc, "out of memory") :
	    rc;
}

/*
 * Every log line against the manifest's list: the same number, each
 * line's hash and size, seqs rising within (after, through].
 */
static int
check_lines(struct reading *rd)
{
	json_t		*list = json_object_get(rd->manifest, "envelopes"), *e;
	const char	*p = rd->log.data != NULL ? rd->log.data : "";
	const char	*end = p + rd->log.len;
	int64_t		 prev = rd->after;
	size_t		 i = 0;

	if (!json_is_array(list))
		return refuse(rd, "manifest: envelopes is not a list");
	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		int64_t		 seq, size;
		const char	*h;
		char		 hex[65], want[48];

		if (nl == NULL)
			return refuse(rd, "%s: the last line has no end",
			    MB_BUNDLE_LOG);
		if ((e = json_array_get(list, i)) == NULL)
			return refuse(rd, "%s: more lines than the manifest "
			    "lists", MB_BUNDLE_LOG);
		h = mb_bundle__str(e, "sha256");
		if (!mb_bundle__int(e, "seq", &seq) ||
		    !mb_bundle__int(e, "size", &size) || h == NULL)
			return refuse(rd, "manifest: an envelope is not {seq, "
			    "sha256, size}");
		if (seq <= prev || seq > rd->through)
			return refuse(rd, "manifest: envelope seqs out of "
			    "order or outside the log's range");
		snprintf(want, sizeof(want), "{\"seq\":%lld,", (long long)seq);
		mb_bundle__sha256(p, (size_t)(nl - p), hex);
		if (size != nl - p || strcmp(hex, h) != 0 ||
		    strncmp(p, want, strlen(want)) != 0)
			return refuse(rd, "%s: a line is not the one the "
			    "manifest lists", MB_BUNDLE_LOG);
		prev = seq;
		i++;
		p = nl + 1;
	}
	if (i != json_array_size(list))
		return refuse(rd, "%s: fewer lines than the manifest lists",
		    MB_BUNDLE_LOG);
	return MB_OK;
}

/*
 * Whose the manifest is and that they signed it, before its tree is
 * built: the exporter named in its bytes; a center known here (not
 * revoked), else the one the bundle's registry (the next member, read
 * now and checked with the HQ key this center pins) lists as active;
 * then that center's signature on the manifest's bytes.
 */
static int
check_signer(struct reading *rd)
{
	struct mb_center	c;
	int64_t			size;
	int			rc;

	rc = mb_bundle__peek(rd->man.data, rd->man.len, "bundle", "exporter",
	    rd->exporter, sizeof(rd->exporter));
	if (rc != MB_OK || !mb_bundle__center_ok(rd->exporter))
		return refuse(rd, "manifest: no valid exporter (or not a "
		    "signed bundle manifest as one is written)");
	if (strcmp(rd->exporter, rd->n->conf.id) == 0)
		return refuse(rd, "a bundle from this center itself");
	rc = mb_store_center_get(rd->st, rd->exporter, &c, rd->d);
	if (rc == MB_OK) {
		if (strcmp(c.status, "revoked") == 0)
			return refuse(rd, "from %s, a center revoked here",
			    rd->exporter);
		memcpy(rd->pk, c.key, sizeof(rd->pk));
		return check_signature(rd);
	}
	if (rc != MB_ERR_NOTFOUND)
		return rc;
	if ((rc = next_member(rd, MB_BUNDLE_REGISTRY, 0, false, &size)) !=
	    MB_OK) {
		mb_diag_prefix(rd->d, "from %s, a center this one does not "
		    "know, and the bundle brings no registry for it",
		    rd->exporter);
		return rc;
	}
	if (size < 0 || size > MB_BUNDLE_REGISTRY_MAX)
		return refuse(rd, "%s: larger than a registry may be",
		    MB_BUNDLE_REGISTRY);
	if ((rc = read_all(rd, MB_BUNDLE_REGISTRY, size, &rd->registry)) !=
	    MB_OK || (rc = key_from_registry(rd)) != MB_OK)
		return rc;
	rd->registry_read = true;
	return check_signature(rd);
}

/*
 * The manifest's tree, once signed: still bounded, since a center the
 * registry lists may be hostile too. 16M values (about 700 MB of tree
 * at most) hold a million envelopes (13 values each) with their blobs;
 * a larger export is split into volumes (--max-size).
 */
static const struct mb_json_limits manifest_limits = {
	.depth = 8, .values = 16u << 20, .token = 4096,
};

/* Opens the archive and checks everything in it; applies nothing. */
static int
check_bundle(struct reading *rd)
{
	const char	*format, *exporter;
	json_t		*log, *to;
	int		 rc;

	if ((rd->a = archive_read_new()) == NULL)
		return mb_diag_set(rd->d, MB_ERR_NOMEM, "out of memory");
	/* tar in zstd only: no other format, filter or program is run. */
	if (archive_read_support_filter_zstd(rd->a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(rd->a) != ARCHIVE_OK)
		return mb_diag_set(rd->d, MB_ERR_INVAL, "%s: libarchive "
		    "reads no tar in zstd here (%s)", rd->file,
		    archive_error_string(rd->a) != NULL ?
		    archive_error_string(rd->a) : "no reason given");
	if (archive_read_open_filename(rd->a, rd->file, 65536) != ARCHIVE_OK)
		return mb_diag_set(rd->d, MB_ERR_INVAL, "%s: %s", rd->file,
		    archive_error_string(rd->a));

	/* The manifest, first and bounded, and who signed it. */
	if ((rc = read_manifest_member(rd)) != MB_OK ||
	    (rc = check_signer(rd)) != MB_OK)
		return rc;
	if ((rc = mb_json_scan(rd->man.data, rd->man.len, &manifest_limits,
	    rd->d)) != MB_OK) {
		mb_diag_prefix(rd->d, "%s: %s", rd->file, MB_BUNDLE_MANIFEST);
		return MB_ERR_INVAL;
	}
	if ((rc = mb_bundle__open(rd->man.data, rd->man.len, "bundle",
	    &rd->manifest, rd->d)) != MB_OK) {
		mb_diag_prefix(rd->d, "%s", rd->file);
		return rc;
	}
	format = mb_bundle__str(rd->manifest, "format");
	exporter = mb_bundle__str(rd->manifest, "exporter");
	log = json_object_get(rd->manifest, "log");
	to = json_object_get(rd->manifest, "for");
	if (format == NULL || strcmp(format, MB_BUNDLE_FORMAT) != 0)
		return refuse(rd, "format %s is not " MB_BUNDLE_FORMAT,
		    format != NULL ? format : "(none)");
	if (exporter == NULL || strcmp(exporter, rd->exporter) != 0)
		return refuse(rd, "manifest: no valid exporter");
	if (!mb_bundle__int(log, "after", &rd->after) ||
	    !mb_bundle__int(log, "through", &rd->through) || rd->after < 0 ||
	    rd->through < rd->after)
		return refuse(rd, "manifest: log is not {after, through}");
	/*
	 * Made for another center, it leaves out what that one sent or
	 * signed (split horizon): taken here, those versions would be
	 * missing for good, since the mark and the ack would pass them.
	 */
	if (to != NULL && !json_is_null(to) && !json_is_string(to))
		return refuse(rd, "manifest: for is neither a center nor null");
	if (json_is_string(to) && strcmp(json_string_value(to),
	    rd->n->conf.id) != 0)
		return refuse(rd, "made for %s, not for %s: import it there, "
		    "or ask %s for one made --for %s", json_string_value(to),
		    rd->n->conf.id, rd->exporter, rd->n->conf.id);
	if ((rc = members_of(rd)) != MB_OK)
		return rc;
	if (rd->registry_read && strcmp(rd->m[0].name, MB_BUNDLE_REGISTRY) !=
	    0)
		return refuse(rd, "manifest: no %s, yet the bundle holds one",
		    MB_BUNDLE_REGISTRY);

	for (size_t i = 0; i < rd->nm; i++) {
		struct member *m = &rd->m[i];

		if (i == 0 && rd->registry_read) {
			/* Read already, to learn the signer's key. */
			if ((int64_t)rd->registry.len != m->size)
				return refuse(rd, "member %s is not the size "
				    "the manifest says", m->name);
			if ((rc = hash_ok(rd, m, rd->registry.data,
			    rd->registry.len)) != MB_OK)
				return rc;
			continue;
		}
		if ((rc = next_member(rd, m->name, m->size, true, NULL)) !=
		    MB_OK)
			return rc;
		if (strcmp(m->name, MB_BUNDLE_REGISTRY) == 0) {
			if ((rc = read_all(rd, m->name, m->size,
			    &rd->registry)) != MB_OK ||
			    (rc = hash_ok(rd, m, rd->registry.data,
			    rd->registry.len)) != MB_OK)
				return rc;
		} else if (strcmp(m->name, MB_BUNDLE_LOG) == 0) {
			if ((rc = read_all(rd, m->name, m->size, &rd->log)) !=
			    MB_OK || (rc = hash_ok(rd, m, rd->log.data,
			    rd->log.len)) != MB_OK ||
			    (rc = referred_blobs(rd)) != MB_OK)
				return rc;
		} else if (json_object_get(rd->refs, m->sha256) == NULL) {
			/* Not staged: place_blobs passes it by. */
			if (archive_read_data_skip(rd->a) != ARCHIVE_OK)
				return mb_diag_set(rd->d, MB_ERR_INVAL, "%s: "
				    "%s: %s", rd->file, m->name,
				    archive_error_string(rd->a));
		} else if ((rc = stage_blob(rd, m)) != MB_OK)
			return rc;
	}
	{
		struct archive_entry	*e;
		int			 r = archive_read_next_header(rd->a, &e);

		if (r == ARCHIVE_OK)
			return refuse(rd, "member %s is not in the manifest",
			    archive_entry_pathname(e));
		if (r != ARCHIVE_EOF)
			return mb_diag_set(rd->d, MB_ERR_INVAL, "%s: %s",
			    rd->file, archive_error_string(rd->a));
	}
	return check_lines(rd);
}

struct overlay {
	struct mb_sync_keyring	*kr;
	const char		*own;
};

static int
overlay_center(const struct mb_center *c, void *arg)
{
	struct overlay *o = arg;

	/* This center's own row keeps its own key (registry.c's rule). */
	if (strcmp(c->id, o->own) == 0)
		return MB_OK;
	return mb_sync_keyring_put(o->kr, c) == MB_OK ? MB_OK :
	    MB_ERR_NOMEM;
}

/*
 * The keys the bundle's versions are checked with: this center's, as
 * the bundle's registry would leave them once applied (when newer than
 * the one here), so that a bundle refused changes nothing, not even
 * the registry.
 */
static int
keyring_for(struct reading *rd, struct mb_sync_keyring **out)
{
	struct overlay	o = { NULL, rd->n->conf.id };
	uint8_t		hq[MB_PUBKEY_LEN];
	int64_t		v;
	int		rc;

	if ((rc = mb_sync_keyring_load(rd->st, &o.kr, rd->d)) != MB_OK)
		return rc;
	if (rd->registry.len > 0 && ((rc = hq_key(rd, hq)) != MB_OK ||
	    (rc = mb_sync_registry_verify(rd->registry.data, rd->registry.len,
	    hq, &v, NULL, NULL, rd->d)) != MB_OK || (v >
	    mb_sync_registry_version(rd->st) && (rc = mb_sync_registry_verify(
	    rd->registry.data, rd->registry.len, hq, &v, overlay_center, &o,
	    rd->d)) != MB_OK))) {
		mb_sync_keyring_free(o.kr);
		mb_diag_prefix(rd->d, "%s: %s", rd->file, MB_BUNDLE_REGISTRY);
		return rc;
	}
	*out = o.kr;
	return MB_OK;
}

static void
reading_free(struct reading *rd)
{
	for (size_t i = 0; rd->m != NULL && i < rd->nm; i++)
		if (rd->m[i].staged != NULL) {
			unlink(rd->m[i].staged);
			free(rd->m[i].staged);
		}
	free(rd->m);
	if (rd->a != NULL)
		archive_read_free(rd->a);
	json_decref(rd->manifest);
	json_decref(rd->refs);
	mb_buf_free(&rd->man);
	mb_buf_free(&rd->registry);
	mb_buf_free(&rd->log);
}

/*
 * The checked blobs into their place, each recorded in the store;
 * *placed counts those that were not here yet.
 */
static int
place_blobs(struct reading *rd, int64_t *placed)
{
	char	path[1200], dir[1200];
	bool	added;
	int	rc;

	for (size_t i = 0; i < rd->nm; i++) {
		struct member *m = &rd->m[i];

		if (m->staged == NULL)
			continue;
		if ((rc = mb_blob_dir(rd->n->conf.dir, m->sha256, dir,
		    sizeof(dir))) != MB_OK || (rc = mb_blob_path(
		    rd->n->conf.dir, m->sha256, path, sizeof(path))) != MB_OK)
			return mb_diag_set(rd->d, rc, "blob %s: bad name",
			    m->sha256);
		if ((rc = mb_fs_mkdirs(dir, 0755, rd->d)) != MB_OK)
			return rc;
		/*
		 * A blob already here is the same bytes: keep it (recorded
		 * again, in case only the file was), and count only what
		 * this import added.
		 */
		if (access(path, F_OK) == 0) {
			unlink(m->staged);
			added = false;
		} else if (rename(m->staged, path) != 0)
			return mb_diag_set(rd->d, MB_ERR_IO, "%s: %s", path,
			    strerror(errno));
		else
			added = true;
		free(m->staged);
		m->staged = NULL;
		if ((rc = mb_store_blob_put(rd->st, m->sha256, m->mime,
		    m->size, mb_time_now_ms(), rd->d)) != MB_OK)
			return rc;
		if (added)
			(*placed)++;
	}
	return MB_OK;
}

int
mb_bundle_import(const struct mb_center_node *n, struct mb_store *st,
    const char *file, struct mb_bundle_import_result *r, struct mb_diag *d)
{
	struct reading			 rd;
	struct mb_bundle_mark		 mark;
	struct mb_sync_keyring		*kr = NULL;
	struct mb_sync_batch		*b = NULL;
	struct mb_sync_apply_result	 ar;
	const char			*unknown, *why;
	char				 hex[65];
	int64_t				 seq;
	int				 rc;

	memset(r, 0, sizeof(*r));
	memset(&rd, 0, sizeof(rd));
	rd.n = n;
	rd.st = st;
	rd.file = file;
	rd.d = d;
	if ((rc = check_bundle(&rd)) != MB_OK)
		goto out;
	snprintf(r->exporter, sizeof(r->exporter), "%s", rd.exporter);
	r->after = rd.after;
	r->through = rd.through;

	/*
	 * One missing before it: the last one from there ended earlier
	 * (none imported yet: it must start at the beginning).
	 */
	rc = mb_store_bundle_mark(st, "in", rd.exporter, &mark, d);
	if (rc == MB_ERR_NOTFOUND)
		mark.through = 0;
	if ((rc == MB_OK || rc == MB_ERR_NOTFOUND) &&
	    rd.after > mark.through) {
		char a[24], t[24];

		snprintf(a, sizeof(a), "%lld", (long long)rd.after);
		snprintf(t, sizeof(t), "%lld", (long long)mark.through);
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: starts after %s's seq "
		    "%s, but the bundles imported here reach only %s: import "
		    "the one before it first (or export again with --ack)",
		    file, rd.exporter, a, t);
		goto out;
	}
	if (rc != MB_OK && rc != MB_ERR_NOTFOUND)
		goto out;

	/*
	 * Every version checked against the keys the bundle's registry
	 * brings, before anything is stored: one refused refuses the
	 * bundle (taken in part, the mark would pass what was refused, and
	 * the exporter would never send it again). Those of a revoked
	 * origin aside: no bundle ever will be without them (the log keeps
	 * what that center signed before), so they are skipped and counted
	 * refused as a pull does, and the mark passes them.
	 */
	if ((rc = keyring_for(&rd, &kr)) != MB_OK ||
	    (rc = mb_sync_batch_parse(rd.log.data != NULL ? rd.log.data : "",
	    rd.log.len, &b, d)) != MB_OK)
		goto out;
	mb_sync_batch_verify(b, kr, 0, mb_sync_batch_count(b));
	if ((unknown = mb_sync_batch_unknown(b)) != NULL) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: a version from %s, a "
		    "center neither this one nor the bundle's registry knows: "
		    "nothing imported", file, unknown);
		goto out;
	}
	if ((why = mb_sync_batch_refused(b, &seq)) != NULL) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "%s: %s's seq %lld refused "
		    "(%s): nothing imported", file, rd.exporter,
		    (long long)seq, why);
		goto out;
	}

	/* Checked whole: now the registry, the versions, the blobs. */
	if (rd.registry.len > 0 && (rc = mb_sync_registry_apply(st, n,
	    rd.registry.data, rd.registry.len, &r->registry, d)) != MB_OK)
		goto out;
	if ((rc = mb_sync_batch_apply_from(st, b, rd.exporter, &ar, d)) !=
	    MB_OK) {
		mb_diag_prefix(d, "%s", file);
		goto out;
	}
	r->applied = ar.applied;
	r->duplicates = ar.duplicates;
	r->refused = ar.refused;
	if ((rc = place_blobs(&rd, &r->blobs)) != MB_OK)
		goto out;
	memset(&mark, 0, sizeof(mark));
	snprintf(mark.center, sizeof(mark.center), "%s", rd.exporter);
	mark.through = rd.through;
	mb_bundle__sha256(rd.man.data, rd.man.len, hex);
	snprintf(mark.manifest, sizeof(mark.manifest), "%s", hex);
	mark.at_ms = mb_time_now_ms();
	rc = mb_store_bundle_mark_set(st, "in", &mark, d);
out:
	mb_sync_batch_free(b);
	mb_sync_keyring_free(kr);
	reading_free(&rd);
	return rc;
}
