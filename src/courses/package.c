/* SPDX-License-Identifier: MIT */
/* Offline course packages: writing the zip with its signed manifest, and checking one (a quiz's page: package_quiz.c). */
#include "package.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "base/blobpath.h"
#include "base/fs.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "courses_int.h"
#include "item/json.h"
#include "signed/proof.h"

#define DEFAULT_MAX_MEDIA (64u * 1024 * 1024)
#define VC_CONTEXT "https://www.w3.org/ns/credentials/v2"

/* ---- Writing ---- */

struct pack {
	struct archive	*a;
	struct mb_buf	*out;
	json_t		*files;		/* the manifest's list */
	size_t		 media;		/* bytes of media so far */
	int64_t		 mtime;
	struct mb_diag	*d;
};

static la_ssize_t
write_cb(struct archive *a, void *arg, const void *buf, size_t n)
{
	(void)a;
	return mb_buf_append(arg, buf, n) == MB_OK ? (la_ssize_t)n : -1;
}

static int
add_file(struct pack *p, const char *name, const void *data, size_t len,
    bool listed)
{
	struct archive_entry	*en;
	uint8_t			 h[crypto_hash_sha256_BYTES];
	char			 hex[2 * sizeof(h) + 1];
	int			 rc = MB_OK;

	if ((en = archive_entry_new()) == NULL)
		return MB_ERR_NOMEM;
	archive_entry_set_pathname(en, name);
	archive_entry_set_filetype(en, AE_IFREG);
	archive_entry_set_perm(en, 0644);
	archive_entry_set_size(en, (la_int64_t)len);
	archive_entry_set_mtime(en, (time_t)p->mtime, 0);
	if (archive_write_header(p->a, en) != ARCHIVE_OK ||
	    (len > 0 && archive_write_data(p->a, data, len) != (la_ssize_t)len))
		rc = mb_diag_set(p->d, MB_ERR_IO, "package: %s: %s", name,
		    archive_error_string(p->a) ? archive_error_string(p->a) :
		    "cannot write");
	archive_entry_free(en);
	if (rc != MB_OK || !listed)
		return rc;
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (json_array_append_new(p->files, json_pack("{s:s, s:I, s:s}",
	    "path", name, "size", (json_int_t)len, "sha256", hex)) != 0)
		return MB_ERR_NOMEM;
	return MB_OK;
}

void
mb_courses__esc(struct mb_buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': mb_buf_puts(b, "&amp;"); break;
		case '<': mb_buf_puts(b, "&lt;"); break;
		case '>': mb_buf_puts(b, "&gt;"); break;
		case '"': mb_buf_puts(b, "&quot;"); break;
		case '\'': mb_buf_puts(b, "&#39;"); break;
		default: mb_buf_putc(b, *s);
		}
	}
}

static bool
rtl(const char *lang)
{
	static const char *const r[] = { "ar", "fa", "he", "ur", "ps", "yi",
	    "dv", "ku", NULL };

	for (int i = 0; lang != NULL && r[i] != NULL; i++)
		if (strncmp(lang, r[i], 2) == 0 && (lang[2] == '\0' ||
		    lang[2] == '-'))
			return true;
	return false;
}

#define esc mb_courses__esc

/*
 * The head of every page. The policy keeps the promise that opened from
 * disk a page makes no request: only the package's own files load, and
 * a quiz's page runs its one script, allowed by its hash
 * (package_quiz.c), which makes no request either.
 */
static void
head(struct mb_buf *b, const char *lang, const char *title, bool script)
{
	char hash[MB_PACKAGE_SCRIPT_HASH_LEN] = "";

	if (script)
		mb_courses__package_csp_script(hash);
	mb_buf_puts(b, "<!doctype html>\n<html lang=\"");
	esc(b, lang != NULL ? lang : "und");
	mb_buf_printf(b, "\" dir=\"%s\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; img-src 'self' file:; media-src "
	    "'self' file:; style-src 'unsafe-inline'%s%s%s\"><title>",
	    rtl(lang) ? "rtl" : "ltr", script ? "; script-src '" : "", hash,
	    script ? "'" : "");
	esc(b, title);
	mb_buf_puts(b, "</title><style>body{font:1rem/1.5 system-ui,sans-serif;"
	    "max-width:40rem;margin:0 auto;padding:1rem;color:#111}"
	    "img,video{max-width:100%;height:auto}nav{margin:1.5rem 0}"
	    "ol li{margin:.3rem 0}fieldset{margin:1rem 0}</style></head>"
	    "<body>\n");
}

static void
nav(struct mb_buf *b, const struct mb_course *c, int step)
{
	mb_buf_puts(b, "<nav><a href=\"index.html\">");
	esc(b, c->info.title);
	mb_buf_puts(b, "</a>");
	if (step > 0)
		mb_buf_printf(b, " · <a href=\"step-%02d.html\" rel=\"prev\">"
		    "&larr; %d</a>", step, step);
	if (step + 1 < c->info.nsteps)
		mb_buf_printf(b, " · <a href=\"step-%02d.html\" rel=\"next\">"
		    "%d &rarr;</a>", step + 2, step + 2);
	mb_buf_puts(b, "</nav>\n");
}

/* "ni:///sha-256;<base64url>..." into 64 hex digits. */
static bool
ni_hex(const char *href, char hex[MB_BLOB_HASH_LEN + 1])
{
	static const char pre[] = "ni:///sha-256;";
	uint8_t		  h[32];
	size_t		  n = 0;
	const char	 *end;

	if (href == NULL || strncmp(href, pre, sizeof(pre) - 1) != 0)
		return false;
	href += sizeof(pre) - 1;
	end = href + strcspn(href, "?");
	if (sodium_base642bin(h, sizeof(h), href, (size_t)(end - href), NULL,
	    &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != sizeof(h))
		return false;
	sodium_bin2hex(hex, MB_BLOB_HASH_LEN + 1, h, sizeof(h));
	return true;
}

static const char *
ext_of(const char *ct)
{
	static const struct { const char *ct, *ext; } m[] = {
		{ "image/jpeg", "jpg" }, { "image/png", "png" },
		{ "image/webp", "webp" }, { "image/gif", "gif" },
		{ "video/mp4", "mp4" }, { "video/webm", "webm" },
		{ "audio/mpeg", "mp3" }, { "audio/ogg", "ogg" },
		{ "audio/wav", "wav" },
	};

	for (size_t i = 0; ct != NULL && i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(ct, m[i].ct) == 0)
			return m[i].ext;
	return NULL;
}

/*
 * The smallest rendition of the lesson's media that this center holds,
 * added to the package once; its path into name, "" when there is none
 * (the page says so).
 */
static int
add_media(struct pack *p, const struct mb_package_opts *o, const json_t *item,
    char name[128], const char **kind)
{
	const json_t	*r, *best = NULL;
	json_int_t	 bsize = 0;
	char		 hex[MB_BLOB_HASH_LEN + 1], path[1400], *buf;
	size_t		 i, len;
	int		 rc;

	name[0] = '\0';
	if (o->blob_dir == NULL)
		return MB_OK;
	json_array_foreach(json_object_get(item, "renditions"), i, r) {
		const char	*ct = json_string_value(json_object_get(r,
				    "contentType"));
		json_int_t	 size = json_integer_value(json_object_get(r,
				    "sizeInBytes"));

		if (ext_of(ct) == NULL || !ni_hex(json_string_value(
		    json_object_get(r, "href")), hex))
			continue;
		if (best == NULL || (size > 0 && size < bsize)) {
			best = r;
			bsize = size;
		}
	}
	if (best == NULL)
		return MB_OK;
	ni_hex(json_string_value(json_object_get(best, "href")), hex);
	/*
	 * Lessons may share a picture: its file goes in once (a zip
	 * naming it twice is one that `course check` refuses), and every
	 * page that shows it points at that one.
	 */
	snprintf(name, 128, "media/%s.%s", hex, ext_of(json_string_value(
	    json_object_get(best, "contentType"))));
	json_array_foreach(p->files, i, r)
		if (strcmp(json_string_value(json_object_get(r, "path")),
		    name) == 0) {
			*kind = json_string_value(json_object_get(best,
			    "contentType"));
			return MB_OK;
		}
	name[0] = '\0';
	if (mb_blob_path(o->blob_dir, hex, path, sizeof(path)) != MB_OK)
		return MB_OK;
	if (mb_fs_read(path, (o->max_media ? o->max_media :
	    DEFAULT_MAX_MEDIA), &buf, &len, NULL) != MB_OK)
		return MB_OK;	/* not here (yet): the page says so */
	if (p->media + len > (o->max_media ? o->max_media :
	    DEFAULT_MAX_MEDIA)) {
		free(buf);
		return MB_OK;
	}
	*kind = json_string_value(json_object_get(best, "contentType"));
	snprintf(name, 128, "media/%s.%s", hex, ext_of(*kind));
	rc = add_file(p, name, buf, len, true);
	p->media += len;
	free(buf);
	return rc;
}

static int
step_page(struct pack *p, const struct mb_package_opts *o,
    const struct mb_course *c, int i, const json_t *item,
    const char *center_url)
{
	struct mb_buf		 b = MB_BUF_INIT;
	const char		*lang = json_string_value(json_object_get(item,
				    "language"));
	const char		*title = mb_course_headline(item);
	const json_t		*body;
	char			 name[32], media[128];
	const char		*kind = NULL;
	size_t			 k;
	int			 rc = MB_OK;

	head(&b, lang, title != NULL ? title : c->info.title,
	    c->info.step[i].kind == MB_STEP_QUIZ);
	nav(&b, c, i);
	mb_buf_printf(&b, "<main><p>%d / %d", i + 1, c->info.nsteps);
	if (c->info.step[i].module != NULL) {
		mb_buf_puts(&b, " · ");
		esc(&b, c->info.step[i].module);
	}
	mb_buf_puts(&b, "</p><h1>");
	esc(&b, title != NULL ? title : "");
	mb_buf_puts(&b, "</h1>\n");
	if (c->info.step[i].kind == MB_STEP_QUIZ) {
		if ((rc = mb_courses__package_quiz(&b, c, i, item, center_url,
		    p->d)) != MB_OK)
			goto out;
	} else {
		if ((rc = add_media(p, o, item, media, &kind)) != MB_OK)
			goto out;
		if (media[0] != '\0' && strncmp(kind, "image/", 6) == 0)
			mb_buf_printf(&b, "<p><img src=\"%s\" alt=\"\"></p>\n",
			    media);
		else if (media[0] != '\0' && strncmp(kind, "video/", 6) == 0)
			mb_buf_printf(&b, "<p><video controls src=\"%s\">"
			    "</video></p>\n", media);
		else if (media[0] != '\0')
			mb_buf_printf(&b, "<p><audio controls src=\"%s\">"
			    "</audio></p>\n", media);
		json_array_foreach(json_object_get(item, "bodies"), k, body) {
			const char *v = json_string_value(json_object_get(body,
			    "value"));
			const char *ct = json_string_value(json_object_get(body,
			    "contentType"));

			if (v == NULL || (ct != NULL && strcmp(ct, "text/html")
			    != 0 && strcmp(ct, "text/plain") != 0))
				continue;
			mb_buf_puts(&b, "<div>");
			if (ct != NULL && strcmp(ct, "text/plain") == 0)
				esc(&b, v);
			else if ((rc = o->clean(v, strlen(v), &b, p->d)) !=
			    MB_OK)
				goto out;
			mb_buf_puts(&b, "</div>\n");
		}
	}
	mb_buf_puts(&b, "</main>\n");
	nav(&b, c, i);
	mb_buf_puts(&b, "</body></html>\n");
	snprintf(name, sizeof(name), "step-%02d.html", i + 1);
	rc = add_file(p, name, b.data, b.len, true);
out:
	mb_buf_free(&b);
	return rc;
}

static int
index_page(struct pack *p, const struct mb_course *c)
{
	struct mb_buf	b = MB_BUF_INIT;
	const char	*last = NULL;
	int		rc;

	head(&b, c->info.language, c->info.title, false);
	mb_buf_puts(&b, "<main><h1>");
	esc(&b, c->info.title);
	mb_buf_puts(&b, "</h1>\n");
	if (c->info.description != NULL) {
		mb_buf_puts(&b, "<p>");
		esc(&b, c->info.description);
		mb_buf_puts(&b, "</p>\n");
	}
	if (c->info.by != NULL) {
		mb_buf_puts(&b, "<p>");
		esc(&b, c->info.by);
		mb_buf_puts(&b, "</p>\n");
	}
	mb_buf_puts(&b, "<ol>\n");
	for (int i = 0; i < c->info.nsteps; i++) {
		const char *m = c->info.step[i].module;

		if (m != NULL && (last == NULL || strcmp(last, m) != 0)) {
			mb_buf_puts(&b, "<li><strong>");
			esc(&b, m);
			mb_buf_puts(&b, "</strong></li>\n");
			last = m;
		}
		mb_buf_printf(&b, "<li><a href=\"step-%02d.html\">", i + 1);
		esc(&b, c->info.step[i].title != NULL ? c->info.step[i].title :
		    c->info.step[i].kind == MB_STEP_QUIZ ? "Quiz" : "Lesson");
		mb_buf_printf(&b, "</a> (%s)</li>\n", c->info.step[i].kind ==
		    MB_STEP_QUIZ ? "quiz" : "lesson");
	}
	mb_buf_puts(&b, "</ol></main></body></html>\n");
	rc = add_file(p, "index.html", b.data, b.len, true);
	mb_buf_free(&b);
	return rc;
}

static int
envelope_file(struct pack *p, const char *uri, const char *env, size_t len)
{
	char	c[MB_CENTER_MAX + 1], l[MB_LOCAL_MAX + 1], name[128];

	if (mb_uri_parse(uri, c, l) != MB_OK)
		return MB_ERR_INVAL;
	snprintf(name, sizeof(name), "items/%s-%s.json", c, l);
	return add_file(p, name, env, len, true);
}

/* The course's own envelope, as stored, for items/. */
static int
course_env_cb(const struct mb_store_version *v, void *arg)
{
	struct pack *p = arg;

	return envelope_file(p, v->uri, v->envelope, v->envelope_len);
}

static int
manifest(struct pack *p, const struct mb_courses_env *e,
    const struct mb_course *c)
{
	struct mb_buf	 b = MB_BUF_INIT;
	char		 when[MB_TIME_RFC3339_LEN];
	json_t		*doc;
	int		 rc;

	mb_time_format(p->mtime * 1000, when);
	doc = json_pack("{s:[s], s:s, s:s, s:s, s:s, s:s, s:O}", "@context",
	    VC_CONTEXT, "type", MB_PACKAGE_TYPE, "course", c->info.uri,
	    "title", c->info.title, "packager", e->node->conf.id, "created",
	    when, "files", p->files);
	if (doc == NULL)
		return MB_ERR_NOMEM;
	if ((rc = mb_proof_sign_text(doc, e->node->key, NULL, &b, p->d)) ==
	    MB_OK)
		rc = add_file(p, MB_PACKAGE_MANIFEST, b.data, b.len, false);
	mb_buf_free(&b);
	json_decref(doc);
	return rc;
}

int
mb_courses_package(const struct mb_courses_env *e, const struct mb_actor *a,
    const struct mb_course *c, const struct mb_package_opts *o,
    struct mb_buf *out, struct mb_diag *d)
{
	struct pack	 p;
	struct mb_buf	 zip = MB_BUF_INIT;
	int		 rc;

	if ((rc = mb_courses__may_read(e, a, c, d)) != MB_OK)
		return rc;
	memset(&p, 0, sizeof(p));
	p.out = &zip;
	p.d = d;
	p.mtime = mb_time_now_ms() / 1000;
	if ((p.files = json_array()) == NULL ||
	    (p.a = archive_write_new()) == NULL) {
		json_decref(p.files);
		return MB_ERR_NOMEM;
	}
	/* Zip: phones open it, and each file is compressed on its own. */
	if (archive_write_set_format_zip(p.a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(p.a, 1) != ARCHIVE_OK ||
	    archive_write_open2(p.a, &zip, NULL, write_cb, NULL, NULL) !=
	    ARCHIVE_OK) {
		rc = mb_diag_set(d, MB_ERR_IO, "package: %s",
		    archive_error_string(p.a));
		goto out;
	}
	if ((rc = index_page(&p, c)) != MB_OK)
		goto out;
	for (int i = 0; i < c->info.nsteps; i++) {
		json_t	*item = NULL;
		char	*env = NULL;
		size_t	 len = 0;

		if ((rc = mb_courses__step_raw(e, a, c, i, &env, &len, &item,
		    d)) != MB_OK)
			goto out;
		rc = step_page(&p, o, c, i, item, e->node->conf.url);
		/* A quiz's item holds its answers: they stay with centers. */
		if (rc == MB_OK && c->info.step[i].kind == MB_STEP_LESSON)
			rc = envelope_file(&p, c->info.step[i].uri, env, len);
		free(env);
		json_decref(item);
		if (rc != MB_OK)
			goto out;
	}
	if ((rc = mb_store_get(e->st, c->info.uri, 0, course_env_cb, &p,
	    d)) != MB_OK || (rc = manifest(&p, e, c)) != MB_OK)
		goto out;
	if (archive_write_close(p.a) != ARCHIVE_OK) {
		rc = mb_diag_set(d, MB_ERR_IO, "package: %s",
		    archive_error_string(p.a));
		goto out;
	}
	if (zip.len > MB_PACKAGE_MAX) {
		rc = mb_diag_set(d, MB_ERR_TOOBIG, "package: larger than "
		    "256 MiB");
		goto out;
	}
	rc = mb_buf_append(out, zip.data, zip.len);
out:
	archive_write_free(p.a);
	json_decref(p.files);
	mb_buf_free(&zip);
	return rc;
}

/* ---- Checking ---- */

struct entry {
	char	*name;
	char	*data;
	size_t	 len;
};

/* A safe relative path: segments of [A-Za-z0-9._-], none "." or "..". */
static bool
path_ok(const char *s)
{
	size_t seg = 0;

	if (*s == '\0' || *s == '/' || strlen(s) > 200)
		return false;
	for (const char *q = s;; q++) {
		if (*q == '/' || *q == '\0') {
			if (seg == 0 || (seg == 1 && q[-1] == '.') ||
			    (seg == 2 && q[-1] == '.' && q[-2] == '.'))
				return false;
			if (*q == '\0')
				return true;
			seg = 0;
			continue;
		}
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9') || *q == '.' || *q == '_' ||
		    *q == '-'))
			return false;
		seg++;
	}
}

static void
entries_free(struct entry *en, int n)
{
	for (int i = 0; i < n; i++) {
		free(en[i].name);
		free(en[i].data);
	}
	free(en);
}

static int
read_all(const void *buf, size_t len, struct entry **out, int *count,
    struct mb_diag *d)
{
	struct archive		*a;
	struct archive_entry	*ae;
	struct entry		*en = NULL;
	size_t			 total = 0;
	int			 n = 0, r, rc = MB_OK;

	if ((a = archive_read_new()) == NULL)
		return MB_ERR_NOMEM;
	archive_read_support_format_zip(a);
	archive_read_support_filter_none(a);
	if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
		rc = mb_diag_set(d, MB_ERR_INVAL, "package: not a zip: %s",
		    archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		const char	*name = archive_entry_pathname(ae);
		la_int64_t	 size = archive_entry_size(ae);
		struct entry	*ne;
		la_ssize_t	 got;

		if (name == NULL || !path_ok(name)) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "package: refused "
			    "path \"%.80s\": only relative paths inside the "
			    "package (no \"..\", no \"/\" first)", name ? name :
			    "(none)");
			goto out;
		}
		if (archive_entry_filetype(ae) != AE_IFREG) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "package: %s: not a "
			    "plain file", name);
			goto out;
		}
		for (int i = 0; i < n; i++)
			if (strcmp(en[i].name, name) == 0) {
				rc = mb_diag_set(d, MB_ERR_INVAL, "package: %s "
				    "appears twice", name);
				goto out;
			}
		if (n == MB_PACKAGE_MAX_FILES || size < 0 ||
		    (total += (size_t)size) > MB_PACKAGE_MAX) {
			rc = mb_diag_set(d, MB_ERR_TOOBIG, "package: more than "
			    "%d files or 256 MiB", MB_PACKAGE_MAX_FILES);
			goto out;
		}
		if ((ne = realloc(en, (size_t)(n + 1) * sizeof(*en))) == NULL) {
			rc = MB_ERR_NOMEM;
			goto out;
		}
		en = ne;
		memset(&en[n], 0, sizeof(en[n]));
		if ((en[n].name = strdup(name)) == NULL ||
		    (en[n].data = malloc((size_t)size + 1)) == NULL) {
			n++;
			rc = MB_ERR_NOMEM;
			goto out;
		}
		got = size > 0 ? archive_read_data(a, en[n].data,
		    (size_t)size) : 0;
		en[n].len = (size_t)size;
		en[n].data[size] = '\0';
		n++;
		if (got != size) {
			rc = mb_diag_set(d, MB_ERR_INVAL, "package: %s: cut "
			    "short or damaged", name);
			goto out;
		}
	}
	if (r != ARCHIVE_EOF)
		rc = mb_diag_set(d, MB_ERR_INVAL, "package: damaged: %s",
		    archive_error_string(a));
out:
	archive_read_free(a);
	if (rc != MB_OK) {
		entries_free(en, n);
		return rc;
	}
	*out = en;
	*count = n;
	return MB_OK;
}

/*
 * A name that is also another's directory ("a" and "a/b"): no disk holds
 * both, so such a package could only be extracted in part. The packer
 * never makes one.
 */
static int
check_nesting(const struct entry *en, int n, struct mb_diag *d)
{
	for (int i = 0; i < n; i++) {
		size_t l = strlen(en[i].name);

		for (int k = 0; k < n; k++)
			if (k != i && strncmp(en[k].name, en[i].name, l) == 0 &&
			    en[k].name[l] == '/')
				return mb_diag_set(d, MB_ERR_INVAL, "package: "
				    "%s is a file and also the directory of "
				    "%s", en[i].name, en[k].name);
	}
	return MB_OK;
}

static int
check_listing(const json_t *doc, const struct entry *en, int n,
    struct mb_diag *d)
{
	const json_t	*files = json_object_get(doc, "files"), *f;
	size_t		 i;

	if (!json_is_array(files))
		return mb_diag_set(d, MB_ERR_SIG, "manifest: no files");
	json_array_foreach(files, i, f) {
		const char	*path = json_string_value(json_object_get(f,
				    "path"));
		const char	*sha = json_string_value(json_object_get(f,
				    "sha256"));
		const struct entry *e = NULL;
		uint8_t		 h[crypto_hash_sha256_BYTES];
		char		 hex[2 * sizeof(h) + 1];

		for (int k = 0; path != NULL && k < n; k++)
			if (strcmp(en[k].name, path) == 0)
				e = &en[k];
		if (e == NULL || sha == NULL)
			return mb_diag_set(d, MB_ERR_SIG, "manifest: files[%zu] "
			    "(%.80s) is not in the package", i, path ? path :
			    "?");
		crypto_hash_sha256(h, (const unsigned char *)e->data, e->len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		if (strcmp(hex, sha) != 0 || json_integer_value(
		    json_object_get(f, "size")) != (json_int_t)e->len)
			return mb_diag_set(d, MB_ERR_SIG, "package: %s is not "
			    "the file the manifest lists (changed after "
			    "signing)", path);
	}
	for (int k = 0; k < n; k++) {
		bool listed = strcmp(en[k].name, MB_PACKAGE_MANIFEST) == 0;

		json_array_foreach(files, i, f)
			if (!listed && json_is_string(json_object_get(f,
			    "path")) && strcmp(json_string_value(
			    json_object_get(f, "path")), en[k].name) == 0)
				listed = true;
		if (!listed)
			return mb_diag_set(d, MB_ERR_SIG, "package: %s is not "
			    "in the manifest", en[k].name);
	}
	return MB_OK;
}

/* Writes the entries under dir, which it makes; on failure, nothing. */
static int
extract(const char *dir, const struct entry *en, int n, struct mb_diag *d)
{
	char	path[4096], sub[4096];
	int	rc = MB_OK;

	if (mkdir(dir, 0755) != 0)
		return mb_diag_set(d, MB_ERR_IO, "%s: %s (give a new "
		    "directory)", dir, strerror(errno));
	for (int i = 0; i < n && rc == MB_OK; i++) {
		const char *slash = strrchr(en[i].name, '/');

		snprintf(path, sizeof(path), "%s/%s", dir, en[i].name);
		if (slash != NULL) {
			snprintf(sub, sizeof(sub), "%s/%.*s", dir, (int)(slash -
			    en[i].name), en[i].name);
			rc = mb_fs_mkdirs(sub, 0755, d);
		}
		if (rc == MB_OK)
			rc = mb_fs_write_atomic(path, en[i].data, en[i].len,
			    0644, d);
	}
	/* dir is ours, made above: a package written in part goes whole. */
	if (rc != MB_OK)
		(void)mb_fs_remove_tree(dir);
	return rc;
}

int
mb_courses_package_check(const void *buf, size_t len, const uint8_t *pk,
    const char *dir, struct mb_package_report *rep, struct mb_diag *d)
{
	struct entry	*en = NULL;
	const struct entry *man = NULL;
	enum mb_verdict	 why;
	json_t		*doc = NULL;
	const char	*type;
	int		 n = 0, rc;

	memset(rep, 0, sizeof(*rep));
	if (len > MB_PACKAGE_MAX)
		return mb_diag_set(d, MB_ERR_TOOBIG, "package: larger than "
		    "256 MiB");
	if ((rc = read_all(buf, len, &en, &n, d)) != MB_OK)
		return rc;
	if ((rc = check_nesting(en, n, d)) != MB_OK)
		goto out;
	for (int i = 0; i < n; i++)
		if (strcmp(en[i].name, MB_PACKAGE_MANIFEST) == 0)
			man = &en[i];
	if (man == NULL) {
		rc = mb_diag_set(d, MB_ERR_SIG, "package: no manifest.json");
		goto out;
	}
	if ((rc = mb_proof_verify_text(man->data, man->len, pk,
	    "assertionMethod", &doc, &why, d)) != MB_OK) {
		mb_diag_prefix(d, "manifest.json");
		rc = MB_ERR_SIG;
		goto out;
	}
	type = json_string_value(json_object_get(doc, "type"));
	if (type == NULL || strcmp(type, MB_PACKAGE_TYPE) != 0) {
		rc = mb_diag_set(d, MB_ERR_SIG, "manifest.json: not a %s",
		    MB_PACKAGE_TYPE);
		goto out;
	}
	if ((rc = check_listing(doc, en, n, d)) != MB_OK)
		goto out;
	snprintf(rep->course, sizeof(rep->course), "%s", json_string_value(
	    json_object_get(doc, "course")) ? json_string_value(
	    json_object_get(doc, "course")) : "");
	snprintf(rep->packager, sizeof(rep->packager), "%s",
	    json_string_value(json_object_get(doc, "packager")) ?
	    json_string_value(json_object_get(doc, "packager")) : "");
	rep->files = n;
	for (int i = 0; i < n; i++)
		rep->bytes += en[i].len;
	if (dir != NULL)
		rc = extract(dir, en, n, d);
out:
	json_decref(doc);
	entries_free(en, n);
	return rc;
}
